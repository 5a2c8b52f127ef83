import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exports.content.columns import ValueMode, columns_resolve
from exports.content.rows import lead_rows, preview_rows
from leads.selectors import lead_list
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def some_leads(settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    moment = datetime.datetime(2026, 11, 27, 17, 30, tzinfo=datetime.UTC)
    return [LeadFactory(scraped_at=moment - datetime.timedelta(minutes=n), status="contacted") for n in range(7)]


def test_rows_follow_the_filtered_list_in_one_query_without_model_instances(some_leads):
    columns = columns_resolve(keys=["id", "status", "location", "category"], include_contact_info=False)
    filters = {"limit": 5}

    with CaptureQueriesContext(connection) as queries:
        rows = [list(row) for row in lead_rows(filters=filters, columns=columns, mode=ValueMode.READABLE, chunk_size=2)]

    assert len(queries) == 1
    assert "JOIN" in queries[0]["sql"]  # location and category come with the same query
    expected = [[lead.pk, "Contacted", lead.location.name, lead.category.name] for lead in lead_list(filters=filters)]
    assert rows == expected


def test_preview_rows_are_display_strings_of_the_first_rows(some_leads):
    columns = columns_resolve(keys=["title", "price", "scraped_at", "status"], include_contact_info=False)

    rows = preview_rows(filters={}, columns=columns, limit=3)

    first = lead_list(filters={})[0]
    assert len(rows) == 3
    assert rows[0] == [first.title, "100.00", "2026-11-27 09:30:00", "Contacted"]
    assert all(isinstance(value, str) for row in rows for value in row)
