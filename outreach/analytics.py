"""The outreach sections of the analytics (plugged in through settings.ANALYTICS_SECTIONS).

`auto_responses` — the messages to the leads the spec selects (all messages for an empty spec):
    total, queued, sending, sent (had a send: sent_at set), delivered, replied, converted, bounced,
    failed, opted_out; reply_rate, conversion_rate (replies / sent, conversions / sent),
    bounce_rate, opt_out_rate; by_status [{status, label, count}];
    by_template [{template_id, template, variant_id, variant, sent, delivered, replied, converted,
    reply_rate, conversion_rate}]; over_time {granularity, buckets: [{start, end, queued, sent,
    replied, converted, bounced, failed, opted_out}]} by the day a message was queued (site time zone).
`ab_tests` — every A/B test, whole (a test's result is never sliced by lead filters, which would
    change the experiment): running, with_winner, tests [{id, name, template, status, state
    (running | not_enough_data | winner), winner, p_value, min_sample, sends_needed, message,
    started_at, ended_at, variants [{variant_id, variant, weight, sent, delivered, replied,
    converted, reply_rate, reply_rate_ci [low, high], conversion_rate, conversion_rate_ci}]}].
Rates are 0-1 fractions rounded to 4 places, null without sends; intervals are 95 % Wilson.
"""

import datetime
from collections import defaultdict
from collections.abc import Mapping

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from leads.analytics.common import bucket_start, granularity_for, rate, series_over_time
from leads.selectors import lead_list
from outreach.models import AutoResponse, AutoResponseStatus, ResponseTemplate, TemplateVariant, converted_q
from outreach.rollups.reads import message_groups_from_rollups
from outreach.selectors.ab_tests import WINNER, ab_test_results

SENT = Q(sent_at__isnull=False)


def messages_for(*, filters: Mapping):
    """The messages to the leads `filters` selects (the one lead spec)."""
    messages = AutoResponse.objects.all()
    if any(value not in (None, "", [], ()) for value in filters.values()):
        messages = messages.filter(lead__in=lead_list(filters=filters).order_by().values("pk"))
    return messages.order_by()


def figures() -> dict:
    converted = converted_q()
    return dict(
        sent=Count("pk", filter=SENT),
        delivered=Count("pk", filter=SENT & Q(delivered_at__isnull=False)),
        replied=Count("pk", filter=SENT & Q(replied_at__isnull=False)),
        converted=Count("pk", filter=SENT & converted),
    )


def message_groups(messages) -> list[dict]:
    """One row per (day queued, template, variant, status) with its counts: the section's one scan.

    Every figure of the section is a sum over these rows (at most days x variants x statuses of
    them, however many messages), so the messages are read once instead of once per figure.
    """
    rows = list(
        messages.annotate(day=TruncDate("queued_at"))
        .values("day", "template_id", "variant_id", "status")
        .annotate(n=Count("pk"), replied_any=Count("pk", filter=Q(replied_at__isnull=False)), **figures())
        .order_by()
    )
    return _named(rows)


def _named(rows: list[dict]) -> list[dict]:
    """The rows with their template and variant names."""
    # The names in one small query afterwards: grouping by them made every message row join two tables.
    templates = dict(
        ResponseTemplate.objects.filter(pk__in={row["template_id"] for row in rows}).values_list("pk", "name")
    )
    variant_ids = {row["variant_id"] for row in rows if row["variant_id"] is not None}
    variants = dict(TemplateVariant.objects.filter(pk__in=variant_ids).values_list("pk", "name"))
    for row in rows:
        row["template__name"], row["variant__name"] = templates[row["template_id"]], variants.get(row["variant_id"])
    return rows


def _as_date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value)[:10])


def _sum(rows, field: str, **where) -> int:
    return sum(row[field] for row in rows if all(row[key] == value for key, value in where.items()))


def message_groups_for(*, filters: Mapping) -> list[dict]:
    """message_groups() of the messages `filters` selects: from the message rollups when they can answer."""
    rows = message_groups_from_rollups(filters=filters)
    return message_groups(messages_for(filters=filters)) if rows is None else _named(rows)


def auto_response_analytics(*, filters: Mapping) -> dict:
    rows = message_groups_for(filters=filters)
    for row in rows:
        row["day"] = _as_date(row["day"])
    overview = {
        "total": _sum(rows, "n"),
        **{name: _sum(rows, name) for name in ("sent", "delivered", "replied", "converted")},
        # By current state; "sent" and "replied" above count every message that had a send / a reply.
        **{status: _sum(rows, "n", status=status) for status in ("queued", "sending", "failed", "bounced")},
        "opted_out": _sum(rows, "n", status=AutoResponseStatus.OPTED_OUT),
    }
    sent = overview["sent"]
    return {
        **overview,
        "reply_rate": rate(overview["replied"], sent),
        "conversion_rate": rate(overview["converted"], sent),
        "bounce_rate": rate(overview["bounced"], sent),
        "opt_out_rate": rate(overview["opted_out"], sent),
        "by_status": [
            {"status": status, "label": label, "count": _sum(rows, "n", status=status)}
            for status, label in AutoResponseStatus.choices
        ],
        "by_template": _by_template(rows),
        "over_time": _over_time(rows),
    }


def _by_template(rows: list[dict]) -> list[dict]:
    per_variant: dict[tuple, dict] = {}
    for row in rows:
        key = (row["template_id"], row["template__name"], row["variant_id"], row["variant__name"])
        entry = per_variant.setdefault(key, dict.fromkeys(("sent", "delivered", "replied", "converted"), 0))
        for name in entry:
            entry[name] += row[name]
    # Template name, then variant name, a message without a variant last (PostgreSQL's NULLS LAST).
    ordered = sorted(per_variant.items(), key=lambda item: (item[0][1], item[0][3] is None, item[0][3] or ""))
    return [
        {
            "template_id": template_id,
            "template": template,
            "variant_id": variant_id,
            "variant": variant or "",
            **counts,
            "reply_rate": rate(counts["replied"], counts["sent"]),
            "conversion_rate": rate(counts["converted"], counts["sent"]),
        }
        for (template_id, template, variant_id, variant), counts in ordered
    ]


def _over_time(rows: list[dict]) -> dict:
    """Messages per day, week or month they were queued (site time zone), every bucket first to last."""
    first = min((row["day"] for row in rows), default=None)
    last = max((row["day"] for row in rows), default=None)
    if first is None:
        return series_over_time({}, first=None, last=None, empty={})
    granularity = granularity_for(first, last)
    names = ("queued", "sent", "replied", "converted", "bounced", "failed", "opted_out")
    buckets: dict[datetime.date, dict] = defaultdict(lambda: dict.fromkeys(names, 0))
    for row in rows:
        bucket = buckets[bucket_start(row["day"], granularity)]
        bucket["queued"] += row["n"]
        bucket["sent"] += row["sent"]
        bucket["replied"] += row["replied_any"]
        bucket["converted"] += row["converted"]
        for status in (AutoResponseStatus.BOUNCED, AutoResponseStatus.FAILED, AutoResponseStatus.OPTED_OUT):
            if row["status"] == status:
                bucket[status.value] += row["n"]
    return series_over_time(buckets, first=first, last=last, empty=dict.fromkeys(names, 0))


def ab_test_analytics() -> dict:
    results = ab_test_results()
    return {
        "running": sum(result.status == "running" for result in results),
        "with_winner": sum(result.state == WINNER for result in results),
        "tests": [result.as_dict() for result in results],
    }


def auto_responses_performance(*, spec: Mapping) -> dict:
    """The `auto_responses` performance section (leads.analytics.sections)."""
    return auto_response_analytics(filters=spec)


def ab_tests_performance(*, spec: Mapping) -> dict:
    """The `ab_tests` performance section: every test, whole (lead filters do not slice an experiment)."""
    return ab_test_analytics()
