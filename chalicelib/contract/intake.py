"""The partner intake API: a partner system (LAPOR! SP4N, a call-centre
console, PSC 119, the BPBD hotline) sends a report with its own tracking id
and follows it by that id."""
from __future__ import annotations

from typing import Annotated

from msgspec import Meta, Struct

from .common import DateTime, I18nText, Request
from .reports import ADDRESS_MAX, DESCRIPTION_MAX, Latitude, Longitude

TRACKING_ID_PATTERN = r"^[\x21-\x7e]{1,128}$"
MEDIA_URL_PATTERN = r"^https://[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?(/[^\s\"'<>]*)?$"
# 4 MB once decoded is 5.6 million base64 characters; a longer string is still read (and
# answered 413, not 400) up to what a Lambda request can carry at all
PHOTO_BASE64_MAX = 8_000_000

AttributeCode = Annotated[str, Meta(min_length=1, max_length=64)]
AttributeValue = Annotated[str, Meta(max_length=500)]


class PartnerReport(Request):
    """A report from a partner system.  A location is a point (`lat` and `lon`) or, when the caller gave no
    coordinates, a kelurahan/desa code (`kelurahan_code`: the verifier places it)."""

    category: Annotated[str, Meta(min_length=1, max_length=64, description=(
        "A `code` from `GET /v1/regions/{region_id}/categories`."))]
    description: Annotated[str, Meta(min_length=1, max_length=DESCRIPTION_MAX)]
    tracking_id: Annotated[str, Meta(max_length=128, pattern=TRACKING_ID_PATTERN, description=(
        "The partner's own id of the report (printable ASCII): a retry with the same id creates nothing new; "
        "the same id with another body is 422 `tracking_id_reused`."))] | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None
    kelurahan_code: Annotated[str, Meta(max_length=32, description=(
        "A desa/kelurahan code from `GET /v1/regions/{region_id}/areas`; with a point, a hint only."))] | None = None
    address: Annotated[str, Meta(max_length=ADDRESS_MAX)] | None = None
    anonymous: Annotated[bool, Meta(description=(
        "LAPOR!'s *anonim*: the reporter is hidden from everyone, the region's staff included."))] = False
    confidential: Annotated[bool, Meta(description=(
        "*Rahasia*: the report appears in no public view, map or figure beyond counts; staff see it."))] = False
    reporter_name: Annotated[str, Meta(max_length=120)] | None = None
    reporter_phone: Annotated[str, Meta(max_length=32)] | None = None
    reporter_email: Annotated[str, Meta(max_length=254)] | None = None
    attributes: Annotated[dict[AttributeCode, AttributeValue], Meta(max_length=30, description=(
        "Answers to the category's questions, by question code."))] | None = None
    media_url: Annotated[str, Meta(max_length=1000, pattern=MEDIA_URL_PATTERN, description=(
        "A link (https) to a big file, kept as given."))] | None = None
    photo_base64: Annotated[str, Meta(max_length=PHOTO_BASE64_MAX, description=(
        "One photo, base64-encoded, at most 4 MB decoded (413 above): checked, stripped of its metadata and "
        "thumbnailed like an app's photo. Bigger files: `media_url`."))] | None = None
    photo_type: Annotated[str, Meta(max_length=32, examples=["image/jpeg"], description=(
        "image/jpeg, image/png or image/webp; required with `photo_base64`."))] | None = None


class PartnerReceipt(Struct, kw_only=True):
    id: Annotated[str, Meta(description="The report's id here (`GET /v1/reports/{id}` for staff).")]
    status: str
    tracking_id: str | None
    created: Annotated[bool, Meta(description=(
        "False: the same tracking id was sent before; nothing new was created."))]


class PartnerStatusNote(Struct, kw_only=True):
    status: str
    status_label: I18nText
    at: DateTime
    note: I18nText


class PartnerReportStatus(Struct, kw_only=True):
    """A partner's report as the partner follows it: status, the history's notes, the agency handling it."""

    id: str
    tracking_id: str
    channel: str
    status: str
    status_label: I18nText
    agency: str | None
    agency_name: I18nText | None
    kelurahan_code: str | None
    kelurahan: str | None
    due_at: Annotated[str | None, Meta(extra_json_schema={"format": "date-time"})]
    created_at: DateTime
    updated_at: DateTime
    history: Annotated[list[PartnerStatusNote], Meta(description="The most recent entries, oldest first.")]
