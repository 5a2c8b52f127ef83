import pytest
from django.urls import reverse

from outreach.models import ABTestStatus, AutoResponseStatus
from tests.api.conftest import grant
from tests.exports.factories import UserFactory
from tests.factories import LeadFactory
from tests.outreach.factories import ABTestFactory, AutoResponseFactory, TemplateVariantFactory

pytestmark = pytest.mark.django_db
MESSAGES = reverse("admin:outreach_autoresponse_changelist")


def staff(client, *perms, username="someone"):
    user = grant(UserFactory(username=username), *perms)
    client.force_login(user)
    return user


def test_managers_see_every_message_and_addresses_only_with_the_contact_permission(client):
    AutoResponseFactory(lead=LeadFactory(email="secret@example.com"))
    user = staff(client, "outreach.view_autoresponse", "outreach.view_all_autoresponses")
    page = client.get(MESSAGES)
    assert page.context["cl"].result_count == 1 and b"secret@example.com" not in page.content
    grant(user, "exports.view_contact_info")
    assert b"secret@example.com" in client.get(MESSAGES).content


def test_sales_staff_see_no_message_to_unassigned_leads(client):
    AutoResponseFactory()
    staff(client, "outreach.view_autoresponse", "outreach.mark_replied")
    assert client.get(MESSAGES).context["cl"].result_count == 0


def test_staff_mark_a_reply_by_hand(client):
    row = AutoResponseFactory(status=AutoResponseStatus.SENT)
    staff(client, "outreach.view_autoresponse", "outreach.view_all_autoresponses", "outreach.mark_replied")
    response = client.post(MESSAGES, {"action": "mark_replied", "_selected_action": [row.pk], "index": "0"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == AutoResponseStatus.REPLIED and row.replied_at


def test_without_the_permission_the_action_is_not_offered(client):
    row = AutoResponseFactory(status=AutoResponseStatus.SENT)
    staff(client, "outreach.view_autoresponse", "outreach.view_all_autoresponses")
    client.post(MESSAGES, {"action": "mark_replied", "_selected_action": [row.pk], "index": "0"})
    row.refresh_from_db()
    assert row.status == AutoResponseStatus.SENT


def test_managers_start_and_stop_a_test_from_the_list(client):
    test = ABTestFactory(status=ABTestStatus.DRAFT, started_at=None)
    TemplateVariantFactory(template=test.template, name="A")
    TemplateVariantFactory(template=test.template, name="B")
    staff(client, "outreach.view_abtest", "outreach.change_abtest")
    url = reverse("admin:outreach_abtest_changelist")
    client.post(url, {"action": "start", "_selected_action": [test.pk], "index": "0"})
    test.refresh_from_db()
    assert test.status == ABTestStatus.RUNNING
    response = client.post(
        url, {"action": "stop_and_promote", "_selected_action": [test.pk], "index": "0"}, follow=True
    )
    assert "no winner yet" in response.content.decode()
    page = client.get(reverse("admin:outreach_abtest_change", args=[test.pk])).content.decode()
    assert "Results per variant" in page and "not enough data yet" in page


def test_sales_staff_see_the_messages_to_leads_assigned_to_them(client):
    user = staff(client, "outreach.view_autoresponse", "outreach.mark_replied", username="seller")
    mine = AutoResponseFactory(lead=LeadFactory(assigned_to=user, email="mine@example.com"))
    AutoResponseFactory(lead=LeadFactory(email="theirs@example.com"))
    page = client.get(MESSAGES)
    assert [row.pk for row in page.context["cl"].result_list] == [mine.pk]
    assert b"mine@example.com" not in page.content  # no contact permission: no address


def test_the_list_names_the_outcome_and_the_latest_event_in_words(client):
    from django.utils import timezone

    from leads.models import LeadStatus

    lead = LeadFactory(status=LeadStatus.NEW)
    AutoResponseFactory(lead=lead, status=AutoResponseStatus.SENT, sent_at=timezone.now(), lead_status_at_queue="new")
    lead.status = LeadStatus.QUALIFIED
    lead.save()
    staff(client, "outreach.view_autoresponse", "outreach.view_all_autoresponses")
    html = client.get(MESSAGES).content.decode()
    assert '<td class="field-outcome">Qualified</td>' in html
    assert '<td class="field-latest_event">Sent ' in html
