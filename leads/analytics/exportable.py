"""What an export of a spec would contain: the seed's "exportable data" statistics.

Four queries: an aggregate for the totals and date range, then leads per
status, per location and per category.

Keys of the returned dict (see leads.analytics.common for number formats):
    filters            the normalized spec
    total_leads        leads the spec selects
    with_contact_info  leads with an e-mail address or a phone number
    with_email, with_phone
    date_range         first_found, last_found: days of the earliest and latest lead
    by_status          [{status, label, count, share}], every status in workflow order
    by_location        [{id, name, site_code, count, share, converted, conversion_rate}], largest first
    by_category        [{id, name, code, count, share, converted, conversion_rate}], largest first
"""

from collections.abc import Mapping

from django.db.models import Count, Max, Min, Q

from leads.analytics import breakdowns
from leads.analytics.common import iso, local_date, spec_filterset


def exportable_data_stats(*, filters: Mapping | None = None) -> dict:
    """Counts of what `filters` would export; raises LeadFilterError on a bad spec."""
    filterset, spec = spec_filterset(filters=filters)
    leads = filterset.qs.order_by()
    overview = leads.aggregate(
        total=Count("pk"),
        with_any=Count("pk", filter=~Q(email="") | ~Q(phone="")),
        with_email=Count("pk", filter=~Q(email="")),
        with_phone=Count("pk", filter=~Q(phone="")),
        first_found=Min("scraped_at"),
        last_found=Max("scraped_at"),
    )
    total = overview["total"]
    return {
        "filters": spec,
        "total_leads": total,
        "with_contact_info": overview["with_any"],
        "with_email": overview["with_email"],
        "with_phone": overview["with_phone"],
        "date_range": {
            "first_found": iso(local_date(overview["first_found"])),
            "last_found": iso(local_date(overview["last_found"])),
        },
        "by_status": breakdowns.status_entries(breakdowns.status_counts(leads), total),
        "by_location": breakdowns.dimension_entries(leads, "location", total=total),
        "by_category": breakdowns.dimension_entries(leads, "category", total=total),
    }
