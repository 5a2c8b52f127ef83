"""The Duplicates admin pages: groups newest first, the merge plan shown before confirming, merge and undo."""

import pytest
from django.urls import reverse
from django.utils import timezone

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


def test_the_lead_page_shows_its_duplicate_group_with_contact_values_only_under_the_permission(client, make_lead):
    from tests.exports.factories import UserFactory

    first = make_lead(phone="4155550111", email="pat@example.com", days_ago=3, title="Trek bike sfbay")
    repost = make_lead(phone="4155550111", days_ago=1, title="Trek bike again")
    alone = make_lead(title="Nobody else")
    duplicates_find()
    first.refresh_from_db()
    group_url = reverse("duplicates:group", args=[first.duplicate_group_id])

    manager = UserFactory(
        username="boss", permissions=["leads.view_lead", "leads.change_lead", "exports.view_contact_info"]
    )
    client.force_login(manager)
    html = client.get(reverse("admin:leads_lead_change", args=[repost.pk])).content.decode()
    section = html[html.index('id="lead-duplicate-group"') :]
    assert "<strong>2 leads</strong>" in section and f'href="{group_url}"' in section
    assert f"#{first.pk} Trek bike sfbay" in section and "SF bay area" in section
    assert timezone.localtime(first.scraped_at).isoformat()[:16] in section  # the other lead's date found
    assert "pat@example.com" in section and "+14155550111" in section

    sales = UserFactory(username="sales", permissions=["leads.view_lead", "leads.change_lead"])
    client.force_login(sales)
    html = client.get(reverse("admin:leads_lead_change", args=[repost.pk])).content.decode()
    section = html[html.index('id="lead-duplicate-group"') :]
    assert f"#{first.pk} Trek bike sfbay" in section
    assert "pat@example.com" not in html and "4155550111" not in html

    html = client.get(reverse("admin:leads_lead_change", args=[alone.pk])).content.decode()
    assert 'id="lead-duplicate-group"' not in html
