import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from exports.formats import sheetml


def build(write) -> bytes:
    destination = io.BytesIO()
    book = sheetml.Workbook(destination)
    write(book)
    book.close()
    return destination.getvalue()


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")])
def test_column_letters(index, letters):
    assert sheetml.column_letter(index) == letters


def test_xml_escape_keeps_carriage_returns_and_literal_excel_escapes():
    assert sheetml.xml_escape("a & <b> \r c") == "a &amp; &lt;b&gt; &#13; c"
    assert sheetml.xml_escape("_x0041_ and max_x") == "_x005F_x0041_ and max_x"
    # Overlapping escapes: Excel decodes left to right, so each underscore that starts one is escaped.
    assert sheetml.xml_escape("_x0041_x0042_") == "_x005F_x0041_x005F_x0042_"


def test_values_round_trip_with_types_styles_and_sheets():
    moment = datetime.datetime(2026, 11, 27, 9, 30, 15)

    def write(book):
        first = book.add_sheet("Data one", freeze_header=True, autofilter=True)
        first.append(["Name", "Count", "Price", "When", "Share", "Flag", "Day"], style=sheetml.BOLD)
        first.append(
            ["a & b <c>", 3, Decimal("1234.50"), moment, 0.25, True, datetime.date(2026, 1, 2)],
            styles=[None, None, sheetml.MONEY, None, sheetml.SHARE],
        )
        first.append([None, "", "x\ry"])
        second = book.add_sheet("It's two")
        second.append(["only"])

    book = openpyxl.load_workbook(io.BytesIO(build(write)))

    assert book.sheetnames == ["Data one", "It's two"]
    sheet = book["Data one"]
    assert [cell.value for cell in sheet[2]] == ["a & b <c>", 3, 1234.5, moment, 0.25, "yes", "2026-01-02"]
    assert sheet["C2"].number_format == sheetml.MONEY_FORMAT and sheet["E2"].number_format == sheetml.SHARE_FORMAT
    assert sheet["D2"].is_date and sheet["A1"].font.b and not sheet["A2"].font.b
    assert [cell.value for cell in sheet[3]][:3] == [None, None, "x\ry"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:G3"
    assert book["It's two"].freeze_panes is None and book["It's two"]["A1"].value == "only"
    assert "_xlnm._FilterDatabase" in zipfile.ZipFile(io.BytesIO(build(write))).read("xl/workbook.xml").decode()


def test_widths_come_from_the_sampled_rows_and_are_capped():
    def write(book):
        sheet = book.add_sheet("Widths", sample_rows=2)
        sheet.append(["id", "short"])
        sheet.append(["x" * 30, "y" * 500])
        sheet.append(["z" * 50, "w"])  # past the sample: the widths are already written

    sheet = openpyxl.load_workbook(io.BytesIO(build(write)))["Widths"]

    assert sheet.column_dimensions["A"].width == 32
    assert sheet.column_dimensions["B"].width == sheetml.MAX_WIDTH


def test_no_cell_is_ever_a_formula():
    data = build(lambda book: book.add_sheet("S").append(["=1+1", "=SUM(A1:A2)", "@x"]))

    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and xml.count('t="inlineStr"') == 3
    assert openpyxl.load_workbook(io.BytesIO(data))["S"]["A1"].data_type == "s"


def test_sheet_names_must_be_unique_and_abort_releases_the_file():
    destination = io.BytesIO()
    book = sheetml.Workbook(destination)
    book.add_sheet("Leads").append(["a"])
    with pytest.raises(ValueError, match="already exists"):
        book.add_sheet("leads")
    book.abort()
