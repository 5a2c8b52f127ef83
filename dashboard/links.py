"""Links from a dashboard figure to the admin lists that hold it.

A lead slice is the dashboard's spec narrowed to one status, location,
category, period, price band or contact combination, rendered with
`spec_to_query_string`, so the changelist (which reads the same FilterSet)
shows exactly the leads behind the figure.
"""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from exports.records.filters import EXPORT_FILTER_PARAMETERS
from leads.filters import spec_to_query_string
from leads.run_filters import RUN_FILTER_PARAMETERS

CENT = Decimal("0.01")


def url_or_none(name: str, *args) -> str | None:
    """The URL of a view another app may or may not provide (e.g. the export history)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def lead_slice_url(spec: dict, **narrowing) -> str:
    """The lead changelist for `spec` with some parameters replaced by narrower ones."""
    query = spec_to_query_string({**spec, **narrowing})
    url = reverse("admin:leads_lead_changelist")
    return f"{url}?{query}" if query else url


def statuses_slice(spec: dict, statuses: list[str]) -> dict:
    """Leads in any of `statuses`, within the spec's own status filter if it has one."""
    if spec.get("status"):
        statuses = [status for status in statuses if status in spec["status"]]
    return {"status": statuses}


def period_slice(spec: dict, start: str, end: str) -> dict:
    """Leads found between two ISO days, clipped to the spec's own dates."""
    date_from, date_to = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    if spec.get("date_from"):
        date_from = max(date_from, datetime.date.fromisoformat(spec["date_from"]))
    if spec.get("date_to"):
        date_to = min(date_to, datetime.date.fromisoformat(spec["date_to"]))
    return {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}


def price_slice(spec: dict, low: str, high: str | None) -> dict:
    """Leads priced in [low, high) (prices have cents, so the inclusive bound is high - 0.01)."""
    narrowing = {"min_price": str(max(Decimal(low), Decimal(spec.get("min_price", low))))}
    if high is not None:
        upper = Decimal(high) - CENT
        if spec.get("max_price"):
            upper = min(upper, Decimal(spec["max_price"]))
        narrowing["max_price"] = str(upper)
    return narrowing


CONTACT_SLICES = {
    "with_both": {"has_email": True, "has_phone": True},
    "email_only": {"has_email": True, "has_phone": False},
    "phone_only": {"has_email": False, "has_phone": True},
    "with_neither": {"has_email": False, "has_phone": False},
}


def scrape_runs_url(spec: dict, **narrowing) -> str:
    """The scrape-run changelist for the spec's run filters (dates, places), some replaced by narrower ones.

    The changelist reads them through ScrapeRunFilterSet, as the scraping analytics do.
    """
    runs = {name: value for name, value in {**spec, **narrowing}.items() if name in RUN_FILTER_PARAMETERS}
    query = spec_to_query_string(runs)
    url = reverse("admin:leads_scraperun_changelist")
    return f"{url}?{query}" if query else url


def export_history_url(spec: dict, **history_filters) -> str | None:
    """The export history for the spec's period (read by ExportFilterSet), with the history's own filters."""
    url = url_or_none("exports:history")
    if url is None:
        return None
    period = {name: spec[name] for name in EXPORT_FILTER_PARAMETERS if name in spec}
    query = "&".join(part for part in (spec_to_query_string(period), urlencode(history_filters)) if part)
    return f"{url}?{query}" if query else url
