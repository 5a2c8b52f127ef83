"""manage.py import_leads FILE: counts, row errors with row numbers, bad files as one sentence and a non-zero exit."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from leads.management.commands.import_leads import Command
from leads.models import Lead, LeadStatus
from tests.factories import CategoryFactory, LocationFactory

pytestmark = pytest.mark.django_db

GOOD = (
    "source_post_id,location,category,title,price,status\n"
    "7001,sfbay,sss,Oak table,250,new\n"
    "7002,sfbay,sss,Bike,80,Contacted\n"
)
BAD = (
    "source_post_id,location,category,title,price,status,email\n"
    "7001,sfbay,sss,Oak table,250,new,\n"
    "7002,atlantis,sss,Bike,80,new,\n"
    "7003,sfbay,sss,Lamp,cheap,new,not-an-address\n"
)


@pytest.fixture(autouse=True)
def sites():
    LocationFactory(site_code="sfbay")
    CategoryFactory(code="sss")


@pytest.fixture
def write(tmp_path):
    def write(name: str, content: str | bytes):
        path = tmp_path / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return str(path)

    return write


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_leads", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_a_csv_file_and_prints_the_counts(write):
    out, _ = run(write("leads.csv", GOOD))

    assert out.strip() == "Imported 2 rows: 2 new, 0 updated, 0 unchanged."
    assert Lead.objects.count() == 2


def test_importing_the_same_file_again_creates_nothing_and_a_changed_row_updates(write):
    run(write("leads.csv", GOOD))

    out, _ = run(write("leads.csv", GOOD))
    assert "0 new, 0 updated, 2 unchanged" in out

    out, _ = run(write("leads.csv", GOOD.replace("Bike,80,Contacted", "Bike,80,qualified")))
    assert "0 new, 1 updated, 1 unchanged" in out
    assert Lead.objects.count() == 2
    assert Lead.objects.get(source_post_id="7002").status == LeadStatus.QUALIFIED


def test_an_xlsx_file(write):
    book = openpyxl.Workbook()
    for line in GOOD.splitlines():
        book.active.append(line.split(","))
    data = io.BytesIO()
    book.save(data)

    out, _ = run(write("leads.xlsx", data.getvalue()))

    assert "2 new" in out


def test_a_json_file_with_the_format_given(write):
    document = '[{"source_post_id": "7001", "location": "sfbay", "category": "sss", "title": "Oak table"}]'

    out, _ = run(write("leads.data", document), "--format", "json")

    assert "1 new" in out


def test_row_errors_are_printed_with_their_row_numbers_and_nothing_is_imported(write):
    with pytest.raises(CommandError) as error:
        out, err = io.StringIO(), io.StringIO()
        call_command("import_leads", write("leads.csv", BAD), stdout=out, stderr=err)

    assert str(error.value) == ("Nothing was imported: 2 rows of 3 have errors. Correct them and run the import again.")
    assert err.getvalue().splitlines() == [
        "row 2, location: unknown location “atlantis”",
        "row 3, price: “cheap” is not a price; give a number such as 120 or 1,200.50",
    ]
    assert not Lead.objects.exists()


def test_a_dry_run_saves_nothing(write):
    out, _ = run(write("leads.csv", GOOD), "--dry-run")

    assert out.strip() == "Dry run, nothing saved. The import would give: 2 new, 0 updated, 0 unchanged."
    assert not Lead.objects.exists()


def test_ignored_columns_are_named(write):
    out, _ = run(write("leads.csv", GOOD.replace("status\n", "status,notes\n", 1)))

    assert "Ignored columns (not lead fields): notes." in out


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("leads.csv", bytes(range(256)), "Nothing was imported. The file is not UTF-8 text (line 1)."),
        ("leads.xlsx", GOOD, "Nothing was imported. The file is not an Excel workbook (.xlsx)."),
        ("leads.json", "{not json", "Nothing was imported. The file is not valid JSON:"),
        ("leads.csv", "", "Nothing was imported. The file is empty."),
        ("leads.csv", "title,price\nOak,1\n", "Nothing was imported. The file has no “location” and “source_post_id”"),
        ("leads.txt", GOOD, "Nothing was imported. Cannot tell the format of “leads.txt”"),
    ],
)
def test_a_bad_file_is_one_sentence(write, name, content, message):
    with pytest.raises(CommandError) as error:
        run(write(name, content))

    assert str(error.value).startswith(message)
    assert not Lead.objects.exists()


def test_a_missing_file_exits_non_zero_with_a_sentence_and_no_traceback(tmp_path, capsys):
    missing = tmp_path / "nowhere.csv"

    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["manage.py", "import_leads", str(missing)])

    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert f"Nothing was imported. There is no file {missing}." in err
    assert "Traceback" not in err


def test_row_errors_exit_non_zero(write, capsys):
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["manage.py", "import_leads", write("leads.csv", BAD)])

    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "row 2, location: unknown location “atlantis”" in err
    assert "Traceback" not in err
