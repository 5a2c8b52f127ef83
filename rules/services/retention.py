"""The outcome log's retention: per-lead outcomes older than RULE_OUTCOME_RETENTION_DAYS become daily counts."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import TruncDate
from django.utils import timezone

from rules import conf
from rules.models import RuleLeadOutcome, RuleOutcomeDailyRollup


@dataclass
class PruneResult:
    deleted: int = 0
    rollups: int = 0


def rule_outcomes_prune(*, now: datetime.datetime | None = None) -> PruneResult:
    """Add the old outcomes to the daily rollups and delete them, in one transaction."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=conf.outcome_retention_days())
    result = PruneResult()
    with transaction.atomic():
        old = RuleLeadOutcome.objects.filter(created_at__lt=cutoff)
        grouped = (
            old.annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
            .values("rule_id", "day", "outcome")
            .annotate(count=Count("pk"))
            .order_by()
        )
        for row in grouped:
            rollup, created = RuleOutcomeDailyRollup.objects.select_for_update().get_or_create(
                rule_id=row["rule_id"], day=row["day"], outcome=row["outcome"], defaults={"count": row["count"]}
            )
            if not created:
                RuleOutcomeDailyRollup.objects.filter(pk=rollup.pk).update(count=F("count") + row["count"])
            result.rollups += 1
        result.deleted, _ = old.delete()
    return result
