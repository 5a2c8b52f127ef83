import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from exports.models import ExportStatus
from tests.exports.factories import ExportFactory


def run(*args) -> str:
    out = io.StringIO()
    call_command("cleanup_exports", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def old(db):
    return ExportFactory.aged(days=10, completed=True, file_content=b"x" * 2048)


@pytest.fixture
def stale(db):
    return ExportFactory(running=True, heartbeat_at=timezone.now() - datetime.timedelta(hours=2))


def test_expires_old_exports_and_fails_stale_ones(old, stale):
    out = run("--days", "7")

    old.refresh_from_db()
    stale.refresh_from_db()
    assert old.status == ExportStatus.EXPIRED
    assert stale.status == ExportStatus.FAILED
    assert "Expired 1 exports older than 7 days, deleting 1 files (2.0 KB)" in out
    assert "marked 1 stale running exports failed" in out


def test_dry_run_changes_nothing(old, stale):
    out = run("--days", "7", "--dry-run")

    old.refresh_from_db()
    stale.refresh_from_db()
    assert (old.status, stale.status) == (ExportStatus.COMPLETED, ExportStatus.RUNNING)
    assert out.startswith("Dry run: would expire 1 exports")
    assert "mark 1 stale running exports failed" in out


def test_days_default_to_the_setting(old, settings):
    settings.EXPORT_CLEANUP_DAYS = 30

    out = run()

    old.refresh_from_db()
    assert old.status == ExportStatus.COMPLETED
    assert "older than 30 days" in out


def test_negative_days_are_refused(db):
    with pytest.raises(CommandError, match="--days"):
        run("--days", "-1")
