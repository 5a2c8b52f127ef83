import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied

from exports import tasks
from exports.errors import ExportStateError
from exports.models import Export, ExportStatus
from exports.services import (
    ExportRequest,
    export_cancel,
    export_create,
    export_delete,
    export_enqueue,
    export_rerun,
    export_run,
    export_start,
)
from exports.storage import export_storage
from tests.exports.factories import ExportFactory, UserFactory
from tests.exports.services.conftest import MANAGER
from tests.exports.services.fakes import FakeWriter, install


def test_start_runs_small_exports_at_once(exporter, leads, fake_writer, settings):
    settings.QUICK_EXPORT_LIMIT = 3

    export = export_start(request=ExportRequest(user=exporter, filters={}, format="csv"))

    assert export.status == ExportStatus.COMPLETED
    assert export.task_id == ""


def test_start_queues_large_exports_for_after_commit(
    exporter, leads, fake_writer, settings, django_capture_on_commit_callbacks
):
    settings.QUICK_EXPORT_LIMIT = 2

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        export = export_start(request=ExportRequest(user=exporter, filters={}, format="csv"))

    assert export.status == ExportStatus.PENDING
    assert len(callbacks) == 1
    assert fake_writer.calls == 0  # nothing runs before the transaction commits


def test_queued_export_runs_through_the_task_on_commit(
    exporter, leads, fake_writer, settings, django_capture_on_commit_callbacks
):
    settings.QUICK_EXPORT_LIMIT = 2

    with django_capture_on_commit_callbacks(execute=True):
        export = export_start(request=ExportRequest(user=exporter, filters={}, format="csv"))

    export.refresh_from_db()
    assert export.status == ExportStatus.COMPLETED
    assert export.rows_written == 3
    assert export.task_id  # the task result's id, kept on the record


def test_enqueue_passes_only_the_id(exporter, leads, monkeypatch, django_capture_on_commit_callbacks):
    received = []

    class Result:
        id = "task-123"

    class FakeTask:
        def enqueue(self, *args, **kwargs):
            received.append((args, kwargs))
            return Result

    monkeypatch.setattr(tasks, "run_export", FakeTask())
    export = export_create(request=ExportRequest(user=exporter, filters={}, format="csv"))

    with django_capture_on_commit_callbacks(execute=True):
        export_enqueue(export=export)

    assert received == [((str(export.pk),), {})]
    export.refresh_from_db()
    assert export.task_id == "task-123"
    assert export.status == ExportStatus.PENDING


def test_an_export_that_cannot_be_queued_fails_with_a_message(
    exporter, leads, monkeypatch, django_capture_on_commit_callbacks
):
    class BrokenTask:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("queue down")

    monkeypatch.setattr(tasks, "run_export", BrokenTask())
    export = export_create(request=ExportRequest(user=exporter, filters={}, format="csv"))

    with django_capture_on_commit_callbacks(execute=True):
        export_enqueue(export=export)

    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert "could not be queued" in export.error_message


def test_rerun_repeats_the_spec_in_a_new_complete_record(exporter, leads, fake_writer):
    original = export_create(
        request=ExportRequest(
            user=exporter, filters={"status": "new"}, format="json", options={"update_ready": True}, columns=None
        )
    )
    install_failure = FakeWriter(fail_after=1)
    original = _run_with(install_failure, original)
    assert original.status == ExportStatus.FAILED

    rerun = export_rerun(export=original, user=exporter)

    assert rerun.pk != original.pk
    assert rerun.rerun_of == original
    assert (rerun.filters, rerun.columns, rerun.format, rerun.options, rerun.data_type) == (
        original.filters,
        original.columns,
        original.format,
        original.options,
        original.data_type,
    )
    assert rerun.status == ExportStatus.COMPLETED
    assert rerun.rows_written == 2
    original.refresh_from_db()
    assert original.status == ExportStatus.FAILED


def test_rerun_checks_permissions_again(leads, fake_writer):
    manager = UserFactory(permissions=MANAGER)
    export = export_create(request=ExportRequest(user=manager, filters={}, format="csv", include_contact_info=True))
    manager.user_permissions.remove(Permission.objects.get(codename="view_contact_info"))
    manager = type(manager).objects.get(pk=manager.pk)  # drop the permission cache

    with pytest.raises(PermissionDenied, match="contact information"):
        export_rerun(export=export, user=manager)


def test_rerun_of_someone_elses_export_needs_view_all(exporter, leads, fake_writer):
    export = ExportFactory(filters={}, row_count=3)

    with pytest.raises(PermissionDenied):
        export_rerun(export=export, user=exporter)


def test_cancel_a_pending_export_then_the_worker_skips_it(exporter, leads, fake_writer):
    export = export_create(request=ExportRequest(user=exporter, filters={}, format="csv"))

    cancelled = export_cancel(export=export, user=exporter)
    after_run = export_run(export_id=export.pk)

    assert cancelled.status == ExportStatus.CANCELLED
    assert cancelled.finished_at is not None
    assert "staff" in cancelled.error_message
    assert after_run.status == ExportStatus.CANCELLED
    assert fake_writer.calls == 0


def test_cancel_refuses_finished_exports(exporter):
    export = ExportFactory(created_by=exporter, completed=True)

    with pytest.raises(ExportStateError, match="completed"):
        export_cancel(export=export, user=exporter)


def test_cancel_by_another_user_is_denied(exporter):
    export = ExportFactory()

    with pytest.raises(PermissionDenied):
        export_cancel(export=export, user=exporter)
    export.refresh_from_db()
    assert export.status == ExportStatus.PENDING


def test_delete_removes_the_file_then_the_record(exporter):
    export = ExportFactory(created_by=exporter, completed=True, file_content=b"1\n2\n")
    name = export.file.name

    export_delete(export=export, user=exporter)

    assert not Export.objects.filter(pk=export.pk).exists()
    assert not export_storage().exists(name)


def test_delete_refuses_a_running_export(exporter):
    export = ExportFactory(created_by=exporter, running=True)

    with pytest.raises(ExportStateError, match="cancel it first"):
        export_delete(export=export, user=exporter)
    assert Export.objects.filter(pk=export.pk).exists()


def test_delete_of_someone_elses_export(exporter, manager):
    export = ExportFactory(completed=True, file_content=b"x\n")

    with pytest.raises(PermissionDenied):
        export_delete(export=export, user=exporter)
    export_delete(export=export, user=manager)

    assert not Export.objects.filter(pk=export.pk).exists()


def test_a_deleted_pending_export_is_skipped_by_the_worker(exporter, leads, fake_writer):
    export = export_create(request=ExportRequest(user=exporter, filters={}, format="csv"))
    export_delete(export=export, user=exporter)

    assert export_run(export_id=export.pk) is None
    assert fake_writer.calls == 0


def _run_with(writer, export):
    with pytest.MonkeyPatch.context() as patch:
        install(patch, writer)
        return export_run(export_id=export.pk)
