"""The actions of a rule, applied to one batch of claimed leads, in their order.

Each action works on the whole batch in a statement or two, its ids passed as one parameter
(`leadsite.batch_sql.values_in`): one UPDATE for a status or an assignment (round-robin included:
one CASE over the members), one INSERT for the notes, one call to the outreach queue (itself
set-based). An action that fails marks its leads with the error; later actions skip those leads.
"""

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from leads.models import Lead, LeadNote
from leads.services import lead_status_bulk_update
from leadsite.batch_sql import rows_insert, values_in
from rules.models import Rule, RuleAction, RuleActionKind, RuleExecution

logger = logging.getLogger("rules.actions")


class ActionError(Exception):
    """An action cannot run as configured (no group members, no template, outreach missing)."""


@dataclass
class BatchResult:
    actions_done: int = 0  # one per action per lead it applied to
    skipped: dict[int, str] = field(default_factory=dict)  # lead id -> why (suppressed, already answered)
    errors: dict[int, str] = field(default_factory=dict)  # lead id -> the first error


def actions_apply(
    *, rule: Rule, actions: list[RuleAction], execution: RuleExecution, lead_ids: list[int]
) -> BatchResult:
    result = BatchResult()
    if not lead_ids:
        return result
    for group in _groups(actions):
        targets = [lead_id for lead_id in lead_ids if lead_id not in result.errors]
        if not targets:
            break
        if group[0].kind in LEAD_FIELDS:
            _apply_lead_fields(rule=rule, actions=group, lead_ids=targets, result=result)
            continue
        action = group[0]
        try:
            with transaction.atomic():
                done = APPLY[action.kind](
                    rule=rule, action=action, execution=execution, lead_ids=targets, result=result
                )
        except Exception as error:
            _failed(rule, action, error, targets, result)
            continue
        result.actions_done += done
    return result


def _groups(actions: list[RuleAction]) -> list[list[RuleAction]]:
    """The actions in order, consecutive ones that only set lead fields together (one UPDATE for them)."""
    groups: list[list[RuleAction]] = []
    for action in actions:
        if groups and action.kind in LEAD_FIELDS and groups[-1][0].kind in LEAD_FIELDS:
            groups[-1].append(action)
        else:
            groups.append([action])
    return groups


def _failed(rule: Rule, action: RuleAction, error: Exception, targets: list[int], result: BatchResult) -> None:
    message = f"{action.get_kind_display()}: {error}"
    logger.warning("rule action failed rule_id=%s action_id=%s error=%s", rule.pk, action.pk, error)
    for lead_id in targets:
        result.errors.setdefault(lead_id, message)


def _apply_lead_fields(*, rule: Rule, actions: list[RuleAction], lead_ids: list[int], result: BatchResult) -> None:
    """Set status / assign in one UPDATE of the batch: rewriting a lead row touches every index of the
    lead table (the trigram ones too), so two actions in two UPDATEs would cost twice as much.

    Each action is checked (and a round-robin cursor moved) in its own savepoint, in order; the first
    that cannot run marks the leads with its error and the ones before it are still applied.
    """
    try:
        with transaction.atomic():
            values: dict = {}
            applied = 0
            for action in actions:
                try:
                    with transaction.atomic():
                        values.update(LEAD_FIELDS[action.kind](action=action, lead_ids=lead_ids))
                except Exception as error:
                    _failed(rule, action, error, lead_ids, result)
                    break
                applied += 1
            leads = Lead.objects.filter(pk__in=values_in(lead_ids))
            if set(values) == {"status"}:  # alone, a status change leaves leads already in it untouched
                lead_status_bulk_update(leads=leads, status=values["status"], user=None)
            elif values:
                leads.update(**values, updated_at=timezone.now())
    except Exception as error:  # the UPDATE itself failed: none of these actions happened
        _failed(rule, actions[0], error, lead_ids, result)
        return
    result.actions_done += applied * len(lead_ids)


def _set_status(*, action, **_) -> dict:
    if not action.status:
        raise ActionError("no status chosen")
    return {"status": action.status}


def _assign_user(*, action, **_) -> dict:
    if action.user is None or not action.user.is_active:
        raise ActionError("no active user to assign to")
    return {"assigned_to_id": action.user.pk}


def _round_robin(*, action, lead_ids, **_) -> dict:
    if action.group is None:
        raise ActionError("no group chosen")
    members = list(action.group.user_set.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
    if not members:
        raise ActionError(f"the group {action.group.name!r} has no active members")
    # The cursor row is locked, so two batches at once hand out the turns in one sequence.
    start = RuleAction.objects.select_for_update().values_list("round_robin_next", flat=True).get(pk=action.pk)
    by_member: dict[int, list[int]] = {}
    for offset, lead_id in enumerate(sorted(lead_ids)):
        by_member.setdefault(members[(start + offset) % len(members)], []).append(lead_id)
    RuleAction.objects.filter(pk=action.pk).update(round_robin_next=(start + len(lead_ids)) % len(members))
    return {
        "assigned_to_id": Case(
            *(When(pk__in=values_in(ids), then=Value(member)) for member, ids in by_member.items()),
            output_field=IntegerField(),
        )
    }


def _add_note(*, rule, action, lead_ids, **_) -> int:
    if not (action.note or action.tag):
        raise ActionError("no note text or tag")
    source = f"rule {rule.pk}: {rule.name}"[:100]
    rows_insert(
        LeadNote,
        columns={"lead": lead_ids},
        constants={"text": action.note, "tag": action.tag, "source": source, "created_at": timezone.now()},
    )
    return len(lead_ids)


def _send_template(*, action, execution, lead_ids, result, **_) -> int:
    """Queue the template (outreach's outbox); leads it does not queue count as skipped, each with its reason."""
    from outreach.services import auto_responses_queue_leads

    if action.template is None:
        raise ActionError("no template chosen")
    queued = auto_responses_queue_leads(lead_ids=lead_ids, template=action.template, rule_execution_id=execution.pk)
    for lead_id, reason in queued.skipped.items():
        result.skipped.setdefault(lead_id, f"not sent ({reason.removeprefix('skipped_').replace('_', ' ')})")
    return len(queued.queued)


# Actions that only set fields of the lead: each returns the values for the batch's one UPDATE.
LEAD_FIELDS = {
    RuleActionKind.SET_STATUS: _set_status,
    RuleActionKind.ASSIGN_USER: _assign_user,
    RuleActionKind.ASSIGN_ROUND_ROBIN: _round_robin,
}
APPLY = {
    RuleActionKind.ADD_NOTE: _add_note,
    RuleActionKind.SEND_TEMPLATE: _send_template,
}
