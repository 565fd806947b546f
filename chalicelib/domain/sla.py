"""SLA clocks in working days, in the region's own time zone.

Defaults follow LAPOR!: verify within 3 working days of receipt, the agency
responds (takes the report) within 5 working days of verification, and
finishes within 10 working days of verification.  Saturdays, Sundays and
Indonesia's public holidays (``chalicelib/data/holidays/indonesia.json``,
derived from the ``holidays`` package by ``scripts/derive_holidays.py``) are
not working days; a year past the table counts weekends only (the tests fail
ten years before that happens).  A deadline is the end (23:59:59 local) of the Nth working day after
the day the clock starts, so a report received on a Friday evening in WIB is
due at the end of the following Wednesday, not in the small hours.

Emergencies (a category the region marks ``emergency``: fire, disaster) run
on clocks in hours around the clock instead: calendar time, no working-day
rounding, nights, weekends and holidays included.  By default the agency
takes one within 1 hour and finishes within 24 hours of its dispatch (per
region, editable with the days).  An emergency is dispatched at once, so it
never waits for verification; should one wait (its dispatch failed), the
desk has the respond hours.
"""
from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any

import msgspec

DEFAULT_DAYS = {"verify": 3, "respond": 5, "resolve": 10}
STAGES = tuple(DEFAULT_DAYS)
DEFAULT_EMERGENCY_HOURS = {"emergency_respond_hours": 1, "emergency_resolve_hours": 24}


HOLIDAYS = Path(__file__).resolve().parent.parent / "data" / "holidays" / "indonesia.json"


@lru_cache(maxsize=1)
def holiday_table() -> dict[int, frozenset[date]]:
    dates = json.loads(HOLIDAYS.read_text())["dates"]
    return {int(year): frozenset(date.fromisoformat(day) for day in days) for year, days in dates.items()}


def _holidays(year: int) -> frozenset[date]:
    return holiday_table().get(year, frozenset())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: datetime, days: int, tz: tzinfo) -> datetime:
    """End of the ``days``-th working day after ``start``'s local date, in UTC."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start.astimezone(tz).date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    if days == 0 and not is_working_day(day):
        while not is_working_day(day):
            day += timedelta(days=1)
    end = datetime.combine(day, time(23, 59, 59), tzinfo=tz)
    return end.astimezone(timezone.utc)


def add_hours(start: datetime, hours: int) -> datetime:
    """``hours`` of calendar time after ``start``, in UTC: an emergency's
    clock runs through nights, weekends and holidays."""
    if hours < 0:
        raise ValueError("hours must not be negative")
    return (start + timedelta(hours=hours)).astimezone(timezone.utc)


class SlaDays(msgspec.Struct, frozen=True):
    """A region's SLA: working days per stage, and the hours of an emergency's clocks."""

    verify: int = DEFAULT_DAYS["verify"]
    respond: int = DEFAULT_DAYS["respond"]
    resolve: int = DEFAULT_DAYS["resolve"]
    emergency_respond_hours: int = DEFAULT_EMERGENCY_HOURS["emergency_respond_hours"]
    emergency_resolve_hours: int = DEFAULT_EMERGENCY_HOURS["emergency_resolve_hours"]

    @classmethod
    def from_record(cls, record: dict[str, Any] | None) -> "SlaDays":
        known = {**DEFAULT_DAYS, **DEFAULT_EMERGENCY_HOURS}
        values = {**known, **{k: int(v) for k, v in (record or {}).items() if k in known}}
        return cls(**values)

    def emergency_hours(self, stage: str) -> int:
        """The hours of an emergency's ``stage``: taking (and a wait for the
        desk, should its dispatch have failed) and finishing."""
        return self.emergency_resolve_hours if stage == "resolve" else self.emergency_respond_hours


# Which clock runs in each open status.
STAGE_OF_STATUS = {"waiting": "verify", "verified": "respond", "in_process": "resolve"}


def deadline(status: str, clock_start: datetime, days: SlaDays, tz: tzinfo,
             emergency: bool = False) -> tuple[str | None, datetime | None]:
    """The SLA stage and deadline for a report entering ``status`` at
    ``clock_start`` (an ``emergency``: in hours around the clock); (None,
    None) for closed statuses."""
    stage = STAGE_OF_STATUS.get(status)
    if stage is None:
        return None, None
    if emergency:
        return stage, add_hours(clock_start, days.emergency_hours(stage))
    return stage, add_working_days(clock_start, getattr(days, stage), tz)
