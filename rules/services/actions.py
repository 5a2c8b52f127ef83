"""The actions of a rule, applied to one batch of claimed leads, in their order.

Each action works on the whole batch in a few queries (an UPDATE, a bulk insert, one call to the
outreach queue). An action that fails marks its leads with the error and the next action still runs.
"""

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from leads.models import Lead, LeadNote
from leads.services import lead_status_bulk_update
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
    for action in actions:
        targets = [lead_id for lead_id in lead_ids if lead_id not in result.errors]
        if not targets:
            break
        try:
            with transaction.atomic():
                done = APPLY[action.kind](
                    rule=rule, action=action, execution=execution, lead_ids=targets, result=result
                )
        except Exception as error:
            message = f"{action.get_kind_display()}: {error}"
            logger.warning("rule action failed rule_id=%s action_id=%s error=%s", rule.pk, action.pk, error)
            for lead_id in targets:
                result.errors.setdefault(lead_id, message)
            continue
        result.actions_done += done
    return result


def _set_status(*, action, lead_ids, **_) -> int:
    if not action.status:
        raise ActionError("no status chosen")
    lead_status_bulk_update(leads=Lead.objects.filter(pk__in=lead_ids), status=action.status, user=None)
    return len(lead_ids)


def _assign_user(*, action, lead_ids, **_) -> int:
    if action.user is None or not action.user.is_active:
        raise ActionError("no active user to assign to")
    Lead.objects.filter(pk__in=lead_ids).update(assigned_to=action.user, updated_at=timezone.now())
    return len(lead_ids)


def _round_robin(*, action, lead_ids, **_) -> int:
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
    now = timezone.now()
    for member, ids in by_member.items():
        Lead.objects.filter(pk__in=ids).update(assigned_to_id=member, updated_at=now)
    RuleAction.objects.filter(pk=action.pk).update(round_robin_next=(start + len(lead_ids)) % len(members))
    return len(lead_ids)


def _add_note(*, rule, action, lead_ids, **_) -> int:
    if not (action.note or action.tag):
        raise ActionError("no note text or tag")
    source = f"rule {rule.pk}: {rule.name}"[:100]
    now = timezone.now()
    LeadNote.objects.bulk_create(
        [
            LeadNote(lead_id=lead_id, text=action.note, tag=action.tag, source=source, created_at=now)
            for lead_id in lead_ids
        ],
        batch_size=1000,
    )
    return len(lead_ids)


def _send_template(*, action, execution, lead_ids, result, **_) -> int:
    """Queue the template (outreach's outbox); leads it does not queue count as skipped, with the reasons."""
    from outreach.models import AutoResponse
    from outreach.services import auto_responses_queue

    if action.template is None:
        raise ActionError("no template chosen")
    counts = auto_responses_queue(lead_ids=lead_ids, template=action.template, rule_execution_id=execution.pk)
    queued = set(
        AutoResponse.objects.filter(
            template=action.template, rule_execution_id=execution.pk, lead_id__in=lead_ids
        ).values_list("lead_id", flat=True)
    )
    reasons = ", ".join(
        f"{name.removeprefix('skipped_').replace('_', ' ')}: {count}"
        for name, count in counts.items()
        if name.startswith("skipped_") and count
    )
    for lead_id in lead_ids:
        if lead_id not in queued:
            result.skipped.setdefault(lead_id, f"not sent ({reasons or 'already queued'})")
    return len(queued)


APPLY = {
    RuleActionKind.SET_STATUS: _set_status,
    RuleActionKind.ASSIGN_USER: _assign_user,
    RuleActionKind.ASSIGN_ROUND_ROBIN: _round_robin,
    RuleActionKind.ADD_NOTE: _add_note,
    RuleActionKind.SEND_TEMPLATE: _send_template,
}
