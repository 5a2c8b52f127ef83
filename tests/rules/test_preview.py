"""Try before switching on: matches per day over 7 and 30 days, and overlaps with other active rules."""

import datetime

import pytest
from django.utils import timezone

from leads.selectors import LeadFilterError
from rules.selectors import rule_preview

pytestmark = pytest.mark.django_db


def found(days_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)


def test_counts_per_day_over_the_last_7_and_30_days(make_lead):
    for days_ago in (0, 0, 3, 10, 29, 45):
        make_lead(email="a@example.com", scraped_at=found(days_ago))
    make_lead(email="", scraped_at=found(0))  # not matched
    preview = rule_preview(filters={"has_email": "true"})
    assert (preview["last_7_days"], preview["last_30_days"]) == (3, 5)
    assert len(preview["per_day"]) == 30
    by_day = {item["day"]: item["count"] for item in preview["per_day"]}
    assert by_day[timezone.localdate().isoformat()] == 2
    assert by_day[(timezone.localdate() - datetime.timedelta(days=10)).isoformat()] == 1


def test_overlap_with_other_active_rules_only(make_lead, make_rule):
    for _ in range(3):
        make_lead(email="a@example.com", price=50)
    make_lead(email="a@example.com", price=500)
    cheap = make_rule(name="Cheap", filters={"max_price": "100"})
    make_rule(name="Paused", filters={}, is_active=False)
    everything = make_rule(name="Everything", filters={})
    preview = rule_preview(filters={"has_email": True, "min_price": "40"}, exclude_rule_id=everything.pk)
    assert preview["overlaps"] == [{"rule_id": cheap.pk, "name": "Cheap", "trigger": "On new leads", "overlap": 3}]


def test_a_bad_condition_is_refused_with_the_field():
    with pytest.raises(LeadFilterError) as caught:
        rule_preview(filters={"min_price": "lots"})
    assert "min_price" in caught.value.message_dict
