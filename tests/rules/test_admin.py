"""Rules in the admin: create from the lead list's view, the preview on the rule page, validation."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from rules.models import Rule, RuleTrigger

pytestmark = pytest.mark.django_db


def test_the_lead_list_offers_a_rule_from_its_filters(admin_client, make_lead):
    html = admin_client.get(reverse("admin:leads_lead_changelist") + "?status=new&has_email=true").content.decode()
    assert "Create rule from this view" in html
    assert "/admin/rules/rule/add/?condition=status%3Dnew%26has_email%3Dtrue" in html


def test_creating_a_rule_stores_the_normalized_spec_and_the_owner(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:rules_rule_add"),
        {
            "name": "Fresh with e-mail",
            # The sidebar's controls: ticks and choices, as the lead list's sidebar offers them.
            "condition-status": "new",
            "condition-has_email": "true",
            "condition-assigned_to": "me",
            "trigger": RuleTrigger.NEW_LEADS,
            "actions-TOTAL_FORMS": "1",
            "actions-INITIAL_FORMS": "0",
            "actions-0-position": "0",
            "actions-0-kind": "add_note",
            "actions-0-tag": "fresh",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule = Rule.objects.get()
    assert rule.filters == {"status": ["new"], "has_email": True, "assigned_to": admin_user.pk}
    assert rule.owner == admin_user and not rule.is_active
    assert rule.actions.get().tag == "fresh"


def test_a_bad_condition_or_a_daily_rule_without_time_is_a_form_error(admin_client):
    response = admin_client.post(
        reverse("admin:rules_rule_add"),
        {"name": "Bad", "condition-min_price": "lots", "trigger": RuleTrigger.DAILY, "actions-TOTAL_FORMS": "0",
         "actions-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    # The error names the field as the sidebar labels it, and what was typed stays in place.
    assert "Minimum price: " in html and 'value="lots"' in html
    assert "A daily rule needs the time of day it runs." in html
    assert not Rule.objects.exists()


def test_a_rule_made_from_the_lead_list_shows_its_filters_ticked(admin_client):
    url = reverse("admin:rules_rule_add") + "?condition=status%3Dnew%26has_email%3Dtrue"
    html = admin_client.get(url).content.decode()
    assert '<input type="checkbox" name="condition-status" value="new" checked>' in html
    assert '<input type="checkbox" name="condition-status" value="contacted">' in html
    assert 'name="condition-has_email" value="true" checked>' in html


def test_the_rule_page_previews_matches_and_overlaps(admin_client, make_lead, make_rule):
    make_lead(email="a@example.com")
    make_rule(name="Other active", filters={})
    rule = make_rule(name="Mine", filters={"has_email": True}, is_active=False)
    html = admin_client.get(reverse("admin:rules_rule_change", args=[rule.pk])).content.decode()
    assert "<strong>1</strong> lead in the last 7 days" in html
    assert "Other active (On new leads): 1 of these leads in common" in html
    assert "?has_email=true" in html  # the condition opens in the lead list


def test_sales_staff_cannot_run_rules(client, make_rule, db):
    rule = make_rule()
    sales = User.objects.create_user("sales", password="pw", is_staff=True)
    sales.user_permissions.add(Permission.objects.get(codename="view_rule"))
    client.force_login(sales)
    response = client.post(
        reverse("admin:rules_rule_changelist"), {"action": "run_now", "_selected_action": [rule.pk], "index": "0"}
    )
    # The action is not offered to them: Django answers "no action selected" and runs nothing.
    assert response.status_code in (200, 302)
    assert not rule.executions.exists()
