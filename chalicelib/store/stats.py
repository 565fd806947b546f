"""The performance tallies (``chalicelib.domain.performance``) and their layout.

Table ``stats`` (``resources.STATS``), key ``pk`` + ``sk``, every counter a
top-level number attribute (``ADD`` needs top-level attributes):

- a unit's month (what happened in it): ``pk = <region>#<level>#<YYYY-MM>``, ``sk = m#<unit>#<shard>``
- a unit's cohort (the reports created on a day, and what became of them):
  ``pk = <region>#<level>#<YYYY-MM>``, ``sk = c#<YYYY-MM-DD>#<unit>#<shard>``
- status gauges:  ``pk = <region>#status#now``,        ``sk = <status>#<shard>`` (``count``)
- every region's month, for the platform admin: ``pk = *#region#<YYYY-MM>``, ``sk = m#<region>#<shard>``
- applied marker: ``pk = applied#<report id>``,        ``sk = <stream sequence number>`` (expires)

So a month's ranking of one level is one Query (``begins_with(sk, "m#")``),
the reports created in a range of days inside one month one Query (two
months two); the regent's three numbers one Query.  Items of busy units (the region, its agencies, its
categories and channels) are spread over ``SHARDS`` items by report id, so
no single item takes every write of a region and concurrent transactions
rarely meet; readers add the shards up.

Each stream record's changes are applied in one ``TransactWriteItems`` with
its marker: a redelivered record finds its marker and changes nothing.
"""
from __future__ import annotations

import hashlib
import os
import threading
import time
from typing import Any, Iterable, Iterator

from .. import resources
from ..domain.performance import NOW, Change, Tally

SHARDS = {"region": 8, "agency": 4, "category": 4, "channel": 4, "status": 4}
MARKER_SECONDS = 3 * 24 * 3600  # longer than a stream keeps records (24 h)

_lock = threading.Lock()
_clients: dict[str, Any] = {}


class AlreadyApplied(Exception):
    """This stream record's changes were applied before (a redelivery)."""


def _client() -> Any:
    with _lock:
        if "dynamodb" not in _clients:
            import boto3

            region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "ap-southeast-3"
            _clients["dynamodb"] = boto3.session.Session().client("dynamodb", region_name=region)
        return _clients["dynamodb"]


def reset() -> None:
    with _lock:
        _clients.clear()


def shard(level: str, report_id: str) -> int:
    count = SHARDS.get(level, 1)
    if count == 1:
        return 0
    return int.from_bytes(hashlib.blake2b(report_id.encode(), digest_size=2).digest(), "big") % count


PLATFORM = "*"  # the platform admin's partition: every region's month, side by side


def _keys(region_id: str, change: Change, shard_no: int) -> list[dict[str, Any]]:
    if change.day == NOW:
        return [{"pk": {"S": f"{region_id}#{change.level}#now"}, "sk": {"S": f"{change.unit}#{shard_no}"}}]
    keys = [{"pk": {"S": f"{region_id}#{change.level}#{change.day[:7]}"}, "sk": {"S": f"m#{change.unit}#{shard_no}"}},
            {"pk": {"S": f"{region_id}#{change.level}#{change.cohort[:7]}"},
             "sk": {"S": f"c#{change.cohort}#{change.unit}#{shard_no}"}}]
    if change.level == "region":
        keys.append({"pk": {"S": f"{PLATFORM}#region#{change.day[:7]}"}, "sk": {"S": f"m#{change.unit}#{shard_no}"}})
    return keys


def _update(key: dict[str, Any], change: Change, label: str | None) -> dict[str, Any]:
    delta = change.delta
    names = {f"#c{i}": name for i, name in enumerate(delta)}
    values: dict[str, Any] = {f":c{i}": {"N": str(int(value))} for i, value in enumerate(delta.values())}
    sets = {"unit": change.unit, "label": label, "agency": change.agency}
    assignments = []
    for i, (name, value) in enumerate((n, v) for n, v in sets.items() if v is not None):
        names[f"#s{i}"], values[f":s{i}"] = name, {"S": value}
        assignments.append(f"#s{i} = :s{i}")
    adds = ", ".join(f"#c{i} :c{i}" for i in range(len(delta)))
    return {"Update": {"TableName": resources.STATS.name, "Key": key,
                       "UpdateExpression": f"SET {', '.join(assignments)} ADD {adds}",
                       "ExpressionAttributeNames": names, "ExpressionAttributeValues": values}}


def apply(region_id: str, report_id: str, sequence: str, changes: Iterable[Change],
          region_name: str | None = None) -> int:
    """Add the changes of one stream record, once.  The number of items
    written; ``AlreadyApplied`` if its marker is there.  ``region_name``
    labels the region's item of the platform partition."""
    items: list[dict[str, Any]] = [{"Put": {
        "TableName": resources.STATS.name,
        "Item": {"pk": {"S": f"applied#{report_id}"}, "sk": {"S": sequence},
                 "expires_at": {"N": str(int(time.time()) + MARKER_SECONDS)}},
        "ConditionExpression": "attribute_not_exists(pk)"}}]
    for change in changes:
        for key in _keys(region_id, change, shard(change.level, report_id)):
            platform = key["pk"]["S"].startswith(f"{PLATFORM}#")
            items.append(_update(key, change, region_name if platform else change.label))
    if len(items) == 1:
        return 0
    client = _client()
    try:
        client.transact_write_items(TransactItems=items)
    except client.exceptions.TransactionCanceledException as error:
        reasons = error.response.get("CancellationReasons") or []
        if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
            raise AlreadyApplied(f"{report_id} {sequence}") from None
        raise
    return len(items)


def _number(value: dict[str, Any]) -> int:
    return int(value["N"])


def _query(**params: Any) -> Iterator[dict[str, Any]]:
    client = _client()
    while True:
        page = client.query(TableName=resources.STATS.name, **params)
        yield from page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        params["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _add(into: dict[str, Tally], unit: str, item: dict[str, Any]) -> None:
    tally = into.setdefault(unit, {})
    for name, value in item.items():
        if "N" in value and name != "expires_at":
            tally[name] = tally.get(name, 0) + _number(value)


class Labelled(dict[str, Tally]):
    """Tallies by unit, with what the items say of each unit (label, agency)."""

    def __init__(self) -> None:
        super().__init__()
        self.about: dict[str, dict[str, str]] = {}


def month_tallies(region_id: str, level: str, month: str) -> Labelled:
    """Every unit's tally of a month at one level (one Query, shards added up)."""
    result = Labelled()
    for item in _query(KeyConditionExpression="pk = :pk AND begins_with(sk, :m)",
                       ExpressionAttributeValues={":pk": {"S": f"{region_id}#{level}#{month}"}, ":m": {"S": "m#"}}):
        unit = item["unit"]["S"]
        _add(result, unit, item)
        about = result.about.setdefault(unit, {})
        for name in ("label", "agency"):
            if name in item:
                about[name] = item[name]["S"]
    return result


def platform_tallies(month: str) -> Labelled:
    """Every region's tally of a month, side by side (one Query)."""
    return month_tallies(PLATFORM, "region", month)


def cohort_tallies(region_id: str, level: str, first: str, last: str) -> dict[str, Tally]:
    """Every unit's tally of the reports created on the days ``first`` to
    ``last`` (YYYY-MM-DD) of one calendar month (one Query)."""
    if first[:7] != last[:7]:
        raise ValueError("one calendar month at a time")
    result: dict[str, Tally] = {}
    for item in _query(KeyConditionExpression="pk = :pk AND sk BETWEEN :a AND :b",
                       ExpressionAttributeValues={":pk": {"S": f"{region_id}#{level}#{first[:7]}"},
                                                  ":a": {"S": f"c#{first}#"}, ":b": {"S": f"c#{last}#\uffff"}}):
        _add(result, item["unit"]["S"], item)
    return result


def gauges(region_id: str) -> dict[str, int]:
    """How many of the region's reports are in each status now (one Query)."""
    result: dict[str, Tally] = {}
    for item in _query(KeyConditionExpression="pk = :pk",
                       ExpressionAttributeValues={":pk": {"S": f"{region_id}#status#now"}}):
        _add(result, item["unit"]["S"], item)
    return {status: tally.get("count", 0) for status, tally in result.items()}


def clear_region(region_id: str) -> int:
    """Remove every tally of a region (the rebuild starts from nothing).
    An offline tool's Scan, never a request path."""
    client = _client()
    removed = 0
    params: dict[str, Any] = {"TableName": resources.STATS.name, "ProjectionExpression": "pk, sk",
                              "FilterExpression": "begins_with(pk, :region)",
                              "ExpressionAttributeValues": {":region": {"S": f"{region_id}#"}}}
    while True:
        page = client.scan(**params)
        for item in page.get("Items", []):
            client.delete_item(TableName=resources.STATS.name, Key={"pk": item["pk"], "sk": item["sk"]})
            removed += 1
        if "LastEvaluatedKey" not in page:
            return removed
        params["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def region_items(region_id: str) -> dict[tuple[str, str], dict[str, Any]]:
    """Every tally item of a region by key, as stored (for the rebuild's
    comparison; an offline Scan)."""
    client = _client()
    found: dict[tuple[str, str], dict[str, Any]] = {}
    params: dict[str, Any] = {"TableName": resources.STATS.name,
                              "FilterExpression": "begins_with(pk, :region)",
                              "ExpressionAttributeValues": {":region": {"S": f"{region_id}#"}}}
    while True:
        page = client.scan(**params)
        for item in page.get("Items", []):
            found[(item["pk"]["S"], item["sk"]["S"])] = item
        if "LastEvaluatedKey" not in page:
            return found
        params["ExclusiveStartKey"] = page["LastEvaluatedKey"]
