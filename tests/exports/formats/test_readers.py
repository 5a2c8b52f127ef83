"""Exports read by real spreadsheet programs (LibreOffice headless, gnumeric): the values the database
holds, and no cell ever a formula, for the hostile corpus of tests/roundtrip/corpus.py.

What each program shows of a text cell is the exported text: the formula-injection quote included
(LibreOffice keeps it; leads.cell_safety.unneutralise gives the stored text back), except that
gnumeric reading a CSV takes a leading quote as "text follows" and drops it, so it shows the stored
text itself. Cells Excel cannot hold whole end with sheetml.CUT_MARKER. CSV has no types, so a
reader guesses them ("00123" becomes 123): the CSV value checks read every column as text, and
the formula checks open files with each program's defaults, as a person would.

Where the programs themselves disagree, the tests say so: LibreOffice turns carriage returns in a
cell into line feeds (every one in a CSV; in a workbook a CR LF pair, and a lone CR in a cell that
also holds a line feed), where gnumeric and openpyxl keep them; and gnumeric decodes no "_xHHHH_"
escape in a workbook, so it shows the "_x005F_" that Excel and LibreOffice read as "_".
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from exports.formats.sheetml import CUT_MARKER, fit_text, xml_escape
from leads.cell_safety import neutralise, unneutralise
from tests.exports.factories import ExportFactory, export_write_bytes
from tests.exports.formats.readers import (
    gnumeric_csv,
    gnumeric_formula_cells,
    libreoffice_csv,
    libreoffice_formula_cells,
)
from tests.factories import LeadFactory
from tests.roundtrip.corpus import CORPUS, LONG

pytestmark = [pytest.mark.django_db, pytest.mark.readers]

COLUMNS = ["id", "title", "description", "contact_name", "price", "posted_at"]
TEXT = ["title", "description", "contact_name"]
HOSTILE_CSV = {  # invisible characters before a trigger: LibreOffice drops a NUL, and opens the rest as a formula
    "NUL formula": "\x00=1+1",
    "NUL hyperlink": '\x00=HYPERLINK("http://evil.example","x")',
}
OLD = datetime.datetime(1899, 6, 1, 10, 0, tzinfo=datetime.UTC)  # before 1900: ISO text in Excel files
RECENT = datetime.datetime(2026, 11, 27, 17, 30, 15, tzinfo=datetime.UTC)


@pytest.fixture
def corpus_leads(settings, db):
    settings.TIME_ZONE = "UTC"
    leads = {}
    for number, (name, text) in enumerate(sorted({**CORPUS, "long": LONG}.items())):
        leads[name] = LeadFactory(
            title=text[:300],
            description=text,
            contact_name=text[:200],
            price=Decimal("-2.00") if number % 2 else Decimal("1234.50"),
            posted_at=OLD if name == "formula" else RECENT,
        )
    return {lead.pk: lead for lead in leads.values()}


def write(tmp_path, name: str, format: str, **options) -> object:
    data = export_write_bytes(ExportFactory(format=format, columns=COLUMNS, include_contact_info=True, **options))
    path = tmp_path / name
    path.write_bytes(data)
    return path


def by_id(rows: list[list]) -> dict[int, dict]:
    """Rows by lead id, each a {column key: shown text} (readable and update-ready headers alike)."""
    keys = [header.split(" (")[0].lower().replace(" ", "_") for header in rows[0]]
    return {int(row[0]): dict(zip(keys, row, strict=True)) for row in rows[1:] if row and row[0]}


def libreoffice_lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")  # a CSV's cell, as LibreOffice reads it


def libreoffice_workbook_lines(text: str) -> str:
    text = text.replace("\r\n", "\n")  # a workbook's cell, as LibreOffice reads it
    return text.replace("\r", "\n") if "\n" in text else text


def check_text(shown: str, stored: str, *, written: str) -> None:
    assert shown == written, (stored[:40], shown[:60])
    if not written.endswith(CUT_MARKER):
        assert unneutralise(shown) == stored


def test_libreoffice_shows_the_stored_values_of_excel_exports(corpus_leads, tmp_path):
    readable = write(tmp_path, "readable.xlsx", "excel")
    update_ready = write(tmp_path, "update.xlsx", "excel", options={"update_ready": True})

    shown = libreoffice_csv([readable, update_ready], workdir=tmp_path)

    for path in (readable, update_ready):
        rows = by_id(shown[path])
        assert set(rows) == set(corpus_leads)
        for pk, lead in corpus_leads.items():
            for field in TEXT:
                stored = getattr(lead, field)
                written = libreoffice_workbook_lines(fit_text(stored)[0])
                check_text(rows[pk][field], libreoffice_workbook_lines(stored), written=written)
    readable_rows = by_id(shown[readable])
    for pk, lead in corpus_leads.items():
        assert readable_rows[pk]["price"] == f"${lead.price:,.2f}".replace("$-", "-$")
        expected_date = "1899-06-01 10:00:00" if lead.posted_at == OLD else "2026-11-27 17:30:15"
        assert readable_rows[pk]["posted_at"] == expected_date


def test_libreoffice_shows_the_stored_values_of_csv_exports(corpus_leads, tmp_path):
    readable = write(tmp_path, "readable.csv", "csv")
    update_ready = write(tmp_path, "update.csv", "csv", options={"update_ready": True})

    shown = libreoffice_csv([readable, update_ready], workdir=tmp_path, text_columns=len(COLUMNS))

    for path in (readable, update_ready):
        rows = by_id(shown[path])
        assert set(rows) == set(corpus_leads)
        for pk, lead in corpus_leads.items():
            for field in TEXT:
                stored = libreoffice_lines(getattr(lead, field))
                check_text(rows[pk][field], stored, written=neutralise(stored))


def test_gnumeric_shows_the_stored_values(corpus_leads, tmp_path):
    workbook = gnumeric_csv(write(tmp_path, "readable.xlsx", "excel"), workdir=tmp_path)
    text_file = gnumeric_csv(write(tmp_path, "readable.csv", "csv"), workdir=tmp_path)

    workbook_rows, csv_rows = by_id(workbook), by_id(text_file)
    for pk, lead in corpus_leads.items():
        for field in TEXT:
            stored = getattr(lead, field)
            written = fit_text(stored)[0]
            if "_x" in written:  # gnumeric shows the ST_Xstring escape itself (see the module docstring)
                written = xml_escape(written)
            else:
                check_text(workbook_rows[pk][field], stored, written=written)
            assert workbook_rows[pk][field] == written
            if stored not in (CORPUS["number-like"], CORPUS["date-like"]):  # CSV has no types: gnumeric guesses
                assert csv_rows[pk][field] == stored, (stored[:40], csv_rows[pk][field][:60])


@pytest.fixture
def hostile_leads(corpus_leads, db):
    if connection.vendor != "postgresql":  # PostgreSQL cannot store NUL; SQLite can (older data may hold it)
        for name, text in HOSTILE_CSV.items():
            LeadFactory(title=name, description=text, contact_name=text)
    return corpus_leads


def test_libreoffice_finds_no_formula_in_any_export(hostile_leads, tmp_path):
    files = [write(tmp_path, "leads.csv", "csv"), write(tmp_path, "update.csv", "csv", options={"update_ready": True})]
    workbooks = [
        write(tmp_path, "leads.xlsx", "excel"),
        write(tmp_path, "update.xlsx", "excel", options={"update_ready": True}),
    ]

    found = libreoffice_formula_cells(files, workdir=tmp_path) | libreoffice_formula_cells(workbooks, workdir=tmp_path)

    assert found == {path: [] for path in [*files, *workbooks]}


def test_gnumeric_finds_no_formula_in_any_export(hostile_leads, tmp_path):
    for path in (write(tmp_path, "leads.csv", "csv"), write(tmp_path, "leads.xlsx", "excel")):
        assert gnumeric_formula_cells(path, workdir=tmp_path) == [], path.name
