"""The export worker's processes get EXPORT_STATEMENT_TIMEOUT, longer than a web request's (PostgreSQL)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's"),
]

BASE_DIR = Path(__file__).resolve().parents[2]
SHOW = (
    "import sys; sys.argv = ['manage.py', {command!r}]; import django; django.setup(); "
    "from django.db import connection; cursor = connection.cursor(); "
    "cursor.execute('SHOW statement_timeout'); print(cursor.fetchone()[0])"
)


def statement_timeout_in(command: str, **env: str) -> str:
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{host}/{db['NAME']}"
    result = subprocess.run(
        [sys.executable, "-c", SHOW.format(command=command)],
        cwd=BASE_DIR,
        env={**os.environ, "DATABASE_URL": url, "ENV_FILE": os.devnull, "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("command", ["db_worker", "run_scheduled_exports", "export_leads"])
def test_worker_commands_run_with_the_export_limit(command):
    assert statement_timeout_in(command, EXPORT_STATEMENT_TIMEOUT="900") == "15min"


def test_the_export_limit_can_be_off_and_other_commands_do_not_get_it():
    assert statement_timeout_in("db_worker", EXPORT_STATEMENT_TIMEOUT="0") == "0"
    # Web processes get DB_STATEMENT_TIMEOUT per request (test_statement_timeout.py), not at connect time.
    assert statement_timeout_in("runserver", EXPORT_STATEMENT_TIMEOUT="900") == "0"
