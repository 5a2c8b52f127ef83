"""manage.py run_scheduled_exports: one pass, or a loop that survives errors and stops cleanly."""

import datetime
import io
import os
import signal
import threading
import time

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone

from exports.management.commands import run_scheduled_exports
from exports.models import Export, ExportSource, SavedExport
from exports.services.scheduled import ScheduledPass
from tests.exports.factories import SavedExportFactory, UserFactory
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db
OWNER = ["leads.view_lead", "exports.export_leads", "exports.add_savedexport"]


@pytest.fixture(autouse=True)
def _no_cleanup_marker():
    cache.clear()


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("run_scheduled_exports", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def due_saved_export(**overrides) -> SavedExport:
    owner = UserFactory(username="owner", permissions=OWNER)
    values = {
        "owner": owner,
        "name": "Morning feed",
        "frequency": "daily",
        "run_time": datetime.time(0, 0),
        "next_run_at": timezone.now() - datetime.timedelta(minutes=1),
        **overrides,
    }
    return SavedExportFactory(**values)


def test_once_with_nothing_due_says_so():
    out, err = run()
    assert "No scheduled exports were due." in out
    assert err == ""


def test_once_runs_what_is_due_and_reports_it():
    LeadFactory()
    saved = due_saved_export()
    out, _ = run()
    export = Export.objects.get(saved_export=saved)
    assert export.source == ExportSource.SCHEDULE
    assert f"Started 'Morning feed': export {export.pk} (CSV, 1 rows) is completed." in out
    assert "No scheduled exports were due." in run()[0]  # the slot is served


def test_a_schedule_that_cannot_run_is_reported_on_stderr(settings):
    settings.EXPORT_MAX_RECORDS = 1
    LeadFactory.create_batch(2)
    due_saved_export()
    _, err = run()
    assert "Could not run 'Morning feed': This export would contain 2 leads, over the limit of 1." in err
    assert not Export.objects.exists()


def test_the_first_pass_of_the_day_reports_the_cleanup():
    out, _ = run()
    assert "Daily cleanup: 0 export(s) expired" in out
    assert "Daily cleanup" not in run()[0]


def test_interval_must_be_positive():
    with pytest.raises(CommandError, match="at least 1 second"):
        run("--loop", "--interval", "0")


def _fake_passes(monkeypatch, *steps):
    """Replace the scheduler pass with `steps`, one per pass: an exception to raise or a callable to call."""
    calls = []

    def fake_pass():
        step = steps[len(calls)]
        calls.append(step)
        if isinstance(step, BaseException):
            raise step
        step()
        return ScheduledPass()

    monkeypatch.setattr(run_scheduled_exports, "scheduled_exports_pass", fake_pass)
    return calls


def _signal_soon(signum):
    """Send `signum` to this process shortly, while the loop is waiting for its next pass."""
    timer = threading.Timer(0.2, os.kill, args=(os.getpid(), signum))
    timer.start()
    return timer


def test_loop_stops_cleanly_on_ctrl_c_while_waiting(monkeypatch):
    calls = _fake_passes(monkeypatch, lambda: _signal_soon(signal.SIGINT))
    started = time.monotonic()
    out, err = run("--loop", "--interval", "60")
    assert time.monotonic() - started < 10
    assert len(calls) == 1
    assert "press Ctrl-C to stop" in out
    assert out.rstrip().endswith("Scheduler stopped.")
    assert err == ""


def test_loop_stops_cleanly_on_ctrl_c_during_a_pass(monkeypatch):
    calls = _fake_passes(monkeypatch, lambda: os.kill(os.getpid(), signal.SIGINT))
    out, _ = run("--loop", "--interval", "60")
    assert len(calls) == 1
    assert out.rstrip().endswith("Scheduler stopped.")


def test_loop_stops_cleanly_on_sigterm_and_restores_the_handler(monkeypatch):
    before = signal.getsignal(signal.SIGTERM)
    calls = _fake_passes(monkeypatch, lambda: _signal_soon(signal.SIGTERM))
    out, _ = run("--loop", "--interval", "60")
    assert len(calls) == 1
    assert "Scheduler stopped." in out
    assert signal.getsignal(signal.SIGTERM) is before


def test_loop_survives_a_failed_pass(monkeypatch):
    calls = _fake_passes(
        monkeypatch, OperationalError("server closed the connection"), lambda: os.kill(os.getpid(), signal.SIGTERM)
    )
    out, err = run("--loop", "--interval", "1")
    assert len(calls) == 2
    assert "Scheduler pass failed: server closed the connection" in err
    assert "Scheduler stopped." in out
