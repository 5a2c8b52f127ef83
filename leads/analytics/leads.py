"""Lead analytics for one filter spec, computed in the database.

`lead_analytics(filters=...)` runs a fixed number of queries, whatever the
number of leads: one GROUP BY location, category and status carrying every
additive figure (totals, contact availability, price sums and bands; see
leads.analytics.breakdowns), the names of the locations and categories found,
the median price (see leads.analytics.median), the leads per time bucket and
the rolling "new in the last ..." windows. When the spec only uses the daily
rollups' dimensions these read the rollups, not the leads (see
leads.analytics.sources): the figures are the same, only faster.

Keys of the returned dict (see leads.analytics.common for number formats):
    filters            the normalized spec the figures are for
    as_of              the moment "new in the last ..." is measured from
    totals             leads, new_last_1_day, new_last_7_days, new_last_30_days
                       (rolling 24 h, 7 x 24 h, 30 x 24 h windows), converted,
                       conversion_rate (converted / leads)
    date_range         first_found, last_found: days of the earliest and latest lead
    by_status          [{status, label, count, share}] for every status, in workflow order
    funnel             [{status, label, count, reached, rate_from_previous, rate_from_start}]
                       for new -> contacted -> qualified -> converted; `reached` counts
                       leads at that stage or a later one (rejected leads are left out,
                       as the stage they left from is not recorded)
    by_location        [{id, name, site_code, count, share, converted, conversion_rate}], largest first
    by_category        [{id, name, code, count, share, converted, conversion_rate}], largest first
    top_locations_by_conversion, top_categories_by_conversion
                       the same entries, best conversion rate first, among those with
                       at least `top_min_leads` leads
    over_time          {granularity: day|week|month, buckets: [{start, end, count, converted}]}
                       every bucket between the first and last lead (weeks start on
                       Monday); `converted` counts the bucket's leads that are converted now
    contact            with_email, with_phone, with_both, email_only, phone_only,
                       with_neither, with_any, any_rate
    price              count, without_price, min, average, median, max (money strings)
    price_distribution [{min, max, count}]: min inclusive, max exclusive (null = open)
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.utils import timezone

from leads.analytics import breakdowns
from leads.analytics.common import (
    granularity_for,
    iso,
    money,
    rate,
    series_over_time,
    spec_filterset,
)
from leads.analytics.sources import lead_source
from leads.models import LeadStatus
from leads.rollups.models import PRICE_BAND_BOUNDS

FUNNEL = (LeadStatus.NEW, LeadStatus.CONTACTED, LeadStatus.QUALIFIED, LeadStatus.CONVERTED)
# Fixed price bucket bounds, so distributions compare across filters and days (the rollups' bands).
PRICE_BUCKET_BOUNDS = PRICE_BAND_BOUNDS
TOP_LIMIT = 10
TOP_MIN_LEADS = 10


def lead_analytics(
    *,
    filters: Mapping | None = None,
    now: datetime.datetime | None = None,
    top_limit: int = TOP_LIMIT,
    top_min_leads: int = TOP_MIN_LEADS,
) -> dict:
    """Every lead figure for the leads `filters` selects; raises LeadFilterError on a bad spec."""
    filterset, spec = spec_filterset(filters=filters)
    source = lead_source(filterset)
    now = now or timezone.now()

    groups = source.groups(now=now)
    recent = source.recent(now=now)
    total = breakdowns.total(groups)
    status_counts = breakdowns.status_counts(groups)
    first_found = min((group["first_day"] for group in groups), default=None)
    last_found = max((group["last_day"] for group in groups), default=None)
    by_location = breakdowns.dimension_entries(groups, "location", total_leads=total)
    by_category = breakdowns.dimension_entries(groups, "category", total_leads=total)
    converted = status_counts[LeadStatus.CONVERTED]

    return {
        "filters": spec,
        "as_of": iso(now),
        "totals": {
            "leads": total,
            "new_last_1_day": recent[1],
            "new_last_7_days": recent[7],
            "new_last_30_days": recent[30],
            "converted": converted,
            "conversion_rate": rate(converted, total),
        },
        "date_range": {"first_found": iso(first_found), "last_found": iso(last_found)},
        "by_status": breakdowns.status_entries(status_counts, total),
        "funnel": _funnel(status_counts),
        "by_location": by_location,
        "by_category": by_category,
        "top_locations_by_conversion": breakdowns.top_by_conversion(
            by_location, limit=top_limit, min_leads=top_min_leads
        ),
        "top_categories_by_conversion": breakdowns.top_by_conversion(
            by_category, limit=top_limit, min_leads=top_min_leads
        ),
        "over_time": _over_time(source, first=first_found, last=last_found),
        "contact": _contact(groups, total),
        "price": _price(source, groups, total),
        "price_distribution": _price_distribution(groups),
    }


def _price_distribution(groups: list[dict]) -> list[dict]:
    at_least = [breakdowns.total(groups, f"price_from_{index}") for index in range(len(PRICE_BUCKET_BOUNDS))]
    buckets = []
    for index, low in enumerate(PRICE_BUCKET_BOUNDS):
        last = index + 1 == len(PRICE_BUCKET_BOUNDS)
        buckets.append(
            {
                "min": money(low),
                "max": None if last else money(PRICE_BUCKET_BOUNDS[index + 1]),
                "count": at_least[index] - (0 if last else at_least[index + 1]),
            }
        )
    return buckets


def _over_time(source, *, first: datetime.date | None, last: datetime.date | None) -> dict:
    """Leads and converted leads per day, week or month, every bucket from the first lead to the last."""
    if first is None or last is None:
        return series_over_time({}, first=first, last=last, empty={})
    per_bucket = source.over_time(granularity_for(first, last))
    return series_over_time(per_bucket, first=first, last=last, empty={"count": 0, "converted": 0})


def _funnel(status_counts: dict[str, int]) -> list[dict]:
    stages = []
    for index, status in enumerate(FUNNEL):
        reached = sum(status_counts[later] for later in FUNNEL[index:])
        previous = stages[-1]["reached"] if stages else reached
        start = stages[0]["reached"] if stages else reached
        stages.append(
            {
                "status": status.value,
                "label": status.label,
                "count": status_counts[status],
                "reached": reached,
                "rate_from_previous": rate(reached, previous),
                "rate_from_start": rate(reached, start),
            }
        )
    return stages


def _contact(groups: list[dict], total: int) -> dict:
    with_email, with_phone = breakdowns.total(groups, "with_email"), breakdowns.total(groups, "with_phone")
    both = breakdowns.total(groups, "with_both")
    with_any = with_email + with_phone - both
    return {
        "with_email": with_email,
        "with_phone": with_phone,
        "with_both": both,
        "email_only": with_email - both,
        "phone_only": with_phone - both,
        "with_neither": total - with_any,
        "with_any": with_any,
        "any_rate": rate(with_any, total),
    }


def _price(source, groups: list[dict], total: int) -> dict:
    priced = breakdowns.total(groups, "priced")
    price_sum = breakdowns.total(groups, "price_sum")
    return {
        "count": priced,
        "without_price": total - priced,
        "min": money(min((g["price_min"] for g in groups if g["price_min"] is not None), default=None)),
        "average": money(Decimal(price_sum) / priced) if priced else None,
        "median": money(source.median(groups)),
        "max": money(max((g["price_max"] for g in groups if g["price_max"] is not None), default=None)),
    }
