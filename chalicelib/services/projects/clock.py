"""The moment of a change and the region's calendar day, from the one clock
(``domain.reports.now_utc``) tests can move."""
from __future__ import annotations

from datetime import date

from ...domain import reports as report_rules
from ...domain.regions import RegionConfig


def today(region: RegionConfig) -> date:
    """The region's calendar day: red flags and dates are judged by it."""
    return report_rules.now_utc().astimezone(region.tz).date()


def stamp() -> str:
    """Now, as stored."""
    return report_rules.iso_utc(report_rules.now_utc())
