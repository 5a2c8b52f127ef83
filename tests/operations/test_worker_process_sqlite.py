"""A real `manage.py db_worker` on the embedded SQLite default, while another process holds the write lock.

The worker is a separate process on a SQLite file of its own (not the suite's test database):
migrated, filled and inspected through `manage.py` and the sqlite3 module, as `scripts/run` runs it.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

CREATE_EXPORT = """
from django.contrib.auth.models import Permission
from exports.services import ExportRequest, export_create, export_enqueue
from leads.models import Lead
from tests.factories import LeadFactory
from tests.exports.factories import UserFactory
if not Lead.objects.exists():
    LeadFactory.create_batch(12, status="new")
user = UserFactory(username="exporter", permissions=["leads.view_lead", "exports.export_leads"])
export = export_create(request=ExportRequest(user=user, filters={"status": "new"}, format="csv"))
export_enqueue(export=export)
print(export.pk)
"""


class Site:
    """One SQLite site in a temporary folder, with the worker's environment."""

    def __init__(self, tmp_path: Path, **overrides: str):
        self.data = tmp_path / "site"
        self.database = self.data / "leadsite.sqlite3"
        self.log = self.data / "logs" / "leadsite.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "leadsite.settings",
            "ENV_FILE": os.devnull,
            "DEBUG": "false",
            "SECRET_KEY": "sqlite-worker-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DATA_DIR": str(self.data),
            "EXPORT_DIRECTORY": str(self.data / "exports"),
            "EXPORT_MIN_FREE_MB": "1",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "CACHE_BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "SQLITE_TIMEOUT": "1",
            "WORKER_HEARTBEAT_SECONDS": "1",
            "LOG_LEVEL": "INFO",
            **overrides,
        }
        self.env.pop("DATABASE_URL", None)

    def manage(self, *args: str, timeout: float = 240) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=self.env, capture_output=True, text=True,
            timeout=timeout, check=False,
        )  # fmt: skip

    def create_export(self) -> str:
        result = self.manage("shell", "-c", CREATE_EXPORT)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1].replace("-", "")

    def start_worker(self, *, reload: bool) -> subprocess.Popen:
        command = ["db_worker", "--reload" if reload else "--no-reload", "--no-startup-delay", "--interval", "0.2"]
        return subprocess.Popen(
            [sys.executable, "manage.py", *command],
            cwd=BASE_DIR, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True,  # so the test can stop the reloader and its child together
        )  # fmt: skip

    def query(self, sql: str, *params):
        with sqlite3.connect(self.database, timeout=30) as db:
            return db.execute(sql, params).fetchall()

    def export_status(self, export_id: str) -> str | None:
        rows = self.query("SELECT status FROM exports_export WHERE replace(id, '-', '') = ?", export_id)
        return rows[0][0] if rows else None

    def hold_write_lock(self, seconds: float) -> None:
        """What a long seed_demo load does: one writer keeps the database for longer than the busy timeout."""
        db = sqlite3.connect(self.database, timeout=30, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("UPDATE django_session SET expire_date = expire_date")
            time.sleep(seconds)
            db.execute("COMMIT")
        finally:
            db.close()


def wait_for(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"Timed out waiting for {what}.")


def stop(process: subprocess.Popen) -> tuple[str, str]:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        return process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.communicate()


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory) -> Path:
    """Migrating takes a while: once per module, copied for each test."""
    site = Site(tmp_path_factory.mktemp("template"))
    result = site.manage("migrate", "--no-input")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(site.database) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return site.database


@pytest.fixture
def site(tmp_path, migrated_database, request) -> Site:
    site = Site(tmp_path, **getattr(request, "param", {}))
    site.database.parent.mkdir(parents=True)
    site.database.write_bytes(migrated_database.read_bytes())
    return site


def worker_seen(site: Site) -> bool:
    return bool(site.query("SELECT 1 FROM operations_workerheartbeat WHERE stopped_at IS NULL"))


@pytest.mark.parametrize("reload", [False, True], ids=["no-reload", "autoreloader"])
def test_the_worker_survives_a_write_lock_longer_than_the_timeout(site, reload):
    worker = site.start_worker(reload=reload)
    try:
        wait_for(lambda: worker_seen(site), timeout=90, what="the worker's first heartbeat")
        site.hold_write_lock(6)  # six times SQLITE_TIMEOUT

        assert worker.poll() is None, "the worker exited while the database was locked"
        assert "database error" in site.log.read_text(), "the worker never met the lock"
        export_id = site.create_export()
        wait_for(lambda: site.export_status(export_id) == "completed", timeout=90, what="the export to complete")
        assert worker.poll() is None
    finally:
        stop(worker)


@pytest.mark.parametrize("site", [{"WORKER_DB_RETRY_SECONDS": "2"}], indirect=True)
@pytest.mark.parametrize("reload", [False, True], ids=["no-reload", "autoreloader"])
def test_a_worker_that_cannot_recover_exits_non_zero(site, reload):
    worker = site.start_worker(reload=reload)
    try:
        wait_for(lambda: worker_seen(site), timeout=90, what="the worker's first heartbeat")
        site.hold_write_lock(8)  # longer than WORKER_DB_RETRY_SECONDS plus the busy timeout
        code = worker.wait(timeout=30)
    finally:
        _, stderr = stop(worker)

    assert code == 1
    assert "exiting so that it is restarted" in stderr
