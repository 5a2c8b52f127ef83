"""Access control, table-driven: every page, admin view, action, download and API endpoint x every kind of user.

Rows are requests, columns the roles of tests/security/matrix.py (anonymous, inactive, non-staff,
staff without and with the export permission, the exports' owner, view-all, contact info, manager,
superuser). Each cell is the exact outcome: the login page, 401/403/404/405, or the content (a file
read back, the rows listed) or the effect (a lead changed, an export re-run) checked. Refusals must
change nothing. Then: CSRF on every state-changing request, contact info revoked after an export
was made, and download ids that are garbage, someone else's or path-like.

The filled-in matrix is written to <TEST_ARTIFACTS_DIR>/access_matrix.txt; the number of cells
checked is printed at the end of the module.
"""

import io
import json
import os
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.authentication import SessionAuthentication
from rest_framework.test import APIClient

from api.exceptions import api_not_found
from exports.content.columns import COLUMNS_BY_KEY, DEFAULT_COLUMN_KEYS
from exports.models import Export, ExportStatus
from exports.storage import export_storage
from leads.models import Lead, LeadStatus
from tests.operations.factories import WorkerHeartbeatFactory
from tests.security.duplicate_rows import DUPLICATE_ROWS
from tests.security.figures import figure_add
from tests.security.generated_rows import SITE_ROWS, generated_rows
from tests.security.ingest_rows import INGEST_ROWS
from tests.security.matrix import (
    CONTACT_FILE,
    CONTACT_ROLES,
    OWNER_FILE,
    ROLE_HELP,
    ROLES,
    SECRET_EMAILS,
    SEE_ALL,
    Expect,
    Row,
    World,
    admin_cells,
    admin_client,
    api_cells,
    api_client,
    body,
    csv_rows,
    is_attachment,
    ok,
    only,
    redirect,
    snapshot,
    status,
    text,
    world_build,
)
from tests.security.outreach_rows import OUTREACH_ROWS

pytestmark = pytest.mark.django_db

API = "/api/v1/export/"
LEADS = reverse("admin:leads_lead_changelist")
EXPORT_PAGE = reverse("admin:leads_lead_export")
HISTORY = reverse("admin:exports_export_changelist")
SAVED = reverse("admin:exports_savedexport_changelist")
RULES = reverse("admin:rules_rule_changelist")
DASHBOARD = reverse("dashboard:index")
PATH_LIKE_IDS = ("..%2F..%2Fetc%2Fpasswd", "%2e%2e", "2026%2F11%2Fx%2Fleads.csv", "..\\..\\secret", "%00")
CONTACT_REFUSAL = "This export includes contact information, which you are not allowed to see."
CELLS: dict[tuple[str, str], str] = {}  # (row, role) -> outcome label, for the printed matrix


@pytest.fixture
def world(db, settings):
    settings.API_EXPORT_RATE = "100000/minute"  # the throttle is tested in tests/api
    return world_build()


# Checks: each receives the response and the cell's world, target and user ---------------------------


def page_contains(*needles: str, absent: tuple[str, ...] = ()):
    def check(response, **_):
        content = text(response)
        for needle in needles:
            assert needle in content, f"{needle!r} missing"
        for needle in absent:
            assert needle not in content, f"{needle!r} shown"

    return check


def changelist_check(response, *, user, **_):
    content = text(response)
    assert "Matrix lead 0" in content
    assert ('id="export-all-link"' in content) == user.has_perm("exports.export_leads")


def lead_marked_contacted(response, *, target, **_):
    target.refresh_from_db()
    assert target.status == LeadStatus.CONTACTED


def lead_saved(response, *, target, user, **_):
    """Everyone who may change leads changes the status; only who may add leads edits the scraped title."""
    target.refresh_from_db()
    assert target.status == LeadStatus.CONTACTED
    assert (target.title == "Saved by the matrix") == user.has_perm("leads.add_lead"), target.title


def export_page_check(response, *, user, **_):
    content = text(response)
    assert 'id="export-count">3<' in content
    contact = user.has_perm("exports.view_contact_info")
    # Everyone may export contact columns masked or hashed; plain values only with the permission.
    assert 'name="include_contact_info"' in content and 'data-column="email"' in content
    assert ("E-mail (masked or hashed)" in content) != contact
    for email in SECRET_EMAILS:  # the preview never holds contact data the user may not export
        assert (email in content) == contact


def csv_with_contact_info_if_allowed(response, *, user, **_):
    """Contact columns asked for by name: a file with them, or (without the permission) a form error."""
    if not user.has_perm("exports.view_contact_info"):
        content = text(response)
        assert "You may not export plain contact values" in content
        assert not any(email in content for email in SECRET_EMAILS)
        return
    assert is_attachment(response, "csv")
    rows = csv_rows(response)
    assert rows[0] == ["Title", "E-mail"]
    assert sorted(row[1] for row in rows[1:]) == sorted(SECRET_EMAILS)


def csv_contact_columns_if_allowed(response, *, user, **_):
    """Contact info ticked (plain) with the default columns: the contact columns, or a form error."""
    if not user.has_perm("exports.view_contact_info"):
        content = text(response)
        assert "You may not export plain contact values" in content
        assert not any(email in content for email in SECRET_EMAILS)
        return
    assert is_attachment(response, "csv")
    rows = csv_rows(response)
    assert {"E-mail", "Phone", "Contact name"} <= set(rows[0])
    assert len(rows) == 1 + len(SECRET_EMAILS)
    assert any(email in row for row in rows for email in SECRET_EMAILS)


def csv_masked_contact_columns(response, **_):
    """Contact columns masked: a file for everyone who may export, with no plain value in it."""
    assert is_attachment(response, "csv")
    rows = csv_rows(response)
    assert rows[0] == ["Title", "E-mail"] and len(rows) == 1 + len(SECRET_EMAILS)
    assert all(row[1].count("***@") == 1 for row in rows[1:])
    assert not any(email in row for row in rows for email in SECRET_EMAILS)


def csv_without_contact_info(response, **_):
    content = text(response)
    assert not any(email in content for email in SECRET_EMAILS)
    assert len(csv_rows(content)) == 1 + len(SECRET_EMAILS)


def csv_with_contact_info(response, **_):
    rows = csv_rows(response)
    assert rows[0] == ["Title", "E-mail"]
    assert sorted(row[1] for row in rows[1:]) == sorted(SECRET_EMAILS)


def export_page_redirect(response, *, target, **_):
    assert f"ids={target.pk}" in response["Location"] and "format=csv" in response["Location"]


def history_lists(roles_seen):
    """The history (admin changelist or API list) shows the owner's export to `roles_seen` only."""

    def check(response, *, world, user, role, **_):
        content = text(response)
        assert (str(world.owner_export.pk) in content) == (role in roles_seen or role == "owner")
        assert (str(world.contact_export.pk) in content) == (role in (*SEE_ALL, "contact"))

    return check


def owner_file(response, **_):
    assert is_attachment(response, "csv")
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    assert body(response) == OWNER_FILE


def contact_file(response, **_):
    assert is_attachment(response, "csv")
    assert body(response) == CONTACT_FILE


def status_lists_owner_export(seen: bool):
    def check(response, *, world, **_):
        ids = [item["id"] for item in json.loads(response.content)["exports"]]
        assert ids == ([str(world.owner_export.pk)] if seen else [])

    return check


def rerun_made(response, *, world, user, **_):
    assert Export.objects.filter(rerun_of=world.owner_export, created_by=user).count() == 1


def cancelled(response, *, target, **_):
    target.refresh_from_db()
    assert target.status == ExportStatus.CANCELLED


def deleted(response, *, target, **_):
    assert not Export.objects.filter(pk=target.pk).exists()
    assert not export_storage().exists(target.file.name)


def matrix_rule(world):
    from rules.models import Rule

    return Rule.objects.create(name="Matrix run-now rule", owner=world.user("manager"), filters={"status": ["new"]})


def saved_export_runs(world) -> int:
    return Export.objects.filter(saved_export=world.saved_export).count()


def saved_export_ran(response, *, world, target, **_):
    assert saved_export_runs(world) == target + 1


def saved_export_not_run(response, *, world, target, **_):
    assert saved_export_runs(world) == target


# The saved export under test is the owner's; who sees everyone's exports may use it too.
SAVED_USERS = ("owner", "view_all", "manager", "superuser")


def token_made(response, *, user, **_):
    assert user.auth_token.key


def import_preview(response, **_):
    assert response.status_code == 200
    content = text(response)
    assert "Confirm import" in content and "Import lead 1" in content


def api_export_completed(response, **_):
    data = response.json()
    assert data["status"] == ExportStatus.COMPLETED and data["rows_written"] == len(SECRET_EMAILS)


def api_contact_export_completed(response, **_):
    data = response.json()
    assert data["status"] == ExportStatus.COMPLETED and data["include_contact_info"] is True
    assert data["columns"] == ["title", "email"]


def xlsx_file(response, **_):
    assert is_attachment(response, "xlsx") and body(response)[:2] == b"PK"


def zip_file(response, **_):
    assert is_attachment(response, "zip") and body(response)[:2] == b"PK"


def json_file(response, **_):
    assert is_attachment(response, "json")
    document = json.loads(body(response))
    assert isinstance(document, dict)


def json_object(*keys: str):
    def check(response, **_):
        data = response.json()
        assert set(keys) <= set(data), sorted(data)

    return check


def nothing_exported(response, *, target, **_):
    assert Export.objects.count() == target


def analytics_json_file(response, **_):
    assert is_attachment(response, "json")
    assert json.loads(body(response))["metadata"]["data_type"] == "analytics"


def zip_without_contact_info(response, **_):
    assert is_attachment(response, "zip")
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    leads_csv = archive.read("leads.csv").decode("utf-8-sig")
    assert "Matrix lead 0" in leads_csv
    assert not any(email in leads_csv for email in SECRET_EMAILS)


def api_history_check(response, *, world, role, **_):
    ids = {item["id"] for item in response.json()["results"]}
    assert (str(world.owner_export.pk) in ids) == (role in (*SEE_ALL, "owner"))
    assert (str(world.contact_export.pk) in ids) == (role in (*SEE_ALL, "contact"))


def api_detail_of_owner_export(response, *, world, **_):
    assert response.json()["id"] == str(world.owner_export.pk)


# Requests ----------------------------------------------------------------------------------------


def lead_change_url(world, target) -> str:
    return reverse("admin:leads_lead_change", args=[target.pk])


def lead_form(world, target, user) -> dict:
    return {
        "title": "Saved by the matrix",
        "status": "contacted",
        "price": "10",
        "description": "",
        "url": "",
        "location": target.location_id,
        "category": target.category_id,
        "source_post_id": target.source_post_id,
        "posted_at_0": "",
        "posted_at_1": "",
        "contact_name": "",
        "email": "",
        "phone": "",
    }


def lead_action(name: str):
    return lambda world, target, user: {"action": name, "_selected_action": [target.pk], "index": "0"}


def fresh_lead(world) -> Lead:
    return Lead.objects.create(
        location=world.leads[0].location,
        category=world.leads[0].category,
        source_post_id=f"fresh-{Lead.objects.count()}",
        title="A fresh lead",
    )


def export_url(name: str):
    return lambda world, target: reverse(f"exports:{name}", args=[target.pk])


def import_upload(world, target, user) -> dict:
    location, category = world.leads[0].location, world.leads[0].category
    data = f"source_post_id,location,category,title\nimp-1,{location.site_code},{category.code},Import lead 1\n"
    return {"format": "csv", "import_file": SimpleUploadedFile("leads.csv", data.encode())}


def import_previewed(world) -> dict:
    """Upload a one-row file as the superuser and return what the preview's confirm button posts."""
    client = admin_client(world.user("superuser"))
    preview = client.post(reverse("admin:leads_lead_import"), import_upload(world, None, None))
    assert preview.status_code == 200 and "Confirm import" in text(preview)
    return {"import_id": str(preview.context["preview"].record.pk), "action": "confirm"}


def import_confirmed(response, **_):
    assert Lead.objects.filter(title="Import lead 1").count() == 1


def lead_added(response, **_):
    assert Lead.objects.filter(source_post_id="added-by-matrix").count() == 1


def lead_deleted(response, *, target, **_):
    assert not Lead.objects.filter(pk=target.pk).exists()


EXPORT_FORM = {"format": "csv", "columns": ["title", "email"], "include_contact_info": "on"}


def export_form_default_columns(world, target, user) -> dict:
    """What the export page posts with contact info ticked: every default column the user is offered."""
    contact = user is not None and user.has_perm("exports.view_contact_info")
    columns = [key for key in DEFAULT_COLUMN_KEYS if contact or not COLUMNS_BY_KEY[key].is_contact]
    return {"format": "csv", "columns": columns, "include_contact_info": "on"}


NOT_FOUND_REDIRECT = redirect("/admin/", label="302 admin index (not found)")
SUPPRESSIONS = "/admin/leads/suppression/"
KEEPERS = ("manager", "superuser")  # who keeps the do-not-contact list and answers erasure requests


def person_erased(response, **_):
    from leads.suppression import is_suppressed

    assert is_suppressed(email="erase-me@example.com")


def suppression_csv(response, **_):
    assert b"".join(response.streaming_content).startswith(b"kind,key,reason,added_by,created_at")


ADMIN_ROWS = [
    Row(
        "do-not-contact: erase page",
        "get",
        lambda w, t: f"{SUPPRESSIONS}erase/",
        admin_cells(status(403), only(KEEPERS, ok(page_contains("Erase this person")))),
    ),
    Row(
        "do-not-contact: erase a person",
        "post",
        lambda w, t: f"{SUPPRESSIONS}erase/",
        admin_cells(status(403), only(KEEPERS, redirect(SUPPRESSIONS, person_erased, label="302 list, erased"))),
        data=lambda w, t, u: {"email": "erase-me@example.com", "confirm": "on"},
        state_changing=True,
    ),
    Row(
        "do-not-contact: import page",
        "get",
        lambda w, t: f"{SUPPRESSIONS}import/",
        admin_cells(status(403), only(KEEPERS, ok(page_contains("CSV file")))),
    ),
    Row(
        "do-not-contact: import (no file)",
        "post",
        lambda w, t: f"{SUPPRESSIONS}import/",
        admin_cells(status(403), only(KEEPERS, ok(label="200 form errors"))),
        data=lambda w, t, u: {},
        state_changing=True,
    ),
    Row(
        "do-not-contact: export the list",
        "get",
        lambda w, t: f"{SUPPRESSIONS}export/",
        admin_cells(status(403), only(KEEPERS, ok(suppression_csv))),
    ),
    Row("admin index", "get", lambda w, t: "/admin/", admin_cells(ok(page_contains("Leadsite")))),
    Row("lead changelist", "get", lambda w, t: f"{LEADS}?status=new", admin_cells(ok(changelist_check))),
    Row(
        "lead detail",
        "get",
        lambda w, t: reverse("admin:leads_lead_change", args=[w.leads[0].pk]),
        admin_cells(ok(page_contains("Matrix lead 0"))),
    ),
    Row(
        "lead save (change form)",
        "post",
        lead_change_url,
        admin_cells(redirect(LEADS, lead_saved)),
        data=lead_form,
        prepare=fresh_lead,
        state_changing=True,
    ),
    Row(
        "lead action: mark contacted",
        "post",
        lambda w, t: LEADS,
        admin_cells(redirect(LEADS, lead_marked_contacted)),
        data=lead_action("mark_contacted"),
        prepare=fresh_lead,
        state_changing=True,
    ),
    Row(
        "lead action: export selected as CSV",
        "post",
        lambda w, t: LEADS,
        admin_cells(
            redirect(f"{EXPORT_PAGE}?", export_page_redirect, label="302 export page"),
            # Not offered without the export permission: Django answers "No action selected."
            staff_no_export=redirect(LEADS, label="302 list (no such action)"),
        ),
        data=lead_action("export_selected_csv"),
        prepare=fresh_lead,
        state_changing=True,
    ),
    Row(
        "export page (intermediate)",
        "get",
        lambda w, t: f"{EXPORT_PAGE}?status=new",
        admin_cells(ok(export_page_check), staff_no_export=status(403)),
    ),
    Row(
        "export button: quick CSV, contact columns by name",
        "post",
        lambda w, t: f"{EXPORT_PAGE}?status=new",
        admin_cells(
            ok(csv_with_contact_info_if_allowed, label="200 form error"),
            only(CONTACT_ROLES, ok(csv_with_contact_info_if_allowed, label="200 file")),
            staff_no_export=status(403),
        ),
        data=lambda w, t, u: EXPORT_FORM,
        state_changing=True,
    ),
    Row(
        "export button: quick CSV, contact info ticked",
        "post",
        lambda w, t: f"{EXPORT_PAGE}?status=new",
        admin_cells(
            ok(csv_contact_columns_if_allowed, label="200 form error"),
            only(CONTACT_ROLES, ok(csv_contact_columns_if_allowed, label="200 file")),
            staff_no_export=status(403),
        ),
        data=export_form_default_columns,
        state_changing=True,
    ),
    Row(
        "export button: quick CSV, contact columns masked",
        "post",
        lambda w, t: f"{EXPORT_PAGE}?status=new",
        admin_cells(ok(csv_masked_contact_columns, label="200 file"), staff_no_export=status(403)),
        data=lambda w, t, u: {**EXPORT_FORM, "contact_mode": "masked"},
        state_changing=True,
    ),
    Row(
        "lead import page",
        "get",
        lambda w, t: reverse("admin:leads_lead_import"),
        admin_cells(
            status(403), superuser=ok(page_contains("source_post_id")), manager=ok(page_contains("source_post_id"))
        ),
    ),
    Row(
        "lead import upload",
        "post",
        lambda w, t: reverse("admin:leads_lead_import"),
        admin_cells(status(403), superuser=ok(import_preview), manager=ok(import_preview)),
        data=import_upload,
        state_changing=True,
    ),
    Row(
        "lead import confirm (GET is refused)",
        "get",
        lambda w, t: reverse("admin:leads_lead_process_import"),
        # The import permission is checked before the method.
        admin_cells(status(403), manager=status(405), superuser=status(405)),
    ),
    Row(
        "lead import confirm",
        "post",
        lambda w, t: reverse("admin:leads_lead_process_import"),
        # A manager may import, but not confirm someone else's preview: a 400 with a sentence.
        admin_cells(
            status(403),
            manager=status(400),
            superuser=redirect(LEADS, import_confirmed, label="302 list, lead imported"),
        ),
        prepare=import_previewed,
        data=lambda w, t, u: t,
        state_changing=True,
    ),
    Row(
        "lead add page",
        "get",
        lambda w, t: reverse("admin:leads_lead_add"),
        admin_cells(status(403), superuser=ok(page_contains('name="source_post_id"'))),
    ),
    Row(
        "lead add",
        "post",
        lambda w, t: reverse("admin:leads_lead_add"),
        admin_cells(status(403), superuser=redirect(LEADS, lead_added, label="302 list, lead added")),
        data=lambda w, t, u: {**lead_form(w, w.leads[0], u), "source_post_id": "added-by-matrix"},
        state_changing=True,
    ),
    Row(
        "lead delete page",
        "get",
        lambda w, t: reverse("admin:leads_lead_delete", args=[t.pk]),
        admin_cells(status(403), superuser=ok(page_contains("Are you sure"))),
        prepare=fresh_lead,
    ),
    Row(
        "lead delete",
        "post",
        lambda w, t: reverse("admin:leads_lead_delete", args=[t.pk]),
        admin_cells(status(403), superuser=redirect(LEADS, lead_deleted, label="302 list, lead deleted")),
        data=lambda w, t, u: {"post": "yes"},
        prepare=fresh_lead,
        state_changing=True,
    ),
    Row("dashboard", "get", lambda w, t: "/admin/dashboard/", admin_cells(ok(page_contains("chart-funnel")))),
    Row(
        "dashboard: export this view (analytics JSON)",
        "post",
        lambda w, t: f"{reverse('exports:analytics')}?status=new",
        admin_cells(
            ok(analytics_json_file, label="200 file"),
            staff_no_export=redirect(DASHBOARD, nothing_exported, label="302 dashboard + error"),
        ),
        data=lambda w, t, u: {"format": "json"},
        prepare=lambda w: Export.objects.count(),
        state_changing=True,
    ),
    Row(
        "dashboard: export this view (ZIP with leads)",
        "post",
        lambda w, t: f"{reverse('exports:analytics')}?status=new",
        admin_cells(
            ok(zip_without_contact_info, label="200 file without contact"),
            staff_no_export=redirect(DASHBOARD, nothing_exported, label="302 dashboard + error"),
        ),
        data=lambda w, t, u: {"format": "zip"},
        prepare=lambda w: Export.objects.count(),
        state_changing=True,
    ),
    Row(
        "export history (admin changelist)",
        "get",
        lambda w, t: HISTORY,
        admin_cells(ok(history_lists(SEE_ALL)), staff_no_export=status(403)),
    ),
    Row(
        "export history (exports:history link)",
        "get",
        lambda w, t: reverse("exports:history"),
        admin_cells(redirect(HISTORY)),
    ),
    Row(
        "export record page (owner's export)",
        "get",
        lambda w, t: reverse("admin:exports_export_change", args=[w.owner_export.pk]),
        admin_cells(
            NOT_FOUND_REDIRECT,
            only((*SEE_ALL, "owner"), ok(page_contains("leads_all_owner.csv")), NOT_FOUND_REDIRECT),
            staff_no_export=status(403),
        ),
    ),
    Row(
        "export record delete (admin's own URL)",
        "post",
        lambda w, t: reverse("admin:exports_export_delete", args=[t.pk]),
        admin_cells(status(403)),
        data=lambda w, t, u: {"post": "yes"},
        prepare=lambda w: w.completed_export(),
        state_changing=True,
    ),
    Row(
        "export status JSON",
        "get",
        lambda w, t: f"{reverse('exports:status')}?id={w.owner_export.pk}&id=garbage",
        admin_cells(
            ok(status_lists_owner_export(False)),
            only((*SEE_ALL, "owner"), ok(status_lists_owner_export(True)), ok(status_lists_owner_export(False))),
        ),
    ),
    Row(
        "download: owner's export",
        "get",
        lambda w, t: reverse("exports:download", args=[w.owner_export.pk]),
        admin_cells(status(404), only((*SEE_ALL, "owner"), ok(owner_file, label="200 file"), status(404))),
    ),
    Row(
        "download: export with contact info",
        "get",
        lambda w, t: reverse("exports:download", args=[w.contact_export.pk]),
        admin_cells(
            status(404),
            only(CONTACT_ROLES, ok(contact_file, label="200 file"), status(404)),
            view_all=Expect(403, "403 + reason", check=page_contains(CONTACT_REFUSAL, absent=SECRET_EMAILS)),
        ),
    ),
    Row(
        "download: garbage id",
        "get",
        lambda w, t: "/admin/exports/download/not-a-uuid/",
        admin_cells(status(404)),
    ),
    *(
        Row(
            f"download: path-like id {path}",
            "get",
            lambda w, t, p=path: f"/admin/exports/download/{p}/",
            admin_cells(status(404)),
        )
        for path in PATH_LIKE_IDS
    ),
    Row(
        "re-run (GET)",
        "get",
        lambda w, t: reverse("exports:rerun", args=[w.owner_export.pk]),
        admin_cells(status(405)),
    ),
    Row(
        "re-run",
        "post",
        lambda w, t: reverse("exports:rerun", args=[w.owner_export.pk]),
        admin_cells(status(404), only((*SEE_ALL, "owner"), redirect(HISTORY, rerun_made), status(404))),
        state_changing=True,
    ),
    Row(
        "cancel (pending export)",
        "post",
        export_url("cancel"),
        admin_cells(status(404), only((*SEE_ALL, "owner"), redirect(HISTORY, cancelled), status(404))),
        prepare=lambda w: w.pending_export(),
        state_changing=True,
    ),
    Row(
        "delete: confirmation page",
        "get",
        export_url("delete"),
        admin_cells(status(404), only((*SEE_ALL, "owner"), ok(page_contains("Delete export?")), status(404))),
        prepare=lambda w: w.completed_export(),
    ),
    Row(
        "delete",
        "post",
        export_url("delete"),
        admin_cells(status(404), only((*SEE_ALL, "owner"), redirect(HISTORY, deleted), status(404))),
        prepare=lambda w: w.completed_export(),
        state_changing=True,
    ),
    Row(
        "history action: re-run selected",
        "post",
        lambda w, t: HISTORY,
        admin_cells(
            redirect(HISTORY, label="302 (nothing visible)"),
            only((*SEE_ALL, "owner"), redirect(HISTORY, rerun_made), redirect(HISTORY, label="302 (nothing visible)")),
            staff_no_export=status(403),
        ),
        data=lambda w, t, u: {"action": "rerun_selected", "_selected_action": [w.owner_export.pk], "index": "0"},
        state_changing=True,
    ),
    Row(
        # Sales staff keep their own saved exports; who sees everyone's exports sees every saved one.
        "saved exports (changelist)",
        "get",
        lambda w, t: SAVED,
        admin_cells(
            status(403),
            only(("staff_export", "contact"), ok(page_contains(absent=("Owner&#x27;s weekly",)))),
            only(SAVED_USERS, ok(page_contains("Owner&#x27;s weekly"))),
        ),
    ),
    Row(
        "saved export (change page)",
        "get",
        lambda w, t: reverse("admin:exports_savedexport_change", args=[w.saved_export.pk]),
        admin_cells(
            status(403),
            # Another's saved export does not exist for them: the admin's "no such object" redirect.
            only(("staff_export", "contact"), redirect(reverse("admin:index"), label="302 (not found)")),
            only(SAVED_USERS, ok(page_contains("Owner&#x27;s weekly"))),
        ),
    ),
    Row(
        "saved exports action: run now",
        "post",
        lambda w, t: SAVED,
        admin_cells(
            status(403),
            only(("staff_export", "contact"), redirect(SAVED, saved_export_not_run, label="302 (nothing visible)")),
            only(SAVED_USERS, redirect(SAVED, saved_export_ran)),
        ),
        data=lambda w, t, u: {"action": "run_now", "_selected_action": [w.saved_export.pk], "index": "0"},
        prepare=saved_export_runs,
        state_changing=True,
    ),
    Row(
        "saved export: Run now button",
        "post",
        lambda w, t: reverse("admin:exports_savedexport_run", args=[w.saved_export.pk]),
        admin_cells(status(403), only(SAVED_USERS, redirect(SAVED, saved_export_ran), status(403))),
        prepare=saved_export_runs,
        state_changing=True,
    ),
    Row(
        "saved export: change filters in the lead list",
        "get",
        lambda w, t: reverse("admin:exports_savedexport_edit", args=[w.saved_export.pk]),
        admin_cells(status(403), only(SAVED_USERS, redirect(LEADS), status(403))),
    ),
    Row(
        "rules action: run now",
        "post",
        lambda w, t: RULES,
        admin_cells(status(403), only(("manager", "superuser"), redirect(RULES), status(403))),
        data=lambda w, t, u: {"action": "run_now", "_selected_action": [t.pk], "index": "0"},
        prepare=lambda w: matrix_rule(w),
        state_changing=True,
    ),
    Row(
        "create rule from the lead list's view",
        "get",
        lambda w, t: reverse("admin:rules_rule_add") + "?condition=status%3Dnew%26has_email%3Dtrue",
        admin_cells(
            status(403),
            only(
                ("manager", "superuser"), ok(page_contains('name="condition-status" value="new" checked')), status(403)
            ),
        ),
    ),
    Row("API token page", "get", lambda w, t: reverse("api-token"), admin_cells(ok(page_contains("API token")))),
    Row(
        "API token: create",
        "post",
        lambda w, t: reverse("api-token"),
        admin_cells(redirect(reverse("api-token"), token_made)),
        data=lambda w, t, u: {"action": "regenerate"},
        state_changing=True,
    ),
]


def api_json(payload):
    return lambda world, target, user: payload


def api_row(name, method, path, cells, *, data=None, state_changing=False, **kwargs) -> Row:
    url = path if callable(path) else (lambda w, t, p=path: p if p.startswith("/api/") else f"{API}{p}")
    extra = {"format": "json"} if data is not None else {}
    return Row(name, method, url, cells, api=True, data=data, state_changing=state_changing, extra=extra, **kwargs)


CONTACT_REQUEST = {"export_type": "csv", "columns": ["title", "email"], "include_contact_info": True}
REFUSED_EXPORT = {"staff_no_export": status(403)}

API_ROWS = [
    api_row(
        "API create",
        "post",
        "create",
        api_cells(ok(api_export_completed, code=201), **REFUSED_EXPORT),
        data=api_json({"export_type": "csv", "filters": {"status": ["new"]}}),
        state_changing=True,
    ),
    api_row(
        "API create with contact info",
        "post",
        "create",
        api_cells(status(403), only(CONTACT_ROLES, ok(api_contact_export_completed, code=201), status(403))),
        data=api_json(CONTACT_REQUEST),
        state_changing=True,
    ),
    api_row(
        "API download (create and serve)",
        "post",
        "download",
        api_cells(
            ok(csv_with_contact_info_if_allowed, label="200 file"),
            **REFUSED_EXPORT,
            staff_export=status(403),
            owner=status(403),
            view_all=status(403),
        ),
        data=api_json(CONTACT_REQUEST),
        state_changing=True,
    ),
    api_row(
        "API leads/csv",
        "get",
        "leads/csv?status=new",
        api_cells(ok(csv_without_contact_info, label="200 file"), **REFUSED_EXPORT),
        state_changing=False,
    ),
    api_row(
        "API leads/csv with contact info",
        "get",
        "leads/csv?status=new&include_contact_info=true&columns=title,email",
        api_cells(status(403), only(CONTACT_ROLES, ok(csv_with_contact_info, label="200 file"), status(403))),
    ),
    api_row("API leads/excel", "get", "leads/excel", api_cells(ok(xlsx_file, label="200 file"), **REFUSED_EXPORT)),
    api_row(
        "API analytics/json", "get", "analytics/json", api_cells(ok(json_file, label="200 file"), **REFUSED_EXPORT)
    ),
    api_row(
        "API comprehensive/zip", "get", "comprehensive/zip", api_cells(ok(zip_file, label="200 file"), **REFUSED_EXPORT)
    ),
    api_row(
        "API analytics/generate",
        "post",
        "analytics/generate",
        api_cells(ok(json_object("leads", "performance", "exportable_data"))),
        data=api_json({"filters": {"status": ["new"]}}),
    ),
    api_row("API analytics/leads", "get", "analytics/leads", api_cells(ok(json_object("totals")))),
    api_row("API analytics/performance", "get", "analytics/performance", api_cells(ok())),
    api_row("API stats/exportable-data", "get", "stats/exportable-data", api_cells(ok())),
    api_row("API history", "get", "history", api_cells(ok(api_history_check))),
    api_row(
        "API history/cleanup (dry run)",
        "delete",
        "history/cleanup?dry_run=true",
        api_cells(status(403), only(("manager", "superuser"), ok(json_object("records_expired")), status(403))),
        state_changing=True,
    ),
    api_row(
        "API history/<id> (owner's export)",
        "get",
        lambda w, t: f"{API}history/{w.owner_export.pk}",
        api_cells(status(404), only((*SEE_ALL, "owner"), ok(api_detail_of_owner_export), status(404))),
    ),
    api_row(
        "API history/<id>/file (owner's export)",
        "get",
        lambda w, t: f"{API}history/{w.owner_export.pk}/file",
        api_cells(status(404), only((*SEE_ALL, "owner"), ok(owner_file, label="200 file"), status(404))),
    ),
    api_row(
        "API history/<id>/file (export with contact info)",
        "get",
        lambda w, t: f"{API}history/{w.contact_export.pk}/file",
        api_cells(
            status(404), only(CONTACT_ROLES, ok(contact_file, label="200 file"), status(404)), view_all=status(403)
        ),
    ),
    api_row("API history/<garbage>/file", "get", "history/not-a-uuid/file", api_cells(status(404))),
    *(
        # An encoded slash cannot match the id's path segment: no URL, 404 before any authentication.
        api_row(
            f"API history/{path}/file",
            "get",
            f"history/{path}/file",
            {role: status(404) for role in ROLES} if "%2F" in path else api_cells(status(404)),
        )
        for path in PATH_LIKE_IDS
    ),
    # Permissions are checked before the method: without the export permission, any method is 403.
    api_row("API create (GET)", "get", "create", api_cells(status(405), **REFUSED_EXPORT)),
    api_row("API config/export-types", "get", "config/export-types", api_cells(ok(json_object("export_types")))),
    api_row("API config/data-types", "get", "config/data-types", api_cells(ok(json_object("data_types")))),
    api_row("API config/filters", "get", "config/filters", api_cells(ok(json_object("filters")))),
    api_row("API schema", "get", "/api/schema/", api_cells(ok(page_contains("/api/v1/export/create")))),
    api_row("API docs (Swagger UI)", "get", "/api/docs/", api_cells(ok(page_contains("swagger-ui")))),
]


def health_answers(response, **_):
    """The public health report names each part's state and nothing else (no hosts, paths or counts)."""
    assert response.json() == {"database": "ok", "worker": "ok", "storage": "ok"}
    assert "no-cache" in response["Cache-Control"]


def worker_alive(world):
    return WorkerHeartbeatFactory()


# Pages outside the admin and the API: the same answer for everyone, logged in or not.
PUBLIC_ROWS = [
    Row(
        "health (public JSON for load balancers)",
        "get",
        lambda w, t: reverse("health"),
        {role: ok(health_answers) for role in ROLES},
        prepare=worker_alive,
    ),
]

# The hand-written rows, then the admin site's pages and every admin model route (tests/security/generated_rows.py).
ROWS = [
    *ADMIN_ROWS,
    *DUPLICATE_ROWS,
    *API_ROWS,
    *INGEST_ROWS,
    *PUBLIC_ROWS,
    *SITE_ROWS,
    *OUTREACH_ROWS,
    *generated_rows(skip=set()),
]
GENERATED_READ_ONLY_POSTS = {
    row.name for row in [*SITE_ROWS, *generated_rows(skip=set())] if row.method == "post" and not row.state_changing
}


def request(client, row: Row, world: World, target, user):
    url = row.url(world, target)
    data = row.data(world, target, user) if row.data else None
    method = getattr(client, row.method)
    if data is None:
        return method(url, **row.extra)
    return method(url, data, **row.extra)


def check_cell(row: Row, role: str, world: World) -> str | None:
    """Run one cell; returns a description of the mismatch, or None."""
    expect = row.cells[role]
    user = world.user(role)
    target = row.prepare(world) if row.prepare else None
    client = api_client(user) if row.api else admin_client(user)
    before = snapshot()
    response = request(client, row, world, target, user)
    CELLS[(row.name, role)] = expect.label
    got = f"{response.status_code} {response.get('Location', '')}".strip()
    if response.status_code != expect.status:
        return f"{role}: expected {expect.label}, got {got}: {body(response)[:300]!r}"
    if expect.location is not None and not response["Location"].startswith(expect.location):
        return f"{role}: expected a redirect to {expect.location}, got {got}"
    if expect.refused and snapshot() != before:
        return f"{role}: refused ({got}) but the database changed"
    if expect.check is not None:
        try:
            expect.check(response, world=world, target=target, user=user, role=role)
        except AssertionError as error:
            return f"{role}: {expect.label} but the content is wrong: {error}"
    return None


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_access_matrix_row(world, row):
    failures = [failure for role in ROLES if (failure := check_cell(row, role, world))]
    assert not failures, f"{row.name}:\n" + "\n".join(failures)


# CSRF: every state-changing request is refused without the token and accepted with it ------------

# (The admin's own delete URL of export records is refused to everyone, superusers included.)
STATE_CHANGING = [row for row in ROWS if row.state_changing and not row.cells["superuser"].refused]
# Who performs each state-changing request: allowed to (so only CSRF can refuse it).
CSRF_ACTOR = {row.name: "superuser" for row in STATE_CHANGING}


def csrf_token(client) -> str:
    client.get("/admin/")  # any admin page sets the cookie
    return client.cookies["csrftoken"].value


def session_client(row: Row, user):
    client = APIClient(enforce_csrf_checks=True) if row.api else admin_client(user, enforce_csrf_checks=True)
    if row.api:
        client.force_login(user)
    return client


@pytest.mark.parametrize("row", STATE_CHANGING, ids=[row.name for row in STATE_CHANGING])
def test_state_changing_requests_need_the_csrf_token(world, row):
    role = CSRF_ACTOR[row.name]
    user = world.user(role)
    expect = row.cells[role]
    assert not expect.refused, "the actor must be allowed, so that only CSRF refuses"

    target = row.prepare(world) if row.prepare else None
    client = session_client(row, user)
    before = snapshot()
    refused = request(client, row, world, target, user)
    assert refused.status_code == 403, body(refused)[:300]
    assert b"CSRF" in body(refused)
    assert snapshot() == before
    CELLS[(f"CSRF: {row.name}", "without token")] = "403"

    token = csrf_token(client)
    url = row.url(world, target)
    data = row.data(world, target, user) if row.data else None
    method = getattr(client, row.method)
    if row.api:
        accepted = method(url, data, HTTP_X_CSRFTOKEN=token, **row.extra)
    else:
        accepted = method(url, {**(data or {}), "csrfmiddlewaretoken": token})
    assert accepted.status_code == expect.status, body(accepted)[:300]
    if expect.check is not None:
        expect.check(accepted, world=world, target=target, user=user, role=role)
    CELLS[(f"CSRF: {row.name}", "with token")] = expect.label


def test_every_admin_post_form_in_the_matrix_is_csrf_protected(world):
    """Guards the CSRF list itself: every POST row of the matrix is in it."""
    posts = {row.name for row in ROWS if row.method in ("post", "delete")}
    refused_to_everyone = {row.name for row in ROWS if row.cells["superuser"].refused}
    # Outreach's session-less posts are exempt by design (see the CSRF exemption test below).
    sessionless = {row.name for row in OUTREACH_ROWS if row.method == "post"}
    assert posts - {
        row.name for row in STATE_CHANGING
    } - refused_to_everyone - GENERATED_READ_ONLY_POSTS - sessionless == {
        "API analytics/generate",  # reads only; its CSRF check is the test below
    }


def test_api_post_with_session_auth_needs_csrf_even_when_it_only_reads(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.user("manager"))
    refused = client.post(f"{API}analytics/generate", {"filters": {}}, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    accepted = client.post(
        f"{API}analytics/generate", {"filters": {}}, format="json", HTTP_X_CSRFTOKEN=csrf_token(client)
    )
    assert accepted.status_code == 200
    CELLS[("CSRF: API analytics/generate (session)", "without/with token")] = "403/200"


def url_patterns(resolver=None, prefix=""):
    """Every (route, view) the site serves, the admin's own URLs included."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern, route)
        else:
            yield route, pattern.callback


def test_no_view_outside_the_api_is_exempt_from_csrf_and_the_api_checks_it_for_sessions(world):
    exempt = {route: view for route, view in url_patterns() if getattr(view, "csrf_exempt", False)}
    # Outside the API, two kinds of view take posts no browser session makes, authenticated otherwise:
    # the unsubscribe one-click POST (RFC 8058; the signed token is the proof, it needs no login and
    # only opts out) and the provider webhooks (the provider's signature, checked by anymail).
    outside_api = {route for route in exempt if not route.startswith(("api/", "^api/"))}
    assert outside_api == {
        "outreach/unsubscribe/<str:token>/",
        "anymail/mailgun/tracking/",
        "anymail/mailgun/inbound/",
    }
    exempt = {route: view for route, view in exempt.items() if route not in outside_api}
    # DRF marks its views exempt and checks CSRF itself for session-authenticated requests.
    assert exempt and all(route.startswith(("api/", "^api/")) for route in exempt), sorted(exempt)
    # The JSON 404 for paths under /api/ that are no endpoint changes nothing (api.exceptions.api_not_found).
    assert exempt.pop("^api/") is api_not_found
    for view in exempt.values():
        authenticators = [authentication() for authentication in view.cls.authentication_classes]
        sessions = [item for item in authenticators if isinstance(item, SessionAuthentication)]
        assert not sessions or all(type(item).enforce_csrf is SessionAuthentication.enforce_csrf for item in sessions)
    figure_add("URL patterns checked for CSRF exemption", len(list(url_patterns())))


# Contact information revoked after the export was made -------------------------------------------


def test_contact_info_is_refused_at_download_time_once_the_permission_is_revoked(world):
    contact = world.user("contact")
    permission = Permission.objects.get(content_type__app_label="exports", codename="view_contact_info")
    contact.user_permissions.remove(permission)
    contact = type(contact).objects.get(pk=contact.pk)
    export = world.contact_export
    admin, api_session = admin_client(contact), api_client(contact)
    before = snapshot()

    page = admin.get(reverse("exports:download", args=[export.pk]))
    assert page.status_code == 403
    content = text(page)
    assert CONTACT_REFUSAL in content  # says why
    assert not any(email in content for email in SECRET_EMAILS)
    api = api_session.get(f"{API}history/{export.pk}/file")
    assert api.status_code == 403
    assert "contact information" in api.json()["detail"]
    assert snapshot() == before  # no download recorded

    # A re-run is refused too (permissions are checked afresh), and says why.
    rerun = admin.post(reverse("exports:rerun", args=[export.pk]), follow=True)
    assert "contact information" in text(rerun)
    assert not Export.objects.filter(rerun_of=export).exists()
    # The exports without contact info stay available to their owner.
    own = Export.objects.create(created_by=contact, format="csv", status=ExportStatus.COMPLETED)
    assert admin.get(reverse("exports:download", args=[own.pk])).status_code == 410  # no file: gone, not refused
    CELLS[("contact info revoked after the export", "admin download")] = "403"
    CELLS[("contact info revoked after the export", "API file")] = "403"
    CELLS[("contact info revoked after the export", "re-run")] = "302 + error message, nothing made"


# Download ids: garbage, someone else's, path-like -> 404, never a file, never a 500 ------------------

HOSTILE_IDS = (
    "not-a-uuid",
    "0",
    "-1",
    "00000000-0000-0000-0000-000000000000",
    "%27%20OR%201%3D1--",
    "%3Cscript%3E",
    "x" * 300,
    quote("ëxpørt"),
    *PATH_LIKE_IDS,
)


@pytest.mark.parametrize("export_id", HOSTILE_IDS)
def test_hostile_download_ids_are_404_for_everyone_who_may_download(world, export_id):
    for role in ("owner", "superuser"):
        for url in (f"/admin/exports/download/{export_id}/", f"{API}history/{export_id}/file"):
            client = api_client(world.user(role)) if url.startswith(API) else admin_client(world.user(role))
            response = client.get(url)
            assert response.status_code == 404, (role, url, response.status_code)
            assert "attachment" not in response.get("Content-Disposition", "")
            assert OWNER_FILE not in body(response)
            CELLS[(f"hostile id {export_id[:20]}", f"{role} {url[:6]}")] = "404"


def test_another_users_export_answers_exactly_like_a_missing_one(world):
    client = admin_client(world.user("staff_export"))
    missing = client.get(reverse("exports:download", args=["00000000-0000-0000-0000-000000000000"]))
    someone_elses = client.get(reverse("exports:download", args=[world.owner_export.pk]))
    assert missing.status_code == someone_elses.status_code == 404
    assert missing.content == someone_elses.content
    api = api_client(world.user("staff_export"))
    assert (
        api.get(f"{API}history/00000000-0000-0000-0000-000000000000/file").json()
        == api.get(f"{API}history/{world.owner_export.pk}/file").json()
    )
    CELLS[("someone else's export vs a missing one", "staff_export")] = "same 404"


# The matrix, printed ------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def report_matrix():
    yield
    if not CELLS:
        return
    rows = list(dict.fromkeys(name for name, _ in CELLS))
    width = max(len(name) for name in rows)
    lines = [f"Access matrix: {len(CELLS)} cells checked ({len(rows)} rows)", ""]
    lines += [f"  {role:16} {ROLE_HELP[role]}" for role in ROLES]
    lines.append("")
    lines.append(" " * width + " | " + " | ".join(ROLES))
    for name in rows:
        if all((name, role) in CELLS for role in ROLES):
            lines.append(f"{name:{width}} | " + " | ".join(CELLS[(name, role)] for role in ROLES))
        else:
            extra = ", ".join(f"{column}: {label}" for (row, column), label in CELLS.items() if row == name)
            lines.append(f"{name:{width}} | {extra}")
    directory = Path(os.environ.get("TEST_ARTIFACTS_DIR") or Path(__file__).resolve().parents[2] / "test-artifacts")
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "access_matrix.txt").write_text("\n".join(lines) + "\n")
    figure_add("access matrix cells checked (see access_matrix.txt)", len(CELLS))
