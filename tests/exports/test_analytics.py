"""export_analytics against figures worked out by hand.

Exports (created_at in UTC):
    E1  alice  csv    completed  03-30 10:00, finished after 90 s, 100 rows, 2,048 bytes, 2 downloads
    E2  alice  excel  failed     03-29 10:00  "Disk full"
    E3  bob    csv    completed  03-29 12:00, finished after 30 s, 50 rows, 1,024 bytes, 1 download
    E4  bob    json   pending    03-28 10:00
"""

import datetime
import json

import pytest

from exports.models import Export, ExportStatus
from exports.records.analytics import export_analytics
from leads.selectors import LeadFilterError
from tests.exports.factories import ExportFactory, UserFactory

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def at(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, tzinfo=UTC)


@pytest.fixture
def users():
    return {"alice": UserFactory(username="alice"), "bob": UserFactory(username="bob")}


@pytest.fixture
def exports(users):
    rows = [
        ("E1", "alice", "csv", ExportStatus.COMPLETED, at(30, 10), 90, 100, 2048, 2, ""),
        ("E2", "alice", "excel", ExportStatus.FAILED, at(29, 10), None, 0, None, 0, "Disk full"),
        ("E3", "bob", "csv", ExportStatus.COMPLETED, at(29, 12), 30, 50, 1024, 1, ""),
        ("E4", "bob", "json", ExportStatus.PENDING, at(28, 10), None, 0, None, 0, ""),
    ]
    made = {}
    for name, user, export_format, status, created_at, seconds, rows_written, size, downloads, error in rows:
        export = ExportFactory(
            created_by=users[user],
            format=export_format,
            status=status,
            rows_written=rows_written,
            file_size=size,
            download_count=downloads,
            error_message=error,
        )
        finished_at = None if seconds is None else created_at + datetime.timedelta(seconds=seconds)
        Export.objects.filter(pk=export.pk).update(created_at=created_at, finished_at=finished_at)
        made[name] = export
    return made


def test_totals(exports):
    data = export_analytics(filters={})

    assert data["scope"] == "all"
    assert data["exports"] == {
        "total": 4,
        "pending": 1,
        "running": 0,
        "completed": 2,
        "failed": 1,
        "expired": 0,
        "cancelled": 0,
        "failure_rate": 0.3333,
    }
    assert data["rows_exported"] == 150
    assert data["bytes_exported"] == 3072
    assert data["average_seconds_to_complete"] == 60.0  # (90 + 30) / 2
    assert data["downloads"] == 3


def test_by_format_and_by_user(exports, users):
    data = export_analytics(filters={})

    assert data["by_format"] == [
        {"format": "csv", "label": "CSV", "count": 2, "completed": 2, "failed": 0, "rows": 150, "bytes": 3072},
        {"format": "excel", "label": "Excel", "count": 1, "completed": 0, "failed": 1, "rows": 0, "bytes": 0},
        {"format": "json", "label": "JSON", "count": 1, "completed": 0, "failed": 0, "rows": 0, "bytes": 0},
    ]
    assert data["by_user"] == [
        {"user_id": users["alice"].pk, "username": "alice", "count": 2, "failed": 1, "rows": 100, "bytes": 2048},
        {"user_id": users["bob"].pk, "username": "bob", "count": 2, "failed": 0, "rows": 50, "bytes": 1024},
    ]


def test_per_day_recent_and_failures(exports):
    data = export_analytics(filters={})

    assert data["over_time"] == {
        "granularity": "day",
        "buckets": [
            {"start": "2026-03-28", "end": "2026-03-28", "count": 1, "completed": 0, "failed": 0},
            {"start": "2026-03-29", "end": "2026-03-29", "count": 2, "completed": 1, "failed": 1},
            {"start": "2026-03-30", "end": "2026-03-30", "count": 1, "completed": 1, "failed": 0},
        ],
    }
    assert [row["id"] for row in data["recent"]] == [str(exports[name].pk) for name in ("E1", "E3", "E2", "E4")]
    assert data["recent"][0] == {
        "id": str(exports["E1"].pk),
        "created_at": "2026-03-30T10:00:00+00:00",
        "created_by": "alice",
        "format": "csv",
        "data_type": "leads",
        "status": "completed",
        "rows_written": 100,
        "file_size": 2048,
        "download_count": 2,
    }
    assert data["latest_failures"] == [
        {
            "id": str(exports["E2"].pk),
            "created_at": "2026-03-29T10:00:00+00:00",
            "created_by": "alice",
            "format": "excel",
            "error": "Disk full",
        }
    ]
    assert json.loads(json.dumps(data)) == data


def test_the_period_is_the_day_an_export_was_created(exports):
    data = export_analytics(filters={"date_from": "2026-03-29", "date_to": "2026-03-29", "status": "new"})
    assert data["applied_filters"] == ["date_from", "date_to"]
    assert data["exports"]["total"] == 2  # E2, E3


def test_a_user_without_view_all_exports_counts_only_their_own(exports, users):
    data = export_analytics(filters={}, user=users["alice"])
    assert data["scope"] == "own"
    assert data["exports"]["total"] == 2
    assert [entry["username"] for entry in data["by_user"]] == ["alice"]

    manager = UserFactory(username="manager", permissions=["exports.view_all_exports"])
    assert export_analytics(filters={}, user=manager)["exports"]["total"] == 4


def test_deleted_users_keep_their_exports_counted(exports, users):
    users["bob"].delete()
    data = export_analytics(filters={})
    assert {entry["username"]: entry["count"] for entry in data["by_user"]} == {"alice": 2, None: 2}
    assert data["recent"][1]["created_by"] is None


def test_no_exports():
    data = export_analytics(filters={})
    assert data["exports"]["total"] == 0
    assert data["exports"]["failure_rate"] is None
    assert data["average_seconds_to_complete"] is None
    assert data["over_time"] == {"granularity": "day", "buckets": []}
    assert data["recent"] == data["by_user"] == data["by_format"] == []


def test_invalid_filters_raise():
    with pytest.raises(LeadFilterError):
        export_analytics(filters={"date_from": "soon"})


def test_query_count_does_not_grow_with_the_data(exports, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        export_analytics(filters={})
    ExportFactory.create_batch(5)
    with django_assert_max_num_queries(6):
        export_analytics(filters={})
