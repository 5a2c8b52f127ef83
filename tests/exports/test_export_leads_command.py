import csv
import hashlib
import io
import sys

import pytest
from django.core.management import CommandError, call_command

from exports.models import Export, ExportSource, ExportStatus
from exports.storage import export_storage
from tests.exports.factories import UserFactory
from tests.exports.services.fakes import FakeWriter, install
from tests.factories import LeadFactory


@pytest.fixture
def admin_user(db):
    return UserFactory(username="boss", is_superuser=True)


@pytest.fixture
def leads(db):
    return [LeadFactory(status="new", title="Blue bike"), LeadFactory(status="contacted", title="Red car")]


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_leads", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_exports_to_the_file_and_records_it(admin_user, leads, tmp_path):
    target = tmp_path / "leads.csv"

    out, _ = run("--format", "csv", "-o", str(target))

    export = Export.objects.get()
    assert export.status == ExportStatus.COMPLETED
    assert (export.source, export.created_by) == (ExportSource.CLI, admin_user)
    content = target.read_bytes()
    with export_storage().open(export.file.name, "rb") as stored:
        assert content == stored.read()
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == 3
    assert f"Exported 2 rows to {target}" in out
    assert hashlib.sha256(content).hexdigest() in out


def test_filters_and_columns_are_options(admin_user, leads, tmp_path):
    target = tmp_path / "new.json"

    run("--format", "json", "--status", "new", "--columns", "title,status", "-o", str(target))

    export = Export.objects.get()
    assert export.filters == {"status": ["new"]}
    assert export.columns == ["title", "status"]
    assert export.rows_written == 1
    assert b"Blue bike" in target.read_bytes()
    assert b"Red car" not in target.read_bytes()


def test_format_options_and_contact_info(admin_user, leads, tmp_path):
    run("--format", "csv", "--bom", "--update-ready", "--contact-info", "-o", str(tmp_path / "x.csv"))

    export = Export.objects.get()
    assert export.options == {"csv_bom": True, "update_ready": True}
    assert export.include_contact_info


def test_records_under_the_named_user(admin_user, leads, tmp_path):
    staff = UserFactory(username="pat", permissions=["leads.view_lead", "exports.export_leads"])

    run("--format", "csv", "--user", "pat", "-o", str(tmp_path / "x.csv"))

    assert Export.objects.get().created_by == staff


def test_a_user_without_permission_is_refused(admin_user, leads, tmp_path):
    UserFactory(username="pat")

    with pytest.raises(CommandError, match="permission to export leads"):
        run("--format", "csv", "--user", "pat", "-o", str(tmp_path / "x.csv"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "nobody"], "No active user is named 'nobody'"),
        (["--status", "bogus"], "Invalid input: --status: "),
        (["--date-from", "soon"], "--date-from: Enter a valid date as YYYY-MM-DD."),
        (["--columns", "shoe_size"], "--columns: "),
    ],
)
def test_bad_input_is_one_sentence(admin_user, leads, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        run("--format", "csv", *args, "-o", str(tmp_path / "x.csv"))
    assert not (tmp_path / "x.csv").exists()


def test_no_superuser_and_no_user(leads, tmp_path):
    with pytest.raises(CommandError, match="No active superuser"):
        run("--format", "csv", "-o", str(tmp_path / "x.csv"))


def test_over_the_limit_states_count_and_limit(admin_user, leads, tmp_path, settings):
    settings.EXPORT_MAX_RECORDS = 1

    with pytest.raises(CommandError, match="2 leads, over the limit of 1"):
        run("--format", "csv", "-o", str(tmp_path / "x.csv"))


def test_missing_output_folder(admin_user, leads, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run("--format", "csv", "-o", str(tmp_path / "nowhere" / "x.csv"))


def test_a_failed_export_exits_with_its_message(admin_user, leads, tmp_path, monkeypatch):
    install(monkeypatch, FakeWriter(fail_after=1, error=OSError(28, "No space left on device")))

    with pytest.raises(CommandError, match=r"The export failed: Disk full while writing the file\."):
        run("--format", "csv", "-o", str(tmp_path / "x.csv"))
    assert Export.objects.get().status == ExportStatus.FAILED
    assert not (tmp_path / "x.csv").exists()


def test_progress_bar_on_a_terminal(admin_user, leads, tmp_path, monkeypatch):
    install(monkeypatch, FakeWriter())
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)

    _, err = run("--format", "csv", "-o", str(tmp_path / "x.csv"))

    assert "\r[" in err
    assert "100% 2/2 rows" in err


def test_no_progress_bar_when_piped(admin_user, leads, tmp_path, monkeypatch):
    install(monkeypatch, FakeWriter())
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)

    _, err = run("--format", "csv", "-o", str(tmp_path / "x.csv"))

    assert err == ""


def test_every_filter_of_the_spec_is_an_option():
    from django.core.management import load_command_class

    from leads.filters import FILTER_PARAMETERS

    parser = load_command_class("exports", "export_leads").create_parser("manage.py", "export_leads")
    flags = {flag for action in parser._actions for flag in action.option_strings}

    assert {"--" + name.replace("_", "-") for name in FILTER_PARAMETERS} <= flags
