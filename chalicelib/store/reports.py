"""Reads and writes of reports.  Each function is one DynamoDB request (or
one transaction), never a Scan."""
from __future__ import annotations

import base64
import json
import re
import zlib
from typing import Any, Iterator

from pynamodb.exceptions import DoesNotExist, PutError, QueryError, TransactWriteError, UpdateError
from pynamodb.expressions.condition import size
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from ..domain.workflow import HISTORY_MAX, SHARDS, Add, Change, Compaction, Condition, Copy, IfAbsent
from .models import CounterModel, EntryModel, ReportModel, shared_connection

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
    actions = [getattr(ReportModel, name).remove() if value is None else getattr(ReportModel, name).set(value)
               for name, value in fields.items()]
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
        with TransactWrite(connection=shared_connection()) as transaction:
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
    actions: list[Action] = [ReportModel.upload_ids.set(ReportModel.upload_ids.append([upload_id]))]
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
    actions: list[Action] = [
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
            # once, and only an upload the API granted (``note_upload``)
            condition=ReportModel.upload_ids.contains(photo_id) & ~ReportModel.photo_ids.contains(photo_id),
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

def apply(report_id: str, change: Change) -> ReportModel:
    """Apply a change the domain planned (``chalicelib.domain.workflow``) as
    one conditional ``UpdateItem``; returns the report as it now is
    (``ALL_NEW``).  ``ConditionFailed`` if the report does not exist or does
    not meet the change's condition: nothing was written."""
    actions = [_action(name, value) for name, value in change.fields.items()]
    for name, items in change.append.items():
        attribute = getattr(ReportModel, name)
        actions.append(attribute.set(attribute.append(items)))
    actions.append(ReportModel.version.add(1))
    report = ReportModel(id=report_id)
    try:
        report.update(actions=actions, condition=_condition(change.condition))
    except UpdateError as error:
        if condition_failed(error):
            raise ConditionFailed(report_id) from error
        raise
    return report


def _action(name: str, value: Any) -> Action:
    attribute = getattr(ReportModel, name)
    if value is None:
        return attribute.remove()
    if isinstance(value, Copy):  # SET name = if_not_exists(source, default)
        return attribute.set(getattr(ReportModel, value.source) | value.default)
    if isinstance(value, IfAbsent):  # SET name = if_not_exists(name, value)
        return attribute.set(attribute | value.value)
    if isinstance(value, Add):
        return attribute.add(value.amount)
    return attribute.set(value)


def _condition(wanted: Condition) -> Any:
    condition = ReportModel.id.exists()
    if wanted.region_id is not None:
        condition &= ReportModel.region_id == wanted.region_id
    if wanted.statuses:
        condition &= ReportModel.status.is_in(*wanted.statuses)
    if wanted.review_pending is not None:
        condition &= ReportModel.review_pending == wanted.review_pending
    scope = wanted.scope
    if not scope.everything:
        if scope.kelurahan_code:
            condition &= ReportModel.kelurahan_code == scope.kelurahan_code
        elif scope.agency and scope.watching:
            condition &= (ReportModel.agency == scope.agency) | ReportModel.watchers.contains(scope.agency)
        elif scope.agency:
            condition &= ReportModel.agency == scope.agency
        else:
            raise ValueError("a change no report can meet is not written")
    if wanted.assignee is not None:
        condition &= ReportModel.assignee == wanted.assignee
    if wanted.evidence:
        condition &= size(ReportModel.evidence_ids) > 0
    if wanted.routed:
        condition &= ReportModel.agency_key.exists()
    if wanted.reporter_id is not None:
        condition &= ReportModel.reporter_id == wanted.reporter_id
    if wanted.unrated:
        condition &= size(ReportModel.ratings) <= ReportModel.reopen_count
    if wanted.version is not None:
        condition &= ReportModel.version == wanted.version
    if wanted.history_room:
        condition &= size(ReportModel.history) < HISTORY_MAX
    if wanted.unrouted:
        condition &= ReportModel.routed_at.does_not_exist()
    if wanted.reopens_below is not None:
        condition &= ReportModel.reopen_count.does_not_exist() | (ReportModel.reopen_count < wanted.reopens_below)
    return condition


CURSOR_MAX = 2048  # characters of an encoded cursor
KEY_VALUE_MAX = 1024  # characters of one key attribute's value in it
_NUMBER = re.compile(r"-?(0|[1-9][0-9]{0,37})(\.[0-9]{1,38})?")


def encode_cursor(key: dict[str, Any] | None) -> str | None:
    if not key:
        return None
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


class BadCursor(Exception):
    pass


def decode_cursor(cursor: str | None, keys: dict[str, str] | None = None) -> dict[str, Any] | None:
    """The ``ExclusiveStartKey`` a cursor encodes, checked strictly so that
    no crafted cursor reaches DynamoDB: a JSON object of at most four
    attributes, each ``{"S": "<text>"}`` or ``{"N": "<number>"}`` with a
    bounded value.  ``keys`` (attribute name → ``S`` or ``N``) are the only
    attributes allowed, with those types.  ``BadCursor`` otherwise."""
    if not cursor:
        return None
    if not isinstance(cursor, str) or len(cursor) > CURSOR_MAX:
        raise BadCursor()
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError, RecursionError) as error:
        raise BadCursor() from error
    if not isinstance(key, dict) or not 1 <= len(key) <= 4:
        raise BadCursor()
    for name, value in key.items():
        if keys is not None and name not in keys:
            raise BadCursor()
        if not isinstance(value, dict) or len(value) != 1:
            raise BadCursor()
        [(kind, text)] = value.items()
        if kind not in ("S", "N") or (keys is not None and keys[name] != kind):
            raise BadCursor()
        if not isinstance(text, str) or not 0 < len(text) <= KEY_VALUE_MAX or not _encodable(text):
            raise BadCursor()
        if kind == "N" and not _NUMBER.fullmatch(text):
            raise BadCursor()
    return key


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate ("\ud800")
        return False
    return True


def key_attributes(index: Any) -> dict[str, str]:
    """The attributes a page of ``index`` starts from (its own key and the
    table's), by name, with their DynamoDB types."""
    attributes = [index._hash_key_attribute(), index._model._hash_key_attribute(),
                  index._model._range_key_attribute()]
    attributes += [a for a in index.Meta.attributes.values() if a.is_range_key]
    return {a.attr_name: a.attr_type for a in attributes if a is not None}


def page(index: Any, hash_value: str, limit: int, cursor: str | None, newest_first: bool = False,
         range_condition: Any = None, filter_condition: Any = None) -> tuple[list[Any], str | None]:
    """One page of a Query on an index or a model's own table, and the
    cursor of the next page.  A cursor must name exactly the key attributes
    this Query pages over, with the hash key it asks for (``BadCursor``
    otherwise)."""
    if isinstance(index, type):  # a Model: its table's own keys
        model: Any = index
        found = [model._hash_key_attribute(), model._range_key_attribute()]
        keys = {a.attr_name: a.attr_type for a in found if a is not None}
        hash_name = model._hash_key_attribute().attr_name
    else:
        keys, hash_name = key_attributes(index), _hash_name(index)
    start = decode_cursor(cursor, keys)
    if start is not None and (set(start) != set(keys) or start[hash_name]["S"] != hash_value):
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
    """Open reports whose deadline is before ``cutoff``, over every shard."""
    for shard in range(SHARDS):
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


# --- the lists staff and citizens work from (one Query each) -------------------

Page = tuple[list[ReportModel], str | None]


def verification_queue(queue_key: str, limit: int, cursor: str | None) -> Page:
    """Reports waiting for a verifier (or back for review), oldest first."""
    return page(ReportModel.queue, queue_key, limit, cursor)


def assigned_to(sub: str, limit: int, cursor: str | None) -> Page:
    """Reports an officer has taken, newest first."""
    return page(ReportModel.by_assignee, sub, limit, cursor, newest_first=True)


def reported_by(sub: str, limit: int, cursor: str | None) -> Page:
    """A citizen's own reports, newest first."""
    return page(ReportModel.by_reporter, sub, limit, cursor, newest_first=True)


def audits_followed_by(agency_key: str, limit: int, cursor: str | None) -> Page:
    """Citizen audits of public works an agency (the inspectorate) follows, newest first."""
    return page(ReportModel.audits, agency_key, limit, cursor, newest_first=True)


def agency_inbox(agency_key: str, status_prefix: str, limit: int, cursor: str | None) -> Page:
    """One status of an agency's inbox, by due time."""
    return page(ReportModel.agency_inbox, agency_key, limit, cursor,
                range_condition=ReportModel.inbox_at.startswith(status_prefix))


def agency_overdue(agency_key: str, limit: int, cursor: str | None) -> Page:
    """An agency's overdue reports (the agency head's escalations)."""
    return page(ReportModel.overdue_index, agency_key, limit, cursor)


def kelurahan_inbox(kelurahan_key: str, status_prefix: str, overdue_only: bool, limit: int,
                    cursor: str | None) -> Page:
    """One status of a kelurahan's inbox, by due time (optionally only the overdue ones)."""
    return page(ReportModel.kelurahan_inbox, kelurahan_key, limit, cursor,
                range_condition=ReportModel.inbox_at.startswith(status_prefix),
                filter_condition=(ReportModel.overdue == True) if overdue_only else None)  # noqa: E712


# --- history -------------------------------------------------------------------

def _history_seq(position: int) -> str:
    return f"history#{position:06d}"


def compact_history(report: ReportModel, plan: Compaction) -> bool:
    """Move the oldest entries of the report's history to their own items
    (one ``BatchWriteItem``; a redo writes the same items at the same
    positions), then keep only the recent ones on the item, on the
    condition that nothing changed since ``report`` was read.  False if it
    did (the caller reads again)."""
    with EntryModel.batch_write() as batch:
        for offset, entry in enumerate(plan.archived):
            batch.save(EntryModel(parent=report.id, seq=_history_seq(plan.first + offset), entry=entry))
    moved = ReportModel.history_archived == plan.first
    if not plan.first:
        moved |= ReportModel.history_archived.does_not_exist()
    try:
        ReportModel(id=report.id).update(
            actions=[ReportModel.history.set(plan.kept), ReportModel.history_archived.set(plan.first + len(plan.archived))],
            condition=(ReportModel.version == int(report.version)) & moved)
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def earlier_history(report_id: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the entries moved off the report's item, oldest first."""
    items, next_cursor = page(EntryModel, report_id, limit, cursor,
                              range_condition=EntryModel.seq.startswith("history#"))
    return [item.entry.as_dict() for item in items], next_cursor


def whole_history(report: ReportModel) -> list[dict[str, Any]]:
    """Every entry of the report's history, oldest first (one Query, paged,
    when some were moved off the item)."""
    earlier: list[dict[str, Any]] = []
    if int(report.history_archived or 0):
        earlier = [item.entry.as_dict() for item in EntryModel.query(report.id, EntryModel.seq.startswith("history#"))]
    return earlier + [dict(entry) for entry in report.history]


# --- photo visibility ----------------------------------------------------------

def set_photo_hidden(report_id: str, photo_id: str, hidden: bool, region_id: str | None) -> ReportModel:
    """Hide one accepted photo of the report from the public (or show it
    again), if the report is of ``region_id`` (None: any) and has that
    photo: one ``UpdateItem`` returning the report; ``ConditionFailed``
    otherwise."""
    marker = ReportModel.hidden_photos
    report = ReportModel(id=report_id)
    condition = ReportModel.id.exists() & ReportModel.photo_ids.contains(photo_id) & (size(ReportModel.photos) > 0)
    if region_id is not None:
        condition &= ReportModel.region_id == region_id
    try:
        report.update(actions=[marker.add({photo_id}) if hidden else marker.delete({photo_id}),
                               ReportModel.version.add(1)], condition=condition)
    except UpdateError as error:
        if condition_failed(error):
            raise ConditionFailed(report_id) from error
        raise
    return report


def every_report_of(region_id: str) -> Iterator[ReportModel]:
    """Every report of a region, for offline tools (the performance rebuild):
    a Scan, never on a request path."""
    yield from ReportModel.scan(ReportModel.region_id == region_id)


def on_map(region_id: str, first: str, last: str, limit: int, cursor: str | None) -> Page:
    """A page of the region's verified reports created between ``first``
    and ``last`` (ISO UTC), newest first: one Query."""
    return page(ReportModel.on_map, region_id, limit, cursor, newest_first=True,
                range_condition=ReportModel.created_at.between(first, last))


def created_between(region_id: str, first: str, last: str, limit: int, cursor: str | None) -> Page:
    """A page of the region's reports created between ``first`` and ``last``
    (ISO UTC), oldest first: one Query."""
    return page(ReportModel.by_creation, region_id, limit, cursor,
                range_condition=ReportModel.created_at.between(first, last))


def get_many(report_ids: list[str]) -> list[ReportModel]:
    """Reports by id (BatchGetItem, 100 keys a call); unknown ids are left out."""
    if not report_ids:
        return []
    return list(ReportModel.batch_get(list(dict.fromkeys(report_ids))))
