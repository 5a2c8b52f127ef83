"""LeadResource: columns, dedupe on location + source_post_id, the id rule, validation and all-or-nothing imports."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leads.models import Lead, LeadStatus
from leads.resources import LEAD_IMPORT_COLUMNS, LeadResource
from tests.factories import CategoryFactory, LeadFactory, LocationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites():
    return {
        "sfbay": LocationFactory(name="SF bay area", site_code="sfbay"),
        "newyork": LocationFactory(name="New York City", site_code="newyork"),
        "sss": CategoryFactory(name="for sale", code="sss"),
        "cta": CategoryFactory(name="cars+trucks", code="cta"),
    }


def dataset(*rows: dict) -> tablib.Dataset:
    headers = list(dict.fromkeys(key for row in rows for key in row))
    return tablib.Dataset(*[[row.get(key, "") for key in headers] for row in rows], headers=headers)


def row(**values) -> dict:
    base = {"source_post_id": "7001", "location": "sfbay", "category": "sss", "title": "Oak table"}
    return {**base, **values}


def run(*rows: dict, dry_run: bool = False):
    return LeadResource().import_data(dataset(*rows), dry_run=dry_run)


def field_errors(result) -> dict[int, dict[str, list[str]]]:
    return {invalid.number: invalid.error_dict for invalid in result.invalid_rows}


def test_the_columns_are_the_import_columns_in_order():
    assert [field.column_name for field in LeadResource().get_import_fields()] == list(LEAD_IMPORT_COLUMNS)


def test_a_new_row_fills_every_field(sites, settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    result = run(
        row(
            url=" https://sfbay.craigslist.org/7001.html ",
            description="Seats six.",
            price="$1,200.50",
            status="Contacted",
            contact_name="Pat Doe",
            email="pat@example.com",
            phone="415-555-0100",
            posted_at="2026-03-01T09:30:00-05:00",
            scraped_at="2026-03-02 08:00",
        )
    )

    assert not result.has_errors() and not result.has_validation_errors()
    lead = Lead.objects.get()
    assert (lead.location, lead.category) == (sites["sfbay"], sites["sss"])
    assert lead.source_post_id == "7001"
    assert lead.url == "https://sfbay.craigslist.org/7001.html"
    assert (lead.title, lead.description) == ("Oak table", "Seats six.")
    assert lead.price == Decimal("1200.50")
    assert lead.status == LeadStatus.CONTACTED
    assert (lead.contact_name, lead.email, lead.phone) == ("Pat Doe", "pat@example.com", "415-555-0100")
    assert lead.posted_at == datetime.datetime(2026, 3, 1, 14, 30, tzinfo=datetime.UTC)
    # No offset: the site's time zone.
    la = zoneinfo.ZoneInfo("America/Los_Angeles")
    assert lead.scraped_at == datetime.datetime(2026, 3, 2, 8, 0, tzinfo=la)


def test_codes_and_status_labels_are_read_in_any_case(sites):
    run(row(location="SFBay", category=" CTA ", status="QUALIFIED"), row(source_post_id="7002", status="rejected"))

    first, second = Lead.objects.order_by("source_post_id")
    assert (first.location, first.category, first.status) == (sites["sfbay"], sites["cta"], LeadStatus.QUALIFIED)
    assert second.status == LeadStatus.REJECTED


def test_blank_status_and_scraped_at_take_the_defaults_for_a_new_lead(sites):
    before = timezone.now()
    run(row(status="", scraped_at="", price="", posted_at=""))

    lead = Lead.objects.get()
    assert lead.status == LeadStatus.NEW
    assert lead.scraped_at >= before
    assert lead.price is None and lead.posted_at is None


def test_a_row_whose_location_and_post_id_exist_updates_that_lead(sites):
    lead = LeadFactory(location=sites["sfbay"], category=sites["sss"], source_post_id="7001", title="Old title")

    result = run(row(title="New title", status="converted"))

    assert result.totals["update"] == 1 and result.totals["new"] == 0
    assert Lead.objects.count() == 1
    lead.refresh_from_db()
    assert (lead.title, lead.status) == ("New title", LeadStatus.CONVERTED)


def test_the_same_post_id_at_another_location_is_another_lead(sites):
    LeadFactory(location=sites["sfbay"], category=sites["sss"], source_post_id="7001")

    result = run(row(location="newyork"))

    assert result.totals["new"] == 1
    assert Lead.objects.filter(source_post_id="7001").count() == 2


def test_importing_the_same_rows_twice_creates_nothing_new(sites):
    rows = [row(source_post_id=str(7000 + n), price="10.5", posted_at="2026-03-01T10:00:00+00:00") for n in range(3)]
    run(*rows)

    again = run(*rows)

    assert Lead.objects.count() == 3
    assert (again.totals["new"], again.totals["update"], again.totals["skip"]) == (0, 0, 3)


def test_a_file_with_whole_seconds_does_not_rewrite_stored_microseconds(sites):
    moment = datetime.datetime(2026, 3, 1, 10, 0, 0, 123456, tzinfo=datetime.UTC)
    lead = LeadFactory(location=sites["sfbay"], category=sites["sss"], source_post_id="7001", scraped_at=moment)

    result = run(row(title=lead.title, price=str(lead.price), email=lead.email, scraped_at="2026-03-01T10:00:00+00:00"))

    assert result.totals["skip"] == 1
    lead.refresh_from_db()
    assert lead.scraped_at == moment


def test_blank_status_keeps_the_lead_status_and_blank_price_clears_the_price(sites):
    lead = LeadFactory(
        location=sites["sfbay"], category=sites["sss"], source_post_id="7001", status=LeadStatus.QUALIFIED
    )

    run(row(status="", price=""))

    lead.refresh_from_db()
    assert lead.status == LeadStatus.QUALIFIED
    assert lead.price is None


def test_columns_left_out_of_the_file_are_left_as_they_are(sites):
    lead = LeadFactory(location=sites["sfbay"], category=sites["sss"], source_post_id="7001", title="Kept")

    run({"source_post_id": "7001", "location": "sfbay", "status": "contacted"})

    lead.refresh_from_db()
    assert (lead.title, lead.category, lead.status) == ("Kept", sites["sss"], LeadStatus.CONTACTED)


def test_a_new_lead_needs_the_title_and_category_columns(sites):
    result = run({"source_post_id": "7001", "location": "sfbay", "status": "new"})

    errors = field_errors(result)[1]
    assert "the file has no “title” column" in errors["title"][0]
    assert "the file has no “category” column" in errors["category"][0]
    assert not Lead.objects.exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"location": "atlantis"}, "location", "Unknown location site code “atlantis”."),
        ({"location": ""}, "location", "Give the location site code, e.g. sfbay."),
        ({"category": "zzz"}, "category", "Unknown category code “zzz”."),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"status": "hot"}, "status", "“hot” is not a lead status"),
        ({"price": "cheap"}, "price", "“cheap” is not a price"),
        ({"price": "123.456"}, "price", "no more than 2 decimal places"),
        ({"title": ""}, "title", "This field cannot be blank."),
        ({"url": "not a url"}, "url", "Enter a valid URL."),
        ({"posted_at": "yesterday"}, "posted_at", "“yesterday” is not a date and time"),
        ({"posted_at": "2026-02-30"}, "posted_at", "“2026-02-30” is not a date and time"),
        ({"source_post_id": ""}, "source_post_id", "This field cannot be blank."),
    ],
)
def test_a_bad_value_is_a_row_error_on_its_field(sites, values, field, message):
    result = run(row(**values))

    errors = field_errors(result)
    assert list(errors) == [1]
    assert any(message in text for text in errors[1][field]), errors[1]
    assert not Lead.objects.exists()


def test_one_bad_row_means_nothing_is_imported(sites):
    existing = LeadFactory(location=sites["sfbay"], category=sites["sss"], source_post_id="7001", title="Before")

    result = run(
        row(title="After"),  # an update
        row(source_post_id="7002"),  # a new lead
        row(source_post_id="7003", email="bad"),
    )

    assert list(field_errors(result)) == [3]
    assert Lead.objects.count() == 1
    existing.refresh_from_db()
    assert existing.title == "Before"


def test_a_dry_run_reports_but_saves_nothing(sites):
    result = run(row(), row(source_post_id="7002"), dry_run=True)

    assert result.totals["new"] == 2
    assert not Lead.objects.exists()


def test_a_pair_given_twice_in_one_file_is_one_lead_with_the_later_values(sites):
    result = run(row(title="First"), row(title="Second"))

    assert (result.totals["new"], result.totals["update"]) == (1, 1)
    assert Lead.objects.get().title == "Second"


class TestIdRule:
    def test_a_matching_id_updates_the_lead(self, sites):
        lead = LeadFactory(location=sites["sfbay"], category=sites["sss"], source_post_id="7001")

        result = run(row(id=str(lead.pk), status="converted"))

        assert result.totals["update"] == 1
        lead.refresh_from_db()
        assert lead.status == LeadStatus.CONVERTED

    def test_an_id_of_another_lead_is_refused(self, sites):
        lead = LeadFactory(location=sites["sfbay"], category=sites["sss"], source_post_id="7001")
        other = LeadFactory(location=sites["sfbay"], category=sites["sss"], source_post_id="7002", title="Other")

        result = run(row(id=str(other.pk), title="Changed"))

        message = field_errors(result)[1]["id"][0]
        assert f"Id {other.pk} does not match" in message and f"lead {lead.pk}'s" in message
        other.refresh_from_db()
        assert other.title == "Other"

    def test_an_id_cannot_move_a_lead_to_another_post_id(self, sites):
        lead = LeadFactory(location=sites["sfbay"], category=sites["sss"], source_post_id="7001")

        result = run(row(id=str(lead.pk), source_post_id="9999"))

        message = field_errors(result)[1]["id"][0]
        assert f"Lead {lead.pk} is post 7001 at sfbay" in message
        assert Lead.objects.get().source_post_id == "7001"

    def test_an_unknown_id_is_refused_rather_than_creating_a_lead(self, sites):
        result = run(row(id="424242"))

        assert field_errors(result)[1]["id"] == ["No lead has id 424242. Leave id empty to add a new lead."]
        assert not Lead.objects.exists()

    @pytest.mark.parametrize("value", ["abc", "-3", "1.5", "0"])
    def test_an_id_that_is_not_a_whole_number_is_refused(self, sites, value):
        result = run(row(id=value))

        assert "is not a lead id" in field_errors(result)[1]["id"][0]

    def test_a_blank_id_adds_or_updates_by_location_and_post_id(self, sites):
        result = run(row(id=""), row(id=" ", source_post_id="7002"))

        assert result.totals["new"] == 2


def test_a_json_exports_nested_location_and_category_objects_are_read(sites):
    result = run(
        row(location={"id": 1, "name": "SF bay area", "site_code": "sfbay"}, category={"name": "x", "code": "cta"})
    )

    assert not result.has_validation_errors()
    lead = Lead.objects.get()
    assert (lead.location, lead.category) == (sites["sfbay"], sites["cta"])


def test_spreadsheet_numbers_are_read_as_text_and_money(sites):
    result = run(row(source_post_id=7001.0, phone=4155550100, price=19.99, id=None))

    assert not result.has_validation_errors()
    lead = Lead.objects.get()
    assert (lead.source_post_id, lead.phone, lead.price) == ("7001", "4155550100", Decimal("19.99"))


def test_an_invalid_row_does_not_leak_into_a_later_row_of_the_same_lead(sites):
    lead = LeadFactory(location=sites["sfbay"], category=sites["sss"], source_post_id="7001", title="Oak table")

    result = run(row(email="bad"), row(title="Oak table, seats six"))

    assert list(field_errors(result)) == [1]  # row 2 is judged on its own values, not on row 1's bad e-mail
    lead.refresh_from_db()
    assert lead.title == "Oak table"  # and still nothing is saved


def test_the_leads_of_a_file_are_looked_up_together_not_row_by_row(sites):
    leads = [
        LeadFactory(location=sites["sfbay"], category=sites["sss"], source_post_id=str(7000 + n)) for n in range(20)
    ]
    rows = [row(source_post_id=lead.source_post_id, title=lead.title, email=lead.email) for lead in leads]
    data = dataset(*rows)

    with CaptureQueriesContext(connection) as queries:
        result = LeadResource().import_data(data)

    assert result.totals["skip"] == 20
    lead_selects = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT") and "leads_lead" in q["sql"]
    ]
    assert len(lead_selects) == 1
