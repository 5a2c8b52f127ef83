"""The admin import (LeadImportAdminMixin): upload, preview with each row's errors, confirm or cancel; bad input."""

import io
import json

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leads import demo_users
from leads.models import Lead, LeadImport, LeadImportStatus, LeadStatus
from operations.selectors import NO_WORKER_IMPORT_MESSAGE
from tests.exports.factories import UserFactory
from tests.factories import CategoryFactory, LeadFactory, LocationFactory
from tests.operations.factories import WorkerHeartbeatFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:leads_lead_changelist")
IMPORT = reverse("admin:leads_lead_import")
PROCESS = reverse("admin:leads_lead_process_import")
HISTORY = reverse("admin:leads_leadimport_changelist")
GOOD = (
    "source_post_id,location,category,title,price,status,email\n"
    "7001,sfbay,sss,Oak dining table,250,new,pat@example.com\n"
    "7002,SF bay area,for sale,Mountain bike,80,Contacted,\n"
)


@pytest.fixture(autouse=True)
def sites(settings, tmp_path):
    settings.LEAD_IMPORT_DIRECTORY = tmp_path / "imports"
    LocationFactory(name="SF bay area", site_code="sfbay")
    CategoryFactory(name="for sale", code="sss")


def stored_files(settings) -> list:
    folder = settings.LEAD_IMPORT_DIRECTORY
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def upload(client, content: str | bytes, *, name: str = "leads.csv", format: str = ""):
    data = content.encode() if isinstance(content, str) else content
    return client.post(IMPORT, {"format": format, "import_file": SimpleUploadedFile(name, data)})


def confirm(client, preview):
    return client.post(PROCESS, {"import_id": str(preview.context["preview"].record.pk), "action": "Confirm import"})


def demo_login(client, username: str):
    demo_users.demo_users_ensure(password="pw-123456")
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_changelist_offers_import_to_importers_only(admin_client, client):
    assert f'href="{IMPORT}"' in admin_client.get(CHANGELIST).content.decode()
    assert f'href="{IMPORT}"' in demo_login(client, "manager").get(CHANGELIST).content.decode()
    page = demo_login(client, "sales").get(CHANGELIST).content.decode()
    assert 'id="export-all-link"' in page and f'href="{IMPORT}"' not in page
    assert client.get(IMPORT).status_code == 403


def test_the_import_page_is_a_native_admin_page(admin_client):
    response = admin_client.get(IMPORT)

    assert response.status_code == 200
    page = response.content.decode()
    assert '<ol class="breadcrumbs">' in page and f'<a href="{CHANGELIST}">Leads</a>' in page
    assert "Django administration" in page or response.context["site_header"] in page  # each_context
    assert "admin/css/forms.css" in page
    choices = [value for value, label in response.context["form"].fields["format"].choices if value]
    assert choices == ["csv", "xlsx", "json"]
    assert "id, source_post_id, title, description" in page


def test_a_manager_uploads_previews_and_confirms(client, settings):
    demo_login(client, "manager")

    preview = upload(client, GOOD)

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Oak dining table" in page and "Mountain bike" in page and 'id="import-confirm-form"' in page
    assert "<strong>2</strong> new" in page
    assert not Lead.objects.exists()  # the preview saves nothing
    record = preview.context["preview"].record
    assert record.status == LeadImportStatus.PREVIEWED
    assert stored_files(settings) == [record.stored_name]  # kept under LEAD_IMPORT_DIRECTORY, not /tmp

    done = confirm(client, preview)

    assert done.status_code == 302 and done.url == CHANGELIST
    assert sorted(Lead.objects.values_list("title", flat=True)) == ["Mountain bike", "Oak dining table"]
    assert Lead.objects.get(source_post_id="7002").status == LeadStatus.CONTACTED
    assert [str(m) for m in get_messages(done.wsgi_request)] == [
        "Import finished: 2 new, 0 updated, 0 unchanged leads."
    ]
    record.refresh_from_db()
    assert (record.status, record.new_count, record.stored_name) == (LeadImportStatus.COMPLETED, 2, "")
    assert stored_files(settings) == []


def test_cancel_deletes_the_upload_and_imports_nothing(admin_client, settings):
    preview = upload(admin_client, GOOD)
    record = preview.context["preview"].record

    response = admin_client.post(PROCESS, {"import_id": str(record.pk), "action": "cancel"})

    assert response.status_code == 302
    assert stored_files(settings) == []
    assert not Lead.objects.exists()
    record.refresh_from_db()
    assert record.status == LeadImportStatus.CANCELLED
    assert confirm(admin_client, preview).status_code == 400  # a cancelled preview cannot be confirmed


def test_an_xlsx_upload(admin_client):
    book = openpyxl.Workbook()
    for line in GOOD.splitlines():
        book.active.append(line.split(","))
    data = io.BytesIO()
    book.save(data)

    confirm(admin_client, upload(admin_client, data.getvalue(), name="leads.xlsx"))

    assert Lead.objects.count() == 2


def test_a_json_upload(admin_client):
    document = '{"leads": [{"source_post_id": "7001", "location": "sfbay", "category": "sss", "title": "Lamp"}]}'

    confirm(admin_client, upload(admin_client, document, name="leads.json", format="json"))

    assert Lead.objects.get().title == "Lamp"


def test_each_rows_errors_are_shown_in_the_row_and_there_is_nothing_to_confirm(admin_client, settings):
    bad = GOOD + "7003,atlantis,sss,Lamp,cheap,new,\n"

    response = upload(admin_client, bad)

    page = response.content.decode()
    row = page[page.index('data-row="3"') : page.index("</tr>", page.index('data-row="3"'))]
    assert "unknown location “atlantis”" in row and "“cheap” is not a price" in row
    assert 'class="import-column-location import-cell-error"' in row
    assert 'class="import-column-price import-cell-error"' in row
    assert "1 row of 3 has errors" in page
    assert 'id="import-confirm-form"' not in page
    assert '<th scope="col" class="import-column-source_post_id">Post ID</th>' in page  # labels, not field names
    assert stored_files(settings) == []  # nothing to confirm: the upload is not kept
    assert not LeadImport.objects.exists()
    assert not Lead.objects.exists()


def test_contact_fields_are_hidden_from_users_who_may_not_see_contact_data(client):
    user = UserFactory(is_staff=True, permissions=["leads.import_leads", "leads.view_lead"])
    client.force_login(user)

    page = upload(client, GOOD).content.decode()

    assert "pat@example.com" not in page
    assert "Contact details are hidden" in page


@pytest.mark.parametrize(
    ("content", "name", "format", "message"),
    [
        (GOOD, "leads.exe", "", "Cannot tell the format of “leads.exe”"),
        (GOOD, "leads.csv", "yaml", "Select a valid choice"),
        (b"\xff\xfe\x00garbage", "leads.csv", "csv", "not UTF-8 text"),
        ("title\nOak table\n", "leads.csv", "", "The file has no “location” and “source_post_id” columns"),
        (b"not a workbook", "leads.xlsx", "", "not an Excel workbook"),
        ('[{"source_post_id": "1", "location": "\\ud800", "title": "x"}]', "l.json", "", "lone UTF-16 surrogate"),
        ('[{"source_post_id": "1", "location": "sfbay", "title": "a\\u0000b"}]', "l.json", "", "NUL character"),
        ('[{"\\udc00": "1"}]', "l.json", "", "holds no lead rows"),
    ],
)
def test_bad_input_is_a_message_on_the_page_never_a_500(admin_client, content, name, format, message):
    response = upload(admin_client, content, name=name, format=format)

    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    assert not Lead.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(admin_client, settings, monkeypatch):
    settings.LEAD_IMPORT_MAX_BYTES = 50
    from leads.importing import records

    monkeypatch.setattr(records, "lead_file_import", lambda **kwargs: pytest.fail("the file was read"))

    response = upload(admin_client, GOOD)

    assert response.status_code == 400
    assert "an import takes at most" in response.content.decode()
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    "data",
    [
        {"import_id": "not-a-uuid"},
        {"import_id": "00000000-0000-0000-0000-000000000000"},
        {"import_id": "../../etc/passwd", "format": "9", "import_file_name": "/etc/passwd"},
        {},
    ],
)
def test_a_bogus_process_post_is_a_400_with_a_message(admin_client, data):
    response = admin_client.post(PROCESS, data)

    assert response.status_code == 400
    assert "This import preview has expired, was cancelled or was already imported" in response.content.decode()


def test_process_takes_only_posts_and_only_the_uploaders_own_preview(admin_client, client):
    preview = upload(admin_client, GOOD)
    other = UserFactory(is_staff=True, permissions=["leads.import_leads"])
    client.force_login(other)

    assert admin_client.get(PROCESS).status_code == 405
    assert confirm(client, preview).status_code == 400
    assert not Lead.objects.exists()


def test_a_database_refusal_at_confirm_shows_a_sentence_not_the_database_error(admin_client, monkeypatch):
    from django.db import IntegrityError

    from leads.importing import upsert

    preview = upload(admin_client, GOOD)

    def refuse(**kwargs):
        raise IntegrityError("INSERT INTO \"leads_lead\" VALUES ('pat@example.com') violates check constraint")

    monkeypatch.setattr(upsert, "lead_rows_write", refuse)
    response = confirm(admin_client, preview)

    shown = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "Nothing was imported" in shown
    assert "INSERT" not in shown and "pat@example.com" not in shown
    assert not Lead.objects.exists()
    assert preview.context["preview"].record.__class__.objects.get().status == LeadImportStatus.FAILED


def test_an_edited_update_ready_file_updates_those_leads(admin_client):
    lead = LeadFactory(location__site_code="sfbay", category__code="sss", source_post_id="7001", title="Before")
    data = f"id,source_post_id,location,title\n{lead.pk},7001,sfbay,After\n"

    confirm(admin_client, upload(admin_client, data))

    lead.refresh_from_db()
    assert lead.title == "After"


def test_a_big_file_is_confirmed_into_the_background_and_shows_in_the_history(
    admin_client, settings, django_capture_on_commit_callbacks
):
    settings.LEAD_IMPORT_QUICK_ROWS = 1

    preview = upload(admin_client, GOOD)

    page = preview.content.decode()
    assert "more than 1 rows" in page and "in the background" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(admin_client, preview)

    assert response.status_code == 302 and response.url == HISTORY
    record = LeadImport.objects.get()
    assert (record.status, record.new_count, record.rows_total) == (LeadImportStatus.COMPLETED, 2, 2)
    assert Lead.objects.count() == 2
    history = admin_client.get(HISTORY).content.decode()
    assert "leads.csv" in history and "2 new, 0 updated, 0 unchanged (saved)" in history


def test_a_background_import_with_bad_rows_fails_and_saves_nothing(
    admin_client, settings, django_capture_on_commit_callbacks
):
    settings.LEAD_IMPORT_QUICK_ROWS = 1
    preview = upload(admin_client, GOOD + "7003,atlantis,sss,Lamp,,,\n")  # row 3 is past the previewed rows

    with django_capture_on_commit_callbacks(execute=True):
        confirm(admin_client, preview)

    record = LeadImport.objects.get()
    assert record.status == LeadImportStatus.FAILED
    assert record.errors == [{"row": 3, "messages": ["location: unknown location “atlantis”"]}]
    assert not Lead.objects.exists()
    detail = admin_client.get(reverse("admin:leads_leadimport_change", args=[record.pk])).content.decode()
    assert "row 3: location: unknown location “atlantis”" in detail


def test_the_history_shows_only_the_users_own_imports(admin_client, client):
    upload(admin_client, GOOD)
    other = UserFactory(is_staff=True, permissions=["leads.import_leads"])
    client.force_login(other)

    assert client.get(HISTORY).context["cl"].result_count == 0
    assert admin_client.get(HISTORY).context["cl"].result_count == 1


def test_a_json_export_with_names_re_imports(admin_client):
    document = {
        "leads": [
            {
                "source_post_id": "7001",
                "location": {"id": 1, "name": "SF bay area", "site_code": "sfbay"},
                "category": {"id": 1, "name": "for sale", "code": "sss"},
                "title": "Lamp",
            }
        ]
    }

    confirm(admin_client, upload(admin_client, json.dumps(document), name="leads.json"))

    assert Lead.objects.get().location.site_code == "sfbay"


@pytest.mark.parametrize("worker_alive", [False, True])
def test_a_background_import_warns_when_no_worker_is_running(admin_client, settings, worker_alive):
    settings.LEAD_IMPORT_QUICK_ROWS = 1
    if worker_alive:
        WorkerHeartbeatFactory()
    response = confirm(admin_client, upload(admin_client, GOOD))  # queued; nothing runs it in this test

    assert LeadImport.objects.get().status == LeadImportStatus.PENDING
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert (NO_WORKER_IMPORT_MESSAGE in said) is not worker_alive
