"""One way in for every channel but the app: the partner intake API, Open311
POST and the SMS gateway submit a report here, on behalf of an
authenticated partner (``services.partners.authenticate``).

A partner's report then goes through the same pipeline as an app's: the
routing worker (an emergency is dispatched at once), the SLA clocks, the
statistics (counted under its ``channel``), the photo worker.  It records
the partner (``partner_id``) and the partner's tracking id
(``partner_ref``), which the webhook sender reads from the reports stream.

Idempotent without a lookup table: the report id is derived from the
partner and its tracking id (``domain.intake.report_id``), so the report's
own conditional put refuses a second report, however the retries race; the
report keeps the fingerprint of what was sent, so the same tracking id with
another body is ``422 tracking_id_reused`` and changes nothing.

AWS calls on the normal path: one conditional PutItem and one SendMessage
(the region comes from the process cache), and one PutObject with a photo."""
from __future__ import annotations

import base64
import binascii
import logging

import msgspec

from ..adapters import aws
from ..contract import intake as contract
from ..domain import intake as rules
from ..domain import reports as domain
from ..domain import workflow
from ..domain.errors import Forbidden, InvalidInput, NotFound, PayloadTooLarge, Unprocessable
from ..domain.regions import RegionConfig
from ..store import reports as store
from ..store.models import ReportModel
from . import partners, regions
from .reports import history_view, received, status_label, try_enqueue
from .uploads.kinds import PHOTO
from .uploads.reports import REPORT_PHOTOS

log = logging.getLogger(__name__)


class Submission(msgspec.Struct, frozen=True, kw_only=True):
    """A report as a partner system sends it (already parsed by its channel)."""

    category: str                     # a category code of the region
    description: str                  # 1..4000 characters
    lat: float | None = None          # a point, or
    lon: float | None = None
    kelurahan_code: str | None = None  # a desa/kelurahan code when the caller gave no coordinates
    address: str | None = None
    tracking_id: str | None = None    # the partner's own id: a retry with the same id creates nothing new
    anonymous: bool = False           # LAPOR!'s anonim: reporter hidden from everyone, staff included
    confidential: bool = False        # rahasia: never in any public view/map/figure beyond counts
    reporter_name: str | None = None
    reporter_phone: str | None = None
    reporter_email: str | None = None
    attributes: dict[str, str] = {}   # answers to the category's questions (Open311 attribute[code])
    media_url: str | None = None      # a link to a big file (kept as given, https only)
    photo: bytes | None = None        # one photo sent inline, at most 4 MB
    photo_type: str | None = None     # image/jpeg|png|webp


class Submitted(msgspec.Struct, frozen=True, kw_only=True):
    report_id: str
    created: bool                     # False: the same tracking id was submitted before (nothing new)
    status: str


def submit(partner: partners.Partner, submission: Submission, channel: str | None = None) -> Submitted:
    """Store a partner's report and hand it to the routing worker; ``channel``
    defaults to the partner's own.  Errors: 400 (unknown category or desa,
    with what is allowed; no location; a bad photo type), 413 (a photo over
    4 MB), 422 (``tracking_id_reused``), 403 (the region's pilot ended)."""
    region = regions.get_region(partner.region_id)
    if region.status == "expired":
        raise Forbidden("pilot_ended")
    channel = channel or partner.channel
    draft = rules.check(submission, region, channel)
    tracking_id = (submission.tracking_id or "").strip() or None
    report = _new_report(partner, region, draft, channel, tracking_id)
    try:
        store.insert(report)
    except store.AlreadyExists:
        return _replay(partner, report, submission)
    try_enqueue(report.id)
    if submission.photo and draft.photo_type:
        _put_photo(report.id, submission.photo, draft.photo_type)
    return Submitted(report_id=report.id, created=True, status=report.status)


def _new_report(partner: partners.Partner, region: RegionConfig, draft: rules.Draft, channel: str,
                tracking_id: str | None) -> ReportModel:
    report_id = rules.report_id(region.region_id, partner.partner_id, tracking_id)
    # kept off the public map: confidential (rahasia), or no point to draw
    off_map = draft.confidential or draft.lat is None
    return received(
        region, report_id,
        category=draft.category,
        description=draft.description,
        lat=draft.lat,
        lon=draft.lon,
        address=draft.address,
        kelurahan_hint=draft.kelurahan_code,
        anonymous=draft.anonymous,
        confidential=draft.confidential or None,
        off_map=workflow.off_map_key(region.region_id) if off_map else None,
        reporter=draft.contact,
        channel=channel,
        partner_id=partner.partner_id,
        partner_ref=tracking_id,
        attributes=draft.attributes,
        media_url=draft.media_url,
        upload_ids=[rules.photo_id(report_id)] if draft.photo_type else [],
        fingerprint=draft.fingerprint,
    )


def _replay(partner: partners.Partner, report: ReportModel, submission: Submission) -> Submitted:
    """The same tracking id again: the first report, if this is a retry of
    it (what a lost reply or a crash left undone is done again: the
    routing message, the photo); 422 if it is another report."""
    existing = store.get(report.id)
    if existing is None or existing.partner_id != partner.partner_id or existing.fingerprint != report.fingerprint:
        raise Unprocessable("tracking_id_reused")
    if existing.routed_at is None:
        try_enqueue(existing.id)
    upload_id = rules.photo_id(existing.id)
    if submission.photo and upload_id in (existing.upload_ids or []) and upload_id not in (existing.photo_ids or []):
        _put_photo(existing.id, submission.photo, (submission.photo_type or "").strip().lower())
    return Submitted(report_id=existing.id, created=False, status=existing.status)


def _put_photo(report_id: str, data: bytes, content_type: str) -> None:
    """Put the photo where a granted upload of the report would land: the
    bucket notifies the photo worker, which checks, strips and thumbnails it
    like any other (its slot was reserved in the report's own put).  A
    failure is the caller's 5xx: the partner's retry puts it again."""
    key = REPORT_PHOTOS.layout.key(report_id, rules.photo_id(report_id), PHOTO.extension(content_type))
    aws.client("s3").put_object(Bucket=aws.bucket(), Key=key, Body=data, ContentType=content_type)


def find(partner: partners.Partner, tracking_id: str) -> ReportModel:
    """The partner's report with this tracking id (one GetItem); another
    partner's, or none, is 404 ``report_not_found``."""
    tracking_id = (tracking_id or "").strip()
    if not tracking_id or not rules.valid_tracking_id(tracking_id):
        raise NotFound("report_not_found", report_id=tracking_id[:64])
    report = store.get(rules.report_id(partner.region_id, partner.partner_id, tracking_id))
    if report is None or report.partner_id != partner.partner_id:
        raise NotFound("report_not_found", report_id=tracking_id[:64])
    return report


def receipt(submitted: Submitted, tracking_id: str | None) -> contract.PartnerReceipt:
    return contract.PartnerReceipt(id=submitted.report_id, status=submitted.status, tracking_id=tracking_id,
                                   created=submitted.created)


def status_view(report: ReportModel, region: RegionConfig) -> contract.PartnerReportStatus:
    """What a partner follows of its report: the status, the history's
    public notes (never a staff comment or who), the agency handling it."""
    agency_id, agency_en = region.agency_names(report.agency)
    return contract.PartnerReportStatus(
        id=report.id, tracking_id=report.partner_ref or "", channel=report.channel or "app", status=report.status,
        status_label=status_label(report.status), agency=report.agency or None,
        agency_name=contract.I18nText(id=agency_id, en=agency_en) if report.agency else None,
        kelurahan_code=report.kelurahan_code, kelurahan=report.kelurahan,
        due_at=domain.local_iso(report.due_at, region) if report.due_at else None,
        created_at=domain.local_iso(report.created_at, region), updated_at=domain.local_iso(report.updated_at, region),
        history=[contract.PartnerStatusNote(status=e.status, status_label=e.status_label, at=e.at, note=e.note)
                 for e in history_view(report.history, region, "public")])


def from_request(body: contract.PartnerReport) -> Submission:
    """The intake API's JSON body as a submission: the photo decoded from
    base64 (413 when over 4 MB, told from its length before decoding)."""
    photo = None
    if body.photo_base64:
        encoded = "".join(body.photo_base64.split())
        if len(encoded) // 4 * 3 > rules.PHOTO_MAX_BYTES + 2:
            raise PayloadTooLarge("photo_over_limit", max=rules.PHOTO_MAX_BYTES)
        try:
            photo = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidInput("invalid_photo") from None
    return Submission(
        category=body.category, description=body.description, lat=body.lat, lon=body.lon,
        kelurahan_code=body.kelurahan_code, address=body.address, tracking_id=body.tracking_id,
        anonymous=body.anonymous, confidential=body.confidential, reporter_name=body.reporter_name,
        reporter_phone=body.reporter_phone, reporter_email=body.reporter_email, attributes=dict(body.attributes or {}),
        media_url=body.media_url, photo=photo or None, photo_type=body.photo_type)


def report_status(partner: partners.Partner, tracking_id: str) -> contract.PartnerReportStatus:
    report = find(partner, tracking_id)
    return status_view(report, regions.get_region(report.region_id))
