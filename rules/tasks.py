"""Background tasks of the rule engine: ids in (JSON-safe), one service call."""

import datetime

from django.tasks import task

from rules.models import Rule, RuleTrigger
from rules.services.engine import rule_execute
from rules.services.retention import rule_outcomes_prune
from rules.services.scheduled import rule_run_scheduled


@task()
def run_rule(rule_id: int, trigger: str, lead_ids: list[int] | None = None, slot: str | None = None) -> int | None:
    """Run one rule; returns the RuleExecution id (None when the rule is gone)."""
    rule = Rule.objects.filter(pk=rule_id).first()
    if rule is None:
        return None
    if slot is not None and trigger in (RuleTrigger.HOURLY, RuleTrigger.DAILY):
        return rule_run_scheduled(rule=rule, slot=datetime.datetime.fromisoformat(slot)).pk
    return rule_execute(rule=rule, trigger=trigger, lead_ids=lead_ids).pk


@task()
def prune_rule_outcomes() -> int:
    return rule_outcomes_prune().deleted
