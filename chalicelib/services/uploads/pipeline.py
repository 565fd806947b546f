"""The worker's path for one uploaded object, whatever it is attached to:
find its channel, open what it is attached to, check the bytes, keep the
clean copy, record the outcome, delete the raw upload (always: the original
may carry GPS)."""
from __future__ import annotations

import logging
from typing import Any

from ...adapters import aws
from ...domain import i18n
from ...domain import reports as report_rules
from .base import Accepted, Channel, Cleaned, Refused, Rejected
from .projects import PROJECT_DOCUMENTS, PROJECT_PHOTOS
from .reports import REPORT_PHOTOS

log = logging.getLogger(__name__)

CHANNELS: tuple[Channel, ...] = (REPORT_PHOTOS, PROJECT_PHOTOS, PROJECT_DOCUMENTS)


def process_upload(bucket: str, key: str) -> str:
    """Handle one S3 object-created notification; returns what happened."""
    s3 = aws.client("s3")
    found = channel_of(key)
    if found is None:
        log.warning("ignoring unexpected upload key %s", key)
        return _drop(s3, bucket, key, "ignored")
    channel, (owner_id, upload_id, extension) = found
    attached = channel.open(owner_id, upload_id)
    if attached is None:
        log.warning("ignoring %s upload %s: nothing granted it", channel.name, key)
        return _drop(s3, bucket, key, channel.unknown)
    if attached.handled:
        return _drop(s3, bucket, key, "already_done")
    size = _size(s3, bucket, key)
    if size is None:
        return "gone"
    at = report_rules.iso_utc(report_rules.now_utc())
    try:
        cleaned = _check(s3, bucket, key, channel, size, extension, f"{owner_id}/{upload_id}")
    except Rejected as rejected:
        refusal = {"id": upload_id, "reason_code": rejected.code, "reason": i18n.both(rejected.code, **rejected.params),
                   "bytes": size, "at": at}
        channel.record(owner_id, upload_id, attached, Refused(rejected.code, refusal))
        return _drop(s3, bucket, key, f"rejected:{rejected.code}")
    _keep(s3, bucket, cleaned)
    channel.record(owner_id, upload_id, attached,
                   Accepted({"id": upload_id, **cleaned.fields, "at": at}, cleaned.stored_bytes))
    return _drop(s3, bucket, key, "accepted")


def channel_of(key: str) -> tuple[Channel, tuple[str, str, str]] | None:
    """The channel whose layout the key follows, with ``(owner_id,
    upload_id, extension)``; None for a key no grant could have made."""
    for channel in CHANNELS:
        parsed = channel.layout.parse(key)
        if parsed is not None:
            return channel, parsed
    return None


def _size(s3: Any, bucket: str, key: str) -> int | None:
    """The object's size; None when it is gone (an earlier delivery of the
    same notification deleted it)."""
    try:
        return int(s3.head_object(Bucket=bucket, Key=key)["ContentLength"])
    except s3.exceptions.ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise


def _check(s3: Any, bucket: str, key: str, channel: Channel, size: int, extension: str, name: str) -> Cleaned:
    kind = channel.kind
    if size > kind.max_bytes:
        raise Rejected(kind.too_large, size=size, max=kind.max_bytes)
    data = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    return kind.clean(data, extension, f"{kind.folder}/{channel.folder}/{name}")


def _keep(s3: Any, bucket: str, cleaned: Cleaned) -> None:
    for file in cleaned.files:
        extra = {"ContentDisposition": file.disposition} if file.disposition else {}
        s3.put_object(Bucket=bucket, Key=file.key, Body=file.body, ContentType=file.content_type, **extra)


def _drop(s3: Any, bucket: str, key: str, outcome: str) -> str:
    s3.delete_object(Bucket=bucket, Key=key)
    return outcome
