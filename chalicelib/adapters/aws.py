"""boto3 clients for S3 and SQS, created once per process (a warm Lambda
reuses them).  ``AWS_ENDPOINT_URL`` points them, and PynamoDB, at the local
stack; nothing else in the code knows whether it talks to AWS or moto."""
from __future__ import annotations

import json
import os
import threading
from typing import Any

from .. import resources

_lock = threading.Lock()
_clients: dict[str, Any] = {}
_queue_urls: dict[str, str] = {}


def client(service: str) -> Any:
    found = _clients.get(service)
    if found is not None:
        return found
    with _lock:
        if service not in _clients:
            import boto3
            from botocore.config import Config

            options: dict[str, Any] = {"retries": {"max_attempts": 3, "mode": "standard"}}
            if service == "s3":
                options["signature_version"] = "s3v4"
                # The local server is an IP address: bucket names cannot be host
                # names there.  On AWS the bucket's regional host: presigned
                # URLs on the global one (botocore's default) fail in opt-in
                # regions such as Jakarta (ap-southeast-3).
                options["s3"] = {"addressing_style": "path" if os.environ.get("AWS_ENDPOINT_URL") else "virtual"}
            region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "ap-southeast-3"
            _clients[service] = boto3.session.Session().client(service, region_name=region, config=Config(**options))
        return _clients[service]


def reset() -> None:
    """Forget clients and queue URLs (tests switch endpoints between runs)."""
    with _lock:
        _clients.clear()
        _queue_urls.clear()


def queue_url(queue: resources.Queue) -> str:
    """From ``ADUAN_QUEUE_URL_<NAME>`` when the deployment sets it (no AWS
    call), otherwise looked up once per process."""
    url = _queue_urls.get(queue.logical)
    if url is None:
        url = os.environ.get(f"ADUAN_QUEUE_URL_{queue.logical.upper()}") or \
            client("sqs").get_queue_url(QueueName=queue.name)["QueueUrl"]
        _queue_urls[queue.logical] = url
    return url


def send(queue: resources.Queue, body: dict[str, Any], attributes: dict[str, str] | None = None,
         group: str | None = None, message_id: str | None = None) -> None:
    """``group`` and ``message_id``: a FIFO queue's message group and
    deduplication id (required there, refused elsewhere)."""
    if queue.fifo != (group is not None and message_id is not None):
        raise ValueError(f"{queue.logical}: a group and a message id {'are required' if queue.fifo else 'only on FIFO'}")
    params: dict[str, Any] = {"QueueUrl": queue_url(queue), "MessageBody": json.dumps(body)}
    if group is not None:
        params["MessageGroupId"], params["MessageDeduplicationId"] = group, message_id
    if attributes:
        params["MessageAttributes"] = {
            name: {"DataType": "String", "StringValue": value} for name, value in attributes.items() if value
        }
    client("sqs").send_message(**params)


def bucket() -> str:
    return resources.PHOTOS_BUCKET.name
