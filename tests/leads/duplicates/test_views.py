"""The Duplicates admin pages: groups newest first, the merge plan shown before confirming, merge and undo."""

import pytest
from django.urls import reverse

from leads.duplicates.grouping import duplicates_find
from leads.models import DuplicateGroup, Lead, LeadMerge

pytestmark = pytest.mark.django_db
LIST = reverse("duplicates:list")


@pytest.fixture
def groups(make_lead):
    old_pair = [make_lead(email="old@example.com", days_ago=days, title=f"Old pair {days}") for days in (9, 8)]
    new_pair = [make_lead(phone="4155550111", days_ago=days, title=f"New pair {days}") for days in (2, 1)]
    duplicates_find()
    return old_pair, new_pair


def test_list_shows_groups_newest_first(admin_client, groups):
    _old_pair, _new_pair = groups
    html = admin_client.get(LIST).content.decode()
    assert html.index("New pair 2") < html.index("Old pair 9")
    assert "2 groups" in html


def test_group_page_shows_which_values_win_before_merging(admin_client, groups):
    _, (first, _second) = groups
    first.refresh_from_db()
    html = admin_client.get(reverse("duplicates:group", args=[first.duplicate_group_id])).content.decode()
    assert f"Merge into lead #{first.pk}" in html
    assert 'data-field="title"' in html and "New pair 2" in html
    assert not LeadMerge.objects.exists()  # showing the plan changes nothing


def test_merge_then_undo_through_the_pages(admin_client, groups):
    _, (first, second) = groups
    first.refresh_from_db()
    response = admin_client.post(reverse("duplicates:merge", args=[first.duplicate_group_id]), follow=True)
    assert f"into lead #{first.pk}" in response.content.decode()
    assert Lead.objects.get(pk=second.pk).merged_into_id == first.pk
    merge = LeadMerge.objects.get()
    assert 'value="Undo merge"' in response.content.decode()
    response = admin_client.post(reverse("duplicates:undo", args=[merge.pk]), follow=True)
    assert "Undid the merge" in response.content.decode()
    assert Lead.objects.get(pk=second.pk).merged_into_id is None


def test_merging_a_missing_group_is_a_message_not_an_error(admin_client, groups):
    missing = DuplicateGroup.objects.order_by("-pk").first().pk + 100
    response = admin_client.post(reverse("duplicates:merge", args=[missing]), follow=True)
    assert response.status_code == 200
    assert "no longer exists" in response.content.decode()
    assert admin_client.get(reverse("duplicates:group", args=[missing])).status_code == 404
