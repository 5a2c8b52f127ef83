"""Reads of the message rollups, in the shapes the analytics compute from the messages.

Rollups answer when the lead rollups would answer the spec (`lead_source`: rollups on,
a spec of rollup dimensions only, the site's time zone active) and are current; callers
fall back to the messages when these return None.
"""

from collections.abc import Iterable, Mapping

from django.db.models import Sum

from leads.analytics.sources import lead_source
from leads.conf import rollups_enabled
from leads.selectors import lead_filterset
from outreach.rollups.cells import FIGURES
from outreach.rollups.models import MessageDailyRollup, MessageTotalRollup
from outreach.rollups.refresh import message_rollups_build, message_rollups_current, message_rollups_prepare


def message_groups_from_rollups(*, filters: Mapping) -> list[dict] | None:
    """The rows of `message_groups(messages_for(filters=...))` without names, or None when rollups cannot say."""
    filterset = lead_filterset(filters=filters)
    if not rollups_enabled() or not filterset.answerable_by_rollups():
        return None
    built = message_rollups_prepare()
    # lead_source makes the lead rollups current when it chooses them (the same decision as the lead figures).
    if not lead_source(filterset).uses_rollups or not message_rollups_build(built=built):
        return None
    if filterset.normalized_spec():
        cells = filterset.rollup_queryset(MessageDailyRollup.objects.all())
    else:
        cells = MessageTotalRollup.objects.all()  # every message: the totals, a few thousand rows
    rows = cells.order_by().values("queued_day", "template_id", "variant_id", "message_status")
    rows = list(rows.annotate(**{f"sum_{name}": Sum(name) for name in FIGURES}))
    return [
        {
            "day": row["queued_day"],
            "template_id": row["template_id"],
            "variant_id": row["variant_id"] or None,
            "status": row["message_status"],
            **{name: int(row[f"sum_{name}"]) for name in FIGURES},
        }
        for row in rows
    ]


def variant_counts_from_rollups(test_ids: Iterable[int]) -> list[dict] | None:
    """[{ab_test_id, variant_id, sent, delivered, replied, converted}] of the tests' messages with a variant."""
    if not rollups_enabled() or not message_rollups_current():
        return None
    figures = ("sent", "delivered", "replied", "converted")
    rows = (
        MessageTotalRollup.objects.filter(ab_test_id__in=list(test_ids))
        .exclude(variant_id=0)
        .order_by()
        .values("ab_test_id", "variant_id")
        .annotate(**{f"sum_{name}": Sum(name) for name in figures})
    )
    return [
        {"ab_test_id": row["ab_test_id"], "variant_id": row["variant_id"]}
        | {name: int(row[f"sum_{name}"]) for name in figures}
        for row in rows
    ]
