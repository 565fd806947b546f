"""Rate limits of what sends a message on a stranger's behalf (sign-up, a
resent code): per address and per source, in fixed hourly windows; and a
partner key's requests per minute."""
from __future__ import annotations

from datetime import datetime

import msgspec


class Limit(msgspec.Struct, frozen=True):
    name: str
    per_hour: int


PER_ADDRESS = Limit("address", 3)  # codes and notices to one phone number or e-mail
PER_SOURCE = Limit("source", 20)  # sign-ups and resends from one IP address


def minute_window(now: datetime) -> tuple[str, int, int]:
    """As ``window``, for a window of one minute (a partner key's limit)."""
    start = int(now.timestamp()) // 60 * 60
    end = start + 60
    return now.strftime("%Y-%m-%dT%H:%M"), end, max(end - int(now.timestamp()), 1)


def window(now: datetime) -> tuple[str, int, int]:
    """The current window's name, when it ends (epoch seconds) and the
    seconds left until then (``Retry-After``)."""
    start = int(now.timestamp()) // 3600 * 3600
    end = start + 3600
    return now.strftime("%Y-%m-%dT%H"), end, max(end - int(now.timestamp()), 1)
