"""The export worker that never dies silently: django-tasks-db's worker with heartbeats and retries.

django-tasks-db's loop raises on any database error other than "locked" while it claims a task,
and on any error while it records a result; under the autoreloader that ends the worker thread
but not the process, which then sits idle for ever. Here a database error (locked, connection
lost, server restarted) is retried with exponential backoff; when the database stays unusable
for WORKER_DB_RETRY_SECONDS, or anything else goes wrong, the process exits non-zero so that a
supervisor (scripts/run, systemd) starts a fresh one.
"""

import contextlib
import logging
import os
import sys
import threading
import time

from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections, connections
from django_tasks_db.management.commands.db_worker import Worker

from operations import conf
from operations.models import WorkerKind
from operations.services.heartbeat import worker_heartbeat_beat, worker_heartbeat_start, worker_heartbeat_stop
from operations.services.recovery import exports_recover
from operations.services.task_results import task_results_prune

logger = logging.getLogger("operations")

RETRIABLE_ERRORS = (OperationalError, InterfaceError)
FIRST_DELAY_SECONDS = 0.5
MAX_DELAY_SECONDS = 30.0
# A run of the loop that lasted this long was healthy: the next failure starts a new streak.
HEALTHY_RUN_SECONDS = 60.0
EXIT_GAVE_UP = 1


class WorkerGaveUp(Exception):
    """The database stayed unusable for longer than WORKER_DB_RETRY_SECONDS."""


class Backoff:
    """Delays 0.5 s, 1 s, 2 s … up to 30 s; exhausted once failures have lasted `give_up_after` seconds."""

    def __init__(self, *, give_up_after: float, clock=time.monotonic):
        self.give_up_after = give_up_after
        self.clock = clock
        self.reset()

    def reset(self) -> None:
        self.failures = 0
        self.first_failure_at: float | None = None

    def failed(self) -> float:
        """Count a failure; returns the delay before the next try, or raises WorkerGaveUp."""
        now = self.clock()
        if self.first_failure_at is None:
            self.first_failure_at = now
        elif now - self.first_failure_at >= self.give_up_after:
            raise WorkerGaveUp(f"the database has been failing for {now - self.first_failure_at:.0f} s")
        self.failures += 1
        return min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** (self.failures - 1))


# A beat is one short UPDATE, a recovery or a prune a few queries: waiting this long is only for a stuck database.
STOP_WAIT_SECONDS = 15


class HeartbeatThread(threading.Thread):
    """Beats every WORKER_HEARTBEAT_SECONDS, recovers lost exports and prunes old task rows, beside the process's work.

    A thread, so a long export does not silence the heartbeat. Its own database connection does one
    short UPDATE per beat; any error is logged and the next beat tries again.
    """

    def __init__(self, *, worker_id: str, kind: str = WorkerKind.WORKER, recover: bool = True):
        super().__init__(name=f"heartbeat-{worker_id[:8]}", daemon=True)
        self.worker_id = worker_id
        self.kind = kind
        self.recover = recover
        self.stopping = threading.Event()

    def run(self) -> None:
        next_recovery = next_prune = time.monotonic()
        try:
            while not self.stopping.is_set():
                self._safely(worker_heartbeat_beat, worker_id=self.worker_id, kind=self.kind)
                if self.recover and time.monotonic() >= next_recovery:
                    self._safely(exports_recover)
                    next_recovery = time.monotonic() + conf.recovery_interval_seconds()
                if self.recover and time.monotonic() >= next_prune:
                    self._safely(task_results_prune)
                    next_prune = time.monotonic() + conf.TASK_RESULTS_PRUNE_SECONDS
                self.stopping.wait(conf.heartbeat_seconds())
        finally:
            connections.close_all()

    def stop(self) -> None:
        """Stop beating; returns once a beat in progress has finished and closed its connection."""
        self.stopping.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout=STOP_WAIT_SECONDS)

    def _safely(self, function, **kwargs) -> None:
        try:
            close_old_connections()
            function(**kwargs)
        except Exception:
            logger.warning("%s failed in the %s heartbeat; trying again", function.__name__, self.kind, exc_info=True)
            _close_connection()


class ResilientWorker(Worker):
    """django-tasks-db's Worker, registered by heartbeat, retrying database errors, exiting non-zero when stuck."""

    def run(self) -> None:
        try:
            self._start_heartbeat()
            self._run_until_stopped()
        except WorkerGaveUp as error:
            self._give_up(f"Export worker {self.worker_id} stopped: {error}; exiting so that it is restarted.")
        except Exception as error:
            logger.exception("export worker %s crashed", self.worker_id)
            self._give_up(f"Export worker {self.worker_id} crashed ({type(error).__name__}: {error}); exiting.")
        finally:
            self._stop_heartbeat()

    def _run_until_stopped(self) -> None:
        backoff = Backoff(give_up_after=conf.db_retry_seconds())
        while self.running:
            started = time.monotonic()
            try:
                super().run()
                return  # --batch or --max-tasks finished, or a signal asked to stop
            except RETRIABLE_ERRORS as error:
                if time.monotonic() - started >= HEALTHY_RUN_SECONDS:
                    backoff.reset()
                delay = backoff.failed()
                logger.warning(
                    "export worker %s: database error (%s); retrying in %.1f s", self.worker_id, error, delay
                )
                _close_connection()
                self.startup_delay = False
                time.sleep(delay)

    def _start_heartbeat(self) -> None:
        backoff = Backoff(give_up_after=conf.db_retry_seconds())
        while True:
            try:
                worker_heartbeat_start(worker_id=self.worker_id, kind=WorkerKind.WORKER)
                break
            except RETRIABLE_ERRORS as error:
                delay = backoff.failed()
                logger.warning("worker %s cannot register (%s); retrying in %.1f s", self.worker_id, error, delay)
                _close_connection()
                time.sleep(delay)
        self._heartbeat = HeartbeatThread(worker_id=self.worker_id, kind=WorkerKind.WORKER)
        self._heartbeat.start()

    def _stop_heartbeat(self) -> None:
        heartbeat = getattr(self, "_heartbeat", None)
        if heartbeat is None:
            return
        heartbeat.stop()
        # A beat under way would otherwise land after the stop and clear stopped_at again.
        heartbeat.join(timeout=conf.heartbeat_seconds() + 30)
        try:
            worker_heartbeat_stop(worker_id=self.worker_id)
        except DatabaseError:
            logger.warning("export worker %s could not record its stop", self.worker_id)

    def _give_up(self, message: str) -> None:
        logger.error(message)
        print(message, file=sys.stderr, flush=True)
        self._stop_heartbeat()
        if threading.current_thread() is threading.main_thread():
            raise SystemExit(EXIT_GAVE_UP)
        # Under the autoreloader this runs in a thread: ending the thread would leave an idle
        # process behind, so end the process (the reloader's parent passes the code on).
        sys.stdout.flush()
        os._exit(EXIT_GAVE_UP)


def _close_connection() -> None:
    with contextlib.suppress(DatabaseError):  # already broken: the next query opens a new one
        connections["default"].close()
