"""Export records filtered by day and by who may see them (ExportQuerySet, ExportFilterSet)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser

from exports.models import Export
from exports.records.filters import export_list
from leads.selectors import LeadFilterError
from tests.exports.factories import ExportFactory, UserFactory

pytestmark = pytest.mark.django_db
PACIFIC = ZoneInfo("America/Los_Angeles")


def created(day: int, hour: int) -> Export:
    export = ExportFactory()
    Export.objects.filter(pk=export.pk).update(created_at=datetime.datetime(2026, 11, day, hour, tzinfo=PACIFIC))
    return export


def test_days_are_whole_days_of_the_site_time_zone(settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    created(9, 23)
    first, last = created(10, 0), created(11, 23)
    created(12, 0)

    exports = Export.objects.from_day(datetime.date(2026, 11, 10)).until_day(datetime.date(2026, 11, 11))

    assert set(exports) == {first, last}


def test_export_list_reads_the_spec_dates_only(settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    created(9, 12)
    wanted = created(10, 12)

    assert list(export_list(filters={"date_from": "2026-11-10", "status": ["new"], "location_ids": [1]})) == [wanted]
    with pytest.raises(LeadFilterError) as error:
        export_list(filters={"date_to": "yesterday"})
    assert "date_to" in error.value.message_dict


def test_visible_to_their_own_or_everyone_with_the_permission():
    mine, theirs = UserFactory(), UserFactory()
    manager = UserFactory(permissions=["exports.view_all_exports"])
    own = ExportFactory(created_by=mine)
    other = ExportFactory(created_by=theirs)

    assert list(Export.objects.visible_to(mine)) == [own]
    assert set(Export.objects.visible_to(manager)) == {own, other}
    assert not Export.objects.visible_to(AnonymousUser()).exists()
    assert not Export.objects.visible_to(None).exists()
    mine.is_active = False
    assert not Export.objects.visible_to(mine).exists()
