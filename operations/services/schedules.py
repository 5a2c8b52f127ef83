"""Schedule execution metrics: every scheduled job records each slot it serves (operations.ScheduleExecution).

Scheduled exports (exports.services.scheduled) and scheduled rules (rules.services.scheduled) wrap
the run of a claimed slot in `schedule_execution_track`; it records started, finished, lateness
and outcome (an exception is recorded as the error and raised again). Housekeeping on an interval
(the rule outcomes' prune) claims its slot with `schedule_slot_claim` instead, so it runs once per slot.
"""

import contextlib
import datetime

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Max, Q
from django.utils import timezone

from operations import conf
from operations.models import ScheduleExecution, ScheduleOutcome

MAX_ERROR_LENGTH = 1000


@contextlib.contextmanager
def schedule_execution_track(*, job_kind: str, job_id: int, job_name: str, slot: datetime.datetime, now=None):
    """Record one run of a job for `slot` around the block; yields the ScheduleExecution.

    A block that does not raise but sets `execution.error` is recorded as failed too.
    """
    started = now or timezone.now()
    lateness = max(0.0, (started - slot).total_seconds())
    execution, _ = ScheduleExecution.objects.update_or_create(
        job_kind=job_kind,
        job_id=job_id,
        slot=slot,
        defaults={
            "job_name": job_name[:200],
            "started_at": started,
            "finished_at": None,
            "lateness_seconds": lateness,
            "late": lateness > conf.schedule_late_seconds(),
            "outcome": ScheduleOutcome.RUNNING,
            "error": "",
        },
    )
    try:
        yield execution
    except Exception as error:
        schedule_execution_finish(execution=execution, error=str(error) or type(error).__name__)
        raise
    schedule_execution_finish(execution=execution, error=execution.error)


def schedule_slot_claim(
    *, job_kind: str, job_id: int, job_name: str, slot: datetime.datetime, now=None
) -> ScheduleExecution | None:
    """Start the run of a job for `slot` unless one was started already (by any process); None then.

    The unique (job, slot) constraint decides, so two processes claiming at once start one run.
    Finish it with `schedule_execution_finish`.
    """
    started = now or timezone.now()
    lateness = max(0.0, (started - slot).total_seconds())
    try:
        with transaction.atomic():
            return ScheduleExecution.objects.create(
                job_kind=job_kind,
                job_id=job_id,
                job_name=job_name[:200],
                slot=slot,
                started_at=started,
                lateness_seconds=lateness,
                late=lateness > conf.schedule_late_seconds(),
            )
    except IntegrityError:
        return None


def schedule_execution_finish(*, execution: ScheduleExecution, error: str = "") -> ScheduleExecution:
    execution.finished_at = max(timezone.now(), execution.started_at)
    execution.outcome = ScheduleOutcome.FAILED if error else ScheduleOutcome.SUCCESS
    execution.error = error[:MAX_ERROR_LENGTH]
    execution.save(update_fields=["finished_at", "outcome", "error"])
    return execution


def schedule_metrics(*, start: datetime.datetime | None = None, end: datetime.datetime | None = None) -> dict:
    """Runs, late runs, failures and durations per job, for runs started in [start, end).

    Keys: runs, late, failed, late_share, failure_rate, jobs: [{job, kind, id, name, runs, late,
    failed, average_lateness_seconds, max_lateness_seconds, average_duration_seconds,
    last_started_at, last_outcome}], recent_problems: the latest late or failed runs.
    """
    runs = ScheduleExecution.objects.all()
    if start is not None:
        runs = runs.filter(started_at__gte=start)
    if end is not None:
        runs = runs.filter(started_at__lt=end)
    late_q, failed_q = Q(late=True), Q(outcome=ScheduleOutcome.FAILED)
    totals = runs.aggregate(runs=Count("pk"), late=Count("pk", filter=late_q), failed=Count("pk", filter=failed_q))
    jobs = []
    grouped = (
        runs.order_by()
        .values("job_kind", "job_id")
        .annotate(
            runs=Count("pk"),
            late=Count("pk", filter=late_q),
            failed=Count("pk", filter=failed_q),
            average_lateness=Avg("lateness_seconds"),
            max_lateness=Max("lateness_seconds"),
            last_started=Max("started_at"),
        )
        .order_by("job_kind", "job_id")
    )
    for row in grouped:
        of_job = runs.filter(job_kind=row["job_kind"], job_id=row["job_id"])
        last = of_job.order_by("-started_at", "-id").first()
        finished = [
            r.duration_seconds for r in of_job.filter(finished_at__isnull=False).only("started_at", "finished_at")
        ]
        jobs.append(
            {
                "job": f"{row['job_kind']}:{row['job_id']}",
                "kind": row["job_kind"],
                "id": row["job_id"],
                "name": last.job_name if last else "",
                "runs": row["runs"],
                "late": row["late"],
                "failed": row["failed"],
                "average_lateness_seconds": round(row["average_lateness"] or 0, 1),
                "max_lateness_seconds": round(row["max_lateness"] or 0, 1),
                "average_duration_seconds": round(sum(finished) / len(finished), 3) if finished else None,
                "last_started_at": row["last_started"].isoformat() if row["last_started"] else None,
                "last_outcome": last.outcome if last else None,
            }
        )
    problems = runs.filter(late_q | failed_q).order_by("-started_at", "-id")[:10]
    return {
        "runs": totals["runs"],
        "late": totals["late"],
        "failed": totals["failed"],
        "late_share": round(totals["late"] / totals["runs"], 4) if totals["runs"] else None,
        "failure_rate": round(totals["failed"] / totals["runs"], 4) if totals["runs"] else None,
        "jobs": jobs,
        "recent_problems": [
            {
                "job": run.job,
                "name": run.job_name,
                "slot": run.slot.isoformat(),
                "started_at": run.started_at.isoformat(),
                "lateness_seconds": round(run.lateness_seconds, 1),
                "outcome": run.outcome,
                "error": run.error,
            }
            for run in problems
        ],
    }
