"""Demo roles and logins (leads.demo_users, manage.py create_demo_users)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from leads import demo_users
from leads.demo_users import (
    DEFAULT_DEMO_PASSWORD,
    SALES_MANAGER,
    SALES_STAFF,
    DemoPasswordRequired,
    demo_users_ensure,
    permissions_lookup,
)

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = ""
    return settings


def granted(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_creates_three_logins_with_their_roles(debug):
    result = demo_users_ensure()
    assert set(result.created) == {"admin", "manager", "sales"}
    admin, manager, sales = (User.objects.get(username=name) for name in ("admin", "manager", "sales"))
    assert admin.is_superuser and admin.is_staff
    assert manager.is_staff and not manager.is_superuser
    assert sales.is_staff and not sales.is_superuser
    assert list(manager.groups.values_list("name", flat=True)) == [SALES_MANAGER]
    assert list(sales.groups.values_list("name", flat=True)) == [SALES_STAFF]
    assert not admin.groups.exists()
    for user in (admin, manager, sales):
        assert user.check_password(DEFAULT_DEMO_PASSWORD)


def test_groups_get_lead_and_export_permissions(debug):
    demo_users_ensure()
    staff, manager = granted(SALES_STAFF), granted(SALES_MANAGER)
    lead_permissions = {
        "leads.view_lead",
        "leads.change_lead",
        "leads.view_location",
        "leads.view_category",
        "leads.view_scraperun",
    }
    assert lead_permissions <= staff and lead_permissions <= manager
    assert {"exports.add_export", "exports.view_export", "exports.export_leads"} <= staff
    manager_only = {
        "exports.view_contact_info",
        "exports.view_all_exports",
        "exports.cleanup_exports",
    }
    assert manager_only <= manager
    assert not manager_only & staff
    # Sales staff keep their own saved exports (the admin shows each person only theirs).
    assert {"exports.add_savedexport", "exports.view_savedexport", "exports.change_savedexport"} <= staff
    assert "leads.delete_lead" not in manager
    sales = User.objects.get(username="sales")
    assert sales.has_perm("exports.export_leads") and not sales.has_perm("exports.view_contact_info")
    assert User.objects.get(username="manager").has_perm("exports.view_contact_info")


def change_the_sales_login_and_its_group():
    sales = User.objects.get(username="sales")
    sales.is_staff = False
    sales.set_password("chosen-by-sales")
    sales.save()
    sales.groups.set([Group.objects.get(name=SALES_MANAGER)])
    Group.objects.get(name=SALES_STAFF).permissions.clear()
    return sales


def test_running_again_keeps_what_exists(debug):
    demo_users_ensure()
    sales = change_the_sales_login_and_its_group()

    result = demo_users_ensure()

    assert result.created == ()
    assert User.objects.count() == 3 and Group.objects.count() == 2
    assert granted(SALES_STAFF) == set()
    sales.refresh_from_db()
    assert not sales.is_staff and sales.check_password("chosen-by-sales")
    assert list(sales.groups.values_list("name", flat=True)) == [SALES_MANAGER]


def test_running_again_creates_only_the_missing_login(debug):
    demo_users_ensure()
    sales = change_the_sales_login_and_its_group()
    User.objects.filter(username="manager").delete()

    result = demo_users_ensure()

    assert result.created == ("manager",)
    manager = User.objects.get(username="manager")
    assert manager.check_password(DEFAULT_DEMO_PASSWORD)
    assert list(manager.groups.values_list("name", flat=True)) == [SALES_MANAGER]
    sales.refresh_from_db()
    assert sales.check_password("chosen-by-sales")


def test_reset_restores_and_changes_nothing_else(debug):
    demo_users_ensure()
    permissions_before = {name: granted(name) for name in (SALES_STAFF, SALES_MANAGER)}
    sales = change_the_sales_login_and_its_group()

    result = demo_users_ensure(reset=True)

    assert result.created == ()
    assert User.objects.count() == 3 and Group.objects.count() == 2
    assert {name: granted(name) for name in (SALES_STAFF, SALES_MANAGER)} == permissions_before
    sales.refresh_from_db()
    assert sales.is_staff and sales.check_password(DEFAULT_DEMO_PASSWORD)
    assert list(sales.groups.values_list("name", flat=True)) == [SALES_STAFF]


def test_missing_permissions_are_skipped_then_granted_by_a_reset(debug, monkeypatch):
    wanted = (*demo_users.GROUP_PERMISSIONS[SALES_STAFF], "exports.run_reports")
    monkeypatch.setitem(demo_users.GROUP_PERMISSIONS, SALES_STAFF, wanted)

    result = demo_users_ensure()
    assert result.missing_permissions == ("exports.run_reports",)
    assert "exports.run_reports" not in granted(SALES_STAFF)

    Permission.objects.create(
        codename="run_reports",
        name="Can run reports",
        content_type=ContentType.objects.get(app_label="exports", model="export"),
    )
    assert "exports.run_reports" not in granted(SALES_STAFF)  # an existing group is left alone
    assert demo_users_ensure(reset=True).missing_permissions == ()
    assert "exports.run_reports" in granted(SALES_STAFF)


def test_permissions_lookup_matches_app_label_and_codename():
    found, missing = permissions_lookup(["leads.view_lead", "exports.view_lead", "leads.nope"])
    assert [(p.content_type.app_label, p.codename) for p in found] == [("leads", "view_lead")]
    assert missing == ["exports.view_lead", "leads.nope"]


def test_demo_password_from_the_environment_setting(settings):
    settings.DEBUG = False
    settings.DEMO_PASSWORD = "correct horse battery"
    result = demo_users_ensure()
    assert not result.password_is_default
    assert User.objects.get(username="manager").check_password("correct horse battery")


def test_default_password_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    settings.DEMO_PASSWORD = ""
    with pytest.raises(DemoPasswordRequired):
        demo_users_ensure()
    assert not User.objects.exists()
    with pytest.raises(CommandError, match="set DEMO_PASSWORD"):
        call_command("create_demo_users")


def test_command_prints_the_logins(debug, capsys):
    call_command("create_demo_users")
    output = capsys.readouterr().out
    assert f"password: {DEFAULT_DEMO_PASSWORD}" in output
    for line in ("admin    superuser", "manager  Sales manager", "sales    Sales staff"):
        assert line in output
    assert output.count("(created)") == 3
    call_command("create_demo_users")
    assert capsys.readouterr().out.count("(kept)") == 3
    call_command("create_demo_users", "--reset")
    assert capsys.readouterr().out.count("(reset)") == 3


def test_command_does_not_print_a_password_from_the_environment(settings, capsys):
    settings.DEMO_PASSWORD = "s3cret-value"
    call_command("create_demo_users")
    output = capsys.readouterr().out
    assert "s3cret-value" not in output
    assert "password: the value of DEMO_PASSWORD" in output
