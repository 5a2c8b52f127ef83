import datetime

import pytest

from leads.demo_data import demo_data_seed
from leads.models import Lead
from outreach.models import ABTest, ABTestStatus, AutoResponse, ResponseTemplate

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)


def test_seed_demo_adds_templates_tests_and_messages_with_outcomes():
    demo_data_seed(leads=600, runs=6, seed=7, now=NOW)

    reachable = Lead.objects.not_suppressed().exclude(email="").count()
    messages = AutoResponse.objects.all()
    assert messages.count() * 5 >= Lead.objects.count()  # at least one message for every five demo leads
    assert messages.count() >= reachable // 2  # (never to the demo's suppressed people)
    assert not messages.filter(lead__in=Lead.objects.suppressed()).exists()
    assert ResponseTemplate.objects.count() == 3 and ResponseTemplate.objects.filter(variants__isnull=False).exists()
    assert set(ABTest.objects.values_list("status", flat=True)) == {ABTestStatus.STOPPED, ABTestStatus.RUNNING}
    statuses = set(messages.values_list("status", flat=True))
    assert {"sent", "replied", "bounced"} <= statuses
    assert messages.filter(ab_test__status=ABTestStatus.STOPPED).exists()
    assert messages.filter(ab_test__status=ABTestStatus.RUNNING).exists()
    assert messages.converted().exists()  # demo leads that converted after their message count as outcomes
    assert not messages.filter(queued_at__gt=NOW).exists()


def test_seeding_twice_adds_no_second_set():
    demo_data_seed(leads=100, runs=1, seed=7, now=NOW)
    first = AutoResponse.objects.count()
    demo_data_seed(leads=100, runs=1, seed=8, now=NOW)
    assert ResponseTemplate.objects.count() == 3 and AutoResponse.objects.count() == first
