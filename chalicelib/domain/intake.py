"""What a partner system's report must be (LAPOR! SP4N, PSC 119, the BPBD
hotline, the call centre, the SMS gateway, Open311 clients), whatever
channel it came through: the checks against the region's tables, the id it
gets from the partner's tracking id, and its fingerprint.  Pure: no AWS.

A retry is recognised without a lookup table: the report id is derived from
the partner and its tracking id (``idempotency.derived_id``), so the
report's own conditional put refuses a second one; the report keeps the
fingerprint of what was sent, so the same tracking id with another body is
``422 tracking_id_reused``."""
from __future__ import annotations

import hashlib
import re
from typing import Any

import msgspec

from . import idempotency, phones
from .errors import InvalidInput, PayloadTooLarge
from .questions import check_answers
from .regions import RegionConfig
from .reports import coordinate

DESCRIPTION_MAX = 4000
ADDRESS_MAX = 300
TRACKING_ID_MAX = 128
PHOTO_MAX_BYTES = 4 * 1024 * 1024  # Lambda's 6 MB request, base64-encoded
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")
ATTRIBUTES_MAX = 30
ATTRIBUTE_CODE_MAX = 64
ATTRIBUTE_VALUE_MAX = 500
MEDIA_URL_MAX = 1000
# a citizen's SMS naming no desa we know is still a report, left for the verifier to place
# (``out_of_area`` once routed); every other channel must give a point or a desa code
UNPLACED_CHANNELS = ("sms",)
_TRACKING_ID = re.compile(r"^[\x21-\x7e]{1,128}$")
_MEDIA_URL = re.compile(r"^https://[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?(/[^\s\"'<>]*)?$")


class Draft(msgspec.Struct, frozen=True, kw_only=True):
    """A partner's report as it will be stored."""

    category: str
    description: str
    lat: float | None
    lon: float | None
    kelurahan_code: str | None
    address: str | None
    anonymous: bool
    confidential: bool
    contact: dict[str, str] | None
    attributes: dict[str, str] | None
    media_url: str | None
    photo_type: str | None
    fingerprint: str


def check(submission: Any, region: RegionConfig, channel: str) -> Draft:
    """The rules ``submission`` (a ``services.intake.Submission``) must meet;
    ``InvalidInput`` (400) naming what is allowed, ``PayloadTooLarge`` (413)
    for a photo over ``PHOTO_MAX_BYTES``."""
    category = region.categories.get(submission.category)
    if category is None or not category.active:
        error = InvalidInput("partner_unknown_category", category=_clip(submission.category),
                             allowed=", ".join(allowed_categories(region)))
        error.details["allowed_codes"] = allowed_categories(region)
        raise error
    description = (submission.description or "").strip()
    if not description:
        raise InvalidInput("empty_field", field="description")
    if len(description) > DESCRIPTION_MAX:
        raise InvalidInput("too_long", field="description", max=DESCRIPTION_MAX)
    point = _point(submission.lat, submission.lon)
    code = _blank(submission.kelurahan_code)
    if code is not None and code not in region.kelurahan:
        raise InvalidInput("partner_unknown_kelurahan", kelurahan_code=_clip(code), region_id=region.region_id)
    if point is None and code is None and channel not in UNPLACED_CHANNELS:
        raise InvalidInput("location_required")
    tracking_id = _blank(submission.tracking_id)
    if tracking_id is not None and not _TRACKING_ID.match(tracking_id):
        raise InvalidInput("invalid_pattern", field="tracking_id")
    address = _blank(submission.address)
    if address is not None and len(address) > ADDRESS_MAX:
        raise InvalidInput("too_long", field="address", max=ADDRESS_MAX)
    media_url = _blank(submission.media_url)
    if media_url is not None and (len(media_url) > MEDIA_URL_MAX or not _MEDIA_URL.match(media_url)):
        raise InvalidInput("invalid_media_url")
    attributes = _attributes(submission.attributes or {})
    if category.questions:  # the category's questions: their answers checked, anything else left out
        attributes = check_answers(category.questions, {k: [v] for k, v in (attributes or {}).items()}) or None
    photo_type = _photo(submission.photo, submission.photo_type)
    contact = _contact(submission, channel)
    draft: dict[str, Any] = {
        "category": category.code, "description": description,
        "lat": point[0] if point else None, "lon": point[1] if point else None,
        "kelurahan_code": code, "address": address, "anonymous": bool(submission.anonymous),
        "confidential": bool(submission.confidential), "contact": contact, "attributes": attributes,
        "media_url": media_url, "photo_type": photo_type,
    }
    content = {**draft, "channel": channel, "tracking_id": tracking_id,
               "photo": hashlib.sha256(submission.photo).hexdigest() if submission.photo else None}
    return Draft(**draft, fingerprint=idempotency.fingerprint(content))


def valid_tracking_id(value: str) -> bool:
    return bool(_TRACKING_ID.match(value))


def allowed_categories(region: RegionConfig) -> list[str]:
    return sorted(code for code, category in region.categories.items() if category.active)


def report_id(region_id: str, partner_id: str, tracking_id: str | None) -> str:
    """Derived from the partner and its tracking id (the same id on a
    retry); random without a tracking id."""
    key = f"partner:{partner_id}:{tracking_id}" if tracking_id else None
    return idempotency.derived_id(f"report:{region_id}", key)


def photo_id(report_id: str) -> str:
    """The upload id of the photo sent with the report: fixed by the report,
    so a retry puts the same object again (the photo worker records it once)."""
    return idempotency.derived_id(f"photo:{report_id}", "intake")


def _point(lat: float | None, lon: float | None) -> tuple[float, float] | None:
    if lat is None and lon is None:
        return None
    if lat is None or lon is None:
        raise InvalidInput("missing_field", field="lon" if lon is None else "lat")
    for name, value, bound in (("lat", lat, 90), ("lon", lon, 180)):
        if not isinstance(value, (int, float)) or value != value or not -bound <= value <= bound:
            raise InvalidInput("out_of_range", field=name, min=-bound, max=bound)
    return coordinate(lat), coordinate(lon)


def _attributes(values: dict[str, str]) -> dict[str, str] | None:
    if len(values) > ATTRIBUTES_MAX or any(
            not isinstance(k, str) or not isinstance(v, str) or not k.strip()
            or len(k) > ATTRIBUTE_CODE_MAX or len(v) > ATTRIBUTE_VALUE_MAX for k, v in values.items()):
        raise InvalidInput("too_many_attributes", max=ATTRIBUTES_MAX, code_max=ATTRIBUTE_CODE_MAX,
                           value_max=ATTRIBUTE_VALUE_MAX)
    kept = {k.strip(): v.strip() for k, v in values.items() if v.strip()}
    return kept or None


def _photo(data: bytes | None, content_type: str | None) -> str | None:
    if not data:
        return None
    if len(data) > PHOTO_MAX_BYTES:
        raise PayloadTooLarge("photo_over_limit", max=PHOTO_MAX_BYTES)
    if content_type is None:
        raise InvalidInput("photo_type_required")
    kind = content_type.strip().lower()
    if kind not in PHOTO_TYPES:
        raise InvalidInput("unsupported_photo_type", content_type=_clip(content_type))
    return kind


def _contact(submission: Any, channel: str) -> dict[str, str] | None:
    """What is kept of the reporter a partner named.  Only a number the
    message came from (the SMS gateway's sender) is ``phone``, where status
    SMS go (``services.notifications``); a number a call-centre operator typed
    is kept for staff as ``given_phone`` and never texted by us (the partner
    tells its reporter, through its webhook)."""
    contact: dict[str, str] = {}
    if name := _blank(submission.reporter_name):
        contact["name"] = name[:120]
    if email := _blank(submission.reporter_email):
        contact["email"] = email[:254]
    if phone := _blank(submission.reporter_phone):
        textable = phones.textable(phone) if channel == "sms" else None
        if textable:
            contact["phone"] = textable
        else:
            contact["given_phone"] = phone[:32]
    return contact or None


def _blank(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _clip(value: str, limit: int = 64) -> str:
    return value[:limit].encode("utf-8", "replace").decode("utf-8")
