"""The text filters (q, keywords, exclude_keywords) read the side table on PostgreSQL, the lead columns elsewhere."""

import pytest
from django.db import connection

from leads.models import Lead
from leads.search.models import LeadSearchText
from leads.selectors import lead_list
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

SIDE_TABLE = LeadSearchText._meta.db_table


@pytest.fixture
def leads():
    LeadFactory(title="Walnut dresser", description="solid wood", source_post_id="7600500003")
    LeadFactory(title="Oak table", description="walnut legs", email="pat@example.com")
    LeadFactory(title="Bike", description="", phone="(415) 555-0165")  # stored as +14155550165


def titles(filters) -> set[str]:
    return set(lead_list(filters=filters).values_list("title", flat=True))


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"q": "walnut"}, {"Walnut dresser", "Oak table"}),
        ({"q": "WALNUT dresser"}, {"Walnut dresser"}),
        ({"q": "7600500003"}, {"Walnut dresser"}),
        ({"q": "pat@example"}, {"Oak table"}),
        ({"q": "555-0165"}, {"Bike"}),
        ({"q": "100%"}, set()),
        ({"keywords": "walnut"}, {"Walnut dresser", "Oak table"}),
        ({"keywords": "walnut,legs"}, {"Oak table"}),
        ({"exclude_keywords": "walnut"}, {"Bike"}),
        ({"exclude_keywords": "dresser,bike"}, {"Oak table"}),
        ({"keywords": "walnut", "exclude_keywords": "legs", "q": "solid"}, {"Walnut dresser"}),
    ],
)
def test_text_filters_select_the_same_leads_on_every_database(leads, filters, expected):
    assert titles(filters) == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL has the side table")
def test_on_postgresql_each_text_filter_is_one_subquery_of_the_side_table(leads):
    for filters in ({"q": "walnut dresser"}, {"keywords": "walnut,legs"}, {"exclude_keywords": "a,b"}):
        sql = str(lead_list(filters=filters).query)
        assert sql.count(f'FROM "{SIDE_TABLE}"') == 1, sql
        assert 'UPPER("leads_lead"."title"' not in sql


def test_a_search_finds_leads_changed_after_they_were_added(leads):
    Lead.objects.filter(title="Bike").update(title="Walnut bike")
    assert titles({"q": "walnut bike"}) == {"Walnut bike"}
