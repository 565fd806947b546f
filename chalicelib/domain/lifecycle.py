"""The report lifecycle: which status may follow which, and who may move it.

    waiting ──verify──▶ verified ──take──▶ in_process ──finish──▶ done
       │                                       ▲                   │
       ├──reject──▶ rejected                   └──────reopen───────┤ (verifier, after a rating of 1–2)
       └──mark duplicate──▶ duplicate                 confirm ◀────┘ (verifier keeps it done)
    waiting, verified ──forward (the desk: not our authority)──▶ forwarded

Given the target status and the actor's role, the source status is unique
(``rule_for``), so a transition is one conditional write whose condition
*is* this table (``domain.workflow.plan_transition``): no read is needed
first, and two officers racing to take the same report cannot both win (the
loser's condition fails: 409).
"""
from __future__ import annotations

from typing import Any

import msgspec

from .errors import AppError, InvalidInput

STATUS_LABELS: dict[str, dict[str, str]] = {
    "waiting": {"id": "Menunggu", "en": "Waiting"},
    "verified": {"id": "Terverifikasi", "en": "Verified"},
    "in_process": {"id": "Diproses", "en": "In process"},
    "done": {"id": "Selesai", "en": "Done"},
    "rejected": {"id": "Ditolak", "en": "Rejected"},
    "duplicate": {"id": "Laporan ganda", "en": "Duplicate"},
    "forwarded": {"id": "Diteruskan", "en": "Forwarded"},
}
OPEN_STATUSES = ("waiting", "verified", "in_process")
# "Not our authority" (bukan wewenang): the desk forwards a waiting or
# verified report to a partner system outside the region (LAPOR! in practice,
# ``domain.workflow.plan_forward``); ``forwarded`` is closed for good here
# (Open311 ``closed``), like rejected and duplicate: its clocks stop.
FORWARD_SOURCES = ("waiting", "verified")
FORWARD_ROLES = ("verifier", "region_admin", "platform_admin")  # roles.DESK
REJECT_REASONS = ("spam", "duplicate", "outside_region", "not_actionable")
REJECT_REASON_LABELS = {
    "spam": {"id": "spam", "en": "spam"},
    "duplicate": {"id": "laporan ganda", "en": "a duplicate of another report"},
    "outside_region": {"id": "di luar wilayah", "en": "outside the region"},
    "not_actionable": {"id": "tidak dapat ditindaklanjuti", "en": "not actionable"},
}
FIELD_ROLES = ("officer", "agency_head")


class Rule(msgspec.Struct, frozen=True):
    source: str
    target: str
    roles: tuple[str, ...]
    action: str  # names the history note: history_<action>
    needs_review: bool = False  # only while a low rating awaits the verifier
    needs_assignee: bool = False  # only the officer who took it
    needs_evidence: bool = False  # at least one evidence photo accepted


RULES: tuple[Rule, ...] = (
    Rule("waiting", "verified", ("verifier",), "verified"),
    Rule("waiting", "rejected", ("verifier",), "rejected"),
    Rule("waiting", "duplicate", ("verifier",), "duplicate"),
    Rule("verified", "in_process", FIELD_ROLES, "taken"),
    Rule("in_process", "done", FIELD_ROLES, "done", needs_assignee=True, needs_evidence=True),
    Rule("done", "in_process", ("verifier",), "reopened", needs_review=True),
    Rule("done", "done", ("verifier",), "closure_confirmed", needs_review=True),
)


class IllegalTransition(AppError):
    status = 409

    def __init__(self, current: str, target: str, allowed: list[str]) -> None:
        super().__init__("illegal_transition", current=current, target=target,
                         allowed=", ".join(allowed) or "-")
        self.details = {"current_status": current, "allowed_transitions": allowed}


def rule_for(target: str, role: str) -> Rule | None:
    """The one rule by which ``role`` may move a report to ``target``."""
    for rule in RULES:
        if rule.target == target and role in rule.roles:
            return rule
    return None


def allowed_targets(current: str, role: str, review_pending: bool = False) -> list[str]:
    return [r.target for r in RULES
            if r.source == current and role in r.roles and (review_pending or not r.needs_review)]


class TransitionRequest(msgspec.Struct, frozen=True):
    target: str
    note: str | None
    agency: str | None = None
    kelurahan_code: str | None = None
    reason: str | None = None
    duplicate_of: str | None = None


NOTE_MAX = 2000


def check_transition(request: Any) -> TransitionRequest:
    """Which fields go with which target (types and lengths are checked at
    the edge): ``agency``/``kelurahan_code`` only when verifying, ``reason``
    exactly when rejecting, ``duplicate_of`` exactly when marking a duplicate."""
    target = request.to
    if target != "verified" and (request.agency or request.kelurahan_code):
        raise InvalidInput("field_not_for_transition", field="agency" if request.agency else "kelurahan_code")
    if target == "rejected":
        if request.reason is None:
            raise InvalidInput("missing_field", field="reason")
    elif request.reason is not None:
        raise InvalidInput("field_not_for_transition", field="reason")
    if target == "duplicate":
        if request.duplicate_of is None:
            raise InvalidInput("missing_field", field="duplicate_of")
    elif request.duplicate_of is not None:
        raise InvalidInput("field_not_for_transition", field="duplicate_of")
    return TransitionRequest(target=target, note=request.note, agency=request.agency,
                             kelurahan_code=request.kelurahan_code, reason=request.reason,
                             duplicate_of=request.duplicate_of)


class Rating(msgspec.Struct, frozen=True):
    stars: int
    comment: str | None

    @property
    def low(self) -> bool:
        return self.stars <= 2
