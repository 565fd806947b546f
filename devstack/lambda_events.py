"""Lambda's event shapes for SQS batches and scheduled events, so the local
stack and the tests call the handlers with what AWS would send."""
from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timezone
from typing import Any

ACCOUNT = "123456789012"


def sqs_record(message: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    """One Lambda SQS record from a ReceiveMessage result."""
    attributes = message.get("Attributes", {})
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": {
            "ApproximateReceiveCount": attributes.get("ApproximateReceiveCount", "1"),
            "SentTimestamp": attributes.get("SentTimestamp", "0"),
            "SenderId": attributes.get("SenderId", ACCOUNT),
            "ApproximateFirstReceiveTimestamp": attributes.get("ApproximateFirstReceiveTimestamp", "0"),
            # a FIFO queue's (as Lambda passes them)
            **{name: attributes[name] for name in ("MessageGroupId", "MessageDeduplicationId", "SequenceNumber")
               if name in attributes},
        },
        "messageAttributes": {
            name: {"stringValue": value.get("StringValue"), "stringListValues": [], "binaryListValues": [],
                   "dataType": value.get("DataType", "String")}
            for name, value in message.get("MessageAttributes", {}).items()
        },
        "md5OfBody": message.get("MD5OfBody") or hashlib.md5(message["Body"].encode(), usedforsecurity=False).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


def sqs_event(bodies: list[str], queue_arn: str, region: str) -> dict[str, Any]:
    """A batch built from bodies, each with its own message id (unlike
    ``chalice.test.Client``'s generated events, which share one)."""
    records = []
    for body in bodies:
        message_id = str(uuid.uuid4())
        records.append(sqs_record({"MessageId": message_id, "ReceiptHandle": f"local-{message_id}", "Body": body},
                                  queue_arn, region))
    return {"Records": records}


def stream_record(record: dict[str, Any], stream_arn: str, region: str) -> dict[str, Any]:
    """One Lambda DynamoDB-stream record from a GetRecords result."""
    change = dict(record["dynamodb"])
    created = change.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        change["ApproximateCreationDateTime"] = created.timestamp()
    return {"eventID": record.get("eventID", ""), "eventName": record.get("eventName", ""),
            "eventVersion": record.get("eventVersion", "1.1"), "eventSource": "aws:dynamodb", "awsRegion": region,
            "dynamodb": change, "eventSourceARN": stream_arn}


def scheduled_event(rule_arn: str, region: str) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT,
        "time": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [rule_arn],
        "detail": {},
    }


class LambdaContext:
    """The attributes handlers may read from Lambda's context object."""

    def __init__(self, function_name: str, timeout_seconds: int = 30) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = 256
        self.aws_request_id = str(uuid.uuid4())
        self.invoked_function_arn = f"arn:aws:lambda:local:{ACCOUNT}:function:{function_name}"
        self._deadline = datetime.now(timezone.utc).timestamp() + timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - datetime.now(timezone.utc).timestamp()) * 1000))
