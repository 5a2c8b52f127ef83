"""The `rule_executions` data type, one row per run, in every format the registry offers for tables."""

import csv
import io
import json
import zipfile

import openpyxl
import pytest

from exports.datasets.registry import dataset_keys
from exports.formats.registry import format_keys
from exports.models import ExportStatus
from exports.services import ExportRequest, export_start
from rules.models import RuleActionKind, RuleTrigger
from rules.services.engine import rule_execute

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs(make_lead, make_rule):
    make_lead()
    make_lead()
    rule = make_rule(name="=Tagger", actions=[{"kind": RuleActionKind.ADD_NOTE, "tag": "t"}])  # a formula payload
    return [rule_execute(rule=rule, trigger=RuleTrigger.MANUAL), rule_execute(rule=rule, trigger=RuleTrigger.MANUAL)]


def read(export) -> bytes:
    with export.file.open("rb") as handle:
        return handle.read()


def test_the_data_type_is_registered():
    assert "rule_executions" in dataset_keys()


@pytest.mark.parametrize("format_key", [key for key in format_keys() if key != "pg_copy"])
def test_one_row_per_run_in_every_format(admin_user, runs, format_key):
    export = export_start(
        request=ExportRequest(user=admin_user, filters={}, format=format_key, data_type="rule_executions")
    )
    assert export.status == ExportStatus.COMPLETED, export.error_message
    assert export.row_count == 2
    content = read(export)
    newest, oldest = runs[1], runs[0]
    if format_key == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert rows[0][:3] == ["Run id", "Rule id", "Rule"]
        assert [row[0] for row in rows[1:]] == [str(newest.pk), str(oldest.pk)]
        assert rows[1][2] == "'=Tagger" and rows[1][3] == "By hand only"
        assert rows[1][8:10] == ["2", "0"] and rows[1][11] == "2"  # the second run skipped both
        assert rows[2][8:10] == ["2", "2"]
    elif format_key == "json":
        document = json.loads(content)
        items = document["rule_executions"]
        assert [item["id"] for item in items] == [newest.pk, oldest.pk]
        assert items[0]["trigger"] == "manual" and items[1]["leads_acted"] == 2
    elif format_key == "excel":
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        sheet = book["Rule executions"]
        values = list(sheet.iter_rows(values_only=True))
        assert values[0][0] == "Run id" and [row[0] for row in values[1:3]] == [newest.pk, oldest.pk]
    elif format_key == "zip":
        archive = zipfile.ZipFile(io.BytesIO(content))
        assert any(name.startswith("rule_executions") for name in archive.namelist())
    else:
        pytest.fail(f"a new format {format_key!r}: teach this test to read it")
