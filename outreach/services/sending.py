"""Sending the outbox: claim → send → mark, at most once per message.

The guarantee. A message is sent only by the pass that *claims* its row: a conditional UPDATE from
`queued` to `sending` (with `claimed_at` and the Message-ID) that is committed before the SMTP call,
and that only one pass can win. After the mail server accepts the message the row is marked `sent`
(or `failed` with the error when the server refuses it). Only `queued` rows are ever claimed, so a
crash after the claim — before, during or after the SMTP call, but before the mark — leaves the row
`sending`, and no pass ever sends it again: at most once, never twice. Such rows are listed in the
admin ("sending" for more than `STUCK_AFTER`), where a manager checks the mail log and marks them.

Caps count claims (`claimed_at`), not confirmed sends, so a crashed message still uses its share.
Sending hours are read in the site's time zone. Suppression is checked again just before sending.
"""

import datetime
import logging
from dataclasses import dataclass, field
from email.utils import formataddr

from django.core import signing
from django.core.mail import EmailMultiAlternatives, make_msgid
from django.urls import reverse
from django.utils import timezone

from outreach import conf
from outreach.models import AutoResponse, AutoResponseStatus
from outreach.services.rendering import message_render
from outreach.suppression import is_suppressed

logger = logging.getLogger("outreach")

UNSUBSCRIBE_SALT = "outreach.unsubscribe"
STUCK_AFTER = datetime.timedelta(minutes=15)


@dataclass
class SendResult:
    sent: int = 0
    failed: int = 0
    suppressed: int = 0
    reason: str = ""  # why the pass stopped early: "outside_hours", "hourly_cap", "daily_cap", ""
    ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"sent": self.sent, "failed": self.failed, "suppressed": self.suppressed, "reason": self.reason}


def unsubscribe_token(auto_response_id: int) -> str:
    return signing.dumps(auto_response_id, salt=UNSUBSCRIBE_SALT, compress=False)


def unsubscribe_token_read(token: str) -> int | None:
    """The auto-response id a link was made for, or None when the token is not ours."""
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def unsubscribe_url(auto_response_id: int) -> str:
    from django.conf import settings

    path = reverse("outreach:unsubscribe", kwargs={"token": unsubscribe_token(auto_response_id)})
    return settings.SITE_URL.rstrip("/") + path


def within_sending_hours(moment: datetime.datetime) -> bool:
    start, end = conf.sending_hours()
    local = timezone.localtime(moment).time()
    return start <= local < end if start < end else (local >= start or local < end)


def send_budget(now: datetime.datetime) -> tuple[int, str]:
    """How many messages may be claimed now, and which cap binds when it is none."""
    claimed = AutoResponse.objects.filter(claimed_at__isnull=False)
    hour_left = conf.max_per_hour() - claimed.filter(claimed_at__gt=now - datetime.timedelta(hours=1)).count()
    day_left = conf.max_per_day() - claimed.filter(claimed_at__gt=now - datetime.timedelta(days=1)).count()
    if day_left <= 0:
        return 0, "daily_cap"
    if hour_left <= 0:
        return 0, "hourly_cap"
    return min(hour_left, day_left, conf.batch_size()), ""


def claim(auto_response_id: int, *, now: datetime.datetime) -> str | None:
    """Claim one queued row for sending (committed at once, autocommit); its Message-ID, or None if lost."""
    # Stored without its angle brackets, as providers report it in their webhooks.
    message_id = make_msgid(domain=conf.from_email().rpartition("@")[2] or None).strip("<>")
    won = AutoResponse.objects.filter(pk=auto_response_id, status=AutoResponseStatus.QUEUED).update(
        status=AutoResponseStatus.SENDING, claimed_at=now, message_id=message_id
    )
    return message_id if won else None


def mark(auto_response_id: int, *, status: str, error: str = "", esp_message_id: str = "") -> None:
    """Record the outcome of a claimed row's send."""
    now = timezone.now()
    values = {"status": status, "error": error[:2000]}
    if status == AutoResponseStatus.SENT:
        values["sent_at"] = now
    else:
        values["failed_at"] = now
    if esp_message_id:
        values["message_id"] = esp_message_id.strip("<>")
    AutoResponse.objects.filter(pk=auto_response_id, status=AutoResponseStatus.SENDING).update(**values)


def build_message(row: AutoResponse, *, message_id: str) -> EmailMultiAlternatives:
    link = unsubscribe_url(row.pk)
    rendered = message_render(template=row.template, variant=row.variant, lead=row.lead, unsubscribe_url=link)
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=formataddr((conf.sender_name(), conf.from_email())),
        to=[row.to_email],
        headers={
            "Message-ID": f"<{message_id}>",
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    if rendered.html:
        message.attach_alternative(rendered.html, "text/html")
    return message


def auto_response_send(auto_response_id: int, *, now: datetime.datetime | None = None) -> str:
    """Claim, send and mark one message; returns its final status ("" when another pass has it)."""
    now = now or timezone.now()
    message_id = claim(auto_response_id, now=now)
    if message_id is None:
        return ""
    row = AutoResponse.objects.select_related("template", "variant", "lead__location", "lead__category").get(
        pk=auto_response_id
    )
    if is_suppressed(email=row.to_email):
        mark(row.pk, status=AutoResponseStatus.FAILED, error="address on the do-not-contact list")
        return "suppressed"
    try:
        message = build_message(row, message_id=message_id)
        message.send()
    except Exception as error:  # the server refused it or could not be reached: nothing was accepted
        logger.warning("auto-response not sent id=%s error=%s", row.pk, error)
        mark(row.pk, status=AutoResponseStatus.FAILED, error=str(error) or error.__class__.__name__)
        return AutoResponseStatus.FAILED
    status = getattr(message, "anymail_status", None)
    mark(row.pk, status=AutoResponseStatus.SENT, esp_message_id=getattr(status, "message_id", None) or "")
    return AutoResponseStatus.SENT


def auto_responses_send_due(*, now: datetime.datetime | None = None) -> SendResult:
    """Send what is due now: oldest queued first, within the sending hours and the caps."""
    now = now or timezone.now()
    result = SendResult()
    if not within_sending_hours(now):
        result.reason = "outside_hours"
        return result
    budget, result.reason = send_budget(now)
    candidates = list(
        AutoResponse.objects.filter(status=AutoResponseStatus.QUEUED)
        .order_by("queued_at", "id")
        .values_list("pk", flat=True)[:budget]
    )
    for pk in candidates:
        outcome = auto_response_send(pk, now=now)
        if outcome == AutoResponseStatus.SENT:
            result.sent += 1
            result.ids.append(pk)
        elif outcome == AutoResponseStatus.FAILED:
            result.failed += 1
        elif outcome == "suppressed":
            result.suppressed += 1
    if budget and len(candidates) == budget:
        _, result.reason = send_budget(now)
    return result
