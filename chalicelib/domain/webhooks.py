"""Status back to partner systems: which change of a report is an event for
which partner, its id, its body, its signature, the retry schedule and the
addresses a webhook may never reach.

Events come from the reports table's stream (``workers/webhooks.py``): a
write of a report that came from a partner (``partner_id`` on the item) and
that changed its status or added a history entry is one event for that
partner; a report forwarded to a partner (``forwarded_to``) is one
``report.forwarded`` event for the partner it was forwarded to.

**Exactly once from the partner's point of view.**  The stream and the
queue deliver at least once, so an event may be sent twice; its id is
derived from what it is — the report, the position of the history entry
that made it (entries are numbered from the report's first, moved-off ones
included: ``position``), its kind and its partner — so a redelivered stream
record, a retried batch or a replayed stream all give the same id, and the
partner keeps the ids it has seen (``X-Aduan-Event-Id``) and drops the
repeats.  Distinct changes have distinct positions, so they never share an id.

**Signature** (Stripe's scheme): ``X-Aduan-Signature: t=<unix seconds>,v1=<hex
HMAC-SHA256(secret, "<t>.<body>")>``; a partner recomputes it over the raw
body and refuses a timestamp more than five minutes from its clock
(``verify_signature``), so a captured request cannot be replayed later.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time
import uuid
from typing import Any

import msgspec

from . import lifecycle
from .regions import RegionConfig
from .reports import local_iso

STATUS_CHANGED = "report.status_changed"
NOTE_ADDED = "report.note_added"
FORWARDED = "report.forwarded"
EMERGENCY = "emergency.dispatched"
EVENT_TYPES = (STATUS_CHANGED, NOTE_ADDED, FORWARDED, EMERGENCY)

EVENT_ID_HEADER = "X-Aduan-Event-Id"
TIMESTAMP_HEADER = "X-Aduan-Timestamp"
SIGNATURE_HEADER = "X-Aduan-Signature"
TOLERANCE_SECONDS = 300
# uuid5 namespace of the event ids (fixed: the ids must not change between releases)
_NAMESPACE = uuid.UUID("5d7f4c1e-9a57-4d43-9b6c-6a0d2b3e8f10")

# A failed delivery (5xx, 408, 429, timeout, connection error) is tried again
# after BACKOFF_BASE * 2^(attempt-1) seconds, at most BACKOFF_MAX, until the
# queue's maxReceiveCount dead-letters it: 1, 2, 4, 8, 16, 32, 60 minutes.
BACKOFF_BASE = 60
BACKOFF_MAX = 3600
RETRIED_STATUSES = (408, 429)


class Event(msgspec.Struct, frozen=True, kw_only=True):
    """One event for one partner, as queued (the body the partner receives
    is ``body``; ``photo_keys`` are signed into links at sending time)."""

    region_id: str
    partner_id: str
    event_id: str
    type: str
    occurred_at: str
    report: dict[str, Any]
    photo_keys: list[str] = []

    def body(self, photos: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        report = dict(self.report)
        if photos is not None:
            report["photos"] = photos
        return {"event_id": self.event_id, "type": self.type, "occurred_at": self.occurred_at, "report": report}


def message_group(event: Event) -> str:
    """The queue's order: one partner's events of one report, in order."""
    report = event.report.get("id") or event.report.get("report_id") or event.event_id
    return f"{event.partner_id}:{report}"[:128]


def event_id(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "#".join(str(p) for p in parts)))


def position(image: dict[str, Any]) -> int:
    """How many history entries the report has had (moved-off ones included):
    grows by one with every change, never with a compaction."""
    return int(image.get("history_archived") or 0) + len(image.get("history") or [])


def _latest_entry(image: dict[str, Any]) -> dict[str, Any]:
    history = image.get("history") or []
    return history[-1] if history and isinstance(history[-1], dict) else {}


def _local(value: Any, region: RegionConfig) -> str | None:
    return local_iso(value, region) if isinstance(value, str) and value else None


def report_body(image: dict[str, Any], region: RegionConfig) -> dict[str, Any]:
    """What every event says of the report: nothing about the reporter, no
    staff comment, no staff member; the public note of the change."""
    status = str(image["status"])
    labels = lifecycle.STATUS_LABELS.get(status, {"id": status, "en": status})
    agency = image.get("agency")
    agency_id, agency_en = region.agency_names(agency)
    note = _latest_entry(image).get("note")
    return {
        "id": str(image["id"]), "tracking_id": image.get("partner_ref"), "status": status,
        "status_label": {"id": labels["id"], "en": labels["en"]},
        "open311_status": "open" if status in lifecycle.OPEN_STATUSES else "closed",
        "agency": agency or None, "agency_name": {"id": agency_id, "en": agency_en} if agency else None,
        "note": {"id": str(note.get("id", "")), "en": str(note.get("en", ""))} if isinstance(note, dict) else None,
        "expected_datetime": _local(image.get("due_at"), region) if status in lifecycle.OPEN_STATUSES else None,
        "updated_at": _local(image.get("updated_at"), region),
    }


def public_photo_keys(image: dict[str, Any]) -> list[str]:
    """The photos the public may see (``services.reports.photo_is_public``):
    verified, not an emergency, not hidden by the desk."""
    if not image.get("verified_at") or image.get("emergency"):
        return []
    hidden = set(image.get("hidden_photos") or ())
    return [str(p["key"]) for p in image.get("photos") or [] if isinstance(p, dict) and p.get("id") not in hidden]


def forwarded_body(image: dict[str, Any], region: RegionConfig) -> dict[str, Any]:
    """A forwarded report whole, as the partner needs it to take it over: what
    was reported, where, the public photos (links added when sent), the
    partner's own tracking id and the reason.  Never the reporter's contact
    (their name, phone, email, account): the partner that sent the report
    knows its reporter by its tracking id; Aduan tells its own reporter that
    the report was forwarded and to whom."""
    category = region.categories.get(str(image.get("category")))
    entry = _latest_entry(image)
    return {
        **report_body(image, region),
        "category": image.get("category"),
        "category_name": {"id": category.name_id, "en": category.name_en} if category else None,
        "description": image.get("description"),
        "lat": float(image["lat"]) if image.get("lat") is not None else None,
        "lon": float(image["lon"]) if image.get("lon") is not None else None,
        "address": image.get("address"), "kelurahan_code": image.get("kelurahan_code"),
        "kelurahan": image.get("kelurahan"), "kecamatan_code": image.get("kecamatan_code"),
        "kecamatan": image.get("kecamatan"), "anonymous": bool(image.get("anonymous")),
        "created_at": _local(image.get("created_at"), region), "reason": entry.get("comment"),
        "channel": image.get("channel") or "app",
    }


def events(old: dict[str, Any] | None, new: dict[str, Any] | None, region: RegionConfig) -> list[Event]:
    """The events one write of a report makes (stream images, plain values).
    None for a creation (the partner made it, and has its answer), a removal,
    and a write that neither moved the status nor added an entry (photos,
    markers, a compaction)."""
    if old is None or new is None or "status" not in new:
        return []
    status_changed = old.get("status") != new.get("status")
    at = position(new)
    if not status_changed and at <= position(old):
        return []
    occurred = _local(new.get("updated_at"), region) or ""
    report_id, out = str(new["id"]), []
    source, target = new.get("partner_id"), new.get("forwarded_to")
    forwarded = status_changed and new.get("status") == "forwarded" and target
    if forwarded:
        out.append(Event(region_id=region.region_id, partner_id=str(target), type=FORWARDED, occurred_at=occurred,
                         event_id=event_id(report_id, at, FORWARDED, target), report=forwarded_body(new, region),
                         photo_keys=public_photo_keys(new)))
    if source and not (forwarded and source == target):
        kind = STATUS_CHANGED if status_changed else NOTE_ADDED
        out.append(Event(region_id=region.region_id, partner_id=str(source), type=kind, occurred_at=occurred,
                         event_id=event_id(report_id, at, kind, source), report=report_body(new, region)))
    return out


def emergency_event(region_id: str, partner_id: str, payload: dict[str, Any], occurred_at: str) -> Event:
    """An emergency alert for a responder's partner system: once per report
    and agency (the dispatcher marks it), the same id if it is sent again."""
    report_id = str(payload.get("report_id"))
    return Event(region_id=region_id, partner_id=partner_id, type=EMERGENCY, occurred_at=occurred_at,
                 event_id=event_id(report_id, "emergency", payload.get("agency"), partner_id), report=payload)


# --- signing ------------------------------------------------------------------------

def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return mac.hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify_signature(secret: str, header: str | None, body: bytes, tolerance: int = TOLERANCE_SECONDS,
                     now: float | None = None) -> bool:
    """What a partner runs on each request: the ``X-Aduan-Signature``
    header matches the raw body under its secret, and its timestamp is
    within ``tolerance`` seconds of now (a replayed request is refused)."""
    if not header or not secret:
        return False
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        name, _, value = item.strip().partition("=")
        parts.setdefault(name, []).append(value)
    try:
        timestamp = int(parts["t"][0])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in parts.get("v1", []))


# --- delivery -------------------------------------------------------------------------

def backoff(attempt: int, base: int = BACKOFF_BASE, cap: int = BACKOFF_MAX) -> int:
    """Seconds before the next try after ``attempt`` (1: the first) failed."""
    return int(min(cap, base * 2 ** max(attempt - 1, 0)))


def outcome(status: int) -> str:
    """``delivered`` (2xx), ``retry`` (5xx, 408, 429) or ``refused`` (any
    other 4xx: the partner will not take it; not retried).  A 3xx is not
    followed (a redirect could lead anywhere) and counts as refused."""
    if 200 <= status < 300:
        return "delivered"
    if status >= 500 or status in RETRIED_STATUSES:
        return "retry"
    return "refused"


def address_allowed(address: str, allow_loopback: bool = False) -> bool:
    """A webhook may reach only public addresses: never loopback, private,
    link-local (169.254.169.254, the instance metadata), carrier-grade NAT,
    multicast, reserved or unspecified ones, nor IPv4 ones hidden in IPv6.
    ``allow_loopback``: the local stack's own test receiver."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return allow_loopback
    return ip.is_global and not (ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_reserved
                                 or ip.is_unspecified)

