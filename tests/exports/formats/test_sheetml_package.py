"""sheetml's files are well-formed Open XML packages, and its cells hold only what a cell can hold.

The package checks read every part with an XML parser and follow the package's own references:
content types, relationships, sheets, rows and cell references, the autofilter's range.
(A streamed sheet has no <dimension>: it is optional in SpreadsheetML, and a streamed writer cannot
know the used range before the rows; readers compute it, as the LibreOffice and gnumeric tests show.)
"""

import datetime
import io
import math
import posixpath
import re
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

import openpyxl
import pytest

from exports.formats import sheetml
from leads.cell_safety import neutralise
from tests.roundtrip.corpus import CORPUS, LONG

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
REFERENCE = re.compile(r"([A-Z]{1,3})([1-9][0-9]*)")


def build(write, **options) -> bytes:
    destination = io.BytesIO()
    book = sheetml.Workbook(destination, **options)
    write(book)
    book.close()
    return destination.getvalue()


def hostile_book(book) -> None:
    leads = book.add_sheet("Leads", freeze_header=True, autofilter=True, sample_rows=3)
    leads.append(["Name", "Text", "Number", "When"], style=sheetml.BOLD)
    for number, (name, text) in enumerate(sorted({**CORPUS, "long": LONG, "nul": "a\x00=b"}.items())):
        leads.append([name, text, number * 1.5, datetime.datetime(2026, 1, 1 + number % 28, 12)])
    other = book.add_sheet('It\'s "two" & <more>')
    other.append([float("nan"), None, "", math.inf, Decimal("NaN"), 7])


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def test_every_part_is_well_formed_and_every_reference_resolves():
    archive = zipfile.ZipFile(io.BytesIO(build(hostile_book)))
    names = set(archive.namelist())
    parts = {name: ElementTree.fromstring(archive.read(name)) for name in names}  # raises on malformed XML

    types = parts["[Content_Types].xml"]
    defaults = {item.get("Extension") for item in types.iter(f"{TYPES}Default")}
    overrides = {item.get("PartName").lstrip("/") for item in types.iter(f"{TYPES}Override")}
    assert overrides <= names, overrides - names
    for name in names - {"[Content_Types].xml"}:
        assert name in overrides or name.rsplit(".", 1)[-1] in defaults, f"{name} has no content type"
    assert "xl/workbook.xml" in overrides and "xl/styles.xml" in overrides

    def targets(rels_name: str, base: str) -> dict[str, str]:
        found = {}
        for relation in parts[rels_name].iter(f"{PACKAGE_RELS}Relationship"):
            target = posixpath.normpath(posixpath.join(base, relation.get("Target")))
            assert target in names, f"{rels_name}: {target} is missing"
            found[relation.get("Id")] = target
        return found

    assert "xl/workbook.xml" in targets("_rels/.rels", "").values()
    workbook_targets = targets("xl/_rels/workbook.xml.rels", "xl")
    sheets = [
        (sheet.get("name"), workbook_targets[sheet.get(REL_ID)])
        for sheet in parts["xl/workbook.xml"].iter(f"{MAIN}sheet")
    ]
    assert [name for name, _ in sheets] == ["Leads", 'It\'s "two" & <more>']
    for _, target in sheets:
        check_sheet(parts[target])


def check_sheet(sheet) -> None:
    previous_row = 0
    widest = 0
    for row in sheet.iter(f"{MAIN}row"):
        number = int(row.get("r"))
        assert number > previous_row, "rows out of order"
        previous_row = number
        previous_column = 0
        for cell in row.iter(f"{MAIN}c"):
            letters, digits = REFERENCE.fullmatch(cell.get("r")).groups()
            assert int(digits) == number, cell.get("r")
            column = column_number(letters)
            assert column > previous_column, f"cells out of order at {cell.get('r')}"
            previous_column = widest_column = column
            widest = max(widest, widest_column)
            assert cell.find(f"{MAIN}f") is None, "a formula"
            assert cell.get("t") in (None, "inlineStr")
            value = cell.find(f"{MAIN}v")
            if cell.get("t") is None:
                assert math.isfinite(float(value.text)), value.text
            else:
                text = "".join(cell.find(f"{MAIN}is").itertext())
                assert len(text.encode("utf-16-le")) // 2 <= sheetml.EXCEL_CELL_MAX
    autofilter = sheet.find(f"{MAIN}autoFilter")
    if autofilter is not None:
        assert autofilter.get("ref") == f"A1:{sheetml.column_letter(widest - 1)}{previous_row}"


def test_nan_and_infinity_never_reach_a_cell():
    book = openpyxl.load_workbook(io.BytesIO(build(hostile_book)))
    assert [cell.value for cell in book.worksheets[1][1]] == [None, None, None, None, None, 7]


def test_aware_datetimes_are_written_in_the_site_time_zone(settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    moment = datetime.datetime(2026, 11, 27, 17, 30, 15, tzinfo=datetime.UTC)

    sheet = openpyxl.load_workbook(io.BytesIO(build(lambda book: book.add_sheet("S").append([moment]))))["S"]

    assert sheet["A1"].value == datetime.datetime(2026, 11, 27, 9, 30, 15)  # 17:30 UTC is 09:30 in San Francisco


def test_a_workbook_can_be_given_its_own_time_zone():
    moment = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)
    zone = datetime.timezone(datetime.timedelta(hours=2))

    sheet = openpyxl.load_workbook(io.BytesIO(build(lambda book: book.add_sheet("S").append([moment]), zone=zone)))["S"]

    assert sheet["A1"].value == datetime.datetime(2026, 6, 1, 14, 0)


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (datetime.datetime(1899, 12, 31, 23, 59, 59), "1899-12-31 23:59:59"),
        (datetime.datetime(1900, 1, 1), "1900-01-01 00:00:00"),  # Excel's serial 1 is not every reader's
        (datetime.datetime(1900, 2, 28, 8, 0), "1900-02-28 08:00:00"),
        (datetime.datetime(1, 1, 1), "0001-01-01 00:00:00"),
    ],
)
def test_dates_before_march_1900_are_iso_text(moment, shown):
    sheet = openpyxl.load_workbook(io.BytesIO(build(lambda book: book.add_sheet("S").append([moment]))))["S"]
    assert sheet["A1"].value == shown and sheet["A1"].data_type == "s"


def test_dates_from_march_1900_are_dates():
    moment = datetime.datetime(1900, 3, 1, 6, 0)
    sheet = openpyxl.load_workbook(io.BytesIO(build(lambda book: book.add_sheet("S").append([moment]))))["S"]
    assert sheet["A1"].value == moment and sheet["A1"].is_date


def test_the_writer_itself_handles_characters_xml_cannot_carry():
    data = build(
        lambda book: book.add_sheet("Bad \x01 name", autofilter=True).append(
            ["a\x00=b", "\ud800", "\ufffe\uffff", "ok\tok"]
        )
    )

    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]

    assert [cell.value for cell in sheet[1]] == [
        "a\ufffd=b" + sheetml.CUT_MARKER,
        "\ufffd" + sheetml.CUT_MARKER,
        "\ufffd\ufffd" + sheetml.CUT_MARKER,
        "ok\tok",
    ]
    assert sheet.title == "Bad \ufffd name" and sheet.auto_filter.ref == "A1:D1"


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("x" * sheetml.EXCEL_CELL_MAX, False),
        ("x" * (sheetml.EXCEL_CELL_MAX + 1), True),
        ("=" + "x" * (sheetml.EXCEL_CELL_MAX - 1), True),  # the quote takes it over the limit
        ("🚲" * (sheetml.EXCEL_CELL_MAX // 2), False),
        ("🚲" * (sheetml.EXCEL_CELL_MAX // 2 + 1), True),  # two UTF-16 units each
    ],
)
def test_fit_text_cuts_at_the_cell_limit_in_utf16_units_and_marks_it(text, cut):
    fitted, problem = sheetml.fit_text(text)
    assert len(fitted.encode("utf-16-le")) // 2 <= sheetml.EXCEL_CELL_MAX
    assert (problem is not None) == cut == fitted.endswith(sheetml.CUT_MARKER)
    if cut:
        assert "32,767" in problem
        assert neutralise(text).startswith(fitted[: -len(sheetml.CUT_MARKER)])  # the start of the quoted text
    else:
        assert fitted == text


def test_cut_never_splits_a_surrogate_pair():
    assert sheetml.cut_utf16("a🚲", 2) == "a"
    assert sheetml.cut_utf16("a🚲", 3) == "a🚲"
