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


class SlaDays(msgspec.Struct, frozen=True):
    verify: int = DEFAULT_DAYS["verify"]
    respond: int = DEFAULT_DAYS["respond"]
    resolve: int = DEFAULT_DAYS["resolve"]

    @classmethod
    def from_record(cls, record: dict[str, Any] | None) -> "SlaDays":
        values = {**DEFAULT_DAYS, **{k: int(v) for k, v in (record or {}).items() if k in DEFAULT_DAYS}}
        return cls(**values)


# Which clock runs in each open status.
STAGE_OF_STATUS = {"waiting": "verify", "verified": "respond", "in_process": "resolve"}


def deadline(status: str, clock_start: datetime, days: SlaDays, tz: tzinfo) -> tuple[str | None, datetime | None]:
    """The SLA stage and deadline for a report entering ``status`` at
    ``clock_start``; (None, None) for closed statuses."""
    stage = STAGE_OF_STATUS.get(status)
    if stage is None:
        return None, None
    return stage, add_working_days(clock_start, getattr(days, stage), tz)
