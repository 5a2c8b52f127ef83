"""Merging a duplicate group into one lead, and undoing it for LEAD_MERGE_UNDO_DAYS.

The survivor is the group's earliest lead (the one `duplicates=first` keeps). For each merged field
the survivor keeps its own value when it has one; otherwise the most recently found other lead with a
value gives it. The status becomes the furthest-worked status in the group. The other leads are not
deleted: they keep their status, their admin history and every field, and are marked `merged_into`
the survivor. Each merge is a LeadMerge record (what changed, and the values before) and an entry
in the admin history of every lead involved; undoing restores the survivor's values and unmarks
the others.
"""

import datetime
from dataclasses import dataclass

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.utils import timezone

from leads import conf
from leads.contact_normalisation import DEFAULT_REGION, contact_quality, normalise_email, normalise_phone
from leads.duplicates.models import DuplicateGroup, LeadMerge

MERGED_FIELDS = ("title", "description", "price", "url", "posted_at", "contact_name", "email", "phone")
# A contact value that wins brings what its post said along; the lead's contact quality is then recomputed.
COMPANIONS = {"email": "email_as_posted", "phone": "phone_as_posted"}
# The furthest-worked status wins: a lead someone converted stays converted.
STATUS_RANK = {"new": 0, "rejected": 1, "contacted": 2, "qualified": 3, "converted": 4}


class MergeError(Exception):
    """A merge or undo that cannot be done; the message says why, for the person who asked."""


@dataclass(frozen=True)
class FieldChoice:
    name: str
    label: str
    value: object
    source_id: int  # the lead whose value wins
    changes: bool  # True when the survivor's value is replaced
    display: object = None  # how the value reads (a status's label)


@dataclass(frozen=True)
class MergePlan:
    group: DuplicateGroup
    survivor: object  # Lead
    others: list
    choices: list[FieldChoice]

    @property
    def changes(self) -> list[FieldChoice]:
        return [choice for choice in self.choices if choice.changes]


def _blank(value) -> bool:
    return value is None or value == ""


def merge_plan(*, group: DuplicateGroup) -> MergePlan:
    """Which lead survives and which value wins for each field; nothing is changed."""
    leads = list(group.leads.filter(merged_into__isnull=True).order_by("scraped_at", "pk").with_related())
    if len(leads) < 2:
        raise MergeError("This group has nothing left to merge: its leads are already merged into one.")
    survivor, others = leads[0], leads[1:]
    newest_first = sorted(others, key=lambda lead: (lead.scraped_at, lead.pk), reverse=True)
    choices = []
    for name in (*MERGED_FIELDS, "status"):
        label = str(survivor._meta.get_field(name).verbose_name).capitalize()
        if name == "status":
            source = max(leads, key=lambda lead: (STATUS_RANK.get(lead.status, 0), lead is survivor))
        else:
            source = survivor
            if _blank(getattr(survivor, name)):
                source = next((lead for lead in newest_first if not _blank(getattr(lead, name))), survivor)
        value = getattr(source, name)
        display = source.get_status_display() if name == "status" else value
        choices.append(FieldChoice(name, label, value, source.pk, value != getattr(survivor, name), display))
    return MergePlan(group=group, survivor=survivor, others=others, choices=choices)


def _stored(lead, name: str):
    """A field's value as JSON (None stays None), read back by the field's to_python."""
    return None if getattr(lead, name) is None else lead._meta.get_field(name).value_to_string(lead)


def group_merge(*, group_id: int, user) -> LeadMerge:
    """Merge the group's unmerged leads into its earliest lead (see the module docstring)."""
    from leads.models import Lead

    with transaction.atomic():
        group = DuplicateGroup.objects.select_for_update().filter(pk=group_id).first()
        if group is None:
            raise MergeError("This duplicate group no longer exists; the groups were recomputed.")
        plan = merge_plan(group=group)
        survivor = plan.survivor
        sources = {lead.pk: lead for lead in plan.others}
        updates = {}
        for choice in plan.changes:
            updates[choice.name] = choice.value
            if choice.name in COMPANIONS:
                updates[COMPANIONS[choice.name]] = getattr(sources[choice.source_id], COMPANIONS[choice.name])
        if updates.keys() & COMPANIONS.keys():
            region = survivor.location.country or DEFAULT_REGION
            email, phone = updates.get("email", survivor.email), updates.get("phone", survivor.phone)
            updates["contact_quality"] = contact_quality(normalise_email(email), normalise_phone(phone, region))
        changed = list(updates)
        previous = {name: _stored(survivor, name) for name in changed}
        for name, value in updates.items():
            setattr(survivor, name, value)
        if changed:
            survivor.save(update_fields=[*changed, "updated_at"])
        other_ids = [lead.pk for lead in plan.others]
        Lead.objects.filter(pk__in=other_ids).update(merged_into=survivor)
        merge = LeadMerge.objects.create(
            group=group,
            survivor=survivor,
            merged_ids=other_ids,
            previous=previous,
            chosen={choice.name: choice.source_id for choice in plan.choices},
            merged_by=user,
        )
        _log(user, Lead.objects.filter(pk=survivor.pk), f"Merged duplicates {_ids(other_ids)} into this lead.")
        _log(user, Lead.objects.filter(pk__in=other_ids), f"Merged into lead #{survivor.pk} (merge {merge.pk}).")
    return merge


def merge_undoable_until(merge: LeadMerge) -> datetime.datetime:
    return merge.merged_at + datetime.timedelta(days=conf.merge_undo_days())


def merge_undo(*, merge_id: int, user) -> LeadMerge:
    """Put the survivor's values back and unmark the merged leads, within LEAD_MERGE_UNDO_DAYS."""
    from leads.models import Lead

    with transaction.atomic():
        merge = LeadMerge.objects.select_for_update().select_related("survivor").filter(pk=merge_id).first()
        if merge is None:
            raise MergeError("That merge does not exist.")
        if merge.undone_at is not None:
            raise MergeError("That merge was already undone.")
        if timezone.now() > merge_undoable_until(merge):
            raise MergeError(f"Merges can be undone for {conf.merge_undo_days()} days; this one is older.")
        later = LeadMerge.objects.filter(survivor=merge.survivor, undone_at__isnull=True, pk__gt=merge.pk)
        if later.exists():
            raise MergeError("A later merge into the same lead must be undone first.")
        survivor = merge.survivor
        for name, stored in merge.previous.items():
            setattr(survivor, name, None if stored is None else survivor._meta.get_field(name).to_python(stored))
        if merge.previous:
            survivor.save(update_fields=[*merge.previous, "updated_at"])
        Lead.objects.filter(pk__in=merge.merged_ids, merged_into=survivor).update(merged_into=None)
        merge.undone_at, merge.undone_by = timezone.now(), user
        merge.save(update_fields=["undone_at", "undone_by"])
        _log(user, Lead.objects.filter(pk=survivor.pk), f"Undid the merge of {_ids(merge.merged_ids)}.")
        _log(user, Lead.objects.filter(pk__in=merge.merged_ids), f"Merge into lead #{survivor.pk} undone.")
    return merge


def _ids(ids) -> str:
    return ", ".join(f"#{lead_id}" for lead_id in ids)


def _log(user, queryset, message: str) -> None:
    if user is not None and user.pk is not None:
        LogEntry.objects.log_actions(user.pk, queryset, CHANGE, change_message=message)
