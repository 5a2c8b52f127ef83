"""Message rollups: what the outreach analytics and the A/B test results read instead of every message.

Public reads (outreach.rollups.reads):
    message_groups_from_rollups(filters=spec)  the rows of outreach.analytics.message_groups, or None
                                               when the spec is not rollup-servable
    variant_counts_from_rollups(test_ids)      the A/B counts, or None where rollups are off
Writers call nothing: triggers mark the lead keys of changed messages
(outreach.rollups.triggers) and the lead refresh keeps these rollups current with
the lead rollups (outreach.rollups.refresh). `manage.py rebuild_rollups` rebuilds both.
"""
