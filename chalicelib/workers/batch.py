"""SQS batches as Lambda delivers them: each record is handled on its own,
and the ones that failed are returned as ``batchItemFailures`` so that SQS
retries only those (the event source mapping sets ReportBatchItemFailures)."""
from __future__ import annotations

import json
import logging
from typing import Any, Callable, Iterator
from urllib.parse import unquote_plus

from .. import logs

log = logging.getLogger(__name__)


def records(event: Any) -> list[dict[str, Any]]:
    """The raw Lambda records of a Chalice SQS event (or of a plain dict)."""
    raw = event.to_dict() if hasattr(event, "to_dict") else event
    return list(raw.get("Records", []))


def process(event: Any, handle: Callable[[dict[str, Any]], Any]) -> dict[str, list[dict[str, str]]]:
    """Each record on its own.  From a FIFO queue (records carry their
    ``MessageGroupId``), once a record fails the later ones of its group are
    returned unhandled, so that the group keeps its order; other groups go on.
    (A message returned unhandled still counts a receive towards its
    dead-letter limit: a FIFO queue whose consumer retries for long takes
    one message a batch, see ``resources.PARTNER_WEBHOOKS_QUEUE``.)"""
    failures = []
    held: set[str] = set()
    for record in records(event):
        logs.correlate(record.get("messageId"))
        group = (record.get("attributes") or {}).get("MessageGroupId")
        if group is not None and group in held:
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        try:
            handle(record)
        except Exception:  # one bad record must not fail the batch
            log.exception("message %s failed", record.get("messageId"))
            failures.append({"itemIdentifier": record["messageId"]})
            if group is not None:
                held.add(group)
    return {"batchItemFailures": failures}


def body(record: dict[str, Any]) -> dict[str, Any]:
    value = json.loads(record["body"])
    if not isinstance(value, dict):
        raise ValueError("message body is not a JSON object")
    return value


def s3_objects(record: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """The (bucket, key) of each object an S3 notification through SQS names,
    keys decoded (S3 URL-encodes them, spaces as '+'); none for the test
    event S3 sends once when the notification is configured."""
    notification = body(record)
    if notification.get("Event") == "s3:TestEvent":
        return
    for entry in notification.get("Records", []):
        yield entry["s3"]["bucket"]["name"], unquote_plus(entry["s3"]["object"]["key"])


def stream_changes(event: Any, handle: Callable[[dict[str, Any] | None, dict[str, Any] | None, str], Any],
                   log: logging.Logger, what: str) -> dict[str, list[dict[str, str]]]:
    """A DynamoDB stream batch, in order: ``handle(old, new, sequence)`` with
    plain images; the first record that fails is reported with everything
    after it (retried from there, in order; what came before is kept)."""
    from boto3.dynamodb.types import TypeDeserializer  # boto3: not a cost of the API's cold start

    values = TypeDeserializer()

    def plain(image: dict[str, Any] | None) -> dict[str, Any] | None:
        return {name: values.deserialize(value) for name, value in image.items()} if image else None

    for record in records(event):
        change = record.get("dynamodb", {})
        sequence = change.get("SequenceNumber", "")
        logs.correlate(sequence)
        try:
            handle(plain(change.get("OldImage")), plain(change.get("NewImage")), sequence)
        except Exception:
            log.exception("stream record %s failed: %s", sequence, what)
            return {"batchItemFailures": [{"itemIdentifier": sequence}]}
    return {"batchItemFailures": []}
