"""A region's boundary files in the bucket: the raw uploads and the files of
each version.  Object layout (``resources.PHOTOS_BUCKET.layout``)::

    boundary-uploads/<region_id>/<upload_id>.<geojson|zip>     the raw upload
    boundaries/<region_id>/<folder>/index.bin                  routing (domain.geo.index)
    boundaries/<region_id>/<folder>/full.geojson               full precision
    boundaries/<region_id>/<folder>/display-<metres>m.geojson  for maps
    boundaries/<region_id>/<upload_id>/problems.json           a refused upload's problems

A version's folder is the id of the upload it came from, so files written by
an upload that is later refused are never read.
"""
from __future__ import annotations

import gzip
import os
import re
from typing import Any

from ... import resources
from ...adapters import aws

_UPLOAD_KEY = re.compile(
    "^" + re.escape(resources.BOUNDARY_UPLOAD_PREFIX)
    + r"(?P<region>[a-z0-9][a-z0-9-]{1,62})/(?P<upload>[0-9a-f]{32})\.(?P<ext>geojson|zip)$")


# --- raw uploads --------------------------------------------------------------

def upload_key(region_id: str, upload_id: str, extension: str) -> str:
    return f"{resources.BOUNDARY_UPLOAD_PREFIX}{region_id}/{upload_id}.{extension}"


def parse_upload_key(key: str) -> tuple[str, str, str] | None:
    """``(region_id, upload_id, extension)`` of a raw upload's key."""
    match = _UPLOAD_KEY.match(key)
    return (match["region"], match["upload"], match["ext"]) if match else None


def upload_form(region_id: str, upload_id: str, extension: str, content_type: str, max_bytes: int,
                expires_in: int) -> dict[str, Any]:
    """A presigned POST pinning the key, the content type and the size."""
    post = aws.client("s3").generate_presigned_post(
        Bucket=aws.bucket(), Key=upload_key(region_id, upload_id, extension),
        Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
        ExpiresIn=expires_in)
    return {"url": post["url"], "fields": post["fields"]}


def read_upload(key: str, max_bytes: int) -> bytes | None:
    """The raw upload's bytes, or None when it is larger than ``max_bytes``
    (not every S3 implementation enforces a presigned POST's size) or gone."""
    s3 = aws.client("s3")
    try:
        head = s3.head_object(Bucket=aws.bucket(), Key=key)
    except s3.exceptions.ClientError:
        return None
    if int(head["ContentLength"]) > max_bytes:
        return None
    return bytes(s3.get_object(Bucket=aws.bucket(), Key=key)["Body"].read())


def delete_upload(key: str) -> None:
    aws.client("s3").delete_object(Bucket=aws.bucket(), Key=key)


# --- the files of a version ---------------------------------------------------

def file_key(region_id: str, folder: str, name: str) -> str:
    return f"{resources.BOUNDARIES_PREFIX}{region_id}/{folder}/{name}"


def put_file(region_id: str, folder: str, name: str, body: bytes, content_type: str) -> int:
    """Write one file; JSON files are stored gzip-compressed (served with
    ``Content-Encoding: gzip``, which every browser and HTTP client
    decodes).  The bytes stored."""
    extra: dict[str, Any] = {}
    if content_type != "application/octet-stream":
        body = gzip.compress(body, 6, mtime=0)
        extra["ContentEncoding"] = "gzip"
    aws.client("s3").put_object(Bucket=aws.bucket(), Key=file_key(region_id, folder, name), Body=body,
                                ContentType=content_type, CacheControl="public, max-age=31536000, immutable",
                                **extra)
    return len(body)


def get_file(region_id: str, folder: str, name: str) -> bytes:
    """One file's bytes as written (one GetObject), decompressed."""
    response = aws.client("s3").get_object(Bucket=aws.bucket(), Key=file_key(region_id, folder, name))
    body = bytes(response["Body"].read())
    if response.get("ContentEncoding") == "gzip":
        body = gzip.decompress(body)
    return body


def file_url(region_id: str, folder: str, name: str, expires_in: int) -> str:
    """Where a client fetches a file: from the content delivery network
    when the deployment has one (``ADUAN_PUBLIC_FILES_URL``, a CloudFront
    distribution whose origin is the bucket's ``boundaries/``: a version's
    files never change, so they are cached for a year), otherwise a
    presigned S3 link."""
    key = file_key(region_id, folder, name)
    base = os.environ.get("ADUAN_PUBLIC_FILES_URL")
    if base:
        return f"{base.rstrip('/')}/{key.removeprefix(resources.BOUNDARIES_PREFIX)}"
    return str(aws.client("s3").generate_presigned_url(
        "get_object", Params={"Bucket": aws.bucket(), "Key": key}, ExpiresIn=expires_in))
