"""The building blocks of the access-control matrix (tests/security/test_access_matrix.py).

    Role      one kind of user (a column): how the user is made and how its clients log in
    World     the users and the objects every cell works on, built afresh for each row
    Expect    what one cell must answer: a status, a redirect target, and a check of the content or effect
    Row       one request (a page, view, action, download or API endpoint) and its expected cell per role

A refused cell (a redirect to the login page, 401, 403, 404, 405) must also change nothing: the
database snapshot before and after the request is compared.
"""

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from exports.models import Export, ExportDownload, SavedExport
from leads.demo_users import GROUP_PERMISSIONS, SALES_MANAGER, SALES_STAFF, demo_users_ensure, permissions_lookup
from leads.models import Lead, LeadMerge
from tests.exports.factories import ExportFactory, SavedExportFactory, UserFactory
from tests.factories import LeadFactory

PASSWORD = "matrix-pass-word-123"
LOGIN_PREFIX = "/admin/login/?next="

ROLES = (
    "anonymous",
    "inactive",
    "non_staff",
    "staff_no_export",
    "staff_export",
    "owner",
    "view_all",
    "contact",
    "manager",
    "superuser",
)
ROLE_HELP = {
    "anonymous": "not logged in",
    "inactive": "Sales staff, deactivated after logging in (its session and token stay)",
    "non_staff": "Sales staff permissions but not is_staff",
    "staff_no_export": "staff with the lead permissions only (no export permission)",
    "staff_export": 'the demo "sales" login: Sales staff group (export, no contact info, own exports)',
    "owner": "Sales staff who made the exports and the saved export under test",
    "view_all": "Sales staff + exports.view_all_exports",
    "contact": "Sales staff + exports.view_contact_info (owns the contact-info export)",
    "manager": 'the demo "manager" login: Sales manager group',
    "superuser": 'the demo "admin" login',
}
# Roles that may export (exports.export_leads), and those that may see contact information.
EXPORTERS = ("staff_export", "owner", "view_all", "contact", "manager", "superuser")
CONTACT_ROLES = ("contact", "manager", "superuser")
# Roles that see everyone's exports.
SEE_ALL = ("view_all", "manager", "superuser")
STAFF_ROLES = ("staff_no_export", *EXPORTERS)

SECRET_EMAILS = ("secret-1@leads.example", "secret-2@leads.example", "secret-3@leads.example")
OWNER_FILE = b"ID,Title\r\n1,Bike\r\n"
CONTACT_FILE = b"ID,E-mail\r\n1,secret-1@leads.example\r\n"


@dataclass
class World:
    users: dict[str, Any]
    leads: list[Lead]
    owner_export: Export  # completed, with a file, no contact info, made by `owner`
    contact_export: Export  # completed, with contact info, made by `contact`
    saved_export: SavedExport  # made by `owner`

    def user(self, role: str):
        return self.users[role]

    def pending_export(self) -> Export:
        return ExportFactory(created_by=self.users["owner"], row_count=1)

    def completed_export(self) -> Export:
        return ExportFactory(
            created_by=self.users["owner"], completed=True, file_content=OWNER_FILE, file_name="leads_all_x.csv"
        )


def world_build() -> World:
    """The matrix's users (see ROLE_HELP), three leads with secret e-mails, two completed exports, a saved export."""
    demo_users_ensure(password=PASSWORD)  # the real "Sales staff" / "Sales manager" groups and demo logins
    sales = Group.objects.get(name=SALES_STAFF)
    assert Group.objects.filter(name=SALES_MANAGER).exists()
    lead_permissions, missing = permissions_lookup(
        [name for name in GROUP_PERMISSIONS[SALES_STAFF] if name.startswith("leads.")]
    )
    assert not missing

    def sales_user(username: str, *permissions: str, **flags):
        user = UserFactory(username=username, permissions=list(permissions), **flags)
        user.groups.add(sales)
        return user

    no_export = UserFactory(username="no-export")
    no_export.user_permissions.add(*lead_permissions)
    model = get_user_model()
    users = {
        "anonymous": None,
        "inactive": sales_user("inactive", is_active=False),
        "non_staff": sales_user("non-staff", is_staff=False),
        "staff_no_export": no_export,
        "staff_export": model.objects.get(username="sales"),
        "owner": sales_user("owner"),
        "view_all": sales_user("view-all", "exports.view_all_exports"),
        "contact": sales_user("contact", "exports.view_contact_info"),
        "manager": model.objects.get(username="manager"),
        "superuser": model.objects.get(username="admin"),
    }
    # Fresh objects: no permission cache from the setup above.
    users = {role: None if user is None else model.objects.get(pk=user.pk) for role, user in users.items()}
    leads = [LeadFactory(status="new", email=email, title=f"Matrix lead {n}") for n, email in enumerate(SECRET_EMAILS)]
    owner_export = ExportFactory(
        created_by=users["owner"], completed=True, file_content=OWNER_FILE, file_name="leads_all_owner.csv"
    )
    contact_export = ExportFactory(
        created_by=users["contact"],
        completed=True,
        include_contact_info=True,
        columns=["id", "email"],
        file_content=CONTACT_FILE,
        file_name="leads_all_contact.csv",
    )
    saved = SavedExportFactory(owner=users["owner"], name="Owner's weekly")
    return World(users=users, leads=leads, owner_export=owner_export, contact_export=contact_export, saved_export=saved)


def admin_client(user, *, enforce_csrf_checks: bool = False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf_checks)
    if user is not None:
        client.force_login(user)
    return client


def api_client(user) -> APIClient:
    """Token authentication, as scripts use the API (session auth is covered by the CSRF tests)."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def snapshot() -> tuple:
    """Everything a request could change that the matrix cares about, to prove a refusal changed nothing."""
    return (
        sorted(Export.objects.values_list("pk", "status", "download_count", "created_by_id", "rerun_of_id")),
        sorted(Lead.objects.values_list("pk", "status", "title", "merged_into_id", "duplicate_group_id")),
        sorted(LeadMerge.objects.values_list("pk", "undone_at")),
        sorted(Token.objects.values_list("user_id", "key")),
        sorted(SavedExport.objects.values_list("pk", "name", "last_run_at")),
        ExportDownload.objects.count(),
    )


# Expectations -------------------------------------------------------------------------------------

Check = Callable[..., None]  # check(response, world=..., target=..., user=...) raises AssertionError


@dataclass(frozen=True)
class Expect:
    status: int
    label: str
    location: str | None = None  # the redirect's target must start with this
    check: Check | None = None

    @property
    def refused(self) -> bool:
        return self.status in (401, 403, 404, 405) or self.location == LOGIN_PREFIX


LOGIN = Expect(302, "login", location=LOGIN_PREFIX)


def status(code: int) -> Expect:
    return Expect(code, str(code))


def ok(check: Check | None = None, *, code: int = 200, label: str | None = None) -> Expect:
    return Expect(code, label or str(code), check=check)


def redirect(location: str, check: Check | None = None, *, label: str | None = None) -> Expect:
    return Expect(302, label or f"302 {location}", location=location, check=check)


def admin_cells(default: Expect, *layers: Mapping[str, Expect], **per_role: Expect) -> dict[str, Expect]:
    """Anonymous, inactive and non-staff users go to the login page; staff get `default`, then `layers`, then named."""
    cells = {"anonymous": LOGIN, "inactive": LOGIN, "non_staff": LOGIN}
    cells.update({role: default for role in STAFF_ROLES})
    for layer in layers:
        cells.update(layer)
    cells.update(per_role)
    return cells


def api_cells(default: Expect, *layers: Mapping[str, Expect], **per_role: Expect) -> dict[str, Expect]:
    """No credentials and an inactive user's token get 401; a non-staff token 403; staff as in admin_cells."""
    cells = {"anonymous": status(401), "inactive": status(401), "non_staff": status(403)}
    cells.update({role: default for role in STAFF_ROLES})
    for layer in layers:
        cells.update(layer)
    cells.update(per_role)
    return cells


def only(roles, expect: Expect, otherwise: Expect | None = None) -> dict[str, Expect]:
    """`expect` for the staff roles named, and `otherwise` (when given) for the other staff roles."""
    cells = {role: expect for role in roles}
    if otherwise is not None:
        cells.update({role: otherwise for role in STAFF_ROLES if role not in roles})
    return cells


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    url: Callable[[World, Any], str]
    cells: Mapping[str, Expect]
    api: bool = False
    data: Callable[[World, Any, Any], Any] | None = None  # data(world, target, user)
    prepare: Callable[[World], Any] | None = None  # a fresh target for each cell (state-changing rows)
    state_changing: bool = False
    extra: dict = field(default_factory=dict)  # request keyword arguments, e.g. {"format": "json"}

    def __post_init__(self):
        assert set(self.cells) == set(ROLES), f"{self.name}: cells for {sorted(set(ROLES) ^ set(self.cells))}"


# Reading responses --------------------------------------------------------------------------------


def body(response) -> bytes:
    """The whole body; a streamed one is consumed, which closes it the way the test client expects.

    (Calling response.close() directly would fire request_finished with close_old_connections still
    connected, closing the test's database connection on PostgreSQL.)
    """
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def text(response) -> str:
    return body(response).decode("utf-8-sig")


def csv_rows(response_or_text) -> list[list[str]]:
    content = response_or_text if isinstance(response_or_text, str) else text(response_or_text)
    return list(csv.reader(io.StringIO(content)))


def is_attachment(response, extension: str) -> bool:
    disposition = response.get("Content-Disposition", "")
    return disposition.startswith("attachment;") and disposition.rstrip('"').endswith(f".{extension}")
