"""The staff workflow: verify, take, finish, reject, reopen; notes; ratings;
the SLA sweep; the queues and inboxes staff work from.

Each change follows one shape: the domain plans it without reading the
report (``chalicelib.domain.workflow``), the store applies it as one
conditional write that returns the report as it now is, and a transition
sends one message to the dispatch queue, whose worker delivers the report
to its agency and notifies the reporter.  AWS calls: a transition 2
(``UpdateItem``, ``SendMessage``; marking a duplicate also reads the
original), a note or a rating 1.  Only a failed condition reads the report
(one ``GetItem``) to say why: 404, 403 or 409.  Two officers taking the same
report at once: the second one's condition (status ``verified``) fails, 409.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Callable

from .. import resources
from ..adapters import aws
from ..auth.identity import Identity
from ..contract import reports as contract
from ..contract.common import PageQuery
from ..domain import lifecycle
from ..domain import reports as rules
from ..domain import workflow as plans
from ..domain.errors import AppError, Conflict, Forbidden, InvalidInput, NotFound, Unprocessable
from ..domain.regions import RegionConfig
from ..store import reports as store
from ..store.models import ReportModel
from . import regions

log = logging.getLogger(__name__)
PAGE_DEFAULT, PAGE_MAX = 20, 100


def in_scope(report: ReportModel, actor: Identity, following: bool = False) -> bool:
    """Field staff act on their agency's reports, or their kelurahan's (with
    ``following``, also on the ones their agency follows: notes only)."""
    return plans.in_scope(report, actor, following)


def _apply(report_id: str, change: plans.Change | None,
           refusal: Callable[[ReportModel | None], AppError]) -> ReportModel:
    """Apply the planned change; if no report could meet it, or this one did
    not, read the report once and raise the error ``refusal`` finds.  A
    report whose history on its item is full has its oldest entries moved to
    their own items, and the change is applied again."""
    current = None
    for _ in range(3):
        if change is None:
            break
        try:
            return store.apply(report_id, change)
        except store.ConditionFailed:
            current = store.get(report_id)
        if current is None or not plans.history_full(current):
            break
        store.compact_history(current, plans.compaction(current))
    raise refusal(current if change is not None else store.get(report_id))


def apply_read(report: ReportModel, plan: Callable[[ReportModel], plans.Change]) -> ReportModel:
    """Apply a change planned on the report as read (a hand-off, a forward,
    a point): one conditional write on that version.  A report whose history
    on its item is full has its oldest entries moved first and the change is
    planned again; a report changed meanwhile is a 409."""
    change = plan(report)
    if plans.history_full(report):
        store.compact_history(report, plans.compaction(report))
        report = store.get(report.id) or report
        change = plan(report)
    try:
        return store.apply(report.id, change)
    except store.ConditionFailed:
        raise Conflict("concurrent_update") from None


def publish_event(report: ReportModel, event: str, actor: Identity | None = None, strict: bool = False) -> None:
    """One message per change; a lost send is logged, the change stands
    (``strict``: raised, for a worker whose message SQS then redelivers)."""
    try:
        aws.send(resources.DISPATCH_QUEUE,
                 {"event": event, "report_id": report.id, "region_id": report.region_id,
                  "status": report.status, "version": int(report.version),
                  "actor": actor.sub if actor else None},
                 attributes={"region_id": report.region_id, "agency": report.agency or "", "event": event})
    except Exception:  # a lost send is logged: the change stands
        if strict:
            raise
        log.exception("event %s for report %s not sent", event, report.id)


# --- transitions --------------------------------------------------------------

def transition(report_id: str, body: contract.TransitionRequest, actor: Identity) -> tuple[ReportModel, RegionConfig]:
    request = lifecycle.check_transition(body)
    rules.check_report_id(report_id)
    # the actor's own region: the plan's condition pins the report to it
    region = regions.get_region(actor.region_id) if lifecycle.rule_for(request.target, actor.role) else None
    change = plans.plan_transition(report_id, request, actor, region, rules.now_utc())
    if change is not None and request.duplicate_of:
        _check_original(request.duplicate_of, actor.region_id)
    report = _apply(report_id, change, lambda current: plans.transition_refusal(report_id, current, request, actor))
    if change is not None and change.event:
        publish_event(report, change.event, actor)
    return report, region or regions.get_region(report.region_id)


def handoff(report_id: str, body: contract.HandoffRequest, actor: Identity) -> tuple[ReportModel, RegionConfig]:
    """Pass a report to another agency or kelurahan (one read, one
    conditional write, one message)."""
    rules.check_report_id(report_id)
    report = store.get(report_id)
    if report is None:
        raise NotFound("report_not_found", report_id=report_id)
    region = regions.get_region(report.region_id)
    request = plans.Handoff(agency=body.agency, kelurahan_code=body.kelurahan_code, reason=body.reason)
    updated = apply_read(report, lambda current: plans.plan_handoff(current, request, actor, region, rules.now_utc()))
    publish_event(updated, "status_changed", actor)
    return updated, region


def _check_original(duplicate_of: str, region_id: str) -> None:
    """The report a duplicate points to: another report of the same region
    (another item, so one read; the plan checked its id's form)."""
    original = store.get(duplicate_of)
    if original is None or original.region_id != region_id:
        raise Unprocessable("duplicate_of_invalid")


def add_note(report_id: str, body: contract.NoteRequest, actor: Identity) -> tuple[ReportModel, RegionConfig]:
    rules.check_report_id(report_id)
    change = plans.plan_note(body.note, actor, rules.now_utc())
    report = _apply(report_id, change, lambda current: plans.note_refusal(report_id, current, actor))
    return report, regions.get_region(report.region_id)


def rate(report_id: str, body: contract.RatingRequest, actor: Identity) -> tuple[ReportModel, RegionConfig]:
    rating = lifecycle.Rating(body.stars, body.comment)
    rules.check_report_id(report_id)
    change = plans.plan_rating(rating, actor, rules.now_utc())
    report = _apply(report_id, change, lambda current: plans.rating_refusal(report_id, current, actor))
    return report, regions.get_region(report.region_id)


# --- SLA ----------------------------------------------------------------------

def mark_overdue(now: datetime | None = None) -> int:
    """Flag open reports whose deadline has passed and put them on the
    escalation list of the agency head (or of the verification desk)."""
    moment = now or rules.now_utc()
    count = 0
    for report in store.due_before(rules.iso_utc(moment)):
        if plans.history_full(report):
            store.compact_history(report, plans.compaction(report))
            report = store.get(report.id) or report
        try:
            store.apply(report.id, plans.plan_overdue(report, regions.get_region(report.region_id), moment))
            count += 1
        except store.ConditionFailed:
            continue  # changed meanwhile: its new stage has a new clock
    if count:
        log.info("marked %d reports overdue", count)
    return count


# --- queues and inboxes -------------------------------------------------------

def _paged(read: Any, *args: Any, page: PageQuery) -> tuple[list[ReportModel], str | None]:
    try:
        return read(*args, page.limit, page.cursor)
    except store.BadCursor:
        raise InvalidInput("invalid_cursor") from None


def verification_queue(region_id: str, actor: Identity,
                       params: contract.QueueQuery) -> tuple[list[ReportModel], str | None]:
    region = regions.get_region(region_id)
    if actor.role not in plans.DESK_ROLES:
        raise Forbidden("forbidden")
    if not actor.in_region(region.region_id):
        raise Forbidden("other_region")
    return _paged(store.verification_queue, plans.queue_key(region.region_id, params.queue), page=params)


INBOX_STATUSES = ("verified", "in_process", "done")


def inbox(actor: Identity, params: contract.InboxQuery) -> tuple[list[ReportModel], str | None]:
    if actor.role not in ("officer", "agency_head"):
        raise Forbidden("forbidden")
    region = actor.region_id
    if params.assigned == "me":
        return _paged(store.assigned_to, actor.sub, page=params)
    if params.audits:
        # the inspectorate: every citizen audit of a public works project
        if not actor.agency:
            raise Forbidden("no_agency")
        return _paged(store.audits_followed_by, f"{region}#{actor.agency}", page=params)
    # one status of the agency's (or kelurahan's) inbox, by due time
    status = plans.inbox_at(params.status, "")
    if actor.kelurahan_code:
        return _paged(store.kelurahan_inbox, plans.kelurahan_key(region, actor.kelurahan_code), status,
                      bool(params.overdue), page=params)
    if not actor.agency:
        raise Forbidden("no_agency")
    if params.overdue:
        return _paged(store.agency_overdue, plans.agency_key(region, actor.agency), page=params)
    return _paged(store.agency_inbox, plans.agency_key(region, actor.agency), status, page=params)


def my_reports(actor: Identity, params: PageQuery) -> tuple[list[ReportModel], str | None]:
    if actor.role != "citizen":
        raise Forbidden("forbidden")
    return _paged(store.reported_by, actor.sub, page=params)
