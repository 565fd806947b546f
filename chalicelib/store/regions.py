"""Reads and writes of regions (their boundary files: ``store.boundaries``)."""
from __future__ import annotations

import uuid
from typing import Any

from pynamodb.attributes import MapAttribute
from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.expressions.condition import size
from pynamodb.transactions import TransactWrite

from .models import EntryModel, RegionModel, shared_connection
from .reports import condition_failed

REGION_FIELDS = ("region_id", "name", "kemendagri_code", "time_zone", "status", "categories",
                 "agencies", "areas", "areas_source", "boundaries_version", "boundaries_note", "boundaries_files", "sla", "project_rules", "ocid_prefix", "map_tiles", "notify_topic_arn",
                 "trial_started_at", "trial_ends_at", "activated_at", "reminders_sent", "audit",
                 "created_at", "updated_at")


class Exists(Exception):
    pass


class Changed(Exception):
    pass


def get(region_id: str) -> dict[str, Any] | None:
    try:
        item = RegionModel.get(region_id)
    except DoesNotExist:
        return None
    return _record(item)


def _record(item: RegionModel) -> dict[str, Any]:
    record = {name: getattr(item, name) for name in REGION_FIELDS}
    if isinstance(record["sla"], MapAttribute):
        record["sla"] = record["sla"].as_dict()
    if isinstance(record["boundaries_files"], MapAttribute):
        record["boundaries_files"] = record["boundaries_files"].as_dict()
    if isinstance(record["project_rules"], MapAttribute):
        record["project_rules"] = record["project_rules"].as_dict()
    if isinstance(record["map_tiles"], MapAttribute):
        record["map_tiles"] = record["map_tiles"].as_dict()
    return record


def put(record: dict[str, Any]) -> None:
    RegionModel(**{name: record[name] for name in REGION_FIELDS if name in record}).save()


def create(record: dict[str, Any]) -> None:
    """Write a new region; ``Exists`` if the id is taken."""
    try:
        RegionModel(**{name: record[name] for name in REGION_FIELDS if name in record}).save(
            condition=RegionModel.region_id.does_not_exist())
    except PutError as error:
        if getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException":
            raise Exists(record["region_id"]) from error
        raise


def update(region_id: str, fields: dict[str, Any], expected: dict[str, Any], audit: dict[str, Any] | None = None,
           append: dict[str, Any] | None = None) -> dict[str, Any]:
    """Set ``fields`` if the region still has the ``expected`` values
    (``Changed`` otherwise); returns the updated record."""
    item = RegionModel(region_id=region_id)
    actions = [getattr(RegionModel, k).remove() if v is None else getattr(RegionModel, k).set(v)
               for k, v in fields.items()]
    if audit is not None:
        actions.append(RegionModel.audit.set(RegionModel.audit.append([audit])))
    for name, value in (append or {}).items():
        attribute = getattr(RegionModel, name)
        actions.append(attribute.set(attribute.append([value])))
    condition = RegionModel.region_id.exists()
    for name, value in expected.items():
        attribute = getattr(RegionModel, name)
        condition &= attribute.does_not_exist() if value is None else attribute == value
    try:
        if audit is None:
            item.update(actions=actions, condition=condition)
        else:  # the audit entry also as its own item: the region keeps the recent ones
            with TransactWrite(connection=shared_connection()) as transaction:
                transaction.update(item, actions=actions, condition=condition)
                transaction.save(EntryModel(parent=f"region#{region_id}", seq=f"audit#{audit['at']}#{uuid.uuid4().hex}",
                                            entry=audit))
    except (UpdateError, TransactWriteError) as error:
        if condition_failed(error):
            raise Changed(region_id) from error
        raise
    if audit is not None:
        _trim_audit(region_id)
    return get(region_id) or {}


AUDIT_KEPT = 50  # audit entries on the region item; every one is in the entries table


def _trim_audit(region_id: str) -> None:
    """Drop the oldest audit entry from the item while it holds more than
    AUDIT_KEPT (one more entry per change: one removal at most)."""
    try:
        RegionModel(region_id=region_id).update(actions=[RegionModel.audit[0].remove()],
                                                condition=size(RegionModel.audit) > AUDIT_KEPT)
    except UpdateError as error:
        if not condition_failed(error):
            raise


def by_status(status: str) -> list[dict[str, Any]]:
    """Every region in ``status`` (one paged Query of the lifecycle index)."""
    return [_record(item) for item in RegionModel.lifecycle.query(status)]


def trials_ending_before(cutoff: str) -> list[dict[str, Any]]:
    """Regions in trial whose trial ends before ``cutoff`` (one Query)."""
    return [_record(item) for item in RegionModel.lifecycle.query("trial", RegionModel.trial_ends_at < cutoff)]


def switch_boundaries(region_id: str, files: dict[str, Any], note: str | None) -> int:
    """Point the region at a complete new version of its boundary files (one
    conditional UpdateItem): readers see the old version or the new one,
    never a mix.  The new version's number."""
    item = RegionModel(region_id=region_id)
    item.update(actions=[
        RegionModel.boundaries_version.add(1),
        RegionModel.boundaries_files.set(files),
        RegionModel.boundaries_note.set(note) if note is not None else RegionModel.boundaries_note.remove(),
    ], condition=RegionModel.region_id.exists())
    return int(item.boundaries_version)


def set_topic(region_id: str, topic_arn: str) -> None:
    RegionModel(region_id=region_id).update(actions=[RegionModel.notify_topic_arn.set(topic_arn)],
                                            condition=RegionModel.region_id.exists())
