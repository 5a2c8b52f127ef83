import datetime
import re

import pytest
from django.core import mail

from outreach.models import AutoResponse, AutoResponseStatus
from outreach.services import sending
from outreach.services.sending import auto_responses_send_due
from tests.factories import LeadFactory, LocationFactory
from tests.outreach.conftest import site_time
from tests.outreach.factories import AutoResponseFactory, ResponseTemplateFactory

pytestmark = pytest.mark.django_db


def queued(n=1, **template_fields):
    template = ResponseTemplateFactory(**template_fields)
    return [AutoResponseFactory(template=template) for _ in range(n)]


def test_a_message_through_real_smtp_carries_placeholders_identity_address_and_one_click_unsubscribe(smtp_inbox):
    template = ResponseTemplateFactory(
        subject="Your {title}",
        body_text="Hi {contact_name}, is {title} on {site} still {price}?",
        body_html="<p>Is <b>{title}</b> still available?</p>",
    )
    lead = LeadFactory(
        title="Oak desk <solid>", location=LocationFactory(name="SF bay area"), price="250.00", contact_name="Kim"
    )
    row = AutoResponseFactory(template=template, lead=lead)

    result = auto_responses_send_due(now=site_time(10))

    assert result.sent == 1
    [(recipients, message)] = smtp_inbox.messages
    assert recipients == [lead.email]
    assert message["Subject"] == "Your Oak desk <solid>"
    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Acme Leads", "hello@acme.example")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(https://leads\.example/outreach/unsubscribe/[^>]+/)>", message["List-Unsubscribe"])[1]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Hi Kim, is Oak desk <solid> on SF bay area still $250?" in text
    assert "Acme Leads, 12 Market St, San Francisco, CA 94105" in text and link in text
    assert "<b>Oak desk &lt;solid&gt;</b>" in html and "12 Market St" in html
    row.refresh_from_db()
    assert row.status == AutoResponseStatus.SENT and row.sent_at is not None
    assert message["Message-ID"] == f"<{row.message_id}>"


def test_outside_the_sending_hours_nothing_is_sent_in_the_site_time_zone(settings):
    settings.OUTREACH_SENDING_HOURS = "08:00-20:00"
    queued(2)

    early = auto_responses_send_due(now=site_time(7, 59))
    late = auto_responses_send_due(now=site_time(20, 0))
    # 16:00 UTC is 08:00 in Los Angeles: inside the window although UTC says otherwise.
    inside = auto_responses_send_due(now=datetime.datetime(2026, 12, 2, 16, 0, tzinfo=datetime.UTC))

    assert (early.sent, early.reason) == (0, "outside_hours")
    assert (late.sent, late.reason) == (0, "outside_hours")
    assert inside.sent == 2 and len(mail.outbox) == 2


def test_a_window_across_midnight(settings):
    settings.OUTREACH_SENDING_HOURS = "22:00-06:00"
    assert sending.within_sending_hours(site_time(23)) and sending.within_sending_hours(site_time(5, 59))
    assert not sending.within_sending_hours(site_time(12))


def test_the_hourly_and_daily_caps_hold_across_passes(settings):
    settings.OUTREACH_MAX_PER_HOUR = 3
    settings.OUTREACH_MAX_PER_DAY = 5
    queued(8)

    first = auto_responses_send_due(now=site_time(9))
    second = auto_responses_send_due(now=site_time(9, 30))
    later = auto_responses_send_due(now=site_time(10, 1))
    last = auto_responses_send_due(now=site_time(11, 2))

    assert (first.sent, first.reason) == (3, "hourly_cap")
    assert (second.sent, second.reason) == (0, "hourly_cap")
    assert (later.sent, later.reason) == (2, "daily_cap")
    assert (last.sent, last.reason) == (0, "daily_cap")
    assert len(mail.outbox) == 5
    assert AutoResponse.objects.filter(status=AutoResponseStatus.QUEUED).count() == 3


def test_oldest_first():
    rows = queued(3)
    AutoResponse.objects.filter(pk=rows[2].pk).update(queued_at=site_time(1) - datetime.timedelta(days=365))

    auto_responses_send_due(now=site_time(9))

    assert mail.outbox[0].to == [rows[2].to_email]


def test_an_address_suppressed_after_queueing_is_not_sent_to():
    from leads.suppression import suppress

    row, other = queued(2)
    suppress(email=row.to_email, reason="manual")

    result = auto_responses_send_due(now=site_time(9))

    assert (result.sent, result.suppressed) == (1, 1)
    assert [m.to for m in mail.outbox] == [[other.to_email]]
    row.refresh_from_db()
    assert row.status == AutoResponseStatus.FAILED and "do-not-contact" in row.error


def test_at_most_once_when_the_process_dies_between_send_and_record(smtp_inbox, monkeypatch):
    [row] = queued(1)

    class Crash(BaseException):
        """A kill between the SMTP call and the database write (not an Exception: nothing catches it)."""

    def die(*args, **kwargs):
        raise Crash

    monkeypatch.setattr(sending, "mark", die)
    with pytest.raises(Crash):
        auto_responses_send_due(now=site_time(9))
    monkeypatch.undo()

    assert len(smtp_inbox.messages) == 1  # it went out ...
    row.refresh_from_db()
    assert row.status == AutoResponseStatus.SENDING and row.claimed_at is not None
    again = auto_responses_send_due(now=site_time(9, 5))
    assert again.sent == 0
    assert len(smtp_inbox.messages) == 1  # ... and is never sent a second time
    assert AutoResponse.objects.get(pk=row.pk).status == AutoResponseStatus.SENDING


def test_a_claim_is_won_once():
    [row] = queued(1)
    assert sending.claim(row.pk, now=site_time(9)) is not None
    assert sending.claim(row.pk, now=site_time(9)) is None


def test_a_refused_message_is_failed_with_the_error_and_not_retried(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    [row] = queued(1)

    result = auto_responses_send_due(now=site_time(9))

    row.refresh_from_db()
    assert result.failed == 1 and row.status == AutoResponseStatus.FAILED and row.error


def test_the_command_reports_and_the_task_sends(settings, capsys):
    from django.core.management import call_command

    from outreach.tasks import send_due_auto_responses

    queued(2)
    settings.OUTREACH_MAX_PER_HOUR = 1
    call_command("send_auto_responses")
    assert "1 sent, 0 failed, 0 suppressed; stopped: the hourly cap" in capsys.readouterr().out
    settings.OUTREACH_MAX_PER_HOUR = 5
    assert send_due_auto_responses.enqueue().return_value["sent"] == 1
