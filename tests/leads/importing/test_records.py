"""LeadImport records: previews kept under LEAD_IMPORT_DIRECTORY, confirm and cancel, the worker, cleanup."""

import datetime
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from leads.importing.errors import LeadImportFileError
from leads.importing.records import (
    lead_import_cancel,
    lead_import_confirm,
    lead_import_preview,
    lead_import_run,
    lead_imports_cleanup,
)
from leads.models import Lead, LeadImport, LeadImportStatus
from leads.tasks import run_lead_import
from tests.exports.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = b"source_post_id,location,category,title\n7001,sfbay,sss,Oak table\n7002,sfbay,sss,Bike\n"


@pytest.fixture
def user():
    return UserFactory(permissions=["leads.import_leads"])


def files(settings) -> list[str]:
    folder = settings.LEAD_IMPORT_DIRECTORY
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def preview(user, data=GOOD, name="leads.csv"):
    return lead_import_preview(user=user, upload=SimpleUploadedFile(name, data), format=None)


def test_a_clean_upload_waits_as_a_previewed_record_with_its_counts(sites, user, settings):
    result = preview(user)

    record = result.record
    assert (record.status, record.new_count, record.rows_total, record.file_name) == ("previewed", 2, 2, "leads.csv")
    assert files(settings) == [record.stored_name]
    assert oct(os.stat(settings.LEAD_IMPORT_DIRECTORY / record.stored_name).st_mode & 0o777) == "0o600"
    assert [row.number for row in result.rows] == [1, 2]


def test_an_upload_with_errors_is_not_kept(sites, user, settings):
    result = preview(user, GOOD + b"7003,atlantis,sss,Lamp\n")

    assert result.record is None and result.result.rejected == 1
    assert files(settings) == []


def test_an_unreadable_upload_is_not_kept(sites, user, settings):
    with pytest.raises(LeadImportFileError):
        preview(user, b"\xff\xfe garbage")

    assert files(settings) == []


def test_confirm_imports_and_deletes_the_file(sites, user, settings):
    record = preview(user).record

    done = lead_import_confirm(import_id=record.pk, user=user)

    assert (done.status, done.new_count, done.progress) == (LeadImportStatus.COMPLETED, 2, 100)
    assert Lead.objects.count() == 2
    assert files(settings) == []
    with pytest.raises(LeadImportFileError, match="already imported"):
        lead_import_confirm(import_id=record.pk, user=user)


def test_cancel_deletes_the_file(sites, user, settings):
    record = preview(user).record

    assert lead_import_cancel(import_id=record.pk, user=user).status == LeadImportStatus.CANCELLED
    assert files(settings) == []


def test_a_preview_older_than_a_day_cannot_be_confirmed(sites, user):
    record = preview(user).record
    LeadImport.objects.filter(pk=record.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))

    with pytest.raises(LeadImportFileError, match="has expired"):
        lead_import_confirm(import_id=record.pk, user=user)
    assert not Lead.objects.exists()


def test_a_big_file_is_queued_and_the_worker_runs_it_once(sites, user, settings, django_capture_on_commit_callbacks):
    settings.LEAD_IMPORT_QUICK_ROWS = 1
    record = preview(user).record
    assert record.rows_total is None  # only the first rows were checked

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queued = lead_import_confirm(import_id=record.pk, user=user)

    enqueued = [callback for callback in callbacks if callback.__name__ != "announce"]  # not leads_arrived
    assert queued.status == LeadImportStatus.PENDING and len(enqueued) == 1
    record.refresh_from_db()
    assert (record.status, record.rows_total, record.new_count) == (LeadImportStatus.COMPLETED, 2, 2)
    assert record.task_id
    assert files(settings) == []
    again = run_lead_import.call(str(record.pk))  # a task delivered twice does nothing the second time
    assert again == LeadImportStatus.COMPLETED and Lead.objects.count() == 2


def test_the_worker_records_a_file_that_vanished_as_failed(sites, user):
    record = preview(user).record
    LeadImport.objects.filter(pk=record.pk).update(status=LeadImportStatus.PENDING)
    from leads.importing import conf

    (conf.import_directory() / record.stored_name).unlink()

    done = lead_import_run(import_id=record.pk)

    assert done.status == LeadImportStatus.FAILED and "no longer there" in done.error_message


class TestCleanup:
    def _age(self, record, *, days: float):
        LeadImport.objects.filter(pk=record.pk).update(created_at=timezone.now() - datetime.timedelta(days=days))

    def test_abandoned_previews_older_than_a_day_expire_and_lose_their_file(self, sites, user, settings):
        old, fresh = preview(user).record, preview(user).record
        self._age(old, days=1.5)

        assert lead_imports_cleanup() == 1

        old.refresh_from_db()
        assert (old.status, old.stored_name) == (LeadImportStatus.EXPIRED, "")
        assert files(settings) == [fresh.stored_name]
        assert lead_imports_cleanup() == 0  # twice is safe

    def test_a_dry_run_removes_nothing(self, sites, user, settings):
        record = preview(user).record
        self._age(record, days=2)

        assert lead_imports_cleanup(dry_run=True) == 1
        assert files(settings) == [record.stored_name]

    def test_stray_files_older_than_a_day_go_too(self, settings):
        folder = settings.LEAD_IMPORT_DIRECTORY
        folder.mkdir(parents=True)
        stray, recent = folder / "stray.csv", folder / "recent.csv"
        stray.write_text("x")
        recent.write_text("x")
        old = time.time() - 2 * 86400
        os.utime(stray, (old, old))

        assert lead_imports_cleanup() == 1
        assert files(settings) == ["recent.csv"]

    def test_an_import_stuck_running_for_a_day_is_failed(self, sites, user):
        record = preview(user).record
        LeadImport.objects.filter(pk=record.pk).update(status=LeadImportStatus.RUNNING)
        self._age(record, days=2)

        lead_imports_cleanup()

        record.refresh_from_db()
        assert record.status == LeadImportStatus.FAILED and "stopped" in record.error_message

    def test_cleanup_exports_removes_import_previews_older_than_a_day(self, sites, user, settings, capsys):
        record = preview(user).record
        self._age(record, days=2)

        call_command("cleanup_exports")

        assert "removed 1 import uploads older than a day" in capsys.readouterr().out
        assert files(settings) == []
