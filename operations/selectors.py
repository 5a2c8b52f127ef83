"""Reading worker liveness: who was seen when, and whether any export worker is alive now."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from operations import conf
from operations.models import WorkerHeartbeat, WorkerKind

NO_WORKER_MESSAGE = "No export worker is running; this export will start when one is."
NO_WORKER_IMPORT_MESSAGE = "No background worker is running; this import will start when one is."
NO_WORKER_NOTE = "No export worker running"  # the same, where there is room for a few words only


@dataclass(frozen=True)
class WorkerLiveness:
    alive: bool
    last_seen_at: datetime | None  # the most recent heartbeat of any worker of this kind, None if never

    def seconds_since_seen(self, *, now: datetime | None = None) -> int | None:
        if self.last_seen_at is None:
            return None
        return max(0, int(((now or timezone.now()) - self.last_seen_at).total_seconds()))


def worker_liveness(*, kind: str = WorkerKind.WORKER, now: datetime | None = None) -> WorkerLiveness:
    """Is a worker of this kind alive (seen within WORKER_DEAD_SECONDS and not stopped)?"""
    now = now or timezone.now()
    rows = WorkerHeartbeat.objects.filter(kind=kind)
    alive = rows.filter(stopped_at__isnull=True, last_seen_at__gte=now - timedelta(seconds=conf.dead_seconds()))
    last_seen = rows.order_by("-last_seen_at").values_list("last_seen_at", flat=True).first()
    return WorkerLiveness(alive=alive.exists(), last_seen_at=last_seen)


def worker_ids_gone(*, among: Iterable[str], now: datetime | None = None) -> set[str]:
    """Which of these worker ids are registered and stopped, or not seen for WORKER_DEAD_SECONDS.

    An id without a heartbeat row is not "gone": it ran outside a worker (e.g. the web process).
    """
    ids = set(among)
    if not ids:
        return set()
    cutoff = (now or timezone.now()) - timedelta(seconds=conf.dead_seconds())
    rows = WorkerHeartbeat.objects.filter(worker_id__in=ids)
    return set(
        rows.filter(Q(stopped_at__isnull=False) | Q(last_seen_at__lt=cutoff)).values_list("worker_id", flat=True)
    )


def export_worker_missing() -> bool:
    """True when no export worker is alive: waiting exports will not start until one runs."""
    return not worker_liveness().alive
