"""Background tasks: thin entry points that take ids (JSON-safe) and call a service."""

from django.tasks import task

from exports.services.running import export_run


@task()
def run_export(export_id: str) -> str | None:
    """Write the export's file; the record, not this result, holds status and progress."""
    export = export_run(export_id=export_id)
    return export.status if export is not None else None
