"""Mailgun's own webhook payloads, signed with the signing key (valid) or not (invalid), through anymail."""

import hashlib
import hmac
import json
import time

import pytest

from outreach.models import AutoResponseStatus
from tests.factories import LeadFactory
from tests.outreach.factories import AutoResponseFactory

pytestmark = pytest.mark.django_db

KEY = "key-test-signing-0123456789"


@pytest.fixture(autouse=True)
def _signing_key(settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": KEY}


def signature(key=KEY, token="a" * 50):
    timestamp = str(int(time.time()))
    digest = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {"timestamp": timestamp, "token": token, "signature": digest}


def tracking_payload(event, message_id, *, key=KEY, **extra):
    return {
        "signature": signature(key),
        "event-data": {
            "event": event,
            "timestamp": time.time(),
            "id": "Ase7i2zsRYeDXztHGENqRA",
            "recipient": "lead@example.com",
            "message": {"headers": {"message-id": message_id, "to": "lead@example.com"}},
            **extra,
        },
    }


def post_tracking(client, payload):
    return client.post("/anymail/mailgun/tracking/", data=json.dumps(payload), content_type="application/json")


def sent_row(**fields):
    fields = {"status": AutoResponseStatus.SENT, "message_id": "20261202.abc@acme.example", **fields}
    return AutoResponseFactory(**fields)


def test_a_signed_delivered_event_records_delivery(client):
    row = sent_row()
    response = post_tracking(client, tracking_payload("delivered", "20261202.abc@acme.example"))
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.delivered_at is not None and row.status == AutoResponseStatus.SENT


def test_an_invalid_signature_is_refused_and_changes_nothing(client):
    row = sent_row()
    response = post_tracking(client, tracking_payload("delivered", "20261202.abc@acme.example", key="wrong-key"))
    assert response.status_code == 400
    row.refresh_from_db()
    assert row.delivered_at is None


def test_a_permanent_bounce_marks_it_and_the_address_is_never_queued_again(client):
    from outreach.services import auto_responses_queue
    from tests.outreach.factories import ResponseTemplateFactory

    row = sent_row(lead=LeadFactory(email="bounce@example.com"))
    payload = tracking_payload(
        "failed",
        "<20261202.abc@acme.example>",
        severity="permanent",
        reason="bounce",
        **{"delivery-status": {"code": 550, "message": "No such user", "description": ""}},
    )
    assert post_tracking(client, payload).status_code == 200
    row.refresh_from_db()
    assert row.status == AutoResponseStatus.BOUNCED and row.bounced_at is not None
    again = auto_responses_queue(
        lead_ids=[LeadFactory(email="bounce@example.com").pk], template=ResponseTemplateFactory()
    )
    assert again["skipped_bounced"] == 1


def test_a_temporary_failure_is_not_a_bounce(client):
    row = sent_row()
    post_tracking(client, tracking_payload("failed", "20261202.abc@acme.example", severity="temporary"))
    row.refresh_from_db()
    assert row.status == AutoResponseStatus.SENT


def test_a_complaint_opts_the_recipient_out_onto_the_do_not_contact_list(client):
    from leads.suppression import is_suppressed

    row = sent_row(lead=LeadFactory(email="angry@example.com"))
    post_tracking(client, tracking_payload("complained", "20261202.abc@acme.example"))
    row.refresh_from_db()
    assert row.status == AutoResponseStatus.OPTED_OUT and row.opted_out_at is not None
    assert is_suppressed(email="angry@example.com")


def inbound_form(*, key=KEY, in_reply_to="<20261202.abc@acme.example>", sender="lead@example.com"):
    mime = (
        f"From: Pat <{sender}>\r\nTo: hello@acme.example\r\nSubject: Re: your post\r\n"
        f"In-Reply-To: {in_reply_to}\r\nMessage-ID: <reply1@example.com>\r\n\r\nYes, still available.\r\n"
    )
    return {"body-mime": mime, "sender": sender, "recipient": "hello@acme.example", **signature(key)}


def test_a_signed_inbound_reply_marks_the_message_replied(client):
    row = sent_row()
    response = client.post("/anymail/mailgun/inbound/", data=inbound_form())
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.status == AutoResponseStatus.REPLIED and row.replied_at is not None


def test_a_reply_without_references_is_matched_by_its_sender(client):
    row = sent_row(lead=LeadFactory(email="pat@example.com"))
    row.sent_at = row.queued_at
    row.save()
    client.post("/anymail/mailgun/inbound/", data=inbound_form(in_reply_to="<unknown@x>", sender="PAT@example.com"))
    row.refresh_from_db()
    assert row.status == AutoResponseStatus.REPLIED


def test_an_unsigned_inbound_post_is_refused(client):
    row = sent_row()
    response = client.post("/anymail/mailgun/inbound/", data=inbound_form(key="forged"))
    assert response.status_code == 400
    row.refresh_from_db()
    assert row.status == AutoResponseStatus.SENT


def test_without_a_signing_key_the_webhook_says_it_is_not_configured(client, settings):
    settings.ANYMAIL = {}
    response = post_tracking(client, tracking_payload("delivered", "x@y"))
    assert response.status_code == 503 and b"MAILGUN_WEBHOOK_SIGNING_KEY" in response.content


def test_a_late_bounce_never_undoes_a_reply(client):
    row = sent_row(status=AutoResponseStatus.REPLIED)
    post_tracking(client, tracking_payload("failed", "20261202.abc@acme.example", severity="permanent"))
    row.refresh_from_db()
    assert row.status == AutoResponseStatus.REPLIED
