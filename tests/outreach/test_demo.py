import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from leads.models import Lead
from outreach.models import ABTest, ABTestStatus, AutoResponse, ResponseTemplate

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_templates_tests_and_messages_with_outcomes():
    call_command("seed_demo", leads=600, runs=6, seed=7, stdout=io.StringIO())
    now = timezone.now()

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
    assert not messages.filter(queued_at__gt=now).exists()


def test_seeding_twice_adds_no_second_set():
    call_command("seed_demo", leads=100, runs=1, seed=7, stdout=io.StringIO())
    first = AutoResponse.objects.count()
    call_command("seed_demo", leads=100, runs=1, seed=8, stdout=io.StringIO())
    assert ResponseTemplate.objects.count() == 3 and AutoResponse.objects.count() == first
