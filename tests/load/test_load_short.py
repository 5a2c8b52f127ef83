"""The load test's short form for CI: bench/load_test.py, 4 users for 12 s on 2,000 leads.

The same script as the full run (see its docstring), as a subprocess: gunicorn on 127.0.0.1, the
export worker, PostgreSQL. It gets a database of its own, named after the test database with a
"_load" suffix, created and dropped here. The script runs in a process group of its own, which is
killed when the test ends, so no server or worker outlives the test, whatever went wrong.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings

DATABASE = settings.DATABASES["default"]
BASE_DIR = Path(settings.BASE_DIR)
SCRIPT = BASE_DIR / "bench" / "load_test.py"
USERS, SECONDS, LEADS = 4, 12, 2_000
# Start-up (migrate, seed, collectstatic, gunicorn) plus the run plus the exports still running.
TIME_LIMIT = 180

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif("postgresql" not in DATABASE["ENGINE"], reason="the load test runs on PostgreSQL"),
]


def load_database_name() -> str:
    name = DATABASE["NAME"]
    test_name = name if name.startswith("test_") else f"test_{name}"
    return f"{test_name}_load"[:63]  # PostgreSQL's limit on names


def maintenance_connection() -> psycopg.Connection:
    return psycopg.connect(
        dbname="postgres",
        host=DATABASE["HOST"] or "127.0.0.1",
        port=DATABASE["PORT"] or 5432,
        user=DATABASE["USER"],
        password=DATABASE["PASSWORD"] or None,
        autocommit=True,
        connect_timeout=10,
    )


def drop_database(name: str) -> None:
    with maintenance_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def load_database_url():
    """A fresh, empty database for the run (the script migrates and seeds it), dropped afterwards."""
    name = load_database_name()
    drop_database(name)  # left over by a run that was killed
    with maintenance_connection() as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    credentials = quote(DATABASE["USER"] or "", safe="")
    if DATABASE["PASSWORD"]:
        credentials += ":" + quote(DATABASE["PASSWORD"], safe="")
    host, port = DATABASE["HOST"] or "127.0.0.1", DATABASE["PORT"] or 5432
    try:
        yield f"postgres://{credentials}@{host}:{port}/{name}"
    finally:
        drop_database(name)


def stop_process_group(process: subprocess.Popen) -> None:
    """End the script and everything it started (gunicorn, its workers, db_worker): one group, by id."""
    for sig, grace in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break  # the group is empty: everything has exited
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
    process.wait(timeout=5)


def test_short_load_holds_with_no_errors_and_exact_exports(load_database_url, tmp_path, capsys):
    report = tmp_path / "load.json"
    command = [
        sys.executable,
        str(SCRIPT),
        f"--users={USERS}",
        f"--seconds={SECONDS}",
        f"--leads={LEADS}",
        "--workers=3",
        "--export-timeout=60",
        f"--json={report}",
    ]
    env = {**os.environ, "DATABASE_URL": load_database_url}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the script runs with production settings, not the test ones
    process = subprocess.Popen(
        command,
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        stop_process_group(process)
        output, _ = process.communicate()  # what it printed before it was stopped
        pytest.fail(f"The load test did not finish within {TIME_LIMIT} s:\n{output}")
    finally:
        stop_process_group(process)

    assert process.returncode == 0, output
    summary = json.loads(report.read_text())
    assert summary["errors"] == [], output
    assert summary["export_problems"] == [], output
    assert summary["exports_created"] >= USERS  # every user exports once at the start
    assert summary["exports_verified"] == summary["exports_created"], output
    for kind in ("login", "changelist", "dashboard", "export_create", "export_status", "export_download"):
        assert summary["kinds"].get(kind, {}).get("requests", 0) > 0, f"no {kind} requests:\n{output}"
    with capsys.disabled():
        changelist, dashboard = summary["kinds"]["changelist"], summary["kinds"]["dashboard"]
        print(
            f"\nload: {summary['users']} users, {summary['requests']} requests in {summary['elapsed_seconds']} s "
            f"({summary['requests_per_second']} req/s), changelist p95 {changelist['p95_ms']} ms, dashboard p95 "
            f"{dashboard['p95_ms']} ms, {len(summary['errors'])} errors, "
            f"{summary['exports_verified']}/{summary['exports_created']} exports verified"
        )
