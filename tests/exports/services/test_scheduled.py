"""Running saved exports on their schedule: due slots, never twice, new leads only, e-mails, isolation."""

import datetime
import threading

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from exports.errors import ExportLimitExceeded
from exports.models import Export, ExportSource, ExportStatus, SavedExport
from exports.services import scheduled
from exports.services.saved import saved_export_create
from exports.services.scheduled import saved_export_run, saved_exports_run_due, scheduled_exports_pass
from exports.storage import export_storage
from tests.exports.factories import ExportFactory, UserFactory
from tests.factories import LeadFactory

OWNER = ["leads.view_lead", "exports.export_leads", "exports.add_savedexport", "exports.change_savedexport"]
SEVEN = datetime.time(7, 0)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_time_zone(settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    cache.clear()  # the daily-cleanup marker


@pytest.fixture
def owner(db):
    return UserFactory(username="owner", email="owner@example.com", permissions=OWNER)


def daily(owner, **overrides) -> SavedExport:
    values = {"user": owner, "name": "Daily", "filters": {}, "frequency": "daily", "run_time": SEVEN, **overrides}
    return saved_export_create(**values)


def exported_ids(export: Export) -> set[int]:
    """The lead ids the fake writer wrote (one per line)."""
    export.refresh_from_db()
    with export_storage().open(export.file.name, "rb") as handle:
        return {int(line) for line in handle.read().split()}


def test_nothing_runs_before_the_slot_and_one_export_runs_at_it(owner, leads, fake_writer):
    saved = daily(owner)
    slot = saved.next_run_at
    assert saved_exports_run_due(now=slot - datetime.timedelta(seconds=1)) == []

    [export] = saved_exports_run_due(now=slot)

    assert export.status == ExportStatus.COMPLETED
    assert (export.source, export.saved_export, export.created_by) == (ExportSource.SCHEDULE, saved, owner)
    saved.refresh_from_db()
    assert saved.last_slot == slot
    assert saved.next_run_at == slot + DAY
    assert saved.last_run_at == slot


def test_a_slot_is_never_served_twice_however_often_the_scheduler_runs(owner, leads, fake_writer):
    saved = daily(owner)
    slot = saved.next_run_at
    assert len(saved_exports_run_due(now=slot)) == 1
    assert saved_exports_run_due(now=slot) == []
    assert saved_exports_run_due(now=slot + 5 * HOUR) == []
    assert len(saved_exports_run_due(now=slot + DAY)) == 1
    assert Export.objects.filter(saved_export=saved).count() == 2
    assert fake_writer.calls == 2


def test_a_scheduler_that_read_the_schedule_before_another_claimed_it_does_not_run_it(
    owner, leads, fake_writer, monkeypatch
):
    saved = daily(owner)
    slot = saved.next_run_at
    read_by_both = list(scheduled._due_candidates(slot))  # both schedulers read before either claims
    monkeypatch.setattr(scheduled, "_due_candidates", lambda now: read_by_both)

    first = saved_exports_run_due(now=slot)
    second = saved_exports_run_due(now=slot + datetime.timedelta(seconds=30))

    assert len(first) == 1
    assert second == []
    assert Export.objects.filter(saved_export=saved).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_two_schedulers_at_the_same_moment_run_a_slot_once(fake_writer):
    owner = UserFactory(username="owner", email="owner@example.com", permissions=OWNER)
    LeadFactory()
    saved = daily(owner)
    barrier = threading.Barrier(4)
    results: list[list[Export]] = []

    def scheduler():
        try:
            barrier.wait()
            results.append(saved_exports_run_due(now=saved.next_run_at))
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(len(result) for result in results) == [0, 0, 0, 1]
    assert Export.objects.filter(saved_export=saved).count() == 1


def test_after_downtime_only_the_latest_slot_runs_once(owner, leads, fake_writer):
    saved = daily(owner)
    three_days_late = saved.next_run_at + 3 * DAY + 2 * HOUR
    assert len(saved_exports_run_due(now=three_days_late)) == 1
    assert saved_exports_run_due(now=three_days_late + HOUR) == []
    saved.refresh_from_db()
    assert saved.last_slot == saved.next_run_at - DAY  # today's 07:00; the next is tomorrow's


def test_only_new_since_last_run_exports_each_lead_once_without_gaps(owner, fake_writer):
    saved = daily(owner, only_new_since_last_run=True)
    first_slot = saved.next_run_at
    old = LeadFactory(scraped_at=first_slot - 2 * DAY)
    before_first = LeadFactory(scraped_at=first_slot - HOUR)
    on_first = LeadFactory(scraped_at=first_slot)
    # Found after the slot but before the (late) scheduler got to it: belongs to the next run.
    just_after_first = LeadFactory(scraped_at=first_slot + HOUR)

    [first] = saved_exports_run_due(now=first_slot + 2 * HOUR)
    before_second = LeadFactory(scraped_at=first_slot + DAY - HOUR)
    [second] = saved_exports_run_due(now=first_slot + DAY)

    assert exported_ids(first) == {before_first.pk, on_first.pk}
    assert exported_ids(second) == {just_after_first.pk, before_second.pk}
    assert old.pk not in exported_ids(first) | exported_ids(second)
    assert second.filters["found_after"] == first_slot.isoformat()
    assert first.filters["found_after"] == (first_slot - DAY).isoformat()


def test_only_new_keeps_the_saved_spec_and_a_missed_day_is_covered(owner, fake_writer):
    saved = daily(owner, filters={"status": "new"}, only_new_since_last_run=True)
    first_slot = saved.next_run_at
    saved_exports_run_due(now=first_slot)
    missed_day = LeadFactory(status="new", scraped_at=first_slot + 12 * HOUR)
    LeadFactory(status="contacted", scraped_at=first_slot + 12 * HOUR)
    today = LeadFactory(status="new", scraped_at=first_slot + 2 * DAY - HOUR)

    [export] = saved_exports_run_due(now=first_slot + 2 * DAY)

    assert exported_ids(export) == {missed_day.pk, today.pk}
    assert export.filters["status"] == ["new"]


def test_run_now_does_not_serve_a_slot_or_send_mail(owner, leads, fake_writer, mailoutbox):
    saved = daily(owner, email_on_completion=True)
    export = saved_export_run(saved_export=saved, user=owner)
    assert (export.status, export.source, export.notify_email) == (ExportStatus.COMPLETED, ExportSource.ADMIN, "")
    saved.refresh_from_db()
    assert saved.last_slot is None and saved.last_run_at is not None
    scheduled_exports_pass(now=saved.next_run_at - HOUR)
    assert mailoutbox == []


def test_run_now_is_for_the_owner_or_who_sees_all_exports(owner, leads, fake_writer):
    saved = daily(owner)
    with pytest.raises(PermissionDenied):
        saved_export_run(saved_export=saved, user=UserFactory(username="other", permissions=OWNER))
    manager = UserFactory(username="manager2", permissions=[*OWNER, "exports.view_all_exports"])
    assert saved_export_run(saved_export=saved, user=manager).created_by == manager


def test_completion_e_mail_has_the_download_link(owner, leads, mailoutbox, settings):
    # The real writer, end to end.
    settings.SITE_URL = "https://leads.example.com"
    saved = daily(owner, name="Morning feed", email_on_completion=True, email_to="team@example.com")

    [export] = saved_exports_run_due(now=saved.next_run_at)

    assert export.status == ExportStatus.COMPLETED
    [message] = mailoutbox
    assert message.to == ["team@example.com"]
    assert message.from_email == django_settings.DEFAULT_FROM_EMAIL
    assert "Morning feed" in message.subject
    assert f"https://leads.example.com{reverse('exports:download', args=[export.pk])}" in message.body
    assert f"Rows: {len(leads)}" in message.body
    export.refresh_from_db()
    assert export.notified_at is not None
    scheduled_exports_pass(now=saved.next_run_at + HOUR)
    assert len(mailoutbox) == 1  # never twice


def test_the_e_mail_goes_to_the_owner_by_default(owner, leads, fake_writer, mailoutbox):
    saved = daily(owner, email_on_completion=True)
    saved_exports_run_due(now=saved.next_run_at)
    assert [message.to for message in mailoutbox] == [["owner@example.com"]]


def test_no_e_mail_unless_asked(owner, leads, fake_writer, mailoutbox):
    saved = daily(owner)
    saved_exports_run_due(now=saved.next_run_at)
    assert mailoutbox == []


def test_background_export_is_mailed_by_the_pass_after_it_completes(
    owner, leads, fake_writer, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.QUICK_EXPORT_LIMIT = 1
    saved = daily(owner, email_on_completion=True)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        [export] = saved_exports_run_due(now=saved.next_run_at)
    assert export.status == ExportStatus.PENDING
    assert mailoutbox == []

    for callback in queued:  # the worker picks the task up
        callback()
    export.refresh_from_db()
    assert export.status == ExportStatus.COMPLETED

    result = scheduled_exports_pass(now=saved.next_run_at + datetime.timedelta(minutes=1))
    assert result.notifications_sent == 1
    assert reverse("exports:download", args=[export.pk]) in mailoutbox[0].body


def test_a_failed_export_is_mailed_with_its_error(owner, leads, fake_writer, mailoutbox):
    fake_writer.fail_after = 1
    saved = daily(owner, email_on_completion=True)
    [export] = saved_exports_run_due(now=saved.next_run_at)
    assert export.status == ExportStatus.FAILED
    [message] = mailoutbox
    assert "failed" in message.subject
    assert reverse("exports:history") in message.body


def test_an_e_mail_that_could_not_be_sent_is_retried_next_pass(owner, leads, fake_writer, mailoutbox, monkeypatch):
    saved = daily(owner, email_on_completion=True)

    def broken(**kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("exports.notifications.export_finished_notify", broken)
    [export] = saved_exports_run_due(now=saved.next_run_at)
    export.refresh_from_db()
    assert export.notified_at is None
    monkeypatch.undo()

    assert scheduled_exports_pass(now=saved.next_run_at + HOUR).notifications_sent == 1
    assert len(mailoutbox) == 1


def test_one_failing_schedule_does_not_stop_the_others(owner, leads, fake_writer, settings, mailoutbox):
    settings.EXPORT_MAX_RECORDS = 2
    too_big = daily(owner, name="Everything", email_on_completion=True)
    fine = daily(owner, name="Contacted only", filters={"status": "contacted"})
    slot = too_big.next_run_at

    result = scheduled_exports_pass(now=slot)

    assert [export.saved_export for export in result.exports] == [fine]
    [(failed, message)] = result.failures
    assert failed == too_big
    assert "over the limit" in message
    too_big.refresh_from_db()
    assert "over the limit" in too_big.last_error
    assert too_big.last_slot == slot  # the slot is spent; the next one is tried tomorrow
    [mail] = mailoutbox
    assert "could not run" in mail.subject


def test_an_unexpected_error_in_one_run_is_isolated_too(owner, leads, fake_writer, monkeypatch):
    broken = daily(owner, name="Broken")
    fine = daily(owner, name="Fine")
    real_export_start = scheduled.export_start

    def export_start(*, request):
        if request.saved_export == broken:
            raise RuntimeError("boom")
        return real_export_start(request=request)

    monkeypatch.setattr(scheduled, "export_start", export_start)
    result = scheduled_exports_pass(now=broken.next_run_at)
    assert [export.saved_export for export in result.exports] == [fine]
    assert result.failures == [(broken, "boom")]


def test_an_owner_who_lost_the_permission_gets_no_export(owner, leads, fake_writer):
    saved = daily(owner)
    owner.user_permissions.clear()
    owner = type(owner).objects.get(pk=owner.pk)  # drop the permission cache
    result = scheduled_exports_pass(now=saved.next_run_at)
    assert result.exports == []
    assert "permission" in result.failures[0][1]
    assert not Export.objects.exists()


def test_paused_and_unscheduled_saved_exports_never_run(owner, leads, fake_writer):
    paused = daily(owner, name="Paused", is_active=False)
    saved_export_create(user=owner, name="By hand", filters={})
    SavedExport.objects.filter(pk=paused.pk).update(next_run_at=timezone.now() - DAY)
    assert saved_exports_run_due(now=timezone.now() + 60 * DAY) == []


def test_a_schedule_saved_without_next_run_counts_from_its_creation(owner, leads, fake_writer):
    saved = daily(owner)
    SavedExport.objects.filter(pk=saved.pk).update(next_run_at=None)
    created = SavedExport.objects.get(pk=saved.pk).created_at
    first_slot = scheduled.schedule_next_slot(scheduled.Schedule.of(saved), after=created)
    assert saved_exports_run_due(now=first_slot - HOUR) == []
    assert len(saved_exports_run_due(now=first_slot)) == 1


def test_cleanup_runs_once_a_day_and_stale_exports_every_pass(owner, monkeypatch):
    calls = []
    monkeypatch.setattr(scheduled, "exports_cleanup", lambda: calls.append("cleanup"))
    stale = ExportFactory(running=True, created_by=owner)
    Export.objects.filter(pk=stale.pk).update(heartbeat_at=timezone.now() - 2 * DAY)
    morning = timezone.make_aware(datetime.datetime(2026, 6, 1, 0, 5))

    first = scheduled_exports_pass(now=morning)
    scheduled_exports_pass(now=morning + HOUR)
    scheduled_exports_pass(now=morning + DAY)

    assert calls == ["cleanup", "cleanup"]
    assert first.stale_failed == 1
    stale.refresh_from_db()
    assert stale.status == ExportStatus.FAILED


def test_a_failed_cleanup_is_retried_on_the_next_pass(db, monkeypatch):
    outcomes = [RuntimeError("disk gone"), None]

    def cleanup():
        outcome = outcomes.pop(0)
        if outcome:
            raise outcome
        return "done"

    monkeypatch.setattr(scheduled, "exports_cleanup", cleanup)
    now = timezone.now()
    assert scheduled_exports_pass(now=now).cleanup is None
    assert scheduled_exports_pass(now=now).cleanup == "done"


def test_limit_errors_from_run_now_are_recorded_and_raised(owner, leads, settings):
    settings.EXPORT_MAX_RECORDS = 1
    saved = daily(owner)
    with pytest.raises(ExportLimitExceeded):
        saved_export_run(saved_export=saved, user=owner)
    saved.refresh_from_db()
    assert "over the limit" in saved.last_error
