"""Export files on S3-compatible object storage: write, download (streamed or redirected), cleanup, expiry."""

import csv
import datetime
import hashlib
import io
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from botocore.response import StreamingBody
from django.urls import reverse
from django.utils import timezone

from exports.models import Export, ExportDownload, ExportStatus
from exports.services import export_create, export_open_download, export_run, exports_cleanup
from tests.exports.factories import UserFactory
from tests.exports.storage.conftest import bucket_keys
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

PERMISSIONS = ["leads.view_lead", "exports.export_leads"]


@pytest.fixture
def exporter(db):
    return UserFactory(username="s3-exporter", permissions=PERMISSIONS)


@pytest.fixture
def completed(exporter, s3_bucket):
    LeadFactory.create_batch(25, status="new")
    export = export_create(user=exporter, filters={"status": "new"}, format="csv")
    export = export_run(export_id=export.pk)
    assert export.status == ExportStatus.COMPLETED, export.error_message
    return export


def object_bytes(client, bucket: str, export: Export) -> bytes:
    return client.get_object(Bucket=bucket, Key=f"exports/{export.file.name}")["Body"].read()


def download_url(export: Export) -> str:
    return reverse("exports:download", args=[export.pk])


def test_a_finished_export_is_stored_in_the_bucket_with_the_recorded_checksum(completed, s3_client, s3_bucket):
    assert bucket_keys(s3_client, s3_bucket) == [f"exports/{completed.file.name}"]
    content = object_bytes(s3_client, s3_bucket, completed)
    assert hashlib.sha256(content).hexdigest() == completed.checksum_sha256
    assert len(content) == completed.file_size
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    assert len(rows) == 1 + 25


def test_a_download_streams_the_object_with_the_usual_headers_and_audit(client, completed, exporter):
    client.force_login(exporter)

    response = client.get(download_url(completed))

    assert response.status_code == 200
    assert response.streaming
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == completed.checksum_sha256
    assert response["Content-Length"] == str(completed.file_size)
    assert response["Content-Disposition"] == f'attachment; filename="{completed.file_name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert ExportDownload.objects.filter(export=completed, user=exporter).count() == 1


def test_the_download_reads_the_object_body_as_it_arrives(completed, exporter):
    # Not S3File, which would first copy the whole object: memory stays flat for any file size.
    download = export_open_download(export=completed, user=exporter)
    try:
        assert isinstance(download.file, StreamingBody)
        assert download.url is None
    finally:
        download.file.close()


def test_redirect_mode_sends_a_short_lived_signed_url_after_the_check_and_the_audit(
    client, completed, exporter, settings
):
    settings.EXPORT_DOWNLOAD_MODE = "redirect"
    settings.EXPORT_DOWNLOAD_URL_SECONDS = 60
    client.force_login(exporter)

    response = client.get(download_url(completed))

    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert "X-Amz-Signature" in query
    completed.refresh_from_db()
    assert completed.download_count == 1
    with urllib.request.urlopen(response["Location"], timeout=10) as signed:  # the S3 server on loopback
        assert hashlib.sha256(signed.read()).hexdigest() == completed.checksum_sha256
        assert signed.headers["Content-Disposition"] == f'attachment; filename="{completed.file_name}"'


def test_redirect_mode_still_refuses_other_users(client, completed, settings):
    settings.EXPORT_DOWNLOAD_MODE = "redirect"
    client.force_login(UserFactory(username="someone-else", permissions=PERMISSIONS))

    response = client.get(download_url(completed))

    assert response.status_code == 404
    assert not ExportDownload.objects.filter(export=completed).exists()


def test_redirect_mode_on_local_storage_streams_instead(client, exporter, settings):
    # The session's own folder storage cannot sign URLs: the file is served through Django.
    settings.EXPORT_DOWNLOAD_MODE = "redirect"
    LeadFactory.create_batch(3)
    export = export_run(export_id=export_create(user=exporter, filters={}, format="csv").pk)
    client.force_login(exporter)

    response = client.get(download_url(export))

    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == export.checksum_sha256


def test_cleanup_deletes_old_objects_and_expires_their_records(completed, s3_client, s3_bucket, client, exporter):
    Export.objects.filter(pk=completed.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))

    result = exports_cleanup(days=30)

    completed.refresh_from_db()
    assert completed.status == ExportStatus.EXPIRED
    assert (result.records_expired, result.files_deleted, result.bytes_freed) == (1, 1, completed.file_size)
    assert bucket_keys(s3_client, s3_bucket) == []
    client.force_login(exporter)
    assert client.get(download_url(completed)).status_code == 410


def test_an_object_removed_behind_our_back_expires_the_record_on_download(
    completed, s3_client, s3_bucket, client, exporter
):
    s3_client.delete_object(Bucket=s3_bucket, Key=f"exports/{completed.file.name}")
    client.force_login(exporter)

    response = client.get(download_url(completed))

    assert response.status_code == 410
    completed.refresh_from_db()
    assert completed.status == ExportStatus.EXPIRED
