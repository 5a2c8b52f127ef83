import pytest

from outreach.models import AutoResponse, AutoResponseStatus
from outreach.services import queueing
from outreach.services.sending import auto_responses_send_due, unsubscribe_token
from tests.factories import LeadFactory
from tests.outreach.conftest import site_time
from tests.outreach.factories import AutoResponseFactory, ResponseTemplateFactory

pytestmark = pytest.mark.django_db


def link_path(message) -> str:
    return message["List-Unsubscribe"].strip("<>").removeprefix("https://leads.example")


def test_opening_the_link_from_a_received_message_unsubscribes_at_once_without_login(client, smtp_inbox):
    row = AutoResponseFactory(lead=LeadFactory(email="kim@example.com"))
    auto_responses_send_due(now=site_time(9))
    [(_, message)] = smtp_inbox.messages

    response = client.get(link_path(message))

    assert response.status_code == 200
    assert b"do-not-contact list" in response.content
    row.refresh_from_db()
    assert row.status == AutoResponseStatus.OPTED_OUT and row.opted_out_at is not None
    from leads.suppression import is_suppressed

    assert is_suppressed(email="KIM@example.com")
    # From now on the address is never queued again, whatever the template.
    later = LeadFactory(email="kim@example.com")
    counts = queueing.auto_responses_queue(lead_ids=[later.pk], template=ResponseTemplateFactory())
    assert counts["skipped_suppressed"] == 1


def test_the_one_click_post_does_the_same_without_csrf_or_login(smtp_inbox):
    from django.test import Client

    row = AutoResponseFactory()
    auto_responses_send_due(now=site_time(9))
    [(_, message)] = smtp_inbox.messages

    response = Client(enforce_csrf_checks=True).post(
        link_path(message), data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert AutoResponse.objects.get(pk=row.pk).status == AutoResponseStatus.OPTED_OUT


def test_a_forged_or_cut_link_is_a_404_page_and_changes_nothing(client):
    row = AutoResponseFactory()
    forged = unsubscribe_token(row.pk)[:-3] + "abc"

    assert client.get(f"/outreach/unsubscribe/{forged}/").status_code == 404
    assert client.get("/outreach/unsubscribe/nonsense/").status_code == 404
    assert AutoResponse.objects.get(pk=row.pk).status == AutoResponseStatus.QUEUED


def test_other_methods_are_refused(client):
    row = AutoResponseFactory()
    assert client.put(f"/outreach/unsubscribe/{unsubscribe_token(row.pk)}/").status_code == 405
