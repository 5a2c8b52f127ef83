"""Scheduled rules: hourly (at a minute past the hour) or daily (at a time), each slot served once.

`rules_run_due` claims the due slot of each active scheduled rule with one conditional UPDATE on
`last_slot` (two schedulers never take the same slot) and queues the run; the task records a
ScheduleExecution (operations) around it, so lateness includes the time spent in the queue.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from exports.models import ScheduleFrequency
from exports.scheduling import Schedule, schedule_slot_at
from operations.services.schedules import schedule_execution_track
from rules.models import Rule, RuleExecution, RuleTrigger
from rules.services.engine import rule_execute

SCHEDULED_TRIGGERS = (RuleTrigger.HOURLY, RuleTrigger.DAILY)


def rule_slot_at(rule: Rule, *, at: datetime.datetime) -> datetime.datetime | None:
    """The latest slot of `rule`'s schedule at or before `at`; None for rules not on a schedule."""
    if rule.trigger == RuleTrigger.HOURLY:
        minute = rule.run_time.minute if rule.run_time else 0
        slot = at.astimezone(datetime.UTC).replace(minute=minute, second=0, microsecond=0)
        return slot if slot <= at else slot - datetime.timedelta(hours=1)
    if rule.trigger == RuleTrigger.DAILY and rule.run_time is not None:
        return schedule_slot_at(Schedule(frequency=ScheduleFrequency.DAILY, run_time=rule.run_time), at=at)
    return None


def rules_run_due(*, now: datetime.datetime | None = None) -> list[tuple[int, datetime.datetime]]:
    """Queue every active scheduled rule whose latest slot is not served yet; returns (rule id, slot) pairs."""
    from rules.tasks import run_rule  # the task module imports the services

    now = now or timezone.now()
    queued = []
    for rule in Rule.objects.filter(is_active=True, trigger__in=SCHEDULED_TRIGGERS):
        slot = rule_slot_at(rule, at=now)
        if slot is None or (rule.last_slot is not None and slot <= rule.last_slot):
            continue
        claimed = (
            Rule.objects.filter(pk=rule.pk, is_active=True)
            .filter(Q(last_slot__isnull=True) | Q(last_slot__lt=slot))
            .update(last_slot=slot)
        )
        if claimed:
            transaction.on_commit(
                lambda rule=rule, slot=slot: run_rule.enqueue(rule.pk, rule.trigger, None, slot.isoformat())
            )
            queued.append((rule.pk, slot))
    return queued


def rule_run_scheduled(*, rule: Rule, slot: datetime.datetime) -> RuleExecution:
    """Run `rule` for its schedule `slot`, recorded as a ScheduleExecution too."""
    with schedule_execution_track(job_kind="rule", job_id=rule.pk, job_name=rule.name, slot=slot) as tracked:
        execution = rule_execute(rule=rule, trigger=rule.trigger, slot=slot)
        if execution.error:
            tracked.error = execution.error
    return execution
