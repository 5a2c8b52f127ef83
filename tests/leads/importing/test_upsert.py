"""leads_upsert: outcomes per row, dedupe on location + source_post_id, the id rule, set-based writes."""

import datetime
import zoneinfo
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leads.importing.upsert import DATABASE_REFUSED, Outcome, leads_upsert
from leads.models import Lead, LeadStatus
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


def row(**values) -> dict:
    base = {"source_post_id": "7001", "location": "sfbay", "category": "sss", "title": "Oak table"}
    return {**base, **values}


def run(*rows: dict, write: bool = True):
    return list(leads_upsert(rows=rows, write=write))


def counts(outcomes) -> Counter:
    return Counter(outcome.outcome for outcome in outcomes)


def errors(outcomes) -> dict[int, dict[str, list[str]]]:
    return {outcome.number: outcome.errors for outcome in outcomes if outcome.errors}


def test_a_new_row_fills_every_field(sites, settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    outcomes = run(
        row(
            url="https://sfbay.craigslist.org/7001.html",
            description="Seats six",
            price="$1,200.50",
            status="Contacted",
            contact_name="Pat",
            email="pat@example.com",
            phone="+1 415 555 0100",
            posted_at="2026-11-27T09:30:00",
            scraped_at="2026-11-28",
        )
    )

    assert [(o.outcome, o.errors) for o in outcomes] == [(Outcome.CREATED, {})]
    lead = Lead.objects.get()
    assert outcomes[0].lead_id == lead.pk
    zone = zoneinfo.ZoneInfo("America/Los_Angeles")
    assert (lead.price, lead.status, lead.email, lead.phone) == (
        Decimal("1200.50"),
        LeadStatus.CONTACTED,
        "pat@example.com",
        "+14155550100",
    )
    assert (lead.phone_as_posted, lead.contact_quality, lead.contact_extracted) == ("+1 415 555 0100", "valid", False)
    assert lead.posted_at == datetime.datetime(2026, 11, 27, 9, 30, tzinfo=zone)
    assert lead.scraped_at == datetime.datetime(2026, 11, 28, tzinfo=zone)
    assert (lead.location.site_code, lead.category.code, lead.description) == ("sfbay", "sss", "Seats six")


def test_locations_and_categories_are_found_by_code_or_name_in_any_case(sites):
    outcomes = run(
        row(location="SFBAY", category="For Sale"),
        row(source_post_id="7002", location="new york city", category="CTA"),
    )

    assert counts(outcomes) == {Outcome.CREATED: 2}
    leads = {lead.source_post_id: lead for lead in Lead.objects.all()}
    assert (leads["7001"].location, leads["7001"].category) == (sites["sfbay"], sites["sss"])
    assert (leads["7002"].location, leads["7002"].category) == (sites["newyork"], sites["cta"])


def test_a_name_two_locations_share_asks_for_the_code(sites):
    from tests.factories import LocationFactory

    LocationFactory(name="SF bay area", site_code="sfbay2")

    outcomes = run(row(location="SF bay area"))

    assert errors(outcomes) == {1: {"location": ["several locations are named “SF bay area”; give its code"]}}


def test_blank_status_and_scraped_at_take_the_defaults_for_a_new_lead(sites):
    before = timezone.now()
    run(row(status="", scraped_at=""))

    lead = Lead.objects.get()
    assert lead.status == LeadStatus.NEW
    assert lead.scraped_at >= before


def test_a_row_whose_location_and_post_id_exist_updates_that_lead(sites):
    lead = LeadFactory(location=sites["sfbay"], category=sites["sss"], source_post_id="7001", title="Before")

    outcomes = run(row(title="After"))

    assert [(o.outcome, o.lead_id) for o in outcomes] == [(Outcome.UPDATED, lead.pk)]
    lead.refresh_from_db()
    assert lead.title == "After"


def test_the_same_post_id_at_another_location_is_another_lead(sites):
    LeadFactory(location=sites["sfbay"], category=sites["sss"], source_post_id="7001")

    outcomes = run(row(location="newyork"))

    assert counts(outcomes) == {Outcome.CREATED: 1}
    assert Lead.objects.count() == 2


def test_importing_the_same_rows_twice_changes_nothing_the_second_time(sites):
    run(row(), row(source_post_id="7002"))
    stamps = list(Lead.objects.order_by("pk").values_list("updated_at", flat=True))

    outcomes = run(row(), row(source_post_id="7002"))

    assert counts(outcomes) == {Outcome.UNCHANGED: 2}
    assert list(Lead.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


def test_a_file_with_whole_seconds_does_not_rewrite_stored_microseconds(sites):
    moment = timezone.now().replace(microsecond=123456)
    lead = LeadFactory(location=sites["sfbay"], category=sites["sss"], source_post_id="7001", title="Oak table")
    Lead.objects.filter(pk=lead.pk).update(posted_at=moment, scraped_at=moment)

    outcomes = run(row(posted_at=moment.replace(microsecond=0).isoformat(), scraped_at=moment.replace(microsecond=0)))

    assert counts(outcomes) == {Outcome.UNCHANGED: 1}
    lead.refresh_from_db()
    assert lead.posted_at == moment


def test_blank_status_keeps_the_status_and_blank_price_clears_the_price(sites):
    lead = LeadFactory(location=sites["sfbay"], category=sites["sss"], source_post_id="7001", status="qualified")

    run(row(status=" ", price=""))

    lead.refresh_from_db()
    assert (lead.status, lead.price) == (LeadStatus.QUALIFIED, None)


def test_fields_a_row_leaves_out_are_left_as_they_are(sites):
    lead = LeadFactory(location=sites["sfbay"], category=sites["cta"], source_post_id="7001", title="Kept")

    run({"source_post_id": "7001", "location": "sfbay", "status": "contacted"})

    lead.refresh_from_db()
    assert (lead.title, lead.category, lead.status) == ("Kept", sites["cta"], LeadStatus.CONTACTED)


def test_a_new_lead_needs_a_title_and_a_category(sites):
    outcomes = run({"source_post_id": "7001", "location": "sfbay", "status": "new"})

    assert errors(outcomes) == {1: {"title": ["a new lead needs a title"], "category": ["a new lead needs a category"]}}
    assert not Lead.objects.exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"location": "atlantis"}, "location", "unknown location “atlantis”"),
        ({"location": ""}, "location", "give the location (its code, e.g. sfbay, or its name)"),
        ({"category": "zzz"}, "category", "unknown category “zzz”"),
        ({"status": "hot"}, "status", "“hot” is not a lead status"),
        ({"price": "cheap"}, "price", "“cheap” is not a price"),
        ({"price": "123.456"}, "price", "no more than 2 decimal places"),
        ({"title": ""}, "title", "give the title"),
        ({"title": "x" * 301}, "title", "is 301 characters long; at most 300 fit"),
        ({"url": "not a url"}, "url", "“not a url” is not a valid URL"),
        ({"posted_at": "yesterday"}, "posted_at", "“yesterday” is not a date and time"),
        ({"posted_at": "2026-02-30"}, "posted_at", "“2026-02-30” is not a date and time"),
        ({"source_post_id": ""}, "source_post_id", "give the source_post_id"),
        ({"title": "bad\x00title"}, "title", "contains a NUL character"),
        ({"description": "lone \ud800 surrogate"}, "description", "contains a lone UTF-16 surrogate"),
        ({"location": {"site_code": "sf\x00bay"}}, "location", "contains a NUL character"),
    ],
)
def test_a_bad_value_is_a_rejection_on_its_field(sites, values, field, message):
    outcomes = run(row(**values))

    assert outcomes[0].outcome == Outcome.REJECTED
    assert any(message in text for text in outcomes[0].errors[field]), outcomes[0].errors
    assert not Lead.objects.exists()


def test_a_contact_field_message_does_not_repeat_the_value(sites):
    outcomes = run(row(phone="secret-number " * 4))

    assert outcomes[0].outcome == Outcome.REJECTED
    assert "secret-number" not in str(outcomes[0].errors)


def test_a_bad_row_is_rejected_alone_and_the_others_are_written(sites):
    # The ingest path: outcomes per row; all-or-nothing is the file import's decision.
    outcomes = run(row(), row(source_post_id="7002", price="cheap"), row(source_post_id="7003"))

    assert [o.outcome for o in outcomes] == [Outcome.CREATED, Outcome.REJECTED, Outcome.CREATED]
    assert set(Lead.objects.values_list("source_post_id", flat=True)) == {"7001", "7003"}


def test_a_check_without_write_saves_nothing(sites):
    outcomes = run(row(), row(source_post_id="7002"), write=False)

    assert counts(outcomes) == {Outcome.CREATED: 2}
    assert not Lead.objects.exists()


def test_a_pair_given_twice_is_one_lead_with_the_later_values(sites):
    outcomes = run(row(title="First"), row(title="Second"))

    assert [o.outcome for o in outcomes] == [Outcome.CREATED, Outcome.UPDATED]
    assert Lead.objects.get().title == "Second"


def test_a_pair_repeated_across_batches_updates_what_the_earlier_batch_wrote(sites):
    rows = [row(title="First"), row(source_post_id="7002"), row(title="Second")]

    outcomes = list(leads_upsert(rows=rows, batch_size=2))

    assert [o.outcome for o in outcomes] == [Outcome.CREATED, Outcome.CREATED, Outcome.UPDATED]
    assert Lead.objects.get(source_post_id="7001").title == "Second"


class TestIdRule:
    def test_a_matching_id_updates_the_lead(self, sites):
        lead = LeadFactory(location=sites["sfbay"], category=sites["sss"], source_post_id="7001")

        outcomes = run(row(id=str(lead.pk), status="converted"))

        assert counts(outcomes) == {Outcome.UPDATED: 1}
        lead.refresh_from_db()
        assert lead.status == LeadStatus.CONVERTED

    def test_an_id_of_another_lead_is_refused(self, sites):
        lead = LeadFactory(location=sites["sfbay"], category=sites["sss"], source_post_id="7001")
        other = LeadFactory(location=sites["sfbay"], category=sites["sss"], source_post_id="7002", title="Other")

        outcomes = run(row(id=str(other.pk), title="Changed"))

        message = errors(outcomes)[1]["id"][0]
        assert f"id {other.pk} does not match" in message and f"lead {lead.pk}'s" in message
        other.refresh_from_db()
        assert other.title == "Other"

    def test_an_id_cannot_move_a_lead_to_another_post_id(self, sites):
        lead = LeadFactory(location=sites["sfbay"], category=sites["sss"], source_post_id="7001")

        outcomes = run(row(id=str(lead.pk), source_post_id="9999"))

        assert f"lead {lead.pk} is post 7001 at sfbay" in errors(outcomes)[1]["id"][0]
        assert Lead.objects.get().source_post_id == "7001"

    def test_an_unknown_id_is_refused_rather_than_creating_a_lead(self, sites):
        outcomes = run(row(id="424242"))

        assert errors(outcomes)[1]["id"] == ["no lead has id 424242; leave id empty to add a new lead"]
        assert not Lead.objects.exists()

    @pytest.mark.parametrize("value", ["abc", "-3", "1.5", "0"])
    def test_an_id_that_is_not_a_whole_number_is_refused(self, sites, value):
        outcomes = run(row(id=value))

        assert "is not a lead id" in errors(outcomes)[1]["id"][0]

    def test_a_blank_id_adds_or_updates_by_location_and_post_id(self, sites):
        outcomes = run(row(id=""), row(id=" ", source_post_id="7002"))

        assert counts(outcomes) == {Outcome.CREATED: 2}


def test_a_json_exports_nested_location_and_category_objects_are_read(sites):
    outcomes = run(
        row(location={"id": 1, "name": "SF bay area", "site_code": "sfbay"}, category={"name": "x", "code": "cta"})
    )

    assert counts(outcomes) == {Outcome.CREATED: 1}
    lead = Lead.objects.get()
    assert (lead.location, lead.category) == (sites["sfbay"], sites["cta"])


def test_spreadsheet_numbers_are_read_as_text_and_money(sites):
    run(row(source_post_id=7001.0, phone=4155550100, price=19.99, id=None))

    lead = Lead.objects.get()
    assert (lead.source_post_id, lead.phone, lead.price) == ("7001", "+14155550100", Decimal("19.99"))


def test_an_invalid_row_does_not_leak_into_a_later_row_of_the_same_lead(sites):
    lead = LeadFactory(location=sites["sfbay"], category=sites["sss"], source_post_id="7001", title="Oak table")

    outcomes = run(row(price="cheap"), row(title="Oak table, seats six"), write=False)

    assert list(errors(outcomes)) == [1]  # row 2 is judged on its own values, not on row 1's bad price
    lead.refresh_from_db()
    assert lead.title == "Oak table"


def test_a_batch_of_a_thousand_rows_takes_a_handful_of_queries(sites):
    LeadFactory.create_batch(20, location=sites["sfbay"], category=sites["sss"])
    rows = [row(source_post_id=str(9000 + n), title=f"Lead {n}") for n in range(1000)]

    with CaptureQueriesContext(connection) as queries:
        outcomes = run(*rows)

    assert counts(outcomes) == {Outcome.CREATED: 1000}
    assert Lead.objects.count() == 1020
    assert len(queries.captured_queries) <= 12, [query["sql"][:80] for query in queries.captured_queries]


def test_a_database_refusal_rejects_the_batch_without_showing_the_database_error(sites, monkeypatch, caplog):
    from django.db import IntegrityError

    from leads.importing import upsert

    def refuse(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint DETAIL: Key (email)=(pat@example.com)")

    monkeypatch.setattr(upsert, "lead_rows_write", refuse)

    outcomes = run(row(email="pat@example.com"), row(source_post_id="7002", title="x"))

    assert [o.errors for o in outcomes] == [{"": [DATABASE_REFUSED]}] * 2
    assert "pat@example.com" not in str([o.errors for o in outcomes])
    assert "Key (email)" in caplog.text  # the details are logged for the developers
    assert not Lead.objects.exists()
