"""The `rules` and `schedules` sections of the performance analytics: API, generate, exports."""

import datetime
import io
import json
import zipfile

import pytest
from django.utils import timezone

from operations.services.schedules import schedule_execution_track
from rules.models import RuleActionKind, RuleTrigger
from rules.services.engine import rule_execute

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(make_lead, make_rule):
    leads = [make_lead() for _ in range(3)]
    rule = make_rule(name="Tagger", actions=[{"kind": RuleActionKind.ADD_NOTE, "tag": "t"}])
    broken = make_rule(name="Broken", actions=[{"kind": RuleActionKind.ADD_NOTE}])
    rule_execute(rule=rule, trigger=RuleTrigger.MANUAL)
    rule_execute(rule=broken, trigger=RuleTrigger.MANUAL, lead_ids=[leads[0].pk])
    slot = timezone.now() - datetime.timedelta(hours=2)
    with schedule_execution_track(job_kind="export", job_id=7, job_name="Morning", slot=slot):
        pass
    return rule, broken


def test_the_performance_endpoint_has_rules_and_schedules(admin_client, figures):
    _rule, _broken = figures
    data = admin_client.get("/api/v1/export/analytics/performance").json()
    assert "runs" in data  # the scraping section is still there
    rules = data["rules"]
    assert (rules["runs"], rules["leads_matched"], rules["leads_acted"], rules["errors"]) == (2, 4, 3, 1)
    by_name = {row["name"]: row for row in rules["by_rule"]}
    assert by_name["Tagger"]["actions_done"] == 3 and by_name["Broken"]["errors"] == 1
    schedules = data["schedules"]
    assert (schedules["runs"], schedules["late"], schedules["failed"]) == (1, 1, 0)
    assert schedules["jobs"][0]["job"] == "export:7"


def test_a_period_outside_the_runs_counts_nothing(admin_client, figures):
    data = admin_client.get("/api/v1/export/analytics/performance?date_from=2020-01-01&date_to=2020-01-31").json()
    assert data["rules"]["runs"] == 0 and data["schedules"]["runs"] == 0
    assert data["rules"]["period"] == {"start": "2020-01-01", "end": "2020-01-31"}


def test_generate_includes_the_sections(admin_client, figures):
    response = admin_client.post("/api/v1/export/analytics/generate", {"filters": {}}, content_type="application/json")
    assert response.status_code == 200
    performance = response.json()["performance"]
    assert performance["rules"]["runs"] == 2 and performance["schedules"]["runs"] == 1


def test_analytics_exports_carry_the_sections(admin_user, figures):
    from exports.services import ExportRequest, export_start

    export = export_start(request=ExportRequest(user=admin_user, filters={}, format="json", data_type="analytics"))
    with export.file.open("rb") as handle:
        document = json.loads(handle.read())
    text = json.dumps(document)
    assert '"rules"' in text and '"schedules"' in text and "Tagger" in text

    export = export_start(request=ExportRequest(user=admin_user, filters={}, format="excel", data_type="analytics"))
    from openpyxl import load_workbook

    with export.file.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()), read_only=True)
    names = " ".join(book.sheetnames).lower()
    assert "rules" in names and "schedules" in names

    export = export_start(request=ExportRequest(user=admin_user, filters={}, format="zip", data_type="comprehensive"))
    with export.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    blob = b"".join(archive.read(name) for name in archive.namelist())
    assert b"Tagger" in blob
