"""The spec's `duplicates` parameter, through the FilterSet and the lead list."""

import pytest
from django.urls import reverse

from leads.duplicates.grouping import duplicates_find
from leads.selectors import LeadFilterError, lead_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def leads(make_lead):
    first = make_lead(email="pat@example.com", days_ago=3, title="Oak table first")
    repost = make_lead(email="pat@example.com", days_ago=1, title="Oak table repost")
    alone = make_lead(title="Alone lead")
    duplicates_find()
    return first, repost, alone


def ids(spec):
    return set(lead_list(filters=spec).values_list("pk", flat=True))


def test_first_keeps_the_earliest_of_each_group_and_the_leads_alone(leads):
    first, _repost, alone = leads
    assert ids({"duplicates": "first"}) == {first.pk, alone.pk}


def test_repeated_keeps_only_grouped_leads(leads):
    first, repost, alone = leads
    assert ids({"duplicates": "repeated"}) == {first.pk, repost.pk}
    assert ids({}) == {first.pk, repost.pk, alone.pk}


def test_an_unknown_value_is_a_clear_error(leads):
    with pytest.raises(LeadFilterError) as error:
        lead_list(filters={"duplicates": "some"})
    assert "duplicates" in error.value.message_dict


def test_changelist_filters_and_shows_group_size(admin_client, leads):
    first, _repost, _alone = leads
    response = admin_client.get(reverse("admin:leads_lead_changelist"), {"duplicates": "repeated"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Oak table repost" in html and "Alone lead" not in html
    assert html.count('title="2 leads in its duplicate group">2</a>') == 2
    first.refresh_from_db()
    assert reverse("duplicates:group", args=[first.duplicate_group_id]) in html
