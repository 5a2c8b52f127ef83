"""Access-matrix rows of the Duplicates pages (/admin/leads/duplicates/, leads.duplicates.views).

Every staff role with `leads.view_lead` sees the groups; only who holds `leads.merge_leads` (the Sales
manager group, the superuser) merges a group or undoes a merge. Contact values on a group's page
follow the contact permission.
"""

from django.urls import reverse

from leads.duplicates.grouping import duplicates_link
from leads.duplicates.merging import group_merge
from leads.models import Lead, LeadMerge
from tests.security.matrix import Row, admin_cells, ok, redirect, status, text

DUPLICATES = reverse("duplicates:list")
TWIN_DOMAIN = "@twins.example"
_WORDS = ("walnut dresser", "brass lamp", "kayak paddle", "vinyl records", "oak bookshelf", "road bike")


def duplicate_group(world):
    """Two leads with one e-mail, linked into a group; returns the group."""
    base = world.leads[0]
    number = Lead.objects.count()  # a new pair each call, unlike the pairs of earlier cells
    words = f"{_WORDS[number % len(_WORDS)]} {number * 7907}"
    twins = [
        Lead.objects.create(
            location=base.location,
            category=base.category,
            source_post_id=f"twin-{number}-{twin}",
            title=f"{words} for sale",
            email=f"twin-{number}{TWIN_DOMAIN}",
        )
        for twin in range(2)
    ]
    duplicates_link(lead_ids=[twin.pk for twin in twins])
    twins[0].refresh_from_db()
    return twins[0].duplicate_group


def merged_group(world) -> LeadMerge:
    return group_merge(group_id=duplicate_group(world).pk, user=None)


def list_check(response, **_):
    assert "Leads that are the same person or post" in text(response)


def group_page_check(response, *, user, **_):
    content = text(response)
    assert 'id="merge-plan"' in content
    assert ('id="merge-button"' in content) == user.has_perm("leads.merge_leads")
    assert (TWIN_DOMAIN in content) == user.has_perm("exports.view_contact_info")


def group_merged(response, *, target, **_):
    assert list(LeadMerge.objects.filter(group=target).values_list("undone_at", flat=True)) == [None]
    assert target.leads.filter(merged_into__isnull=False).count() == 1


def merge_undone(response, *, target, **_):
    target.refresh_from_db()
    assert target.undone_at is not None
    assert not Lead.objects.filter(merged_into=target.survivor).exists()


def _managers(expect):
    return {"manager": expect, "superuser": expect}


DUPLICATE_ROWS = [
    Row("duplicates page", "get", lambda w, t: DUPLICATES, admin_cells(ok(list_check))),
    Row(
        "duplicate group page",
        "get",
        lambda w, t: reverse("duplicates:group", args=[t.pk]),
        admin_cells(ok(group_page_check)),
        prepare=duplicate_group,
    ),
    Row(
        "duplicate group merge",
        "post",
        lambda w, t: reverse("duplicates:merge", args=[t.pk]),
        admin_cells(status(403), **_managers(redirect(DUPLICATES, group_merged, label="302 list, merged"))),
        prepare=duplicate_group,
        state_changing=True,
    ),
    Row(
        "duplicate merge undo",
        "post",
        lambda w, t: reverse("duplicates:undo", args=[t.pk]),
        admin_cells(status(403), **_managers(redirect(DUPLICATES, merge_undone, label="302 list, undone"))),
        prepare=merged_group,
        state_changing=True,
    ),
]
