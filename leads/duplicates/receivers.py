"""Links leads to duplicate groups as they arrive: the `leads_arrived` receiver, connected in LeadsConfig.ready.

Quick by design: it only enqueues the link task (leads.tasks.link_duplicates) with the batch's ids;
the task matches the whole batch set-based (leads.duplicates.grouping.duplicates_link).
"""


def leads_arrived_link_duplicates(sender, *, created_ids=(), updated_ids=(), **kwargs) -> None:
    from leads.tasks import link_duplicates

    lead_ids = [*created_ids, *updated_ids]
    if lead_ids:
        link_duplicates.enqueue(lead_ids=lead_ids)
