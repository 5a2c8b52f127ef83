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


class ScheduleOutcome(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCESS = "success", "Succeeded"
    FAILED = "failed", "Failed"


class ScheduleExecution(models.Model):
    """One run of one scheduled job for one slot: a scheduled export or a scheduled rule.

    `job` is "<kind>:<id>" (e.g. "export:12", "rule:3"); `lateness_seconds` is how long after the
    slot the run started; a run counts as late past SCHEDULE_LATE_SECONDS.
    """

    job_kind = models.CharField(max_length=20)
    job_id = models.PositiveBigIntegerField()
    job_name = models.CharField(max_length=200, blank=True)
    slot = models.DateTimeField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    lateness_seconds = models.FloatField(default=0)
    late = models.BooleanField(default=False)
    outcome = models.CharField(max_length=10, choices=ScheduleOutcome.choices, default=ScheduleOutcome.RUNNING)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["job_kind", "job_id", "slot"], name="schedule_execution_one_per_slot"),
        ]
        indexes = [models.Index(fields=["-started_at"], name="schedule_exec_started_idx")]

    def __str__(self) -> str:
        return f"{self.job_kind}:{self.job_id} ({self.job_name}) for {self.slot:%Y-%m-%d %H:%M}"

    @property
    def job(self) -> str:
        return f"{self.job_kind}:{self.job_id}"

    @property
    def duration_seconds(self) -> float | None:
        return None if self.finished_at is None else (self.finished_at - self.started_at).total_seconds()
