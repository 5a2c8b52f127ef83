"""The scrape-run list and the export history filtered by the spec, through their own FilterSets."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from exports.models import Export
from tests.exports.factories import ExportFactory
from tests.factories import LocationFactory, ScrapeRunFactory

pytestmark = pytest.mark.django_db
URL = "/admin/leads/scraperun/"


@pytest.fixture
def runs(db):
    oakland = LocationFactory(name="Oakland", site_code="oak")
    now = timezone.now()
    recent = [ScrapeRunFactory(location=oakland, started_at=now - datetime.timedelta(days=1)) for _ in range(2)]
    ScrapeRunFactory(location=oakland, started_at=now - datetime.timedelta(days=40))
    ScrapeRunFactory(started_at=now - datetime.timedelta(days=1))
    return oakland, recent


def test_the_run_list_reads_dates_and_places(admin_client, runs):
    _, recent = runs
    date_from = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()

    response = admin_client.get(URL, {"date_from": date_from, "location_names": "OAK"})

    assert response.status_code == 200
    assert set(response.context["cl"].queryset) == set(recent)
    html = response.content.decode()
    assert f"Started on or after: {date_from}" in html and "Location names or site codes: OAK" in html


def test_all_clears_the_run_filters_and_keeps_the_others(admin_client, runs):
    response = admin_client.get(URL, {"location_ids": str(runs[0].pk), "status__exact": "success"})
    (spec_filter,) = [spec for spec in response.context["cl"].filter_specs if spec.title == "period and places"]

    clear = next(iter(spec_filter.choices(response.context["cl"])))

    assert clear["display"] == "All"
    assert parse_qs(urlsplit(clear["query_string"]).query) == {"status__exact": ["success"]}


def test_without_run_filters_the_list_is_whole_and_the_filter_hidden(admin_client, runs):
    response = admin_client.get(URL)

    assert response.context["cl"].result_count == 4
    assert "period and places" not in response.content.decode()


def test_a_bad_value_is_an_error_above_an_empty_list(admin_client, runs):
    response = admin_client.get(URL, {"date_from": "2026-02-30"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 0
    assert any("date_from" in str(message) for message in get_messages(response.wsgi_request))


EXPORTS_URL = "/admin/exports/export/"


@pytest.fixture
def exports(db):
    recent, old = ExportFactory(), ExportFactory()
    Export.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    return recent, old


def test_the_export_history_reads_the_spec_dates(admin_client, exports):
    recent, _ = exports
    date_from = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()

    response = admin_client.get(EXPORTS_URL, {"date_from": date_from})

    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [recent]
    assert f"Created on or after: {date_from}" in response.content.decode()


def test_a_bad_export_date_is_an_error_above_an_empty_history(admin_client, exports):
    response = admin_client.get(EXPORTS_URL, {"date_to": "soon"})

    assert response.context["cl"].result_count == 0
    assert any("date_to" in str(message) for message in get_messages(response.wsgi_request))
