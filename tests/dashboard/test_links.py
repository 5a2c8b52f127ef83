"""Links from dashboard figures to the lead list: the spec narrowed to one slice."""

from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard import links
from leads.selectors import lead_filters_normalize


def query(url: str) -> dict:
    return parse_qs(urlsplit(url).query)


def test_a_slice_keeps_the_rest_of_the_spec(db):
    url = links.lead_slice_url({"has_email": True, "keywords": ["bike"]}, status=["converted"])
    assert urlsplit(url).path == "/admin/leads/lead/"
    assert query(url) == {"status": ["converted"], "has_email": ["true"], "keywords": ["bike"]}


def test_no_spec_is_the_plain_list(db):
    assert links.lead_slice_url({}) == "/admin/leads/lead/"


def test_status_slices_stay_within_the_specs_statuses():
    assert links.statuses_slice({}, ["qualified", "converted"]) == {"status": ["qualified", "converted"]}
    assert links.statuses_slice({"status": ["new", "converted"]}, ["qualified", "converted"]) == {
        "status": ["converted"]
    }


def test_period_slices_are_clipped_to_the_specs_dates():
    assert links.period_slice({}, "2026-03-02", "2026-03-08") == {"date_from": "2026-03-02", "date_to": "2026-03-08"}
    spec = {"date_from": "2026-03-04", "date_to": "2026-03-06"}
    assert links.period_slice(spec, "2026-03-02", "2026-03-08") == spec


def test_price_slices_are_bands_with_an_inclusive_upper_cent():
    assert links.price_slice({}, "25.00", "50.00") == {"min_price": "25.00", "max_price": "49.99"}
    assert links.price_slice({}, "50000.00", None) == {"min_price": "50000.00"}
    assert links.price_slice({"min_price": "30", "max_price": "40"}, "25.00", "50.00") == {
        "min_price": "30",
        "max_price": "40",
    }


@pytest.mark.parametrize("key", sorted(links.CONTACT_SLICES))
def test_contact_slices_are_valid_specs(key):
    assert lead_filters_normalize(filters=links.CONTACT_SLICES[key]) == links.CONTACT_SLICES[key]


def test_scrape_run_links_carry_the_spec_run_filters_only(db):
    spec = {"date_from": "2026-11-01", "status": ["new"], "has_email": True, "categories": ["sss"]}

    assert links.scrape_runs_url(spec, location_ids=[7]) == (
        "/admin/leads/scraperun/?date_from=2026-11-01&location_ids=7&categories=sss"
    )
    assert links.scrape_runs_url({"status": ["new"]}) == "/admin/leads/scraperun/"


def test_url_or_none_for_views_that_may_not_exist(db):
    assert links.url_or_none("no-such-view") is None
    assert links.url_or_none("dashboard:index") == "/admin/dashboard/"


def test_export_history_links_carry_the_spec_period_only(db):
    spec = {"date_from": "2026-11-01", "date_to": "2026-11-30", "status": ["new"]}

    assert links.export_history_url(spec) == "/admin/exports/history/?date_from=2026-11-01&date_to=2026-11-30"
    assert links.export_history_url({}, status__exact="failed") == "/admin/exports/history/?status__exact=failed"
    assert links.export_history_url({}) == "/admin/exports/history/"
