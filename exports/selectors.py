"""Read-side entry points for export records: who sees which exports, and how a stored spec reads."""

import uuid
from collections.abc import Iterable, Mapping

from django.db.models import QuerySet
from django.http import Http404

from exports.datasets.registry import dataset_keys
from exports.formats.registry import available_formats, formats_for
from exports.models import Export, ExportStatus
from leads.filters import FILTER_PARAMETERS, LeadFilterSet
from leads.models import LeadStatus, Location

VIEW_ALL_EXPORTS = "exports.view_all_exports"
# What the dashboard's "Export this view" holds, in order of preference: the analytics alone, or
# (in a format that needs rows) the comprehensive package with the leads.
DASHBOARD_DATA_TYPES = ("analytics", "comprehensive")
ACTIVE_STATUSES = (ExportStatus.PENDING, ExportStatus.RUNNING)


def export_history(*, user) -> QuerySet[Export]:
    """The exports `user` may see, newest first: their own, or everyone's with exports.view_all_exports."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Export.objects.none()
    exports = Export.objects.select_related("created_by").order_by("-created_at")
    if user.has_perm(VIEW_ALL_EXPORTS):
        return exports
    return exports.filter(created_by=user)


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


def export_location_names(*, specs: Iterable[Mapping]) -> dict[int, str]:
    """Names of every location a set of stored specs refers to by id, in one query."""
    ids = {pk for spec in specs for pk in (spec or {}).get("location_ids") or [] if isinstance(pk, int)}
    if not ids:
        return {}
    return dict(Location.objects.filter(pk__in=ids).values_list("pk", "name"))


def export_filters_summary(*, filters: Mapping | None, location_names: Mapping[int, str] | None = None) -> str:
    """A short readable sentence of a stored (normalized) spec, e.g. "Status: New · Has e-mail: yes".

    `location_names` (from export_location_names) avoids a query per record on a list page.
    """
    if not filters:
        return "All leads"
    if location_names is None:
        location_names = export_location_names(specs=[filters])
    parts = []
    for name in FILTER_PARAMETERS:
        if name not in filters:
            continue
        parts.append(_describe(name, filters[name], location_names))
    # Keys the current FilterSet no longer knows are shown as stored rather than hidden.
    parts.extend(f"{name}: {_join(value)}" for name, value in filters.items() if name not in FILTER_PARAMETERS)
    return " · ".join(parts)


def _describe(name: str, value, location_names: Mapping[int, str]) -> str:
    label = LeadFilterSet.base_filters[name].label or name
    if name == "ids":
        count = len(value) if isinstance(value, (list, tuple)) else 1
        return f"{count} selected lead{'' if count == 1 else 's'}"
    if name == "status":
        labels = dict(LeadStatus.choices)
        return f"{label}: {_join([labels.get(item, item) for item in _as_list(value)])}"
    if name == "location_ids":
        return f"Locations: {_join([location_names.get(pk, f'#{pk}') for pk in _as_list(value)])}"
    if isinstance(value, bool):
        return f"{label}: {'yes' if value else 'no'}"
    if name == "q":
        return f"{label}: “{value}”"
    return f"{label}: {_join(value)}"


def _as_list(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _join(value) -> str:
    return ", ".join(str(item) for item in _as_list(value))
