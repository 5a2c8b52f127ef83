import pytest
from django.core.exceptions import PermissionDenied

from exports.errors import ExportGone, ExportNotReady
from exports.formats.registry import get_format
from exports.models import ExportDownload, ExportStatus
from exports.services import ExportRequest, export_create, export_open_download, export_run
from exports.services.downloads import MISSING_FILE_MESSAGE
from exports.storage import export_storage
from tests.exports.factories import ExportFactory, UserFactory
from tests.exports.services.conftest import EXPORTER


@pytest.fixture
def completed(exporter):
    return ExportFactory(created_by=exporter, completed=True, file_content=b"1\n2\n", file_name="leads_all.csv")


def test_the_owner_downloads_the_file(completed, exporter):
    download = export_open_download(export=completed, user=exporter)

    with download.file:
        assert download.file.read() == b"1\n2\n"
    assert download.name == "leads_all.csv"
    assert download.content_type == get_format("csv").content_type
    assert download.size == 4


def test_each_download_is_recorded(completed, exporter):
    export_open_download(export=completed, user=exporter).file.close()
    export_open_download(export=completed, user=exporter).file.close()

    completed.refresh_from_db()
    assert completed.download_count == 2
    assert completed.last_downloaded_at is not None
    assert list(ExportDownload.objects.filter(export=completed).values_list("user", flat=True)) == [exporter.pk] * 2


def test_another_user_needs_view_all(completed, manager):
    stranger = UserFactory(permissions=EXPORTER)

    with pytest.raises(PermissionDenied):
        export_open_download(export=completed, user=stranger)
    export_open_download(export=completed, user=manager).file.close()

    assert not ExportDownload.objects.filter(user=stranger).exists()


def test_inactive_owner_is_denied(completed, exporter):
    exporter.is_active = False
    exporter.save()

    with pytest.raises(PermissionDenied):
        export_open_download(export=completed, user=exporter)


def test_contact_info_needs_the_permission_at_download_time(exporter, manager):
    export = ExportFactory(created_by=exporter, completed=True, include_contact_info=True, file_content=b"a\n")

    with pytest.raises(PermissionDenied, match="contact information"):
        export_open_download(export=export, user=exporter)
    export_open_download(export=export, user=manager).file.close()


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (ExportStatus.PENDING, "pending"),
        (ExportStatus.RUNNING, "running"),
        (ExportStatus.CANCELLED, "cancelled"),
    ],
)
def test_only_completed_exports_are_served(exporter, status, message):
    export = ExportFactory(created_by=exporter, status=status)

    with pytest.raises(ExportNotReady, match=message):
        export_open_download(export=export, user=exporter)


def test_a_failed_export_says_why(exporter):
    export = ExportFactory(created_by=exporter, status=ExportStatus.FAILED, error_message="Disk full while writing.")

    with pytest.raises(ExportNotReady, match="Disk full"):
        export_open_download(export=export, user=exporter)


def test_expired_export_is_gone(exporter):
    export = ExportFactory(created_by=exporter, status=ExportStatus.EXPIRED)

    with pytest.raises(ExportGone):
        export_open_download(export=export, user=exporter)


def test_a_vanished_file_is_gone_and_expires_the_record(completed, exporter):
    export_storage().delete(completed.file.name)

    with pytest.raises(ExportGone):
        export_open_download(export=completed, user=exporter)

    completed.refresh_from_db()
    assert completed.status == ExportStatus.EXPIRED
    assert completed.error_message == MISSING_FILE_MESSAGE
    assert completed.download_count == 0
    assert not ExportDownload.objects.exists()


def test_download_of_a_fresh_run(exporter, leads, fake_writer):
    export = export_run(export_id=export_create(request=ExportRequest(user=exporter, filters={}, format="csv")).pk)

    download = export_open_download(export=export, user=exporter)

    with download.file:
        assert download.file.read().count(b"\n") == 3
    assert download.size == export.file_size
