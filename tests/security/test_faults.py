"""Faults injected into real exports, checked end to end: the record, the download view, the API, the neighbours.

tests/exports/services/ proves each failure path of the lifecycle with a fake writer. Here the real
writers and storage run, the fault hits them mid-file, and every case is checked the same way:

- the record ends in the right state with a clear message;
- no partial file is served (the download view and the API refuse it; nothing is left in storage or
  in the temporary folder);
- other exports are untouched (a finished export still downloads byte for byte);
- a re-run through the history's button produces a complete file (read back with the real reader).

Faults: the writer failing after N rows (every format), ENOSPC while writing and while storing, the
database connection dropped mid-export and at the final save (PostgreSQL: a real backend terminated),
the worker killed mid-export (a real `db_worker` process, SIGKILL), the same task delivered twice
(one after the other, and at the same moment), cleanup and stale detection racing a running export,
a completed record whose file was deleted behind its back.
"""

import csv
import errno
import hashlib
import io
import json
import signal
import subprocess
import sys
import threading
import time
import zipfile

import openpyxl
import psycopg
import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from exports import conf
from exports.formats import base, pg_copy
from exports.models import Export, ExportStatus
from exports.services import (
    ExportRequest,
    export_create,
    export_enqueue,
    export_run,
    export_start,
    exports_cleanup,
    exports_fail_stale,
    running,
)
from exports.services.cleanup import STALE_MESSAGE
from exports.services.downloads import MISSING_FILE_MESSAGE
from exports.storage import export_storage
from exports.tasks import run_export
from leads.selectors import lead_list
from tests.exports.factories import UserFactory
from tests.factories import LeadFactory
from tests.security.figures import figure_add
from tests.security.matrix import body

ROWS = 12
FILTERS = {"status": ["new"]}
ON_POSTGRES = connection.vendor == "postgresql"
pytestmark = pytest.mark.usefixtures("deadline")  # a hung export fails its test instead of the whole run
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="needs PostgreSQL: a second connection or process must share the test database"
)


@pytest.fixture
def exporter(db):
    return UserFactory(username="faulty", permissions=["leads.view_lead", "exports.export_leads"])


@pytest.fixture
def leads(db):
    LeadFactory.create_batch(ROWS, status="new")
    LeadFactory.create_batch(3, status="rejected")


@pytest.fixture
def bystander(exporter, leads):
    """A finished export made before the fault: it must come out of it untouched."""
    export = export_start(request=ExportRequest(user=exporter, filters={}, format="csv"))
    assert export.status == ExportStatus.COMPLETED
    with export_storage().open(export.file.name, "rb") as handle:
        content = handle.read()
    return export, content


@pytest.fixture
def progress_every_row(monkeypatch):
    """The writers report progress after every row and the record is updated each time (faults hit mid-file)."""
    monkeypatch.setattr(base, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(pg_copy, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(running, "PROGRESS_INTERVAL_SECONDS", 0)


def wrap_writer(monkeypatch, on_row) -> dict:
    """Run the real writer, calling `on_row(rows, destination)` after each row's progress; returns what it saw."""
    real = running.export_write
    seen = {"rows": 0, "temporary_files": []}

    def write(*, export, destination, on_progress):
        def progress(rows):
            on_progress(rows)
            seen["rows"] = rows
            seen["temporary_files"] = temp_files()
            on_row(rows, destination)

        return real(export=export, destination=destination, on_progress=progress)

    monkeypatch.setattr(running, "export_write", write)
    return seen


def restore_writer(monkeypatch) -> None:
    monkeypatch.undo()


# The four checks ----------------------------------------------------------------------------------


def temp_files() -> list:
    folder = conf.export_directory() / conf.TEMP_DIRECTORY_NAME
    return sorted(folder.iterdir()) if folder.exists() else []


def stored_files() -> set[str]:
    return {str(path) for path in conf.export_directory().rglob("*") if path.is_file() and path.parent.name != "tmp"}


def assert_no_partial_file(export: Export, user, *, status: int = 409) -> None:
    export.refresh_from_db()
    assert not export.file and export.file_size is None and not export.checksum_sha256
    assert not any(str(export.pk) in path for path in stored_files())
    assert temp_files() == []
    client = Client()
    client.force_login(user)
    page = client.get(reverse("exports:download", args=[export.pk]))
    assert page.status_code == status
    assert "attachment" not in page.get("Content-Disposition", "")
    api = client.get(f"/api/v1/export/history/{export.pk}/file")
    assert api.status_code == status
    assert "attachment" not in api.get("Content-Disposition", "")


def assert_untouched(bystander) -> None:
    export, content = bystander
    before = Export.objects.get(pk=export.pk)
    assert before.status == ExportStatus.COMPLETED
    assert before.checksum_sha256 == hashlib.sha256(content).hexdigest()
    client = Client()
    client.force_login(export.created_by)
    response = client.get(reverse("exports:download", args=[export.pk]))
    assert response.status_code == 200 and body(response) == content


def file_ids(format: str, content: bytes) -> list[int]:
    """The lead ids a downloaded file holds, read with the real reader of its format."""
    if format == "csv":
        header, *rows = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
        return [int(row[header.index("ID")]) for row in rows]
    if format == "excel":
        rows = list(openpyxl.load_workbook(io.BytesIO(content), read_only=True)["Leads"].iter_rows(values_only=True))
        return [int(row[rows[0].index("ID")]) for row in rows[1:]]
    if format == "json":
        return [lead["id"] for lead in json.loads(content)["leads"]]
    return file_ids("csv", zipfile.ZipFile(io.BytesIO(content)).read("leads.csv"))


def assert_rerun_completes(export: Export, user) -> Export:
    """The history's Re-run button makes a new export whose file holds exactly the spec's leads."""
    client = Client()
    client.force_login(user)
    response = client.post(reverse("exports:rerun", args=[export.pk]))
    assert response.status_code == 302
    rerun = Export.objects.get(rerun_of=export)
    assert rerun.status == ExportStatus.COMPLETED, rerun.error_message
    download = client.get(reverse("exports:download", args=[rerun.pk]))
    assert download.status_code == 200
    expected = list(lead_list(filters=export.filters).values_list("pk", flat=True))
    assert sorted(file_ids(rerun.format, body(download))) == sorted(expected)
    assert rerun.rows_written == len(expected)
    return rerun


def survived(name: str) -> None:
    figure_add("faults injected and survived", 1)
    figure_add(f"fault: {name}", 1)


# The writer failing after N rows ------------------------------------------------------------------


@pytest.mark.parametrize("format", ["csv", "excel", "json", "zip"])
def test_the_writer_failing_after_n_rows(exporter, leads, bystander, progress_every_row, monkeypatch, format):
    def fail(rows, destination):
        # At row 5, or at the first progress report after it (a writer may report progress in batches).
        if rows >= 5:
            raise ValueError(f"Cannot encode row {rows + 1}\nTraceback detail")

    seen = wrap_writer(monkeypatch, fail)

    export = export_start(request=ExportRequest(user=exporter, filters=FILTERS, format=format))

    assert 5 <= seen["rows"] <= ROWS and seen["temporary_files"]  # a partial file existed when it broke
    assert export.status == ExportStatus.FAILED
    assert export.error_message == f"Cannot encode row {seen['rows'] + 1}"
    assert export.rows_written == seen["rows"]
    assert_no_partial_file(export, exporter)
    assert_untouched(bystander)
    restore_writer(monkeypatch)
    assert_rerun_completes(export, exporter)
    survived(f"writer failing after N rows ({format})")


# Disk full ----------------------------------------------------------------------------------------


def test_disk_full_while_writing(exporter, leads, bystander, progress_every_row, monkeypatch):
    real_temporary = running.tempfile.NamedTemporaryFile

    def small_disk(*args, **kwargs):
        handle = real_temporary(*args, **kwargs)
        write = handle.file.write

        def limited(data):
            if handle.file.tell() + len(data) > 600:
                raise OSError(errno.ENOSPC, "No space left on device")
            return write(data)

        handle.write = limited
        return handle

    monkeypatch.setattr(running.tempfile, "NamedTemporaryFile", small_disk)

    export = export_start(request=ExportRequest(user=exporter, filters=FILTERS, format="csv"))

    assert export.status == ExportStatus.FAILED
    assert export.error_message == "Disk full while writing the file."
    assert_no_partial_file(export, exporter)
    assert_untouched(bystander)
    restore_writer(monkeypatch)
    assert_rerun_completes(export, exporter)
    survived("ENOSPC while writing")


def test_disk_full_while_storing(exporter, leads, bystander, monkeypatch):
    def full(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full)

    export = export_start(request=ExportRequest(user=exporter, filters=FILTERS, format="excel"))

    assert export.status == ExportStatus.FAILED
    assert export.error_message == "Disk full while writing the file."
    assert_no_partial_file(export, exporter)
    restore_writer(monkeypatch)
    assert_untouched(bystander)
    assert_rerun_completes(export, exporter)
    survived("ENOSPC while storing")


# The database connection dropped (PostgreSQL: the backend is terminated from another connection) -------


def terminate_django_connection() -> None:
    pid = connection.connection.info.backend_pid
    database = connection.settings_dict
    with psycopg.connect(
        dbname=database["NAME"],
        user=database["USER"],
        password=database["PASSWORD"] or None,
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        autocommit=True,
    ) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]


@needs_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("moment", ["mid-export", "at the final save"])
def test_the_database_connection_dropping(exporter, leads, bystander, progress_every_row, monkeypatch, moment):
    dropped = []
    if moment == "mid-export":

        def drop(rows, destination):
            if rows == 4 or (rows == ROWS and not dropped):
                dropped.append(rows)
                terminate_django_connection()

        wrap_writer(monkeypatch, drop)
    else:
        real_name = running.export_file_name

        def name_then_drop(*, export):
            terminate_django_connection()
            return real_name(export=export)

        monkeypatch.setattr(running, "export_file_name", name_then_drop)

    export = export_start(request=ExportRequest(user=exporter, filters=FILTERS, format="excel"))

    assert export.status == ExportStatus.FAILED  # recorded on a fresh connection
    assert export.error_message == "Database connection lost while writing the file."
    assert_no_partial_file(export, exporter)
    assert_untouched(bystander)
    restore_writer(monkeypatch)
    assert_rerun_completes(export, exporter)
    survived(f"database connection dropped {moment}")


# The worker killed mid-export: a real `manage.py db_worker` process, SIGKILL ---------------------------


@needs_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("deadline", [90], indirect=True)
def test_the_worker_killed_mid_export(exporter, leads, bystander, tmp_path):
    from tests.exports.test_worker import SLOW_WORKER, stop, wait_for, worker_environment

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}):
        export = export_create(request=ExportRequest(user=exporter, filters=FILTERS, format="csv"))
        export_enqueue(export=export)
    worker = subprocess.Popen(
        [sys.executable, "-c", SLOW_WORKER], cwd=str(settings.BASE_DIR), env=worker_environment(tmp_path)
    )
    try:
        wait_for(
            lambda: Export.objects.filter(pk=export.pk, status=ExportStatus.RUNNING, rows_written__gte=2).exists(),
            what="the worker to be writing the export",
            timeout=30,
        )
        # While it runs, the half-written file is nobody's to download.
        client = Client()
        client.force_login(exporter)
        assert client.get(reverse("exports:download", args=[export.pk])).status_code == 409
    finally:
        stop(worker, signal.SIGKILL)

    time.sleep(1.1)
    assert exports_fail_stale(timeout_seconds=1) == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert export.error_message == STALE_MESSAGE
    # The dead worker's temporary file is left for cleanup; it is never attached to the record.
    leftovers = temp_files()
    assert len(leftovers) == 1
    leftovers[0].unlink()
    assert_no_partial_file(export, exporter)
    assert_untouched(bystander)
    assert_rerun_completes(export, exporter)
    survived("worker killed mid-export (SIGKILL)")


# The same task delivered twice ---------------------------------------------------------------------


def test_the_same_task_delivered_twice(exporter, leads, bystander):
    export = export_create(request=ExportRequest(user=exporter, filters=FILTERS, format="csv"))

    first = run_export.enqueue(str(export.pk))
    export.refresh_from_db()
    stored, finished = export.file.name, export.finished_at
    second = run_export.enqueue(str(export.pk))

    assert first.return_value == second.return_value == ExportStatus.COMPLETED
    export.refresh_from_db()
    assert (export.file.name, export.finished_at) == (stored, finished)
    assert len([path for path in stored_files() if str(export.pk) in path]) == 1
    client = Client()
    client.force_login(exporter)
    download = client.get(reverse("exports:download", args=[export.pk]))
    assert sorted(file_ids("csv", body(download))) == sorted(lead_list(filters=FILTERS).values_list("pk", flat=True))
    assert temp_files() == []
    assert_untouched(bystander)
    survived("same task delivered twice (in turn)")


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_task_delivered_twice_at_the_same_moment(exporter, leads, bystander, monkeypatch):
    export = export_create(request=ExportRequest(user=exporter, filters=FILTERS, format="csv"))
    real = running.export_write
    calls = []
    barrier = threading.Barrier(2)

    def counting(**kwargs):
        calls.append(threading.get_ident())
        return real(**kwargs)

    monkeypatch.setattr(running, "export_write", counting)
    results = []

    def deliver():
        try:
            barrier.wait(timeout=10)
            results.append(export_run(export_id=export.pk).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(calls) == 1  # one claim won; the other delivery was a no-op
    assert len(results) == 2
    export.refresh_from_db()
    assert export.status == ExportStatus.COMPLETED
    assert len([path for path in stored_files() if str(export.pk) in path]) == 1
    assert temp_files() == []
    assert_untouched(bystander)
    survived("same task delivered twice (at once)")


# Cleanup and stale detection racing a running export -------------------------------------------------


def test_cleanup_racing_a_running_export(exporter, leads, bystander, progress_every_row, monkeypatch):
    pending = export_create(request=ExportRequest(user=exporter, filters=FILTERS, format="json"))
    results = []

    def clean(rows, destination):
        if not results:
            results.append(exports_cleanup(days=0))  # everything finished before now is old enough

    wrap_writer(monkeypatch, clean)

    export = export_start(request=ExportRequest(user=exporter, filters=FILTERS, format="csv"))

    # The running export was left alone and finished with a complete file.
    assert export.status == ExportStatus.COMPLETED, export.error_message
    client = Client()
    client.force_login(exporter)
    download = client.get(reverse("exports:download", args=[export.pk]))
    assert sorted(file_ids("csv", body(download))) == sorted(lead_list(filters=FILTERS).values_list("pk", flat=True))
    assert results[0].temp_files_removed == 0  # its temporary file was not taken for a stray one
    # Cleanup did its own job on finished exports only; the pending one is untouched.
    assert results[0].records_expired == 1
    assert Export.objects.get(pk=bystander[0].pk).status == ExportStatus.EXPIRED
    assert Export.objects.get(pk=pending.pk).status == ExportStatus.PENDING
    assert temp_files() == []
    survived("cleanup racing a running export")


def test_stale_detection_racing_a_live_export(exporter, leads, bystander, progress_every_row, monkeypatch):
    failed = []

    def misfire(rows, destination):
        if not failed:
            failed.append(exports_fail_stale(timeout_seconds=0))  # a too-short timeout takes it for dead

    wrap_writer(monkeypatch, misfire)

    export = export_start(request=ExportRequest(user=exporter, filters=FILTERS, format="csv"))

    assert failed == [1]
    # The writer noticed at its next progress report and stopped: the record keeps the stale verdict.
    assert export.status == ExportStatus.FAILED
    assert export.error_message == STALE_MESSAGE
    assert_no_partial_file(export, exporter)
    assert_untouched(bystander)
    restore_writer(monkeypatch)
    assert_rerun_completes(export, exporter)
    survived("stale detection racing a live export")


def test_cleanup_while_a_download_is_being_served(exporter, leads, bystander):
    export, content = bystander
    client = Client()
    client.force_login(exporter)
    response = client.get(reverse("exports:download", args=[export.pk]))  # the file is open, not yet sent

    result = exports_cleanup(days=0)

    assert result.files_deleted == 1
    assert body(response) == content  # the download in flight completes with the whole file
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 410
    assert_rerun_completes(export, exporter)
    survived("cleanup while a download is served")


# A completed record whose file was deleted behind its back --------------------------------------------


def test_a_completed_export_whose_file_was_deleted(exporter, leads, bystander):
    export = export_start(request=ExportRequest(user=exporter, filters=FILTERS, format="excel"))
    assert export.status == ExportStatus.COMPLETED
    export_storage().delete(export.file.name)

    client = Client()
    client.force_login(exporter)
    page = client.get(reverse("exports:download", args=[export.pk]))

    assert page.status_code == 410
    assert "no longer available" in page.content.decode()
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED
    assert export.error_message == MISSING_FILE_MESSAGE
    api = client.get(f"/api/v1/export/history/{export.pk}/file")
    assert api.status_code == 410
    assert "attachment" not in api.get("Content-Disposition", "")
    assert temp_files() == []
    assert_untouched(bystander)
    assert_rerun_completes(export, exporter)
    survived("completed record whose file was deleted")
