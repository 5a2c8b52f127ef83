"""Finished task-queue rows are pruned after TASK_RESULTS_KEEP_DAYS, by the workers' heartbeat and by a command."""

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from operations.services import worker
from operations.services.task_results import task_results_prune

pytestmark = pytest.mark.django_db


def task_row(status: str, *, finished_days_ago: float | None) -> DBTaskResult:
    finished = None if finished_days_ago is None else timezone.now() - timedelta(days=finished_days_ago)
    return DBTaskResult.objects.create(
        id=uuid.uuid4(),
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="exports.tasks.run_export",
        queue_name="default",
        backend_name="default",
        run_after=timezone.now(),
        finished_at=finished,
        exception_class_path="",
        traceback="",
    )


@pytest.fixture
def rows():
    return {
        "old success": task_row("SUCCESSFUL", finished_days_ago=30),
        "old failure": task_row("FAILED", finished_days_ago=8),
        "recent success": task_row("SUCCESSFUL", finished_days_ago=1),
        "waiting": task_row("READY", finished_days_ago=None),
        "running": task_row("RUNNING", finished_days_ago=None),
    }


def remaining(rows) -> set[str]:
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    return {name for name, row in rows.items() if row.pk in left}


def test_finished_rows_older_than_the_retention_are_deleted_and_nothing_else(rows, settings):
    settings.TASK_RESULTS_KEEP_DAYS = 7

    assert task_results_prune() == 2

    assert remaining(rows) == {"recent success", "waiting", "running"}


def test_zero_days_keeps_every_row(rows, settings):
    settings.TASK_RESULTS_KEEP_DAYS = 0

    assert task_results_prune() == 0
    assert len(remaining(rows)) == 5


def test_more_rows_than_one_batch_are_all_deleted(settings, monkeypatch):
    settings.TASK_RESULTS_KEEP_DAYS = 7
    monkeypatch.setattr("operations.services.task_results.BATCH", 3)
    for _ in range(7):
        task_row("SUCCESSFUL", finished_days_ago=10)

    assert task_results_prune() == 7
    assert not DBTaskResult.objects.exists()


def test_the_worker_heartbeat_prunes(rows, settings, monkeypatch):
    settings.TASK_RESULTS_KEEP_DAYS = 7
    thread = worker.HeartbeatThread(worker_id="w-prune")
    # One turn of the loop, in this thread and on this test's connection.
    monkeypatch.setattr(worker, "connections", type("NoClose", (), {"close_all": staticmethod(lambda: None)}))
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(worker, "exports_recover", lambda: None)
    monkeypatch.setattr(thread.stopping, "wait", lambda seconds: thread.stopping.set())

    thread.run()

    assert remaining(rows) == {"recent success", "waiting", "running"}


def test_the_command_prunes_with_its_own_retention_and_can_count_first(rows, settings):
    settings.TASK_RESULTS_KEEP_DAYS = 0
    out = StringIO()

    call_command("prune_task_results", "--keep-days", "2", "--dry-run", stdout=out)
    assert "2 finished task rows would be deleted." in out.getvalue()
    assert len(remaining(rows)) == 5

    call_command("prune_task_results", "--keep-days", "2", stdout=out)
    assert "2 finished task rows deleted." in out.getvalue()
    assert remaining(rows) == {"recent success", "waiting", "running"}


def test_the_command_refuses_a_retention_below_one_day():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("prune_task_results", "--keep-days", "0")
