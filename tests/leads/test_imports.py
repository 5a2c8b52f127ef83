"""lead_import: CSV, Excel and JSON files, bad files, limits, dedupe, row errors, all or nothing, export round trips."""

import csv
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from exports.writing import export_write
from leads.importing.readers import lead_file_open
from leads.imports import LeadImportFileError, lead_import, lead_import_format
from leads.models import Lead, LeadStatus
from tests.exports.factories import ExportFactory, UserFactory
from tests.factories import CategoryFactory, LeadFactory, LocationFactory

pytestmark = pytest.mark.django_db

HEADERS = ["source_post_id", "location", "category", "title", "price", "status", "email"]
ROWS = [
    ["7001", "sfbay", "sss", "Oak table", "250", "new", "pat@example.com"],
    ["7002", "sfbay", "sss", "Bike", "80.50", "Contacted", ""],
]


@pytest.fixture(autouse=True)
def sites():
    LocationFactory(name="SF bay area", site_code="sfbay")
    CategoryFactory(name="for sale", code="sss")


def csv_bytes(headers=HEADERS, rows=ROWS, *, delimiter=",", bom=False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode()


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, table in sheets.items():
        sheet = book.create_sheet(name)
        for line in table:
            sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def json_bytes(document) -> bytes:
    return json.dumps(document).encode()


def as_objects(headers=HEADERS, rows=ROWS) -> list[dict]:
    return [dict(zip(headers, line, strict=True)) for line in rows]


def imported() -> list[tuple]:
    return list(Lead.objects.order_by("source_post_id").values_list("source_post_id", "title", "price", "status"))


EXPECTED = [("7001", "Oak table", Decimal("250.00"), "new"), ("7002", "Bike", Decimal("80.50"), "contacted")]


class TestFormats:
    def test_csv_from_a_path(self, tmp_path):
        path = tmp_path / "leads.csv"
        path.write_bytes(csv_bytes())

        result = lead_import(file_path_or_bytes=path)

        assert (result.format, result.rows, result.new, result.saved) == ("csv", 2, 2, True)
        assert imported() == EXPECTED

    def test_csv_with_a_byte_order_mark_and_semicolons(self):
        result = lead_import(file_path_or_bytes=csv_bytes(delimiter=";", bom=True), format="csv")

        assert result.new == 2
        assert imported() == EXPECTED

    def test_xlsx_made_with_openpyxl(self, tmp_path):
        path = tmp_path / "leads.xlsx"
        rows = [
            ["7001", "sfbay", "sss", "Oak table", 250, "new", "pat@example.com"],
            [7002, "sfbay", "sss", "Bike", 80.5, "Contacted", None],
        ]
        path.write_bytes(xlsx_bytes({"Sheet": [HEADERS, *rows]}))

        result = lead_import(file_path_or_bytes=path)

        assert (result.format, result.new) == ("xlsx", 2)
        assert imported() == EXPECTED

    def test_xlsx_reads_the_leads_sheets_of_an_export_and_not_the_others(self):
        data = xlsx_bytes(
            {
                "Summary": [["Leads", 2]],
                "Leads": [HEADERS, ROWS[0]],
                "Leads (2)": [HEADERS, ROWS[1]],
                "Filters": [["Exported by", "pat"]],
            }
        )

        result = lead_import(file_path_or_bytes=data, format="xlsx")

        assert result.new == 2
        assert imported() == EXPECTED

    def test_json_list_of_objects(self):
        result = lead_import(file_path_or_bytes=json_bytes(as_objects()), format="json")

        assert result.new == 2
        assert imported() == EXPECTED

    def test_json_document_with_a_leads_list(self):
        document = {"metadata": {"update_ready": True}, "leads": as_objects()}

        result = lead_import(file_path_or_bytes=json_bytes(document), format="json")

        assert result.new == 2
        assert imported() == EXPECTED


class TestFormatChoice:
    @pytest.mark.parametrize(("name", "key"), [("a.csv", "csv"), ("b.XLSX", "xlsx"), ("dir/c.json", "json")])
    def test_the_extension_decides(self, name, key):
        assert lead_import_format(format=None, file_name=name) == key

    def test_the_given_format_wins_over_the_extension(self, tmp_path):
        path = tmp_path / "leads.txt"
        path.write_bytes(csv_bytes())

        assert lead_import(file_path_or_bytes=path, format="csv").new == 2

    @pytest.mark.parametrize(
        ("name", "message"),
        [
            ("leads.txt", "Cannot tell the format of “leads.txt”"),
            ("leads.xls", "Old Excel .xls workbooks cannot be imported"),
            ("leads", "Cannot tell the format of “leads”"),
        ],
    )
    def test_an_unknown_extension_is_refused_with_a_sentence(self, tmp_path, name, message):
        path = tmp_path / name
        path.write_bytes(csv_bytes())

        with pytest.raises(LeadImportFileError, match=message):
            lead_import(file_path_or_bytes=path)

    def test_bytes_need_a_format(self):
        with pytest.raises(LeadImportFileError, match="Give the file's format"):
            lead_import(file_path_or_bytes=csv_bytes())

    def test_an_unknown_format_is_refused(self):
        with pytest.raises(LeadImportFileError, match="Unknown import format “yaml”"):
            lead_import(file_path_or_bytes=csv_bytes(), format="yaml")


class TestBadFiles:
    @pytest.mark.parametrize(
        ("format", "message"),
        [
            ("csv", "not UTF-8 text"),
            ("xlsx", "not an Excel workbook"),
            ("json", "A JSON import holds a list of lead objects"),
        ],
    )
    def test_garbage_bytes(self, format, message):
        garbage = bytes(range(256)) * 4

        with pytest.raises(LeadImportFileError, match=message):
            lead_import(file_path_or_bytes=garbage, format=format)

    def test_text_that_is_not_json(self):
        with pytest.raises(LeadImportFileError, match="A JSON import holds a list of lead objects"):
            lead_import(file_path_or_bytes=b"source_post_id,location\n1,sfbay\n", format="json")

    @pytest.mark.parametrize("data", [b'[{"source_post_id": "1",', b'{"leads": [{"a": tru}]}', b'[{"a": "\xff"}]'])
    def test_broken_json(self, data):
        with pytest.raises(LeadImportFileError, match=r"The file is not (valid JSON|UTF-8 text)"):
            lead_import(file_path_or_bytes=data, format="json")

    @pytest.mark.parametrize("document", [{"rows": []}, [1, 2], "leads", {"leads": {"a": 1}}])
    def test_json_of_the_wrong_shape(self, document):
        with pytest.raises(LeadImportFileError, match=r"(A|a) JSON import holds a list of lead objects"):
            lead_import(file_path_or_bytes=json_bytes(document), format="json")

    def test_a_csv_file_named_xlsx(self, tmp_path):
        path = tmp_path / "leads.xlsx"
        path.write_bytes(csv_bytes())

        with pytest.raises(LeadImportFileError, match=r"not an Excel workbook \(.xlsx\)"):
            lead_import(file_path_or_bytes=path)

    @pytest.mark.parametrize("format", ["csv", "json", "xlsx"])
    def test_an_empty_file(self, format):
        with pytest.raises(LeadImportFileError, match=r"The file is empty\."):
            lead_import(file_path_or_bytes=b"", format=format)

    def test_headers_without_rows(self):
        with pytest.raises(LeadImportFileError, match="headers but no lead rows"):
            lead_import(file_path_or_bytes=csv_bytes(rows=[]), format="csv")

    def test_missing_identity_columns(self):
        data = csv_bytes(["title", "Location "], [["Oak table", "sfbay"]])

        with pytest.raises(LeadImportFileError) as error:
            lead_import(file_path_or_bytes=data, format="csv")

        assert error.value.message.startswith("The file has no “source_post_id” column.")
        assert "location and source_post_id are required" in error.value.message

    def test_readable_export_headers_are_read_as_their_fields(self):
        data = csv_bytes(
            ["Post ID", "Location", "Category", "Title", "Found at (America/New_York)", "E-mail", "Location code"],
            [["7001", "SF bay area", "for sale", "Oak table", "2026-11-27 09:30:00", "pat@example.com", "sfbay"]],
        )

        result = lead_import(file_path_or_bytes=data, format="csv")

        assert (result.new, result.ignored_columns) == (1, ("Location code",))
        lead = Lead.objects.get()
        assert (lead.source_post_id, lead.location.site_code, lead.email) == ("7001", "sfbay", "pat@example.com")

    def test_a_repeated_column(self):
        data = csv_bytes(["source_post_id", "location", "Title", "title"], [["1", "sfbay", "a", "b"]])

        with pytest.raises(LeadImportFileError, match="appear more than once: title"):
            lead_import(file_path_or_bytes=data, format="csv")

    def test_a_missing_file(self, tmp_path):
        with pytest.raises(LeadImportFileError, match=r"There is no file .*nowhere\.csv"):
            lead_import(file_path_or_bytes=tmp_path / "nowhere.csv")

    def test_a_folder(self, tmp_path):
        folder = tmp_path / "folder.csv"
        folder.mkdir()

        with pytest.raises(LeadImportFileError, match="is a folder, not a file"):
            lead_import(file_path_or_bytes=folder)

    @pytest.mark.parametrize("format", ["csv", "xlsx", "json"])
    def test_more_rows_than_allowed_are_refused_while_reading(self, settings, format, monkeypatch):
        settings.LEAD_IMPORT_MAX_ROWS = settings.EXPORT_MAX_RECORDS = 1
        rows = [[str(7000 + n), "sfbay", "sss", f"Lead {n}", "", "", ""] for n in range(50)]
        data = {
            "csv": csv_bytes(rows=rows),
            "xlsx": xlsx_bytes({"Leads": [HEADERS, *rows]}),
            "json": json_bytes(as_objects(rows=rows)),
        }[format]
        cleaned = []
        from leads.importing import cleaning

        original = cleaning.RowCleaner.clean
        monkeypatch.setattr(cleaning.RowCleaner, "clean", lambda self, row: cleaned.append(1) or original(self, row))

        with pytest.raises(LeadImportFileError, match="more than 1 lead rows; an import takes at most 1"):
            lead_import(file_path_or_bytes=data, format=format)
        assert len(cleaned) == 0  # refused while reading the first batch, before any row was cleaned
        assert not Lead.objects.exists()

    def test_the_row_limit_is_never_below_the_export_limit(self, settings):
        settings.LEAD_IMPORT_MAX_ROWS, settings.EXPORT_MAX_RECORDS = 1, 5

        assert lead_import(file_path_or_bytes=csv_bytes(), format="csv").new == 2

    def test_a_file_over_the_size_limit_is_refused_before_it_is_read(self, settings, tmp_path, monkeypatch):
        settings.LEAD_IMPORT_MAX_BYTES = 100
        path = tmp_path / "big.csv"
        path.write_bytes(csv_bytes(rows=ROWS * 10))
        from leads.importing import files

        monkeypatch.setattr(files, "lead_file_open", lambda **kwargs: pytest.fail("the file was read"))

        with pytest.raises(LeadImportFileError, match=r"The file is 0\.0 MB; an import takes at most 0\.0 MB"):
            lead_import(file_path_or_bytes=path)


class TestReading:
    def test_headers_are_matched_in_any_case_and_unknown_ones_are_reported(self):
        data = csv_bytes(
            ["Source Post ID", " LOCATION", "category", "title", "Notes"], [["1", "sfbay", "sss", "a", "x"]]
        )

        read = lead_file_open(handle=io.BytesIO(data), format="csv", max_rows=10)

        assert list(read.rows) == [{"source_post_id": "1", "location": "sfbay", "category": "sss", "title": "a"}]
        assert read.ignored_columns == ("Notes",)

    def test_blank_rows_are_skipped_and_rows_are_numbered_from_the_first_lead(self):
        rows = [ROWS[0], ["", "", "", "", "", "", ""], [], ["7003", "sfbay", "sss", "Lamp", "cheap", "", ""]]

        result = lead_import(file_path_or_bytes=csv_bytes(rows=rows), format="csv")

        assert result.rows == 2
        assert [error.row for error in result.errors] == [2]

    def test_the_export_quote_before_formula_text_is_removed(self):
        rows = [["7001", "sfbay", "sss", "'=SUM(A1)", "", "new", ""]]
        data = csv_bytes([*HEADERS, "phone"], [[*rows[0], "'+1 415 555 0100"]])

        lead_import(file_path_or_bytes=data, format="csv")

        lead = Lead.objects.get()
        assert (lead.title, lead.phone) == ("=SUM(A1)", "+14155550100")

    def test_json_keeps_a_leading_quote(self):
        objects = [{**as_objects()[0], "title": "'=not escaped"}]

        lead_import(file_path_or_bytes=json_bytes(objects), format="json")

        assert Lead.objects.get().title == "'=not escaped"


class TestImport:
    def test_importing_the_same_file_twice_creates_nothing_new(self):
        data = csv_bytes()
        lead_import(file_path_or_bytes=data, format="csv")

        again = lead_import(file_path_or_bytes=data, format="csv")

        assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
        assert Lead.objects.count() == 2

    def test_a_changed_row_updates_its_lead(self):
        lead_import(file_path_or_bytes=csv_bytes(), format="csv")
        changed = [ROWS[0], [*ROWS[1][:4], "75", "qualified", "new@example.com"]]

        result = lead_import(file_path_or_bytes=csv_bytes(rows=changed), format="csv")

        assert (result.new, result.updated, result.unchanged) == (0, 1, 1)
        bike = Lead.objects.get(source_post_id="7002")
        assert (bike.price, bike.status, bike.email) == (Decimal("75.00"), LeadStatus.QUALIFIED, "new@example.com")

    def test_row_errors_carry_row_numbers_and_nothing_is_imported(self):
        rows = [ROWS[0], ["7002", "atlantis", "sss", "Bike", "x", "new", ""], ["7003", "sfbay", "sss", "", "", "", ""]]

        result = lead_import(file_path_or_bytes=csv_bytes(rows=rows), format="csv")

        assert not result.saved
        assert [(error.row, error.messages) for error in result.errors] == [
            (
                2,
                (
                    "location: unknown location “atlantis”",
                    "price: “x” is not a price; give a number such as 120 or 1,200.50",
                ),
            ),
            (3, ("title: give the title",)),
        ]
        assert not Lead.objects.exists()

    def test_a_dry_run_counts_but_saves_nothing(self):
        result = lead_import(file_path_or_bytes=csv_bytes(), format="csv", dry_run=True)

        assert (result.new, result.dry_run, result.saved) == (2, True, False)
        assert not Lead.objects.exists()

    def test_a_user_needs_the_import_permission(self):
        viewer = UserFactory(permissions=["leads.view_lead", "leads.add_lead", "leads.change_lead"])
        editor = UserFactory(permissions=["leads.import_leads"])

        with pytest.raises(PermissionDenied):
            lead_import(file_path_or_bytes=csv_bytes(), format="csv", user=viewer)
        assert lead_import(file_path_or_bytes=csv_bytes(), format="csv", user=editor).new == 2


@pytest.mark.parametrize(("export_format", "import_format"), [("csv", "csv"), ("excel", "xlsx"), ("json", "json")])
def test_an_edited_update_ready_export_updates_those_leads(export_format, import_format):
    """The export engine's update-ready file (ids and raw codes), edited, re-imports as updates of the same leads."""
    first = LeadFactory(title="=cmd first", phone="+1 415 555 0100", status=LeadStatus.NEW)
    second = LeadFactory(title="Second", status=LeadStatus.NEW)
    export = ExportFactory(format=export_format, include_contact_info=True, options={"update_ready": True})
    out = io.BytesIO()
    export_write(export=export, destination=out, on_progress=lambda rows: None)
    data = out.getvalue()

    unchanged = lead_import(file_path_or_bytes=data, format=import_format)
    assert (unchanged.new, unchanged.updated, unchanged.unchanged, unchanged.errors) == (0, 0, 2, ())

    edited = _set_status(data, import_format, lead_id=second.pk, status="converted")
    result = lead_import(file_path_or_bytes=edited, format=import_format)

    assert (result.new, result.updated, result.unchanged, result.errors) == (0, 1, 1, ())
    assert Lead.objects.count() == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.title, first.phone, first.status) == ("=cmd first", "+14155550100", LeadStatus.NEW)
    assert second.status == LeadStatus.CONVERTED


def _set_status(data: bytes, format: str, *, lead_id: int, status: str) -> bytes:
    """The file with one lead's status changed, as a person editing it would (headers and ids untouched)."""
    if format == "csv":
        table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        id_at, status_at = table[0].index("id"), table[0].index("status")
        for line in table[1:]:
            if line[id_at] == str(lead_id):
                line[status_at] = status
        return csv_bytes(table[0], table[1:])
    if format == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data))
        sheet = book["Leads"]
        headers = [cell.value for cell in sheet[1]]
        for line in sheet.iter_rows(min_row=2):
            if line[headers.index("id")].value == lead_id:
                line[headers.index("status")].value = status
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    document = json.loads(data)
    for lead in document["leads"]:
        if lead["id"] == lead_id:
            lead["status"] = status
    return json_bytes(document)


@pytest.mark.parametrize(("export_format", "import_format"), [("csv", "csv"), ("excel", "xlsx"), ("json", "json")])
def test_a_readable_export_re_imports_unchanged(export_format, import_format, settings):
    """A normal export (labels as headers, location and category names, status labels) re-imports."""
    settings.TIME_ZONE = "America/Los_Angeles"
    LeadFactory(title="=cmd first", phone="+1 415 555 0100", status=LeadStatus.QUALIFIED)
    LeadFactory(title="Second", price=None, posted_at=None)
    export = ExportFactory(format=export_format, include_contact_info=True, options={})
    out = io.BytesIO()
    export_write(export=export, destination=out, on_progress=lambda rows: None)

    result = lead_import(file_path_or_bytes=out.getvalue(), format=import_format)

    assert (result.new, result.updated, result.unchanged, result.errors) == (0, 0, 2, ())


@pytest.mark.parametrize(
    ("format", "data"),
    [
        ("csv", b"source_post_id,location,category,title\n1,sfbay,sss,a\x00b\n"),
        ("json", b'[{"source_post_id": "1", "location": "sfbay", "category": "sss", "title": "a\\u0000b"}]'),
        ("xlsx", None),
    ],
)
def test_a_nul_character_is_named_with_its_row_and_field_in_every_format(format, data):
    if data is None:
        book = openpyxl.Workbook()
        book.active.append(["source_post_id", "location", "category", "title"])
        book.active.append(["1", "sfbay", "sss", "ok"])
        out = io.BytesIO()
        book.save(out)
        # openpyxl refuses to write a NUL; Excel stores one as "_x0000_", so that goes into the sheet's XML.
        import zipfile

        source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
        target = io.BytesIO()
        with zipfile.ZipFile(target, "w") as archive:
            for item in source.infolist():
                content = source.read(item.filename)
                if item.filename.endswith(".xml"):
                    content = content.replace(b">ok<", b">a_x0000_b<")
                archive.writestr(item, content)
        data = target.getvalue()

    result = lead_import(file_path_or_bytes=data, format=format)

    assert [error.text for error in result.errors] == ["row 1, title: contains a NUL character"]
    assert not Lead.objects.exists()


def test_a_workbook_whose_sheet_xml_breaks_midway_is_a_sentence_not_a_crash():
    book = openpyxl.Workbook()
    book.active.append(["source_post_id", "location", "category", "title"])
    book.active.append(["1", "sfbay", "sss", "ok"])
    out = io.BytesIO()
    book.save(out)
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.endswith(".xml"):
                content = content.replace(b">ok<", b">a&#0;b<")  # not well-formed XML
            archive.writestr(item, content)

    with pytest.raises(LeadImportFileError, match="The sheet “Sheet” cannot be read after lead row 0"):
        lead_import(file_path_or_bytes=target.getvalue(), format="xlsx")


def test_json_keys_that_are_not_lead_fields_are_reported():
    objects = [{**as_objects()[0], "notes": "x"}, {**as_objects()[1], "notes": "y", "\ud800bad": 1}]
    data = json.dumps(objects).encode()

    result = lead_import(file_path_or_bytes=data, format="json")

    assert result.ignored_columns == ("notes", "\\ud800bad")
    assert result.new == 2
