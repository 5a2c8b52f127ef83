from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from exports import conf as export_conf
from exports.models import Export, ExportStatus
from exports.services import export_enqueue
from operations.models import WorkerHeartbeat
from operations.services.recovery import LOST_MESSAGE, ORPHANED_MESSAGE, exports_recover
from tests.exports.factories import ExportFactory
from tests.operations.factories import WorkerHeartbeatFactory

pytestmark = pytest.mark.django_db
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _database_queue(settings):
    settings.WORKER_DEAD_SECONDS = 60
    with override_settings(TASKS=DATABASE_TASKS):
        yield


@pytest.fixture
def recover(django_capture_on_commit_callbacks):
    """exports_recover() as in a worker: autocommit, so the enqueue's on_commit runs at once."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return exports_recover()

    return run


@pytest.fixture
def queued(django_capture_on_commit_callbacks):
    def enqueue(export: Export) -> Export:
        with django_capture_on_commit_callbacks(execute=True):
            export_enqueue(export=export)
        export.refresh_from_db()
        return export

    return enqueue


def minutes_ago(minutes: float):
    return timezone.now() - timedelta(minutes=minutes)


def pending_export(**fields) -> Export:
    export = ExportFactory(status=ExportStatus.PENDING, **fields)
    Export.objects.filter(pk=export.pk).update(created_at=fields.pop("created_at", minutes_ago(2)))
    export.refresh_from_db()
    return export


def running_export(*, worker_id: str, attempts: int = 1) -> Export:
    return ExportFactory(running=True, worker_id=worker_id, attempts=attempts)


def part_file(export: Export):
    path = export_conf.temp_directory() / f"export-{export.pk}-abc123.part"
    path.write_bytes(b"half a file")
    return path


# Lost exports -------------------------------------------------------------------------------------


def test_a_pending_export_without_a_task_is_queued_again_once(recover):
    export = pending_export()

    result = recover()

    assert result.requeued == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.PENDING
    assert export.requeued_at is not None
    assert DBTaskResult.objects.get(pk=export.task_id).status == "READY"
    assert recover().requeued == 0  # its new task is waiting: nothing more to do


def test_a_pending_export_whose_task_row_vanished_is_queued_again(recover, queued):
    export = queued(pending_export())
    DBTaskResult.objects.all().delete()

    assert recover().requeued == 1
    export.refresh_from_db()
    assert DBTaskResult.objects.filter(pk=export.task_id).exists()


def test_a_task_that_finished_without_running_the_export_counts_as_lost(recover, queued):
    export = queued(pending_export())
    DBTaskResult.objects.filter(pk=export.task_id).update(status="FAILED")

    assert recover().requeued == 1


def test_a_queued_task_is_left_waiting(recover, queued):
    queued(pending_export())

    assert not recover()


def test_a_task_taken_long_ago_with_the_export_still_pending_was_abandoned(recover, queued):
    export = queued(pending_export())
    DBTaskResult.objects.filter(pk=export.task_id).update(status="RUNNING", started_at=minutes_ago(5))

    assert recover().requeued == 1


def test_a_task_just_taken_is_left_alone(recover, queued):
    export = queued(pending_export())
    DBTaskResult.objects.filter(pk=export.task_id).update(status="RUNNING", started_at=timezone.now())

    assert not recover()


def test_a_new_pending_export_gets_time_to_be_queued(recover):
    pending_export(created_at=timezone.now() - timedelta(seconds=10))

    assert not recover()


def test_lost_a_second_time_it_fails_with_a_sentence(recover):
    export = pending_export(requeued_at=minutes_ago(2))

    result = recover()

    assert result.failed == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert export.error_message == LOST_MESSAGE


def test_nothing_is_lost_without_the_database_queue(recover):
    pending_export()
    with override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}):
        assert not recover()


# Orphaned exports ---------------------------------------------------------------------------------


def test_a_running_export_of_a_dead_worker_is_retried_and_its_part_file_removed(recover):
    WorkerHeartbeatFactory(worker_id="dead", last_seen_at=minutes_ago(3))
    export = running_export(worker_id="dead")
    ExportFactory(running=True, worker_id="dead", status=ExportStatus.COMPLETED)  # finished: not touched
    leftover = part_file(export)
    other = export_conf.temp_directory() / "export-someone-else-x.part"
    other.write_bytes(b"")

    result = recover()

    assert result.retried == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.PENDING
    assert (export.worker_id, export.rows_written, export.progress, export.started_at) == ("", 0, 0, None)
    assert export.requeued_at is not None
    assert DBTaskResult.objects.get(pk=export.task_id).status == "READY"
    assert not leftover.exists()
    assert other.exists()


def test_the_dead_workers_task_row_is_marked_failed(recover, queued):
    WorkerHeartbeatFactory(worker_id="dead", last_seen_at=minutes_ago(3))
    export = queued(pending_export())
    old_task = export.task_id
    DBTaskResult.objects.filter(pk=old_task).update(status="RUNNING", started_at=minutes_ago(3))
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, worker_id="dead", attempts=1)

    recover()

    assert DBTaskResult.objects.get(pk=old_task).status == "FAILED"


def test_a_worker_that_stopped_cleanly_counts_as_gone(recover):
    WorkerHeartbeatFactory(worker_id="stopped", stopped_at=timezone.now())
    running_export(worker_id="stopped")

    assert recover().retried == 1


def test_orphaned_a_second_time_it_fails_with_a_sentence_and_its_file_removed(recover):
    WorkerHeartbeatFactory(worker_id="dead", last_seen_at=minutes_ago(3))
    export = running_export(worker_id="dead", attempts=2)
    leftover = part_file(export)

    result = recover()

    assert result.failed == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert export.error_message == ORPHANED_MESSAGE
    assert not leftover.exists()


def test_exports_of_live_or_unregistered_workers_are_left_alone(recover):
    WorkerHeartbeatFactory(worker_id="alive")
    running_export(worker_id="alive")
    running_export(worker_id="web-process-immediate-backend")  # ran at once, no heartbeat of its own
    running_export(worker_id="")

    assert not recover()
    assert Export.objects.filter(status=ExportStatus.RUNNING).count() == 3


def test_recovering_twice_retries_once(recover):
    WorkerHeartbeatFactory(worker_id="dead", last_seen_at=minutes_ago(3))
    export = running_export(worker_id="dead")

    first, second = recover(), recover()

    assert (first.retried, second.retried) == (1, 0)
    assert DBTaskResult.objects.filter(args_kwargs__args=[str(export.pk)]).count() == 1


def test_heartbeats_of_workers_gone_for_a_day_are_forgotten_unless_an_export_names_them(recover):
    WorkerHeartbeatFactory(worker_id="long-gone", last_seen_at=timezone.now() - timedelta(days=2))
    WorkerHeartbeatFactory(worker_id="recent", last_seen_at=minutes_ago(10))

    recover()

    # Only these two: a worker thread of another test may have beaten meanwhile.
    remaining = set(
        WorkerHeartbeat.objects.filter(worker_id__in=["long-gone", "recent"]).values_list("worker_id", flat=True)
    )
    assert remaining == {"recent"}
