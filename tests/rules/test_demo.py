"""seed_demo adds demo rules, their runs and a week of schedule runs."""

import pytest
from django.core.management import call_command

from operations.models import ScheduleExecution
from rules.models import Rule, RuleExecution

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_rules_runs_and_schedule_runs():
    call_command("seed_demo", "--leads", "200", "--runs", "3", "--seed", "5")
    assert Rule.objects.count() == 3 and Rule.objects.filter(is_active=True).count() == 3
    runs = RuleExecution.objects.all()
    assert runs.count() == 3 and sum(run.leads_matched for run in runs) > 0
    assert ScheduleExecution.objects.filter(job_kind="rule").count() == 7
    assert ScheduleExecution.objects.filter(job_kind="export").count() == 7
    call_command("seed_demo", "--leads", "10", "--seed", "6")  # again: no second copy of the rules
    assert Rule.objects.count() == 3
