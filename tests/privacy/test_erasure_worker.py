"""Erasure while a real `manage.py db_worker` writes an export of the person's lead, on PostgreSQL.

The worker is a separate process sharing pytest-django's PostgreSQL test database (committed data,
transactional_db), as in tests/exports/test_worker.py. Its writer is the real one, held back once the
rows are in the file (a marker file says so), so the erasure lands while the export is running.
"""

import subprocess
import sys

import pytest
from django.db import connection
from django.test import override_settings

from exports.models import Export, ExportStatus
from exports.services import ExportRequest, export_create, export_enqueue
from exports.storage import export_storage
from leads.erasure import person_erase
from tests.exports.factories import UserFactory
from tests.exports.test_worker import BASE_DIR, DATABASE_TASKS, stop, wait_for, worker_environment
from tests.factories import LeadFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker shares a PostgreSQL database"),
]

MANAGER = ["leads.view_lead", "exports.export_leads", "exports.view_contact_info", "exports.view_all_exports"]

# The real worker and writer; after writing each file's rows it leaves a marker and waits a little.
HELD_WORKER = """
import sys, time
from pathlib import Path
import django
django.setup()
from django.core.management import call_command
from exports.services import running

written = running.export_write

def write_then_wait(**kwargs):
    rows = written(**kwargs)
    marker = Path(sys.argv[1])
    marker.write_text(marker.read_text() + "written\\n" if marker.exists() else "written\\n")
    time.sleep(3)
    return rows

running.export_write = write_then_wait
running.PROGRESS_INTERVAL_SECONDS = 0
call_command("db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1")
"""


def test_an_export_running_when_the_person_is_erased_keeps_no_file_with_their_data(transactional_db, tmp_path):
    LeadFactory(email="jo@example.com", phone="", contact_name="Jo Smith", description="Write to jo@example.com")
    LeadFactory(email="pat@example.com", phone="", contact_name="Pat", description="Pat's sofa")
    manager = UserFactory(username="manager", permissions=MANAGER)
    columns = ["id", "email", "contact_name", "description"]
    marker = tmp_path / "written"
    with override_settings(TASKS=DATABASE_TASKS):
        export = export_create(
            request=ExportRequest(user=manager, format="csv", columns=columns, include_contact_info=True)
        )
        export_enqueue(export=export)  # autocommit: the task row is written now
        worker = subprocess.Popen(
            [sys.executable, "-c", HELD_WORKER, str(marker)], cwd=BASE_DIR, env=worker_environment(tmp_path)
        )
        try:
            wait_for(marker.exists, what="the worker to write the person's lead into the file")
            assert Export.objects.get(pk=export.pk).status == ExportStatus.RUNNING
            person_erase(email="jo@example.com", user=manager)  # queues the export again, through the database
            wait_for(
                lambda: Export.objects.filter(pk=export.pk, status=ExportStatus.COMPLETED).exists(),
                timeout=90,
                what="the export to complete",
            )
        finally:
            stop(worker)

    export.refresh_from_db()
    assert export.attempts == 2, export.error_message  # the first file was discarded, the export ran again
    assert marker.read_text().count("written") == 2
    with export_storage().open(export.file.name) as handle:
        content = handle.read().decode("utf-8-sig")
    assert "jo@example.com" not in content and "Jo Smith" not in content
    assert "pat@example.com" in content
