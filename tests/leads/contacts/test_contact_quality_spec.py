"""The spec parameter `contact_quality`: FilterSet, command line, admin sidebar and list column."""

import argparse

import pytest
from django.urls import reverse

from leads.cli import add_filter_arguments, filters_from_options
from leads.filters import LeadFilterSet, filters_from_query, spec_to_query_string
from tests.exports.factories import UserFactory
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:leads_lead_changelist")


@pytest.fixture
def leads():
    return {
        "valid": LeadFactory(title="Valid phone", email="", phone="(415) 555-0165"),
        "mixed": LeadFactory(title="Bad e-mail, good phone", email="jane at", phone="415 555 0123"),
        "invalid": LeadFactory(title="Bad phone", email="", phone="555-1234"),
        "none": LeadFactory(title="No contact", email="", phone="", description="Oak table."),
        "extracted": LeadFactory(title="In the text", email="", phone="", description="call 415 555 0199"),
    }


def titles(spec) -> set[str]:
    filterset = LeadFilterSet(spec)
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("title", flat=True))


def test_each_quality_selects_its_leads(leads):
    assert titles({"contact_quality": "valid"}) == {"Valid phone", "Bad e-mail, good phone", "In the text"}
    assert titles({"contact_quality": "invalid"}) == {"Bad phone"}
    assert titles({"contact_quality": "none"}) == {"No contact"}


def test_several_qualities_are_ored(leads):
    assert titles({"contact_quality": "invalid,none"}) == {"Bad phone", "No contact"}
    assert titles({"contact_quality": ["invalid", "none"]}) == {"Bad phone", "No contact"}


@pytest.mark.parametrize("value", ["great", "pending", "VALID!"])
def test_an_unknown_quality_is_an_error_naming_the_choices(value):
    filterset = LeadFilterSet({"contact_quality": value})
    assert not filterset.is_valid()
    assert "contact_quality" in filterset.errors


def test_the_spec_round_trips(leads):
    filterset = LeadFilterSet({"contact_quality": "none,invalid"})
    assert filterset.is_valid()
    spec = filterset.normalized_spec()
    assert spec == {"contact_quality": ["none", "invalid"]}
    assert filters_from_query(_query(spec_to_query_string(spec))) == {"contact_quality": ["none", "invalid"]}


def _query(text: str):
    from django.http import QueryDict

    return QueryDict(text)


def test_the_command_line_has_the_option():
    parser = argparse.ArgumentParser()
    add_filter_arguments(parser)
    options = vars(parser.parse_args(["--contact-quality", "valid", "--contact-quality", "none"]))
    assert filters_from_options(options) == {"contact_quality": ["valid", "none"]}


def test_the_openapi_schema_lists_the_parameter(admin_client):
    response = admin_client.get(reverse("api-schema"))
    assert response.status_code == 200
    assert b"contact_quality" in response.content


def test_the_admin_list_filters_by_quality_and_shows_a_sidebar_section(admin_client, leads):
    response = admin_client.get(CHANGELIST, {"contact_quality": "invalid"})
    assert response.status_code == 200
    assert [lead.title for lead in response.context["cl"].result_list] == ["Bad phone"]
    html = response.content.decode()
    assert "By contact quality" in html or "contact quality" in html
    assert '<span class="lead-badge lead-badge--red">Invalid</span>' in html


def test_the_list_shows_quality_but_no_values_without_the_contact_permission(client, leads):
    user = UserFactory(username="sales", permissions=["leads.view_lead"])
    client.force_login(user)

    response = client.get(CHANGELIST, {"contact_quality": "valid"})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<span class="lead-badge lead-badge--green">Valid (found in text)</span>' in html
    for value in ("+14155550165", "555-0165", "+14155550199", "+14155550123", "jane at"):
        assert value not in html
    assert len(response.context["cl"].result_list) == 3
