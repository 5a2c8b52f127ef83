import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from exports.models import ExportStatus
from exports.records.selectors import (
    export_get_for_user,
    export_history,
    export_statuses,
)
from tests.exports.factories import ExportFactory, UserFactory

EXPORTER = ["leads.view_lead", "exports.export_leads"]
MANAGER = ["leads.view_lead", "exports.export_leads", "exports.view_all_exports"]


@pytest.fixture
def exporter(db):
    return UserFactory(username="staff", permissions=EXPORTER)


@pytest.fixture
def colleague(db):
    return UserFactory(username="colleague", permissions=EXPORTER)


@pytest.fixture
def manager(db):
    return UserFactory(username="manager", permissions=MANAGER)


def test_history_holds_only_the_users_own_exports_newest_first(exporter, colleague):
    older = ExportFactory.aged(days=2, created_by=exporter)
    newer = ExportFactory(created_by=exporter)
    ExportFactory(created_by=colleague)

    assert list(export_history(user=exporter)) == [newer, older]


def test_history_holds_everyones_exports_with_view_all(exporter, colleague, manager):
    mine = ExportFactory(created_by=exporter)
    theirs = ExportFactory.aged(days=1, created_by=colleague)

    assert list(export_history(user=manager)) == [mine, theirs]


def test_history_is_empty_for_anonymous_and_inactive_users(exporter):
    ExportFactory(created_by=exporter)
    exporter.is_active = False
    exporter.save()

    assert not export_history(user=exporter).exists()
    assert not export_history(user=AnonymousUser()).exists()


def test_get_for_user_returns_a_visible_export_by_string_or_uuid(exporter):
    export = ExportFactory(created_by=exporter)

    assert export_get_for_user(user=exporter, export_id=str(export.pk)) == export
    assert export_get_for_user(user=exporter, export_id=export.pk) == export


@pytest.mark.parametrize(
    "export_id", ["garbage", "", "1", "../../etc/passwd", "..%2F..%2Fsecret", None, 12, str(uuid.uuid4())]
)
def test_get_for_user_raises_404_for_malformed_or_unknown_ids(exporter, export_id):
    with pytest.raises(Http404):
        export_get_for_user(user=exporter, export_id=export_id)


def test_get_for_user_hides_someone_elses_export_unless_view_all(exporter, colleague, manager):
    export = ExportFactory(created_by=colleague)

    with pytest.raises(Http404):
        export_get_for_user(user=exporter, export_id=export.pk)
    assert export_get_for_user(user=manager, export_id=export.pk) == export


def test_statuses_report_visible_exports_and_skip_garbage(exporter, colleague):
    running = ExportFactory(created_by=exporter, running=True, progress=40, rows_written=4, row_count=10)
    done = ExportFactory(created_by=exporter, completed=True)
    theirs = ExportFactory(created_by=colleague, running=True)

    statuses = export_statuses(user=exporter, export_ids=[running.pk, str(done.pk), theirs.pk, "nonsense"])

    by_id = {item["id"]: item for item in statuses}
    assert set(by_id) == {str(running.pk), str(done.pk)}
    assert by_id[str(running.pk)] == {
        "id": str(running.pk),
        "status": ExportStatus.RUNNING,
        "status_label": "Running",
        "progress": 40,
        "rows_written": 4,
        "row_count": 10,
        "active": True,
    }
    assert by_id[str(done.pk)]["active"] is False
