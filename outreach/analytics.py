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

from collections.abc import Mapping

from django.db.models import Count, Max, Min, Q

from leads.analytics.common import counts_over_time, local_date, rate
from leads.selectors import lead_list
from outreach.models import AutoResponse, AutoResponseStatus
from outreach.selectors.ab_tests import WINNER, ab_test_results

SENT = Q(sent_at__isnull=False)
CONVERTED = Q(lead__status="converted") & ~Q(lead_status_at_queue="converted")


def messages_for(*, filters: Mapping):
    """The messages to the leads `filters` selects (the one lead spec)."""
    messages = AutoResponse.objects.all()
    if any(value not in (None, "", [], ()) for value in filters.values()):
        messages = messages.filter(lead__in=lead_list(filters=filters).order_by().values("pk"))
    return messages.order_by()


def figures(messages) -> dict:
    return dict(
        sent=Count("pk", filter=SENT),
        delivered=Count("pk", filter=SENT & Q(delivered_at__isnull=False)),
        replied=Count("pk", filter=SENT & Q(replied_at__isnull=False)),
        converted=Count("pk", filter=SENT & CONVERTED),
    )


def auto_response_analytics(*, filters: Mapping) -> dict:
    messages = messages_for(filters=filters)
    overview = messages.aggregate(
        total=Count("pk"),
        **figures(messages),
        # By current state; "sent" and "replied" above count every message that had a send / a reply.
        **{status: Count("pk", filter=Q(status=status)) for status in ("queued", "sending", "failed", "bounced")},
        opted_out=Count("pk", filter=Q(status=AutoResponseStatus.OPTED_OUT)),
        first=Min("queued_at"),
        last=Max("queued_at"),
    )
    by_status = dict(messages.values_list("status").annotate(n=Count("pk")))
    sent = overview["sent"]
    per_variant = (
        messages.values("template_id", "template__name", "variant_id", "variant__name")
        .annotate(**figures(messages))
        .order_by("template__name", "variant__name")
    )
    over_time = counts_over_time(
        messages,
        field="queued_at",
        first=local_date(overview.pop("first")),
        last=local_date(overview.pop("last")),
        aggregates={
            "queued": Count("pk"),
            "sent": Count("pk", filter=SENT),
            "replied": Count("pk", filter=Q(replied_at__isnull=False)),
            "converted": Count("pk", filter=SENT & CONVERTED),
            "bounced": Count("pk", filter=Q(status=AutoResponseStatus.BOUNCED)),
            "failed": Count("pk", filter=Q(status=AutoResponseStatus.FAILED)),
            "opted_out": Count("pk", filter=Q(status=AutoResponseStatus.OPTED_OUT)),
        },
    )
    return {
        **overview,
        "reply_rate": rate(overview["replied"], sent),
        "conversion_rate": rate(overview["converted"], sent),
        "bounce_rate": rate(overview["bounced"], sent),
        "opt_out_rate": rate(overview["opted_out"], sent),
        "by_status": [
            {"status": status, "label": label, "count": by_status.get(status, 0)}
            for status, label in AutoResponseStatus.choices
        ],
        "by_template": [
            {
                "template_id": row["template_id"],
                "template": row["template__name"],
                "variant_id": row["variant_id"],
                "variant": row["variant__name"] or "",
                "sent": row["sent"],
                "delivered": row["delivered"],
                "replied": row["replied"],
                "converted": row["converted"],
                "reply_rate": rate(row["replied"], row["sent"]),
                "conversion_rate": rate(row["converted"], row["sent"]),
            }
            for row in per_variant
        ],
        "over_time": over_time,
    }


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
