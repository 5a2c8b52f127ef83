import datetime
import os
import time
from pathlib import Path

import pytest
from django.utils import timezone

from exports import conf
from exports.models import ExportStatus
from exports.services import export_rerun, exports_cleanup, exports_fail_stale
from exports.services.cleanup import STALE_MESSAGE
from exports.storage import export_storage
from tests.exports.factories import ExportFactory


def stray_temp_file(name: str, *, age_seconds: float):
    folder = conf.temp_directory()
    path = folder / f"{conf.TEMP_FILE_PREFIX}{name}.part"
    path.write_bytes(b"partial")
    then = time.time() - age_seconds
    os.utime(path, (then, then))
    return path


@pytest.mark.django_db
class TestExportsCleanup:
    def test_old_files_are_deleted_and_records_kept_as_expired(self, settings):
        settings.EXPORT_CLEANUP_DAYS = 30
        old = ExportFactory.aged(days=31, completed=True, file_content=b"12345")
        name = old.file.name

        result = exports_cleanup()

        old.refresh_from_db()
        assert old.status == ExportStatus.EXPIRED
        assert not old.file
        assert (old.file_size, old.checksum_sha256) != (None, "")  # the record still says what it was
        assert not export_storage().exists(name)
        assert not Path(export_storage().path(name)).parent.exists()  # the export's own folder goes too
        assert (result.records_expired, result.files_deleted, result.bytes_freed) == (1, 1, 5)
        assert (result.days, result.dry_run) == (30, False)

    def test_recent_exports_are_kept(self):
        recent = ExportFactory.aged(days=5, completed=True, file_content=b"abc")

        result = exports_cleanup(days=30)

        recent.refresh_from_db()
        assert recent.status == ExportStatus.COMPLETED
        assert export_storage().exists(recent.file.name)
        assert result.records_expired == 0

    def test_old_failed_exports_expire_and_keep_their_message(self):
        failed = ExportFactory.aged(days=40, status=ExportStatus.FAILED, error_message="Disk full while writing.")

        result = exports_cleanup(days=30)

        failed.refresh_from_db()
        assert failed.status == ExportStatus.EXPIRED
        assert failed.error_message == "Disk full while writing."
        assert (result.records_expired, result.files_deleted) == (1, 0)

    def test_pending_and_running_exports_are_never_touched(self):
        pending = ExportFactory.aged(days=90)
        running = ExportFactory.aged(days=90, running=True)
        in_progress = stray_temp_file("being-written", age_seconds=1)  # the running export's file

        result = exports_cleanup(days=1)

        pending.refresh_from_db()
        running.refresh_from_db()
        assert (pending.status, running.status) == (ExportStatus.PENDING, ExportStatus.RUNNING)
        assert in_progress.exists()
        assert result.records_expired == 0

    def test_safe_to_run_twice(self):
        ExportFactory.aged(days=31, completed=True, file_content=b"12345")

        first = exports_cleanup(days=30)
        second = exports_cleanup(days=30)

        assert first.records_expired == 1
        assert (second.records_expired, second.files_deleted, second.bytes_freed) == (0, 0, 0)

    def test_dry_run_reports_and_changes_nothing(self):
        old = ExportFactory.aged(days=31, completed=True, file_content=b"12345")
        stray = stray_temp_file("old", age_seconds=7200)

        result = exports_cleanup(days=30, dry_run=True)

        old.refresh_from_db()
        assert old.status == ExportStatus.COMPLETED
        assert export_storage().exists(old.file.name)
        assert stray.exists()
        assert (result.records_expired, result.files_deleted, result.bytes_freed, result.temp_files_removed) == (
            1,
            1,
            5,
            1,
        )
        assert result.dry_run

    def test_stray_temporary_files_older_than_an_hour_are_removed(self):
        old = stray_temp_file("crashed", age_seconds=2 * 3600)
        fresh = stray_temp_file("writing", age_seconds=60)

        result = exports_cleanup(days=30)

        assert not old.exists()
        assert fresh.exists()
        assert result.temp_files_removed == 1

    def test_a_completed_record_whose_file_is_already_gone_is_expired(self):
        old = ExportFactory.aged(days=31, completed=True, file_content=b"12345")
        export_storage().delete(old.file.name)

        result = exports_cleanup(days=30)

        old.refresh_from_db()
        assert old.status == ExportStatus.EXPIRED
        assert (result.records_expired, result.files_deleted) == (1, 0)


@pytest.mark.django_db
class TestExportsFailStale:
    def _running(self, *, heartbeat_seconds_ago: float | None, started_seconds_ago: float = 3600):
        now = timezone.now()
        return ExportFactory(
            running=True,
            started_at=now - datetime.timedelta(seconds=started_seconds_ago),
            heartbeat_at=None
            if heartbeat_seconds_ago is None
            else now - datetime.timedelta(seconds=heartbeat_seconds_ago),
        )

    def test_running_exports_without_a_recent_heartbeat_fail(self):
        stale = self._running(heartbeat_seconds_ago=1000)
        alive = self._running(heartbeat_seconds_ago=5)
        never_beat = self._running(heartbeat_seconds_ago=None)
        pending = ExportFactory.aged(days=1)

        assert exports_fail_stale(timeout_seconds=900) == 2

        for export in (stale, alive, never_beat, pending):
            export.refresh_from_db()
        assert (stale.status, never_beat.status) == (ExportStatus.FAILED, ExportStatus.FAILED)
        assert stale.error_message == STALE_MESSAGE
        assert stale.finished_at is not None
        assert alive.status == ExportStatus.RUNNING
        assert pending.status == ExportStatus.PENDING

    def test_timeout_defaults_to_the_setting(self, settings):
        settings.EXPORT_STALE_SECONDS = 60
        stale = self._running(heartbeat_seconds_ago=120)

        assert exports_fail_stale() == 1
        stale.refresh_from_db()
        assert stale.status == ExportStatus.FAILED

    def test_dry_run_only_counts(self):
        stale = self._running(heartbeat_seconds_ago=1000)

        assert exports_fail_stale(timeout_seconds=900, dry_run=True) == 1
        stale.refresh_from_db()
        assert stale.status == ExportStatus.RUNNING

    def test_a_stale_export_can_be_rerun_to_completion(self, exporter, leads, fake_writer):
        export = ExportFactory(
            created_by=exporter,
            running=True,
            heartbeat_at=timezone.now() - datetime.timedelta(hours=1),
            row_count=3,
            columns=["title"],
        )
        exports_fail_stale(timeout_seconds=900)

        rerun = export_rerun(export=export, user=exporter)

        assert rerun.status == ExportStatus.COMPLETED
        assert rerun.rows_written == 3
