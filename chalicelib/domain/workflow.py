"""The staff workflow's decisions: what a transition, a note, a rating or
the SLA sweep sets on a report, and under which condition, planned without
reading the report first.

A plan is a ``Change``: the attributes to set, what to append to the
report's lists, and the ``Condition`` the report must meet, as data.  The
store applies it as one conditional ``UpdateItem`` (which returns the
report as it now is); only when the condition fails does the service read
the report, once, and ask ``refusal`` which rule it broke, in the order the
API promises: 404 (unknown, or another region's), 403 (not in the actor's
scope), 409 (illegal transition), 403 (not the assignee), 409 (no evidence,
not routed yet).

Where a report shows up is part of each plan, so no index can disagree with
the status it summarises.  The index keys are laid out so that a write never
needs what it has not read (``chalicelib.resources.REPORTS``):

* ``agency_key`` = ``<region>#<agency>`` and ``kelurahan_key`` =
  ``<region>#<kelurahan>`` are the stable hash keys of the inboxes, written
  by the routing worker (which has the report in hand) and by a verifier's
  correction (which names the new agency or kelurahan);
* ``inbox_at`` = ``<status>#<due time>`` (``done#<closing time>``) is their
  range key: the part a transition changes, computed from the target
  status, the clock and the request.  Only dispatched reports have one, so
  the inboxes hold nothing else;
* the verification queue is ``<region>#waiting`` / ``<region>#review``
  (the region is the actor's: the condition pins it), removed when the
  report leaves the queue;
* a clock's deadline that depends on an earlier moment (finishing is due
  10 working days after *verification*) is fixed by the verification and
  stored (``resolve_due_at``, ``resolve_inbox_at``); taking the report
  copies it (``Copy``), as DynamoDB sets an attribute to another's value.
"""
from __future__ import annotations

import math
import zlib
from datetime import datetime
from typing import Any, Protocol

import msgspec

from . import i18n, lifecycle, roles, sla
from . import reports as rules
from .errors import AppError, Conflict, Forbidden, InvalidInput, NotFound, Unprocessable
from .geo.index import AreaIndex
from .regions import RegionConfig

SHARDS = 4
# A report's history on its item is bounded: a change appends an entry only
# while the item holds fewer than HISTORY_MAX; when it is full the service
# moves all but the HISTORY_KEPT most recent entries to their own items
# (``compaction``) and applies the change again.  With notes of at most
# 2,000 characters the item stays far below DynamoDB's 400 KB.
HISTORY_MAX = 40
HISTORY_KEPT = 10
# A report is reopened (after a low rating) at most REOPEN_MAX times: each
# cycle adds one rating to the item, so its ratings stay bounded too.
REOPEN_MAX = 10
DISPATCHED_STATUSES = ("verified", "in_process", "done")
# Who works on every report of their region (the verification desk and the
# region's administrators); field staff work on their agency's or kelurahan's.
DESK_ROLES = roles.DESK


def shard(prefix: str, report_id: str) -> str:
    return f"{prefix}#{zlib.crc32(report_id.encode()) % SHARDS}"


# --- who acts ------------------------------------------------------------------

class Actor(Protocol):
    """The signed-in account, as the workflow needs it (``auth.Identity``)."""

    @property
    def sub(self) -> str: ...
    @property
    def username(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def region_id(self) -> str: ...
    @property
    def agency(self) -> str | None: ...
    @property
    def kelurahan_code(self) -> str | None: ...
    @property
    def name(self) -> str | None: ...
    @property
    def is_staff(self) -> bool: ...
    def in_region(self, region_id: str) -> bool: ...


def _region_of(actor: Actor) -> str | None:
    """The region whose reports the actor works on; None: every region
    (a platform admin)."""
    return None if actor.role == "platform_admin" else actor.region_id


class Scope(msgspec.Struct, frozen=True):
    """The reports of its region an actor may work on."""

    everything: bool = False
    agency: str | None = None
    kelurahan_code: str | None = None
    # an agency that follows a report without working it (the inspectorate
    # on a citizen audit) may add notes, not move it
    watching: bool = False

    @property
    def empty(self) -> bool:
        return not (self.everything or self.agency or self.kelurahan_code)

    def admits(self, report: Any) -> bool:
        if self.everything:
            return True
        if self.kelurahan_code:
            return bool(report.kelurahan_code == self.kelurahan_code)
        if not self.agency:
            return False
        return report.agency == self.agency or (self.watching and self.agency in (report.watchers or []))


def scope_of(actor: Actor, following: bool = False) -> Scope:
    if actor.role in DESK_ROLES:
        return Scope(everything=True)
    if actor.kelurahan_code:
        return Scope(kelurahan_code=actor.kelurahan_code)
    if actor.agency:
        return Scope(agency=actor.agency, watching=following)
    return Scope()


def in_scope(report: Any, actor: Actor, following: bool = False) -> bool:
    return scope_of(actor, following).admits(report)


# --- a change, as data ---------------------------------------------------------

class Copy(msgspec.Struct, frozen=True):
    """The value another attribute of the same report holds (``default`` if
    it holds none)."""

    source: str
    default: Any


class IfAbsent(msgspec.Struct, frozen=True):
    """``value``, unless the attribute is already set."""

    value: Any


class Add(msgspec.Struct, frozen=True):
    amount: int


class Condition(msgspec.Struct, frozen=True):
    """What the report must be for the change to apply.  Every field left at
    its default asks nothing."""

    region_id: str | None = None  # the report's region (None: any region)
    statuses: tuple[str, ...] = ()  # its current status is one of these (): any
    review_pending: bool | None = None
    scope: Scope = msgspec.field(default_factory=lambda: Scope(everything=True))
    assignee: str | None = None  # taken by this account
    evidence: bool = False  # at least one evidence photo accepted
    routed: bool = False  # an agency proposed (its inbox key is stored)
    reporter_id: str | None = None  # reported by this account
    unrated: bool = False  # not yet rated in this cycle: len(ratings) <= reopen_count
    version: int | None = None  # unchanged since it was read (the sweep's reports)
    history_room: bool = True  # its history on the item holds fewer than HISTORY_MAX entries
    reopens_below: int | None = None  # reopened fewer times than this
    unrouted: bool = False  # not routed yet (the routing worker's write)

    @property
    def satisfiable(self) -> bool:
        return not self.scope.empty


class Change(msgspec.Struct, frozen=True):
    """The attributes to set (``None`` removes one; ``Copy``, ``IfAbsent``,
    ``Add`` as named), the entries appended to the report's lists, the
    condition, and the event published once it is applied."""

    fields: dict[str, Any]
    append: dict[str, list[dict[str, Any]]]
    condition: Condition
    event: str | None = None


# --- where a report shows up -----------------------------------------------------

def queue_key(region_id: str, queue: str) -> str:
    return f"{region_id}#{queue}"


def agency_key(region_id: str, agency: str) -> str:
    return f"{region_id}#{agency}"


def kelurahan_key(region_id: str, kelurahan_code: str) -> str:
    return f"{region_id}#{kelurahan_code}"


def inbox_at(status: str, at: str) -> str:
    """The inboxes' range key: by status, then by due (or closing) time."""
    return f"{status}#{at}"


def on_receipt(region_id: str, report_id: str, due_at: str | None) -> dict[str, Any]:
    """A new report's keys: in the verification queue, its clock running."""
    return {"queue_key": queue_key(region_id, "waiting"), **_clock(report_id, rules.INITIAL_STATUS, due_at, "")}


def on_routing(region_id: str, agency: str | None, kelurahan_code: str | None) -> dict[str, Any]:
    """The inbox hash keys the proposed routing gives the report; it joins
    the inboxes (``inbox_at``) only once verified."""
    return {"agency_key": agency_key(region_id, agency) if agency else None,
            "kelurahan_key": kelurahan_key(region_id, kelurahan_code) if kelurahan_code else None}


def _forwarded_to(region: RegionConfig, agency: str) -> dict[str, object]:
    agency_id, agency_en = region.agency_names(agency)
    return {"agency": agency_id, "agency_en": agency_en}


def prepared_notes(region: RegionConfig, agency: str | None) -> dict[str, dict[str, str]]:
    """The notes the routing entry prepares for later entries that cannot
    know them without reading the report: a verification that keeps the
    proposed agency forwards the report to it, by name."""
    if not agency:
        return {}
    return {"history_verified": i18n.both("history_verified", **_forwarded_to(region, agency))}


def _clock(report_id: str, status: str, due: str | Copy | None, now: str) -> dict[str, Any]:
    """The SLA clock and the inbox position of a report entering ``status``;
    a new stage starts with a fresh clock: no longer overdue or escalated."""
    running = status in lifecycle.OPEN_STATUSES and due is not None
    if running:
        position: Any = (Copy("resolve_inbox_at", inbox_at(status, due.default)) if isinstance(due, Copy)
                         else inbox_at(status, str(due)))
    else:
        position = inbox_at(status, now) if status in DISPATCHED_STATUSES else None
    return {
        "due_at": due if running else None,
        "due_stage": sla.STAGE_OF_STATUS.get(status) if running else None,
        "due_shard": shard("due", report_id) if running else None,
        "inbox_at": position if status in DISPATCHED_STATUSES else None,
        "overdue": False,
        "overdue_key": None,
    }


def overdue_key(region_id: str, status: str, agency: str | None) -> str:
    """Whose escalation list an overdue report joins: the agency head's once
    it is dispatched, the verification desk's before."""
    if status in DISPATCHED_STATUSES and agency:
        return f"{region_id}#{agency}"
    return f"{region_id}#verification"


# --- history ---------------------------------------------------------------------

def _entry(status: str | None, now: str, actor: Actor, note_code: str, comment: str | None = None,
           **params: object) -> dict[str, Any]:
    """A staff history entry.  ``status`` None: the status the report is in
    (a note's), which the store reads back from the entry before it."""
    entry = rules.history_entry(status or "", now, note_code, actor=actor.sub, **params)
    if status is None:
        del entry["status"]
    entry["actor_role"] = actor.role
    if comment:
        entry["comment"] = comment
    return entry


# --- plans -----------------------------------------------------------------------

def _iso(moment: datetime | None) -> str | None:
    return rules.iso_utc(moment) if moment else None


def on_map(region_id: str) -> Copy:
    """The public map's key a report gets once verified: its region, unless
    the report was kept off the map when it was created (``off_map``: a
    confidential report, or one with no point), which the plan need not read."""
    return Copy("off_map", region_id)


def off_map_key(region_id: str) -> str:
    """The map index key of a report kept off the public map: a partition the
    map never queries (region ids hold no ``#``)."""
    return f"{region_id}#off-map"


def plan_transition(report_id: str, request: lifecycle.TransitionRequest, actor: Actor,
                    region: RegionConfig | None, now: datetime) -> Change | None:
    """The change moving a report to ``request.target``, without knowing its
    current state: the rule for the target and the actor's role fixes the
    source status (``lifecycle.rule_for``), and what the rule requires is the
    condition.  None when no report could satisfy it (no rule lets this role
    reach this status, or field staff with neither agency nor kelurahan):
    only the report itself can then say which error applies.  ``region`` is
    the actor's own (the condition pins the report to it)."""
    rule = lifecycle.rule_for(request.target, actor.role)
    if rule is None or region is None:
        return None
    at = rules.iso_utc(now)
    target = request.target
    condition = Condition(
        region_id=region.region_id,
        statuses=(rule.source,),
        review_pending=True if rule.needs_review else None,
        scope=scope_of(actor),
        assignee=actor.sub if rule.needs_assignee and actor.role == "officer" else None,
        evidence=rule.needs_evidence,
    )
    if not condition.satisfiable:
        return None
    fields: dict[str, Any] = {"status": target, "updated_at": at, "queue_key": None}
    note_params: dict[str, object] = {}
    due: str | Copy | None = None

    if rule.action == "verified":
        fields.update(verified_at=at, routed_at=IfAbsent(at), unrouted_shard=None, map_key=on_map(region.region_id))
        if request.agency:
            if request.agency not in region.agencies:
                raise InvalidInput("unknown_agency", agency=request.agency)
            fields.update(agency=request.agency, agency_key=agency_key(region.region_id, request.agency))
            note_params = _forwarded_to(region, request.agency)
        else:
            # the proposed agency: routed, its note prepared by the routing
            condition = msgspec.structs.replace(condition, routed=True)
        if request.kelurahan_code:
            place = region.kelurahan.get(request.kelurahan_code)
            if place is None:
                raise InvalidInput("unknown_kelurahan", kelurahan_code=request.kelurahan_code)
            fields.update(kelurahan_code=request.kelurahan_code, kelurahan=place[0], kecamatan_code=place[1],
                          kecamatan=place[2], out_of_area=False,
                          kelurahan_key=kelurahan_key(region.region_id, request.kelurahan_code))
        due = _iso(sla.deadline("verified", now, region.sla, region.tz)[1])
        resolve = _iso(sla.deadline("in_process", now, region.sla, region.tz)[1])
        fields.update(resolve_due_at=resolve, resolve_inbox_at=inbox_at("in_process", resolve) if resolve else None)
    elif rule.action == "rejected":
        fields["rejection_reason"] = request.reason
        labels = lifecycle.REJECT_REASON_LABELS[request.reason or ""]
        note_params = {"reason": labels["id"], "reason_en": labels["en"]}
    elif rule.action == "duplicate":
        original = request.duplicate_of or ""
        try:
            rules.check_report_id(original)
        except NotFound:
            raise Unprocessable("duplicate_of_invalid") from None
        if original == report_id:
            raise Unprocessable("duplicate_of_invalid")
        fields["duplicate_of"] = original
        note_params = {"original": original[:8]}
    elif rule.action == "taken":
        # taken_at starts the finishing clock of the performance figures
        fields.update(assignee=actor.sub, assignee_name=actor.name or actor.username, taken_at=at,
                      assignee_agency=actor.agency, assignee_kelurahan=actor.kelurahan_code)
        # due 10 working days after verification: fixed then, stored, copied here
        # (now only for a report verified before the deadline was stored)
        fallback = _iso(sla.deadline("in_process", now, region.sla, region.tz)[1])
        due = Copy("resolve_due_at", fallback)
    elif rule.action == "reopened":
        fields.update(reopen_count=Add(1), review_pending=False, reopened_at=at)
        condition = msgspec.structs.replace(condition, reopens_below=REOPEN_MAX)
        # in working days, an emergency too: the plan reads no report, and a reopen (after a low
        # rating) comes once the emergency itself is over
        due = _iso(sla.deadline("in_process", now, region.sla, region.tz)[1])
    elif rule.action in ("done", "closure_confirmed"):
        fields["review_pending"] = False
        if rule.action == "done":
            fields["done_at"] = at  # a later rating or note moves updated_at, not this

    fields.update(_clock(report_id, target, due, at))
    entry = _entry(target, at, actor, f"history_{rule.action}", request.note, **note_params)
    if rule.action == "verified" and not request.agency:
        del entry["note"]  # the routing entry's prepared note (``prepared_notes``)
    if rule.action == "taken":  # whose work it is, for the figures (an agency's officers, or a desa's)
        entry["by"] = {"agency": actor.agency, "kelurahan_code": actor.kelurahan_code}
    return Change(fields, {"history": [entry]}, condition, event="status_changed")


def plan_emergency_routing(report_id: str, routing: dict[str, Any], entry: dict[str, Any], region: RegionConfig,
                           now: datetime) -> Change:
    """The routing of a report in an emergency category
    (``emergencies.is_emergency``): it skips the verification queue.  One
    conditional write routes it (``routing``, the routing ``entry``) and
    verifies it for the agency routing proposed, on the clocks in hours
    around the clock, with a second entry saying it was dispatched at once;
    the condition is that it still waits and was never routed, so a
    redelivered routing message (or a verifier who rejected it in the
    meantime) changes nothing.  The dispatch worker then alerts the agency's
    responder (``services.emergencies``)."""
    at = rules.iso_utc(now)
    due = _iso(sla.deadline("verified", now, region.sla, region.tz, emergency=True)[1])
    resolve = _iso(sla.deadline("in_process", now, region.sla, region.tz, emergency=True)[1])
    fields: dict[str, Any] = {
        **routing, "routed_at": at, "updated_at": at, "unrouted_shard": None, "emergency": True,
        "status": "verified", "verified_at": at, "queue_key": None, "map_key": on_map(region.region_id),
        "resolve_due_at": resolve, "resolve_inbox_at": inbox_at("in_process", resolve) if resolve else None,
        **_clock(report_id, "verified", due, at)}
    agency_id, agency_en = region.agency_names(routing.get("agency"))
    dispatched = rules.history_entry("verified", at, "history_emergency_dispatched", agency=agency_id,
                                     agency_en=agency_en)
    condition = Condition(region_id=region.region_id, statuses=(rules.INITIAL_STATUS,), unrouted=True)
    return Change(fields, {"history": [entry, dispatched]}, condition, event="status_changed")


class Handoff(msgspec.Struct, frozen=True):
    """A hand-off as asked (``contract.HandoffRequest``)."""
    agency: str | None
    kelurahan_code: str | None
    reason: str


def plan_handoff(report: Any, request: Handoff, actor: Actor, region: RegionConfig, now: datetime) -> Change:
    """Pass a verified or in-process report to another agency and/or
    kelurahan of its region (*disposisi*).  Decided on the report as read (a
    hand-off is rare, and its history entry names the holder it leaves:
    the figures charge each stage to the holder of the moment), applied on
    the condition that the report is still at that version.  It waits to be
    taken by the new holder, whose clocks start now; the officer who had
    taken it is released.  Officers pass what is verified in their scope, or
    what they took; agency heads and the desk anything in their scope."""
    if _hidden(report, actor) or report.region_id != region.region_id:
        raise NotFound("report_not_found", report_id=str(getattr(report, "id", ""))[:64])
    if not in_scope(report, actor):
        raise Forbidden("not_your_report")
    if report.status not in ("verified", "in_process"):
        raise Conflict("handoff_not_open")
    if actor.role == "officer" and report.status == "in_process" and report.assignee != actor.sub:
        raise Forbidden("not_assignee")
    if not request.agency and not request.kelurahan_code:
        raise InvalidInput("handoff_needs_target")
    agency = request.agency or report.agency
    if agency not in region.agencies:
        raise InvalidInput("unknown_agency", agency=str(request.agency)[:64])
    kelurahan_code = request.kelurahan_code or report.kelurahan_code
    place = region.kelurahan.get(kelurahan_code or "") if kelurahan_code else None
    if request.kelurahan_code and place is None:
        raise InvalidInput("unknown_kelurahan", kelurahan_code=request.kelurahan_code[:32])
    if agency == report.agency and kelurahan_code == report.kelurahan_code:
        raise InvalidInput("handoff_same_holder")
    at = rules.iso_utc(now)
    fields: dict[str, Any] = {
        "status": "verified", "updated_at": at, "held_since": at, "assignee": None, "assignee_name": None,
        "assignee_agency": None, "assignee_kelurahan": None, "taken_at": None, "reopened_at": None,
        "agency": agency, "agency_key": agency_key(region.region_id, agency)}
    if place is not None and kelurahan_code:
        fields.update(kelurahan_code=kelurahan_code, kelurahan=place[0], kecamatan_code=place[1], kecamatan=place[2],
                      out_of_area=False, kelurahan_key=kelurahan_key(region.region_id, kelurahan_code))
    emergency = bool(getattr(report, "emergency", False))  # its new holder's clocks run in hours too
    due = _iso(sla.deadline("verified", now, region.sla, region.tz, emergency=emergency)[1])
    resolve = _iso(sla.deadline("in_process", now, region.sla, region.tz, emergency=emergency)[1])
    fields.update(resolve_due_at=resolve, resolve_inbox_at=inbox_at("in_process", resolve) if resolve else None)
    fields.update(_clock(report.id, "verified", due, at))
    agency_id, agency_en = region.agency_names(agency)
    holder, holder_en = agency_id, agency_en
    if request.kelurahan_code and place is not None:
        holder, holder_en = f"{agency_id} ({place[0]})", f"{agency_en} ({place[0]})"
    entry = _entry("verified", at, actor, "history_handed_off", request.reason, holder=holder, holder_en=holder_en)
    entry["handoff"] = {
        "from": {"agency": report.agency, "kelurahan_code": report.kelurahan_code,
                 "kecamatan_code": report.kecamatan_code, "status": report.status,
                 "assignee": report.assignee, "assignee_name": report.assignee_name},
        "to": {"agency": agency, "kelurahan_code": kelurahan_code,
               "kecamatan_code": place[1] if place else report.kecamatan_code}}
    condition = Condition(region_id=region.region_id, version=int(report.version))
    return Change(fields, {"history": [entry]}, condition, event="status_changed")


def plan_forward(report: Any, partner_id: str, partner_name: str, reason: str, actor: Actor, region: RegionConfig,
                 now: datetime) -> Change:
    """"Not our authority" (*bukan wewenang*): the desk forwards a waiting or
    verified report to a partner system (LAPOR! in practice), which takes it
    over.  Closed here as ``forwarded``: out of every queue and inbox, its
    clocks stopped; the partner's tracking id (``partner_ref``) stays.  The
    partner receives the report through its webhook (``report.forwarded``,
    from the reports stream: ``domain.webhooks``).  Decided on the report
    as read, applied if it is still at that version."""
    if _hidden(report, actor) or report.region_id != region.region_id:
        raise NotFound("report_not_found", report_id=str(getattr(report, "id", ""))[:64])
    if actor.role not in lifecycle.FORWARD_ROLES:
        raise Forbidden("forbidden")
    if report.status not in lifecycle.FORWARD_SOURCES:
        raise Conflict("forward_not_open")
    at = rules.iso_utc(now)
    fields: dict[str, Any] = {
        "status": "forwarded", "updated_at": at, "forwarded_to": partner_id, "forwarded_at": at,
        "queue_key": None, "unrouted_shard": None, "review_pending": False, **_clock(report.id, "forwarded", None, at)}
    entry = _entry("forwarded", at, actor, "history_forwarded", reason, partner=partner_name)
    condition = Condition(region_id=region.region_id, statuses=lifecycle.FORWARD_SOURCES, version=int(report.version))
    return Change(fields, {"history": [entry]}, condition, event="status_changed")


# Where the desk may set a report's point: while it is open.  Done, rejected,
# duplicate and forwarded reports keep theirs (their figures are counted).
LOCATION_STATUSES = lifecycle.OPEN_STATUSES


def plan_location(report: Any, lat: float, lon: float, note: str | None, actor: Actor, region: RegionConfig,
                  areas: AreaIndex, now: datetime) -> Change:
    """The desk sets (or corrects) a report's point: a partner's or an SMS
    report placed by its desa code alone has none, so it is on no map.
    Decided on the report as read (the map key it needs depends on its
    status and confidentiality), applied if it is still at that version.

    The point must be a finite WGS84 position inside one of the region's
    desa/kelurahan (the routing index).  While the report waits for
    verification the point re-places it: its desa and kecamatan (and the
    desa inbox key) become the point's, as routing by point would have
    proposed; the agency (routing by category) is unchanged.  Once
    verified, the desa a report is counted in changes only by a hand-off
    (``plan_handoff``, which the figures replay), so a point in another desa
    is refused (422) naming it.  A report in a final status is not moved
    (409).  It joins the public map as a report created with a point would:
    its ``off_map`` key goes (unless it is confidential) and a verified one
    gets its region as map key."""
    if _hidden(report, actor) or report.region_id != region.region_id:
        raise NotFound("report_not_found", report_id=str(getattr(report, "id", ""))[:64])
    if actor.role not in DESK_ROLES:
        raise Forbidden("forbidden")
    if report.status not in LOCATION_STATUSES:
        raise Conflict("location_closed", status=report.status)
    for name, value, bound in (("lat", lat, 90), ("lon", lon, 180)):  # the contract checked it; the domain holds
        if not (isinstance(value, (int, float)) and math.isfinite(value) and -bound <= value <= bound):
            raise InvalidInput("out_of_range", field=name, min=-bound, max=bound)
    lat, lon = rules.coordinate(lat), rules.coordinate(lon)
    area = areas.locate(lon, lat)
    if area is None:
        raise Unprocessable("point_outside_region")
    at = rules.iso_utc(now)
    fields: dict[str, Any] = {"lat": lat, "lon": lon, "updated_at": at}
    if report.status == rules.INITIAL_STATUS:
        if report.routed_at is None:
            raise Conflict("location_not_routed")  # the routing worker would overwrite the place
        fields.update(kelurahan_code=area.kelurahan_code, kelurahan=area.kelurahan,
                      kecamatan_code=area.kecamatan_code, kecamatan=area.kecamatan, out_of_area=False,
                      hint_mismatch=False, kelurahan_key=kelurahan_key(region.region_id, area.kelurahan_code))
    elif area.kelurahan_code != report.kelurahan_code:
        raise Unprocessable("point_in_other_kelurahan", kelurahan=area.kelurahan, kecamatan=area.kecamatan,
                            current=report.kelurahan or "-")
    if not report.confidential:  # a confidential report stays off the map, point or not
        fields["off_map"] = None
        if report.status != rules.INITIAL_STATUS:
            fields["map_key"] = region.region_id
    entry = _entry(None, at, actor, "history_located", note, kelurahan=area.kelurahan, kecamatan=area.kecamatan)
    entry["located"] = {"from": report.kelurahan_code, "to": area.kelurahan_code}
    condition = Condition(region_id=region.region_id, statuses=(report.status,), version=int(report.version))
    return Change(fields, {"history": [entry]}, condition)


def plan_note(note: str, actor: Actor, now: datetime) -> Change | None:
    """A staff note in the history, in whatever status the report is."""
    condition = Condition(region_id=_region_of(actor), scope=scope_of(actor, following=True))
    if not condition.satisfiable:
        return None
    at = rules.iso_utc(now)
    return Change({"updated_at": at}, {"history": [_entry(None, at, actor, "history_note", note)]}, condition)


def plan_rating(rating: lifecycle.Rating, actor: Actor, now: datetime) -> Change | None:
    """The reporter's rating of a finished report, once per cycle (a
    reopened report may be rated again); 1–2 sends it back to the
    verifier's review queue.  Each cycle but the current one holds exactly
    one rating (only a low rating lets the verifier reopen), so "not yet
    rated" is ``len(ratings) <= reopen_count``."""
    if actor.role != "citizen":
        return None
    at = rules.iso_utc(now)
    condition = Condition(region_id=actor.region_id, statuses=("done",), reporter_id=actor.sub, unrated=True)
    fields: dict[str, Any] = {"updated_at": at}
    if rating.low:
        fields.update(review_pending=True, queue_key=queue_key(actor.region_id, "review"))
    code = "history_rated_low" if rating.low else "history_rated"
    entry = rules.history_entry("done", at, code, actor="reporter", stars=rating.stars)
    record = {"stars": rating.stars, "comment": rating.comment, "at": at}
    return Change(fields, {"ratings": [record], "history": [entry]}, condition)


def plan_overdue(report: Any, region: RegionConfig, now: datetime) -> Change:
    """The SLA sweep found ``report`` past its deadline: flag it and put it
    on the escalation list, unless it changed since the sweep read it."""
    at = rules.iso_utc(now)
    stage = report.due_stage or sla.STAGE_OF_STATUS.get(report.status, "")
    entry = rules.history_entry(report.status, at, "history_overdue", actor="system",
                                due=rules.local_iso(report.due_at, region),
                                stage=i18n.message(f"sla_stage_{stage}", "id"),
                                stage_en=i18n.message(f"sla_stage_{stage}", "en"))
    fields = {"overdue": True, "overdue_count": Add(1), "due_shard": None,
              "overdue_key": overdue_key(report.region_id, report.status, report.agency)}
    return Change(fields, {"history": [entry]}, Condition(version=int(report.version)))


# --- the history's bound ----------------------------------------------------------

def history_full(report: Any) -> bool:
    return len(report.history or []) >= HISTORY_MAX


class Compaction(msgspec.Struct, frozen=True):
    """Move the oldest entries of a full history to their own items:
    ``archived`` (oldest first, numbered from ``first``) and the ``kept``
    entries that stay on the item.  Both are complete as read (each with its
    status and note); the notes earlier entries prepared for later ones
    travel on the first kept entry."""

    first: int
    archived: list[dict[str, Any]]
    kept: list[dict[str, Any]]


def compaction(report: Any) -> Compaction:
    entries = [dict(entry) for entry in report.history]
    cut = max(len(entries) - HISTORY_KEPT, 0)
    archived, kept = entries[:cut], entries[cut:]
    prepared: dict[str, Any] = {}
    for entry in archived:
        prepared.update(entry.pop("prepared", None) or {})
    if kept and prepared:
        kept[0] = {**kept[0], "prepared": {**prepared, **(kept[0].get("prepared") or {})}}
    return Compaction(int(report.history_archived or 0), archived, kept)


# --- why a condition failed ------------------------------------------------------

def _hidden(report: Any, actor: Actor) -> bool:
    """Staff see only their region's reports: another region's is unknown."""
    return report is None or not actor.is_staff or not actor.in_region(report.region_id)


def transition_refusal(report_id: str, report: Any, request: lifecycle.TransitionRequest,
                       actor: Actor) -> AppError:
    """Which rule the report (as read after the write failed; None if it
    does not exist) breaks."""
    if _hidden(report, actor):
        return NotFound("report_not_found", report_id=report_id)
    if not in_scope(report, actor):
        return Forbidden("not_your_report")
    allowed = lifecycle.allowed_targets(report.status, actor.role, bool(report.review_pending))
    if request.target not in allowed:
        return lifecycle.IllegalTransition(report.status, request.target, allowed)
    rule = lifecycle.rule_for(request.target, actor.role)
    if rule is not None and rule.needs_assignee and actor.role == "officer" and report.assignee != actor.sub:
        return Forbidden("not_assignee")
    if rule is not None and rule.needs_evidence and not report.evidence_ids:
        return Conflict("evidence_required")
    if request.target == "verified" and not request.agency and not report.agency_key:
        return Conflict("not_routed_yet")
    if rule is not None and rule.action == "reopened" and int(report.reopen_count or 0) >= REOPEN_MAX:
        return Conflict("reopen_limit", limit=REOPEN_MAX)
    return Conflict("concurrent_update")  # it changed between the write and the read


def note_refusal(report_id: str, report: Any, actor: Actor) -> AppError:
    if _hidden(report, actor):
        return NotFound("report_not_found", report_id=report_id)
    if not in_scope(report, actor, following=True):
        return Forbidden("not_your_report")
    return Conflict("concurrent_update")


def rating_refusal(report_id: str, report: Any, actor: Actor) -> AppError:
    if report is None:
        return NotFound("report_not_found", report_id=report_id)
    if actor.role != "citizen" or report.reporter_id != actor.sub or report.region_id != actor.region_id:
        return Forbidden("not_reporter")
    if report.status != "done":
        return Conflict("not_done")
    if len(report.ratings or []) > int(report.reopen_count or 0):
        return Conflict("already_rated")
    return Conflict("concurrent_update")
