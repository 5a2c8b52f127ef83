"""The dashboard's KPI cards and tables, built from the analytics dicts."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format

from dashboard import links
from dashboard.rows import TableRow, number, percent, tabulate, text
from exports.datasets.registry import dataset_label
from exports.formats.registry import format_label
from exports.models import ExportStatus
from leads.analytics import formatting as fmt

SCRAPE_LOCATIONS_LIMIT = 15
CONVERSION_COLUMNS = (  # after the location or category name
    ("Leads", number("count")),
    ("Converted", number("converted")),
    ("Conversion rate", percent("conversion_rate")),
)
SCRAPE_LOCATION_COLUMNS = (
    ("Location", text("name")),
    ("Runs", number("runs")),
    ("Success", number("success")),
    ("Partial", number("partial")),
    ("Failed", number("failed")),
    ("Success rate", percent("success_rate")),
    ("Leads found", number("leads_found")),
    ("New", number("leads_new")),
    ("Reposts", number("reposts")),
)


@dataclass
class Card:
    label: str
    value: str
    detail: str = ""
    link: str | None = None
    tone: str = ""


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[TableRow] = field(default_factory=list)
    empty_text: str = "Nothing to show."
    note: str = ""


def lead_cards(leads: dict, *, spec: dict) -> list[Card]:
    totals, contact, price = leads["totals"], leads["contact"], leads["price"]
    first_found = leads["date_range"]["first_found"]
    return [
        Card(
            "Leads",
            fmt.number(totals["leads"]),
            f"since {_day(first_found)}" if first_found else "",
            links.lead_slice_url(spec),
        ),
        Card("New in 24 hours", fmt.number(totals["new_last_1_day"])),
        Card("New in 7 days", fmt.number(totals["new_last_7_days"])),
        Card("New in 30 days", fmt.number(totals["new_last_30_days"])),
        Card(
            "Converted",
            fmt.number(totals["converted"]),
            f"{fmt.percent(totals['conversion_rate'])} of leads",
            links.lead_slice_url(spec, **links.statuses_slice(spec, ["converted"])),
            tone="success",
        ),
        Card("With contact info", fmt.percent(contact["any_rate"]), f"{fmt.number(contact['with_any'])} leads"),
        Card("Median price", fmt.price(price["median"]), f"average {fmt.price(price['average'])}"),
    ]


def failure_tone(failures) -> str:
    """Red only when something failed: a zero-failures card is good news, not an alarm."""
    return "danger" if failures else ""


def scraping_cards(scraping: dict) -> list[Card]:
    runs, duration, found = scraping["runs"], scraping["duration"], scraping["leads"]
    return [
        Card("Scrape runs", fmt.number(runs["total"]), f"{fmt.percent(runs['success_rate'])} succeeded"),
        Card(
            "Failed runs",
            fmt.number(runs["failed"]),
            f"{fmt.number(runs['partial'])} partial",
            tone=failure_tone(runs["failed"]),
        ),
        Card(
            "Average run",
            fmt.duration(duration["average_seconds"]),
            f"slowest {fmt.duration(duration['slowest_seconds'])}",
        ),
        Card(
            "Leads per run",
            "—" if found["found_per_run"] is None else f"{found['found_per_run']:.1f}",
            f"{fmt.percent(found['new_share'])} new",
        ),
    ]


def export_cards(exports: dict, *, spec: dict) -> list[Card]:
    counts = exports["exports"]
    return [
        Card(
            "Exports",
            fmt.number(counts["total"]),
            f"{fmt.number(exports['rows_exported'])} rows",
            links.export_history_url(spec),
        ),
        Card(
            "Failed exports",
            fmt.number(counts["failed"]),
            f"{fmt.percent(counts['failure_rate'])}",
            links.export_history_url(spec, status__exact="failed"),
            tone=failure_tone(counts["failed"]),
        ),
        Card("Downloads", fmt.number(exports["downloads"]), fmt.file_size(exports["bytes_exported"]) + " exported"),
        Card("Time to complete", fmt.duration(exports["average_seconds_to_complete"]), "on average"),
    ]


def top_conversion_table(entries: list[dict], *, spec: dict, noun: str, plural: str, min_leads: int) -> Table:
    def slice_url(entry: dict) -> str:
        narrowing = {"location_ids": [entry["id"]]} if noun == "location" else {"categories": [entry["code"]]}
        return links.lead_slice_url(spec, **links.statuses_slice(spec, ["converted"]), **narrowing)

    return Table(
        key=f"top-{plural}",
        title=f"Top {plural} by conversion rate",
        **tabulate(
            [(noun.capitalize(), text("name")), *CONVERSION_COLUMNS], entries, [slice_url(entry) for entry in entries]
        ),
        empty_text=f"No {noun} has {min_leads} leads or more yet.",
        note=f"Among {plural} with at least {min_leads} leads. The link lists their converted leads.",
    )


def scrape_locations_table(scraping: dict, *, spec: dict, can_view_runs: bool) -> Table:
    entries = scraping["by_location"]
    shown = entries[:SCRAPE_LOCATIONS_LIMIT]
    return Table(
        key="scrape-locations",
        title="Scraping by location",
        **tabulate(
            SCRAPE_LOCATION_COLUMNS,
            shown,
            [links.scrape_runs_url(spec, location_ids=[entry["id"]]) if can_view_runs else None for entry in shown],
        ),
        empty_text="No scrape runs in this period.",
        note=(
            f"The {SCRAPE_LOCATIONS_LIMIT} locations with most runs of {len(entries)}."
            if len(entries) > SCRAPE_LOCATIONS_LIMIT
            else ""
        ),
    )


def scrape_failures_table(scraping: dict, *, can_view_runs: bool) -> Table:
    return Table(
        key="scrape-failures",
        title="Latest scrape failures",
        headers=["Started", "Location", "Category", "Pages", "Error"],
        rows=[
            TableRow(
                [
                    _moment(run["started_at"]),
                    run["location"],
                    run["category"],
                    fmt.number(run["pages_fetched"]),
                    run["error"],
                ],
                links.url_or_none("admin:leads_scraperun_change", run["id"]) if can_view_runs else None,
            )
            for run in scraping["latest_failures"]
        ],
        empty_text="No failed runs in this period.",
    )


def recent_exports_table(exports: dict) -> Table:
    return Table(
        key="recent-exports",
        title="Recent exports",
        headers=["Created", "By", "Format", "Data", "Status", "Rows", "Size", "Downloads"],
        rows=[
            TableRow(
                [
                    _moment(export["created_at"]),
                    export["created_by"] or "(deleted user)",
                    format_label(export["format"]),
                    dataset_label(export["data_type"]),
                    dict(ExportStatus.choices).get(export["status"], export["status"]),
                    fmt.number(export["rows_written"]),
                    fmt.file_size(export["file_size"]),
                    fmt.number(export["download_count"]),
                ],
                links.url_or_none("admin:exports_export_change", export["id"]),
            )
            for export in exports["recent"]
        ],
        empty_text="No exports in this period.",
        note="Your own exports." if exports["scope"] == "own" else "",
    )


def _day(value: str) -> str:
    return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")


def _moment(value: str | None) -> str:
    if value is None:
        return "—"
    return date_format(timezone.localtime(datetime.datetime.fromisoformat(value)), "DATETIME_FORMAT")
