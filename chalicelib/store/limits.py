"""Rate-limit counters: one item per limited subject (a keyed hash, never the
address itself) and window in the counters table, expiring with the window
(TTL).  Taking one is a single conditional ``UpdateItem``, no read first."""
from __future__ import annotations

from pynamodb.exceptions import UpdateError

from .models import CounterModel
from .reports import condition_failed


def take(subject: str, window: str, limit: int, expires_at: int) -> bool:
    """Count one more in this window; False (nothing counted) when the
    window already holds ``limit``."""
    try:
        CounterModel(scope=f"limit#{subject}", metric=window).update(
            actions=[CounterModel.value.add(1), CounterModel.expires_at.set(expires_at + 3600)],
            condition=CounterModel.value.does_not_exist() | (CounterModel.value < limit))
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True
