"""The outcome log's retention: per-lead outcomes older than RULE_OUTCOME_RETENTION_DAYS become daily counts.

`rule_outcomes_prune` works in batches, each in its own transaction: it takes a batch of old
outcomes (locked, skipping rows another pruner holds), adds them to the daily rollups and deletes
them, so two pruners at once never count a row twice and no statement holds the table for long.

Nothing has to remember to run it: the rule scheduler (`run_scheduled_rules`, every pass) calls
`rule_outcomes_prune_due`, which prunes at most once per RULE_OUTCOME_PRUNE_SECONDS. The interval's
slot is claimed as a ScheduleExecution (operations), so however many schedulers run or restart,
each slot is pruned once, and the prune shows in the schedule metrics (late, failed, duration).
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import TruncDate
from django.utils import timezone

from leadsite.batch_sql import values_in
from operations.services.schedules import schedule_execution_finish, schedule_slot_claim
from rules import conf
from rules.models import RuleLeadOutcome, RuleOutcomeDailyRollup

logger = logging.getLogger("rules.retention")
BATCH = 5000
PRUNE_JOB_KIND = "rule_outcome_prune"  # ScheduleExecution.job_kind (job_id 0): the scheduled prune
PRUNE_JOB_NAME = "Prune rule outcomes"


@dataclass
class PruneResult:
    deleted: int = 0
    rollups: int = 0  # rollup rows added to (one per rule, day and outcome per batch)


def rule_outcomes_prune(*, now: datetime.datetime | None = None, batch: int = BATCH) -> PruneResult:
    """Add the outcomes past their retention to the daily rollups and delete them, a batch per transaction."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=conf.outcome_retention_days())
    result = PruneResult()
    while True:
        with transaction.atomic():
            ids = list(
                RuleLeadOutcome.objects.filter(created_at__lt=cutoff)
                .order_by("pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[:batch]
            )
            if not ids:
                break
            taken = RuleLeadOutcome.objects.filter(pk__in=values_in(ids))
            grouped = (
                taken.annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
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
            deleted, _ = taken.delete()
            result.deleted += deleted
    if result.deleted:
        logger.info("rule outcomes pruned deleted=%s rollups=%s", result.deleted, result.rollups)
    return result


def prune_slot_at(at: datetime.datetime) -> datetime.datetime:
    """The start of the RULE_OUTCOME_PRUNE_SECONDS interval (counted from the epoch, UTC) holding `at`."""
    seconds = conf.outcome_prune_seconds()
    return datetime.datetime.fromtimestamp(at.timestamp() // seconds * seconds, tz=datetime.UTC)


def rule_outcomes_prune_due(*, now: datetime.datetime | None = None) -> PruneResult | None:
    """Prune unless this interval's prune already ran (anywhere); returns None when it had.

    A failure is recorded on the slot's ScheduleExecution and logged, not raised: the scheduler
    calling this goes on queueing rules, and the next interval tries again.
    """
    now = now or timezone.now()
    run = schedule_slot_claim(job_kind=PRUNE_JOB_KIND, job_id=0, job_name=PRUNE_JOB_NAME, slot=prune_slot_at(now))
    if run is None:
        return None
    try:
        result = rule_outcomes_prune(now=now)
    except Exception as error:
        logger.exception("rule outcome prune failed")
        schedule_execution_finish(execution=run, error=str(error) or type(error).__name__)
        return None
    schedule_execution_finish(execution=run)
    return result
