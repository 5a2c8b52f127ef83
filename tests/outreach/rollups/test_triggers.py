"""The message triggers mark the lead key of a changed message; the command rebuilds the message rollups."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from leads.models import LeadRollupDirty
from outreach.analytics import auto_response_analytics
from outreach.models import AutoResponse
from outreach.rollups.models import MessageDailyRollup, MessageRollupDirty, MessageRollupState, MessageTotalRollup
from outreach.rollups.refresh import message_rollups_current, message_rollups_prepare
from tests.outreach.factories import AutoResponseFactory

pytestmark = pytest.mark.django_db


def test_a_message_change_marks_its_lead_and_a_reader_turns_the_mark_into_the_leads_key():
    message = AutoResponseFactory()
    assert message_rollups_current()
    assert not MessageRollupDirty.objects.exists() and not LeadRollupDirty.objects.exists()

    AutoResponse.objects.filter(pk=message.pk).update(error="SMTP 451")  # not a counted column
    assert not MessageRollupDirty.objects.exists()

    AutoResponse.objects.filter(pk=message.pk).update(status="sent")
    assert list(MessageRollupDirty.objects.values_list("lead_id", flat=True)) == [message.lead_id]

    message_rollups_prepare()
    lead = message.lead
    assert not MessageRollupDirty.objects.exists()
    assert list(LeadRollupDirty.objects.values_list("location_id", "category_id")) == [
        (lead.location_id, lead.category_id)
    ]


def test_the_first_read_builds_the_message_rollups_and_the_command_rebuilds_them():
    AutoResponseFactory.create_batch(2)
    assert not MessageRollupState.objects.exists()

    assert auto_response_analytics(filters={})["total"] == 2
    assert MessageRollupState.objects.exists()
    assert sum(MessageTotalRollup.objects.values_list("n", flat=True)) == 2

    MessageDailyRollup.objects.all().delete()
    out = StringIO()
    call_command("rebuild_rollups", stdout=out)

    assert "with outreach.messages" in out.getvalue()
    assert sum(MessageDailyRollup.objects.values_list("n", flat=True)) == 2


def test_many_changed_ranges_rebuild_the_message_rollups_with_the_same_figures(monkeypatch):
    messages = AutoResponseFactory.create_batch(3)
    before = auto_response_analytics(filters={"status": ["new", "converted"]})
    monkeypatch.setattr("outreach.rollups.refresh.REBUILD_FROM", 1)
    lead = messages[0].lead
    lead.status = "converted"
    lead.save()
    AutoResponse.objects.filter(pk=messages[1].pk).update(status="sent", sent_at=messages[1].queued_at)

    after = auto_response_analytics(filters={"status": ["new", "converted"]})

    with override_settings(LEAD_ROLLUPS=False):
        assert after == auto_response_analytics(filters={"status": ["new", "converted"]})
    assert after["sent"] == before["sent"] + 1


def test_the_command_refreshing_what_changed_sees_the_changed_messages():
    message = AutoResponseFactory()
    assert message_rollups_current()
    AutoResponse.objects.filter(pk=message.pk).update(status="sent", sent_at=message.queued_at)

    call_command("rebuild_rollups", "--changed", stdout=StringIO())

    assert not MessageRollupDirty.objects.exists()
    assert sum(MessageTotalRollup.objects.values_list("sent", flat=True)) == 1
