"""A new data type is one Dataset class listed in EXPORT_DATASETS: defined here, outside the app, it is
exported as CSV, Excel and JSON (and offered by the API and the command line) without editing any other file."""

import csv
import io
import json
from collections.abc import Iterator, Sequence

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count
from django.test import override_settings

from exports.content.columns import CellKind
from exports.datasets.base import Dataset, Field, Layout, Style, Table, TableRow
from exports.models import Export, ExportStatus
from exports.services import ExportRequest, export_start
from exports.storage import export_storage
from leads.models import Location
from leads.selectors import lead_list
from tests.api.conftest import MANAGER_PERMISSIONS, grant, token_client
from tests.exports.factories import UserFactory
from tests.factories import LeadFactory, LocationFactory


class LocationsDataset(Dataset):
    """Leads per location for a spec: one row per location with at least one matching lead."""

    key = "locations"
    label = "Leads per location"
    rows_key = "locations"
    rows_label = "Locations"

    def _counts(self):
        leads = lead_list(filters=self.context.filters).order_by()
        return leads.values("location__name", "location__site_code").annotate(leads=Count("pk")).order_by("-leads")

    def count(self) -> int:
        return self._counts().count()

    def layout(self, style: Style) -> Layout:
        name = (lambda key, header: key) if style == Style.DOCUMENT else (lambda key, header: header)
        return Layout(
            fields=(
                Field("location", name("location", "Location")),
                Field("site_code", name("site_code", "Site code")),
                Field("leads", name("leads", "Leads"), CellKind.INTEGER),
            )
        )

    def rows(self, style: Style) -> Iterator[Sequence]:
        for row in self._counts().iterator():
            yield (row["location__name"], row["location__site_code"], row["leads"])

    def tables(self) -> list[Table]:
        total = lead_list(filters=self.context.filters).count()
        return [Table(name="Total", rows=(TableRow(("Leads", total)),))]


EXTRA = override_settings(EXPORT_DATASETS=[*settings.EXPORT_DATASETS, f"{__name__}.LocationsDataset"])


@pytest.fixture(autouse=True)
def _locations_registered():
    with EXTRA:
        yield


@pytest.fixture
def manager(db):
    return grant(UserFactory(username="manager"), *MANAGER_PERMISSIONS)


@pytest.fixture
def leads(db):
    sfbay = LocationFactory(name="=SF bay", site_code="sfbay")  # a formula payload, neutralised in CSV/Excel
    boston = LocationFactory(name="Boston", site_code="boston")
    LocationFactory(name="Empty", site_code="empty")
    made = [LeadFactory(location=sfbay, status="new") for _ in range(3)]
    made += [LeadFactory(location=boston, status="new"), LeadFactory(location=boston, status="contacted")]
    return made


EXPECTED_NEW = [("=SF bay", "sfbay", 3), ("Boston", "boston", 1)]


def export_file(user, export_format: str, filters=None) -> tuple[Export, bytes]:
    export = export_start(
        request=ExportRequest(
            user=user, filters=filters or {"status": "new"}, format=export_format, data_type="locations"
        )
    )
    assert export.status == ExportStatus.COMPLETED, export.error_message
    with export_storage().open(export.file.name, "rb") as stored:
        return export, stored.read()


def test_exported_as_csv(manager, leads):
    export, content = export_file(manager, "csv")

    header, *rows = csv.reader(io.StringIO(content.decode("utf-8"), newline=""))
    assert header == ["Location", "Site code", "Leads"]
    assert rows == [["'=SF bay", "sfbay", "3"], ["Boston", "boston", "1"]]
    assert (export.row_count, export.rows_written) == (2, 2)
    assert export.file_name.startswith("locations_new_") and export.file_name.endswith(".csv")


def test_exported_as_excel_with_its_tables_and_the_filters_sheet(manager, leads):
    _, content = export_file(manager, "excel")

    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Locations", "Total", "Filters"]
    rows = list(book["Locations"].iter_rows(values_only=True))
    assert rows == [("Location", "Site code", "Leads"), ("'=SF bay", "sfbay", 3), ("Boston", "boston", 1)]
    assert list(book["Total"].iter_rows(values_only=True)) == [("Leads", 4)]
    facts = {row[0]: row[1] for row in book["Filters"].iter_rows(values_only=True) if row and row[0]}
    assert facts["Data"] == "Leads per location" and facts["Rows"] == 2


def test_exported_as_json(manager, leads):
    _, content = export_file(manager, "json")

    document = json.loads(content)
    assert document["locations"] == [
        {"location": "=SF bay", "site_code": "sfbay", "leads": 3},  # JSON keeps raw values
        {"location": "Boston", "site_code": "boston", "leads": 1},
    ]
    assert document["metadata"]["count"] == 2
    assert document["metadata"]["data_type"] == "locations"
    assert document["metadata"]["columns"] == ["location", "site_code", "leads"]
    assert document["metadata"]["filters"] == {"status": ["new"]}


def test_an_empty_match_is_the_header_alone(manager, leads):
    _, content = export_file(manager, "csv", filters={"location_names": "atlantis"})
    assert content.decode() == "Location,Site code,Leads\r\n"


def test_the_api_and_the_command_line_offer_it(manager, leads, tmp_path):
    api = token_client(manager)
    data_types = api.get("/api/v1/export/config/data-types").json()["data_types"]
    assert {"value": "locations", "label": "Leads per location", "export_types": ["csv", "excel", "json", "zip"]} in (
        data_types
    )
    created = api.post("/api/v1/export/create", {"export_type": "json", "data_type": "locations"}, format="json")
    assert created.status_code == 201, created.json()
    assert Export.objects.get(pk=created.json()["id"]).rows_written == Location.objects.exclude(name="Empty").count()

    UserFactory(username="boss", is_superuser=True)
    target = tmp_path / "locations.csv"
    call_command("export_leads", "--format", "csv", "--data-type", "locations", "-o", str(target), stdout=io.StringIO())
    assert target.read_text().splitlines()[0] == "Location,Site code,Leads"


def test_columns_cannot_be_chosen_for_a_fixed_layout(manager, leads):
    response = token_client(manager).post(
        "/api/v1/export/create", {"export_type": "csv", "data_type": "locations", "columns": ["title"]}, format="json"
    )
    assert response.status_code == 400
    assert "fixed columns" in response.json()["columns"][0]
