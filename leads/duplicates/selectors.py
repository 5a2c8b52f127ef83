"""Reads for the duplicates page: groups newest first with their leads, and the merges that can be undone."""

import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from leads import conf
from leads.duplicates.models import DuplicateGroup, LeadMerge


def duplicate_group_list() -> QuerySet:
    """Every duplicate group, the one with the newest find first, its leads (earliest first) prefetched."""
    from leads.models import Lead

    leads = Lead.objects.order_by("scraped_at", "pk").select_related("location", "category")
    return DuplicateGroup.objects.order_by("-last_found_at", "-pk").prefetch_related(Prefetch("leads", leads))


def duplicate_group_get(*, group_id: int) -> DuplicateGroup | None:
    return duplicate_group_list().filter(pk=group_id).first()


def lead_merge_undoable_list(*, limit: int = 20) -> QuerySet:
    """Merges made within LEAD_MERGE_UNDO_DAYS and not undone, newest first."""
    since = timezone.now() - datetime.timedelta(days=conf.merge_undo_days())
    return (
        LeadMerge.objects.filter(undone_at__isnull=True, merged_at__gte=since)
        .select_related("survivor", "merged_by")
        .order_by("-merged_at", "-pk")[:limit]
    )


def lead_duplicates(*, lead) -> tuple[DuplicateGroup | None, list]:
    """A lead's duplicate group and the other leads in it (earliest found first); (None, []) when it is alone."""
    from leads.models import Lead

    if lead.duplicate_group_id is None:
        return None, []
    group = DuplicateGroup.objects.filter(pk=lead.duplicate_group_id).first()
    if group is None:
        return None, []
    others = (
        Lead.objects.filter(duplicate_group_id=group.pk)
        .exclude(pk=lead.pk)
        .select_related("location")
        .order_by("scraped_at", "pk")
    )
    return group, list(others)
