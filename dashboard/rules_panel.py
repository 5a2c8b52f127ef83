"""The dashboard's rules and scheduled-jobs panel: context for `dashboard/rules_panel.html`.

It reads the `rules` and `schedules` sections of the performance analytics (rules.analytics,
registered into leads.analytics.sections), so the panel and the API show the same figures. Each
row links to the filtered admin list: a rule's runs, a job's late or failed runs.
"""

import datetime
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format

from dashboard.rows import TableRow
from dashboard.tables import Table
from leads.analytics import formatting as fmt
from operations.models import ScheduleOutcome


def _url(name: str, **params) -> str | None:
    try:
        url = reverse(name)
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(params)}" if params else url


def _day(value: str) -> str:
    return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")


def _outcome_label(outcome: str | None) -> str:
    return "—" if not outcome else dict(ScheduleOutcome.choices).get(outcome, outcome)


def rules_panel_context(*, performance: dict, user) -> dict:
    """`rules_table` and `schedules_table` (None when the user may not see them or there is no section)."""
    rules, schedules = performance.get("rules"), performance.get("schedules")
    context = {"rules_table": None, "schedules_table": None}
    if rules is not None and user.has_perm("rules.view_ruleexecution"):
        context["rules_table"] = Table(
            key="rules",
            title=f"Rules, {_day(rules['period']['start'])} to {_day(rules['period']['end'])}",
            headers=["Rule", "Runs", "Matched", "Acted on", "Skipped", "Errors"],
            rows=[
                TableRow(
                    cells=[
                        row["name"],
                        row["runs"],
                        row["leads_matched"],
                        row["leads_acted"],
                        row["skipped"],
                        row["errors"],
                    ],
                    link=_url("admin:rules_ruleexecution_changelist", rule__id__exact=row["id"]),
                )
                for row in rules["by_rule"]
            ],
            empty_text="No rule ran in this period.",
        )
    if schedules is not None and user.has_perm("operations.view_scheduleexecution"):
        context["schedules_table"] = Table(
            key="schedules",
            title="Scheduled jobs",
            headers=["Job", "Runs", "Late", "Failed", "Most late by", "Last outcome"],
            rows=[
                TableRow(
                    cells=[
                        job["name"] or job["job"],
                        job["runs"],
                        job["late"],
                        job["failed"],
                        fmt.duration(job["max_lateness_seconds"]),
                        _outcome_label(job["last_outcome"]),
                    ],
                    link=_url("admin:operations_scheduleexecution_changelist", job_kind=job["kind"], job_id=job["id"]),
                )
                for job in schedules["jobs"]
            ],
            empty_text="No scheduled job ran in this period.",
            note=f"{schedules['late']} late and {schedules['failed']} failed of {schedules['runs']} runs.",
        )
    return context
