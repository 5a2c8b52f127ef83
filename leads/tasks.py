"""Background tasks of the leads app: thin entry points that take ids (JSON-safe) and call a service."""

from django.tasks import task

from leads.importing.records import lead_import_run


@task()
def run_lead_import(import_id: str) -> str | None:
    """Check and write a confirmed import; the LeadImport record, not this result, holds the outcome."""
    record = lead_import_run(import_id=import_id)
    return record.status if record is not None else None


@task()
def link_duplicates(lead_ids: list[int]) -> int:
    """Join newly arrived leads to the duplicate groups of the leads they match; returns the groups touched."""
    from leads.duplicates.grouping import duplicates_link

    return duplicates_link(lead_ids=lead_ids)
