"""Export-history analytics for the dashboard, the CLI and the API: computed in the database.

Kept in the exports app because exports depend on leads, not the other way
round. The spec's `date_from`/`date_to` select exports by the day they were
created (site time zone, `exports.records.filters.ExportFilterSet`); the other
parameters describe leads and are ignored.
With a `user`, only the exports that user may see count (their own, or
everyone's with exports.view_all_exports), as in the export history.
Six queries, whatever the number of exports.

Keys of the returned dict (number formats as in leads.analytics.common):
    filters, applied_filters, scope ("all" or "own")
    exports          total, completed, failed, pending, running, cancelled, expired,
                     failure_rate (failed / (completed + failed))
    rows_exported    rows written by completed exports
    bytes_exported   size of the files of completed exports
    average_seconds_to_complete   created -> finished, completed exports (queueing included)
    downloads        downloads of these exports
    by_format        [{format, label, count, completed, failed, rows, bytes}], most used first
    by_user          [{user_id, username, count, failed, rows, bytes}], most exports first
    over_time        {granularity, buckets: [{start, end, count, completed, failed}]}
    recent           [{id, created_at, created_by, format, data_type, status, rows_written,
                     file_size, download_count}], newest first
    latest_failures  [{id, created_at, created_by, format, error}], newest first
"""

from collections.abc import Mapping

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from exports.formats.registry import format_choices
from exports.models import Export, ExportStatus
from exports.records.filters import EXPORT_FILTER_PARAMETERS, export_list
from leads.analytics.common import counts_over_time, iso, local_date, rate, seconds, spec_filterset

RECENT_LIMIT = 10
FAILURES_LIMIT = 5
_COMPLETED = Q(status=ExportStatus.COMPLETED)
_FAILED = Q(status=ExportStatus.FAILED)


def export_analytics(*, filters: Mapping | None = None, user=None) -> dict:
    """Figures on the exports created in the spec's period; raises LeadFilterError on a bad spec."""
    _, spec = spec_filterset(filters=filters)
    visible = Export.objects.all() if user is None else Export.objects.visible_to(user)
    exports = export_list(filters=spec, queryset=visible).order_by()
    overview = exports.aggregate(
        total=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in ExportStatus.values},
        rows=Coalesce(Sum("rows_written", filter=_COMPLETED), 0),
        bytes=Coalesce(Sum("file_size", filter=_COMPLETED), 0),
        average_duration=Avg(
            ExpressionWrapper(F("finished_at") - F("created_at"), output_field=DurationField()),
            filter=_COMPLETED & Q(finished_at__isnull=False),
        ),
        downloads=Coalesce(Sum("download_count"), 0),
        first_created=Min("created_at"),
        last_created=Max("created_at"),
    )
    completed, failed = overview[ExportStatus.COMPLETED], overview[ExportStatus.FAILED]
    return {
        "filters": spec,
        "applied_filters": [name for name in EXPORT_FILTER_PARAMETERS if name in spec],
        "scope": "all" if user is None or user.has_perm("exports.view_all_exports") else "own",
        "exports": {
            "total": overview["total"],
            **{status: overview[status] for status in ExportStatus.values},
            "failure_rate": rate(failed, completed + failed),
        },
        "rows_exported": overview["rows"],
        "bytes_exported": overview["bytes"],
        "average_seconds_to_complete": seconds(overview["average_duration"]),
        "downloads": overview["downloads"],
        "by_format": _by_format(exports),
        "by_user": _by_user(exports),
        "over_time": counts_over_time(
            exports,
            field="created_at",
            first=local_date(overview["first_created"]),
            last=local_date(overview["last_created"]),
            aggregates={
                "count": Count("pk"),
                "completed": Count("pk", filter=_COMPLETED),
                "failed": Count("pk", filter=_FAILED),
            },
        ),
        "recent": _recent(exports),
        "latest_failures": _latest_failures(exports),
    }


def _by_format(exports: QuerySet) -> list[dict]:
    labels = dict(format_choices())
    rows = exports.values("format").annotate(
        count=Count("pk"),
        completed=Count("pk", filter=_COMPLETED),
        failed=Count("pk", filter=_FAILED),
        rows=Coalesce(Sum("rows_written", filter=_COMPLETED), 0),
        bytes=Coalesce(Sum("file_size", filter=_COMPLETED), 0),
    )
    entries = [{"format": row.pop("format"), **row} for row in rows]
    for entry in entries:
        entry["label"] = labels.get(entry["format"], entry["format"])
    entries.sort(key=lambda entry: (-entry["count"], entry["format"]))
    return entries


def _by_user(exports: QuerySet) -> list[dict]:
    rows = exports.values("created_by_id", "created_by__username").annotate(
        count=Count("pk"),
        failed=Count("pk", filter=_FAILED),
        rows=Coalesce(Sum("rows_written", filter=_COMPLETED), 0),
        bytes=Coalesce(Sum("file_size", filter=_COMPLETED), 0),
    )
    entries = [
        {
            "user_id": row["created_by_id"],
            "username": row["created_by__username"],  # null once the user is deleted
            "count": row["count"],
            "failed": row["failed"],
            "rows": row["rows"],
            "bytes": row["bytes"],
        }
        for row in rows
    ]
    entries.sort(key=lambda entry: (-entry["count"], entry["username"] or "", entry["user_id"] or 0))
    return entries


def _recent(exports: QuerySet) -> list[dict]:
    rows = exports.order_by("-created_at").values(
        "id",
        "created_at",
        "created_by__username",
        "format",
        "data_type",
        "status",
        "rows_written",
        "file_size",
        "download_count",
    )[:RECENT_LIMIT]
    return [
        {
            "id": str(row["id"]),
            "created_at": iso(row["created_at"]),
            "created_by": row["created_by__username"],  # null once the user is deleted
            "format": row["format"],
            "data_type": row["data_type"],
            "status": row["status"],
            "rows_written": row["rows_written"],
            "file_size": row["file_size"],
            "download_count": row["download_count"],
        }
        for row in rows
    ]


def _latest_failures(exports: QuerySet) -> list[dict]:
    rows = (
        exports.filter(_FAILED)
        .order_by("-created_at")
        .values("id", "created_at", "created_by__username", "format", "error_message")[:FAILURES_LIMIT]
    )
    return [
        {
            "id": str(row["id"]),
            "created_at": iso(row["created_at"]),
            "created_by": row["created_by__username"],
            "format": row["format"],
            "error": row["error_message"],
        }
        for row in rows
    ]
