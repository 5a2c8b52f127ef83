"""The do-not-contact admin (add, list, import, export, erase), the lead list's flag, and the options'
entry points: the admin export page, the API and the command line."""

import csv
import hashlib
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from exports.models import Export
from leads.contact_keys import email_key
from leads.models import Lead, Suppression
from leads.suppression import is_suppressed, suppress
from tests.exports.factories import UserFactory
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

SALES = ["leads.view_lead", "exports.export_leads"]


@pytest.fixture
def superuser_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_adding_hashes_the_values_and_records_who(superuser_client, admin_user):
    response = superuser_client.post(
        reverse("admin:leads_suppression_add"), {"email": " Jo@Example.com ", "phone": "", "reason": "opted_out"}
    )
    assert response.status_code == 302
    entry = Suppression.objects.get()
    assert (entry.kind, entry.key, entry.reason, entry.added_by) == (
        "email",
        email_key("jo@example.com"),
        "opted_out",
        admin_user,
    )
    listing = superuser_client.get(reverse("admin:leads_suppression_changelist")).content.decode()
    assert entry.key[:16] in listing and "jo@" not in listing.lower()


def test_the_lead_list_flags_suppressed_leads(superuser_client):
    flagged = LeadFactory(title="Flagged lead", email="jo@example.com")
    LeadFactory(title="Other lead", email="pat@example.com")
    suppress(email="jo@example.com", reason="manual")
    page = superuser_client.get(reverse("admin:leads_lead_changelist")).content.decode()
    row = next(line for line in page.split("<tr") if flagged.title in line)
    other = next(line for line in page.split("<tr") if "Other lead" in line)
    assert "Do not contact" in row and "Do not contact" not in other


def test_the_list_exports_keys_only_and_reimports(superuser_client):
    suppress(email="jo@example.com", phone="4155550165", reason="opted_out")
    exported = b"".join(superuser_client.get(reverse("admin:leads_suppression_export")).streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert {row["kind"] for row in rows} == {"email", "phone"} and "jo@" not in exported
    Suppression.objects.all().delete()

    upload = SimpleUploadedFile("list.csv", exported.encode())
    response = superuser_client.post(reverse("admin:leads_suppression_import"), {"file": upload, "reason": "manual"})
    assert response.status_code == 302
    assert is_suppressed(email="jo@example.com") and is_suppressed(phone="+14155550165")
    assert set(Suppression.objects.values_list("reason", flat=True)) == {"opted_out"}  # the file's reasons


def test_raw_values_are_hashed_on_import_and_bad_lines_are_reported(superuser_client):
    text = "email,phone\nann@example.com,\n,(212) 555-0199\n,\n"
    upload = SimpleUploadedFile("raw.csv", text.encode())
    response = superuser_client.post(
        reverse("admin:leads_suppression_import"), {"file": upload, "reason": "opted_out"}, follow=True
    )
    assert is_suppressed(email="ann@example.com") and is_suppressed(phone="212-555-0199")
    assert "Line 4: no e-mail address, phone number or key." in response.content.decode()
    assert "ann@" not in " ".join(Suppression.objects.values_list("key", flat=True))


def test_the_erase_page_needs_the_permission_and_erases(client):
    LeadFactory(email="jo@example.com", contact_name="Jo")
    sales = UserFactory(username="sales", permissions=SALES)
    client.force_login(sales)
    assert client.get(reverse("admin:leads_suppression_erase")).status_code == 403

    manager = UserFactory(username="boss", permissions=[*SALES, "leads.erase_person", "leads.view_suppression"])
    client.force_login(manager)
    response = client.post(reverse("admin:leads_suppression_erase"), {"email": "jo@example.com"})
    assert "This field is required" in response.content.decode()  # the confirmation
    response = client.post(reverse("admin:leads_suppression_erase"), {"email": "jo@example.com", "confirm": "on"})
    assert response.status_code == 302
    assert Lead.objects.get().email == "" and is_suppressed(email="jo@example.com")


def test_masked_and_hashed_exports_need_no_contact_permission_plain_ones_do(client):
    LeadFactory(email="jo@example.com")
    user = UserFactory(username="sales", permissions=SALES)
    client.force_login(user)
    url = "/api/v1/export/create"
    body = {"export_type": "json", "include_contact_info": True, "columns": ["id", "email"]}
    assert client.post(url, body, content_type="application/json").status_code == 403
    answer = client.post(url, {**body, "options": {"contact_mode": "masked"}}, content_type="application/json")
    assert answer.status_code in (200, 201), answer.content
    export = Export.objects.get()
    assert export.options["contact_mode"] == "masked"
    bad = client.post(url, {**body, "options": {"contact_mode": "rot13"}}, content_type="application/json")
    assert bad.status_code == 400 and "contact_mode" in bad.content.decode()


def test_the_command_line_takes_the_same_options(tmp_path, admin_user):
    LeadFactory(email="jo@example.com", phone="415-555-0165")
    output = tmp_path / "leads.json"
    call_command(
        "export_leads",
        "--format=json",
        f"--output={output}",
        "--contact-info",
        "--columns=id,email,phone",
        "--contact-mode=masked",
        "--headers=labels",
        f"--user={admin_user.username}",
    )
    (lead,) = json.loads(output.read_text())["leads"]
    assert (lead["E-mail"], lead["Phone"]) == ("j***@example.com", "***-***-0165")
    assert Export.objects.get().options["contact_mode"] == "masked"


def test_the_admin_export_page_records_the_options(superuser_client):
    LeadFactory(email="jo@example.com")
    response = superuser_client.post(
        reverse("admin:leads_lead_export"),
        {"format": "csv", "columns": ["id", "email"], "include_contact_info": "on", "contact_mode": "hashed"},
    )
    assert response.status_code in (200, 302), response.content[:500]
    assert Export.objects.get().options["contact_mode"] == "hashed"


# The admin export page for a user without the contact permission: masked or hashed, never plain --------------

SAVER = [*SALES, "exports.add_savedexport", "exports.view_savedexport"]


@pytest.fixture
def sales_client(client):
    LeadFactory(email="jo@example.com", phone="212-555-0199", contact_name="Jo Smith", title="Oak table")
    client.force_login(UserFactory(username="sales", permissions=SAVER))
    return client


def test_the_export_page_offers_contact_columns_masked_or_hashed_and_previews_them_masked(sales_client):
    html = sales_client.get(reverse("admin:leads_lead_export")).content.decode()
    assert 'name="include_contact_info"' in html
    assert "E-mail (masked or hashed)" in html
    assert 'value="masked"' in html and 'value="hashed"' in html and 'value="plain"' not in html
    assert "j***@example.com" in html and "***-***-0199" in html
    assert "jo@example.com" not in html and "5550199" not in html and "Jo Smith" not in html


def test_the_preview_carries_each_contact_cell_in_every_mode_the_user_may_choose(sales_client, client):
    from exports.content.transforms import hash_email

    html = sales_client.get(reverse("admin:leads_lead_export")).content.decode()
    assert 'data-contact-masked="j***@example.com"' in html
    assert f'data-contact-hashed="{hash_email("jo@example.com")}"' in html
    assert "data-contact-plain" not in html and "jo@example.com" not in html

    client.force_login(UserFactory(username="manager", permissions=[*SAVER, "exports.view_contact_info"]))
    html = client.get(reverse("admin:leads_lead_export")).content.decode()
    assert 'data-contact-plain="jo@example.com"' in html and 'data-contact-masked="j***@example.com"' in html


@pytest.mark.parametrize("mode", ["masked", "hashed"])
def test_a_masked_or_hashed_export_from_the_page_downloads_without_the_permission(sales_client, mode):
    response = sales_client.post(
        reverse("admin:leads_lead_export"),
        {"format": "csv", "columns": ["id", "email", "phone"], "include_contact_info": "on", "contact_mode": mode},
    )
    assert response.status_code == 200, response.content[:300]
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "jo@example.com" not in content and "5550199" not in content
    expected = "j***@example.com" if mode == "masked" else hashlib.sha256(b"jo@example.com").hexdigest()
    assert expected in content
    export = Export.objects.get()
    assert export.include_contact_info and export.options["contact_mode"] == mode


@pytest.mark.parametrize("mode", ["plain", ""])
def test_plain_contact_values_are_refused_on_the_page_with_a_form_error(sales_client, mode):
    response = sales_client.post(
        reverse("admin:leads_lead_export"),
        {"format": "csv", "columns": ["id", "email"], "include_contact_info": "on", "contact_mode": mode},
    )
    assert response.status_code == 200
    assert "You may not export plain contact values" in response.content.decode()
    assert "jo@example.com" not in response.content.decode()
    assert not Export.objects.exists()


def test_save_this_export_keeps_masked_contact_columns_and_refuses_plain_ones(sales_client):
    from exports.models import SavedExport
    from exports.services.scheduled import saved_export_run

    data = {"format": "csv", "columns": ["id", "email"], "include_contact_info": "on", "_save_export": "1"}
    response = sales_client.post(
        reverse("admin:leads_lead_export"), {**data, "contact_mode": "plain", "save-name": "Plain"}
    )
    assert response.status_code == 200 and "You may not export plain contact values" in response.content.decode()
    assert not SavedExport.objects.exists()

    response = sales_client.post(
        reverse("admin:leads_lead_export"), {**data, "contact_mode": "masked", "save-name": "Masked"}
    )
    assert response.status_code == 302, response.content[:500]
    saved = SavedExport.objects.get()
    assert saved.include_contact_info and saved.options["contact_mode"] == "masked"
    export = saved_export_run(saved_export=saved)  # "Run now" and the schedule run as its owner
    assert export.status == "completed", export.error_message


def test_the_saved_export_service_refuses_plain_contact_values_without_the_permission(db):
    from django.core.exceptions import PermissionDenied

    from exports.services.saved import saved_export_create

    user = UserFactory(username="sales", permissions=SAVER)
    with pytest.raises(PermissionDenied):
        saved_export_create(user=user, name="Plain", include_contact_info=True)
    saved = saved_export_create(user=user, name="Hashed", include_contact_info=True, options={"contact_mode": "hashed"})
    assert saved.include_contact_info
