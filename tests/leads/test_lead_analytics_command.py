"""manage.py lead_analytics: the same figures as the dashboard, as text or JSON."""

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from tests.factories import LeadFactory, LocationFactory, ScrapeRunFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("lead_analytics", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def data():
    sf = LocationFactory(name="SF bay area", site_code="sfbay")
    ny = LocationFactory(name="New York City", site_code="newyork")
    LeadFactory.create_batch(3, location=sf, status="converted", price="100.00")
    LeadFactory.create_batch(2, location=ny, status="new", price="300.00", email="")
    ScrapeRunFactory(location=sf, status="failed", error="HTTP 403 from Craigslist")


def test_json_parses_and_holds_every_section(data):
    report = json.loads(run("--json"))

    assert set(report) == {"generated_at", "filters", "leads", "performance", "exportable_data"}
    assert report["leads"]["totals"]["leads"] == 5
    assert report["leads"]["price"]["median"] == "100.00"
    assert report["performance"]["runs"]["failed"] == 1
    assert report["exportable_data"]["with_email"] == 3


def test_filter_options_reach_the_selectors(data):
    report = json.loads(run("--json", "--status", "new,qualified", "--location-names", "newyork", "--has-email", "no"))

    assert report["filters"] == {"status": ["new", "qualified"], "location_names": ["newyork"], "has_email": False}
    assert report["leads"]["totals"]["leads"] == 2
    assert report["performance"]["applied_filters"] == ["location_names"]
    assert report["performance"]["runs"]["total"] == 0


def test_text_output_has_the_sections_and_figures(data):
    text = run()

    for heading in (
        "Lead analytics",
        "Filters: none (all leads)",
        "Status funnel",
        "By location",
        "Contact availability",
        "Prices",
        "Price distribution",
        "Scraping performance",
        "Latest failures",
        "Exportable data",
    ):
        assert heading in text
    assert "HTTP 403 from Craigslist" in text
    assert re.search(r"^  Leads +5$", text, re.MULTILINE)
    assert "Converted        3 (60.0 %)" in text


def test_rows_limits_the_breakdown_tables(data):
    text = run("--rows", "1")
    assert "... 1 more (--rows 0 shows all)" in text
    assert "more (--rows 0" not in run("--rows", "0")


def test_invalid_filters_are_a_command_error_with_the_field_messages():
    with pytest.raises(CommandError) as error:
        run("--date-from", "tomorrow", "--min-price", "-2")
    message = str(error.value)
    assert message.startswith("Invalid filters.")
    assert "date_from: Enter a valid date as YYYY-MM-DD." in message
    assert "min_price:" in message


def test_invalid_filters_exit_non_zero_from_the_shell():
    from django.core.management import ManagementUtility

    utility = ManagementUtility(["manage.py", "lead_analytics", "--status", "won"])
    with pytest.raises(SystemExit) as exit_info:
        utility.execute()
    assert exit_info.value.code == 1


def test_empty_database_prints_zeros():
    text = run()
    assert "(none)" in text
    report = json.loads(run("--json"))
    assert report["leads"]["totals"]["leads"] == 0
