"""Granting an upload: one slot taken on what it is attached to, then a
presigned S3 POST whose policy pins the key, the content type and the size
(the worker checks both again: not every S3 implementation enforces a
policy).  The caller has checked who may upload."""
from __future__ import annotations

import uuid
from typing import Any, Mapping

import msgspec

from ... import resources
from ...adapters import aws
from ...contract.reports import UploadForm
from .base import Channel


class Granted(msgspec.Struct, frozen=True):
    upload_id: str
    form: UploadForm
    content_type: str
    max_bytes: int
    expires_in: int


def grant(channel: Channel, owner_id: str, content_type: str, details: Mapping[str, Any]) -> Granted:
    """A presigned upload of one file of the channel's kind to ``owner_id``;
    ``details`` are kept with the grant (who asked, a document's title)."""
    extension = channel.kind.extension(content_type)
    upload_id = uuid.uuid4().hex
    channel.reserve(owner_id, upload_id, details)
    max_bytes = channel.kind.max_bytes
    post = aws.client("s3").generate_presigned_post(
        Bucket=aws.bucket(), Key=channel.layout.key(owner_id, upload_id, extension),
        Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
        ExpiresIn=resources.UPLOAD_URL_SECONDS)
    return Granted(upload_id=upload_id, form=UploadForm(url=post["url"], fields=post["fields"]),
                   content_type=content_type, max_bytes=max_bytes, expires_in=resources.UPLOAD_URL_SECONDS)
