"""Demo roles and logins: the "Sales staff" and "Sales manager" groups and three users.

Permissions are named "app_label.codename" and looked up by codename. Those
that do not exist (yet) are skipped. Running again is safe and changes nothing
that exists: a group or login is set up only when it is created, so passwords
and groups changed in the admin are kept. `reset=True` (create_demo_users
--reset) puts the permissions, flags, groups and demo password back.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

DEFAULT_DEMO_PASSWORD = "leadsite-demo"

SALES_STAFF = "Sales staff"
SALES_MANAGER = "Sales manager"

_LEAD_PERMISSIONS = (
    "leads.view_lead",
    "leads.change_lead",
    "leads.view_location",
    "leads.view_category",
    "leads.view_scraperun",
    "leads.view_leadnote",
    "leads.add_leadnote",
    "rules.view_ruleleadclaim",  # a lead's page shows the rules that acted on it
)
_STAFF_EXPORT_PERMISSIONS = (
    "exports.add_export",
    "exports.view_export",  # their own history; view_all_exports widens it
    "exports.export_leads",
    # Their own saved (and scheduled) exports; view_all_exports lets managers see everyone's.
    "exports.add_savedexport",
    "exports.change_savedexport",
    "exports.view_savedexport",
    "exports.delete_savedexport",
)
_MANAGER_EXPORT_PERMISSIONS = (
    "leads.import_leads",
    # The do-not-contact list: managers keep it and answer erasure requests.
    "leads.view_suppression",
    "leads.add_suppression",
    "leads.delete_suppression",
    "leads.erase_person",
    "leads.merge_leads",  # merging duplicate leads, and undoing a merge
    "exports.view_contact_info",
    "exports.view_all_exports",
    "exports.cleanup_exports",
    "exports.add_savedexport",
    "exports.change_savedexport",
    "exports.view_savedexport",
    "exports.delete_savedexport",
    # The rule engine (rules): managers create, change and run rules and read every run.
    "rules.add_rule",
    "rules.change_rule",
    "rules.view_rule",
    "rules.delete_rule",
    "rules.run_rule",
    "rules.add_ruleaction",
    "rules.change_ruleaction",
    "rules.view_ruleaction",
    "rules.delete_ruleaction",
    "rules.view_ruleexecution",
    "rules.view_ruleleadoutcome",
    "operations.view_scheduleexecution",
)

# Outreach (the outreach app's models; named by string, so leads imports nothing of it): staff see the
# messages to their assigned leads and mark replies; managers run templates and A/B tests and see all.
_STAFF_OUTREACH_PERMISSIONS = (
    "outreach.view_autoresponse",
    "outreach.mark_replied",
    "outreach.view_responsetemplate",
    "outreach.view_abtest",
)
_MANAGER_OUTREACH_PERMISSIONS = (
    "outreach.view_all_autoresponses",
    "outreach.add_responsetemplate",
    "outreach.change_responsetemplate",
    "outreach.delete_responsetemplate",
    "outreach.add_templatevariant",
    "outreach.change_templatevariant",
    "outreach.delete_templatevariant",
    "outreach.view_templatevariant",
    "outreach.add_abtest",
    "outreach.change_abtest",
    "outreach.delete_abtest",
)

GROUP_PERMISSIONS: dict[str, tuple[str, ...]] = {
    SALES_STAFF: _LEAD_PERMISSIONS + _STAFF_EXPORT_PERMISSIONS + _STAFF_OUTREACH_PERMISSIONS,
    SALES_MANAGER: _LEAD_PERMISSIONS
    + _STAFF_EXPORT_PERMISSIONS
    + _MANAGER_EXPORT_PERMISSIONS
    + _STAFF_OUTREACH_PERMISSIONS
    + _MANAGER_OUTREACH_PERMISSIONS,
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    is_superuser: bool
    group: str | None


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("admin", "superuser: everything, users and groups included", is_superuser=True, group=None),
    DemoLogin(
        "manager",
        f"{SALES_MANAGER}: everyone's exports, contact details, saved exports, cleanup, lead imports, merges",
        is_superuser=False,
        group=SALES_MANAGER,
    ),
    DemoLogin(
        "sales",
        f"{SALES_STAFF}: browse and update leads, export without contact details",
        is_superuser=False,
        group=SALES_STAFF,
    ),
)


@dataclass(frozen=True)
class DemoUsersResult:
    logins: tuple[DemoLogin, ...]
    created: tuple[str, ...]
    password_is_default: bool
    missing_permissions: tuple[str, ...]


class DemoPasswordRequired(Exception):
    """The public default password may not be used while DEBUG is off."""


def demo_password() -> tuple[str, bool]:
    """(password, is_default): DEMO_PASSWORD when set, else the documented default."""
    if settings.DEMO_PASSWORD:
        return settings.DEMO_PASSWORD, False
    return DEFAULT_DEMO_PASSWORD, True


def demo_users_ensure(*, password: str | None = None, reset: bool = False) -> DemoUsersResult:
    """Create the two groups and the three logins that are missing (all of them again with `reset`)."""
    is_default = False
    if password is None:
        password, is_default = demo_password()
        if is_default and not settings.DEBUG:
            raise DemoPasswordRequired(
                "Refusing to create logins with the public demo password while DEBUG is off; set DEMO_PASSWORD."
            )
    missing: list[str] = []
    with transaction.atomic():
        groups = {}
        for name, permission_names in GROUP_PERMISSIONS.items():
            group, group_created = Group.objects.get_or_create(name=name)
            groups[name] = group
            if not (group_created or reset):
                continue
            permissions, not_found = permissions_lookup(permission_names)
            group.permissions.set(permissions)
            missing += [name for name in not_found if name not in missing]
        created = []
        for login in DEMO_LOGINS:
            user, was_created = get_user_model().objects.get_or_create(
                username=login.username, defaults={"email": f"{login.username}@example.com"}
            )
            if not (was_created or reset):
                continue  # an existing login keeps the password and groups it has now
            user.is_active = True
            user.is_staff = True
            user.is_superuser = login.is_superuser
            user.set_password(password)
            user.save()
            user.groups.set([groups[login.group]] if login.group else [])
            if was_created:
                created.append(login.username)
    return DemoUsersResult(
        logins=DEMO_LOGINS,
        created=tuple(created),
        password_is_default=is_default,
        missing_permissions=tuple(missing),
    )


def permissions_lookup(names: Iterable[str]) -> tuple[list[Permission], list[str]]:
    """The Permission rows for "app_label.codename" names, and the names that do not exist."""
    names = list(names)
    query = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    permissions = Permission.objects.filter(query).select_related("content_type")
    found = {f"{permission.content_type.app_label}.{permission.codename}": permission for permission in permissions}
    return [found[name] for name in names if name in found], [name for name in names if name not in found]
