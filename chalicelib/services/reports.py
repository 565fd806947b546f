"""Citizen-facing report operations: create, look up, attach photos."""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from .. import resources
from ..adapters import aws
from ..domain import reports as domain
from ..domain.errors import Conflict, InvalidInput, NotFound, Unprocessable
from ..domain.regions import RegionConfig
from ..store import reports as store
from ..store.models import ReportModel
from . import regions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Created:
    report: ReportModel
    replayed: bool


def enqueue_routing(report_id: str) -> None:
    aws.send(resources.ROUTING_QUEUE, {"report_id": report_id})


def create_report(region_id: str, body: Any, idempotency_key: str | None) -> Created:
    """Store a citizen's report and hand it to the routing worker.

    AWS calls on the normal path: one conditional PutItem and one SendMessage
    (the region's configuration comes from the process cache).  If the send
    fails the report is still stored and accepted: the retry of the same
    request re-sends, and the unrouted sweep re-enqueues it in any case.
    """
    region = regions.get_region(region_id)
    key = domain.check_idempotency_key(idempotency_key)
    draft = domain.parse_new_report(body, region)
    now = domain.iso_utc(domain.now_utc())
    report_id = domain.new_report_id(region.region_id, key)
    report = ReportModel(
        id=report_id,
        region_id=region.region_id,
        category=draft.category,
        description=draft.description,
        lat=draft.lat,
        lon=draft.lon,
        address=draft.address,
        kelurahan_hint=draft.kelurahan_code,
        anonymous=draft.anonymous,
        reporter=draft.reporter,
        status=domain.INITIAL_STATUS,
        created_at=now,
        updated_at=now,
        fingerprint=draft.fingerprint() if key else None,
        unrouted_shard=store.unrouted_shard(report_id),
        history=[domain.history_entry(domain.INITIAL_STATUS, now, "history_received",
                                      actor="citizen" if not draft.anonymous else "anonymous")],
    )
    try:
        store.insert(report)
    except store.AlreadyExists:
        existing = store.get(report_id)
        if existing is None or existing.fingerprint != report.fingerprint:
            raise Unprocessable("idempotency_key_reused")
        if existing.routed_at is None:
            _try_enqueue(report_id)
        return Created(existing, replayed=True)
    _try_enqueue(report_id)
    return Created(report, replayed=False)


def _try_enqueue(report_id: str) -> None:
    try:
        enqueue_routing(report_id)
    except Exception:  # noqa: BLE001 - the report is stored; the sweep routes it
        log.exception("routing message for report %s not sent; the unrouted sweep will send it", report_id)


def get_report(report_id: str) -> tuple[ReportModel, RegionConfig]:
    domain.check_report_id(report_id)
    report = store.get(report_id)
    if report is None:
        raise NotFound("report_not_found", report_id=report_id)
    return report, regions.get_region(report.region_id)


def _view_url(key: str) -> str:
    return aws.client("s3").generate_presigned_url(
        "get_object", Params={"Bucket": aws.bucket(), "Key": key}, ExpiresIn=resources.VIEW_URL_SECONDS
    )


def report_view(report: ReportModel, region: RegionConfig) -> dict[str, Any]:
    """The public view of a report.  Contact details never appear here."""
    agency_id, agency_en = region.agency_names(report.agency)
    expires = datetime.now(timezone.utc) + timedelta(seconds=resources.VIEW_URL_SECONDS)
    return {
        "id": report.id,
        "region_id": report.region_id,
        "status": report.status,
        "status_label": domain.STATUS_LABELS.get(report.status, {"id": report.status, "en": report.status}),
        "category": report.category,
        "category_name": domain.category_view(region, report.category)["name"],
        "description": report.description,
        "lat": float(report.lat),
        "lon": float(report.lon),
        "address": report.address,
        "anonymous": bool(report.anonymous),
        "routed": report.routed_at is not None,
        "agency": report.agency or None,
        "agency_name": {"id": agency_id, "en": agency_en} if report.agency else None,
        "team": domain.team_view(report.team),
        "kelurahan_code": report.kelurahan_code,
        "kelurahan": report.kelurahan,
        "kecamatan_code": report.kecamatan_code,
        "kecamatan": report.kecamatan,
        "out_of_area": bool(report.out_of_area),
        "photos": [
            {
                "id": photo["id"],
                "url": _view_url(photo["key"]),
                "thumbnail_url": _view_url(photo["thumb_key"]),
                "content_type": photo["content_type"],
                "width": int(photo["width"]),
                "height": int(photo["height"]),
            }
            for photo in report.photos
        ],
        "photo_urls_expire_at": expires.astimezone(region.tz).isoformat(timespec="seconds"),
        "rejected_photos": [
            {"id": item["id"], "reason_code": item["reason_code"], "reason": item["reason"],
             "at": domain.local_iso(item["at"], region)}
            for item in report.rejected_photos
        ],
        "history": [
            {
                "status": entry["status"],
                "status_label": domain.STATUS_LABELS.get(entry["status"], {"id": entry["status"], "en": entry["status"]}),
                "at": domain.local_iso(entry["at"], region),
                "note": entry["note"],
            }
            for entry in report.history
        ],
        "created_at": domain.local_iso(report.created_at, region),
        "updated_at": domain.local_iso(report.updated_at, region),
    }


def request_photo_upload(report_id: str, body: Any) -> dict[str, Any]:
    """A presigned S3 POST for one photo of a report.  The policy admits only
    the declared image type and at most ``PHOTO_MAX_BYTES``; the photo worker
    checks both again, since not every S3 implementation enforces policies."""
    domain.check_report_id(report_id)
    if not isinstance(body, dict):
        raise InvalidInput("body_not_object")
    for name in body:
        if name != "content_type":
            raise InvalidInput("unknown_field", field=name)
    content_type = body.get("content_type")
    if content_type is None:
        raise InvalidInput("missing_field", field="content_type")
    if not isinstance(content_type, str):
        raise InvalidInput("wrong_type", field="content_type", expected="string")
    extension = resources.PHOTO_CONTENT_TYPES.get(content_type.strip().lower())
    if extension is None:
        raise InvalidInput("unsupported_photo_type", content_type=content_type[:64])
    content_type = content_type.strip().lower()
    photo_id = uuid.uuid4().hex
    try:
        store.note_upload(ReportModel(id=report_id), photo_id, resources.PHOTOS_PER_REPORT)
    except store.ConditionFailed:
        if store.get(report_id) is None:
            raise NotFound("report_not_found", report_id=report_id) from None
        raise Conflict("too_many_photos", max=resources.PHOTOS_PER_REPORT) from None
    key = f"{resources.UPLOAD_PREFIX}reports/{report_id}/{photo_id}.{extension}"
    post = aws.client("s3").generate_presigned_post(
        Bucket=aws.bucket(),
        Key=key,
        Fields={"Content-Type": content_type},
        Conditions=[
            {"Content-Type": content_type},
            ["content-length-range", 1, resources.PHOTO_MAX_BYTES],
        ],
        ExpiresIn=resources.UPLOAD_URL_SECONDS,
    )
    return {
        "photo_id": photo_id,
        "upload": {"url": post["url"], "fields": post["fields"]},
        "content_type": content_type,
        "max_bytes": resources.PHOTO_MAX_BYTES,
        "expires_in": resources.UPLOAD_URL_SECONDS,
    }
