import datetime
import re

import pytest
from django.utils import timezone

from exports.content.naming import SUMMARY_MAX, export_file_name, filters_slug
from tests.exports.factories import ExportFactory

pytestmark = pytest.mark.django_db

SAFE = re.compile(r"^[a-z0-9_.-]+$")


def at(export, moment):
    export.created_at = moment
    return export


def test_name_says_what_is_inside_and_when(settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    export = ExportFactory(format="csv", filters={"status": ["new", "contacted"], "location_names": ["sfbay"]})
    moment = datetime.datetime(2026, 11, 27, 17, 30, 5, tzinfo=datetime.UTC)

    assert export_file_name(export=at(export, moment)) == "leads_new-contacted_sfbay_20261127-093005.csv"


@pytest.mark.parametrize(
    ("format", "data_type", "start", "extension"),
    [
        ("excel", "leads", "leads_all_", ".xlsx"),
        ("json", "analytics", "analytics_all_", ".json"),
        ("zip", "comprehensive", "leads-analytics_all_", ".zip"),
    ],
)
def test_prefix_and_extension_follow_data_type_and_format(format, data_type, start, extension):
    name = export_file_name(export=ExportFactory(format=format, data_type=data_type, filters={}))
    assert name.startswith(start) and name.endswith(extension) and SAFE.match(name)


def test_user_text_is_sanitised_and_the_summary_bounded():
    spec = {
        "q": "../../etc/passwd; rm -rf / <script>",
        "keywords": ["Vélo 🚲", "公寓", "a" * 200],
        "categories": ["=cmd|' /C calc'!A0"],
        "ids": [1, 2, 3],
        "has_email": True,
        "min_price": "10.5",
    }
    name = export_file_name(export=ExportFactory(format="csv", filters=spec))

    assert SAFE.match(name) and ".." not in name and "/" not in name
    summary = name.removeprefix("leads_").rsplit("_", 1)[0]
    assert len(summary) <= SUMMARY_MAX


def test_slug_of_several_filters():
    assert filters_slug({}) == "all"
    assert filters_slug({"ids": [4, 5], "has_phone": False}) == "no-phone_2-selected"
    assert filters_slug({"date_from": "2026-11-01", "date_to": "2026-11-27"}) == "from-2026-11-01_to-2026-11-27"
    assert filters_slug({"q": "🚲"}) == "search"
    assert timezone.now()


def test_locations_chosen_by_id_are_named_by_their_site_codes():
    from tests.factories import LocationFactory

    sf, ny = LocationFactory(site_code="sfbay"), LocationFactory(site_code="newyork")

    assert filters_slug({"location_ids": [ny.pk, sf.pk]}) == "newyork-sfbay"


def test_a_long_summary_is_cut_at_a_word_boundary():
    spec = {
        "status": ["new", "contacted"],
        "location_names": ["sfbay", "newyork", "losangeles"],
        "date_from": "2026-08-01",
        "date_to": "2026-11-30",
        "min_price": "100",
    }

    slug = filters_slug(spec)

    assert len(slug) <= SUMMARY_MAX
    assert slug == "new-contacted_sfbay-newyork-losangeles_from-2026-08-01"
    # One filter longer than the limit is cut after a whole word.
    assert filters_slug({"keywords": ["forklift"] * 9}) == "-".join(["forklift"] * 6)
