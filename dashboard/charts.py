"""The dashboard's charts, built from the analytics dicts.

Each chart is a `ChartPanel`: what dashboard.js draws (labels, datasets and
one link per label, passed with json_script) and the same figures as a table,
the accessible fallback shown under the chart.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from dashboard import links
from dashboard.rows import TableRow, number, percent, tabulate, text
from leads.analytics import formatting as fmt

LOCATION_CHART_LIMIT = 15
FUNNEL_COLUMNS = (
    ("Stage", text("label")),
    ("At this stage", number("count")),
    ("Reached", number("reached")),
    ("From previous stage", percent("rate_from_previous")),
    ("From start", percent("rate_from_start")),
)
DIMENSION_COLUMNS = (  # after the location or category name
    ("Leads", number("count")),
    ("Share", percent("share")),
    ("Converted", number("converted")),
    ("Conversion rate", percent("conversion_rate")),
)
SCRAPE_RUN_COLUMNS = (  # after the period
    ("Runs", number("runs")),
    ("Success", number("success")),
    ("Partial", number("partial")),
    ("Failed", number("failed")),
)


@dataclass
class ChartPanel:
    key: str
    title: str
    summary: str  # the canvas's accessible name
    chart: dict
    headers: list[str]
    rows: list[TableRow] = field(default_factory=list)
    note: str = ""

    @property
    def canvas_id(self) -> str:
        return f"chart-{self.key}"


def _chart(kind: str, labels: list[str], datasets: list[dict], *, chart_links=None, **options) -> dict:
    return {"type": kind, "labels": labels, "datasets": datasets, "links": chart_links or [], **options}


def _dataset(label: str, data: list, tone: str) -> dict:
    return {"label": label, "data": data, "tone": tone}


def lead_chart_panels(leads: dict, *, spec: dict) -> list[ChartPanel]:
    return [
        _funnel(leads, spec),
        _over_time(leads, spec),
        _dimension(leads["by_location"], spec, key="locations", title="Leads by location", noun="location"),
        _dimension(leads["by_category"], spec, key="categories", title="Leads by category", noun="category"),
        _contact(leads, spec),
        _price_distribution(leads, spec),
    ]


def scraping_chart_panels(scraping: dict) -> list[ChartPanel]:
    return [_scrape_success(scraping)]


def _funnel(leads: dict, spec: dict) -> ChartPanel:
    stages = leads["funnel"]
    later = [[stage["status"] for stage in stages[index:]] for index in range(len(stages))]
    stage_links = [links.lead_slice_url(spec, **links.statuses_slice(spec, statuses)) for statuses in later]
    converted = stages[-1]
    return ChartPanel(
        key="funnel",
        title="Status funnel",
        summary=(
            f"Status funnel: {fmt.number(stages[0]['reached'])} leads in the funnel, "
            f"{fmt.number(converted['reached'])} converted ({fmt.percent(converted['rate_from_start'])})."
        ),
        chart=_chart(
            "bar",
            [stage["label"] for stage in stages],
            [_dataset("Leads that reached the stage", [stage["reached"] for stage in stages], "primary")],
            chart_links=stage_links,
            horizontal=True,
        ),
        **tabulate(FUNNEL_COLUMNS, stages, stage_links),
        note="Reached: leads at this stage or a later one. Rejected leads are not in the funnel.",
    )


def _over_time(leads: dict, spec: dict) -> ChartPanel:
    series = leads["over_time"]
    granularity, buckets = series["granularity"], series["buckets"]
    labels = [fmt.period(bucket["start"], bucket["end"], granularity) for bucket in buckets]
    bucket_links = [
        links.lead_slice_url(spec, **links.period_slice(spec, bucket["start"], bucket["end"])) for bucket in buckets
    ]
    return ChartPanel(
        key="over-time",
        title=f"Leads per {granularity}",
        summary=f"Leads found per {granularity}, with those now converted, over {len(buckets)} {granularity}s.",
        chart=_chart(
            "line",
            labels,
            [
                _dataset("Leads", [bucket["count"] for bucket in buckets], "primary"),
                _dataset("Converted", [bucket["converted"] for bucket in buckets], "success"),
            ],
            chart_links=bucket_links,
        ),
        headers=[granularity.capitalize(), "Leads", "Converted"],
        rows=[
            TableRow([label, fmt.number(bucket["count"]), fmt.number(bucket["converted"])], link)
            for label, bucket, link in zip(labels, buckets, bucket_links, strict=True)
        ],
        note="Converted: leads found in the period whose status is now Converted."
        + (f" The last {granularity} is not over yet." if buckets and _unfinished(buckets[-1]["end"]) else ""),
    )


def _dimension(entries: list[dict], spec: dict, *, key: str, title: str, noun: str) -> ChartPanel:
    def slice_url(entry: dict) -> str:
        narrowing = {"location_ids": [entry["id"]]} if noun == "location" else {"categories": [entry["code"]]}
        return links.lead_slice_url(spec, **narrowing)

    shown = entries[:LOCATION_CHART_LIMIT]
    entry_links = [slice_url(entry) for entry in entries]
    more = len(entries) - len(shown)
    return ChartPanel(
        key=key,
        title=title,
        summary=f"{title}: {len(entries)} {noun}s"
        + (f", the largest {entries[0]['name']} with {fmt.number(entries[0]['count'])} leads." if entries else "."),
        chart=_chart(
            "bar",
            [entry["name"] for entry in shown],
            [
                _dataset("Leads", [entry["count"] for entry in shown], "primary"),
                _dataset("Converted", [entry["converted"] for entry in shown], "success"),
            ],
            chart_links=entry_links[: len(shown)],
            horizontal=True,
        ),
        **tabulate([(noun.capitalize(), text("name")), *DIMENSION_COLUMNS], entries, entry_links),
        note=f"The chart shows the {LOCATION_CHART_LIMIT} largest; the table has all {len(entries)}." if more else "",
    )


CONTACT_LABELS = {
    "with_both": "E-mail and phone",
    "email_only": "E-mail only",
    "phone_only": "Phone only",
    "with_neither": "Neither",
}
CONTACT_TONES = {"with_both": "success", "email_only": "primary", "phone_only": "accent", "with_neither": "muted"}


def _contact(leads: dict, spec: dict) -> ChartPanel:
    contact = leads["contact"]
    total = leads["totals"]["leads"]
    slice_links = [links.lead_slice_url(spec, **links.CONTACT_SLICES[key]) for key in CONTACT_LABELS]
    return ChartPanel(
        key="contact",
        title="Contact availability",
        summary=(
            f"Contact availability: {fmt.percent(contact['any_rate'])} of leads have an e-mail or a phone; "
            + ", ".join(f"{label} {fmt.number(contact[key])}" for key, label in CONTACT_LABELS.items())
            + "."
        ),
        chart=_chart(
            "doughnut",
            list(CONTACT_LABELS.values()),
            [
                {
                    "label": "Leads",
                    "data": [contact[key] for key in CONTACT_LABELS],
                    "tones": [CONTACT_TONES[key] for key in CONTACT_LABELS],
                }
            ],
            chart_links=slice_links,
        ),
        headers=["Contact details", "Leads", "Share"],
        rows=[
            TableRow([label, fmt.number(contact[key]), fmt.percent(_share(contact[key], total))], link)
            for (key, label), link in zip(CONTACT_LABELS.items(), slice_links, strict=True)
        ],
    )


def _price_distribution(leads: dict, spec: dict) -> ChartPanel:
    buckets = leads["price_distribution"]
    filled = [index for index, bucket in enumerate(buckets) if bucket["count"]]
    # Empty bands at either end say nothing; the ones in between show the shape.
    shown = buckets[filled[0] : filled[-1] + 1] if filled else []
    labels = [fmt.price_band(bucket["min"], bucket["max"]) for bucket in shown]
    band_links = [
        links.lead_slice_url(spec, **links.price_slice(spec, bucket["min"], bucket["max"])) for bucket in shown
    ]
    price = leads["price"]
    return ChartPanel(
        key="prices",
        title="Price distribution",
        summary=(
            f"Price distribution of {fmt.number(price['count'])} priced leads: median {fmt.price(price['median'])}, "
            f"from {fmt.price(price['min'])} to {fmt.price(price['max'])}."
        ),
        chart=_chart(
            "bar", labels, [_dataset("Leads", [bucket["count"] for bucket in shown], "primary")], chart_links=band_links
        ),
        headers=["Price", "Leads"],
        rows=[
            TableRow([label, fmt.number(bucket["count"])], link)
            for label, bucket, link in zip(labels, shown, band_links, strict=True)
        ]
        + [TableRow(["No price", fmt.number(price["without_price"])])],
    )


def _scrape_success(scraping: dict) -> ChartPanel:
    series = scraping["over_time"]
    granularity, buckets = series["granularity"], series["buckets"]
    labels = [fmt.period(bucket["start"], bucket["end"], granularity) for bucket in buckets]
    runs = scraping["runs"]
    return ChartPanel(
        key="scrape-runs",
        title=f"Scrape runs per {granularity}",
        summary=(
            f"Scrape runs per {granularity}: {fmt.number(runs['total'])} runs, "
            f"{fmt.percent(runs['success_rate'])} succeeded, {fmt.number(runs['failed'])} failed."
        ),
        chart=_chart(
            "bar",
            labels,
            [
                _dataset("Success", [bucket["success"] for bucket in buckets], "success"),
                _dataset("Partial", [bucket["partial"] for bucket in buckets], "warning"),
                _dataset("Failed", [bucket["failed"] for bucket in buckets], "danger"),
            ],
            stacked=True,
        ),
        **tabulate(
            [(granularity.capitalize(), text("label")), *SCRAPE_RUN_COLUMNS],
            [{"label": label, **bucket} for label, bucket in zip(labels, buckets, strict=True)],
        ),
    )


def _unfinished(last_day: str) -> bool:
    return datetime.date.fromisoformat(last_day) > timezone.localdate()


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
