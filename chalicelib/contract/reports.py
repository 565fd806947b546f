"""Reports and the staff workflow: what clients send and what they get back."""
from __future__ import annotations

from typing import Annotated, Literal

from msgspec import UNSET, Meta, Struct, UnsetType

from .common import DateTime, I18nText, PageQuery, Request, StoredPhoto, Url

DESCRIPTION_MAX = 4000
ADDRESS_MAX = 300
NOTE_MAX = 2000
COMMENT_MAX = 1000

Code = Annotated[str, Meta(min_length=1, max_length=64)]
Id32 = Annotated[str, Meta(min_length=1, max_length=64)]
Latitude = Annotated[float, Meta(ge=-90, le=90, description="WGS84 degrees; stored to 7 decimals (about 1 cm).")]
Longitude = Annotated[float, Meta(ge=-180, le=180, description="WGS84 degrees; stored to 7 decimals (about 1 cm).")]


# --- requests -------------------------------------------------------------------

class NewReport(Request):
    category: Annotated[str, Meta(min_length=1, max_length=64, description="A `code` from the region's categories.")]
    description: Annotated[str, Meta(min_length=1, max_length=DESCRIPTION_MAX)]
    lat: Latitude
    lon: Longitude
    address: Annotated[str, Meta(max_length=ADDRESS_MAX)] | None = None
    project_id: Annotated[str, Meta(max_length=64, description=(
        "A citizen audit: the public works project the report is about (routed to its agency and the "
        "inspectorate; shown on the project page)."))] | None = None
    kelurahan_code: Annotated[str, Meta(max_length=32, description=(
        "The reporter's choice; routing trusts the point."))] | None = None
    anonymous: bool = False


class PhotoUploadRequest(Request):
    content_type: Annotated[str, Meta(max_length=64, examples=["image/jpeg"],
                                      description="image/jpeg, image/png or image/webp")]
    kind: Literal["report", "evidence"] = "report"


class TransitionRequest(Request):
    """waiting→verified|rejected|duplicate (verifier); verified→in_process (officer takes it);
    in_process→done (the assigned officer, with at least one evidence photo); after a rating of 1–2,
    done→in_process (reopen) or done→done (confirm), by the verifier."""

    to: Literal["verified", "in_process", "done", "rejected", "duplicate"]
    note: Annotated[str, Meta(max_length=NOTE_MAX)] | None = None
    agency: Annotated[str, Meta(max_length=64, description="verify only: correct the proposed agency")] | None = None
    kelurahan_code: Annotated[str, Meta(max_length=32, description=(
        "verify only: correct the proposed kelurahan"))] | None = None
    reason: Literal["spam", "duplicate", "outside_region", "not_actionable"] | None = None
    duplicate_of: Annotated[str, Meta(max_length=64, description="required with to=duplicate")] | None = None


class HandoffRequest(Request):
    """Pass a verified or in-process report to another agency and/or
    kelurahan/desa of the region (*disposisi*), with the reason.  It waits to
    be taken there; the new holder's clocks start now."""

    reason: Annotated[str, Meta(min_length=3, max_length=NOTE_MAX, description="why (in the history, for staff)")]
    agency: Annotated[str, Meta(max_length=64, description="the agency that takes it over")] | None = None
    kelurahan_code: Annotated[str, Meta(max_length=32, description="the kelurahan/desa that takes it over")] | None = None


class ForwardRequest(Request):
    """"Not our authority" (*bukan wewenang*): forward a waiting or verified
    report to one of the region's partner systems (LAPOR! SP4N in practice),
    which takes it over; closed here as `forwarded`."""

    partner_id: Annotated[str, Meta(min_length=1, max_length=64, description="the partner's id (its key's public id)")]
    reason: Annotated[str, Meta(min_length=3, max_length=NOTE_MAX, description=(
        "why it is not the region's authority (in the history for staff, and sent to the partner)"))]


class LocationRequest(Request):
    """The desk sets or corrects a report's point (a partner's or SMS report
    placed by its desa code alone has none, so it is on no map).  Inside the
    region; while the report waits it re-places it in the point's desa, once
    verified the point must lie in the report's desa (hand it off first)."""

    lat: Latitude
    lon: Longitude
    note: Annotated[str, Meta(max_length=NOTE_MAX, description="why (in the history, for staff)")] | None = None


class NoteRequest(Request):
    note: Annotated[str, Meta(min_length=1, max_length=NOTE_MAX)]


class RatingRequest(Request):
    stars: Annotated[int, Meta(ge=1, le=5)]
    comment: Annotated[str, Meta(max_length=COMMENT_MAX)] | None = None


class QueueQuery(PageQuery, kw_only=True):
    queue: Literal["waiting", "review"] = "waiting"


class InboxQuery(PageQuery, kw_only=True):
    status: Literal["verified", "in_process", "done"] = "verified"
    overdue: bool | None = None
    audits: Annotated[bool, Meta(description=(
        "the inspectorate: citizen audits of public works projects, newest first"))] | None = None
    assigned: Annotated[Literal["me"], Meta(description="reports I have taken")] | None = None


# --- replies --------------------------------------------------------------------

class Team(Struct):
    code: str
    name: I18nText


class Photo(StoredPhoto, kw_only=True):
    kind: Literal["report", "evidence"] = "report"
    public: Annotated[bool, Meta(description=(
        "Staff and the reporter only: whether the public sees this photo (the report is verified and no "
        "verifier hid it). The public view lists only the photos it may see."))] | UnsetType = UNSET


class RejectedPhoto(Struct, kw_only=True):
    id: str
    reason_code: str
    reason: I18nText
    at: DateTime


class HistoryEntry(Struct, kw_only=True):
    status: str
    status_label: I18nText
    at: DateTime
    note: I18nText
    actor_role: Annotated[str | None, Meta(description="Staff view only.")] | UnsetType = UNSET
    comment: Annotated[str | None, Meta(description="Staff view only.")] | UnsetType = UNSET


class Rating(Struct, kw_only=True):
    stars: int
    at: DateTime
    comment: Annotated[str | None, Meta(description="Reporter and staff only.")] | UnsetType = UNSET


class ReporterView(Struct, kw_only=True):
    """What the report keeps of its reporter, shown to them alone: the
    account's verified phone, where status SMS go."""

    phone: str | None = None


class PartnerReporter(Struct, kw_only=True):
    """The reporter a partner system named (a caller to its call centre), shown
    to the region's staff unless the report is anonymous."""

    name: str | None = None
    phone: str | None = None
    email: str | None = None


class Report(Struct, kw_only=True):
    """A report as the caller may see it: contact details only to its reporter; who reported it to nobody else."""

    id: str
    region_id: str
    status: str
    status_label: I18nText
    category: str
    category_name: I18nText
    description: str
    lat: Annotated[float | None, Meta(description=(
        "None: a partner system's report placed by its kelurahan/desa code only (no point)."))]
    lon: float | None
    address: str | None
    anonymous: bool
    routed: Annotated[bool, Meta(description="False until the routing worker has run.")]
    agency: str | None
    agency_name: I18nText | None
    team: Team | None
    kelurahan_code: str | None
    kelurahan: str | None
    kecamatan_code: str | None
    kecamatan: str | None
    out_of_area: Annotated[bool, Meta(description="The point lies outside every kelurahan polygon.")]
    photos: list[Photo]
    photo_urls_expire_at: DateTime
    rejected_photos: list[RejectedPhoto]
    history: Annotated[list[HistoryEntry], Meta(description=(
        "The most recent entries, oldest first; `history_earlier` older ones are read from "
        "`GET /v1/reports/{report_id}/earlier-history`."))]
    history_earlier: Annotated[int, Meta(description="Entries older than `history`, not included here.")] = 0
    created_at: DateTime
    updated_at: DateTime
    version: Annotated[int, Meta(description="Grows with every change.")]
    due_at: Annotated[str | None, Meta(description=(
        "Deadline of the running SLA stage (working days, region time zone; an emergency's in hours)."),
        extra_json_schema={"format": "date-time"})]
    due_stage: Literal["verify", "respond", "resolve"] | None
    overdue: bool
    rejection_reason: str | None
    duplicate_of: str | None
    reopen_count: int
    rating: Rating | None
    project_id: str | None
    emergency: Annotated[bool, Meta(description=(
        "An emergency category's report: dispatched at once to its agency's responders, without waiting for "
        "verification; its clocks run in hours around the clock."))] = False
    # staff of the report's region only
    assignee: str | None | UnsetType = UNSET
    assignee_name: str | None | UnsetType = UNSET
    review_pending: bool | UnsetType = UNSET
    # staff of the report's region only: where it came from (a partner system's channel and
    # tracking id), whether it is confidential (rahasia: in no public view), and the reporter a
    # partner named unless the report is anonymous (anonim: hidden from staff too)
    channel: str | UnsetType = UNSET
    partner_ref: str | None | UnsetType = UNSET
    confidential: bool | UnsetType = UNSET
    reporter_contact: PartnerReporter | None | UnsetType = UNSET
    # the reporter only
    reporter: ReporterView | None | UnsetType = UNSET
    mine: bool | UnsetType = UNSET


class ReportSummary(Struct, kw_only=True):
    """A list entry: what a queue or inbox shows, no contact details."""

    id: str
    status: str
    status_label: I18nText
    category: str
    category_name: I18nText
    description: Annotated[str, Meta(description="The first 280 characters.")]
    agency: str | None
    kelurahan_code: str | None
    kelurahan: str | None
    kecamatan: str | None
    out_of_area: bool
    routed: bool
    created_at: DateTime
    due_at: str | None
    overdue: bool
    assignee_name: Annotated[str | None, Meta(description=(
        "Staff lists only: the officer handling it. Citizens see the agency, never the person."))] | UnsetType = UNSET
    review_pending: bool
    photos: Annotated[int, Meta(description="Number of photos")]
    project_id: str | None
    emergency: Annotated[bool, Meta(description="An emergency, dispatched at once (clocks in hours).")] = False
    lat: Annotated[float | None, Meta(description=(
        "None: placed by its kelurahan/desa code only, no point (the desk can set one)."))] = None
    lon: float | None = None


class UploadForm(Struct):
    """A presigned S3 POST: send `fields` then the file as `file` in a multipart/form-data POST to `url`."""

    url: Url
    fields: dict[str, str]


class PhotoUpload(Struct, kw_only=True):
    photo_id: str
    kind: Literal["report", "evidence"]
    upload: UploadForm
    content_type: str
    max_bytes: int
    expires_in: Annotated[int, Meta(description="Seconds the upload form stays valid.")]


class HistoryPage(Struct, kw_only=True):
    """A page of a report's earlier history, oldest first."""

    items: list[HistoryEntry]
    next_cursor: str | None
