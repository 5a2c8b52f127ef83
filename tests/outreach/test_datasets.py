"""The `auto_responses` and `ab_test_results` data types, through the one export path, in every format."""

import csv
import io
import json
import zipfile

import openpyxl
import pytest

from exports.formats.registry import available_formats
from exports.models import ExportStatus
from exports.services import ExportRequest, export_start
from exports.storage import export_storage
from outreach.models import AutoResponseStatus
from tests.api.conftest import MANAGER_PERMISSIONS, SALES_PERMISSIONS, grant
from tests.exports.factories import UserFactory
from tests.factories import LeadFactory
from tests.outreach.abdata import messages
from tests.outreach.factories import ABTestFactory, AutoResponseFactory, TemplateVariantFactory

pytestmark = pytest.mark.django_db
TABLE_FORMATS = [fmt.key for fmt in available_formats()]


@pytest.fixture
def manager(db):
    return grant(UserFactory(username="manager"), *MANAGER_PERMISSIONS, "outreach.view_all_autoresponses")


@pytest.fixture
def outbox(db):
    replied = AutoResponseFactory(lead=LeadFactory(email="kim@example.com", title="Oak desk"))
    replied.status, replied.sent_at, replied.replied_at = (
        AutoResponseStatus.REPLIED,
        replied.queued_at,
        replied.queued_at,
    )
    replied.save()
    AutoResponseFactory(lead=LeadFactory(email="lee@example.com", title="Bike", status="rejected"))
    return replied


def export(user, fmt, data_type, **options):
    record = export_start(request=ExportRequest(user=user, filters={}, format=fmt, data_type=data_type, **options))
    assert record.status == ExportStatus.COMPLETED, record.error_message
    with export_storage().open(record.file.name, "rb") as stored:
        return record, stored.read()


def table_rows(fmt: str, content: bytes, sheet: str) -> list[dict]:
    """The data rows as dicts, read back with the real reader of each format."""
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    if fmt == "excel":
        rows = list(openpyxl.load_workbook(io.BytesIO(content))[sheet].iter_rows(values_only=True))
        return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    if fmt == "json":
        document = json.loads(content)
        return document[next(key for key in document if key != "metadata")]
    archive = zipfile.ZipFile(io.BytesIO(content))
    member = next(name for name in archive.namelist() if name.endswith(".csv"))
    return list(csv.DictReader(io.StringIO(archive.read(member).decode("utf-8-sig"))))


def test_every_table_format_is_offered():
    assert {"csv", "excel", "json", "zip"} <= set(TABLE_FORMATS)


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_auto_responses_in_every_format_without_addresses_by_default(manager, outbox, fmt):
    record, content = export(manager, fmt, "auto_responses")

    rows = table_rows(fmt, content, "Auto-responses")
    assert record.row_count == 2 and len(rows) == 2
    by_title = {row.get("Lead title", row.get("lead_title")): row for row in rows}
    assert set(by_title) == {"Oak desk", "Bike"}
    status = by_title["Oak desk"].get("Status", by_title["Oak desk"].get("status"))
    assert status in ("Replied", "replied")
    assert b"kim@example.com" not in content and not any("E-mail" in row or "to_email" in row for row in rows)


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_auto_responses_with_contact_information_under_the_permission(manager, outbox, fmt):
    _, content = export(manager, fmt, "auto_responses", include_contact_info=True)
    rows = table_rows(fmt, content, "Auto-responses")
    assert {row.get("E-mail", row.get("to_email")) for row in rows} == {"kim@example.com", "lee@example.com"}


def test_addresses_are_refused_without_the_contact_permission(outbox):
    from django.core.exceptions import PermissionDenied

    sales = grant(UserFactory(username="sales"), *SALES_PERMISSIONS)
    with pytest.raises(PermissionDenied):
        export(sales, "csv", "auto_responses", include_contact_info=True)


def test_sales_staff_export_only_the_messages_they_may_see(outbox):
    sales = grant(UserFactory(username="sales"), *SALES_PERMISSIONS)
    record, content = export(sales, "csv", "auto_responses")
    # Staff without view_all see only messages to leads assigned to them: none here.
    # (row_count, checked against the limits before the file is written, counts every message of the spec.)
    assert record.rows_written == 0 and content.decode("utf-8-sig").count("\n") == 1


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_ab_test_results_one_row_per_variant_in_every_format(manager, settings, fmt):
    settings.AB_TEST_MIN_SAMPLE = 50
    test = ABTestFactory(name="Subject line")
    a = TemplateVariantFactory(template=test.template, name="A")
    b = TemplateVariantFactory(template=test.template, name="B")
    messages(test, a, sent=100, replied=30, converted=8)
    messages(test, b, sent=100, replied=10)

    _, content = export(manager, fmt, "ab_test_results")

    rows = table_rows(fmt, content, "AB test results")
    get = lambda row, key, header: row.get(header, row.get(key))  # noqa: E731
    assert sorted(get(r, "variant", "Variant") for r in rows) == ["A", "B"]
    row_a = next(r for r in rows if get(r, "variant", "Variant") == "A")
    assert int(get(row_a, "sent", "Sent")) == 100 and int(get(row_a, "converted", "Converted")) == 8
    assert float(get(row_a, "reply_rate", "Reply rate")) == 0.3
    low, high = (
        float(get(row_a, "reply_rate_ci_low", "Reply rate 95% low")),
        float(get(row_a, "reply_rate_ci_high", "Reply rate 95% high")),
    )
    assert low < 0.3 < high
    assert get(row_a, "state", "State") == "winner" and get(row_a, "winner", "Winner") == "A"
    assert float(get(row_a, "p_value", "p-value")) < 0.05
