"""Every analytics figure for one spec in one JSON-safe dict: the seed's "generate analytics".

Used by `manage.py lead_analytics --json` and meant for the analytics JSON
export and the API, so all of them print the same figures under the same keys:
    generated_at     when the report was made (ISO date-time)
    filters          the normalized spec
    leads            leads.analytics.leads.lead_analytics
    performance      leads.analytics.scraping.scraping_analytics
    exportable_data  leads.analytics.exportable.exportable_data_stats
"""

import datetime
from collections.abc import Mapping

from django.utils import timezone

from leads.analytics.common import spec_filterset
from leads.analytics.exportable import exportable_data_stats
from leads.analytics.leads import lead_analytics
from leads.analytics.scraping import scraping_analytics


def analytics_report(*, filters: Mapping | None = None, now: datetime.datetime | None = None) -> dict:
    """Raises LeadFilterError on a bad spec, before any figure is computed."""
    _, spec = spec_filterset(filters=filters)
    now = now or timezone.now()
    return {
        "generated_at": now.isoformat(),
        "filters": spec,
        "leads": lead_analytics(filters=spec, now=now),
        "performance": scraping_analytics(filters=spec),
        "exportable_data": exportable_data_stats(filters=spec),
    }
