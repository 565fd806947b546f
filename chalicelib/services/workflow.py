"""The staff workflow: verify, take, finish, reject, reopen; notes; ratings;
the SLA sweep; the queues and inboxes staff work from.

A change is one consistent read and one conditional write (the ``version``
the read saw must still be there: two officers taking the same report at
once, exactly one wins), then at most one message to the dispatch queue,
whose worker delivers the report to its agency and notifies the reporter.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from .. import resources
from ..adapters import aws
from ..auth.identity import Identity
from ..contract import reports as contract
from ..contract.common import PageQuery
from ..domain import i18n, lifecycle, sla
from ..domain import reports as rules
from ..domain.errors import Conflict, Forbidden, InvalidInput, NotFound, Unprocessable
from ..domain.regions import RegionConfig
from ..domain.workflow import Placement, overdue_key
from ..store import reports as store
from ..store.models import ReportModel
from . import regions

log = logging.getLogger(__name__)
PAGE_DEFAULT, PAGE_MAX = 20, 100


# --- loading and scope --------------------------------------------------------

def load(report_id: str) -> ReportModel:
    rules.check_report_id(report_id)
    report = store.get(report_id)
    if report is None:
        raise NotFound("report_not_found", report_id=report_id)
    return report


def load_for_staff(report_id: str, actor: Identity) -> tuple[ReportModel, RegionConfig]:
    """A report the staff member's region owns; another region's report is
    simply not found (no data, not even its existence)."""
    report = load(report_id)
    if not actor.is_staff or not actor.in_region(report.region_id):
        raise NotFound("report_not_found", report_id=report_id)
    return report, regions.get_region(report.region_id)


def in_scope(report: ReportModel, actor: Identity, following: bool = False) -> bool:
    """Field staff act on their agency's reports, or their kelurahan's.
    With ``following``, an agency that follows the report without working
    it (the inspectorate on a citizen audit) is in scope too: it may add
    notes, not move the report."""
    if actor.role in ("verifier", "region_admin", "platform_admin"):
        return True
    if actor.kelurahan_code:
        return report.kelurahan_code == actor.kelurahan_code
    if not actor.agency:
        return False
    return report.agency == actor.agency or (following and actor.agency in (report.watchers or []))


def _placement(report: ReportModel, status: str, due_at: str | None, review_pending: bool, now: str,
               agency: str | None = None, kelurahan_code: str | None = None) -> dict[str, Any]:
    return Placement(report.region_id, report.id, status, agency if agency is not None else report.agency,
                     kelurahan_code if kelurahan_code is not None else report.kelurahan_code,
                     due_at, review_pending, now).keys()


def _set_all(fields: dict[str, Any]) -> list[Any]:
    actions = []
    for name, value in fields.items():
        attribute = getattr(ReportModel, name)
        actions.append(attribute.remove() if value is None else attribute.set(value))
    return actions


def _history(status: str, now: str, actor: Identity, note_code: str, comment: str | None = None,
             **params: object) -> dict[str, Any]:
    entry = rules.history_entry(status, now, note_code, actor=actor.sub, **params)
    entry["actor_role"] = actor.role
    if comment:
        entry["comment"] = comment
    return entry


def publish_event(report: ReportModel, event: str, actor: Identity | None = None) -> None:
    """One message per change; a lost send is logged, the change stands."""
    try:
        aws.send(resources.DISPATCH_QUEUE,
                 {"event": event, "report_id": report.id, "region_id": report.region_id,
                  "status": report.status, "version": int(report.version),
                  "actor": actor.sub if actor else None},
                 attributes={"region_id": report.region_id, "agency": report.agency or "", "event": event})
    except Exception:  # noqa: BLE001
        log.exception("event %s for report %s not sent", event, report.id)


# --- transitions --------------------------------------------------------------

def transition(report_id: str, body: contract.TransitionRequest, actor: Identity) -> tuple[ReportModel, RegionConfig]:
    request = lifecycle.check_transition(body)
    report, region = load_for_staff(report_id, actor)
    if not in_scope(report, actor):
        raise Forbidden("not_your_report")
    allowed = lifecycle.allowed_targets(report.status, actor.role, bool(report.review_pending))
    if request.target not in allowed:
        raise lifecycle.IllegalTransition(report.status, request.target, allowed)
    rule = next(r for r in lifecycle.RULES if r.source == report.status and r.target == request.target
                and actor.role in r.roles)
    if rule.needs_assignee and actor.role == "officer" and report.assignee != actor.sub:
        raise Forbidden("not_assignee")
    if rule.needs_evidence and not report.evidence_ids:
        raise Conflict("evidence_required")

    moment = rules.now_utc()
    now = rules.iso_utc(moment)
    fields: dict[str, Any] = {"status": request.target, "updated_at": now}
    review_pending = False
    agency, kelurahan_code = report.agency, report.kelurahan_code
    due_at: str | None = None
    note_params: dict[str, object] = {}

    if rule.action == "verified":
        agency = request.agency or report.agency
        if request.agency and request.agency not in region.agencies:
            raise InvalidInput("unknown_agency", agency=request.agency)
        if not agency:
            raise Conflict("not_routed_yet")
        fields["agency"] = agency
        if request.kelurahan_code:
            place = region.kelurahan.get(request.kelurahan_code)
            if place is None:
                raise InvalidInput("unknown_kelurahan", kelurahan_code=request.kelurahan_code)
            kelurahan_code = request.kelurahan_code
            fields.update(kelurahan_code=kelurahan_code, kelurahan=place[0], kecamatan_code=place[1],
                          kecamatan=place[2], out_of_area=False)
        fields["verified_at"] = now
        if report.routed_at is None:  # the verifier's decision is the routing
            fields["routed_at"] = now
            fields["unrouted_shard"] = None
        _, due = sla.deadline("verified", moment, region.sla, region.tz)
        due_at = rules.iso_utc(due) if due else None
        agency_id, agency_en = region.agency_names(agency)
        note_params = {"agency": agency_id, "agency_en": agency_en}
    elif rule.action == "rejected":
        fields["rejection_reason"] = request.reason
        labels = lifecycle.REJECT_REASON_LABELS[request.reason or ""]
        note_params = {"reason": labels["id"], "reason_en": labels["en"]}
    elif rule.action == "duplicate":
        original = _original(request.duplicate_of or "", report)
        fields["duplicate_of"] = original.id
        note_params = {"original": original.id[:8]}
    elif rule.action == "taken":
        fields["assignee"] = actor.sub
        fields["assignee_name"] = actor.name or actor.username
        start = rules.parse_iso(report.verified_at) if report.verified_at else moment
        _, due = sla.deadline("in_process", start, region.sla, region.tz)
        due_at = rules.iso_utc(due) if due else None
    elif rule.action == "reopened":
        fields["reopen_count"] = int(report.reopen_count or 0) + 1
        fields["review_pending"] = False
        _, due = sla.deadline("in_process", moment, region.sla, region.tz)
        due_at = rules.iso_utc(due) if due else None
    elif rule.action in ("done", "closure_confirmed"):
        fields["review_pending"] = False

    fields["due_stage"] = sla.STAGE_OF_STATUS.get(request.target) if due_at else None
    fields["overdue"] = False
    fields.update(_placement(report, request.target, due_at, review_pending, now, agency, kelurahan_code))
    entry = _history(request.target, now, actor, f"history_{rule.action}", request.note, **note_params)
    actions = _set_all(fields) + [ReportModel.history.set(ReportModel.history.append([entry]))]
    try:
        store.update_versioned(report, actions)
    except store.ConditionFailed:
        current = store.get(report.id)
        allowed_now = lifecycle.allowed_targets(current.status, actor.role, bool(current.review_pending)) \
            if current else []
        raise lifecycle.IllegalTransition(current.status if current else "?", request.target, allowed_now) from None
    publish_event(report, "status_changed", actor)
    return report, region


def _original(duplicate_of: str, report: ReportModel) -> ReportModel:
    try:
        rules.check_report_id(duplicate_of)
    except NotFound:
        raise Unprocessable("duplicate_of_invalid") from None
    if duplicate_of == report.id:
        raise Unprocessable("duplicate_of_invalid")
    original = store.get(duplicate_of)
    if original is None or original.region_id != report.region_id:
        raise Unprocessable("duplicate_of_invalid")
    return original


def add_note(report_id: str, body: contract.NoteRequest, actor: Identity) -> tuple[ReportModel, RegionConfig]:
    note = body.note
    report, region = load_for_staff(report_id, actor)
    if not in_scope(report, actor, following=True):
        raise Forbidden("not_your_report")
    now = rules.iso_utc(rules.now_utc())
    entry = _history(report.status, now, actor, "history_note", note)
    try:
        store.update_versioned(report, [ReportModel.history.set(ReportModel.history.append([entry])),
                                        ReportModel.updated_at.set(now)])
    except store.ConditionFailed:
        raise Conflict("concurrent_update") from None
    return report, region


def rate(report_id: str, body: contract.RatingRequest, actor: Identity) -> tuple[ReportModel, RegionConfig]:
    rating = lifecycle.Rating(body.stars, body.comment)
    report = load(report_id)
    if actor.role != "citizen" or report.reporter_id != actor.sub:
        raise Forbidden("not_reporter")
    if report.status != "done":
        raise Conflict("not_done")
    cycle = int(report.reopen_count or 0)
    if any(int(r.get("cycle", 0)) == cycle for r in report.ratings):
        raise Conflict("already_rated")
    region = regions.get_region(report.region_id)
    now = rules.iso_utc(rules.now_utc())
    record = {"stars": rating.stars, "comment": rating.comment, "at": now, "cycle": cycle}
    actions = [ReportModel.ratings.set(ReportModel.ratings.append([record])), ReportModel.updated_at.set(now)]
    if rating.low:
        placement = _placement(report, report.status, None, True, now)
        actions += [ReportModel.review_pending.set(True), ReportModel.queue_key.set(placement["queue_key"])]
        entry = rules.history_entry(report.status, now, "history_rated_low", actor="reporter", stars=rating.stars)
    else:
        entry = rules.history_entry(report.status, now, "history_rated", actor="reporter", stars=rating.stars)
    actions.append(ReportModel.history.set(ReportModel.history.append([entry])))
    try:
        store.update_versioned(report, actions)
    except store.ConditionFailed:
        raise Conflict("concurrent_update") from None
    return report, region


# --- SLA ----------------------------------------------------------------------

def mark_overdue(now: datetime | None = None) -> int:
    """Flag open reports whose deadline has passed and put them on the
    escalation list of the agency head (or of the verification desk)."""
    moment = now or rules.now_utc()
    cutoff = rules.iso_utc(moment)
    count = 0
    for report in store.due_before(cutoff):
        stage = report.due_stage or sla.STAGE_OF_STATUS.get(report.status, "")
        entry = rules.history_entry(report.status, cutoff, "history_overdue", actor="system",
                                    due=rules.local_iso(report.due_at, regions.get_region(report.region_id)),
                                    stage=i18n.message(f"sla_stage_{stage}", "id"),
                                    stage_en=i18n.message(f"sla_stage_{stage}", "en"))
        try:
            store.update_versioned(report, [
                ReportModel.overdue.set(True),
                ReportModel.overdue_count.set(ReportModel.overdue_count + 1),
                ReportModel.overdue_key.set(overdue_key(report.region_id, report.status, report.agency)),
                ReportModel.due_shard.remove(),
                ReportModel.history.set(ReportModel.history.append([entry])),
            ])
            count += 1
        except store.ConditionFailed:
            continue  # changed meanwhile: its new stage has a new clock
    if count:
        log.info("marked %d reports overdue", count)
    return count


# --- queues and inboxes -------------------------------------------------------

def _paged(index: Any, key: str, page: PageQuery, newest_first: bool = False,
           filter_condition: Any = None) -> tuple[list[ReportModel], str | None]:
    try:
        return store.page(index, key, page.limit, page.cursor, newest_first, filter_condition=filter_condition)
    except store.BadCursor:
        raise InvalidInput("invalid_cursor") from None


def verification_queue(region_id: str, actor: Identity,
                       params: contract.QueueQuery) -> tuple[list[ReportModel], str | None]:
    region = regions.get_region(region_id)
    if actor.role not in ("verifier", "region_admin", "platform_admin"):
        raise Forbidden("forbidden")
    if not actor.in_region(region.region_id):
        raise Forbidden("other_region")
    return _paged(ReportModel.queue, f"{region.region_id}#{params.queue}", params)


INBOX_STATUSES = ("verified", "in_process", "done")


def inbox(actor: Identity, params: contract.InboxQuery) -> tuple[list[ReportModel], str | None]:
    if actor.role not in ("officer", "agency_head"):
        raise Forbidden("forbidden")
    region = actor.region_id
    if params.assigned == "me":
        return _paged(ReportModel.by_assignee, actor.sub, params, newest_first=True)
    if params.audits:
        # the inspectorate: every citizen audit of a public works project
        if not actor.agency:
            raise Forbidden("no_agency")
        return _paged(ReportModel.audits, f"{region}#{actor.agency}", params, newest_first=True)
    status = params.status
    if params.overdue:
        if actor.kelurahan_code:
            return _paged(ReportModel.kelurahan_inbox, f"{region}#{actor.kelurahan_code}#{status}", params,
                          filter_condition=ReportModel.overdue == True)  # noqa: E712
        return _paged(ReportModel.overdue_index, f"{region}#{actor.agency}", params)
    if actor.kelurahan_code:
        return _paged(ReportModel.kelurahan_inbox, f"{region}#{actor.kelurahan_code}#{status}", params)
    if not actor.agency:
        raise Forbidden("no_agency")
    return _paged(ReportModel.agency_inbox, f"{region}#{actor.agency}#{status}", params)


def my_reports(actor: Identity, params: PageQuery) -> tuple[list[ReportModel], str | None]:
    if actor.role != "citizen":
        raise Forbidden("forbidden")
    return _paged(ReportModel.by_reporter, actor.sub, params, newest_first=True)
