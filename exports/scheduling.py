"""When a saved export's schedule is due: pure functions of a schedule and a moment, no database.

A schedule names wall-clock times in the site's time zone (TIME_ZONE): daily at `run_time`,
weekly on `weekday` (0 = Monday) at `run_time`, monthly on `day_of_month` (1-28, so every month
has it) at `run_time`. Each such time is a *slot*, an aware datetime; a slot is served once.

Daylight-saving changes: a run time that does not exist on the day the clocks go forward
(e.g. 02:30) runs at the same offset as before the change, i.e. one hour later on the wall clock
(03:30); a run time that happens twice when the clocks go back runs at its first occurrence only.
Either way each day has exactly one slot.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone

from exports.models import ScheduleFrequency

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
LAST_DAY_OF_MONTH = 28
# Consecutive slots are at most a month apart (31 days); searching a little further is always enough.
SEARCH_DAYS = 40


@dataclass(frozen=True)
class Schedule:
    """The schedule fields of a SavedExport, validated by `schedule_clean`."""

    frequency: str
    run_time: datetime.time | None = None
    weekday: int | None = None
    day_of_month: int | None = None

    @classmethod
    def of(cls, saved_export) -> "Schedule":
        return cls(
            frequency=saved_export.frequency or "",
            run_time=saved_export.run_time,
            weekday=saved_export.weekday,
            day_of_month=saved_export.day_of_month,
        )

    @property
    def is_scheduled(self) -> bool:
        return bool(self.frequency) and self.run_time is not None

    def runs_on(self, day: datetime.date) -> bool:
        if self.frequency == ScheduleFrequency.DAILY:
            return True
        if self.frequency == ScheduleFrequency.WEEKLY:
            return day.weekday() == self.weekday
        if self.frequency == ScheduleFrequency.MONTHLY:
            return day.day == self.day_of_month
        return False


def schedule_clean(
    *,
    frequency: str | None,
    run_time: datetime.time | None,
    weekday: int | None,
    day_of_month: int | None,
) -> Schedule:
    """Validate a schedule; fields the frequency does not use are cleared.

    Raises ValidationError with messages by field: a frequency needs a run time, a weekly
    schedule a weekday (0-6), a monthly one a day of the month (1-28).
    """
    frequency = frequency or ""
    errors: dict[str, list[str]] = {}
    if frequency not in ScheduleFrequency.values:
        choices = ", ".join(value for value in ScheduleFrequency.values if value)
        errors["frequency"] = [f"Unknown frequency {frequency!r}; choose one of: {choices}, or leave it empty."]
    if not frequency or errors:
        if errors:
            raise ValidationError(errors)
        return Schedule(frequency="")

    if run_time is None:
        errors["run_time"] = ["Choose the time of day a scheduled export runs."]
    elif not isinstance(run_time, datetime.time):
        errors["run_time"] = ["Enter the time of day as HH:MM."]
    if frequency == ScheduleFrequency.WEEKLY:
        if weekday is None:
            errors["weekday"] = ["Choose the day of the week a weekly export runs."]
        elif not _is_int_between(weekday, 0, 6):
            errors["weekday"] = ["The weekday must be 0 (Monday) to 6 (Sunday)."]
    if frequency == ScheduleFrequency.MONTHLY:
        if day_of_month is None:
            errors["day_of_month"] = ["Choose the day of the month a monthly export runs."]
        elif not _is_int_between(day_of_month, 1, LAST_DAY_OF_MONTH):
            errors["day_of_month"] = [
                f"The day of the month must be 1 to {LAST_DAY_OF_MONTH}, so that every month has it."
            ]
    if errors:
        raise ValidationError(errors)
    return Schedule(
        frequency=frequency,
        # Slots are whole minutes: a schedule is a time of day, not an instant.
        run_time=run_time.replace(second=0, microsecond=0, tzinfo=None),
        weekday=weekday if frequency == ScheduleFrequency.WEEKLY else None,
        day_of_month=day_of_month if frequency == ScheduleFrequency.MONTHLY else None,
    )


def schedule_slot_at(
    schedule: Schedule, *, at: datetime.datetime, tz: ZoneInfo | None = None
) -> datetime.datetime | None:
    """The latest slot at or before `at` (the slot a run at `at` serves), or None when not scheduled."""
    if not schedule.is_scheduled:
        return None
    tz = tz or timezone.get_default_timezone()
    day = at.astimezone(tz).date() + datetime.timedelta(days=1)
    for _ in range(SEARCH_DAYS + 2):
        if schedule.runs_on(day):
            slot = _slot_on(schedule, day, tz)
            if slot <= at:
                return slot
        day -= datetime.timedelta(days=1)
    raise AssertionError(f"No slot found before {at} for {schedule}")  # unreachable for a valid schedule


def schedule_next_slot(
    schedule: Schedule, *, after: datetime.datetime, tz: ZoneInfo | None = None
) -> datetime.datetime | None:
    """The first slot strictly after `after`, or None when not scheduled."""
    if not schedule.is_scheduled:
        return None
    tz = tz or timezone.get_default_timezone()
    day = after.astimezone(tz).date() - datetime.timedelta(days=1)
    for _ in range(SEARCH_DAYS + 2):
        if schedule.runs_on(day):
            slot = _slot_on(schedule, day, tz)
            if slot > after:
                return slot
        day += datetime.timedelta(days=1)
    raise AssertionError(f"No slot found after {after} for {schedule}")  # unreachable for a valid schedule


def schedule_previous_slot(
    schedule: Schedule, *, before: datetime.datetime, tz: ZoneInfo | None = None
) -> datetime.datetime | None:
    """The last slot strictly before `before`, or None when not scheduled."""
    return schedule_slot_at(schedule, at=before - datetime.timedelta(microseconds=1), tz=tz)


def schedule_describe(schedule: Schedule) -> str:
    """A short sentence for lists: "Daily at 07:00", "Weekly on Monday at 07:00", "Monthly on day 1 at 07:00"."""
    if not schedule.is_scheduled:
        return "Not scheduled"
    at = schedule.run_time.strftime("%H:%M")
    if schedule.frequency == ScheduleFrequency.WEEKLY and schedule.weekday is not None:
        return f"Weekly on {WEEKDAY_NAMES[schedule.weekday]} at {at}"
    if schedule.frequency == ScheduleFrequency.MONTHLY:
        return f"Monthly on day {schedule.day_of_month} at {at}"
    return f"Daily at {at}"


def _slot_on(schedule: Schedule, day: datetime.date, tz: ZoneInfo) -> datetime.datetime:
    # fold=0: a wall time skipped by DST keeps the earlier offset (runs an hour later on the clock);
    # a repeated wall time resolves to its first occurrence. Slots are compared and stored in UTC.
    local = datetime.datetime.combine(day, schedule.run_time, tzinfo=tz)
    return local.astimezone(datetime.UTC)


def _is_int_between(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
