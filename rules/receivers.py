"""The "on new leads" trigger: the bulk write path's `leads_arrived` signal queues the active rules."""

from rules.models import Rule, RuleTrigger

# Lead ids per task: small enough for a task's JSON arguments, large enough to batch the work.
IDS_PER_TASK = 10_000


def rules_on_leads_arrived(sender=None, *, created_ids=(), **kwargs) -> None:
    """Queue one run per active on-new-leads rule and slice of created ids (quick: only enqueues)."""
    from rules.tasks import run_rule

    ids = sorted(created_ids or ())
    if not ids:
        return
    rule_ids = list(Rule.objects.filter(is_active=True, trigger=RuleTrigger.NEW_LEADS).values_list("pk", flat=True))
    for rule_id in rule_ids:
        for start in range(0, len(ids), IDS_PER_TASK):
            run_rule.enqueue(rule_id, RuleTrigger.NEW_LEADS, ids[start : start + IDS_PER_TASK], None)
