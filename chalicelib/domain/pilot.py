"""The six-month free pilot: a region's commercial status and its clock.

``trial`` (from activation, six calendar months) → ``expired`` when the trial
ends without conversion → ``active`` once paid.  A platform admin may extend
a trial (also an expired one, which returns it to ``trial``) or convert a
region to ``active``; nothing is ever deleted on expiry.
"""
from __future__ import annotations

import calendar
import math
from datetime import datetime, time, timedelta, tzinfo

import msgspec

from .errors import Conflict, InvalidInput

STATUSES = ("trial", "active", "expired")
TRIAL_MONTHS = 6
REMINDER_DAYS = (30, 7, 1)
ACTIONS = {
    # action: (statuses it applies to, resulting status)
    "activate": (("trial", "expired"), "active"),
    "extend_trial": (("trial", "expired"), "trial"),
    "expire": (("trial",), "expired"),
}


def add_months(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 + months
    year = moment.year + month // 12
    month = month % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def trial_end(start: datetime, months: int, tz: tzinfo) -> datetime:
    """The end of the local day ``months`` calendar months after ``start``."""
    local = add_months(start.astimezone(tz), months)
    return datetime.combine(local.date(), time(23, 59, 59), tzinfo=tz)


def days_left(ends_at: datetime, now: datetime) -> int:
    return max(0, math.ceil((ends_at - now) / timedelta(days=1)))


class LifecycleChange(msgspec.Struct, frozen=True):
    action: str
    status: str
    trial_ends_at: datetime | None


def plan(action: str, status: str, trial_ends_at: datetime | None, now: datetime, tz: tzinfo,
         months: int | None) -> LifecycleChange:
    if action not in ACTIONS:
        raise InvalidInput("unknown_action", action=action[:32], allowed=", ".join(ACTIONS))
    sources, target = ACTIONS[action]
    if status not in sources:
        raise Conflict("lifecycle_not_allowed", action=action, status=status)
    if action == "extend_trial":
        if months is None or not 1 <= months <= 24:
            raise InvalidInput("out_of_range", field="months", min=1, max=24)
        start = trial_ends_at if status == "trial" and trial_ends_at and trial_ends_at > now else now
        return LifecycleChange(action, target, trial_end(start, months, tz))
    if action == "activate":
        return LifecycleChange(action, target, None)
    return LifecycleChange(action, target, trial_ends_at)


def due_reminder(ends_at: datetime, now: datetime, sent: list[str]) -> int | None:
    """The reminder (30, 7 or 1 days before the end) due now and not yet sent."""
    left = days_left(ends_at, now)
    for days in sorted(REMINDER_DAYS):
        if left <= days and f"{ends_at.isoformat()}#{days}" not in sent:
            return days
    return None
