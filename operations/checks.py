"""System check: warn when background exports are waiting and no export worker has been seen lately."""

from django.core import checks
from django.db import DatabaseError

from operations.selectors import worker_liveness

HINT = "Start one with `manage.py db_worker` (scripts/run does); see the README on supervising workers."


@checks.register("operations")
def check_export_worker(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from exports.models import Export, ExportStatus

    try:
        waiting = Export.objects.filter(status=ExportStatus.PENDING).count()
        if not waiting:
            return []
        liveness = worker_liveness()
    except DatabaseError:
        return []  # no database (yet): migrate and check --deploy run before there is one
    if liveness.alive:
        return []
    seconds = liveness.seconds_since_seen()
    seen = "no export worker has been seen yet" if seconds is None else f"no export worker seen for {seconds} s"
    return [
        checks.Warning(
            f"{waiting} export(s) are waiting and {seen}; they will start when a worker runs.",
            hint=HINT,
            id="operations.W001",
        )
    ]
