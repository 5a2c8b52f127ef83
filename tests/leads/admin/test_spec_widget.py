"""The lead list's sidebar controls as a form field: a stored spec shows in them, and what is ticked reads back."""

from html.parser import HTMLParser

import pytest
from django.http import QueryDict

from leads.admin.sidebar import LEAD_LIST_FILTERS
from leads.admin.spec_widget import LeadSpecField, LeadSpecWidget, sidebar_sections
from leads.selectors import lead_filters_normalize
from tests.exports.factories import UserFactory
from tests.factories import CategoryFactory, LocationFactory

pytestmark = pytest.mark.django_db


class Submitted(HTMLParser):
    """What a browser sends for the rendered inputs: ticked boxes and radios, text, hidden values."""

    def __init__(self):
        super().__init__()
        self.data = QueryDict(mutable=True)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag != "input" or "name" not in attrs:
            return
        if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
            return
        self.data.appendlist(attrs["name"], attrs.get("value") or "")


def submit(widget: LeadSpecWidget, value) -> dict:
    parser = Submitted()
    parser.feed(widget.render("filters", value))
    return widget.value_from_datadict(parser.data, {}, "filters")


@pytest.fixture
def places():
    return (
        LocationFactory(name="SF Bay Area", site_code="sfbay"),
        LocationFactory(name="Oakland", site_code="oak"),
        CategoryFactory(code="bia", name="Bikes"),
    )


def test_the_sections_are_the_sidebars_in_its_order(places):
    titles = [section.title for section in sidebar_sections()]
    sidebar = [str(f.title) for f in LEAD_LIST_FILTERS if f.title != "other filters"]
    assert titles == ["search", *sidebar]
    by_title = {section.title: section for section in sidebar_sections()}
    assert ("bia", "Bikes") in by_title["category"].choices
    assert [label for _, label in by_title["e-mail"].choices] == ["All", "With e-mail", "Without e-mail"]
    assert [item.label for item in by_title["price"].inputs] == ["Min ($)", "Max ($)"]
    assert [value for value, _ in by_title["duplicates"].choices] == ["", "first", "repeated"]


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"status": "new,contacted", "has_email": "true", "min_price": "50", "max_price": "3000.5"},
        {"date_from": "2026-11-01", "date_to": "2026-11-30", "keywords": "oak,vintage", "exclude_keywords": "broken"},
        {"categories": "bia", "contact_quality": "valid,none", "has_phone": "false", "q": "red chair"},
        {"ids": "3,4,5", "limit": "20", "duplicates": "first", "location_names": "sfbay"},
        {"assigned_to": "none"},
    ],
)
def test_a_stored_spec_reads_back_the_same_through_the_controls(places, filters):
    spec = lead_filters_normalize(filters=filters)
    assert lead_filters_normalize(filters=submit(LeadSpecWidget(), spec)) == spec


def test_locations_are_ticked_by_id_and_other_assignees_keep_their_choice(places):
    sf, oakland, _ = places
    owner, colleague = UserFactory(username="owner"), UserFactory(username="colleague")
    widget = LeadSpecWidget()
    widget.me = owner.pk
    spec = {"location_ids": [sf.pk, oakland.pk], "assigned_to": owner.pk}
    html = widget.render("filters", spec)
    assert f'name="filters-location_ids" value="{sf.pk}" checked' in html
    assert 'name="filters-assigned_to" value="me" checked' in html  # the owner is "Me"
    assert lead_filters_normalize(filters=submit(widget, spec), user=owner) == spec

    other = {"assigned_to": colleague.pk}
    assert f'value="{colleague.pk}" checked> User {colleague.pk}' in widget.render("filters", other)
    assert lead_filters_normalize(filters=submit(widget, other), user=owner) == other


def test_unticking_an_other_filter_drops_it_and_a_value_no_choice_matches_is_kept(places):
    spec = {"status": ["new"], "ids": [3, 4], "categories": ["Bikes", "Boats"]}
    html = LeadSpecWidget().render("filters", spec)
    assert "Lead ids" not in html and "2 selected leads" in html  # the summary's words
    assert "Category names or codes: Boats" in html  # no category named Boats: kept, not lost
    assert 'name="filters-categories" value="bia" checked' in html  # named, ticked as the sidebar does

    parser = Submitted()
    parser.feed(html)
    parser.data.setlist("filters-keep", [key for key in parser.data.getlist("filters-keep") if key != "ids"])
    assert LeadSpecWidget().value_from_datadict(parser.data, {}, "filters") == {
        "status": ["new"],
        "categories": ["bia", "Boats"],
    }


def test_the_field_cleans_to_raw_values_and_leaves_validation_to_the_filterset():
    field = LeadSpecField()
    assert field.clean({"min_price": "not a number"}) == {"min_price": "not a number"}
    assert field.clean(None) == {}
    assert not field.required
