import pytest
from django.test import Client
from django.urls import reverse

from exports.formats.registry import get_format
from exports.models import Export, ExportDownload, ExportStatus
from tests.exports.factories import ExportFactory, UserFactory
from tests.factories import LeadFactory

EXPORTER = ["leads.view_lead", "exports.export_leads"]
MANAGER = ["leads.view_lead", "exports.export_leads", "exports.view_contact_info", "exports.view_all_exports"]


@pytest.fixture
def exporter(db):
    return UserFactory(username="staff", permissions=EXPORTER)


@pytest.fixture
def manager(db):
    return UserFactory(username="manager", permissions=MANAGER)


@pytest.fixture
def staff_client(client, exporter):
    client.force_login(exporter)
    return client


@pytest.fixture
def completed(exporter):
    return ExportFactory(
        created_by=exporter,
        completed=True,
        file_content=b"id,title\n1,Bike\n",
        file_name="leads_all_20240101-120000.csv",
    )


def download_url(export_id) -> str:
    return reverse("exports:download", args=[export_id])


# Download -----------------------------------------------------------------------------------------


def test_download_serves_the_file_as_an_attachment_that_is_never_cached(staff_client, completed, exporter):
    response = staff_client.get(download_url(completed.pk))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"id,title\n1,Bike\n"
    assert response["Content-Disposition"] == 'attachment; filename="leads_all_20240101-120000.csv"'
    assert response["Content-Type"] == get_format("csv").content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert ExportDownload.objects.filter(export=completed, user=exporter).count() == 1
    completed.refresh_from_db()
    assert completed.download_count == 1


@pytest.mark.parametrize("export_id", ["garbage", "12", "00000000-0000-0000-0000-000000000000"])
def test_download_of_a_garbage_or_unknown_id_is_404(staff_client, export_id):
    assert staff_client.get(download_url(export_id)).status_code == 404


@pytest.mark.parametrize(
    "path", ["../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e/secret", "2024/01/x/leads.csv", "..", "%00"]
)
def test_download_of_a_path_like_id_is_404(staff_client, completed, path):
    response = staff_client.get(f"/admin/exports/download/{path}/")

    assert response.status_code == 404


def test_download_of_someone_elses_export_is_404_without_view_all(client, completed):
    client.force_login(UserFactory(username="other", permissions=EXPORTER))

    assert client.get(download_url(completed.pk)).status_code == 404
    assert not ExportDownload.objects.exists()


def test_a_manager_downloads_anyones_export(client, completed, manager):
    client.force_login(manager)

    response = client.get(download_url(completed.pk))

    assert response.status_code == 200
    assert ExportDownload.objects.get().user == manager


@pytest.mark.parametrize("status", [ExportStatus.PENDING, ExportStatus.RUNNING, ExportStatus.FAILED])
def test_download_of_an_export_without_a_file_is_409(staff_client, exporter, status):
    export = ExportFactory(created_by=exporter, status=status)

    response = staff_client.get(download_url(export.pk))

    assert response.status_code == 409
    assert b"errornote" in response.content
    assert not ExportDownload.objects.exists()


def test_download_of_an_expired_export_is_410_gone(staff_client, exporter):
    export = ExportFactory(created_by=exporter, status=ExportStatus.EXPIRED)

    response = staff_client.get(download_url(export.pk))

    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_download_needs_a_logged_in_staff_member(client, completed):
    anonymous = client.get(download_url(completed.pk))
    non_staff = Client()
    non_staff.force_login(UserFactory(username="customer", is_staff=False, permissions=EXPORTER))

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("admin:login"))
    assert non_staff.get(download_url(completed.pk)).status_code == 302
    assert not ExportDownload.objects.exists()


# Status polling -----------------------------------------------------------------------------------


def test_status_reports_progress_of_visible_exports_only(staff_client, exporter):
    running = ExportFactory(created_by=exporter, running=True, progress=30, rows_written=3, row_count=10)
    theirs = ExportFactory(created_by=UserFactory(username="other"), running=True)

    response = staff_client.get(reverse("exports:status"), {"id": [running.pk, theirs.pk, "junk"]})

    assert response.status_code == 200
    data = response.json()
    assert data["active"] is True
    assert [(item["id"], item["status"], item["progress"]) for item in data["exports"]] == [
        (str(running.pk), "running", 30)
    ]
    assert "no-store" in response["Cache-Control"]


# Re-run, cancel, delete ---------------------------------------------------------------------------


def test_rerun_creates_a_new_export_with_the_same_spec(staff_client, exporter, completed):
    LeadFactory(title="Bike")
    completed.columns = ["id", "title"]
    completed.save()

    response = staff_client.post(reverse("exports:rerun", args=[completed.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:exports_export_changelist")
    rerun = Export.objects.get(rerun_of=completed)
    assert rerun.created_by == exporter
    assert rerun.filters == completed.filters
    assert rerun.status == ExportStatus.COMPLETED  # one lead: under QUICK_EXPORT_LIMIT, run at once


def test_rerun_needs_post(staff_client, completed):
    assert staff_client.get(reverse("exports:rerun", args=[completed.pk])).status_code == 405
    assert Export.objects.count() == 1


def test_cancel_a_pending_export(staff_client, exporter):
    export = ExportFactory(created_by=exporter)

    response = staff_client.post(reverse("exports:cancel", args=[export.pk]), follow=True)

    export.refresh_from_db()
    assert export.status == ExportStatus.CANCELLED
    assert "The export was cancelled." in [str(message) for message in response.context["messages"]]


def test_cancelling_a_completed_export_is_refused_with_a_message(staff_client, completed):
    response = staff_client.post(reverse("exports:cancel", args=[completed.pk]), follow=True)

    completed.refresh_from_db()
    assert completed.status == ExportStatus.COMPLETED
    messages = [str(message) for message in response.context["messages"]]
    assert len(messages) == 1
    assert messages[0].startswith("The export could not be cancelled")


def test_delete_asks_for_confirmation_then_deletes_record_and_file(staff_client, completed):
    storage = completed.file.storage
    name = completed.file.name
    url = reverse("exports:delete", args=[completed.pk])

    confirmation = staff_client.get(url)
    assert confirmation.status_code == 200
    assert "Are you sure" in confirmation.content.decode()
    assert Export.objects.filter(pk=completed.pk).exists()

    response = staff_client.post(url)

    assert response.status_code == 302
    assert not Export.objects.filter(pk=completed.pk).exists()
    assert not storage.exists(name)


def test_a_running_export_is_not_deleted(staff_client, exporter):
    export = ExportFactory(created_by=exporter, running=True)

    staff_client.post(reverse("exports:delete", args=[export.pk]))

    assert Export.objects.filter(pk=export.pk).exists()


def test_actions_on_someone_elses_export_are_404(client, completed):
    client.force_login(UserFactory(username="other", permissions=EXPORTER))

    for name in ("rerun", "cancel", "delete"):
        assert client.post(reverse(f"exports:{name}", args=[completed.pk])).status_code == 404
    assert Export.objects.filter(pk=completed.pk, status=ExportStatus.COMPLETED).exists()


def test_posts_need_a_csrf_token(exporter):
    export = ExportFactory(created_by=exporter)
    client = Client(enforce_csrf_checks=True)
    client.force_login(exporter)

    for name in ("rerun", "cancel", "delete"):
        assert client.post(reverse(f"exports:{name}", args=[export.pk])).status_code == 403
    export.refresh_from_db()
    assert export.status == ExportStatus.PENDING


def test_history_url_leads_to_the_export_changelist(staff_client):
    response = staff_client.get(reverse("exports:history"), {"status__exact": "completed"})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:exports_export_changelist") + "?status__exact=completed"
