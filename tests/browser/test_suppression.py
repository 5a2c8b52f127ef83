"""Adding a person to the do-not-contact list in Chromium, as a Sales manager does, and seeing the lead flagged.

Leaves suppression-added.png in $TEST_ARTIFACTS_DIR.
"""

import pytest
from django.urls import reverse

from leads.demo_users import demo_users_ensure
from leads.models import Suppression
from tests.factories import LeadFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "suppress-pass-word-123"


def test_a_manager_adds_a_phone_number_and_the_lead_list_flags_the_lead(page, live_server, screenshot):
    lead = LeadFactory(title="Oak table", phone="415-555-0165", email="")
    demo_users_ensure(password=PASSWORD)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "manager")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}{reverse('admin:leads_suppression_add')}")
    with page.expect_navigation():
        page.click("input[name=_save]")  # nothing given: the form says what it needs
    assert "Give an e-mail address, a phone number or both." in page.content()
    page.fill("#id_phone", "(415) 555-0165")
    page.select_option("#id_reason", "phone_request")
    with page.expect_navigation():
        page.click("input[name=_save]")

    entry = Suppression.objects.get()
    assert (entry.kind, entry.reason, entry.added_by.username) == ("phone", "phone_request", "manager")
    assert "555" not in page.content().split('id="result_list"')[-1]  # the list shows keys, never the number
    assert page.locator("#result_list tbody tr").count() == 1

    page.goto(f"{live_server.url}{reverse('admin:leads_lead_changelist')}")
    row = page.locator("#result_list tbody tr", has_text=lead.title)
    assert row.locator(".lead-badge", has_text="Do not contact").count() == 1
    screenshot(page, "suppression-added")
