"""The dashboard's Outreach section: messages per day by outcome, reply and conversion rates by template
and variant, and the A/B tests with their state; every figure links to the admin list behind it.

One context function and one partial template (`dashboard/outreach.html`), so other sections (the rules
panel) sit beside it without touching it. Shown to users who may see auto-responses.
"""

import datetime
from urllib.parse import urlencode

from django.urls import reverse

from dashboard.charts import ChartPanel, _chart, _dataset
from dashboard.rows import TableRow, number, percent, tabulate, text
from dashboard.tables import Card, Table
from leads.analytics import formatting as fmt

VIEW_PERMISSION = "outreach.view_autoresponse"
OUTCOMES = (  # (bucket key, label, tone, the changelist's status filter)
    ("sent", "Sent", "primary", None),
    ("replied", "Replied", "success", "replied"),
    ("converted", "Converted", "accent", None),
    ("bounced", "Bounced", "danger", "bounced"),
    ("failed", "Failed", "warning", "failed"),
    ("opted_out", "Opted out", "muted", "opted_out"),
)
STATE_LABELS = {"running": "Running", "not_enough_data": "Not enough data yet", "winner": "Winner"}
TEMPLATE_COLUMNS = (
    ("Template / variant", lambda e: f"{e['template']} / {e['variant']}" if e["variant"] else e["template"]),
    ("Sent", number("sent")),
    ("Replied", number("replied")),
    ("Reply rate", percent("reply_rate")),
    ("Converted", number("converted")),
    ("Conversion rate", percent("conversion_rate")),
)
TEST_COLUMNS = (
    ("A/B test", text("name")),
    ("Template", text("template")),
    ("State", lambda e: STATE_LABELS[e["state"]]),
    ("Winner", lambda e: e["winner"] or "—"),
    ("p-value", lambda e: "—" if e["p_value"] is None else f"{e['p_value']:.4f}"),
    ("Note", text("message")),
)


def messages_url(**filters) -> str:
    query = urlencode({key: value for key, value in filters.items() if value is not None})
    url = reverse("admin:outreach_autoresponse_changelist")
    return f"{url}?{query}" if query else url


def _period_filters(start: str, granularity: str) -> dict:
    """The changelist's date-hierarchy parameters for a day or month bucket (a week has none)."""
    day = datetime.date.fromisoformat(start)
    if granularity == "day":
        return {"queued_at__year": day.year, "queued_at__month": day.month, "queued_at__day": day.day}
    if granularity == "month":
        return {"queued_at__year": day.year, "queued_at__month": day.month}
    return {}


def outreach_panel_context(*, performance: dict, user) -> dict | None:
    """The Outreach section's context from the performance analytics' outreach sections (computed once,
    with the scraping figures), or None when `user` may not see auto-responses."""
    if not user.has_perm(VIEW_PERMISSION) or "auto_responses" not in performance:
        return None
    figures = performance["auto_responses"]
    tests = performance["ab_tests"]["tests"]
    series = figures["over_time"]
    granularity, buckets = series["granularity"], series["buckets"]
    labels = [fmt.period(bucket["start"], bucket["end"], granularity) for bucket in buckets]
    bucket_links = [
        messages_url(**_period_filters(bucket["start"], granularity)) if _period_filters(bucket["start"], granularity)
        else None
        for bucket in buckets
    ]  # fmt: skip
    per_day = ChartPanel(
        key="outreach-over-time",
        title=f"Messages per {granularity} by outcome",
        summary=f"Auto-responses queued per {granularity} and what became of them, over {len(buckets)} {granularity}s.",
        chart=_chart(
            "line",
            labels,
            [_dataset(label, [bucket[key] for bucket in buckets], tone) for key, label, tone, _ in OUTCOMES],
            chart_links=bucket_links,
        ),
        headers=[granularity.capitalize(), "Queued", *(label for _, label, _, _ in OUTCOMES)],
        rows=[
            TableRow([label, fmt.number(bucket["queued"]), *(fmt.number(bucket[key]) for key, *_ in OUTCOMES)], link)
            for label, bucket, link in zip(labels, buckets, bucket_links, strict=True)
        ],
        note="By the day a message was queued (site time zone). Converted: the lead's status moved to Converted.",
    )
    by_template = figures["by_template"]
    template_links = [
        messages_url(**{"template__id__exact": e["template_id"], "variant__id__exact": e["variant_id"]})
        for e in by_template
    ]
    test_links = [reverse("admin:outreach_abtest_change", args=[e["id"]]) for e in tests]
    cards = [
        Card("Messages sent", fmt.number(figures["sent"]), f"{fmt.number(figures['queued'])} queued", messages_url()),
        Card(
            "Reply rate",
            fmt.percent(figures["reply_rate"]),
            f"{fmt.number(figures['replied'])} replied",
            messages_url(status__exact="replied"),
            tone="success",
        ),
        Card(
            "Conversion rate", fmt.percent(figures["conversion_rate"]), f"{fmt.number(figures['converted'])} converted"
        ),
        Card("Bounced", fmt.number(figures["bounced"]), "", messages_url(status__exact="bounced"), tone="danger"),
        Card("Opted out", fmt.number(figures["opted_out"]), "", messages_url(status__exact="opted_out")),
    ]
    return {
        "figures": figures,
        "cards": cards,
        "charts": [per_day] if buckets else [],
        "tables": [
            Table(
                key="outreach-templates",
                title="Reply and conversion rate by template and variant",
                empty_text="No auto-response has been sent yet.",
                **tabulate(TEMPLATE_COLUMNS, by_template, template_links),
            ),
            Table(
                key="outreach-ab-tests",
                title="A/B tests",
                empty_text="No A/B test yet.",
                note="A winner is named once every variant has the minimum sample and p < 0.05 (reply rate).",
                **tabulate(TEST_COLUMNS, tests, test_links),
            ),
        ],
        "messages_url": messages_url(),
    }
