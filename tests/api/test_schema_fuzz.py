"""Property-based run of the whole OpenAPI schema: no server error, no response that breaks the schema."""

import json

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from leadsite.wsgi import application
from tests.exports.factories import UserFactory
from tests.factories import LeadFactory, ScrapeRunFactory


def _schema_dict() -> dict:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


RESPONSE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
schema = schemathesis.openapi.from_dict(_schema_dict())
schema.app = application


@pytest.fixture
def manager_token(db):
    user = UserFactory(username="fuzz-manager", is_superuser=True)
    LeadFactory.create_batch(3)
    ScrapeRunFactory()
    return Token.objects.create(user=user).key


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@pytest.mark.django_db
def test_api_never_errors_and_keeps_to_its_schema(case, manager_token, settings_rate_limit_off):
    response = case.call(headers={"Authorization": f"Token {manager_token}"})
    assert response.status_code < 500, response.text[:500]
    # Response-side checks only: blank filter values are accepted on purpose (they mean "not set"),
    # and authentication is covered by the access tests, as these calls carry a valid token.
    case.validate_response(response, checks=RESPONSE_CHECKS)


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
