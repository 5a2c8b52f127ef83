"""A message's latest event in words ("Replied 1 Dec 2026 14:10"), for the list of messages."""

from django.utils import timezone
from django.utils.formats import date_format

# Later steps first: the first one a message has reached is its latest.
EVENTS = (
    ("opted_out_at", "Opted out"),
    ("replied_at", "Replied"),
    ("bounced_at", "Bounced"),
    ("failed_at", "Failed"),
    ("delivered_at", "Delivered"),
    ("sent_at", "Sent"),
)


def latest_event_text(message) -> str:
    for field, label in EVENTS:
        moment = getattr(message, field)
        if moment is not None:
            return f"{label} {date_format(timezone.localtime(moment), 'DATETIME_FORMAT')}"
    return "-"
