"""The search (`q`) matches e-mail, phone and contact name only for users who may see them — everywhere a spec
is read: the API (token users), exports made in a request, export records replayed by the worker, the CLI.

Without the rule a sales user could find out whose e-mail a lead holds by counting the rows a search exports.
"""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from exports.models import Export, ExportStatus
from exports.services.running import export_run
from leads.contact_access import contact_search_allowed, contact_search_for
from leads.demo_users import demo_users_ensure
from leads.selectors import lead_list
from tests.exports.factories import ExportFactory
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "hidden.person@contact.example"
SECRET_PHONE = "415-555-0199"
API = "/api/v1/export/"
SEARCHES = [SECRET_EMAIL, SECRET_PHONE, "Secretia"]


@pytest.fixture
def users(db, settings):
    settings.API_EXPORT_RATE = "100000/minute"
    demo_users_ensure(password="contact-search-123")
    model = get_user_model()
    return {name: model.objects.get(username=name) for name in ("sales", "manager")}


@pytest.fixture
def lead(db):
    LeadFactory(title="Someone else's sofa")
    return LeadFactory(email=SECRET_EMAIL, phone=SECRET_PHONE, contact_name="Secretia Contactson", title="Oak table")


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def data_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1:]


@pytest.mark.parametrize("term", SEARCHES)
def test_an_api_quick_export_does_not_search_contact_fields_without_the_permission(users, lead, term):
    refused = api(users["sales"]).get(f"{API}leads/csv", {"q": term})
    allowed = api(users["manager"]).get(f"{API}leads/csv", {"q": term})

    assert refused.status_code == 200 and data_rows(b"".join(refused.streaming_content)) == []
    assert allowed.status_code == 200 and len(data_rows(b"".join(allowed.streaming_content))) == 1
    assert Export.objects.get(created_by=users["sales"]).row_count == 0


def test_api_analytics_do_not_count_contact_matches_without_the_permission(users, lead):
    refused = api(users["sales"]).get(f"{API}analytics/leads", {"q": SECRET_EMAIL})
    allowed = api(users["manager"]).get(f"{API}analytics/leads", {"q": SECRET_EMAIL})

    assert refused.json()["totals"]["leads"] == 0
    assert allowed.json()["totals"]["leads"] == 1


def test_an_export_record_replayed_by_the_worker_searches_as_its_creator(users, lead):
    for owner in ("sales", "manager"):
        ExportFactory(created_by=users[owner], filters={"q": SECRET_EMAIL}, columns=["id", "title"])

    for export in Export.objects.all():
        export_run(export_id=export.pk)  # as the worker does: no request, no user around

    written = dict(Export.objects.values_list("created_by__username", "rows_written"))
    assert Export.objects.filter(status=ExportStatus.COMPLETED).count() == 2
    assert written == {"sales": 0, "manager": 1}


def test_the_cli_searches_as_its_user(users, lead, tmp_path):
    for owner in ("sales", "manager"):
        output = tmp_path / f"{owner}.csv"
        call_command(
            "export_leads",
            "--format",
            "csv",
            "--user",
            owner,
            "--q",
            SECRET_PHONE,
            "--output",
            str(output),
            stdout=io.StringIO(),
        )
        assert len(data_rows(output.read_bytes())) == (0 if owner == "sales" else 1)


def test_the_search_still_finds_titles_for_everyone(users, lead):
    response = api(users["sales"]).get(f"{API}analytics/leads", {"q": "Oak"})
    assert response.json()["totals"]["leads"] == 1


def test_outside_any_users_scope_the_search_covers_contact_fields(users, lead):
    # The site's own work (the shell, scheduled jobs without an owner) searches everything.
    assert contact_search_allowed()
    assert lead_list(filters={"q": SECRET_EMAIL}).count() == 1
    with contact_search_for(lambda: users["sales"]):
        assert lead_list(filters={"q": SECRET_EMAIL}).count() == 0
