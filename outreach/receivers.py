"""Signal receivers: provider webhooks (django-anymail) feed the message states.

Anymail checks each webhook's authenticity (basic-auth `ANYMAIL_WEBHOOK_SECRET` and the provider's
signature, e.g. `MAILGUN_WEBHOOK_SIGNING_KEY`) before it sends these normalised signals; a forged
post never reaches them. The receivers only translate and call `outreach.services.tracking`.
"""

from anymail.signals import EventType, inbound, tracking
from django.dispatch import receiver

from leads.signals import demo_data_seeded
from outreach.services import tracking as outcomes


def _row_for(event):
    row = outcomes.auto_response_by_message_id(event.message_id or "")
    if row is None and (event.metadata or {}).get("auto_response_id"):
        from outreach.models import AutoResponse

        row = AutoResponse.objects.filter(pk=event.metadata["auto_response_id"]).first()
    return row


@receiver(tracking, dispatch_uid="outreach.tracking")
def on_tracking(sender, event, esp_name, **kwargs):
    row = _row_for(event)
    if row is None:
        return
    if event.event_type == EventType.DELIVERED:
        outcomes.auto_response_delivered(row, at=event.timestamp)
    elif event.event_type in (EventType.BOUNCED, EventType.REJECTED):
        # (Temporary failures arrive as DEFERRED and change nothing: the provider retries them.)
        outcomes.auto_response_bounced(row, at=event.timestamp)
    elif event.event_type in (EventType.COMPLAINED, EventType.UNSUBSCRIBED):
        outcomes.auto_response_opt_out(row, via=f"{esp_name} {event.event_type}", at=event.timestamp)


@receiver(inbound, dispatch_uid="outreach.inbound")
def on_inbound(sender, event, esp_name, **kwargs):
    message = event.message
    sender_address = message.from_email.addr_spec if message.from_email else ""
    row = outcomes.reply_match(
        in_reply_to=message.get("In-Reply-To", ""),
        references=message.get("References", ""),
        from_email=sender_address,
    )
    if row is not None:
        outcomes.auto_response_replied(row, at=event.timestamp)


@receiver(demo_data_seeded, dispatch_uid="outreach.demo")
def on_demo_seeded(sender, seed, on_message=None, now=None, **kwargs):
    from outreach.demo import outreach_demo_seed

    outreach_demo_seed(seed=seed, now=now, on_message=on_message)
