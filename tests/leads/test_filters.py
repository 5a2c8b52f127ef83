"""The filter spec: every parameter, every bad value, and the round trip of a stored spec."""

import datetime
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.utils import timezone

from leads.filters import spec_to_query_string
from leads.models import LeadStatus
from leads.selectors import LeadFilterError, lead_filters_normalize, lead_list
from tests.factories import CategoryFactory, LeadFactory, LocationFactory

pytestmark = pytest.mark.django_db


def titles(filters) -> set[str]:
    return set(lead_list(filters=filters).values_list("title", flat=True))


def at(day: str, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(day).replace(hour=hour))


def test_no_filters_returns_every_lead_newest_first():
    older = LeadFactory(title="older", scraped_at=at("2026-01-01"))
    newer = LeadFactory(title="newer", scraped_at=at("2026-01-02"))
    assert list(lead_list(filters={})) == [newer, older]


def test_date_range_is_inclusive_of_whole_days_on_scraped_at():
    LeadFactory(title="before", scraped_at=at("2026-03-09", 23))
    LeadFactory(title="first-day-start", scraped_at=at("2026-03-10", 0))
    LeadFactory(title="last-day-end", scraped_at=timezone.make_aware(datetime.datetime(2026, 3, 12, 23, 59, 59)))
    LeadFactory(title="after", scraped_at=at("2026-03-13", 0))
    assert titles({"date_from": "2026-03-10", "date_to": "2026-03-12"}) == {"first-day-start", "last-day-end"}
    assert titles({"date_from": "2026-03-13"}) == {"after"}
    assert titles({"date_to": "2026-03-09"}) == {"before"}


def test_date_filter_ignores_posted_at():
    LeadFactory(title="posted-old-found-new", posted_at=at("2020-01-01"), scraped_at=at("2026-05-01"))
    assert titles({"date_from": "2026-05-01"}) == {"posted-old-found-new"}


def test_status_accepts_repeated_and_comma_separated_values():
    LeadFactory(title="n", status=LeadStatus.NEW)
    LeadFactory(title="c", status=LeadStatus.CONTACTED)
    LeadFactory(title="q", status=LeadStatus.QUALIFIED)
    assert titles(QueryDict("status=new&status=contacted")) == {"n", "c"}
    assert titles({"status": "new,qualified"}) == {"n", "q"}
    assert titles({"status": ["contacted"]}) == {"c"}


def test_location_ids_and_names():
    sf = LocationFactory(name="SF bay area", site_code="sfbay")
    la = LocationFactory(name="Los Angeles", site_code="losangeles")
    ny = LocationFactory(name="New York", site_code="newyork")
    LeadFactory(title="sf", location=sf)
    LeadFactory(title="la", location=la)
    LeadFactory(title="ny", location=ny)
    assert titles({"location_ids": [sf.pk, la.pk]}) == {"sf", "la"}
    assert titles(QueryDict(f"location_ids={ny.pk}")) == {"ny"}
    assert titles({"location_names": "sf bay area,NEWYORK"}) == {"sf", "ny"}


def test_categories_by_name_or_code():
    forsale = CategoryFactory(name="for sale", code="sss")
    jobs = CategoryFactory(name="jobs", code="jjj")
    LeadFactory(title="sale", category=forsale)
    LeadFactory(title="job", category=jobs)
    assert titles({"categories": ["SSS"]}) == {"sale"}
    assert titles({"categories": "Jobs"}) == {"job"}


def test_price_bounds_are_inclusive_and_exclude_unpriced_leads():
    LeadFactory(title="cheap", price=Decimal("10"))
    LeadFactory(title="mid", price=Decimal("50.50"))
    LeadFactory(title="dear", price=Decimal("100"))
    LeadFactory(title="free", price=None)
    assert titles({"min_price": "50.50", "max_price": "100"}) == {"mid", "dear"}
    assert titles({"max_price": "10"}) == {"cheap"}


def test_contact_presence_filters():
    LeadFactory(title="both", email="a@example.com", phone="1")
    LeadFactory(title="email-only", email="b@example.com", phone="")
    LeadFactory(title="phone-only", email="", phone="2")
    LeadFactory(title="neither", email="", phone="")
    assert titles({"has_email": "true"}) == {"both", "email-only"}
    assert titles({"has_email": False}) == {"phone-only", "neither"}
    assert titles({"has_phone": "yes", "has_email": "no"}) == {"phone-only"}


def test_keywords_all_must_match_title_or_description_case_insensitively():
    LeadFactory(title="Vintage road bike", description="Lightly used")
    LeadFactory(title="Mountain bike", description="VINTAGE frame")
    LeadFactory(title="Vintage lamp", description="")
    assert titles({"keywords": "vintage,bike"}) == {"Vintage road bike", "Mountain bike"}
    assert titles({"keywords": ["vintage"], "exclude_keywords": ["lamp", "frame"]}) == {"Vintage road bike"}


def test_search_matches_contact_fields():
    LeadFactory(title="one", email="jane@example.com")
    LeadFactory(title="two", email="joe@example.com")
    assert titles({"q": "jane"}) == {"one"}


def test_limit_keeps_the_newest_matching_leads_and_stays_chainable():
    for day in range(1, 6):
        LeadFactory(title=f"day{day}", status=LeadStatus.NEW, scraped_at=at(f"2026-02-0{day}"))
    LeadFactory(title="contacted-newest", status=LeadStatus.CONTACTED, scraped_at=at("2026-02-09"))
    limited = lead_list(filters={"status": "new", "limit": "2"})
    assert [lead.title for lead in limited] == ["day5", "day4"]
    assert limited.count() == 2
    assert [lead.title for lead in limited.order_by("scraped_at")] == ["day4", "day5"]


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"date_from": "2026-13-01"}, "date_from"),
        ({"date_to": "yesterday"}, "date_to"),
        ({"date_from": "2026-02-02", "date_to": "2026-02-01"}, "date_to"),
        ({"status": "new,archived"}, "status"),
        ({"location_ids": "abc"}, "location_ids"),
        ({"location_ids": "999999"}, "location_ids"),
        ({"min_price": "ten"}, "min_price"),
        ({"min_price": "-1"}, "min_price"),
        ({"min_price": "20", "max_price": "10"}, "max_price"),
        ({"has_email": "maybe"}, "has_email"),
        ({"has_phone": "2"}, "has_phone"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1.5"}, "limit"),
        ({"limit": "lots"}, "limit"),
        ({"keywords": "x" * 201}, "keywords"),
    ],
)
def test_bad_values_raise_the_fields_error(filters, field):
    with pytest.raises(LeadFilterError) as raised:
        lead_list(filters=filters)
    assert field in raised.value.message_dict
    assert raised.value.message_dict[field][0]


def test_normalized_spec_is_canonical_and_replays_to_the_same_leads():
    sf = LocationFactory(name="SF bay area", site_code="sfbay")
    la = LocationFactory(name="Los Angeles", site_code="losangeles")
    LeadFactory(title="match", location=la, price=Decimal("25"), status=LeadStatus.NEW, scraped_at=at("2026-04-02"))
    LeadFactory(title="other", location=sf, price=Decimal("5"), status=LeadStatus.NEW, scraped_at=at("2026-04-02"))
    raw = QueryDict(
        f"status=new&status=new&location_ids={la.pk},{sf.pk}&min_price=20.0&has_email=YES"
        "&date_from=2026-04-01T08:00:00&keywords=,craigslist ,&o=2&p=1"
    )
    spec = lead_filters_normalize(filters=raw)
    assert spec == {
        "date_from": "2026-04-01",
        "status": ["new"],
        "location_ids": sorted([sf.pk, la.pk]),
        "min_price": "20",
        "has_email": True,
        "keywords": ["craigslist"],
    }
    assert titles(spec) == titles(raw) == {"match"}
    assert titles(QueryDict(spec_to_query_string(spec))) == {"match"}
    assert lead_filters_normalize(filters=QueryDict(spec_to_query_string(spec))) == spec


def test_ids_select_exactly_those_leads_and_reject_garbage():
    first, second, _third = LeadFactory(), LeadFactory(), LeadFactory()
    assert set(lead_list(filters={"ids": f"{first.pk},{second.pk}"})) == {first, second}
    assert set(lead_list(filters=QueryDict(f"ids={second.pk}&ids=999999"))) == {second}
    with pytest.raises(LeadFilterError) as raised:
        lead_list(filters={"ids": "1,two"})
    assert "ids" in raised.value.message_dict


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"date_to": "9999-12-31"}, "date_to"),
        ({"date_from": "0001-01-01"}, "date_from"),
        ({"ids": str(2**64)}, "ids"),
        ({"ids": "-3"}, "ids"),
        ({"min_price": "1e30"}, "min_price"),
        ({"max_price": "0.001"}, "max_price"),
        ({"keywords": "bad\x00word"}, "keywords"),
        ({"q": "bad\x00word"}, "q"),
    ],
)
def test_values_that_would_overflow_or_break_the_database_are_field_errors(filters, field):
    with pytest.raises(LeadFilterError) as raised:
        lead_list(filters=filters)
    assert field in raised.value.message_dict


@pytest.mark.parametrize(
    "filters",
    [
        {"date_from": 20260101},
        {"date_to": ["2026-01-01", "x"]},
        {"min_price": ["1"]},
        {"limit": {"a": 1}},
        {"has_email": [True]},
        {"location_ids": 1.5},
        {"status": 3},
    ],
)
def test_json_values_of_the_wrong_type_are_field_errors_not_crashes(filters):
    with pytest.raises(LeadFilterError) as raised:
        lead_list(filters=filters)
    assert set(raised.value.message_dict) == set(filters)


def test_found_after_is_strict_and_found_until_inclusive_so_windows_tile():
    boundary = timezone.make_aware(datetime.datetime(2026, 3, 10, 7, 0))
    LeadFactory(title="before", scraped_at=boundary - datetime.timedelta(microseconds=1))
    LeadFactory(title="on-boundary", scraped_at=boundary)
    LeadFactory(title="after", scraped_at=boundary + datetime.timedelta(microseconds=1))
    assert titles({"found_until": boundary.isoformat()}) == {"before", "on-boundary"}
    assert titles({"found_after": boundary.isoformat()}) == {"after"}


def test_found_after_reads_offsets_and_site_time_and_normalizes_to_utc(settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    spec = lead_filters_normalize(
        filters={"found_after": "2026-03-10T07:00:00", "found_until": "2026-03-11T16:00+01:00"}
    )
    assert spec == {"found_after": "2026-03-10T14:00:00+00:00", "found_until": "2026-03-11T15:00:00+00:00"}
    assert lead_filters_normalize(filters=QueryDict(spec_to_query_string(spec))) == spec


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"found_after": "yesterday"}, "found_after"),
        ({"found_after": ["2026-03-10T07:00:00"]}, "found_after"),
        ({"found_until": "0001-01-01T00:00:00"}, "found_until"),
        ({"found_after": "2026-03-10T07:00:00+00:00", "found_until": "2026-03-10T07:00:00+00:00"}, "found_until"),
    ],
)
def test_bad_found_window_values_are_field_errors(filters, field):
    with pytest.raises(LeadFilterError) as raised:
        lead_list(filters=filters)
    assert field in raised.value.message_dict


# The one reader of a query string --------------------------------------------------------------------


def test_the_reader_keeps_lists_for_list_parameters_and_one_value_otherwise():
    from leads.filters import filters_from_query

    query = QueryDict("status=new&status=contacted&q=driver&date_from=2026-01-01&has_email=true&min_price=10&limit=5")

    assert filters_from_query(query) == {
        "status": ["new", "contacted"],
        "q": "driver",
        "date_from": "2026-01-01",
        "has_email": "true",
        "min_price": "10",
        "limit": "5",
    }


def test_the_reader_drops_blanks_and_other_parameters_and_takes_the_last_scalar():
    from leads.filters import filters_from_query

    query = QueryDict("o=2&p=3&format=json&columns=id&q=&q=bike&limit=1&limit=7&categories=")

    assert filters_from_query(query) == {"q": "bike", "limit": "7"}
    assert filters_from_query({"status": ["new"], "q": ["a", "b"]}) == {"status": ["new"], "q": "b"}


def test_what_the_reader_reads_the_filterset_reads_as_the_query_string(db):
    from leads.filters import filters_from_query

    LeadFactory(title="Truck driver", email="a@example.com", status=LeadStatus.NEW)
    LeadFactory(title="Driver, no e-mail", email="", status=LeadStatus.NEW)
    query = QueryDict("q=driver&has_email=true&status=new&status=contacted")

    spec = lead_filters_normalize(filters=filters_from_query(query))

    assert spec == lead_filters_normalize(filters=query)
    assert spec["q"] == "driver" and titles(spec) == {"Truck driver"}


def test_max_limit_is_the_default_limit_and_a_larger_one_is_refused(db):
    for number in range(4):
        LeadFactory(title=f"lead {number}")

    assert lead_filters_normalize(filters={}, max_limit=3) == {"limit": 3}
    assert lead_filters_normalize(filters=QueryDict("limit=2"), max_limit=3) == {"limit": 2}
    with pytest.raises(LeadFilterError) as caught:
        lead_filters_normalize(filters={"limit": "4"}, max_limit=3)
    assert "At most 3 leads" in caught.value.message_dict["limit"][0]
    assert lead_filters_normalize(filters={"limit": "4"}) == {"limit": 4}  # no cap without max_limit
