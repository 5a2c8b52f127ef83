"""The messages list names each message's latest event in words."""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from outreach.admin.message_events import EVENTS, latest_event_text


def message(**moments):
    return SimpleNamespace(**{field: None for field, _ in EVENTS} | moments)


def test_the_latest_step_a_message_reached_is_named_with_its_time():
    sent = timezone.make_aware(datetime.datetime(2026, 12, 1, 13, 58))
    replied = sent + datetime.timedelta(hours=2)
    assert latest_event_text(message(sent_at=sent)) == "Sent 1 Dec 2026 13:58"
    assert latest_event_text(message(sent_at=sent, delivered_at=sent, replied_at=replied)) == "Replied 1 Dec 2026 15:58"


def test_a_queued_message_has_no_event_yet():
    assert latest_event_text(message()) == "-"
