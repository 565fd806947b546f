"""Citizen-facing report operations: create, look up, attach photos."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from typing import Any, cast

import msgspec

from .. import resources
from ..adapters import aws
from ..auth.identity import Identity
from ..contract import reports as contract
from ..contract.common import I18nText, text
from ..domain import idempotency, lifecycle, phones, roles, sla, workflow
from ..domain import reports as domain
from ..domain.errors import Conflict, Forbidden, InvalidInput, NotFound, Unprocessable
from ..domain.regions import RegionConfig
from ..store import reports as store
from ..store.models import ReportModel
from . import regions
from .uploads import grants
from .uploads.kinds import PHOTO
from .uploads.reports import REPORT_PHOTOS

log = logging.getLogger(__name__)


class Created(msgspec.Struct, frozen=True):
    report: ReportModel
    replayed: bool


def enqueue_routing(report_id: str) -> None:
    aws.send(resources.ROUTING_QUEUE, {"report_id": report_id})


def create_report(region_id: str, body: contract.NewReport, idempotency_key: str | None, actor: Identity) -> Created:
    """Store a citizen's report and hand it to the routing worker.

    AWS calls on the normal path: one conditional PutItem and one SendMessage
    (the region's configuration comes from the process cache).  If the send
    fails the report is still stored and accepted: the retry of the same
    request re-sends, and the unrouted sweep re-enqueues it in any case.
    """
    region = regions.get_region(region_id)
    if actor.role != "citizen":
        raise Forbidden("citizens_only")
    if not actor.in_region(region.region_id):
        raise Forbidden("other_region")
    if region.status == "expired":
        raise Forbidden("pilot_ended")
    key = idempotency_key
    draft = domain.check_new_report(body, region)
    watching: list[str] = []
    if draft.project_id is not None:
        from .projects import audits

        audits.audit_target(region, draft.project_id)
        watching = audits.watchers(region)
    # The key is scoped to the reporter: two phones cannot collide on it.
    report_id = domain.new_report_id(region.region_id, f"{actor.sub}:{key}" if key else None)
    # The only contact kept: the account's verified phone, for status SMS
    # (nothing from the request, no name, no e-mail: anyone could name anyone).
    phone = phones.textable(actor.phone) if actor.phone_verified else None
    report = received(
        region, report_id,
        category=draft.category,
        description=draft.description,
        lat=draft.lat,
        lon=draft.lon,
        address=draft.address,
        kelurahan_hint=draft.kelurahan_code,
        anonymous=draft.anonymous,
        reporter={"phone": phone} if phone else None,
        reporter_id=actor.sub,
        project_id=draft.project_id,
        watchers=watching or None,
        audit_key=f"{region.region_id}#{watching[0]}" if watching else None,
        fingerprint=draft.fingerprint() if key else None,
    )
    try:
        store.insert(report)
    except store.AlreadyExists:
        existing = store.get(report_id)
        if existing is None or existing.reporter_id != actor.sub:
            raise Unprocessable("idempotency_key_reused") from None
        idempotency.replayed(existing.fingerprint, report.fingerprint)
        if existing.routed_at is None:
            try_enqueue(report_id)
        return Created(existing, replayed=True)
    try_enqueue(report_id)
    return Created(report, replayed=False)


def received(region: RegionConfig, report_id: str, **fields: Any) -> ReportModel:
    """A new report as every channel receives it: waiting, its verification
    clock started, in the unrouted sweep, with its first history entry;
    ``fields`` are the channel's (what was reported, by whom)."""
    moment = domain.now_utc()
    now = domain.iso_utc(moment)
    _, due = sla.deadline(domain.INITIAL_STATUS, moment, region.sla, region.tz)
    placement = workflow.on_receipt(region.region_id, report_id, domain.iso_utc(due) if due else None)
    return ReportModel(
        id=report_id,
        region_id=region.region_id,
        **fields,
        **{k: v for k, v in placement.items() if v is not None},
        status=domain.INITIAL_STATUS,
        created_at=now,
        updated_at=now,
        unrouted_shard=store.unrouted_shard(report_id),
        history=[domain.history_entry(domain.INITIAL_STATUS, now, "history_received", actor="reporter")],
    )


def try_enqueue(report_id: str) -> None:
    try:
        enqueue_routing(report_id)
    except Exception:  # the report is stored; the sweep routes it
        log.exception("routing message for report %s not sent; the unrouted sweep will send it", report_id)


def get_report(report_id: str) -> tuple[ReportModel, RegionConfig]:
    domain.check_report_id(report_id)
    report = store.get(report_id)
    if report is None:
        raise NotFound("report_not_found", report_id=report_id)
    return report, regions.get_region(report.region_id)


def view_url(key: str) -> str:
    return aws.client("s3").generate_presigned_url(
        "get_object", Params={"Bucket": aws.bucket(), "Key": key}, ExpiresIn=resources.VIEW_URL_SECONDS
    )


def viewer_level(report: ReportModel, viewer: Identity | None) -> str:
    """``reporter`` (their own report), ``staff`` (of the report's region)
    or ``public``."""
    if viewer is None:
        return "public"
    if not viewer.is_staff:
        return "reporter" if report.reporter_id == viewer.sub else "public"
    return "staff" if viewer.in_region(report.region_id) else "public"


def status_label(status: str) -> I18nText:
    return text(lifecycle.STATUS_LABELS.get(status, {"id": status, "en": status}))


def report_view(report: ReportModel, region: RegionConfig, viewer: Identity | None = None) -> contract.Report:
    """A report as ``viewer`` may see it.  Contact details appear only to the
    reporter; who reported it appears to nobody else, anonymous or not."""
    level = viewer_level(report, viewer)
    hide_confidential(report, level)
    agency_id, agency_en = region.agency_names(report.agency)
    expires = datetime.now(timezone.utc) + timedelta(seconds=resources.VIEW_URL_SECONDS)
    team = domain.team_view(report.team)
    history = history_view(report.history, region, level)
    view = contract.Report(
        id=report.id,
        region_id=report.region_id,
        status=report.status,
        status_label=status_label(report.status),
        category=report.category,
        category_name=text(domain.category_view(region, report.category)["name"]),
        description=report.description,
        lat=float(report.lat) if report.lat is not None else None,
        lon=float(report.lon) if report.lon is not None else None,
        address=report.address,
        anonymous=bool(report.anonymous),
        routed=report.routed_at is not None,
        agency=report.agency or None,
        agency_name=I18nText(id=agency_id, en=agency_en) if report.agency else None,
        team=contract.Team(code=team["code"], name=text(team["name"])) if team else None,
        kelurahan_code=report.kelurahan_code,
        kelurahan=report.kelurahan,
        kecamatan_code=report.kecamatan_code,
        kecamatan=report.kecamatan,
        out_of_area=bool(report.out_of_area),
        photos=[
            contract.Photo(id=photo["id"], url=view_url(photo["key"]), thumbnail_url=view_url(photo["thumb_key"]),
                           content_type=photo["content_type"], width=int(photo["width"]),
                           height=int(photo["height"]), kind=photo.get("kind", "report"))
            for photo in report.photos if level != "public" or photo_is_public(report, photo["id"])
        ],
        photo_urls_expire_at=expires.astimezone(region.tz).isoformat(timespec="seconds"),
        rejected_photos=[
            contract.RejectedPhoto(id=item["id"], reason_code=item["reason_code"], reason=text(item["reason"]),
                                   at=domain.local_iso(item["at"], region))
            for item in report.rejected_photos
        ],
        history=history,
        history_earlier=int(report.history_archived or 0),
        created_at=domain.local_iso(report.created_at, region),
        updated_at=domain.local_iso(report.updated_at, region),
        version=int(report.version),
        due_at=domain.local_iso(report.due_at, region) if report.due_at else None,
        due_stage=cast(Any, report.due_stage),
        overdue=bool(report.overdue),
        rejection_reason=report.rejection_reason,
        duplicate_of=report.duplicate_of,
        reopen_count=int(report.reopen_count or 0),
        rating=_last_rating(report, region, level),
        project_id=report.project_id,
        emergency=bool(report.emergency),
    )
    if level != "public":
        for photo in view.photos:
            photo.public = photo_is_public(report, photo.id)
    if level == "staff":
        view.assignee = report.assignee
        view.assignee_name = report.assignee_name
        view.review_pending = bool(report.review_pending)
        view.channel = report.channel or "app"
        view.confidential = bool(report.confidential)
        if report.partner_id:
            view.partner_ref = report.partner_ref
            view.reporter_contact = partner_reporter(report)
    if level == "reporter":
        contact = report.reporter.as_dict() if hasattr(report.reporter, "as_dict") else (report.reporter or {})
        view.reporter = contract.ReporterView(phone=contact.get("phone")) \
            if contact else None
        view.mine = True
    return view


def history_view(entries: Any, region: RegionConfig, level: str) -> list[contract.HistoryEntry]:
    """History entries as ``level`` may see them: staff also who (the role,
    never the person) and the staff's comment."""
    view = []
    for entry in entries:
        item = contract.HistoryEntry(status=entry["status"], status_label=status_label(entry["status"]),
                                     at=domain.local_iso(entry["at"], region), note=text(entry["note"]))
        if level == "staff":
            item.actor_role = entry.get("actor_role")
            item.comment = entry.get("comment")
        view.append(item)
    return view


def earlier_history(report_id: str, viewer: Identity | None, page: Any) -> contract.HistoryPage:
    """The entries moved off a report's item, oldest first, as the report's
    view shows its recent ones to ``viewer``: one GetItem, one Query."""
    report, region = get_report(report_id)
    level = viewer_level(report, viewer)
    hide_confidential(report, level)
    try:
        entries, cursor = store.earlier_history(report.id, page.limit, page.cursor)
    except store.BadCursor:
        raise InvalidInput("invalid_cursor") from None
    return contract.HistoryPage(items=history_view(entries, region, level), next_cursor=cursor)


def hide_confidential(report: ReportModel, level: str) -> None:
    """A confidential report (a partner's *rahasia*) is, to the public, a
    report that does not exist: the same 404 as an unknown id."""
    if report.confidential and level == "public":
        raise NotFound("report_not_found", report_id=report.id)


def partner_reporter(report: ReportModel) -> contract.PartnerReporter | None:
    """The reporter a partner named, for staff; nobody for an anonymous
    report (anonim: hidden from staff too) or one whose reporter was erased."""
    if report.anonymous or report.reporter_erased:
        return None
    contact = report.reporter.as_dict() if hasattr(report.reporter, "as_dict") else (report.reporter or {})
    if not any(contact.get(k) for k in ("name", "phone", "given_phone", "email")):
        return None
    return contract.PartnerReporter(name=contact.get("name"), phone=contact.get("phone") or contact.get("given_phone"),
                                    email=contact.get("email"))


def photo_is_public(report: ReportModel, photo_id: str) -> bool:
    """Photos show streets, faces, children and number plates: the public
    sees one only once a verifier has seen the report (verified; never while
    waiting, nor when rejected) and has not hidden it.  An emergency is
    dispatched without a verifier seeing it: its photos stay with staff and
    the reporter."""
    return (report.verified_at is not None and not report.emergency
            and photo_id not in (report.hidden_photos or set()))


def set_photo_visibility(report_id: str, photo_id: str, public: bool,
                         actor: Identity) -> tuple[ReportModel, RegionConfig]:
    """A verifier (the verification desk) hides a report photo from the
    public, or shows it again: one conditional write (the report is of the
    actor's region and has that photo); staff and the reporter still see it."""
    domain.check_report_id(report_id)
    if actor.role not in roles.DESK:
        raise Forbidden("forbidden")
    if not domain.is_photo_id(photo_id):
        raise NotFound("photo_not_found")
    region_id = None if actor.role == "platform_admin" else actor.region_id
    try:
        report = store.set_photo_hidden(report_id, photo_id, not public, region_id)
    except store.ConditionFailed:
        current = store.get(report_id)
        if current is None or not actor.in_region(current.region_id):
            raise NotFound("report_not_found", report_id=report_id) from None
        raise NotFound("photo_not_found") from None
    return report, regions.get_region(report.region_id)


def _last_rating(report: ReportModel, region: RegionConfig, level: str) -> contract.Rating | None:
    if not report.ratings:
        return None
    last = report.ratings[-1]
    rating = contract.Rating(stars=int(last["stars"]), at=domain.local_iso(last["at"], region))
    if level in ("staff", "reporter"):
        rating.comment = last.get("comment")
    return rating


def summary(report: ReportModel, region: RegionConfig, staff: bool) -> contract.ReportSummary:
    """A list entry: what a queue or inbox shows, no contact details; the
    officer handling it only in staff lists (citizens see the agency)."""
    entry = contract.ReportSummary(
        id=report.id,
        status=report.status,
        status_label=status_label(report.status),
        category=report.category,
        category_name=text(domain.category_view(region, report.category)["name"]),
        description=report.description[:280],
        agency=report.agency,
        kelurahan_code=report.kelurahan_code,
        kelurahan=report.kelurahan,
        kecamatan=report.kecamatan,
        out_of_area=bool(report.out_of_area),
        routed=report.routed_at is not None,
        created_at=domain.local_iso(report.created_at, region),
        due_at=domain.local_iso(report.due_at, region) if report.due_at else None,
        overdue=bool(report.overdue),
        review_pending=bool(report.review_pending),
        photos=len(report.photos),
        project_id=report.project_id,
        emergency=bool(report.emergency),
        lat=float(report.lat) if report.lat is not None else None,
        lon=float(report.lon) if report.lon is not None else None,
    )
    if staff:
        entry.assignee_name = report.assignee_name
    return entry


def request_photo_upload(report_id: str, body: contract.PhotoUploadRequest, actor: Identity) -> contract.PhotoUpload:
    """A presigned S3 POST for one photo of a report.  The policy admits only
    the declared image type and at most ``PHOTO_MAX_BYTES``; the photo worker
    checks both again, since not every S3 implementation enforces policies."""
    domain.check_report_id(report_id)
    content_type = body.content_type.lower()
    PHOTO.extension(content_type)  # a type that is no photo: 400 before anything is read
    report = store.get(report_id)
    if report is None:
        raise NotFound("report_not_found", report_id=report_id)
    _check_photo_rights(report, actor, body.kind)
    granted = grants.grant(REPORT_PHOTOS, report_id, content_type, {"evidence": body.kind == "evidence"})
    return contract.PhotoUpload(photo_id=granted.upload_id, kind=body.kind, upload=granted.form,
                                content_type=granted.content_type, max_bytes=granted.max_bytes,
                                expires_in=granted.expires_in)


def _check_photo_rights(report: ReportModel, actor: Identity, kind: str) -> None:
    """The reporter adds photos of the problem; field staff of the report's
    agency or kelurahan add evidence of the work while it is in process."""
    from .workflow import in_scope

    if kind == "report":
        if actor.role != "citizen" or report.reporter_id != actor.sub:
            raise Forbidden("not_reporter")
        return
    if not actor.is_staff:
        raise Forbidden("forbidden")
    if not actor.in_region(report.region_id):
        raise NotFound("report_not_found", report_id=report.id)
    if actor.role not in ("officer", "agency_head") or not in_scope(report, actor):
        raise Forbidden("not_your_report")
    if report.status != "in_process":
        raise Conflict("evidence_needs_in_process")
