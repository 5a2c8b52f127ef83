"""Property-based run of the whole OpenAPI schema with every schemathesis check, on the real WSGI app.

Positive and negative data for each operation (a few examples each, so the run stays bounded), every
built-in check (no 5xx, status codes, content types, headers, response schemas, invalid input
refused, valid input accepted, authentication enforced), then the stateful run over the schema's links.
"""

import json

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import ignored_auth, negative_data_rejection, positive_data_acceptance

from api.views.exports import data_type_takes_columns
from exports.content.columns import COLUMNS_BY_KEY
from exports.datasets.registry import dataset_keys
from exports.models import DEFAULT_DATA_TYPE
from leads.models import Location
from leadsite.wsgi import application
from tests.exports.factories import UserFactory
from tests.factories import LeadFactory, ScrapeRunFactory


def _schema_dict() -> dict:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


RANGES = (("date_from", "date_to", False), ("found_after", "found_until", True), ("min_price", "max_price", False))


def _in_order(values):
    """Put each range the schema documents as ordered (CROSS_FIELD_RULES) in order; JSON Schema cannot say it."""
    if not isinstance(values, dict):
        return values
    for low, high, strict in RANGES:
        a, b = values.get(low), values.get(high)
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (a, b))
        comparable = numbers or (isinstance(a, str) and isinstance(b, str))
        if comparable and a and b:
            if a > b or (strict and a == b):
                values[low], values[high] = b, a
            if strict and values[low] == values[high]:
                values.pop(high)
    return values


def _existing_ids(values):
    """Ids the schema cannot enumerate (rows of the database) are drawn from the rows that exist.

    An unknown id is refused with a 400 naming the field (tests/security/test_api_input.py); the
    schema documents that the ids come from GET config/filters.
    """
    if not isinstance(values, dict):
        return values
    assignee = values.get("assigned_to")
    if isinstance(assignee, str) and assignee.isdigit():
        users = list(get_user_model().objects.order_by("pk").values_list("pk", flat=True))
        values["assigned_to"] = str(users[int(assignee) % len(users)]) if users else "none"
    if not isinstance(values.get("location_ids"), list):
        return values
    known = list(Location.objects.order_by("pk").values_list("pk", flat=True))
    values["location_ids"] = [
        known[value % len(known)] if isinstance(value, int) and not isinstance(value, bool) and known else value
        for value in values["location_ids"]
    ]
    return values


def _columns_fit(values):
    """The columns' rules across fields, as their description says: none for a data type with fixed columns,
    and at least one column that is not contact information when contact information is not included."""
    if not isinstance(values, dict) or not isinstance(values.get("columns"), list):
        return values
    data_type = values.get("data_type", DEFAULT_DATA_TYPE)
    fixed = data_type in dataset_keys() and not data_type_takes_columns(data_type)
    chosen = [COLUMNS_BY_KEY.get(key) for key in values["columns"]]
    only_contact = chosen and all(column is not None and column.is_contact for column in chosen)
    if fixed or (only_contact and values.get("include_contact_info") is not True):
        values.pop("columns")
    return values


@schemathesis.hook
def map_query(ctx, query):
    return _columns_fit(_existing_ids(_in_order(query)))


@schemathesis.hook
def map_body(ctx, body):
    if isinstance(body, dict) and isinstance(body.get("filters"), dict):
        body["filters"] = _existing_ids(_in_order(body["filters"]))
    return _columns_fit(body)


EXAMPLES_PER_OPERATION = 6
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"mode": "all", "max-examples": EXAMPLES_PER_OPERATION, "deterministic": True},
        # The coverage phase's boundary values bypass the map hooks that keep documented ranges in order.
        "phases": {"coverage": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_dict(_schema_dict(), config=CONFIG)
schema.app = application


@pytest.fixture
def manager_token(db):
    user = UserFactory(username="fuzz-manager", is_superuser=True)
    LeadFactory.create_batch(3)
    ScrapeRunFactory()
    return Token.objects.create(user=user).key


@pytest.fixture
def scraper_key(db):
    """The ingest endpoints take a scraper's key only (staff tokens get 403 there)."""
    from ingest.models import Scraper
    from ingest.services import scraper_key_create

    return scraper_key_create(scraper=Scraper.objects.create(name="fuzz scraper"), name="fuzz")[1]


def credentials(case, *, token: str, key: str) -> dict:
    if case.path.startswith(("/api/v1/scrape-runs", "/api/v1/leads/ingest")):
        return {"Authorization": f"Api-Key {key}"}
    return {"Authorization": f"Token {token}"}


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@pytest.mark.django_db
def test_api_passes_every_check_with_positive_and_negative_data(
    case, manager_token, scraper_key, settings_rate_limit_off
):
    headers = credentials(case, token=manager_token, key=scraper_key)
    response = case.call(headers=headers)
    assert response.status_code < 500, response.text[:500]
    # Every built-in check but ignored_auth: the schema offers two schemes (token and session cookie) and
    # the check drops one while the other still authenticates; missing and bad credentials are the access
    # matrix's (tests/security/test_access_matrix.py: 401 without or with a dead token).
    case.validate_response(response, headers=headers, excluded_checks=excluded_checks(case))


def excluded_checks(case) -> list:
    excluded = [ignored_auth]
    if case.path == "/api/v1/leads/ingest":
        # A lead that breaks its schema is rejected alone, in the 200 answer (one bad lead never rejects
        # the batch); tests/ingest covers that. The body's own shape is still checked (400).
        excluded.append(negative_data_rejection)
    if case.path == "/api/v1/scrape-runs":
        # A run's location and category must be codes of existing sites (else a 400 naming the field),
        # which the schema cannot say; tests/ingest covers both answers.
        excluded.append(positive_data_acceptance)
    return excluded


APIWorkflow = schema.as_state_machine()


@pytest.mark.django_db
def test_api_stateful_links(manager_token, scraper_key, settings_rate_limit_off):
    """Create an export, then follow the schema's links to its record and its file."""

    class Workflow(APIWorkflow):
        def get_call_kwargs(self, case):
            return {"headers": credentials(case, token=manager_token, key=scraper_key)}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            # The same checks as above, for the same reasons.
            case.validate_response(
                response,
                additional_checks=additional_checks,
                excluded_checks=excluded_checks(case),
                transport_kwargs=kwargs,
            )

    Workflow.run(
        settings=settings(
            max_examples=EXAMPLES_PER_OPERATION,
            stateful_step_count=4,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
    )


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open():
    """Calling the WSGI app directly fires request_finished, which would close the test's
    database connection mid-transaction; Django's own test client disconnects it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def settings_rate_limit_off(settings):
    settings.API_EXPORT_RATE = "100000/minute"


def test_schema_lists_every_seed_endpoint():
    paths = set(_schema_dict()["paths"])
    expected = {
        "create",
        "download",
        "leads/csv",
        "leads/excel",
        "analytics/json",
        "comprehensive/zip",
        "analytics/generate",
        "analytics/leads",
        "analytics/performance",
        "history",
        "history/cleanup",
        "config/export-types",
        "config/data-types",
        "config/filters",
        "stats/exportable-data",
        "history/{export_id}",
        "history/{export_id}/file",
    }
    assert {f"/api/v1/export/{path}" for path in expected} <= paths
