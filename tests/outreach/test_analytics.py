"""The auto_responses and ab_tests analytics sections: API, generate, analytics JSON/Excel, comprehensive ZIP."""

import datetime
import io
import json
import zipfile

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from outreach.analytics import ab_test_analytics, auto_response_analytics
from outreach.models import AutoResponse, AutoResponseStatus
from tests.api.conftest import token_client
from tests.api.test_export_endpoints import API, body
from tests.factories import LeadFactory, LocationFactory
from tests.outreach.abdata import messages
from tests.outreach.factories import ABTestFactory, AutoResponseFactory, TemplateVariantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def outreach_data(settings):
    settings.AB_TEST_MIN_SAMPLE = 100
    test = ABTestFactory(name="Greeting")
    a = TemplateVariantFactory(template=test.template, name="A")
    b = TemplateVariantFactory(template=test.template, name="B")
    messages(test, a, sent=120, replied=30, converted=6)
    messages(test, b, sent=60, replied=5)
    boston = LocationFactory(name="Boston", site_code="boston")
    AutoResponseFactory(lead=LeadFactory(location=boston), status=AutoResponseStatus.QUEUED)
    return test


def test_auto_response_figures(outreach_data):
    section = auto_response_analytics(filters={})
    assert (section["total"], section["sent"], section["replied"], section["converted"]) == (181, 180, 35, 6)
    assert section["queued"] == 1
    assert section["reply_rate"] == round(35 / 180, 4) and section["conversion_rate"] == round(6 / 180, 4)
    by_variant = {row["variant"]: row for row in section["by_template"]}
    assert by_variant["A"]["reply_rate"] == 0.25 and by_variant["B"]["sent"] == 60
    [day] = section["over_time"]["buckets"]
    assert (day["queued"], day["sent"], day["replied"]) == (181, 180, 35)


def test_the_spec_selects_the_leads_whose_messages_count(outreach_data):
    section = auto_response_analytics(filters={"location_names": ["Boston"]})
    assert (section["total"], section["sent"], section["queued"]) == (1, 0, 1)
    assert section["reply_rate"] is None


def test_performance_api_keeps_scraping_and_gains_the_sections(manager_user, outreach_data):
    response = token_client(manager_user).get(f"{API}analytics/performance")
    assert response.status_code == 200
    data = response.json()
    assert "runs" in data and "by_location" in data  # the scraping figures, as before
    assert data["auto_responses"]["sent"] == 180
    [test] = data["ab_tests"]["tests"]
    # B has 60 sends: below the minimum sample, so no winner whatever the rates.
    assert (test["state"], test["winner"], test["sends_needed"]) == ("not_enough_data", None, 40)
    variant = {v["variant"]: v for v in test["variants"]}["A"]
    assert set(variant) >= {"sent", "replied", "converted", "reply_rate", "reply_rate_ci", "conversion_rate"}
    assert (
        len(variant["reply_rate_ci"]) == 2
        and variant["conversion_rate_ci"][0] < 0.05 < variant["conversion_rate_ci"][1]
    )
    assert 0 < test["p_value"] < 1


def test_generate_and_the_analytics_json_export_hold_them(manager_user, outreach_data):
    client = token_client(manager_user)
    generated = client.post(f"{API}analytics/generate", {"filters": {}}, format="json").json()
    performance = generated["performance"]
    assert performance["auto_responses"]["total"] == 181 and performance["ab_tests"]["tests"][0]["name"] == "Greeting"
    document = json.loads(body(client.get(f"{API}analytics/json")))
    assert document["analytics"]["performance"]["ab_tests"]["tests"][0]["variants"][0]["sent"] == 120


def test_the_comprehensive_zip_holds_them(manager_user, outreach_data):
    archive = zipfile.ZipFile(io.BytesIO(body(token_client(manager_user).get(f"{API}comprehensive/zip"))))
    analytics = json.loads(archive.read("analytics.json"))
    assert analytics["performance"]["auto_responses"]["replied"] == 35


def test_the_analytics_excel_has_a_table_per_test_variant(manager_user, outreach_data):
    from exports.services import ExportRequest, export_start
    from exports.storage import export_storage

    record = export_start(request=ExportRequest(user=manager_user, filters={}, format="excel", data_type="analytics"))
    with export_storage().open(record.file.name, "rb") as stored:
        book = openpyxl.load_workbook(io.BytesIO(stored.read()))
    # The per-variant table: the sheet whose header row has "Variant" and "Reply rate ci".
    variants = next(
        sheet for sheet in book.worksheets if "Reply rate ci" in (next(sheet.iter_rows(values_only=True)) or ())
    )
    rows = list(variants.iter_rows(values_only=True))
    header = rows[0]
    assert "Reply rate ci" in header and "Test" in header
    cells = [dict(zip(header, row, strict=False)) for row in rows[1:]]
    assert {row["Variant"] for row in cells} == {"A", "B"} and {row["Test"] for row in cells} == {"Greeting"}


def _message_queries(queries) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if 'FROM "outreach_autoresponse"' in query["sql"]]


def test_the_auto_responses_section_reads_the_messages_once(outreach_data):
    # Every figure is a sum over one GROUP BY: the dashboard read the messages four times before.
    with CaptureQueriesContext(connection) as queries:
        auto_response_analytics(filters={})
    assert len(_message_queries(queries)) == 1


def test_the_ab_tests_section_reads_the_messages_once_for_every_test(outreach_data):
    second = ABTestFactory(name="Second")
    messages(second, TemplateVariantFactory(template=second.template, name="C"), sent=3, replied=1)
    with CaptureQueriesContext(connection) as queries:
        section = ab_test_analytics()
    assert len(_message_queries(queries)) == 1
    sent = {test["name"]: [variant["sent"] for variant in test["variants"]] for test in section["tests"]}
    assert sent == {"Greeting": [120, 60], "Second": [3]}


def test_the_section_equals_figures_counted_message_by_message(outreach_data, settings):
    # Messages on several days, in every status, some converted after queueing, one converted before.
    settings.TIME_ZONE = "America/Los_Angeles"
    variant = TemplateVariantFactory(name="Solo")
    now = timezone.now()
    for index, status in enumerate(AutoResponseStatus.values * 2):
        lead = LeadFactory(status="converted" if index % 3 == 0 else "contacted")
        queued = now - datetime.timedelta(days=index * 5, hours=index)
        AutoResponseFactory(
            lead=lead,
            template=variant.template,
            variant=variant if index % 2 else None,
            status=status,
            queued_at=queued,
            sent_at=queued if status not in ("queued", "sending", "failed") else None,
            delivered_at=queued if index % 4 == 1 else None,
            replied_at=queued if status == "replied" or index == 5 else None,
            lead_status_at_queue="converted" if index == 3 else "new",
        )
    section = auto_response_analytics(filters={})

    rows = list(AutoResponse.objects.select_related("lead", "template", "variant"))
    sent = [row for row in rows if row.sent_at]
    converted = [row for row in sent if row.lead.status == "converted" and row.lead_status_at_queue != "converted"]
    assert (section["total"], section["sent"], section["converted"]) == (len(rows), len(sent), len(converted))
    assert section["replied"] == sum(1 for row in sent if row.replied_at)
    assert section["delivered"] == sum(1 for row in sent if row.delivered_at)
    assert {entry["status"]: entry["count"] for entry in section["by_status"]} == {
        status: sum(1 for row in rows if row.status == status) for status in AutoResponseStatus.values
    }
    per_variant = {(entry["template"], entry["variant"]): entry["sent"] for entry in section["by_template"]}
    expected = {}
    for row in sent:
        key = (row.template.name, row.variant.name if row.variant else "")
        expected[key] = expected.get(key, 0) + 1
    assert {key: value for key, value in per_variant.items() if value} == expected
    buckets = section["over_time"]["buckets"]
    assert sum(bucket["queued"] for bucket in buckets) == len(rows)
    assert sum(bucket["replied"] for bucket in buckets) == sum(1 for row in rows if row.replied_at)
    assert sum(bucket["converted"] for bucket in buckets) == len(converted)
    days = {timezone.localdate(row.queued_at) for row in rows}
    assert (buckets[0]["start"] <= min(days).isoformat(), buckets[-1]["end"] >= max(days).isoformat()) == (True, True)
