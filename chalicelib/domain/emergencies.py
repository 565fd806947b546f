"""Emergencies: the categories a region marks ``emergency`` (fire, disaster,
medical) skip the verification queue and reach their agency's responder at
once (Damkar, BPBD, PSC 119).

What is decided here, without any AWS:

* whether a report's category is an emergency (``is_emergency``): the
  routing worker asks, since every channel's report is routed there, with
  the region's category table in hand;
* an agency's responder contact (``Responder``): an SMS to a duty phone (an
  Indonesian mobile number, as ``domain.phones`` texts), an SNS topic
  named ``aduan-responder-…`` (the only topics the deployment may publish
  to besides its own), or a partner system's webhook (a partner id);
* what the responder is told (``alert``): the category, the place (desa,
  kecamatan, the reporter's free-text address, the coordinates), the
  description and the report's id.  Never who reported it: no name, phone
  or account, anonymous or not.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import msgspec

if TYPE_CHECKING:  # the region's tables hold the agencies' responders: ``domain.regions`` imports this module
    from .regions import RegionConfig

RESPONDER_KINDS = ("sms", "sns", "webhook")
# +62 8xx…: the numbers ``domain.phones`` may text (E.164, an Indonesian mobile)
SMS_PATTERN = r"^\+628[1-9][0-9]{7,11}$"
SMS_MAX = 16
# the deployment's role may publish to these topics only (infra/stack.py), in any account whose topic allows it
RESPONDER_TOPIC_PREFIX = "aduan-responder-"
TOPIC_ARN_PATTERN = (r"^arn:aws(-[a-z]+)*:sns:[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:"
                     + RESPONDER_TOPIC_PREFIX + r"[A-Za-z0-9_-]{1,200}$")  # the prefix: letters and hyphens
TOPIC_ARN_MAX = 300
PARTNER_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"
PARTNER_ID_MAX = 64
# what an SMS carries of the reporter's free text (a long SMS is several parts, each paid for)
DESCRIPTION_MAX = 300
ADDRESS_MAX = 120


class Responder(msgspec.Struct, frozen=True, omit_defaults=True):
    """Where an agency's emergencies go: ``to`` (sms), ``topic_arn`` (sns)
    or ``partner_id`` (webhook)."""

    kind: str
    to: str | None = None
    topic_arn: str | None = None
    partner_id: str | None = None

    @classmethod
    def from_record(cls, record: Any) -> "Responder | None":
        """The responder stored on an agency; None when there is none or it
        is malformed (an item edited by hand is never texted)."""
        if not record:
            return None
        try:
            responder = cls(kind=str(record.get("kind") or ""), to=record.get("to"),
                            topic_arn=record.get("topic_arn"), partner_id=record.get("partner_id"))
        except (AttributeError, TypeError):
            return None
        return responder if valid(responder) else None

    def as_record(self) -> dict[str, str]:
        return {name: value for name, value in msgspec.structs.asdict(self).items() if value is not None}


def valid(responder: Responder) -> bool:
    """The one address its kind needs, well formed, and nothing else."""
    given = {name for name in ("to", "topic_arn", "partner_id") if getattr(responder, name) is not None}
    if responder.kind == "sms":
        return given == {"to"} and len(responder.to or "") <= SMS_MAX and bool(re.match(SMS_PATTERN, responder.to or ""))
    if responder.kind == "sns":
        return (given == {"topic_arn"} and len(responder.topic_arn or "") <= TOPIC_ARN_MAX
                and bool(re.match(TOPIC_ARN_PATTERN, responder.topic_arn or "")))
    if responder.kind == "webhook":
        return (given == {"partner_id"} and len(responder.partner_id or "") <= PARTNER_ID_MAX
                and bool(re.match(PARTNER_ID_PATTERN, responder.partner_id or "")))
    return False


def is_emergency(region: RegionConfig, category: str | None) -> bool:
    """Whether a report of ``category`` is an emergency in ``region`` (an
    active category marked so; a retired or unknown one is not)."""
    found = region.categories.get(category or "")
    return bool(found is not None and found.active and found.emergency)


class Alert(msgspec.Struct, frozen=True):
    """What a responder is told: ``text`` (SMS, a topic's subscribers),
    ``attributes`` (a topic's message attributes, for filtering) and
    ``payload`` (a partner system's webhook)."""

    text: str
    attributes: dict[str, str]
    payload: dict[str, Any]


def _clip(value: str | None, limit: int) -> str:
    flat = " ".join((value or "").split())  # one line: no control characters, no line breaks
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def alert(report: Any, region: RegionConfig) -> Alert:
    """The responder's message about an emergency ``report`` (as stored)."""
    category = region.categories.get(report.category)
    name_id = category.name_id if category else report.category
    name_en = category.name_en if category else report.category
    point = report.lat is not None and report.lon is not None  # a partner's report may name only its desa
    lat = f"{float(report.lat):.7f}".rstrip("0").rstrip(".") if point else ""
    lon = f"{float(report.lon):.7f}".rstrip("0").rstrip(".") if point else ""
    place = ", ".join(part for part in (report.kelurahan, f"Kec. {report.kecamatan}" if report.kecamatan else None)
                      if part) or "di luar batas wilayah"
    address = _clip(report.address, ADDRESS_MAX)
    description = _clip(report.description, DESCRIPTION_MAX)
    agency_id, agency_en = region.agency_names(report.agency)
    text = (f"[DARURAT {region.name}] {name_id}. Lokasi: {place}" + (f"; {address}" if address else "")
            + (f". Peta: https://maps.google.com/?q={lat},{lon}" if point else "")
            + f" - {description} (Laporan {report.id})")
    attributes = {"report_id": report.id, "region_id": report.region_id, "category": report.category,
                  "agency": report.agency or "", "emergency": "true"}
    payload = {
        "event": "emergency", "report_id": report.id, "region_id": report.region_id,
        "category": report.category, "category_name": {"id": name_id, "en": name_en},
        "agency": report.agency, "agency_name": {"id": agency_id, "en": agency_en},
        "lat": float(report.lat) if point else None, "lon": float(report.lon) if point else None,
        "address": report.address or None,
        "kelurahan_code": report.kelurahan_code, "kelurahan": report.kelurahan,
        "kecamatan_code": report.kecamatan_code, "kecamatan": report.kecamatan,
        "description": report.description, "created_at": report.created_at, "due_at": report.due_at,
        "text": text,
    }
    return Alert(text=text, attributes=attributes, payload=payload)
