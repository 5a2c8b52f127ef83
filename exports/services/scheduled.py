"""Running saved exports: with one click, or on their schedule, never twice for the same slot.

A scheduled run serves one *slot* (see exports.scheduling). Claiming the slot is one conditional
UPDATE on `last_slot`, so two schedulers (or one called twice) never run the same slot twice.
A run goes through the one export path (export_start: created, then run at once or queued).
Creating and changing saved exports lives in exports.services.saved (re-exported here).
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone

from exports.errors import ExportError
from exports.models import Export, ExportSource, ExportStatus, SavedExport
from exports.notifications import exports_notify_finished, saved_export_failure_notify
from exports.scheduling import Schedule, schedule_next_slot, schedule_previous_slot, schedule_slot_at
from exports.services.cleanup import CleanupResult, exports_cleanup, exports_fail_stale
from exports.services.creation import ExportRequest
from exports.services.lifecycle import export_start
from exports.services.saved import (
    check_can_use_saved_export,
    saved_export_clean,
    saved_export_create,
    saved_export_next_run_at,
    saved_export_update,
)
from operations.services.schedules import schedule_execution_track

__all__ = [
    "ScheduledPass",
    "check_can_use_saved_export",
    "saved_export_clean",
    "saved_export_create",
    "saved_export_next_run_at",
    "saved_export_run",
    "saved_export_update",
    "saved_exports_run_due",
    "scheduled_exports_pass",
]

logger = logging.getLogger("exports.scheduled")

MAX_ERROR_LENGTH = 500
CLEANUP_MARKER_KEY = "exports:daily-cleanup:{day}"
CLEANUP_MARKER_SECONDS = 2 * 24 * 3600
# Expected refusals (permissions, bad spec, over the row limit) are logged without a traceback.
EXPECTED_ERRORS = (PermissionDenied, ValidationError, ExportError)


@dataclass
class ScheduledPass:
    """What one pass of the scheduler did."""

    exports: list[Export] = field(default_factory=list)  # started this pass, in their state after starting
    failures: list[tuple[SavedExport, str]] = field(default_factory=list)  # schedules that could not start
    notifications_sent: int = 0
    stale_failed: int = 0
    cleanup: CleanupResult | None = None  # set on the first pass of each day


def saved_export_run(
    *,
    saved_export: SavedExport,
    user=None,
    slot: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> Export:
    """Run a saved export now; returns the export (completed or failed when small, else pending/queued).

    `user` runs it ("Run now": checked to be the owner or allowed to see all exports); without a
    user the owner runs it. A run for a schedule `slot` is recorded with source "schedule" and
    e-mails its link when `email_on_completion` is set. With `only_new_since_last_run` the spec is
    narrowed to leads found after the previous slot (`last_slot`, or the slot before) and at or
    before this slot, so consecutive runs neither miss nor repeat a lead; a manual run uses the
    window from the last served slot to now and does not move the schedule.
    Raises what export_start raises (PermissionDenied, ExportValidationError, ExportLimitExceeded),
    after recording the message on the saved export.
    """
    now = now or timezone.now()
    if user is not None:
        check_can_use_saved_export(saved_export=saved_export, user=user)
    runner = user or saved_export.owner
    request = ExportRequest(
        user=runner,
        filters=_run_filters(saved_export, slot=slot, now=now),
        format=saved_export.format,
        data_type=saved_export.data_type,
        columns=saved_export.columns or None,
        include_contact_info=saved_export.include_contact_info,
        options=saved_export.options,
        source=ExportSource.SCHEDULE if slot is not None else ExportSource.ADMIN,
        saved_export=saved_export,
        notify_email=(saved_export.email_to or saved_export.owner.email)
        if slot is not None and saved_export.email_on_completion
        else "",
    )
    try:
        export = export_start(request=request)
    except Exception as error:
        message = _error_message(error)
        SavedExport.objects.filter(pk=saved_export.pk).update(last_error=message, last_run_at=now)
        saved_export.last_error, saved_export.last_run_at = message, now
        raise
    SavedExport.objects.filter(pk=saved_export.pk).update(last_error="", last_run_at=now)
    saved_export.last_error, saved_export.last_run_at = "", now
    logger.info(
        "saved export run saved_export_id=%s export_id=%s user=%s slot=%s rows=%s",
        saved_export.pk,
        export.pk,
        runner.get_username(),
        slot.isoformat() if slot else "manual",
        export.row_count,
    )
    return export


def saved_exports_run_due(*, now: datetime.datetime | None = None) -> list[Export]:
    """Run every active schedule whose slot is due and not yet served; returns the exports started.

    Also sends the e-mails of finished scheduled exports, marks dead running exports failed, and
    cleans up old export files once a day. One schedule failing does not stop the others.
    """
    return scheduled_exports_pass(now=now).exports


def scheduled_exports_pass(*, now: datetime.datetime | None = None) -> ScheduledPass:
    """One pass of the scheduler (what `manage.py run_scheduled_exports` runs); see saved_exports_run_due."""
    now = now or timezone.now()
    result = ScheduledPass()
    for saved_export in _due_candidates(now):
        slot = _due_slot(saved_export, now=now)
        if slot is None or not _claim(saved_export, slot=slot, now=now):
            continue
        try:
            with schedule_execution_track(
                job_kind="export", job_id=saved_export.pk, job_name=saved_export.name, slot=slot, now=now
            ) as execution:
                export = saved_export_run(saved_export=saved_export, slot=slot, now=now)
                if export.status == ExportStatus.FAILED:
                    execution.error = export.error_message or "The export failed."
            result.exports.append(export)
        except Exception as error:
            message = _error_message(error)
            result.failures.append((saved_export, message))
            logger.warning(
                "scheduled export could not start saved_export_id=%s slot=%s error=%s",
                saved_export.pk,
                slot.isoformat(),
                message,
                exc_info=not isinstance(error, EXPECTED_ERRORS),
            )
            _notify_failure(saved_export, message)
    result.notifications_sent = _guarded("notifications", lambda: exports_notify_finished(now=now), default=0)
    result.stale_failed = _guarded("stale exports", exports_fail_stale, default=0)
    result.cleanup = _guarded("daily cleanup", lambda: _daily_cleanup(now), default=None)
    return result


def _due_candidates(now: datetime.datetime):
    # next_run_at is the gate (indexed); a schedule saved without it (e.g. through the ORM) is checked too.
    return (
        SavedExport.objects.filter(is_active=True)
        .exclude(frequency="")
        .filter(Q(next_run_at__lte=now) | Q(next_run_at__isnull=True))
        .select_related("owner")
        .order_by("next_run_at", "pk")
    )


def _due_slot(saved_export: SavedExport, *, now: datetime.datetime) -> datetime.datetime | None:
    """The slot to serve now, or None: the gate (next run) has passed and the latest slot is not served yet."""
    schedule = Schedule.of(saved_export)
    gate = saved_export.next_run_at or schedule_next_slot(schedule, after=saved_export.created_at)
    if gate is None or gate > now:
        return None
    slot = schedule_slot_at(schedule, at=now)
    if slot is None or (saved_export.last_slot is not None and slot <= saved_export.last_slot):
        return None
    return slot


def _claim(saved_export: SavedExport, *, slot: datetime.datetime, now: datetime.datetime) -> bool:
    """Take the slot: one conditional UPDATE, so of two schedulers only one ever gets it.

    It is also conditional on `updated_at`, so a schedule edited since it was read is left for
    the next pass to decide on with its new settings.
    """
    claimed = (
        SavedExport.objects.filter(pk=saved_export.pk, is_active=True, updated_at=saved_export.updated_at)
        .filter(Q(last_slot__isnull=True) | Q(last_slot__lt=slot))
        .update(
            last_slot=slot,
            last_run_at=now,
            next_run_at=schedule_next_slot(Schedule.of(saved_export), after=now),
        )
    )
    if claimed:
        logger.info("scheduled slot claimed saved_export_id=%s slot=%s", saved_export.pk, slot.isoformat())
    return bool(claimed)


def _run_filters(saved_export: SavedExport, *, slot: datetime.datetime | None, now: datetime.datetime) -> dict:
    filters = dict(saved_export.filters or {})
    schedule = Schedule.of(saved_export)
    if not (saved_export.only_new_since_last_run and schedule.is_scheduled):
        return filters
    until = slot or now
    last = saved_export.last_slot
    after = last if last is not None and last < until else schedule_previous_slot(schedule, before=until)
    # A window the saved spec already narrows keeps the narrower bound.
    if filters.get("found_after"):
        after = max(after, datetime.datetime.fromisoformat(filters["found_after"]))
    if filters.get("found_until"):
        until = min(until, datetime.datetime.fromisoformat(filters["found_until"]))
    filters["found_after"] = after.isoformat()
    filters["found_until"] = until.isoformat()
    return filters


def _notify_failure(saved_export: SavedExport, message: str) -> None:
    if not saved_export.email_on_completion:
        return
    try:
        saved_export_failure_notify(saved_export=saved_export, message=message)
    except Exception:
        logger.exception("failure e-mail not sent saved_export_id=%s", saved_export.pk)


def _daily_cleanup(now: datetime.datetime) -> CleanupResult | None:
    """Clean up old export files on the first pass of each site-local day.

    The marker is a cache entry added atomically (the default cache is the database, shared by
    every scheduler process), so one scheduler among several does the day's cleanup. Cleanup
    is idempotent, so a lost marker (cache cleared) only costs a harmless second run.
    """
    key = CLEANUP_MARKER_KEY.format(day=timezone.localdate(now).isoformat())
    if not cache.add(key, now.isoformat(), timeout=CLEANUP_MARKER_SECONDS):
        return None
    try:
        return exports_cleanup()
    except Exception:
        cache.delete(key)  # try again on the next pass
        raise


def _guarded(what: str, action, *, default):
    """Housekeeping after the runs: an error is logged and retried next pass, never fatal to the pass."""
    try:
        return action()
    except Exception:
        logger.exception("scheduler %s failed", what)
        return default


def _error_message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            text = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
        else:
            text = " ".join(error.messages)
    else:
        text = str(error) or type(error).__name__
    return text[:MAX_ERROR_LENGTH]
