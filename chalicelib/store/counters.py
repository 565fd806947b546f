"""Monthly usage counters per region: atomic ADDs, and markers that count
each active account once per month.  Read with one Query per region and
month, never a Scan."""
from __future__ import annotations

from pynamodb.exceptions import TransactWriteError

from .models import CounterModel, shared_connection


def scope(region_id: str, month: str) -> str:
    return f"{region_id}#{month}"


def add(region_id: str, month: str, amounts: dict[str, int]) -> None:
    for metric, amount in amounts.items():
        if amount:
            CounterModel(scope=scope(region_id, month), metric=f"count#{metric}").update(
                actions=[CounterModel.value.add(amount)])


def mark_active(region_id: str, month: str, kind: str, sub: str) -> bool:
    """Count ``sub`` (a pseudonym of the account) once this month in
    ``active_<kind>`` (citizens, staff)."""
    from pynamodb.transactions import TransactWrite

    key = scope(region_id, month)
    try:
        with TransactWrite(connection=shared_connection()) as transaction:
            transaction.save(CounterModel(scope=key, metric=f"seen#{kind}#{sub}", value=1),
                             condition=CounterModel.metric.does_not_exist())
            transaction.update(CounterModel(scope=key, metric=f"count#active_{kind}"),
                               actions=[CounterModel.value.add(1)])
    except TransactWriteError as error:
        reasons = getattr(error, "cancellation_reasons", None) or []
        if any(r is not None and r.code == "ConditionalCheckFailed" for r in reasons):
            return False
        raise
    return True


def usage(region_id: str, month: str) -> dict[str, int]:
    return {item.metric[len("count#"):]: int(item.value)
            for item in CounterModel.query(scope(region_id, month), CounterModel.metric.startswith("count#"))}
