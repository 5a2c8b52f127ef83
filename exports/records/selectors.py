"""Read-side entry points for export records: who sees which exports and how far they are."""

import uuid
from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import Http404

from exports.datasets.registry import dataset_keys
from exports.formats.registry import available_formats, formats_for
from exports.models import Export, ExportStatus

VIEW_ALL_EXPORTS = "exports.view_all_exports"
# What the dashboard's "Export this view" holds, in order of preference: the analytics alone, or
# (in a format that needs rows) the comprehensive package with the leads.
DASHBOARD_DATA_TYPES = ("analytics", "comprehensive")
ACTIVE_STATUSES = (ExportStatus.PENDING, ExportStatus.RUNNING)


def export_history(*, user) -> QuerySet[Export]:
    """The exports `user` may see, newest first: their own, or everyone's with exports.view_all_exports."""
    return Export.objects.visible_to(user).select_related("created_by").order_by("-created_at")


def export_get_for_user(*, user, export_id) -> Export:
    """The export with this id if `user` may see it; Http404 for a malformed id or an export they may not see.

    Someone else's export answers exactly like a missing one, so ids cannot be probed.
    """
    try:
        pk = export_id if isinstance(export_id, uuid.UUID) else uuid.UUID(str(export_id))
    except (TypeError, ValueError, AttributeError):
        raise Http404("No such export.") from None
    export = export_history(user=user).filter(pk=pk).first()
    if export is None:
        raise Http404("No such export.")
    return export


def export_statuses(*, user, export_ids: Iterable) -> list[dict]:
    """Status and progress of the given exports that `user` may see (for the history page's polling)."""
    pks = []
    for export_id in export_ids:
        try:
            pks.append(uuid.UUID(str(export_id)))
        except (TypeError, ValueError, AttributeError):
            continue  # a garbled id is simply not reported
    exports = export_history(user=user).filter(pk__in=pks[:200]).select_related(None)
    return [
        {
            "id": str(export.pk),
            "status": export.status,
            "status_label": export.get_status_display(),
            "progress": export.progress,
            "rows_written": export.rows_written,
            "row_count": export.row_count,
            "active": export.status in ACTIVE_STATUSES,
        }
        for export in exports.only("id", "status", "progress", "rows_written", "row_count")
    ]


def export_dashboard_choices() -> list[dict]:
    """The dashboard's "Export this view" buttons: every registered format that can hold its analytics."""
    registered = [key for key in DASHBOARD_DATA_TYPES if key in dataset_keys()]
    choices = []
    for export_format in available_formats():
        for data_type in registered:
            if export_format in formats_for(data_type):
                choices.append({"format": export_format.key, "label": export_format.label, "data_type": data_type})
                break
    return choices
