"""The readable sentence of a stored lead filter spec."""

from leads.filter_summary import lead_filters_location_names, lead_filters_summary
from tests.factories import LocationFactory


def test_summary_of_an_empty_spec_says_all_leads():
    assert lead_filters_summary(filters={}) == "All leads"
    assert lead_filters_summary(filters=None) == "All leads"


def test_summary_reads_labels_values_and_booleans(db):
    summary = lead_filters_summary(
        filters={
            "date_from": "2024-01-01",
            "status": ["new", "contacted"],
            "categories": ["sss", "jobs"],
            "has_email": True,
            "has_phone": False,
            "q": "bike",
        }
    )

    assert summary == (
        "Found on or after: 2024-01-01 · Status: New, Contacted · Category names or codes: sss, jobs"
        " · Has e-mail: yes · Has phone: no · Search: “bike”"
    )


def test_summary_names_locations_and_counts_selected_ids(db):
    oakland = LocationFactory(name="Oakland", site_code="oak")

    assert lead_filters_summary(filters={"location_ids": [oakland.pk, 999999]}) == "Locations: Oakland, #999999"
    assert lead_filters_summary(filters={"ids": [3, 4, 5]}) == "3 selected leads"
    assert lead_filters_summary(filters={"ids": [3]}) == "1 selected lead"


def test_location_names_come_from_one_query(db, django_assert_num_queries):
    first = LocationFactory(name="Boston", site_code="bos")
    second = LocationFactory(name="Austin", site_code="aus")

    with django_assert_num_queries(1):
        names = lead_filters_location_names(
            specs=[{"location_ids": [first.pk]}, {"location_ids": [second.pk]}, {}, None]
        )

    assert names == {first.pk: "Boston", second.pk: "Austin"}


def test_summary_keeps_keys_the_filterset_no_longer_knows(db):
    assert lead_filters_summary(filters={"status": ["new"], "retired": "x"}) == "Status: New · retired: x"
