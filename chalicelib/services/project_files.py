"""Files of public works projects: progress photos from the contractor and
contract documents (PDF) from the agency, through the same presigned S3 POST
and S3 → SQS → photo worker path as report photos.

Keys: ``uploads/projects/<project>/<photo>.<ext>`` and
``uploads/projects/<project>/docs/<document>.pdf``.  A photo is cleaned like a
report photo (EXIF and GPS removed, thumbnail written); a document is kept
only if its bytes really are a PDF within the size limit.  The raw upload is
always deleted.
"""
from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from .. import resources
from ..adapters import aws
from ..auth.identity import Identity
from ..contract import projects as contract
from ..contract.reports import UploadForm
from ..domain import i18n
from ..domain import projects as rules
from ..domain import reports as report_rules
from ..domain.errors import Conflict, Forbidden, InvalidInput
from ..store import projects as store
from . import photos
from .projects.queries import load

log = logging.getLogger(__name__)

_PHOTO_KEY = re.compile(r"^" + re.escape(resources.UPLOAD_PREFIX)
                        + r"projects/(?P<project>[0-9a-f]{32})/(?P<upload>[0-9a-f]{32})\.(?P<ext>jpg|png|webp)$")
_DOCUMENT_KEY = re.compile(r"^" + re.escape(resources.UPLOAD_PREFIX)
                           + r"projects/(?P<project>[0-9a-f]{32})/docs/(?P<upload>[0-9a-f]{32})\.pdf$")


def is_project_key(key: str) -> bool:
    return key.startswith(f"{resources.UPLOAD_PREFIX}projects/")


def request_photo_upload(project_id: str, body: contract.ProjectPhotoUploadRequest,
                         actor: Identity) -> contract.ProjectPhotoUpload:
    """A presigned upload for the contractor's progress photo (JPEG, PNG or
    WebP; cleaned like a report photo)."""
    content_type = body.content_type.lower()
    project = load(project_id)
    if actor.role != "contractor" or not actor.in_region(project.region_id) \
            or actor.contractor != project.contractor_npwp:
        raise Forbidden("not_project_contractor")
    extension = resources.PHOTO_CONTENT_TYPES.get(content_type)
    if extension is None:
        raise InvalidInput("unsupported_photo_type", content_type=content_type)
    upload_id = uuid.uuid4().hex
    key = f"{resources.UPLOAD_PREFIX}projects/{project.id}/{upload_id}.{extension}"
    upload = {"id": upload_id, "kind": "photo", "actor": actor.sub, "actor_role": actor.role}
    form = _grant(project.id, upload, key, content_type, resources.PHOTO_MAX_BYTES)
    return contract.ProjectPhotoUpload(photo_id=upload_id, kind="photo", upload=form, content_type=content_type,
                                       max_bytes=resources.PHOTO_MAX_BYTES, expires_in=resources.UPLOAD_URL_SECONDS)


def request_document_upload(project_id: str, body: contract.DocumentUploadRequest,
                            actor: Identity) -> contract.DocumentUpload:
    """A presigned upload for one of the agency's contract documents (PDF)."""
    content_type = body.content_type.lower()
    project = load(project_id)
    if not rules.may_manage(actor, project.region_id, project.agency):
        raise Forbidden("not_project_agency")
    if content_type not in rules.DOCUMENT_CONTENT_TYPES:
        raise InvalidInput("unsupported_document_type")
    upload_id = uuid.uuid4().hex
    key = f"{resources.UPLOAD_PREFIX}projects/{project.id}/docs/{upload_id}.pdf"
    upload = {"id": upload_id, "kind": "document", "document_type": body.document_type, "title": body.title,
              "actor": actor.sub, "actor_role": actor.role}
    form = _grant(project.id, upload, key, content_type, rules.DOCUMENT_MAX_BYTES)
    return contract.DocumentUpload(document_id=upload_id, kind="document", upload=form, content_type="application/pdf",
                                   max_bytes=rules.DOCUMENT_MAX_BYTES, expires_in=resources.UPLOAD_URL_SECONDS)


def _grant(project_id: str, upload: dict[str, Any], key: str, content_type: str, max_bytes: int) -> UploadForm:
    """Reserve an upload slot on the project, then sign the S3 POST."""
    try:
        store.note_upload(project_id, upload, resources.UPLOADS_PER_PROJECT)
    except store.ConditionFailed:
        raise Conflict("too_many_uploads", max=resources.UPLOADS_PER_PROJECT) from None
    post = aws.client("s3").generate_presigned_post(
        Bucket=aws.bucket(), Key=key, Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
        ExpiresIn=resources.UPLOAD_URL_SECONDS)
    return UploadForm(url=post["url"], fields=post["fields"])


def process_upload(bucket: str, key: str) -> str:
    """Handle one object-created notification under ``uploads/projects/``."""
    s3 = aws.client("s3")
    photo, document = _PHOTO_KEY.match(key), _DOCUMENT_KEY.match(key)
    match = photo or document
    project = store.get(match["project"]) if match else None
    granted = next((u for u in project.uploads if u["id"] == match["upload"]), None) if project and match else None
    if match is None or project is None or granted is None or granted["kind"] != ("photo" if photo else "document"):
        log.warning("ignoring unexpected project upload %s", key)
        s3.delete_object(Bucket=bucket, Key=key)
        return "ignored"
    upload_id = match["upload"]
    if upload_id in project.handled:
        s3.delete_object(Bucket=bucket, Key=key)
        return "already_done"
    try:
        size = int(s3.head_object(Bucket=bucket, Key=key)["ContentLength"])
    except s3.exceptions.ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return "gone"
        raise
    now = report_rules.iso_utc(report_rules.now_utc())
    try:
        if photo:
            if size > resources.PHOTO_MAX_BYTES:
                raise photos.Rejected("photo_too_large", size=size, max=resources.PHOTO_MAX_BYTES)
            data = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
            image, thumbnail, width, height = photos.clean_image(data, photo["ext"])
            content_type = {v: k for k, v in resources.PHOTO_CONTENT_TYPES.items()}[photo["ext"]]
            base = f"photos/projects/{project.id}/{upload_id}"
            record = {"id": upload_id, "key": f"{base}.{photo['ext']}", "thumb_key": f"{base}.thumb.jpg",
                      "content_type": content_type, "width": width, "height": height, "bytes": len(image), "at": now}
            s3.put_object(Bucket=bucket, Key=record["key"], Body=image, ContentType=content_type)
            s3.put_object(Bucket=bucket, Key=record["thumb_key"], Body=thumbnail, ContentType="image/jpeg")
            target = "photos"
        else:
            if size > rules.DOCUMENT_MAX_BYTES:
                raise photos.Rejected("document_too_large", size=size, max=rules.DOCUMENT_MAX_BYTES)
            data = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
            if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
                raise photos.Rejected("document_not_pdf")
            record = {"id": upload_id, "key": f"documents/projects/{project.id}/{upload_id}.pdf",
                      "title": granted["title"], "document_type": granted["document_type"],
                      "content_type": "application/pdf", "bytes": len(data), "at": now}
            s3.put_object(Bucket=bucket, Key=record["key"], Body=data, ContentType="application/pdf",
                          ContentDisposition=f'inline; filename="{upload_id}.pdf"')
            target = "documents"
    except photos.Rejected as rejected:
        outcome = {"id": upload_id, "reason_code": rejected.code, "reason": i18n.both(rejected.code, **rejected.params),
                   "bytes": size, "at": now}
        store.add_upload_outcome(project.id, upload_id, None, outcome, now,
                                 _history(granted, "upload_refused", now, reason=rejected.code))
        s3.delete_object(Bucket=bucket, Key=key)
        return f"rejected:{rejected.code}"
    action = "photo_added" if target == "photos" else "document_added"
    store.add_upload_outcome(project.id, upload_id, target, record, now,
                             _history(granted, action, now, file_id=upload_id, title=record.get("title")))
    s3.delete_object(Bucket=bucket, Key=key)
    return "accepted"


def _history(granted: dict[str, Any], action: str, at: str, **detail: Any) -> dict[str, Any]:
    """Who asked for the upload is who added the file."""
    return {"action": action, "actor": granted.get("actor", "system"), "actor_role": granted.get("actor_role", "system"),
            "at": at, "detail": detail}
