"""The search (`q`): contact numbers as people write them, and only indexed columns on PostgreSQL."""

import pytest
from django.db import connection

from leads.querysets import phone_search_digits, search_matches
from leads.search.models import LeadSearchText
from leads.selectors import lead_list
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


def titles(term: str) -> set[str]:
    return set(lead_list(filters={"q": term}, contact_search=True).values_list("title", flat=True))


@pytest.mark.parametrize("term", ["555-0199", "(415)", "415.555.0199", "+1-415-555-0199", "5550199"])
def test_a_phone_written_any_way_finds_the_lead_stored_in_e164(term):
    LeadFactory(title="wanted", phone="(415) 555-0199")
    LeadFactory(title="other", phone="510-555-0123")
    assert titles(term) == {"wanted"}


def test_a_phone_number_is_not_searched_without_the_contact_permission():
    LeadFactory(title="wanted", phone="(415) 555-0199")
    assert not lead_list(filters={"q": "555-0199"}, contact_search=False).exists()


@pytest.mark.parametrize(
    ("word", "digits"),
    [
        ("555-0199", "5550199"),
        ("(415)", "415"),
        ("12", ""),
        ("abc-123", ""),
        ("2-bed", ""),
        ("\uff14\uff11\uff15-555", ""),
    ],
)
def test_only_words_written_like_phone_numbers_are_read_as_digits(word, digits):
    assert phone_search_digits(word) == digits


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram indexes are PostgreSQL's")
@pytest.mark.parametrize("term", ["walnut", "555-0199", "jane@example.com"])
def test_every_column_a_search_reads_has_an_index_of_the_side_table(term):
    LeadFactory.create_batch(3)
    sql, params = (
        LeadSearchText.objects.filter(*search_matches(term, contacts=True)).values("lead_id").query.sql_with_params()
    )
    with connection.cursor() as cursor:
        # With sequential scans off, a searched column without an index still forces a read of every
        # row (a sequential scan, or a whole index read with a filter); indexed ones give a bitmap.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan" in plan, plan
    assert "Seq Scan" not in plan and "Filter:" not in plan, plan
