"""Checking and cleaning an uploaded photo.

A raw upload (``uploads/reports/<report>/<photo>.<ext>``) is accepted only if
its bytes really are an image of the declared type and within the size limit.
The stored copy is re-encoded from the pixels, rotated upright by its EXIF
orientation, with no EXIF (GPS included), XMP or comments carried over; a
JPEG thumbnail is written beside it.  The raw upload is always deleted.
"""
from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from typing import Any

from .. import resources
from ..adapters import aws
from ..domain import i18n
from ..domain import reports as domain
from ..store import reports as store

log = logging.getLogger(__name__)

THUMBNAIL_SIZE = (400, 400)
MAX_PIXELS = 50_000_000
_UPLOAD_KEY = re.compile(
    r"^" + re.escape(resources.UPLOAD_PREFIX) + r"reports/(?P<report>[0-9a-f]{32})/(?P<photo>[0-9a-f]{32})\.(?P<ext>jpg|png|webp)$"
)
_FORMATS = {"jpg": ("JPEG", "image/jpeg"), "png": ("PNG", "image/png"), "webp": ("WEBP", "image/webp")}


@dataclass(frozen=True)
class Upload:
    report_id: str
    photo_id: str
    extension: str


def parse_key(key: str) -> Upload | None:
    match = _UPLOAD_KEY.match(key)
    if match is None:
        return None
    return Upload(match["report"], match["photo"], match["ext"])


class Rejected(Exception):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def clean_image(data: bytes, extension: str) -> tuple[bytes, bytes, int, int]:
    """Return (cleaned image, JPEG thumbnail, width, height) or raise
    ``Rejected``.  Pure: no AWS, so it is tested on bytes alone."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    pillow_format, content_type = _FORMATS[extension]
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        actual = image.format
        if actual != pillow_format:
            actual_type = Image.MIME.get(actual or "", actual or "?")
            raise Rejected("photo_type_mismatch", actual=actual_type, declared=content_type)
        image.load()
    except Image.DecompressionBombError:
        raise Rejected("photo_too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise Rejected("photo_not_image") from None

    upright = ImageOps.exif_transpose(image)
    # Rebuild from pixels only: nothing of the original's metadata travels.
    clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    palette = upright.getpalette()
    if upright.mode == "P" and palette:
        clean.putpalette(palette)
    out = io.BytesIO()
    if pillow_format == "JPEG":
        if clean.mode not in ("RGB", "L", "CMYK"):
            clean = clean.convert("RGB")
        clean.save(out, "JPEG", quality=88, optimize=True)
    elif pillow_format == "PNG":
        clean.save(out, "PNG", optimize=True)
    else:
        clean.save(out, "WEBP", quality=85)
    thumb = clean.convert("RGB") if clean.mode != "RGB" else clean.copy()
    thumb.thumbnail(THUMBNAIL_SIZE)
    thumb_out = io.BytesIO()
    thumb.save(thumb_out, "JPEG", quality=80)
    return out.getvalue(), thumb_out.getvalue(), clean.width, clean.height


def process_upload(bucket: str, key: str) -> str:
    """Handle one S3 object-created notification; returns what happened."""
    from . import project_files

    if project_files.is_project_key(key):
        return project_files.process_upload(bucket, key)
    upload = parse_key(key)
    s3 = aws.client("s3")
    if upload is None:
        log.warning("ignoring unexpected upload key %s", key)
        s3.delete_object(Bucket=bucket, Key=key)
        return "ignored"
    report = store.get(upload.report_id)
    if report is None:
        s3.delete_object(Bucket=bucket, Key=key)
        return "no_report"
    if upload.photo_id in report.photo_ids:
        s3.delete_object(Bucket=bucket, Key=key)
        return "already_done"
    try:
        head = s3.head_object(Bucket=bucket, Key=key)
    except s3.exceptions.ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return "gone"
        raise
    size = int(head["ContentLength"])
    now = domain.iso_utc(domain.now_utc())
    try:
        if size > resources.PHOTO_MAX_BYTES:
            raise Rejected("photo_too_large", size=size, max=resources.PHOTO_MAX_BYTES)
        data = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        image, thumbnail, width, height = clean_image(data, upload.extension)
    except Rejected as rejected:
        outcome: dict[str, Any] = {
            "id": upload.photo_id,
            "reason_code": rejected.code,
            "reason": i18n.both(rejected.code, **rejected.params),
            "bytes": size,
            "at": now,
        }
        store.add_photo_outcome(upload.report_id, upload.photo_id, None, outcome, now)
        s3.delete_object(Bucket=bucket, Key=key)
        return f"rejected:{rejected.code}"

    _, content_type = _FORMATS[upload.extension]
    base = f"photos/reports/{upload.report_id}/{upload.photo_id}"
    photo_key = f"{base}.{upload.extension}"
    thumb_key = f"{base}.thumb.jpg"
    s3.put_object(Bucket=bucket, Key=photo_key, Body=image, ContentType=content_type)
    s3.put_object(Bucket=bucket, Key=thumb_key, Body=thumbnail, ContentType="image/jpeg")
    evidence = upload.photo_id in report.evidence_upload_ids
    accepted = {
        "id": upload.photo_id, "key": photo_key, "thumb_key": thumb_key, "content_type": content_type,
        "width": width, "height": height, "bytes": len(image), "at": now,
        "kind": "evidence" if evidence else "report",
    }
    if store.add_photo_outcome(upload.report_id, upload.photo_id, accepted, None, now, evidence=evidence):
        from .usage import meter

        meter(report.region_id, {"photos_stored": 1, "photo_bytes": len(image) + len(thumbnail)})
    s3.delete_object(Bucket=bucket, Key=key)
    return "accepted"
