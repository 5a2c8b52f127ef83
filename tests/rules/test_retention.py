"""The outcome log's bound: old per-lead outcomes are rolled up by day, by the rule scheduler itself."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from operations.models import ScheduleExecution, ScheduleOutcome
from rules.management.commands import run_scheduled_rules
from rules.models import RuleActionKind, RuleLeadOutcome, RuleOutcomeDailyRollup, RuleTrigger
from rules.services import retention
from rules.services.engine import rule_execute
from rules.services.retention import PRUNE_JOB_KIND, rule_outcomes_prune, rule_outcomes_prune_due

pytestmark = pytest.mark.django_db


class Stop(Exception):
    """Ends the scheduler's loop in a test, in place of the sleep between passes."""


@pytest.fixture
def old_outcomes(make_lead, make_rule, settings):
    """Runs a rule by hand over `count` new leads and dates their outcomes past the retention."""
    settings.RULE_OUTCOME_RETENTION_DAYS = 10
    rule = make_rule(actions=[{"kind": RuleActionKind.ADD_NOTE, "tag": "t"}], trigger=RuleTrigger.MANUAL)

    def make(count: int) -> None:
        leads = [make_lead() for _ in range(count)]
        execution = rule_execute(rule=rule, trigger=RuleTrigger.NEW_LEADS, lead_ids=[lead.pk for lead in leads])
        execution.outcomes.update(created_at=timezone.now() - datetime.timedelta(days=11))

    make.rule = rule
    return make


def test_the_scheduler_loop_prunes_old_outcomes_at_most_once_per_interval(old_outcomes, settings):
    settings.RULE_OUTCOME_PRUNE_SECONDS = 10**9  # one interval holds the whole test (about 31 years)
    old_outcomes(3)
    passes = []

    def between_passes(seconds):
        passes.append(RuleLeadOutcome.objects.count())
        if len(passes) == 1:
            old_outcomes(2)  # more old outcomes appear before the second pass, in the same interval
            return
        raise Stop

    with mock.patch.object(run_scheduled_rules.time, "sleep", side_effect=between_passes), pytest.raises(Stop):
        call_command("run_scheduled_rules", "--loop", "--interval", "5")

    assert passes == [0, 2]  # the first pass pruned the three; the second left the two for the next interval
    rollup = RuleOutcomeDailyRollup.objects.get()
    assert (rollup.rule, rollup.outcome, rollup.count) == (old_outcomes.rule, "acted", 3)
    run = ScheduleExecution.objects.get(job_kind=PRUNE_JOB_KIND)
    assert run.outcome == ScheduleOutcome.SUCCESS and run.finished_at is not None


def test_the_next_interval_prunes_again(old_outcomes, settings):
    settings.RULE_OUTCOME_PRUNE_SECONDS = 3600
    now = timezone.now()
    old_outcomes(2)
    assert rule_outcomes_prune_due(now=now).deleted == 2
    old_outcomes(1)
    assert rule_outcomes_prune_due(now=now) is None
    assert RuleLeadOutcome.objects.count() == 1
    assert rule_outcomes_prune_due(now=now + datetime.timedelta(hours=1)).deleted == 1
    assert RuleOutcomeDailyRollup.objects.get().count == 3
    assert ScheduleExecution.objects.filter(job_kind=PRUNE_JOB_KIND).count() == 2


def test_a_single_pass_of_the_command_prunes_too(old_outcomes):
    old_outcomes(2)
    call_command("run_scheduled_rules")
    assert not RuleLeadOutcome.objects.exists()
    assert RuleOutcomeDailyRollup.objects.get().count == 2


def test_a_failed_prune_is_recorded_and_does_not_stop_the_scheduler(old_outcomes):
    old_outcomes(1)
    with mock.patch.object(retention, "rule_outcomes_prune", side_effect=RuntimeError("disk full")):
        assert rule_outcomes_prune_due() is None
    run = ScheduleExecution.objects.get(job_kind=PRUNE_JOB_KIND)
    assert (run.outcome, run.error) == (ScheduleOutcome.FAILED, "disk full")
    assert RuleLeadOutcome.objects.count() == 1


def test_pruning_in_batches_adds_every_batch_to_the_same_daily_count(old_outcomes):
    old_outcomes(5)
    recent = RuleLeadOutcome.objects.order_by("pk").first()
    RuleLeadOutcome.objects.filter(pk=recent.pk).update(created_at=timezone.now())

    result = rule_outcomes_prune(batch=2)

    assert result.deleted == 4
    assert list(RuleLeadOutcome.objects.values_list("pk", flat=True)) == [recent.pk]
    assert RuleOutcomeDailyRollup.objects.get().count == 4
