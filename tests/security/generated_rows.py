"""Access-matrix rows generated for the admin's model routes and the admin site's own pages.

Each registered ModelAdmin has the same routes (changelist, add, change, delete, history), each
answering GET and POST. Their expected cells follow from the roles' permissions, declared once in
ROLE_PERMISSIONS from the product's groups (leads.demo_users): a role that holds the model's
view/add/change/delete permission gets the page (or its effect), any other staff role 403, and
anonymous, inactive and non-staff users the login page. Models whose admin narrows Django's rules
(export records, saved exports) say so in RULE_OVERRIDES.
"""

from itertools import count

from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from leads.demo_users import GROUP_PERMISSIONS, SALES_MANAGER, SALES_STAFF
from tests.exports.factories import SavedExportFactory, UserFactory
from tests.factories import CategoryFactory, LocationFactory, ScrapeRunFactory
from tests.security.matrix import STAFF_ROLES, Expect, Row, admin_cells, ok, redirect, status

_LEAD_ONLY = tuple(name for name in GROUP_PERMISSIONS[SALES_STAFF] if name.startswith("leads."))
ROLE_PERMISSIONS: dict[str, frozenset[str] | None] = {
    "staff_no_export": frozenset(_LEAD_ONLY),
    "staff_export": frozenset(GROUP_PERMISSIONS[SALES_STAFF]),
    "owner": frozenset(GROUP_PERMISSIONS[SALES_STAFF]),
    "view_all": frozenset({*GROUP_PERMISSIONS[SALES_STAFF], "exports.view_all_exports"}),
    "contact": frozenset({*GROUP_PERMISSIONS[SALES_STAFF], "exports.view_contact_info"}),
    "manager": frozenset(GROUP_PERMISSIONS[SALES_MANAGER]),
    "superuser": None,  # everything
}
# Models the matrix lists by hand for some routes, or whose admin narrows the rules: {model: {action: roles}}.
RULE_OVERRIDES: dict[str, dict[str, tuple[str, ...]]] = {
    # Records are never added, edited or deleted through the admin's own URLs (services do that).
    "exports.export": {"add": (), "change": (), "delete": ()},
    # Login records and task results are written by the system only; task results are kept.
    "axes.accessattempt": {"add": ()},
    "axes.accesslog": {"add": ()},
    "axes.accessfailurelog": {"add": ()},
    "django_tasks_database.dbtaskresult": {"add": (), "delete": ()},
    # The import history: importers (managers) see it; records are written by the import only.
    "leads.leadimport": {"view": ("manager", "superuser"), "add": (), "change": (), "delete": ()},
    # Messages are queued by rules and services and change only by sending, webhooks and marking replies.
    "outreach.autoresponse": {"add": (), "change": (), "delete": ()},
    # Rule runs, their per-lead outcomes and schedule runs are written by the engine and schedulers only.
    "rules.ruleexecution": {"add": (), "change": ()},
    "rules.ruleleadoutcome": {"add": (), "change": ()},
    "operations.scheduleexecution": {"add": (), "change": ()},
}
NOT_FOUND = "302 admin index (no such object)"
# Saved exports are listed to their owner (here the manager) or to who sees all exports: to other staff
# with the saved-export permissions (Sales staff) the manager's does not exist. The history page looks
# the object up before any permission, so there every other staff role is told the same.
HIDDEN_OBJECT_ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    "exports.savedexport": {
        "change": ("staff_export", "owner", "contact"),
        "delete": ("staff_export", "owner", "contact"),
        "history": ("staff_no_export", "staff_export", "owner", "contact"),
    }
}
CELL_OVERRIDES: dict[str, dict[str, str]] = {}
ADMIN_INDEX = "/admin/"
_unique = count()


def may(role: str, model_label: str, action: str) -> bool:
    if action == "none":
        return False
    overrides = RULE_OVERRIDES.get(model_label, {})
    if action in overrides:
        return role in overrides[action]
    permissions = ROLE_PERMISSIONS[role]
    if permissions is None:
        return True
    app_label, model_name = model_label.split(".")
    if action == "view":
        return bool({f"{app_label}.view_{model_name}", f"{app_label}.change_{model_name}"} & permissions)
    return f"{app_label}.{action}_{model_name}" in permissions


def cells_for(model_label: str, action: str, allowed: Expect, refused: Expect | None = None) -> dict[str, Expect]:
    refused = refused or status(403)
    return admin_cells(refused, {role: allowed for role in STAFF_ROLES if may(role, model_label, action)})


# Fresh objects for the change, delete and history routes; models without one use a missing id.
def _fresh_user(world):
    return UserFactory(username=f"matrix-user-{next(_unique)}")


FRESH = {
    "auth.user": _fresh_user,
    "auth.group": lambda world: Group.objects.create(name=f"Matrix group {next(_unique)}"),
    "leads.location": lambda world: LocationFactory(),
    "leads.category": lambda world: CategoryFactory(),
    "leads.scraperun": lambda world: ScrapeRunFactory(),
    "exports.savedexport": lambda world: SavedExportFactory(owner=world.user("manager")),
    "rules.rule": lambda world: _fresh_rule(world),
}


def _fresh_rule(world):
    from rules.models import Rule

    return Rule.objects.create(name=f"Matrix rule {next(_unique)}", owner=world.user("manager"), filters={})


MISSING_ID = "0"


def _object_id(target) -> str:
    return MISSING_ID if target is None else str(target.pk)


def _deleted(label: str):
    def check(response, *, target, **_):
        assert not type(target).objects.filter(pk=target.pk).exists(), f"{label} not deleted"

    return check


def model_rows(model, model_admin, *, skip: set[tuple[str, str]]) -> list[Row]:
    """GET and POST rows for each of the model's admin routes not in `skip` ((view name, method) pairs)."""
    opts = model._meta
    label = opts.label_lower
    name = f"admin:{opts.app_label}_{opts.model_name}"
    fresh = FRESH.get(label)
    prepare = (lambda world, make=fresh: make(world)) if fresh else None
    not_found = redirect(ADMIN_INDEX, label=NOT_FOUND)
    rows = []

    def add(view: str, method: str, url, cells, **kwargs):
        if (f"{name}_{view}", method) in skip:
            return
        row_name = f"{label} {view} ({method.upper()})"
        if row_name in CELL_OVERRIDES:
            named = {"ok": ok(), "403": status(403)}
            cells = {
                **cells_for(label, "none", ok()),
                **{role: not_found for role in STAFF_ROLES},
                **{role: named[kind] for role, kind in CELL_OVERRIDES[row_name].items()},
            }
        for role in HIDDEN_OBJECT_ROLES.get(label, {}).get(view, ()):
            cells = {**cells, role: not_found}
        rows.append(Row(row_name, method, url, cells, **kwargs))

    changelist = lambda w, t: reverse(f"{name}_changelist")  # noqa: E731
    add("changelist", "get", changelist, cells_for(label, "view", ok()))
    add("changelist", "post", changelist, cells_for(label, "view", ok()), data=lambda w, t, u: {})
    add_url = lambda w, t: reverse(f"{name}_add")  # noqa: E731
    add("add", "get", add_url, cells_for(label, "add", ok()))
    add(
        "add",
        "post",
        add_url,
        cells_for(label, "add", ok(label="200 form errors")),
        data=lambda w, t, u: {},
        state_changing=True,
    )

    def object_url(view):
        return lambda w, t: reverse(f"{name}_{view}", args=[_object_id(t)])

    if fresh:
        view_page, change_post = ok(), ok(label="200 form errors")
        delete_page = ok()
        delete_done = redirect(reverse(f"{name}_changelist"), _deleted(label), label="302 deleted")
        history = ok()
        history_refused = status(403)
    else:  # no object to show: the admin says so once the permission is checked
        view_page = change_post = delete_page = delete_done = not_found
        history = history_refused = not_found  # the history page looks the object up before the permission
    add("change", "get", object_url("change"), cells_for(label, "view", view_page), prepare=prepare)
    add(
        "change",
        "post",
        object_url("change"),
        # Without an object the admin checks the view permission, then says there is none.
        cells_for(label, "change" if fresh else "view", change_post),
        prepare=prepare,
        data=lambda w, t, u: {},
        state_changing=True,
    )
    add("delete", "get", object_url("delete"), cells_for(label, "delete", delete_page), prepare=prepare)
    add(
        "delete",
        "post",
        object_url("delete"),
        cells_for(label, "delete", delete_done),
        prepare=prepare,
        data=lambda w, t, u: {"post": "yes"},
        state_changing=True,
    )
    history_cells = cells_for(label, "view", history, history_refused)
    add("history", "get", object_url("history"), history_cells, prepare=prepare)
    add("history", "post", object_url("history"), history_cells, prepare=prepare, data=lambda w, t, u: {})
    return rows


def generated_rows(*, skip: set[tuple[str, str]]) -> list[Row]:
    rows = []
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label):
        rows += model_rows(model, model_admin, skip=skip)
    return rows


def _view_on_site_url(world, target) -> str:
    content_type = ContentType.objects.get_for_model(type(world.leads[0]))
    return reverse("admin:view_on_site", args=[content_type.pk, world.leads[0].pk])


_STAFF_OK = admin_cells(ok())
_STAFF_405 = admin_cells(status(405))
# Who is not signed in as staff has nothing to sign out of: back to the admin (then its login page).
_SIGNED_OUT_TO_INDEX = {role: redirect(ADMIN_INDEX) for role in ("anonymous", "inactive", "non_staff")}
SITE_ROWS = [
    Row("admin index (POST)", "post", lambda w, t: "/admin/", _STAFF_OK, data=lambda w, t, u: {}),
    Row(
        "app index: leads",
        "get",
        lambda w, t: reverse("admin:app_list", args=["leads"]),
        admin_cells(ok()),
    ),
    Row(
        "app index: auth (superuser only)",
        "post",
        lambda w, t: reverse("admin:app_list", args=["auth"]),
        admin_cells(status(404), superuser=ok()),
        data=lambda w, t, u: {},
    ),
    Row(
        "login page",
        "get",
        lambda w, t: reverse("admin:login"),
        {
            **{role: ok() for role in ("anonymous", "inactive", "non_staff")},
            **{r: redirect(ADMIN_INDEX) for r in STAFF_ROLES},
        },
    ),
    Row(
        "login with an empty form",  # (wrong passwords are throttled: tests/security/test_hardening.py)
        "post",
        lambda w, t: reverse("admin:login"),
        {role: ok(label="200 form errors") for role in ("anonymous", "inactive", "non_staff", *STAFF_ROLES)},
        data=lambda w, t, u: {"username": "", "password": ""},
    ),
    Row(
        "logout (GET is refused)",
        "get",
        lambda w, t: reverse("admin:logout"),
        {**_SIGNED_OUT_TO_INDEX, **{role: status(405) for role in STAFF_ROLES}},
    ),
    Row(
        "logout",
        "post",
        lambda w, t: reverse("admin:logout"),
        {**_SIGNED_OUT_TO_INDEX, **{role: ok(label="200 logged out") for role in STAFF_ROLES}},
    ),
    Row("password change page", "get", lambda w, t: reverse("admin:password_change"), _STAFF_OK),
    Row(
        "password change (empty form)",
        "post",
        lambda w, t: reverse("admin:password_change"),
        admin_cells(ok(label="200 form errors")),
        data=lambda w, t, u: {},
    ),
    Row("password changed page", "get", lambda w, t: reverse("admin:password_change_done"), _STAFF_OK),
    Row(
        "password changed page (POST)",
        "post",
        lambda w, t: reverse("admin:password_change_done"),
        _STAFF_405,
        data=lambda w, t, u: {},
    ),
    Row(
        "autocomplete: locations for the lead form",
        "get",
        lambda w, t: reverse("admin:autocomplete") + "?app_label=leads&model_name=lead&field_name=location&term=",
        admin_cells(ok()),
    ),
    Row(
        "autocomplete (POST)",
        "post",
        lambda w, t: reverse("admin:autocomplete"),
        _STAFF_405,
        data=lambda w, t, u: {},
    ),
    Row("admin translations (jsi18n)", "get", lambda w, t: reverse("admin:jsi18n"), _STAFF_OK),
    Row("admin translations (POST)", "post", lambda w, t: reverse("admin:jsi18n"), _STAFF_405, data=lambda w, t, u: {}),
    Row(
        "user password page",
        "get",
        lambda w, t: reverse("admin:auth_user_password_change", args=[t.pk]),
        admin_cells(status(403), superuser=ok()),
        prepare=_fresh_user,
    ),
    Row(
        "user password set (empty form)",
        "post",
        lambda w, t: reverse("admin:auth_user_password_change", args=[t.pk]),
        admin_cells(status(403), superuser=ok(label="200 form errors")),
        prepare=_fresh_user,
        data=lambda w, t, u: {},
        state_changing=True,
    ),
    Row("view on site: a lead", "get", _view_on_site_url, admin_cells(status(404))),
    Row("view on site (POST)", "post", _view_on_site_url, admin_cells(status(404)), data=lambda w, t, u: {}),
    Row("dashboard (POST)", "post", lambda w, t: "/admin/dashboard/", admin_cells(ok()), data=lambda w, t, u: {}),
]
