"""Scheduled rules serve each slot once; every scheduled job records a ScheduleExecution."""

import datetime

import pytest
from django.utils import timezone

from leads.models import LeadNote
from operations.models import ScheduleExecution, ScheduleOutcome
from rules.models import RuleActionKind, RuleExecution, RuleTrigger
from rules.services.scheduled import rule_slot_at, rules_run_due

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def test_hourly_and_daily_slots(make_rule, settings):
    settings.TIME_ZONE = "UTC"
    hourly = make_rule(trigger=RuleTrigger.HOURLY, run_time=datetime.time(0, 15))
    daily = make_rule(trigger=RuleTrigger.DAILY, run_time=datetime.time(7, 0))
    at = datetime.datetime(2026, 12, 2, 9, 10, tzinfo=UTC)
    assert rule_slot_at(hourly, at=at) == datetime.datetime(2026, 12, 2, 8, 15, tzinfo=UTC)
    assert rule_slot_at(daily, at=at) == datetime.datetime(2026, 12, 2, 7, 0, tzinfo=UTC)
    assert rule_slot_at(make_rule(trigger=RuleTrigger.MANUAL), at=at) is None


def test_a_due_rule_runs_once_per_slot_and_records_lateness(
    make_lead, make_rule, settings, django_capture_on_commit_callbacks
):
    settings.TIME_ZONE = "UTC"
    settings.SCHEDULE_LATE_SECONDS = 60
    make_lead()
    rule = make_rule(
        name="Daily tag",
        trigger=RuleTrigger.DAILY,
        run_time=datetime.time(7, 0),
        actions=[{"kind": RuleActionKind.ADD_NOTE, "tag": "daily"}],
    )
    now = timezone.now()
    slot = rule_slot_at(rule, at=now)
    with django_capture_on_commit_callbacks(execute=True):
        assert rules_run_due(now=now) == [(rule.pk, slot)]
        assert rules_run_due(now=now) == []  # the slot is served
    assert RuleExecution.objects.get().slot == slot
    assert LeadNote.objects.count() == 1
    run = ScheduleExecution.objects.get()
    assert (run.job_kind, run.job_id, run.job_name, run.slot, run.outcome) == (
        "rule",
        rule.pk,
        "Daily tag",
        slot,
        ScheduleOutcome.SUCCESS,
    )
    assert run.lateness_seconds == pytest.approx((run.started_at - slot).total_seconds())
    assert run.late == (run.lateness_seconds > 60)
    assert run.finished_at >= run.started_at


def test_a_paused_scheduled_rule_is_not_queued(make_rule):
    make_rule(trigger=RuleTrigger.HOURLY, is_active=False)
    assert rules_run_due() == []


def test_scheduled_exports_record_their_runs(settings, owner):
    from exports.models import SavedExport
    from exports.services.scheduled import scheduled_exports_pass

    settings.TIME_ZONE = "UTC"
    owner.is_superuser = True
    owner.save()
    saved = SavedExport.objects.create(
        owner=owner, name="Morning", format="csv", filters={}, frequency="daily", run_time=datetime.time(6, 0)
    )
    SavedExport.objects.filter(pk=saved.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    now = datetime.datetime.combine(timezone.localdate(), datetime.time(6, 30), tzinfo=UTC)
    scheduled_exports_pass(now=now)
    run = ScheduleExecution.objects.get()
    assert (run.job_kind, run.job_id, run.job_name) == ("export", saved.pk, "Morning")
    assert run.slot == now.replace(minute=0)
    assert (run.lateness_seconds, run.late) == (1800.0, True)
    assert run.outcome == ScheduleOutcome.SUCCESS


def test_schedule_metrics_per_job(owner):
    from operations.services.schedules import schedule_execution_track, schedule_metrics

    slot = timezone.now() - datetime.timedelta(hours=1)
    with schedule_execution_track(job_kind="rule", job_id=1, job_name="A", slot=slot):
        pass
    earlier = slot - datetime.timedelta(hours=1)
    with pytest.raises(RuntimeError), schedule_execution_track(job_kind="rule", job_id=1, job_name="A", slot=earlier):
        raise RuntimeError("disk full")
    metrics = schedule_metrics()
    assert (metrics["runs"], metrics["late"], metrics["failed"]) == (2, 2, 1)
    job = metrics["jobs"][0]
    assert (job["job"], job["runs"], job["failed"], job["last_outcome"]) == (
        "rule:1",
        2,
        1,
        "failed",
    )  # the run started last
    assert metrics["recent_problems"][0]["error"] == "disk full"
