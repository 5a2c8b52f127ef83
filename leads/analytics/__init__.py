"""Lead, scraping and exportable-data analytics: selectors that take the one filter spec.

Each selector validates its `filters` through `leads.selectors.lead_filterset`
(raising `LeadFilterError`), computes its figures with aggregate and GROUP BY
queries (a fixed number per call, whatever the data size) and returns a
JSON-safe dict with stable, documented keys:

    leads.analytics.leads.lead_analytics(filters=...)              leads
    leads.analytics.scraping.scraping_analytics(filters=...)       scrape runs
    leads.analytics.exportable.exportable_data_stats(filters=...)  what an export would hold
    leads.analytics.report.analytics_report(filters=...)           the three together

Number formats (money as strings, rates as 0-1 floats, ISO dates) are
described in `leads.analytics.common`. Export-history analytics live in
`exports.records.analytics`, as exports depend on leads and not the other way round.
"""
