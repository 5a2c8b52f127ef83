"""The resilient worker's logic in-process; tests/operations/test_worker_process_sqlite.py runs the real process."""

import threading

import pytest
from django.core.management import call_command
from django.db import InterfaceError, OperationalError
from django_tasks_db.management.commands.db_worker import Worker

from operations.models import WorkerHeartbeat
from operations.services import worker as worker_module
from operations.services.worker import Backoff, ResilientWorker, WorkerGaveUp


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_backoff_doubles_up_to_a_cap_then_gives_up():
    clock = Clock()
    backoff = Backoff(give_up_after=100, clock=clock)

    delays = [backoff.failed() for _ in range(8)]

    assert delays == [0.5, 1, 2, 4, 8, 16, 30, 30]
    clock.now = 100
    with pytest.raises(WorkerGaveUp, match="failing for 100 s"):
        backoff.failed()
    backoff.reset()
    assert backoff.failed() == 0.5


def make_worker(**options) -> ResilientWorker:
    defaults = dict(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    return ResilientWorker(**{**defaults, **options})


@pytest.fixture
def quiet(monkeypatch):
    """No real sleeping, no heartbeat thread: only the retry logic."""
    sleeps = []
    monkeypatch.setattr(worker_module.time, "sleep", sleeps.append)
    monkeypatch.setattr(ResilientWorker, "_start_heartbeat", lambda self: None)
    return sleeps


def scripted_run(monkeypatch, outcomes):
    """Worker.run (django-tasks-db's loop) raises the given errors in turn, then returns."""
    calls = []

    def run(self):
        calls.append(1)
        if outcomes:
            raise outcomes.pop(0)

    monkeypatch.setattr(Worker, "run", run)
    return calls


def test_database_errors_are_retried_with_backoff_and_the_worker_carries_on(monkeypatch, quiet, settings):
    settings.WORKER_DB_RETRY_SECONDS = 300
    calls = scripted_run(monkeypatch, [OperationalError("database is locked"), InterfaceError("connection closed")])

    make_worker().run()  # returns normally: no exit

    assert len(calls) == 3
    assert quiet == [0.5, 1]


def test_a_database_that_stays_down_ends_the_process_with_code_1(monkeypatch, quiet, settings, capsys):
    settings.WORKER_DB_RETRY_SECONDS = 0
    scripted_run(monkeypatch, [OperationalError("server closed the connection")] * 3)

    with pytest.raises(SystemExit) as stopped:
        make_worker().run()

    assert stopped.value.code == 1
    assert "exiting so that it is restarted" in capsys.readouterr().err


def test_any_other_crash_ends_the_process_with_code_1(monkeypatch, quiet, capsys):
    scripted_run(monkeypatch, [RuntimeError("bug")])

    with pytest.raises(SystemExit) as stopped:
        make_worker().run()

    assert stopped.value.code == 1
    assert "crashed (RuntimeError: bug)" in capsys.readouterr().err


def test_under_the_autoreloader_the_whole_process_exits(monkeypatch, quiet, settings):
    # The reloader runs the worker in a thread: ending only the thread would leave an idle process.
    settings.WORKER_DB_RETRY_SECONDS = 0
    scripted_run(monkeypatch, [OperationalError("locked")] * 3)
    exits = []
    monkeypatch.setattr(worker_module.os, "_exit", exits.append)

    thread = threading.Thread(target=make_worker().run)
    thread.start()
    thread.join(timeout=10)

    assert exits == [1]


@pytest.mark.django_db(transaction=True)
def test_manage_py_db_worker_is_the_resilient_one_and_records_its_heartbeat(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--worker-id", "cmd-worker")

    heartbeat = WorkerHeartbeat.objects.get(worker_id="cmd-worker")
    assert heartbeat.stopped_at is not None  # a clean stop is recorded
