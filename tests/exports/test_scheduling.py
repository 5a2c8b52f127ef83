"""Schedule slots: daily, weekly and monthly, in the site's time zone, across daylight-saving changes."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from exports.scheduling import (
    Schedule,
    schedule_clean,
    schedule_describe,
    schedule_next_slot,
    schedule_previous_slot,
    schedule_slot_at,
)

LA = ZoneInfo("America/Los_Angeles")
UTC = datetime.UTC
SEVEN = datetime.time(7, 0)


def local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LA)


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


DAILY = Schedule(frequency="daily", run_time=SEVEN)


def test_daily_slot_is_todays_run_time_once_it_has_passed_and_yesterdays_before():
    assert schedule_slot_at(DAILY, at=local(2026, 5, 4, 6, 59), tz=LA) == local(2026, 5, 3, 7, 0)
    assert schedule_slot_at(DAILY, at=local(2026, 5, 4, 7, 0), tz=LA) == local(2026, 5, 4, 7, 0)
    assert schedule_slot_at(DAILY, at=local(2026, 5, 4, 23, 0), tz=LA) == local(2026, 5, 4, 7, 0)


def test_next_slot_is_strictly_after():
    assert schedule_next_slot(DAILY, after=local(2026, 5, 4, 6, 59), tz=LA) == local(2026, 5, 4, 7, 0)
    assert schedule_next_slot(DAILY, after=local(2026, 5, 4, 7, 0), tz=LA) == local(2026, 5, 5, 7, 0)
    assert schedule_previous_slot(DAILY, before=local(2026, 5, 4, 7, 0), tz=LA) == local(2026, 5, 3, 7, 0)


def test_slots_are_returned_in_utc_and_follow_the_site_time_zone_not_utc():
    slot = schedule_slot_at(DAILY, at=utc(2026, 5, 4, 15, 0), tz=LA)
    assert slot == utc(2026, 5, 4, 14, 0)  # 07:00 PDT
    assert slot.tzinfo is UTC
    # 05:00 UTC on May 5th is still May 4th in Los Angeles.
    assert schedule_slot_at(DAILY, at=utc(2026, 5, 5, 5, 0), tz=LA) == utc(2026, 5, 4, 14, 0)


def test_weekly_runs_on_its_weekday_only():
    mondays = Schedule(frequency="weekly", run_time=SEVEN, weekday=0)
    # 2026-05-04 is a Monday.
    assert schedule_slot_at(mondays, at=local(2026, 5, 10, 12, 0), tz=LA) == local(2026, 5, 4, 7, 0)
    assert schedule_slot_at(mondays, at=local(2026, 5, 4, 6, 0), tz=LA) == local(2026, 4, 27, 7, 0)
    assert schedule_next_slot(mondays, after=local(2026, 5, 4, 7, 0), tz=LA) == local(2026, 5, 11, 7, 0)


def test_monthly_runs_on_its_day_across_month_and_year_ends():
    on_28th = Schedule(frequency="monthly", run_time=SEVEN, day_of_month=28)
    assert schedule_slot_at(on_28th, at=local(2026, 3, 5, 0, 0), tz=LA) == local(2026, 2, 28, 7, 0)
    assert schedule_next_slot(on_28th, after=local(2026, 2, 28, 7, 0), tz=LA) == local(2026, 3, 28, 7, 0)
    assert schedule_next_slot(on_28th, after=local(2026, 12, 28, 8, 0), tz=LA) == local(2027, 1, 28, 7, 0)
    first = Schedule(frequency="monthly", run_time=datetime.time(0, 0), day_of_month=1)
    assert schedule_slot_at(first, at=local(2027, 1, 1, 0, 0), tz=LA) == local(2027, 1, 1, 0, 0)
    assert schedule_slot_at(first, at=local(2026, 12, 31, 23, 59), tz=LA) == local(2026, 12, 1, 0, 0)


def test_daily_time_follows_the_wall_clock_across_dst():
    # Clocks go forward in Los Angeles on 2026-03-08: 07:00 is 15:00 UTC before and 14:00 UTC after.
    assert schedule_slot_at(DAILY, at=local(2026, 3, 7, 12, 0), tz=LA) == utc(2026, 3, 7, 15, 0)
    assert schedule_slot_at(DAILY, at=local(2026, 3, 8, 12, 0), tz=LA) == utc(2026, 3, 8, 14, 0)


def test_a_run_time_skipped_by_spring_forward_runs_once_an_hour_later_on_the_clock():
    half_past_two = Schedule(frequency="daily", run_time=datetime.time(2, 30))
    slot = schedule_next_slot(half_past_two, after=local(2026, 3, 8, 0, 0), tz=LA)
    assert slot == utc(2026, 3, 8, 10, 30)
    assert slot.astimezone(LA).time() == datetime.time(3, 30)
    assert schedule_next_slot(half_past_two, after=slot, tz=LA) == local(2026, 3, 9, 2, 30)


def test_a_run_time_repeated_by_fall_back_runs_once_at_its_first_occurrence():
    half_past_one = Schedule(frequency="daily", run_time=datetime.time(1, 30))
    first = utc(2026, 11, 1, 8, 30)  # 01:30 PDT
    second = utc(2026, 11, 1, 9, 30)  # 01:30 PST, the same wall time again
    assert schedule_next_slot(half_past_one, after=local(2026, 11, 1, 0, 0), tz=LA) == first
    assert schedule_slot_at(half_past_one, at=second, tz=LA) == first
    assert schedule_next_slot(half_past_one, after=first, tz=LA) == utc(2026, 11, 2, 9, 30)


@pytest.mark.parametrize("run_time", [datetime.time(0, 0), datetime.time(1, 30), datetime.time(2, 30), SEVEN])
def test_every_day_of_a_year_has_exactly_one_daily_slot(run_time):
    schedule = Schedule(frequency="daily", run_time=run_time)
    slot = schedule_next_slot(schedule, after=local(2025, 12, 31, 23, 59), tz=LA)
    days = []
    while slot.year == 2026 or slot.astimezone(LA).year == 2026:
        days.append(slot.astimezone(LA).date())
        assert schedule_slot_at(schedule, at=slot, tz=LA) == slot
        slot = schedule_next_slot(schedule, after=slot, tz=LA)
    assert len(days) == len(set(days)) == 365


def test_unscheduled_has_no_slots():
    none = Schedule(frequency="")
    assert schedule_slot_at(none, at=utc(2026, 1, 1)) is None
    assert schedule_next_slot(none, after=utc(2026, 1, 1)) is None


def test_clean_clears_fields_the_frequency_does_not_use_and_drops_seconds():
    schedule = schedule_clean(frequency="daily", run_time=datetime.time(7, 0, 42), weekday=3, day_of_month=9)
    assert schedule == Schedule(frequency="daily", run_time=SEVEN)
    assert schedule_clean(frequency="", run_time=SEVEN, weekday=1, day_of_month=None) == Schedule(frequency="")
    assert schedule_clean(frequency="weekly", run_time=SEVEN, weekday=6, day_of_month=3).weekday == 6


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"frequency": "hourly", "run_time": SEVEN}, "frequency"),
        ({"frequency": "daily", "run_time": None}, "run_time"),
        ({"frequency": "weekly", "run_time": SEVEN, "weekday": None}, "weekday"),
        ({"frequency": "weekly", "run_time": SEVEN, "weekday": 7}, "weekday"),
        ({"frequency": "monthly", "run_time": SEVEN, "day_of_month": None}, "day_of_month"),
        ({"frequency": "monthly", "run_time": SEVEN, "day_of_month": 31}, "day_of_month"),
        ({"frequency": "monthly", "run_time": SEVEN, "day_of_month": 0}, "day_of_month"),
    ],
)
def test_clean_rejects_incomplete_or_impossible_schedules_by_field(fields, field):
    with pytest.raises(ValidationError) as raised:
        schedule_clean(**{"weekday": None, "day_of_month": None, **fields})
    assert field in raised.value.message_dict


def test_describe():
    assert schedule_describe(DAILY) == "Daily at 07:00"
    assert schedule_describe(Schedule(frequency="weekly", run_time=SEVEN, weekday=0)) == "Weekly on Monday at 07:00"
    assert (
        schedule_describe(Schedule(frequency="monthly", run_time=SEVEN, day_of_month=1)) == "Monthly on day 1 at 07:00"
    )
    assert schedule_describe(Schedule(frequency="")) == "Not scheduled"
