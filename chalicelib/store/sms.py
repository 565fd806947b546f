"""Where an SMS reporter's tracking numbers lead (``resources.COUNTERS``):
one item per report made by SMS, ``scope`` ``sms#<region>#<keyed hash of
the sender's number>`` and ``metric`` ``<tracking number>#<report id>``, so
``CEK <nomor>`` is one Query that can only find the sender's own reports
(a number never reaches another's scope).  Nothing but the hash and the
report id is kept."""
from __future__ import annotations

from .models import CounterModel


def _scope(region_id: str, sender_key: str) -> str:
    return f"sms#{region_id}#{sender_key}"


def remember(region_id: str, sender_key: str, code: str, report_id: str) -> None:
    """Idempotent: the same report writes the same item."""
    CounterModel(scope=_scope(region_id, sender_key), metric=f"{code}#{report_id}", value=0).save()


def find(region_id: str, sender_key: str, code: str) -> str | None:
    """The sender's report with this tracking number (one of them, should
    two of one sender's reports ever share its 32 bits)."""
    found = [item.metric.split("#", 1)[1] for item in CounterModel.query(
        _scope(region_id, sender_key), CounterModel.metric.startswith(f"{code}#"), limit=5)]
    return found[-1] if found else None
