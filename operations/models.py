"""Worker heartbeats: which background processes are alive, seen from any other process."""

from django.db import models


class WorkerKind(models.TextChoices):
    WORKER = "worker", "Export worker"
    SCHEDULER = "scheduler", "Scheduler"


class WorkerHeartbeat(models.Model):
    """One row per process; `last_seen_at` moves forward every WORKER_HEARTBEAT_SECONDS while it lives.

    The row is kept when the process stops (with `stopped_at`), so an export claimed by a worker
    that died can be traced to that worker and recovered.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=10, choices=WorkerKind.choices, default=WorkerKind.WORKER)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField(db_index=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.worker_id} on {self.host} (pid {self.pid})"
