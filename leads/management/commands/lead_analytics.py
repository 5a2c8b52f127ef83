"""manage.py lead_analytics: the dashboard's lead, scraping and exportable-data figures, as text or JSON."""

import json

from django.core.management.base import BaseCommand, CommandError

from leads.analytics import formatting as fmt
from leads.analytics.report import analytics_report
from leads.cli import add_filter_arguments, filters_from_options
from leads.selectors import LeadFilterError


def _rows(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Print lead analytics, scraping performance and exportable-data statistics for the leads the "
        "filters select (all leads without filters). The same figures as the admin dashboard."
    )

    def add_arguments(self, parser):
        add_filter_arguments(parser)
        parser.add_argument("--json", action="store_true", help="Print the figures as one JSON document.")
        parser.add_argument(
            "--rows", type=_rows, default=10, help="Rows per breakdown table in the text output (0: all; default 10)."
        )

    def handle(self, *args, **options):
        filters = filters_from_options(options)
        try:
            report = analytics_report(filters=filters)
        except LeadFilterError as error:
            problems = " ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
            raise CommandError(f"Invalid filters. {problems}") from None
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
            return
        TextReport(self.stdout.write, rows=options["rows"]).write(report)


class TextReport:
    """The report as aligned plain-text tables."""

    def __init__(self, write, *, rows: int):
        self.out = write
        self.rows = rows

    def write(self, report: dict) -> None:
        leads, runs, exportable = report["leads"], report["performance"], report["exportable_data"]
        spec = report["filters"]
        self.out("Lead analytics")
        self.out(
            "Filters: " + (", ".join(f"{name}={_plain(value)}" for name, value in spec.items()) or "none (all leads)")
        )
        self.out(f"Generated: {report['generated_at']}")
        self._leads(leads)
        self._scraping(runs)
        self._exportable(exportable)

    def _leads(self, leads: dict) -> None:
        totals, dates, price, contact = leads["totals"], leads["date_range"], leads["price"], leads["contact"]
        self._pairs(
            "Leads",
            [
                ("Leads", fmt.number(totals["leads"])),
                ("Found", f"{dates['first_found'] or '—'} to {dates['last_found'] or '—'}"),
                ("New in 24 hours", fmt.number(totals["new_last_1_day"])),
                ("New in 7 days", fmt.number(totals["new_last_7_days"])),
                ("New in 30 days", fmt.number(totals["new_last_30_days"])),
                ("Converted", f"{fmt.number(totals['converted'])} ({fmt.percent(totals['conversion_rate'])})"),
            ],
        )
        self._table(
            "Status funnel (reached: at this stage or later)",
            ["Stage", "At stage", "Reached", "From previous", "From start"],
            [
                [
                    s["label"],
                    fmt.number(s["count"]),
                    fmt.number(s["reached"]),
                    fmt.percent(s["rate_from_previous"]),
                    fmt.percent(s["rate_from_start"]),
                ]
                for s in leads["funnel"]
            ],
            limit=False,
        )
        self._table(
            "By status",
            ["Status", "Leads", "Share"],
            [[s["label"], fmt.number(s["count"]), fmt.percent(s["share"])] for s in leads["by_status"]],
            limit=False,
        )
        for key, title in (("by_location", "Location"), ("by_category", "Category")):
            self._table(
                f"By {title.lower()}",
                [title, "Leads", "Share", "Converted", "Conversion"],
                [
                    [
                        e["name"],
                        fmt.number(e["count"]),
                        fmt.percent(e["share"]),
                        fmt.number(e["converted"]),
                        fmt.percent(e["conversion_rate"]),
                    ]
                    for e in leads[key]
                ],
            )
        for key, title in (("top_locations_by_conversion", "Location"), ("top_categories_by_conversion", "Category")):
            self._table(
                f"Top {title.lower()} conversion rates",
                [title, "Leads", "Converted", "Conversion"],
                [
                    [e["name"], fmt.number(e["count"]), fmt.number(e["converted"]), fmt.percent(e["conversion_rate"])]
                    for e in leads[key]
                ],
            )
        series = leads["over_time"]
        self._table(
            f"Leads per {series['granularity']}",
            ["From", "To", "Leads", "Converted"],
            [[b["start"], b["end"], fmt.number(b["count"]), fmt.number(b["converted"])] for b in series["buckets"]],
            limit=False,
        )
        self._pairs(
            "Contact availability",
            [
                ("E-mail and phone", fmt.number(contact["with_both"])),
                ("E-mail only", fmt.number(contact["email_only"])),
                ("Phone only", fmt.number(contact["phone_only"])),
                ("Neither", fmt.number(contact["with_neither"])),
                ("Any contact", f"{fmt.number(contact['with_any'])} ({fmt.percent(contact['any_rate'])})"),
            ],
        )
        self._pairs(
            "Prices",
            [
                ("Priced leads", fmt.number(price["count"])),
                ("Without price", fmt.number(price["without_price"])),
                ("Minimum", price["min"] or "—"),
                ("Average", price["average"] or "—"),
                ("Median", price["median"] or "—"),
                ("Maximum", price["max"] or "—"),
            ],
        )
        self._table(
            "Price distribution",
            ["Price", "Leads"],
            [[fmt.price_band(b["min"], b["max"]), fmt.number(b["count"])] for b in leads["price_distribution"]],
            limit=False,
        )

    def _scraping(self, runs: dict) -> None:
        counts, duration, found = runs["runs"], runs["duration"], runs["leads"]
        self._pairs(
            "Scraping performance"
            + (f" (runs selected by {', '.join(runs['applied_filters'])})" if runs["applied_filters"] else ""),
            [
                ("Runs", fmt.number(counts["total"])),
                ("Success", f"{fmt.number(counts['success'])} ({fmt.percent(counts['success_rate'])})"),
                ("Partial", f"{fmt.number(counts['partial'])} ({fmt.percent(counts['partial_rate'])})"),
                ("Failed", f"{fmt.number(counts['failed'])} ({fmt.percent(counts['failure_rate'])})"),
                ("Running", fmt.number(counts["running"])),
                ("Average duration", fmt.duration(duration["average_seconds"])),
                ("Slowest run", fmt.duration(duration["slowest_seconds"])),
                ("Leads found", fmt.number(found["found"])),
                ("Leads per run", "—" if found["found_per_run"] is None else f"{found['found_per_run']:.1f}"),
                ("New / duplicate", f"{fmt.percent(found['new_share'])} / {fmt.percent(found['duplicate_share'])}"),
                ("Reposts", fmt.number(found["reposts"])),
            ],
        )
        self._table(
            "Runs by location",
            ["Location", "Runs", "Success", "Partial", "Failed", "Success rate", "Found", "Reposts"],
            [
                [
                    e["name"],
                    fmt.number(e["runs"]),
                    fmt.number(e["success"]),
                    fmt.number(e["partial"]),
                    fmt.number(e["failed"]),
                    fmt.percent(e["success_rate"]),
                    fmt.number(e["leads_found"]),
                    fmt.number(e["reposts"]),
                ]
                for e in runs["by_location"]
            ],
        )
        series = runs["over_time"]
        self._table(
            f"Runs per {series['granularity']}",
            ["From", "To", "Runs", "Success", "Partial", "Failed"],
            [
                [b["start"], b["end"], *(fmt.number(b[k]) for k in ("runs", "success", "partial", "failed"))]
                for b in series["buckets"]
            ],
            limit=False,
        )
        self._table(
            "Latest failures",
            ["Started", "Location", "Category", "Error"],
            [
                [r["started_at"][:16].replace("T", " "), r["location"], r["category"], r["error"]]
                for r in runs["latest_failures"]
            ],
            limit=False,
        )

    def _exportable(self, data: dict) -> None:
        dates = data["date_range"]
        self._pairs(
            "Exportable data",
            [
                ("Leads", fmt.number(data["total_leads"])),
                ("With contact info", fmt.number(data["with_contact_info"])),
                ("With e-mail", fmt.number(data["with_email"])),
                ("With phone", fmt.number(data["with_phone"])),
                ("Found", f"{dates['first_found'] or '—'} to {dates['last_found'] or '—'}"),
            ],
        )

    # --- layout ---------------------------------------------------------------------------------

    def _pairs(self, title: str, pairs: list[tuple[str, str]]) -> None:
        self.out(f"\n{title}")
        width = max(len(label) for label, _ in pairs)
        for label, value in pairs:
            self.out(f"  {label.ljust(width)}  {value}")

    def _table(self, title: str, headers: list[str], rows: list[list[str]], *, limit: bool = True) -> None:
        self.out(f"\n{title}")
        if not rows:
            self.out("  (none)")
            return
        shown = rows[: self.rows] if limit and self.rows else rows
        cells = [headers, *shown]
        widths = [max(len(str(row[index])) for row in cells) for index in range(len(headers))]
        for row in cells:
            # Text columns (the first) align left, figures right.
            line = "  ".join(
                str(cell).ljust(width) if index == 0 else str(cell).rjust(width)
                for index, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
            self.out("  " + line.rstrip())
        if len(shown) < len(rows):
            self.out(f"  ... {len(rows) - len(shown)} more (--rows 0 shows all)")


def _plain(value) -> str:
    return ",".join(str(item) for item in value) if isinstance(value, list) else str(value)
