import pytest
from django.tasks import TaskResultStatus

from exports.models import ExportStatus
from exports.tasks import run_export
from tests.exports.factories import ExportFactory, UserFactory
from tests.exports.services.fakes import FakeWriter, install
from tests.factories import LeadFactory


@pytest.fixture
def export(db):
    LeadFactory.create_batch(2)
    user = UserFactory(permissions=["leads.view_lead", "exports.export_leads"])
    return ExportFactory(created_by=user, row_count=2, columns=[])


def test_the_task_runs_the_export(export, monkeypatch):
    install(monkeypatch, FakeWriter())

    result = run_export.enqueue(str(export.pk))

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == ExportStatus.COMPLETED
    export.refresh_from_db()
    assert export.status == ExportStatus.COMPLETED
    assert export.rows_written == 2


def test_a_task_delivered_twice_writes_once(export, monkeypatch):
    writer = install(monkeypatch, FakeWriter())

    run_export.enqueue(str(export.pk))
    export.refresh_from_db()
    first_file, first_finished = export.file.name, export.finished_at
    second = run_export.enqueue(str(export.pk))

    assert writer.calls == 1
    assert second.return_value == ExportStatus.COMPLETED
    export.refresh_from_db()
    assert (export.file.name, export.finished_at) == (first_file, first_finished)


def test_a_failing_export_is_a_failed_record_not_a_failed_task(export, monkeypatch):
    install(monkeypatch, FakeWriter(fail_after=1))

    result = run_export.enqueue(str(export.pk))

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == ExportStatus.FAILED
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED


def test_a_deleted_export_is_skipped(db):
    result = run_export.enqueue("9f1c7b1e-2d4e-4c7f-8a51-0f0e1d2c3b4a")

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value is None


def test_the_task_passes_the_worker_that_took_it_to_the_claim(export, monkeypatch):
    install(monkeypatch, FakeWriter())

    result = run_export.enqueue(str(export.pk))

    export.refresh_from_db()
    assert export.worker_id == result.worker_ids[-1] != ""
