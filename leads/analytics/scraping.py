"""Scraping performance for one filter spec, computed in the database from ScrapeRun.

The spec is validated as a lead spec, then its run filters select the runs
through `leads.run_filters.ScrapeRunFilterSet`: `date_from`/`date_to` by the day
a run started (site time zone), `location_ids`, `location_names` and
`categories` by place. The other parameters describe leads, not runs, and are
ignored here; `applied_filters` lists the ones that were used.
Six queries, whatever the number of runs.

Keys of the returned dict (see leads.analytics.common for number formats):
    filters, applied_filters
    runs             total, success, partial, failed, running, finished
                     (success + partial + failed), success_rate, partial_rate,
                     failure_rate (shares of the finished runs)
    date_range       first_run, last_run: days the earliest and latest run started
    duration         average_seconds, slowest_seconds (finished runs),
                     slowest_run: {id, location, category, started_at, seconds} or null
    leads            found, new, duplicate, found_per_run (average over all runs),
                     new_share, duplicate_share (of new + duplicate), reposts
    by_location      [{id, name, site_code, runs, success, partial, failed, success_rate,
                     leads_found, leads_new, reposts}], most runs first

`reposts` counts the leads these runs found that repeat an earlier lead of their duplicate group
(leads.duplicates: the same e-mail or phone, or a near-identical title, possibly on another site),
by the site of the repost.
    over_time        {granularity, buckets: [{start, end, runs, success, partial, failed}]}
    latest_failures  [{id, location, category, started_at, finished_at, pages_fetched, error}],
                     newest first, at most FAILURES_LIMIT
    ...              one key per registered section (leads.analytics.sections), e.g. `rules`
                     and `schedules` (rules.analytics)
"""

from collections.abc import Mapping

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from leads.analytics.common import counts_over_time, iso, local_date, rate, seconds, spec_filterset
from leads.analytics.sections import performance_sections
from leads.models import Lead, ScrapeRunStatus
from leads.run_filters import RUN_FILTER_PARAMETERS, scrape_run_list

FAILURES_LIMIT = 10
FINISHED_STATUSES = (ScrapeRunStatus.SUCCESS, ScrapeRunStatus.PARTIAL, ScrapeRunStatus.FAILED)


def scraping_analytics(*, filters: Mapping | None = None) -> dict:
    """Scrape-run figures for the period and places `filters` names; raises LeadFilterError on a bad spec."""
    _, spec = spec_filterset(filters=filters)
    runs = scrape_run_list(filters=spec).order_by()

    overview = runs.aggregate(
        total=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in ScrapeRunStatus.values},
        first_run=Min("started_at"),
        last_run=Max("started_at"),
        average_duration=Avg(_duration(), filter=Q(finished_at__isnull=False)),
        slowest_duration=Max(_duration(), filter=Q(finished_at__isnull=False)),
        leads_found=Coalesce(Sum("leads_found"), 0),
        leads_new=Coalesce(Sum("leads_new"), 0),
        leads_duplicate=Coalesce(Sum("leads_duplicate"), 0),
    )
    reposts = _reposts_by_location(runs)
    finished = sum(overview[status] for status in FINISHED_STATUSES)
    new, duplicate = overview["leads_new"], overview["leads_duplicate"]

    return {
        "filters": spec,
        "applied_filters": [name for name in RUN_FILTER_PARAMETERS if name in spec],
        "runs": {
            "total": overview["total"],
            "success": overview[ScrapeRunStatus.SUCCESS],
            "partial": overview[ScrapeRunStatus.PARTIAL],
            "failed": overview[ScrapeRunStatus.FAILED],
            "running": overview[ScrapeRunStatus.RUNNING],
            "finished": finished,
            "success_rate": rate(overview[ScrapeRunStatus.SUCCESS], finished),
            "partial_rate": rate(overview[ScrapeRunStatus.PARTIAL], finished),
            "failure_rate": rate(overview[ScrapeRunStatus.FAILED], finished),
        },
        "date_range": {
            "first_run": iso(local_date(overview["first_run"])),
            "last_run": iso(local_date(overview["last_run"])),
        },
        "duration": {
            "average_seconds": seconds(overview["average_duration"]),
            "slowest_seconds": seconds(overview["slowest_duration"]),
            "slowest_run": _slowest_run(runs) if overview["slowest_duration"] is not None else None,
        },
        "leads": {
            "found": overview["leads_found"],
            "new": new,
            "duplicate": duplicate,
            "found_per_run": round(overview["leads_found"] / overview["total"], 1) if overview["total"] else None,
            "new_share": rate(new, new + duplicate),
            "duplicate_share": rate(duplicate, new + duplicate),
            "reposts": sum(reposts.values()),
        },
        "by_location": _by_location(runs, reposts),
        "over_time": counts_over_time(
            runs,
            field="started_at",
            first=local_date(overview["first_run"]),
            last=local_date(overview["last_run"]),
            aggregates={"runs": Count("pk"), **_status_counts()},
        ),
        "latest_failures": _latest_failures(runs),
        # Sections the apps above leads register (rules, schedules, outreach): leads.analytics.sections.
        **performance_sections(spec=spec),
    }


def _status_counts() -> dict[str, Count]:
    # Plain strings as keys (not the enum members): the JSON export's writer accepts nothing else.
    return {status.value: Count("pk", filter=Q(status=status)) for status in FINISHED_STATUSES}


def _duration() -> ExpressionWrapper:
    return ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())


def _slowest_run(runs: QuerySet) -> dict | None:
    run = (
        runs.filter(finished_at__isnull=False)
        .annotate(duration_value=_duration())
        .select_related("location", "category")
        .order_by("-duration_value", "-started_at")
        .first()
    )
    if run is None:
        return None
    return {
        "id": run.pk,
        "location": run.location.name,
        "category": run.category.name,
        "started_at": iso(run.started_at),
        "seconds": seconds(run.duration_value),
    }


def _reposts_by_location(runs: QuerySet) -> dict[int, int]:
    """Location id -> leads the runs found that are reposts (in a duplicate group, not its first)."""
    leads = Lead.objects.filter(scrape_run__in=runs.values("pk")).reposts().order_by()
    return dict(leads.values("location_id").annotate(n=Count("pk")).values_list("location_id", "n"))


def _by_location(runs: QuerySet, reposts: Mapping[int, int]) -> list[dict]:
    rows = runs.values("location_id", "location__name", "location__site_code").annotate(
        runs=Count("pk"),
        **_status_counts(),
        leads_found=Coalesce(Sum("leads_found"), 0),
        leads_new=Coalesce(Sum("leads_new"), 0),
    )
    entries = [
        {
            "id": row["location_id"],
            "name": row["location__name"],
            "site_code": row["location__site_code"],
            "runs": row["runs"],
            "success": row["success"],
            "partial": row["partial"],
            "failed": row["failed"],
            "success_rate": rate(row["success"], row["success"] + row["partial"] + row["failed"]),
            "leads_found": row["leads_found"],
            "leads_new": row["leads_new"],
            "reposts": reposts.get(row["location_id"], 0),
        }
        for row in rows
    ]
    entries.sort(key=lambda entry: (-entry["runs"], entry["name"], entry["id"]))
    return entries


def _latest_failures(runs: QuerySet) -> list[dict]:
    failures = (
        runs.filter(status=ScrapeRunStatus.FAILED)
        .select_related("location", "category")
        .order_by("-started_at", "-pk")[:FAILURES_LIMIT]
    )
    return [
        {
            "id": run.pk,
            "location": run.location.name,
            "category": run.category.name,
            "started_at": iso(run.started_at),
            "finished_at": iso(run.finished_at),
            "pages_fetched": run.pages_fetched,
            "error": run.error,
        }
        for run in failures
    ]
