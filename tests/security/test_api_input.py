"""Bad input to the API is a 4xx with a JSON sentence, never a 500 (the security review's reproductions)."""

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from exports.models import Export
from tests.exports.factories import UserFactory
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/export/"
SURROGATE = "\ud800"


@pytest.fixture
def api(db, settings):
    settings.API_EXPORT_RATE = "100000/minute"
    LeadFactory.create_batch(2)
    client = APIClient()
    client.force_authenticate(UserFactory(username="api-manager", is_superuser=True))
    return client


def post_raw(client, path: str, body: str | bytes):
    data = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    return client.post(f"{API}{path}", data, content_type="application/json")


def export_body(**filters) -> str:
    # json.dumps escapes the lone surrogate as \ud800, exactly what a hostile client sends.
    return json.dumps({"export_type": "csv", "data_type": "leads", "filters": filters})


@pytest.mark.parametrize("field", ["q", "keywords", "location_names", "exclude_keywords", "categories"])
@pytest.mark.parametrize("path", ["create", "analytics/generate"])
def test_a_lone_surrogate_in_a_filter_is_a_400_naming_the_field(api, field, path):
    value = f"a{SURROGATE}b" if field == "q" else [f"a{SURROGATE}b"]
    body = export_body(**{field: value}) if path == "create" else json.dumps({"filters": {field: value}})
    response = post_raw(api, path, body)
    assert response.status_code == 400, response.content[:300]
    assert "surrogate" in json.dumps(response.json())
    assert Export.objects.count() == 0


def test_a_lone_surrogate_anywhere_in_the_body_is_refused(api):
    body = json.dumps({"export_type": "csv", "columns": [f"title{SURROGATE}"]})
    response = post_raw(api, "create", body)
    assert response.status_code == 400
    assert "columns" in response.json()


@pytest.mark.parametrize("path", ["create", "analytics/generate", "download"])
def test_deeply_nested_json_is_a_400(api, path):
    response = post_raw(api, path, "[" * 100_000)
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


def test_a_body_over_the_upload_limit_is_a_json_413(api, settings):
    body = json.dumps({"export_type": "csv", "filters": {"q": "x" * (10 * 1024 * 1024)}})
    response = post_raw(api, "create", body)
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "larger than" in response.json()["detail"]


@pytest.mark.parametrize(
    "query",
    [
        "limit=99999999999999999999",
        "limit=0",
        "limit=-1",
        "limit=abc",
        "limit=",
        "offset=-1",
        "offset=null",
        "offset=99999999999999999999",
    ],
)
def test_bad_paging_values_are_refused(api, query):
    response = api.get(f"{API}history?{query}")
    assert response.status_code == 400, response.content[:300]
    name = query.split("=")[0]
    assert name in response.json()


def test_good_paging_values_work(api):
    response = api.get(f"{API}history?limit=5&offset=0")
    assert response.status_code == 200 and "results" in response.json()


@pytest.mark.parametrize(
    "filters",
    [
        {"q": ["a", "b"]},
        {"q": {"a": 1}},
        {"keywords": [{"a": 1}]},
        {"keywords": [["nested"]]},
        {"location_names": [None]},
        {"status": [{"x": 1}]},
        {"ids": [{"x": 1}]},
        {"location_ids": [[1]]},
        {"has_email": ["true"]},
    ],
)
def test_non_string_filter_values_are_refused_not_stringified(api, filters):
    response = post_raw(api, "create", export_body(**filters))
    assert response.status_code == 400, response.content[:300]
    assert next(iter(filters)) in json.dumps(response.json())
    assert Export.objects.count() == 0


def test_number_and_string_values_are_still_accepted(api):
    response = post_raw(api, "create", export_body(keywords=["number"], ids=[1, 2], limit=5))
    assert response.status_code == 201, response.content[:300]


@pytest.mark.parametrize("path", ["create", "download", "analytics/generate"])
def test_unknown_top_level_fields_are_refused_by_name(api, path):
    body = {"filters": {}, "colour": "red"}
    if path != "analytics/generate":
        body["export_type"] = "csv"
    response = post_raw(api, path, json.dumps(body))
    assert response.status_code == 400
    assert "colour" in response.json()
    assert "Unknown field" in response.json()["colour"][0]


@pytest.mark.parametrize(
    "path", ["/api/v1/export/create/", "/api/v1/export/history/", "/api/v1/nothing", "/api/", "/api/v2/export/create"]
)
def test_unknown_api_paths_are_json_404(path):
    response = Client().get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "No API endpoint" in response.json()["detail"]


def test_api_json_is_never_stored_by_caches(api):
    response = api.get(f"{API}history")
    assert "no-store" in response["Cache-Control"]
    response = api.get(f"{API}analytics/leads")
    assert "no-store" in response["Cache-Control"]


# What the OpenAPI schema cannot say (ids of rows that exist, years kept), the server refuses by name.


@pytest.mark.parametrize(
    "query, field",
    [
        ("location_ids=999999", "location_ids"),
        ("found_until=5760-03-09T13:51:15Z", "found_until"),
        ("found_after=1899-12-31T23:00:00%2B00:00", "found_after"),
        ("date_from=3000-01-01", "date_from"),
        ("q=a%00b", "q"),
    ],
)
@pytest.mark.parametrize("path", ["leads/csv", "analytics/leads", "stats/exportable-data"])
def test_unknown_ids_out_of_range_years_and_nul_in_the_query_are_a_400_naming_the_field(api, query, field, path):
    response = api.get(f"{API}{path}?{query}")
    assert response.status_code == 400, response.content[:300]
    assert list(response.json()) == [field]
    assert Export.objects.count() == 0


def test_an_unknown_location_id_in_the_body_is_a_400_naming_it(api):
    response = post_raw(api, "create", export_body(location_ids=[999999]))
    assert response.status_code == 400
    assert "location_ids" in json.dumps(response.json())
    assert Export.objects.count() == 0


def test_a_date_time_is_kept_by_the_year_it_is_written_in(api):
    # The schema's pattern reads the year as written: 2999-12-31 late at night, west of UTC, is still 2999.
    response = api.get(f"{API}analytics/leads?found_until=2999-12-31T23:00:00-05:00")
    assert response.status_code == 200, response.content[:300]


@pytest.mark.parametrize("path", ["/api/v1/scrape-runs/abc/finish", "/api/v1/nothing"])
def test_a_post_to_an_unknown_api_path_is_a_json_404_not_the_csrf_page(path):
    response = Client(enforce_csrf_checks=True).post(path, {"status": "success"}, content_type="application/json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
