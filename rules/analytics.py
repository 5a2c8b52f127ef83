"""The `rules` and `schedules` sections of the performance analytics (registered in apps.py).

The period is the spec's `date_from`/`date_to` (days in the site's time zone, by the day a run
started); without them, the last 30 days. Other spec parameters describe leads and are ignored.

rules:      period {start, end}, runs, failed_runs, leads_matched, leads_acted, actions_done,
            skipped, errors, by_rule [{id, name, trigger, is_active, runs, leads_matched,
            leads_acted, actions_done, skipped, errors, last_run}] (most matched first)
schedules:  period, runs, late, failed, late_share, failure_rate, jobs [{job, kind, id, name,
            runs, late, failed, average_lateness_seconds, max_lateness_seconds,
            average_duration_seconds, last_started_at, last_outcome}], recent_problems
"""

import datetime
from collections.abc import Mapping

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from operations.services.schedules import schedule_metrics
from rules.models import ExecutionStatus, RuleExecution

DEFAULT_DAYS = 30
FIGURES = ("leads_matched", "leads_acted", "actions_done", "skipped", "errors")


def analytics_period(spec: Mapping, *, now=None) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate(now)
    end = datetime.date.fromisoformat(spec["date_to"]) if spec.get("date_to") else today
    start = (
        datetime.date.fromisoformat(spec["date_from"])
        if spec.get("date_from")
        else end - datetime.timedelta(days=DEFAULT_DAYS - 1)
    )
    return start, end


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    low = datetime.datetime.combine(start, datetime.time(), tzinfo=tz)
    high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tzinfo=tz)
    return low, high


def rules_performance(*, spec: Mapping) -> dict:
    start, end = analytics_period(spec)
    low, high = _bounds(start, end)
    runs = RuleExecution.objects.filter(started_at__gte=low, started_at__lt=high).order_by()
    totals = runs.aggregate(
        runs=Count("pk"),
        failed_runs=Count("pk", filter=Q(status=ExecutionStatus.FAILED)),
        **{name: Sum(name) for name in FIGURES},
    )
    by_rule = (
        runs.values("rule_id", "rule__name", "rule__trigger", "rule__is_active")
        .annotate(runs=Count("pk"), last_run=Max("started_at"), **{name: Sum(name) for name in FIGURES})
        .order_by("-leads_matched", "rule__name")
    )
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "runs": totals["runs"],
        "failed_runs": totals["failed_runs"],
        **{name: totals[name] or 0 for name in FIGURES},
        "by_rule": [
            {
                "id": row["rule_id"],
                "name": row["rule__name"],
                "trigger": row["rule__trigger"],
                "is_active": row["rule__is_active"],
                "runs": row["runs"],
                **{name: row[name] or 0 for name in FIGURES},
                "last_run": row["last_run"].isoformat() if row["last_run"] else None,
            }
            for row in by_rule
        ],
    }


def schedules_performance(*, spec: Mapping) -> dict:
    start, end = analytics_period(spec)
    low, high = _bounds(start, end)
    return {"period": {"start": start.isoformat(), "end": end.isoformat()}, **schedule_metrics(start=low, end=high)}
