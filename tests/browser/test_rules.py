"""A rule made from a filtered lead list, previewed, activated and run: messages reach a real SMTP server."""

import pytest
from django.urls import reverse

from rules.models import Rule
from tests.factories import CategoryFactory, LeadFactory, LocationFactory
from tests.outreach.conftest import _outreach_settings  # noqa: F401  (autouse fixture)
from tests.outreach.factories import ResponseTemplateFactory
from tests.outreach.smtp import smtp_inbox  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_create_preview_activate_and_run_a_rule(staff_page, live_server, smtp_inbox, screenshot):  # noqa: F811
    page = staff_page
    place = {"location": LocationFactory(site_code="sfbay"), "category": CategoryFactory(code="sss")}
    LeadFactory(**place, title="Oak table", email="buyer@example.com")
    LeadFactory(**place, title="Pine chair", email="")
    template = ResponseTemplateFactory(name="Hello buyer", subject="About {title}")

    page.goto(f"{live_server.url}{reverse('admin:leads_lead_changelist')}?has_email=true")
    page.click("#create-rule-link")
    # The lead list's filters arrive ticked in the same sidebar controls.
    assert page.is_checked('input[name="condition-has_email"][value="true"]')
    page.fill("#id_name", "Greet e-mail leads")
    page.select_option("#id_trigger", "manual")
    page.select_option("#id_actions-0-kind", "send_template")
    page.select_option("#id_actions-0-template", str(template.pk))
    page.click("input[name=_continue]")

    # The rule page: what it would have matched, before it is switched on.
    page.wait_for_selector(".rule-preview")
    assert "1 lead in the last 7 days" in page.inner_text(".rule-preview")
    screenshot(page, "rule-preview")
    rule = Rule.objects.get()
    assert rule.filters == {"has_email": True} and not rule.is_active

    page.goto(f"{live_server.url}{reverse('admin:rules_rule_changelist')}")
    page.check(f"input[name=_selected_action][value='{rule.pk}']")
    page.select_option("select[name=action]", "activate")
    page.click("button[name=index]")
    page.wait_for_selector("text=1 rule(s) activated.")
    page.check(f"input[name=_selected_action][value='{rule.pk}']")
    page.select_option("select[name=action]", "run_now")
    page.click("button[name=index]")
    page.wait_for_selector("text=1 rule(s) queued to run.")

    assert [rcpt for rcpt, _ in smtp_inbox.messages] == [["buyer@example.com"]]
    assert smtp_inbox.messages[0][1]["Subject"] == "About Oak table"

    page.goto(f"{live_server.url}{reverse('dashboard:index')}")
    panel = page.inner_text("#table-rules")
    assert "Greet e-mail leads" in panel
    screenshot(page, "dashboard-rules-panel")
