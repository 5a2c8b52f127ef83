"""Background tasks: thin entry points that take ids (JSON-safe) and call a service."""

from django.tasks import task

from exports.services.running import export_run


@task(takes_context=True)
def run_export(context, export_id: str) -> str | None:
    """Write the export's file; the record, not this result, holds status and progress."""
    # The worker that took the task claims the export, so recovery can tell when that worker died.
    worker_ids = context.task_result.worker_ids
    export = export_run(export_id=export_id, worker_id=worker_ids[-1] if worker_ids else "")
    return export.status if export is not None else None
