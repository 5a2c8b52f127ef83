import csv
import errno
import hashlib
import io
import logging

import pytest
from django.db import OperationalError

from exports import conf
from exports.models import Export, ExportStatus
from exports.services import ExportRequest, export_cancel, export_create, export_run, running
from exports.storage import export_storage
from tests.exports.services.fakes import FakeWriter, install


def stored_bytes(export: Export) -> bytes:
    with export_storage().open(export.file.name, "rb") as handle:
        return handle.read()


def temp_files() -> list:
    folder = conf.export_directory() / conf.TEMP_DIRECTORY_NAME
    return list(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def export(exporter, leads):
    return export_create(request=ExportRequest(user=exporter, filters={"status": "new"}, format="csv"))


def test_run_writes_the_file_through_storage_and_completes(export, leads, fake_writer):
    result = export_run(export_id=export.pk)

    assert result.status == ExportStatus.COMPLETED
    content = stored_bytes(result)
    assert sorted(content.split()) == sorted(str(lead.pk).encode() for lead in leads[:2])
    assert result.rows_written == 2
    assert result.progress == 100
    assert result.file_size == len(content)
    assert result.checksum_sha256 == hashlib.sha256(content).hexdigest()
    assert result.started_at <= result.finished_at
    assert result.file_name.endswith(".csv")
    assert result.file.name.endswith(result.file_name)
    assert temp_files() == []


def test_run_with_the_real_writer_holds_the_selected_leads(export, leads):
    result = export_run(export_id=export.pk)

    assert result.status == ExportStatus.COMPLETED, result.error_message
    text = stored_bytes(result).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + 2  # header and the two "new" leads
    assert {lead.title for lead in leads[:2]} <= {cell for row in rows for cell in row}


def test_a_second_delivery_is_a_no_op(export, fake_writer):
    first = export_run(export_id=export.pk)
    second = export_run(export_id=export.pk)

    assert fake_writer.calls == 1
    assert second.status == ExportStatus.COMPLETED
    assert (second.file.name, second.finished_at) == (first.file.name, first.finished_at)


def test_an_unknown_id_returns_none(db):
    assert export_run(export_id="0b0b8a62-4c8b-4f44-9a0e-1b4f1c1c1c1c") is None


def test_writer_error_after_some_rows_fails_without_a_file(export, monkeypatch):
    install(monkeypatch, FakeWriter(fail_after=1, error=ValueError("Bad value in row 2\nmore detail")))

    result = export_run(export_id=export.pk)

    assert result.status == ExportStatus.FAILED
    assert result.error_message == "Bad value in row 2"
    assert not result.file and result.file_size is None and not result.checksum_sha256
    assert result.rows_written == 1
    assert result.finished_at is not None
    assert temp_files() == []
    assert not any(path.is_file() for path in conf.export_directory().rglob("*"))


def test_disk_full_has_a_short_message(export, monkeypatch):
    install(monkeypatch, FakeWriter(fail_after=1, error=OSError(errno.ENOSPC, "No space left on device")))

    result = export_run(export_id=export.pk)

    assert result.status == ExportStatus.FAILED
    assert result.error_message == "Disk full while writing the file."
    assert temp_files() == []


def test_database_lost_mid_export_has_a_short_message(export, monkeypatch):
    install(monkeypatch, FakeWriter(fail_after=1, error=OperationalError("server closed the connection")))

    result = export_run(export_id=export.pk)

    assert result.status == ExportStatus.FAILED
    assert result.error_message == "Database connection lost while writing the file."


def test_failure_is_logged_with_context(export, monkeypatch, caplog):
    install(monkeypatch, FakeWriter(fail_after=1))

    with caplog.at_level(logging.ERROR, logger="exports.services"):
        export_run(export_id=export.pk)

    record = next(r for r in caplog.records if r.getMessage().startswith("export failed"))
    message = record.getMessage()
    assert f"export_id={export.pk}" in message and "user=staff" in message and "rows=1" in message
    assert "seconds=" in message
    assert record.exc_info is not None


def test_failure_leaves_older_exports_intact(exporter, leads, monkeypatch):
    install(monkeypatch, FakeWriter())
    good = export_run(export_id=export_create(request=ExportRequest(user=exporter, filters={}, format="csv")).pk)
    install(monkeypatch, FakeWriter(fail_after=1))

    export_run(export_id=export_create(request=ExportRequest(user=exporter, filters={}, format="csv")).pk)

    good.refresh_from_db()
    assert good.status == ExportStatus.COMPLETED
    assert stored_bytes(good).count(b"\n") == 3


def test_a_stopped_worker_marks_the_export_failed_and_stops(export, monkeypatch):
    install(monkeypatch, FakeWriter(fail_after=1, error=KeyboardInterrupt()))

    with pytest.raises(KeyboardInterrupt):
        export_run(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert export.error_message == running.STOPPED_MESSAGE
    assert temp_files() == []


def test_progress_and_heartbeat_are_recorded_while_writing(export, monkeypatch):
    monkeypatch.setattr(running, "PROGRESS_INTERVAL_SECONDS", 0)
    seen = []

    def look(rows):
        record = Export.objects.get(pk=export.pk)
        seen.append((record.status, record.rows_written, record.progress, record.heartbeat_at))

    install(monkeypatch, FakeWriter(on_row=look))
    export_run(export_id=export.pk)

    assert [(status, rows, progress) for status, rows, progress, _ in seen] == [
        (ExportStatus.RUNNING, 1, 50),
        (ExportStatus.RUNNING, 2, 99),  # 100 only once the file is saved
    ]
    assert seen[0][3] <= seen[1][3]


def test_progress_updates_are_throttled(export, monkeypatch):
    monkeypatch.setattr(running, "PROGRESS_INTERVAL_SECONDS", 3600)
    seen = []
    install(monkeypatch, FakeWriter(on_row=lambda rows: seen.append(Export.objects.get(pk=export.pk).rows_written)))

    export_run(export_id=export.pk)

    assert seen == [0, 0]


def test_a_progress_hook_sees_every_call(export, fake_writer):
    calls = []

    export_run(export_id=export.pk, on_progress=lambda rows, total: calls.append((rows, total)))

    assert calls == [(1, 2), (2, 2)]


def test_cancelling_a_running_export_stops_the_writer(export, exporter, monkeypatch):
    monkeypatch.setattr(running, "PROGRESS_INTERVAL_SECONDS", 0)

    def cancel_after_first_row(rows):
        if rows == 1:
            export_cancel(export=Export.objects.get(pk=export.pk), user=exporter)

    writer = install(monkeypatch, FakeWriter(on_row=cancel_after_first_row))
    result = export_run(export_id=export.pk)

    assert writer.calls == 1
    assert result.status == ExportStatus.CANCELLED
    assert not result.file
    assert temp_files() == []
    assert not any(path.is_file() for path in conf.export_directory().rglob("*"))


def test_cancelled_while_saving_discards_the_stored_file(export, exporter, monkeypatch):
    # Progress is throttled away, so only the final check catches the cancellation.
    monkeypatch.setattr(running, "PROGRESS_INTERVAL_SECONDS", 3600)
    real_name = running.export_file_name

    def name_then_cancel(*, export):
        Export.objects.filter(pk=export.pk).update(status=ExportStatus.CANCELLED)
        return real_name(export=export)

    monkeypatch.setattr(running, "export_file_name", name_then_cancel)
    install(monkeypatch, FakeWriter())

    result = export_run(export_id=export.pk)

    assert result.status == ExportStatus.CANCELLED
    assert not any(path.is_file() for path in conf.export_directory().rglob("*"))


def test_refuses_to_write_when_disk_space_is_low(export, fake_writer, monkeypatch, settings):
    settings.EXPORT_MIN_FREE_MB = 500
    monkeypatch.setattr(running.shutil, "disk_usage", lambda path: type("Usage", (), {"free": 10 * 2**20})())

    result = export_run(export_id=export.pk)

    assert result.status == ExportStatus.FAILED
    assert result.error_message == (
        "Not enough free disk space to write the export: 10 MB free, at least 500 MB needed (EXPORT_MIN_FREE_MB)."
    )
    assert fake_writer.calls == 0


def test_free_space_guard_is_off_at_zero(export, fake_writer, monkeypatch, settings):
    settings.EXPORT_MIN_FREE_MB = 0
    monkeypatch.setattr(running.shutil, "disk_usage", lambda path: pytest.fail("disk usage was checked"))

    assert export_run(export_id=export.pk).status == ExportStatus.COMPLETED


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (OSError(errno.EDQUOT, "Quota"), "Disk full while writing the file."),
        (RuntimeError(""), "Unexpected error (RuntimeError)."),
        (RuntimeError("x" * 1000), "x" * 299 + "…"),
    ],
)
def test_failure_message(error, message):
    assert running.failure_message(error) == message


# Claims, attempts and recovery (the operations app relies on these) ---------------------------------


def test_a_claim_records_the_worker_and_counts_the_attempt(export, fake_writer):
    result = export_run(export_id=export.pk, worker_id="worker-7")

    assert (result.worker_id, result.attempts) == ("worker-7", 1)


def test_a_writer_stops_when_its_export_was_handed_to_another_attempt(export, monkeypatch):
    def hand_over(rows):
        # What recovery and a second worker do while this writer still runs: a new claim.
        Export.objects.filter(pk=export.pk).update(attempts=2, worker_id="worker-2")

    monkeypatch.setattr(running, "PROGRESS_INTERVAL_SECONDS", 0)
    install(monkeypatch, FakeWriter(on_row=hand_over))

    result = export_run(export_id=export.pk, worker_id="worker-1")

    assert result.status == ExportStatus.RUNNING  # left to the new attempt, not completed by the old one
    assert (result.worker_id, result.file.name) == ("worker-2", "")
    assert temp_files() == []


def test_the_temporary_file_is_named_after_the_export_so_recovery_can_remove_it(export, monkeypatch):
    seen = []

    def look(rows):
        seen.extend(path.name for path in temp_files())

    install(monkeypatch, FakeWriter(on_row=look))
    export_run(export_id=export.pk)

    assert seen and all(name.startswith(f"export-{export.pk}-") and name.endswith(".part") for name in seen)


def test_export_temp_files_remove_removes_only_that_exports_files(export):
    folder = conf.temp_directory()
    mine = folder / f"export-{export.pk}-a1.part"
    other = folder / "export-00000000-0000-0000-0000-000000000000-b2.part"
    mine.write_bytes(b"x")
    other.write_bytes(b"y")

    assert running.export_temp_files_remove(export_id=export.pk) == 1
    assert not mine.exists() and other.exists()
