"""The summary of an export's leads (the Excel "Summary" sheet), computed in the database.

A fixed number of queries over the same spec the rows come from, whatever the number of leads:
one aggregate (count, prices, dates, contact availability) and one GROUP BY location, category
and status (leads.analytics.breakdowns), rolled up into leads per status, location and category.
Run after the rows are written, so on a database that changes meanwhile the figures describe
the leads as they were a moment later.
"""

from collections.abc import Mapping

from django.db.models import Avg, Count, Max, Min, Q, Sum

from leads.analytics import breakdowns
from leads.selectors import lead_list


def export_summary(*, filters: Mapping) -> dict:
    """Figures for the leads `filters` selects: count, prices, dates, by status, location and category."""
    leads = lead_list(filters=filters).order_by()
    overview = leads.aggregate(
        count=Count("pk"),
        with_price=Count("price"),
        price_min=Min("price"),
        price_max=Max("price"),
        price_average=Avg("price"),
        price_total=Sum("price"),
        first_found=Min("scraped_at"),
        last_found=Max("scraped_at"),
        with_email=Count("pk", filter=~Q(email="")),
        with_phone=Count("pk", filter=~Q(phone="")),
    )
    total = overview["count"]
    groups = breakdowns.lead_groups(leads)
    return {
        **overview,
        "by_status": breakdowns.status_entries(breakdowns.status_counts(groups), total),
        "by_location": breakdowns.dimension_entries(groups, "location", total_leads=total),
        "by_category": breakdowns.dimension_entries(groups, "category", total_leads=total),
    }
