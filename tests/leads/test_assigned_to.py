"""The spec's `assigned_to`: a user id, `none`, or `me` (the request's user) everywhere the spec is read."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from leads.filters import filters_from_query
from leads.selectors import LeadFilterError, lead_filters_normalize, lead_list
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    ann, bob = User.objects.create_user("ann", is_staff=True), User.objects.create_user("bob")
    leads = {"ann": LeadFactory(assigned_to=ann), "bob": LeadFactory(assigned_to=bob), "nobody": LeadFactory()}
    return ann, bob, leads


def titles(queryset, leads) -> set[str]:
    names = {lead.pk: name for name, lead in leads.items()}
    return {names[pk] for pk in queryset.values_list("pk", flat=True)}


def test_by_id_none_and_me(people):
    ann, bob, leads = people
    assert titles(lead_list(filters={"assigned_to": str(bob.pk)}), leads) == {"bob"}
    assert titles(lead_list(filters={"assigned_to": "none"}), leads) == {"nobody"}
    spec = lead_filters_normalize(filters={"assigned_to": "me"}, user=ann)
    assert spec == {"assigned_to": ann.pk}  # stored specs name the user
    assert titles(lead_list(filters=spec), leads) == {"ann"}


def test_me_without_a_user_and_unknown_ids_are_refused(people):
    with pytest.raises(LeadFilterError) as caught:
        lead_filters_normalize(filters={"assigned_to": "me"})
    assert "signed-in user" in caught.value.message_dict["assigned_to"][0]
    with pytest.raises(LeadFilterError) as caught:
        lead_filters_normalize(filters={"assigned_to": "99999"})
    assert caught.value.message_dict["assigned_to"] == ["There is no user with id 99999."]


def test_the_query_string_reader_resolves_me(people):
    ann, _, _ = people
    from django.http import QueryDict

    assert filters_from_query(QueryDict("assigned_to=me"), user=ann) == {"assigned_to": str(ann.pk)}
    assert filters_from_query(QueryDict("assigned_to=me")) == {"assigned_to": "me"}


def test_the_changelist_and_the_api_read_assigned_to_me(client, people):
    ann, _, leads = people
    ann.is_superuser = True
    ann.save()
    client.force_login(ann)
    html = client.get("/admin/leads/lead/?assigned_to=me").content.decode()
    assert leads["ann"].title in html and leads["bob"].title not in html
    data = client.get("/api/v1/export/analytics/leads?assigned_to=me").json()
    assert data["totals"]["leads"] == 1


def test_the_command_line_takes_assigned_to(people, capsys):
    import json

    call_command("lead_analytics", "--assigned-to", "none", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["filters"] == {"assigned_to": "none"}
    assert report["exportable_data"]["total_leads"] == 1
    with pytest.raises(CommandError) as caught:
        call_command("lead_analytics", "--assigned-to", "me")
    assert "signed-in user" in str(caught.value)
