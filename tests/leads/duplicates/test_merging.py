"""Merging a duplicate group into one lead, and undoing it."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from leads.duplicates.grouping import duplicates_find
from leads.duplicates.merging import MergeError, group_merge, merge_plan, merge_undo
from leads.models import DuplicateGroup, Lead, LeadMerge, LeadStatus
from tests.exports.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(make_lead):
    survivor = make_lead(
        email="pat@example.com", phone="", contact_name="", price=None, status=LeadStatus.NEW, days_ago=5
    )
    older_repost = make_lead(
        email="pat@example.com",
        phone="4155550100",
        contact_name="Pat",
        price=Decimal("90"),
        days_ago=4,
        status=LeadStatus.QUALIFIED,
    )
    newest_repost = make_lead(
        email="PAT@example.com",
        phone="4155550199",
        contact_name="",
        price=Decimal("80"),
        days_ago=1,
        status=LeadStatus.CONTACTED,
    )
    duplicates_find()
    return DuplicateGroup.objects.get(), survivor, older_repost, newest_repost


def test_plan_shows_which_values_win(group):
    group, survivor, older, newest = group
    plan = merge_plan(group=group)
    assert plan.survivor == survivor
    chosen = {choice.name: (choice.value, choice.source_id, choice.changes) for choice in plan.choices}
    assert chosen["email"] == ("pat@example.com", survivor.pk, False)  # the survivor's own value
    assert chosen["phone"] == ("+14155550199", newest.pk, True)  # stored in E.164  # the newest lead that has one
    assert chosen["contact_name"] == ("Pat", older.pk, True)
    assert chosen["price"] == (Decimal("80.00"), newest.pk, True)
    assert chosen["status"] == (LeadStatus.QUALIFIED, older.pk, True)  # furthest worked
    assert chosen["title"][1:] == (survivor.pk, False)


def test_merge_keeps_the_others_and_records_history(group):
    group, survivor, older, newest = group
    manager = UserFactory(username="boss")
    merge = group_merge(group_id=group.pk, user=manager)
    survivor.refresh_from_db()
    assert (survivor.phone, survivor.contact_name, survivor.status) == ("+14155550199", "Pat", LeadStatus.QUALIFIED)
    assert survivor.phone_as_posted == "4155550199"  # what the winning lead's post said comes along
    assert survivor.price == Decimal("80.00")
    for other, status in ((older, LeadStatus.QUALIFIED), (newest, LeadStatus.CONTACTED)):
        other.refresh_from_db()
        assert other.merged_into_id == survivor.pk
        assert other.status == status  # kept, with every other field
        assert other.duplicate_group_id == group.pk
    assert sorted(merge.merged_ids) == sorted([older.pk, newest.pk])
    assert merge.previous["phone"] == "" and merge.previous["price"] is None
    messages = set(LogEntry.objects.values_list("object_id", "change_message"))
    assert (str(survivor.pk), f"Merged duplicates #{older.pk}, #{newest.pk} into this lead.") in messages
    assert (str(older.pk), f"Merged into lead #{survivor.pk} (merge {merge.pk}).") in messages
    with pytest.raises(MergeError, match="nothing left to merge"):
        group_merge(group_id=group.pk, user=manager)


def test_undo_restores_the_survivor_and_unmarks_the_others(group):
    group, survivor, older, _newest = group
    manager = UserFactory(username="boss")
    merge = group_merge(group_id=group.pk, user=manager)
    merge_undo(merge_id=merge.pk, user=manager)
    survivor.refresh_from_db()
    assert (survivor.phone, survivor.contact_name, survivor.price, survivor.status) == ("", "", None, LeadStatus.NEW)
    assert survivor.phone_as_posted == ""
    assert not Lead.objects.filter(merged_into__isnull=False).exists()
    merge.refresh_from_db()
    assert merge.undone_at is not None and merge.undone_by == manager
    assert LogEntry.objects.filter(object_id=str(older.pk), change_message__contains="undone").exists()
    with pytest.raises(MergeError, match="already undone"):
        merge_undo(merge_id=merge.pk, user=manager)
    # The group survives the undo and can be merged again.
    assert group_merge(group_id=group.pk, user=manager).pk != merge.pk


def test_undo_refused_after_the_period(group, settings):
    settings.LEAD_MERGE_UNDO_DAYS = 2
    group, survivor, *_ = group
    merge = group_merge(group_id=group.pk, user=None)
    LeadMerge.objects.filter(pk=merge.pk).update(merged_at=timezone.now() - datetime.timedelta(days=3))
    with pytest.raises(MergeError, match="undone for 2 days"):
        merge_undo(merge_id=merge.pk, user=None)
    assert Lead.objects.filter(merged_into=survivor).count() == 2


def test_recompute_keeps_merged_leads_with_their_survivor(group):
    group, _survivor, _older, newest = group
    group_merge(group_id=group.pk, user=None)
    Lead.objects.filter(pk=newest.pk).update(email="", phone="")  # no longer matches anything
    duplicates_find()
    newest.refresh_from_db()
    assert newest.duplicate_group_id == group.pk
