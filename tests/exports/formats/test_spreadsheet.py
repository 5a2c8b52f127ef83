import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from exports.content.columns import COLUMNS_BY_KEY
from exports.formats import sheetml, spreadsheet
from leads.models import LeadStatus
from tests.exports.factories import ExportFactory, export_write_bytes
from tests.exports.formats.conftest import CONTROL_TEXT, FORMULA_PAYLOADS, LONG_DESCRIPTION, WORLD_TEXT
from tests.exports.formats.expected import (
    TEXT_KEYS,
    local_naive_seconds,
    quoted,
    raw_value,
    readable_value,
    selected_leads,
)

pytestmark = pytest.mark.django_db

KEYS = ["id", "title", "description", "price", "status", "location", "category", "posted_at", "scraped_at"]


def load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def excel_expected(lead, key):
    value = readable_value(lead, key)
    if value is None or value == "":
        return None
    if key in ("posted_at", "scraped_at", "updated_at"):
        return local_naive_seconds(value)
    if key == "price":
        return float(value)
    if key in TEXT_KEYS:
        text = quoted(value)
        if len(text) > 32_767:  # cut, and marked as cut
            return text[: 32_767 - len(sheetml.CUT_MARKER)] + sheetml.CUT_MARKER
        return text
    return value


def excel_unescape(value):
    """Excel reads "_x000D_" in a cell's XML as a carriage return (XlsxWriter writes CR so); openpyxl does not."""
    if isinstance(value, str):
        return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda match: chr(int(match.group(1), 16)), value)
    return value


def sheet_rows(sheet):
    return [[excel_unescape(value) for value in row] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_leads_sheet_holds_the_filtered_leads_as_typed_cells(leads, exporter):
    export = ExportFactory(format="excel", created_by=exporter, columns=KEYS, filters={"location_names": ["sfbay"]})

    book = load(export_write_bytes(export))

    assert book.sheetnames == ["Leads", "Summary", "Notes", "Filters"]  # Notes: the control characters
    sheet = book["Leads"]
    assert [cell.value for cell in sheet[1]] == [COLUMNS_BY_KEY[key].header for key in KEYS]
    selected = selected_leads(export.filters)
    expected = []
    for lead in selected:
        row = [excel_expected(lead, key) for key in KEYS]
        if lead.title == CONTROL_TEXT:  # characters XML cannot hold are replaced, and the cell is marked
            row[1] = row[2] = "Bell\ufffd vertical\ufffd form\ufffd escape\ufffd end" + sheetml.CUT_MARKER
        expected.append(row)
    assert sheet_rows(sheet) == expected
    assert isinstance(sheet["A2"].value, int)
    assert sheet["D2"].number_format == spreadsheet.MONEY_FORMAT and isinstance(sheet["D2"].value, float)
    assert sheet["I2"].is_date and sheet["I2"].number_format == spreadsheet.DATE_FORMAT


def test_header_is_bold_frozen_filtered_and_widths_fit(leads, exporter):
    export = ExportFactory(format="excel", created_by=exporter, columns=KEYS)

    sheet = load(export_write_bytes(export))["Leads"]

    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:I{len(selected_leads({})) + 1}"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCI"}
    assert widths["C"] == pytest.approx(sheetml.MAX_WIDTH, abs=1)  # the 40,000-character description, capped
    assert widths["A"] < widths["B"] < widths["C"]  # ids are narrow, titles wider
    assert widths["I"] >= len("2026-11-27 09:30:15")


def test_formula_payloads_are_quoted_text_and_no_cell_is_a_formula(leads, exporter):
    export = ExportFactory(
        format="excel", created_by=exporter, columns=["title", "contact_name", "phone"], include_contact_info=True
    )

    data = export_write_bytes(export)

    sheet = load(data)["Leads"]
    titles = {excel_unescape(cell.value) for cell in sheet["A"][1:]}
    for payload in FORMULA_PAYLOADS:
        assert (payload if payload == "{=1+1}" else "'" + payload) in titles
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", archive.read(name)), name


def test_long_text_is_cut_to_the_cell_limit_and_world_text_survives(leads, exporter):
    export = ExportFactory(format="excel", created_by=exporter, columns=["title", "description"])

    rows = {row[0]: row[1] for row in sheet_rows(load(export_write_bytes(export))["Leads"])}

    assert rows["Long one"] == LONG_DESCRIPTION[: 32_767 - len(sheetml.CUT_MARKER)] + sheetml.CUT_MARKER
    assert len(rows["Long one"]) == 32_767
    assert rows[WORLD_TEXT] == WORLD_TEXT


def test_the_notes_sheet_lists_every_cell_that_was_cut(leads, exporter):
    export = ExportFactory(format="excel", created_by=exporter, columns=["id", "title", "description"])

    book = load(export_write_bytes(export))
    notes = list(book["Notes"].iter_rows(values_only=True))

    assert notes[0][0] == "3 cells could not be written whole"
    header = notes.index(("Sheet", "Row", "Lead id", "Column", "What happened"))
    listed = {(row[2], row[3]): row for row in notes[header + 1 :]}
    long_lead, control_lead = leads["long"], leads["control"]
    assert set(listed) == {(long_lead.pk, "Description"), (control_lead.pk, "Title"), (control_lead.pk, "Description")}
    assert listed[(long_lead.pk, "Description")][0] == "Leads"
    assert "32,767" in listed[(long_lead.pk, "Description")][4]
    assert "cannot carry" in listed[(control_lead.pk, "Title")][4]
    for (lead_id, _), (sheet, row, *_) in listed.items():  # each note points at its lead's row
        assert book[sheet].cell(row=row, column=1).value == lead_id


def test_a_workbook_without_cut_cells_has_no_notes_sheet(leads, exporter):
    export = ExportFactory(format="excel", created_by=exporter, columns=["id", "title"], filters={"status": ["new"]})

    assert "Notes" not in load(export_write_bytes(export)).sheetnames


def test_summary_sheet_counts_the_exported_leads(leads, exporter):
    export = ExportFactory(format="excel", created_by=exporter, filters={"categories": ["sss"]})

    summary = load(export_write_bytes(export))["Summary"]

    values = {row[0]: row[1:] for row in summary.iter_rows(values_only=True) if row[0]}
    selected = selected_leads(export.filters)
    assert values["Leads"][0] == len(selected)
    assert values["Lowest price"][0] == float(min(lead.price for lead in selected if lead.price is not None))
    assert values["New"][0] == sum(lead.status == LeadStatus.NEW for lead in selected)
    assert values["SF bay area"][:2] == ("sfbay", sum(lead.location.site_code == "sfbay" for lead in selected))


def test_filters_sheet_says_who_when_what_and_how_many(leads, exporter):
    export = ExportFactory(format="excel", created_by=exporter, filters={"status": ["new"], "min_price": "100"})

    sheet = load(export_write_bytes(export))["Filters"]

    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert values["Exported by"] == "exporter"
    assert values["Rows"] == len(selected_leads(export.filters))
    assert values["Filters"] == "Status: New · Minimum price: 100"
    assert values["status"] == '["new"]' and values["min_price"] == "100"
    assert any(key.startswith("Exported at (America/Los_Angeles)") for key in values)


def test_rows_continue_on_the_next_sheet_past_the_sheet_limit(leads, exporter, monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_SHEET_ROWS", 5)  # a header and four leads per sheet
    export = ExportFactory(format="excel", created_by=exporter, columns=["id", "title"])

    book = load(export_write_bytes(export))

    selected = selected_leads({})
    assert len(selected) == 13
    assert book.sheetnames == ["Leads", "Leads (2)", "Leads (3)", "Leads (4)", "Summary", "Notes", "Filters"]
    rows = []
    for name in book.sheetnames[:4]:
        assert [cell.value for cell in book[name][1]] == ["ID", "Title"]
        assert book[name].freeze_panes == "A2"
        rows.extend(sheet_rows(book[name]))
    assert [row[0] for row in rows] == [lead.pk for lead in selected]
    assert [len(sheet_rows(book[name])) for name in book.sheetnames[:4]] == [4, 4, 4, 1]


def test_update_ready_sheet_holds_raw_codes_and_iso_dates(leads, exporter):
    export = ExportFactory(
        format="excel",
        created_by=exporter,
        columns=["status", "location", "category", "scraped_at", "price"],
        options={"update_ready": True},
    )

    sheet = load(export_write_bytes(export))["Leads"]

    headers = ["id", "source_post_id", "location", "status", "category", "scraped_at", "price"]
    assert [cell.value for cell in sheet[1]] == headers
    selected = selected_leads({})
    for lead, row in zip(selected, sheet_rows(sheet), strict=True):
        assert row[:5] == [lead.pk, lead.source_post_id, lead.location.site_code, lead.status, lead.category.code]
        assert row[5] == raw_value(lead, "scraped_at").isoformat()
        assert row[6] == (None if lead.price is None else float(lead.price))


def test_analytics_workbook_has_an_overview_and_a_sheet_per_breakdown(leads, exporter):
    export = ExportFactory(format="excel", created_by=exporter, data_type="analytics", filters={"categories": ["sss"]})

    book = load(export_write_bytes(export))

    assert book.sheetnames[0] == "Overview" and book.sheetnames[-1] == "Filters"
    assert "Leads by status" in book.sheetnames and "Leads by location" in book.sheetnames
    by_status = book["Leads by status"]
    counts = {row[1]: row[2] for row in by_status.iter_rows(min_row=2, values_only=True)}
    assert counts["New"] == sum(lead.status == "new" for lead in selected_leads(export.filters))


def test_comprehensive_workbook_holds_leads_summary_and_analytics(leads, exporter):
    export = ExportFactory(format="excel", created_by=exporter, data_type="comprehensive", columns=["id"])

    book = load(export_write_bytes(export))

    assert book.sheetnames[:3] == ["Leads", "Summary", "Overview"] and book.sheetnames[-1] == "Filters"
    assert len(sheet_rows(book["Leads"])) == len(selected_leads({}))


def test_excel_serial_matches_excel_epoch():
    import datetime

    assert spreadsheet.excel_serial(datetime.datetime(1900, 3, 1)) == 61
    assert spreadsheet.excel_serial(datetime.datetime(2026, 11, 27, 12, 0, 0, 999999)) == 46353.5
    assert Decimal(1)  # keeps the import list honest for readers
