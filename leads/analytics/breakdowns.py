"""Lead counts grouped by status, location and category: one GROUP BY query each.

Shared by the lead analytics and the exportable-data statistics. Only the
grouped rows (a handful per status, location or category) reach Python.
"""

from django.db.models import Count, Q, QuerySet

from leads.analytics.common import rate
from leads.models import LeadStatus

# The values() of each dimension: its id, then the fields shown with it.
DIMENSIONS = {
    "location": ("location_id", "location__name", "location__site_code"),
    "category": ("category_id", "category__name", "category__code"),
}
# The key each dimension's own code field takes in the output.
CODE_KEYS = {"location": "site_code", "category": "code"}


def status_counts(leads: QuerySet) -> dict[str, int]:
    """Leads per status, every status present (0 when none)."""
    rows = leads.order_by().values("status").annotate(count=Count("pk"))
    counts = dict.fromkeys(LeadStatus.values, 0)
    for row in rows:
        counts[row["status"]] = row["count"]
    return counts


def status_entries(counts: dict[str, int], total: int) -> list[dict]:
    return [
        {"status": status, "label": label, "count": counts.get(status, 0), "share": rate(counts.get(status, 0), total)}
        for status, label in LeadStatus.choices
    ]


def dimension_entries(leads: QuerySet, dimension: str, *, total: int) -> list[dict]:
    """Leads and converted leads per location or category, largest first.

    Each entry: id, name, site_code (locations) or code (categories), count,
    share of `total`, converted, conversion_rate.
    """
    id_field, name_field, code_field = DIMENSIONS[dimension]
    rows = (
        leads.order_by()
        .values(id_field, name_field, code_field)
        .annotate(count=Count("pk"), converted=Count("pk", filter=Q(status=LeadStatus.CONVERTED)))
    )
    entries = [
        {
            "id": row[id_field],
            "name": row[name_field],
            CODE_KEYS[dimension]: row[code_field],
            "count": row["count"],
            "share": rate(row["count"], total),
            "converted": row["converted"],
            "conversion_rate": rate(row["converted"], row["count"]),
        }
        for row in rows
    ]
    entries.sort(key=lambda entry: (-entry["count"], entry["name"], entry["id"]))
    return entries


def top_by_conversion(entries: list[dict], *, limit: int, min_leads: int) -> list[dict]:
    """The entries with the best conversion rate among those with at least `min_leads` leads.

    The floor keeps a location with one lucky lead from topping the table.
    """
    eligible = [entry for entry in entries if entry["count"] >= min_leads and entry["count"] > 0]
    eligible.sort(key=lambda entry: (-(entry["conversion_rate"] or 0), -entry["count"], entry["name"], entry["id"]))
    return eligible[:limit]
