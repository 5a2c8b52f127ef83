"""The shared predicates: one body per concept on leads, scrape runs and exports."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from exports.records.querysets import ExportQuerySet
from leads.predicates import DayRangeMixin, PlaceMixin, StatusMixin, start_of_day
from leads.querysets import LeadQuerySet, ScrapeRunQuerySet

pytestmark = pytest.mark.django_db
PACIFIC = ZoneInfo("America/Los_Angeles")


@pytest.mark.parametrize(
    ("queryset", "mixins", "day_field"),
    [
        (LeadQuerySet, (DayRangeMixin, StatusMixin, PlaceMixin), "scraped_at"),
        (ScrapeRunQuerySet, (DayRangeMixin, StatusMixin, PlaceMixin), "started_at"),
        (ExportQuerySet, (DayRangeMixin, StatusMixin), "created_at"),
    ],
)
def test_every_model_filtered_by_the_spec_shares_the_predicates(queryset, mixins, day_field):
    for mixin in mixins:
        assert issubclass(queryset, mixin)
        for name, method in vars(mixin).items():
            if callable(method) and not name.startswith("_"):
                # Not redefined: the queryset answers with the one shared body.
                assert getattr(queryset, name) is method, f"{queryset.__name__}.{name} re-implements {mixin.__name__}"
    assert queryset.day_field == day_field


def test_start_of_day_is_midnight_in_the_site_time_zone(settings):
    settings.TIME_ZONE = "America/Los_Angeles"

    moment = start_of_day(datetime.date(2026, 3, 8))

    assert moment == datetime.datetime(2026, 3, 8, tzinfo=PACIFIC)
    assert moment.utcoffset() == datetime.timedelta(hours=-8)
