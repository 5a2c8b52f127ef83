"""The background path with a real `manage.py db_worker` process, on PostgreSQL.

The worker is a separate process, so it needs a database both processes share: pytest-django's
PostgreSQL test database, reached through DATABASE_URL. Data is committed (transactional_db).
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from exports import conf
from exports.models import Export, ExportStatus
from exports.services import (
    ExportRequest,
    export_create,
    export_enqueue,
    export_open_download,
    export_rerun,
    exports_cleanup,
    exports_fail_stale,
)
from exports.services.cleanup import STALE_MESSAGE
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
    user = UserFactory(permissions=["exports.export_leads"])
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


def test_a_worker_killed_mid_export_is_detected_and_the_export_rerun(queued_export, tmp_path):
    export = queued_export
    worker = subprocess.Popen([sys.executable, "-c", SLOW_WORKER], cwd=BASE_DIR, env=worker_environment(tmp_path))
    try:
        wait_for(
            lambda: Export.objects.filter(pk=export.pk, status=ExportStatus.RUNNING, rows_written__gte=2).exists(),
            what="the export to be running",
        )
    finally:
        stop(worker, signal.SIGKILL)  # a hard crash: no chance to record anything

    export.refresh_from_db()
    assert export.status == ExportStatus.RUNNING  # nobody is left to say otherwise
    leftovers = list((conf.export_directory() / conf.TEMP_DIRECTORY_NAME).iterdir())
    assert len(leftovers) == 1

    time.sleep(1.1)
    assert exports_fail_stale(timeout_seconds=1) == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert export.error_message == STALE_MESSAGE

    rerun = export_rerun(export=export, user=export.created_by)  # 25 rows: runs at once, real writer
    assert rerun.status == ExportStatus.COMPLETED, rerun.error_message
    assert rerun.rows_written == 25

    old = time.time() - 7200
    os.utime(leftovers[0], (old, old))
    assert exports_cleanup(days=30).temp_files_removed == 1
    assert not leftovers[0].exists()
