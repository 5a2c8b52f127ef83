"""The background path with a real `manage.py db_worker` process, on PostgreSQL.

The worker is a separate process, so it needs a database both processes share: pytest-django's
PostgreSQL test database, reached through DATABASE_URL. Data is committed (transactional_db).
"""

import hashlib
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from exports import conf
from exports.models import Export, ExportStatus
from exports.services import ExportRequest, export_create, export_enqueue, export_open_download
from tests.exports.factories import UserFactory
from tests.factories import LeadFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker shares a PostgreSQL database"),
]

BASE_DIR = Path(settings.BASE_DIR)
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
WORKER = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"]

# A worker whose writer is slow (a row every 0.2 s, progress recorded each time), so the test can
# kill it while the export is running. Everything else is the real worker and the real services.
SLOW_WORKER = """
import sys, time, django
django.setup()
from django.core.management import call_command
from exports.services import running

def slow_write(*, export, destination, on_progress):
    for rows in range(1, 10_000):
        destination.write(b"row\\n")
        destination.flush()
        on_progress(rows)
        time.sleep(0.2)
    return rows

running.export_write = slow_write
running.PROGRESS_INTERVAL_SECONDS = 0
call_command("db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1")
"""


def worker_environment(tmp_path) -> dict:
    """Production settings pointed at the test database and this test's export folder."""
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "leadsite.settings",
        "DATABASE_URL": url,
        "SECRET_KEY": "worker-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DEBUG": "false",
        "DATA_DIR": str(tmp_path / "worker-data"),
        "EXPORT_DIRECTORY": str(conf.export_directory()),
        "EXPORT_MIN_FREE_MB": "1",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        # Liveness in seconds rather than minutes, so the test sees a dead worker quickly.
        "WORKER_HEARTBEAT_SECONDS": "1",
        "WORKER_DEAD_SECONDS": "3",
    }


def wait_for(predicate, *, timeout: float = 60, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"Timed out waiting for {what}.")


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def queued_export(transactional_db):
    LeadFactory.create_batch(25, status="new")
    LeadFactory.create_batch(5, status="rejected")
    user = UserFactory(permissions=["leads.view_lead", "exports.export_leads"])
    with override_settings(TASKS=DATABASE_TASKS):
        export = export_create(request=ExportRequest(user=user, filters={"status": "new"}, format="csv"))
        export_enqueue(export=export)  # autocommit: on_commit runs now, writing the task row
    return export


def test_a_real_worker_completes_a_queued_export(queued_export, tmp_path):
    export = Export.objects.get(pk=queued_export.pk)
    assert export.status == ExportStatus.PENDING
    assert DBTaskResult.objects.filter(pk=export.task_id).exists()

    worker = subprocess.Popen(WORKER, cwd=BASE_DIR, env=worker_environment(tmp_path))
    try:
        wait_for(
            lambda: Export.objects.get(pk=export.pk).status not in (ExportStatus.PENDING, ExportStatus.RUNNING),
            what="the worker to finish the export",
        )
    finally:
        stop(worker)

    export.refresh_from_db()
    assert export.status == ExportStatus.COMPLETED, export.error_message
    assert export.rows_written == 25
    download = export_open_download(export=export, user=export.created_by)
    with download.file:
        assert download.file.read().decode("utf-8-sig").strip().count("\n") == 25  # header + 25 rows
    assert DBTaskResult.objects.get(pk=export.task_id).status == "SUCCESSFUL"


def test_a_worker_killed_mid_export_is_detected_by_its_successor_and_the_export_retried(queued_export, tmp_path):
    export = queued_export
    environment = worker_environment(tmp_path)
    crashed = subprocess.Popen([sys.executable, "-c", SLOW_WORKER], cwd=BASE_DIR, env=environment)
    try:
        wait_for(
            lambda: Export.objects.filter(pk=export.pk, status=ExportStatus.RUNNING, rows_written__gte=2).exists(),
            what="the export to be running",
        )
    finally:
        stop(crashed, signal.SIGKILL)  # a hard crash: no chance to record anything

    export.refresh_from_db()
    assert export.status == ExportStatus.RUNNING  # nobody is left to say otherwise
    assert export.attempts == 1 and export.worker_id
    first_task = export.task_id
    leftovers = list((conf.export_directory() / conf.TEMP_DIRECTORY_NAME).glob(f"export-{export.pk}-*.part"))
    assert len(leftovers) == 1

    # A fresh worker (as a supervisor would start) notices the dead worker's silent heartbeat,
    # removes the partial file and runs the export again: well before EXPORT_STALE_SECONDS.
    started = time.monotonic()
    successor = subprocess.Popen(WORKER, cwd=BASE_DIR, env=environment)
    try:
        wait_for(
            lambda: Export.objects.get(pk=export.pk).status == ExportStatus.COMPLETED,
            timeout=90,
            what="the retried export to complete",
        )
    finally:
        stop(successor)
    assert time.monotonic() - started < conf.stale_seconds()

    export.refresh_from_db()
    assert export.attempts == 2
    assert export.requeued_at is not None
    assert export.rows_written == 25
    assert export.task_id != first_task
    assert not leftovers[0].exists()
    assert DBTaskResult.objects.get(pk=first_task).status == "FAILED"  # no longer "running" for ever
    assert DBTaskResult.objects.get(pk=export.task_id).status == "SUCCESSFUL"
    download = export_open_download(export=export, user=export.created_by)
    with download.file:
        content = download.file.read()
    assert hashlib.sha256(content).hexdigest() == export.checksum_sha256
    assert content.decode("utf-8-sig").strip().count("\n") == 25


def test_an_export_whose_task_was_lost_is_queued_again_by_the_worker(queued_export, tmp_path):
    export = queued_export
    DBTaskResult.objects.all().delete()  # the queue table emptied (or a crash before the enqueue)
    Export.objects.filter(pk=export.pk).update(created_at=timezone.now() - timedelta(seconds=10))

    worker = subprocess.Popen(WORKER, cwd=BASE_DIR, env=worker_environment(tmp_path))
    try:
        wait_for(
            lambda: Export.objects.get(pk=export.pk).status == ExportStatus.COMPLETED,
            timeout=90,
            what="the lost export to be queued again and completed",
        )
    finally:
        stop(worker)

    export.refresh_from_db()
    assert export.requeued_at is not None
    assert export.attempts == 1
    assert export.rows_written == 25


def test_three_workers_run_thirty_exports_each_exactly_once(transactional_db, tmp_path):
    LeadFactory.create_batch(40, status="new")
    user = UserFactory(permissions=["leads.view_lead", "exports.export_leads"])
    with override_settings(TASKS=DATABASE_TASKS):
        exports = []
        for number in range(30):
            export = export_create(
                request=ExportRequest(user=user, filters={"status": "new", "limit": number + 1}, format="csv")
            )
            export_enqueue(export=export)
            exports.append(export)

    environment = worker_environment(tmp_path)
    workers = [subprocess.Popen(WORKER, cwd=BASE_DIR, env=environment) for _ in range(3)]
    try:
        wait_for(
            lambda: not Export.objects.filter(status__in=[ExportStatus.PENDING, ExportStatus.RUNNING]).exists(),
            timeout=180,
            what="the workers to finish thirty exports",
        )
    finally:
        for worker in workers:
            stop(worker)

    claimed_by = set()
    for number, export in enumerate(exports):
        export.refresh_from_db()
        assert export.status == ExportStatus.COMPLETED, export.error_message
        assert export.attempts == 1  # claimed once: never written twice
        assert export.rows_written == number + 1
        tasks = DBTaskResult.objects.filter(pk=export.task_id)
        assert [task.status for task in tasks] == ["SUCCESSFUL"]
        assert DBTaskResult.objects.filter(args_kwargs__args=[str(export.pk)]).count() == 1
        download = export_open_download(export=export, user=user)
        with download.file:
            content = download.file.read()
        assert hashlib.sha256(content).hexdigest() == export.checksum_sha256
        assert content.decode("utf-8-sig").strip().count("\n") == number + 1
        claimed_by.add(export.worker_id)
    assert len(claimed_by) >= 2, "one worker did everything: the others never claimed a task"
