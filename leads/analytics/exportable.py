"""What an export of a spec would contain: the seed's "exportable data" statistics.

Three queries: one GROUP BY location, category and status with the contact
counts and the date range (see leads.analytics.breakdowns), and the names of
the locations and categories found.

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

from leads.analytics import breakdowns
from leads.analytics.common import iso, spec_filterset
from leads.analytics.sources import lead_source


def exportable_data_stats(*, filters: Mapping | None = None) -> dict:
    """Counts of what `filters` would export; raises LeadFilterError on a bad spec."""
    filterset, spec = spec_filterset(filters=filters)
    # The daily rollups when the spec allows (leads.analytics.sources): the same counts, faster.
    groups = lead_source(filterset).groups(prices=False)
    total = breakdowns.total(groups)
    with_email, with_phone = breakdowns.total(groups, "with_email"), breakdowns.total(groups, "with_phone")
    return {
        "filters": spec,
        "total_leads": total,
        "with_contact_info": with_email + with_phone - breakdowns.total(groups, "with_both"),
        "with_email": with_email,
        "with_phone": with_phone,
        "date_range": {
            "first_found": iso(min((group["first_day"] for group in groups), default=None)),
            "last_found": iso(max((group["last_day"] for group in groups), default=None)),
        },
        "by_status": breakdowns.status_entries(breakdowns.status_counts(groups), total),
        "by_location": breakdowns.dimension_entries(groups, "location", total_leads=total),
        "by_category": breakdowns.dimension_entries(groups, "category", total_leads=total),
    }
