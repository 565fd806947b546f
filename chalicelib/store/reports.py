"""Reads and writes of reports.  Each function is one DynamoDB request (or
one transaction), never a Scan."""
from __future__ import annotations

import base64
import json
import zlib
from typing import Any, Iterator

from pynamodb.connection import Connection
from pynamodb.expressions.condition import size
from pynamodb.exceptions import DoesNotExist, PutError, QueryError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from .models import CounterModel, ReportModel, _Meta

UNROUTED_SHARDS = 4


class AlreadyExists(Exception):
    pass


class ConditionFailed(Exception):
    pass


def condition_failed(error: Exception) -> bool:
    cause = getattr(error, "cause_response_code", None)
    if cause == "ConditionalCheckFailedException":
        return True
    if cause == "TransactionCanceledException":
        reasons = getattr(error, "cancellation_reasons", None) or []
        return any(r is not None and r.code == "ConditionalCheckFailed" for r in reasons)
    return False


def unrouted_shard(report_id: str) -> str:
    return f"unrouted#{zlib.crc32(report_id.encode()) % UNROUTED_SHARDS}"


def insert(report: ReportModel) -> None:
    """Write a new report; ``AlreadyExists`` if its id is taken (a retry)."""
    try:
        report.save(condition=ReportModel.id.does_not_exist())
    except PutError as error:
        if condition_failed(error):
            raise AlreadyExists(report.id) from error
        raise


def get(report_id: str) -> ReportModel | None:
    try:
        return ReportModel.get(report_id, consistent_read=True)
    except DoesNotExist:
        return None


def record_routing(report: ReportModel, fields: dict[str, Any], entry: dict[str, Any], at: str) -> None:
    """Store the routing decision once: a second attempt (a redelivered
    message) fails the condition and changes nothing."""
    actions = [getattr(ReportModel, name).set(value) for name, value in fields.items()]
    actions += [
        ReportModel.routed_at.set(at),
        ReportModel.updated_at.set(at),
        ReportModel.history.set(ReportModel.history.append([entry])),
        ReportModel.unrouted_shard.remove(),
        # a verifier who read the report before routing must re-read it
        ReportModel.version.set(ReportModel.version + 1),
    ]
    try:
        report.update(actions=actions, condition=ReportModel.routed_at.does_not_exist())
    except UpdateError as error:
        if condition_failed(error):
            raise ConditionFailed(report.id) from error
        raise


def record_dispatch(report_id: str, at: str, counter_scope: str, counter_metric: str) -> bool:
    """Mark the report delivered to its agency and count it, atomically and
    once; False if it had already been delivered."""
    report = ReportModel(id=report_id)
    counter = CounterModel(scope=counter_scope, metric=counter_metric)
    try:
        with TransactWrite(connection=Connection(region=_Meta.region)) as transaction:
            transaction.update(
                report,
                actions=[ReportModel.dispatched_at.set(at)],
                condition=ReportModel.id.exists() & ReportModel.dispatched_at.does_not_exist(),
            )
            transaction.update(counter, actions=[CounterModel.value.add(1)])
    except TransactWriteError as error:
        if condition_failed(error):
            return False
        raise
    return True


def note_upload(report: ReportModel, upload_id: str, limit: int, evidence: bool = False) -> None:
    """Reserve one of the report's photo slots for a presigned upload."""
    actions = [ReportModel.upload_ids.set(ReportModel.upload_ids.append([upload_id]))]
    if evidence:
        actions.append(ReportModel.evidence_upload_ids.set(ReportModel.evidence_upload_ids.append([upload_id])))
    try:
        report.update(
            actions=actions,
            condition=ReportModel.id.exists() & (size(ReportModel.upload_ids) < limit),
        )
    except UpdateError as error:
        if condition_failed(error):
            raise ConditionFailed(report.id) from error
        raise


def add_photo_outcome(report_id: str, photo_id: str, accepted: dict[str, Any] | None,
                      rejected: dict[str, Any] | None, at: str, evidence: bool = False) -> bool:
    """Record what the photo worker decided about one upload, once; False if
    that upload had already been recorded (a redelivered notification)."""
    report = ReportModel(id=report_id)
    actions = [
        ReportModel.photo_ids.set(ReportModel.photo_ids.append([photo_id])),
        ReportModel.updated_at.set(at),
    ]
    if accepted is not None:
        actions.append(ReportModel.photos.set(ReportModel.photos.append([accepted])))
        if evidence:
            actions.append(ReportModel.evidence_ids.set(ReportModel.evidence_ids.append([photo_id])))
    if rejected is not None:
        actions.append(ReportModel.rejected_photos.set(ReportModel.rejected_photos.append([rejected])))
    try:
        report.update(
            actions=actions,
            condition=ReportModel.id.exists() & ~ReportModel.photo_ids.contains(photo_id),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def unrouted_before(cutoff: str, limit: int = 500) -> Iterator[ReportModel]:
    """Reports still unrouted that were created before ``cutoff``, oldest
    first, over every shard of the sparse index."""
    for shard in range(UNROUTED_SHARDS):
        yield from ReportModel.unrouted.query(
            f"unrouted#{shard}", ReportModel.created_at < cutoff, limit=limit
        )


def counter(scope: str, metric: str) -> int:
    try:
        return int(CounterModel.get(scope, metric).value)
    except DoesNotExist:
        return 0


# --- workflow ----------------------------------------------------------------

def due_shard(report_id: str) -> str:
    return f"due#{zlib.crc32(report_id.encode()) % UNROUTED_SHARDS}"


def update_versioned(report: ReportModel, actions: list[Any]) -> ReportModel:
    """Apply ``actions`` only if nobody changed the report since it was read
    (optimistic locking on ``version``); ``ConditionFailed`` otherwise."""
    actions = actions + [ReportModel.version.set(ReportModel.version + 1)]
    try:
        report.update(actions=actions, condition=ReportModel.version == report.version)
    except UpdateError as error:
        if condition_failed(error):
            raise ConditionFailed(report.id) from error
        raise
    return report


def encode_cursor(key: dict[str, Any] | None) -> str | None:
    if not key:
        return None
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


class BadCursor(Exception):
    pass


def decode_cursor(cursor: str | None) -> dict[str, Any] | None:
    if not cursor:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError) as error:
        raise BadCursor() from error
    if not isinstance(key, dict) or not all(isinstance(v, dict) for v in key.values()):
        raise BadCursor()
    return key


def page(index: Any, hash_value: str, limit: int, cursor: str | None, newest_first: bool = False,
         range_condition: Any = None, filter_condition: Any = None) -> tuple[list[ReportModel], str | None]:
    """One page of an index Query and the cursor of the next page."""
    start = decode_cursor(cursor)
    if start is not None and start.get(_hash_name(index), {}).get("S") != hash_value:
        raise BadCursor()
    results = index.query(hash_value, range_condition, filter_condition=filter_condition, limit=limit,
                          page_size=limit, last_evaluated_key=start, scan_index_forward=not newest_first)
    try:
        items = list(results)
    except QueryError as error:
        if getattr(error, "cause_response_code", None) == "ValidationException":
            raise BadCursor() from error
        raise
    return items, encode_cursor(results.last_evaluated_key)


def _hash_name(index: Any) -> str:
    return index._hash_key_attribute().attr_name


def due_before(cutoff: str, limit: int = 500) -> Iterator[ReportModel]:
    for shard in range(UNROUTED_SHARDS):
        yield from ReportModel.due.query(f"due#{shard}", ReportModel.due_at < cutoff, limit=limit)


def mark_notified(report_id: str, marker: str) -> None:
    """Remember that the reporter was told about one change (no-op if a
    concurrent delivery already did)."""
    try:
        ReportModel(id=report_id).update(
            actions=[ReportModel.notified.set(ReportModel.notified.append([marker]))],
            condition=ReportModel.id.exists() & ~ReportModel.notified.contains(marker),
        )
    except UpdateError as error:
        if not condition_failed(error):
            raise
