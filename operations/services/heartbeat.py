"""Recording that a worker or scheduler is alive: one short UPDATE per beat, never a long transaction."""

import contextlib
import os
import socket

from django.db import IntegrityError
from django.utils import timezone

from operations.models import WorkerHeartbeat, WorkerKind


def worker_heartbeat_start(*, worker_id: str, kind: str = WorkerKind.WORKER) -> WorkerHeartbeat:
    """Register this process (host, pid, started now); a restarted process with the same id starts afresh."""
    now = timezone.now()
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "kind": kind,
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": now,
            "last_seen_at": now,
            "stopped_at": None,
        },
    )
    return heartbeat


def worker_heartbeat_beat(*, worker_id: str, kind: str = WorkerKind.WORKER) -> None:
    """Move `last_seen_at` to now: a single autocommitted UPDATE, so it holds no lock for longer than that."""
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen_at=timezone.now(), stopped_at=None)
    if not updated:
        # The row was removed meanwhile (or never written): register again.
        with contextlib.suppress(IntegrityError):  # another thread of this process registered it first
            worker_heartbeat_start(worker_id=worker_id, kind=kind)


def worker_heartbeat_stop(*, worker_id: str) -> None:
    """Record a clean stop, so the health check does not wait WORKER_DEAD_SECONDS to notice it."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(stopped_at=timezone.now())
