"""Lead counts grouped by location, category and status in one GROUP BY, rolled up in Python.

One scan of the leads gives every additive figure per (location, category,
status) group; the totals, the per-status, per-location and per-category
figures are sums over those groups. Only the groups (at most locations x
categories x statuses rows, however many leads there are) reach Python.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, QuerySet

from leads.analytics.common import rate
from leads.models import Category, LeadStatus, Location

GROUP_KEYS = ("location_id", "category_id", "status")
# What each dimension shows besides its name: the model and its code field.
DIMENSIONS = {"location": (Location, "site_code"), "category": (Category, "code")}


def lead_groups(leads: QuerySet, **aggregates) -> list[dict]:
    """One row per (location_id, category_id, status) with `count` and the given aggregates."""
    return list(leads.order_by().values(*GROUP_KEYS).annotate(count=Count("pk"), **aggregates))


def total(groups: Iterable[dict], field: str = "count"):
    return sum((group[field] for group in groups if group[field] is not None), 0)


def status_counts(groups: Iterable[dict]) -> dict[str, int]:
    """Leads per status, every status present (0 when none)."""
    counts = dict.fromkeys(LeadStatus.values, 0)
    for group in groups:
        counts[group["status"]] += group["count"]
    return counts


def status_entries(counts: dict[str, int], total_leads: int) -> list[dict]:
    return [
        {"status": status, "label": label, "count": counts[status], "share": rate(counts[status], total_leads)}
        for status, label in LeadStatus.choices
    ]


def dimension_entries(groups: list[dict], dimension: str, *, total_leads: int) -> list[dict]:
    """Leads and converted leads per location or category, largest first (one small query for the names).

    Each entry: id, name, site_code (locations) or code (categories), count,
    share of `total_leads`, converted, conversion_rate.
    """
    model, code_field = DIMENSIONS[dimension]
    key = f"{dimension}_id"
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for group in groups:
        figures = counts[group[key]]
        figures[0] += group["count"]
        if group["status"] == LeadStatus.CONVERTED:
            figures[1] += group["count"]
    names = {
        pk: (name, code)
        for pk, name, code in model.objects.filter(pk__in=list(counts)).values_list("pk", "name", code_field)
    }
    entries = [
        {
            "id": pk,
            "name": names[pk][0],
            code_field: names[pk][1],
            "count": count,
            "share": rate(count, total_leads),
            "converted": converted,
            "conversion_rate": rate(converted, count),
        }
        for pk, (count, converted) in counts.items()
    ]
    entries.sort(key=lambda entry: (-entry["count"], entry["name"], entry["id"]))
    return entries


def top_by_conversion(entries: list[dict], *, limit: int, min_leads: int) -> list[dict]:
    """The entries with the best conversion rate among those with at least `min_leads` leads.

    The floor keeps a location with one lucky lead from topping the table.
    """
    eligible = [entry for entry in entries if entry["count"] >= max(min_leads, 1)]
    eligible.sort(key=lambda entry: (-(entry["conversion_rate"] or 0), -entry["count"], entry["name"], entry["id"]))
    return eligible[:limit]
