"""The admin import (LeadImportAdminMixin): upload, preview of each row, confirm; row errors, bad files, permissions."""

import io

import openpyxl
import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leads.models import Category, Lead, LeadStatus
from tests.exports.factories import UserFactory
from tests.factories import CategoryFactory, LeadFactory, LocationFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:leads_lead_changelist")
IMPORT = reverse("admin:leads_lead_import")
PROCESS = reverse("admin:leads_lead_process_import")
FORMAT_INDEX = {"csv": "0", "xlsx": "1", "json": "2"}
GOOD = (
    "source_post_id,location,category,title,price,status\n"
    "7001,sfbay,sss,Oak dining table,250,new\n"
    "7002,sfbay,sss,Mountain bike,80,Contacted\n"
)


@pytest.fixture(autouse=True)
def sites():
    LocationFactory(name="SF bay area", site_code="sfbay")
    CategoryFactory(name="for sale", code="sss")


def upload(client, content: str | bytes, *, name: str = "leads.csv", format: str = "csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        IMPORT, {"resource": "0", "format": FORMAT_INDEX[format], "import_file": SimpleUploadedFile(name, data)}
    )


def confirm(client, preview):
    return client.post(PROCESS, preview.context["confirm_form"].initial)


def test_the_changelist_offers_import_to_users_who_may_add_and_change_leads(admin_client):
    page = admin_client.get(CHANGELIST).content.decode()

    assert f"href='{IMPORT}'" in page
    assert 'id="export-all-link"' in page  # the changelist keeps its own template and its other buttons


def test_the_import_page_offers_csv_xlsx_and_json_and_names_the_columns(admin_client):
    response = admin_client.get(IMPORT)

    assert response.status_code == 200
    choices = [label for value, label in response.context["form"].fields["format"].choices if value]
    assert choices == ["csv", "xlsx", "json"]
    assert "id, source_post_id, location, category, url, title" in response.content.decode()


def test_upload_preview_then_confirm_imports_the_rows(admin_client):
    preview = upload(admin_client, GOOD)

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Preview" in page and "Oak dining table" in page and "Mountain bike" in page
    assert page.count('<td class="import-type">') == 2
    assert preview.context["confirm_form"] is not None
    assert not Lead.objects.exists()  # the preview is a dry run

    done = confirm(admin_client, preview)

    assert done.status_code == 302 and done.url == CHANGELIST
    assert sorted(Lead.objects.values_list("title", flat=True)) == ["Mountain bike", "Oak dining table"]
    assert Lead.objects.get(source_post_id="7002").status == LeadStatus.CONTACTED
    assert [str(m) for m in get_messages(done.wsgi_request)] == [
        "Import finished: 2 new, 0 updated, 0 unchanged (skipped) leads."
    ]
    assert LogEntry.objects.filter(action_flag=ADDITION).count() == 2


def test_an_xlsx_upload(admin_client):
    book = openpyxl.Workbook()
    for line in GOOD.splitlines():
        book.active.append(line.split(","))
    data = io.BytesIO()
    book.save(data)

    preview = upload(admin_client, data.getvalue(), name="leads.xlsx", format="xlsx")
    confirm(admin_client, preview)

    assert Lead.objects.count() == 2


def test_a_json_upload(admin_client):
    document = '{"leads": [{"source_post_id": "7001", "location": "sfbay", "category": "sss", "title": "Lamp"}]}'

    preview = upload(admin_client, document, name="leads.json", format="json")
    confirm(admin_client, preview)

    assert Lead.objects.get().title == "Lamp"


def test_rows_with_errors_are_shown_and_there_is_nothing_to_confirm(admin_client):
    bad = GOOD + "7003,atlantis,sss,Lamp,cheap,new\n"

    response = upload(admin_client, bad)

    page = response.content.decode()
    assert "Some rows failed to validate" in page
    assert "Unknown location site code “atlantis”." in page
    assert "“cheap” is not a price" in page
    assert [row.number for row in response.context["result"].invalid_rows] == [3]
    assert "confirm_form" not in response.context
    assert not Lead.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "format", "message"),
    [
        (bytes(range(256)), "leads.csv", "csv", "The file is not UTF-8 text."),
        (GOOD, "leads.xlsx", "xlsx", "The file is not an Excel workbook (.xlsx)."),
        ("", "leads.csv", "csv", None),  # Django's own "The submitted file is empty."
        ("title,price\nLamp,1\n", "leads.csv", "csv", "The file has no “location” and “source_post_id” columns."),
        ("[1, 2]", "leads.json", "json", "A JSON import holds a list of lead objects"),
    ],
)
def test_a_bad_file_is_a_form_error(admin_client, content, name, format, message):
    response = upload(admin_client, content, name=name, format=format)

    assert response.status_code == 200
    errors = response.context["form"].errors["import_file"]
    assert len(errors) == 1
    if message:
        assert errors[0].startswith(message)
    assert "Traceback" not in response.content.decode()
    assert not Lead.objects.exists()


def test_an_edited_update_ready_file_updates_those_leads(admin_client):
    location_code, category_code = "sfbay", "sss"
    lead = LeadFactory(
        location__site_code=location_code, category__code=category_code, source_post_id="7001", title="Oak table"
    )
    content = (
        "id,source_post_id,location,category,title,status\n"
        f"{lead.pk},7001,{location_code},{category_code},Oak table,converted\n"
    )

    preview = upload(admin_client, content)
    assert [row.import_type for row in preview.context["result"].valid_rows()] == ["update"]
    confirm(admin_client, preview)

    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONVERTED
    assert Lead.objects.count() == 1
    assert LogEntry.objects.filter(action_flag=CHANGE, object_id=str(lead.pk)).exists()


def test_a_confirm_that_meets_an_error_saves_nothing_and_says_so(admin_client):
    CategoryFactory(code="tmp")
    preview = upload(admin_client, GOOD.replace(",sss,Mountain", ",tmp,Mountain"))
    Category.objects.filter(code="tmp").delete()  # the data changes between the preview and the confirm

    done = confirm(admin_client, preview)

    assert done.status_code == 302 and done.url == IMPORT
    assert not Lead.objects.exists()
    message = [str(m) for m in get_messages(done.wsgi_request)]
    assert message == [
        "Nothing was imported: 1 row(s) failed when the import was confirmed (the leads may have changed since "
        "the preview). Upload the file again to see the errors."
    ]


class TestPermissions:
    def test_a_user_who_may_only_view_and_export_sees_no_import_and_is_refused(self, client):
        user = UserFactory(permissions=["leads.view_lead", "exports.export_leads"])
        client.force_login(user)

        page = client.get(CHANGELIST).content.decode()
        assert IMPORT not in page
        assert 'id="export-all-link"' in page
        assert client.get(IMPORT).status_code == 403
        assert client.post(PROCESS, {}).status_code == 403

    def test_adding_without_changing_is_not_enough(self, client):
        client.force_login(UserFactory(permissions=["leads.view_lead", "leads.add_lead"]))

        assert client.get(IMPORT).status_code == 403

    def test_add_and_change_are_enough(self, client):
        client.force_login(UserFactory(permissions=["leads.view_lead", "leads.add_lead", "leads.change_lead"]))

        preview = upload(client, GOOD)
        confirm(client, preview)

        assert Lead.objects.count() == 2
