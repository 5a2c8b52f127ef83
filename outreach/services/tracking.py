"""What happens after a message is sent: delivery, bounces, replies, opt-outs, and the lead's outcome.

Provider webhooks (django-anymail's normalised `tracking` and `inbound` signals, see
`outreach/receivers.py`), the unsubscribe link and staff marking a reply all land here. A state
never moves backwards: a late "delivered" does not undo a reply or an opt-out.

The *outcome* of a message is the lead's status when it moved on after the message was queued
(contacted, qualified or converted); `AutoResponseQuerySet.with_outcome()` computes it from the
status snapshot taken at queueing, so bulk status changes count as much as single edits.
"""

import datetime
import logging
import re

from django.db import transaction
from django.utils import timezone

from outreach.models import AutoResponse, AutoResponseStatus
from outreach.suppression import suppress

logger = logging.getLogger("outreach")

FINAL = (AutoResponseStatus.REPLIED, AutoResponseStatus.OPTED_OUT)
MESSAGE_ID = re.compile(r"<?([^<>\s]+@[^<>\s]+)>?")


def normalise_message_id(value: str) -> str:
    match = MESSAGE_ID.search(value or "")
    return match.group(1) if match else ""


def auto_response_by_message_id(message_id: str) -> AutoResponse | None:
    wanted = normalise_message_id(message_id)
    if not wanted:
        return None
    return AutoResponse.objects.filter(message_id=wanted).first()


def auto_response_delivered(row: AutoResponse, *, at: datetime.datetime | None = None) -> bool:
    if row.delivered_at:
        return False
    AutoResponse.objects.filter(pk=row.pk, delivered_at__isnull=True).update(delivered_at=at or timezone.now())
    return True


def auto_response_bounced(row: AutoResponse, *, at: datetime.datetime | None = None) -> bool:
    """A permanent bounce: the message is `bounced`, and the address is never queued again."""
    if row.status in FINAL:
        return False
    AutoResponse.objects.filter(pk=row.pk).update(status=AutoResponseStatus.BOUNCED, bounced_at=at or timezone.now())
    return True


def auto_response_replied(row: AutoResponse, *, at: datetime.datetime | None = None, user=None) -> bool:
    """A reply came (webhook) or a member of staff says so (`user`)."""
    if row.status == AutoResponseStatus.OPTED_OUT or row.replied_at:
        return False
    AutoResponse.objects.filter(pk=row.pk).update(status=AutoResponseStatus.REPLIED, replied_at=at or timezone.now())
    logger.info("auto-response replied id=%s by=%s", row.pk, getattr(user, "pk", "webhook"))
    return True


def auto_response_opt_out(row: AutoResponse, *, via: str, at: datetime.datetime | None = None) -> None:
    """The recipient unsubscribed (link, one-click POST, provider complaint): suppressed at once."""
    with transaction.atomic():
        suppress(email=row.to_email)
        AutoResponse.objects.filter(pk=row.pk).exclude(status=AutoResponseStatus.OPTED_OUT).update(
            status=AutoResponseStatus.OPTED_OUT, opted_out_at=at or timezone.now()
        )
    logger.info("auto-response opt-out id=%s via=%s", row.pk, via)


def reply_match(*, in_reply_to: str, references: str, from_email: str) -> AutoResponse | None:
    """The message an inbound mail answers: by In-Reply-To/References, else the last one sent to its sender."""
    for candidate in [in_reply_to, *(references or "").split()]:
        row = auto_response_by_message_id(candidate)
        if row is not None:
            return row
    if not from_email:
        return None
    return AutoResponse.objects.filter(to_email__iexact=from_email, sent_at__isnull=False).order_by("-sent_at").first()
