"""Running a rule: match leads by its filter spec, claim each lead once per trigger, apply the actions.

A run is one RuleExecution. Leads are handled in batches (RULE_BATCH_SIZE): each batch is first
*claimed* (one RuleLeadClaim per rule, lead and trigger, under a unique constraint, inserted with
ON CONFLICT DO NOTHING RETURNING the leads it claimed), so two runs, two workers or a retried task
never act twice on the same lead for the same trigger; leads claimed before count as skipped.

Every step of a batch is a statement or two for the whole batch (the match, the claim, each
action, the per-lead outcomes), its ids passed as one parameter (`leadsite.batch_sql`), so a
batch costs the same number of queries however large it is and memory is bounded by the batch.
"""

import datetime
import logging
from collections.abc import Iterable, Iterator

from django.db import transaction
from django.utils import timezone

from leads.selectors import lead_list
from leadsite.batch_sql import rows_insert, values_in
from rules import conf
from rules.models import (
    ExecutionStatus,
    OutcomeKind,
    Rule,
    RuleExecution,
    RuleLeadClaim,
    RuleLeadOutcome,
    RuleTrigger,
)
from rules.services.actions import BatchResult, actions_apply

logger = logging.getLogger("rules.engine")
MAX_ERROR_LENGTH = 1000
ALREADY_HANDLED = "already handled by this rule for this trigger"


def rule_execute(
    *,
    rule: Rule,
    trigger: str,
    lead_ids: Iterable[int] | None = None,
    slot: datetime.datetime | None = None,
) -> RuleExecution:
    """Run `rule` for `trigger` over `lead_ids` (new leads) or every lead its spec matches; returns the run.

    A paused rule runs only by hand. Errors of one action are counted per lead and do not stop
    the others; an error outside the actions (a bad spec) fails the run with its message.
    """
    execution = RuleExecution.objects.create(rule=rule, trigger=trigger, slot=slot, started_at=timezone.now())
    if not rule.is_active and trigger != RuleTrigger.MANUAL:
        return _finish(execution, error="The rule is paused.", status=ExecutionStatus.FAILED)
    actions = list(rule.actions.select_related("user", "group").order_by("position", "pk"))
    try:
        for batch in _matching_batches(rule, lead_ids):
            execution.leads_matched += len(batch)
            claimed = _claim(rule=rule, trigger=trigger, execution=execution, lead_ids=batch)
            already = [lead_id for lead_id in batch if lead_id not in claimed]
            result = actions_apply(rule=rule, actions=actions, execution=execution, lead_ids=sorted(claimed))
            result.skipped.update(dict.fromkeys(already, ALREADY_HANDLED))
            _record(execution, rule, batch, result)
    except Exception as error:  # the run as a whole failed: say why on the record
        logger.exception("rule run failed rule_id=%s execution_id=%s", rule.pk, execution.pk)
        return _finish(execution, error=str(error) or type(error).__name__, status=ExecutionStatus.FAILED)
    status = ExecutionStatus.PARTIAL if execution.errors else ExecutionStatus.SUCCESS
    return _finish(execution, status=status)


def _matching_batches(rule: Rule, lead_ids: Iterable[int] | None) -> Iterator[list[int]]:
    size = conf.batch_size()
    matching = lead_list(filters=rule.filters).order_by()
    if lead_ids is not None:
        ids = sorted(lead_ids)  # the one copy of the given ids (8 bytes each); a task carries at most 10,000
        for start in range(0, len(ids), size):
            # A repeated id is dropped by the query (IN), and at a chunk's edge by starting after it.
            chunk = [lead_id for lead_id in ids[start : start + size] if not start or lead_id != ids[start - 1]]
            yield sorted(matching.filter(pk__in=values_in(chunk)).values_list("pk", flat=True))
        return
    last = 0
    while True:  # keyset pages: memory stays flat however many leads match
        chunk = list(matching.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1]


def _claim(*, rule: Rule, trigger: str, execution: RuleExecution, lead_ids: list[int]) -> set[int]:
    """Insert the batch's claims; returns the leads this run claimed (the others were claimed before)."""
    return set(
        rows_insert(
            RuleLeadClaim,
            columns={"lead": lead_ids},
            constants={"rule": rule.pk, "trigger": trigger, "execution": execution.pk, "created_at": timezone.now()},
            returning="lead",
        )
    )


def _record(execution: RuleExecution, rule: Rule, batch: list[int], result: BatchResult) -> None:
    kinds, details = [], []
    for lead_id in batch:
        if lead_id in result.errors:
            kind, detail = OutcomeKind.ERROR, result.errors[lead_id]
        elif lead_id in result.skipped:
            kind, detail = OutcomeKind.SKIPPED, result.skipped[lead_id]
        else:
            kind, detail = OutcomeKind.ACTED, ""
        kinds.append(kind)
        details.append(detail[:300])
    with transaction.atomic():
        rows_insert(
            RuleLeadOutcome,
            columns={"lead": batch, "outcome": kinds, "detail": details},
            constants={"execution": execution.pk, "rule": rule.pk, "created_at": timezone.now()},
        )
        execution.actions_done += result.actions_done
        execution.skipped += len(result.skipped)
        execution.errors += len(result.errors)
        execution.leads_acted += kinds.count(OutcomeKind.ACTED)
        execution.save(update_fields=["leads_matched", "leads_acted", "actions_done", "skipped", "errors"])


def _finish(execution: RuleExecution, *, status: str, error: str = "") -> RuleExecution:
    execution.status = status
    execution.error = error[:MAX_ERROR_LENGTH]
    execution.finished_at = timezone.now()
    execution.save()
    logger.info(
        "rule run rule_id=%s execution_id=%s trigger=%s status=%s matched=%s acted=%s skipped=%s errors=%s",
        execution.rule_id,
        execution.pk,
        execution.trigger,
        status,
        execution.leads_matched,
        execution.leads_acted,
        execution.skipped,
        execution.errors,
    )
    return execution
