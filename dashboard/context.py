"""Everything the dashboard page shows for one request: validate the spec, run the selectors, shape the panels.

The view stays a thin entry point; this module only calls the analytics
selectors and arranges their dicts into cards, charts and tables.
"""

import datetime
from collections.abc import Mapping

from django.utils import timezone

from dashboard import charts, links, tables
from dashboard.filter_form import MAIN_FIELDS, MORE_FIELDS, dashboard_filter_form, more_filters_open
from dashboard.outreach_panel import outreach_panel_context
from dashboard.rules_panel import rules_panel_context
from exports.records.analytics import export_analytics
from leads.analytics.leads import TOP_MIN_LEADS, lead_analytics
from leads.analytics.scraping import scraping_analytics
from leads.filters import spec_to_query_string
from leads.selectors import LeadFilterError, lead_filters_normalize

RUN_FILTER_LABELS = {
    "date_from": "start date",
    "date_to": "end date",
    "location_ids": "locations",
    "location_names": "location names",
    "categories": "categories",
}
QUICK_RANGES = (("Last 7 days", 7), ("Last 30 days", 30), ("Last 90 days", 90))


def dashboard_context(*, filters: Mapping, user) -> dict:
    """The template context of the dashboard for `filters` (a query dict) seen by `user`."""
    try:
        spec = lead_filters_normalize(filters=filters, user=user)
    except LeadFilterError:
        spec = None
    form = dashboard_filter_form(data=filters, spec=spec)
    context = {
        "form": form,
        "main_fields": [form[name] for name in MAIN_FIELDS],
        "more_fields": [form[name] for name in MORE_FIELDS],
        "more_open": more_filters_open(form),
        "spec": spec,
        "filtered": bool(spec),
        "reset_url": "?",
    }
    if spec is None:
        return {**context, "invalid": True}

    leads = lead_analytics(filters=spec)
    scraping = scraping_analytics(filters=spec)
    outreach = outreach_panel_context(performance=scraping, user=user)
    exports = export_analytics(filters=spec, user=user)
    can_view_runs = user.has_perm("leads.view_scraperun")

    lead_charts = charts.lead_chart_panels(leads, spec=spec) if leads["totals"]["leads"] else []
    scrape_charts = charts.scraping_chart_panels(scraping) if scraping["runs"]["total"] else []
    context.update(
        {
            "invalid": False,
            "leads": leads,
            "scraping": scraping,
            "exports": exports,
            "quick_ranges": _quick_ranges(spec),
            "lead_cards": tables.lead_cards(leads, spec=spec),
            "scraping_cards": tables.scraping_cards(scraping),
            "export_cards": tables.export_cards(exports, spec=spec),
            "lead_charts": lead_charts,
            "scrape_charts": scrape_charts,
            "outreach": outreach,
            "chart_data": {
                panel.canvas_id: panel.chart
                for panel in [*lead_charts, *scrape_charts, *(outreach["charts"] if outreach else [])]
            },
            "lead_tables": [
                tables.top_conversion_table(
                    leads[f"top_{plural}_by_conversion"], spec=spec, noun=noun, plural=plural, min_leads=TOP_MIN_LEADS
                )
                for noun, plural in (("location", "locations"), ("category", "categories"))
            ],
            "scrape_tables": [
                tables.scrape_locations_table(scraping, spec=spec, can_view_runs=can_view_runs),
                tables.scrape_failures_table(scraping, can_view_runs=can_view_runs),
            ],
            "export_tables": [tables.recent_exports_table(exports)],
            "run_filter_labels": [RUN_FILTER_LABELS[name] for name in scraping["applied_filters"]],
            "lead_list_url": links.lead_slice_url(spec),
            "export_history_url": links.url_or_none("exports:history"),
            "database_empty": not leads["totals"]["leads"] and not spec and not scraping["runs"]["total"],
        }
    )
    context.update(rules_panel_context(performance=scraping, user=user))
    return context


def _quick_ranges(spec: dict) -> list[dict]:
    """Links that keep the other filters and set the dates to a recent stretch, or drop them."""
    today = timezone.localdate()
    undated = {name: value for name, value in spec.items() if name not in ("date_from", "date_to")}
    ranges = []
    for label, days in QUICK_RANGES:
        date_from = (today - datetime.timedelta(days=days - 1)).isoformat()
        ranges.append(
            {
                "label": label,
                "url": "?" + spec_to_query_string({**undated, "date_from": date_from}),
                "active": spec.get("date_from") == date_from and "date_to" not in spec,
            }
        )
    ranges.append(
        {
            "label": "All time",
            "url": "?" + spec_to_query_string(undated),
            "active": not spec.keys() & {"date_from", "date_to"},
        }
    )
    return ranges
