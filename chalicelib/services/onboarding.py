"""Region administration: onboarding a regency from its Kemendagri code,
its settings, its category table, its boundaries, and how a region is
shown.  Its six-month pilot is ``services.pilots``, its usage
``services.usage``.

The HTTP API (``chalicelib.api.regions``) and the operator's CLI
(``python -m tools.onboard``) both call these functions."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any, cast

import msgspec
from msgspec import UNSET

from ..adapters import notify
from ..auth.identity import Identity
from ..contract import regions as contract
from ..contract.common import I18nText
from ..domain import areas, pilot
from ..domain import questions as question_rules
from ..domain import regions as rules_regions
from ..domain import reports as rules
from ..domain.emergencies import Responder, valid
from ..domain.errors import Conflict, InvalidInput
from ..domain.questions import Question
from ..domain.regions import DEFAULT_AGENCIES, TIME_ZONES, Category, RegionConfig, default_categories
from ..domain.sla import DEFAULT_DAYS, DEFAULT_EMERGENCY_HOURS
from ..store import regions as region_store
from . import guards, regions


def new_region_record(region_id: str, regency: areas.Regency, time_zone: str, now: datetime,
                      trial_months: int = pilot.TRIAL_MONTHS) -> dict[str, Any]:
    tz = TIME_ZONES[time_zone]
    stamp = rules.iso_utc(now)
    return {
        "region_id": region_id,
        "name": regency.name,
        "kemendagri_code": regency.code,
        "time_zone": time_zone,
        "status": "trial",
        "categories": default_categories(),
        "agencies": [dict(a) for a in DEFAULT_AGENCIES],
        "areas": regency.areas(),
        "areas_source": areas.SOURCE,
        "boundaries_version": 0,
        "sla": {**DEFAULT_DAYS, **DEFAULT_EMERGENCY_HOURS},
        "trial_started_at": stamp,
        "trial_ends_at": rules.iso_utc(pilot.trial_end(now, trial_months, tz)),
        "reminders_sent": [],
        "audit": [{"action": "create", "actor": "system", "at": stamp, "from": None, "to": "trial"}],
        "created_at": stamp,
        "updated_at": stamp,
    }


def create_region(body: contract.NewRegion, actor: Identity) -> contract.Region:
    guards.require_platform_admin(actor)
    if not regions.REGION_ID.match(body.region_id):
        raise InvalidInput("invalid_region_id")
    regency = areas.regency(body.kemendagri_code)
    if regency is None:
        raise InvalidInput("unknown_kemendagri_code", kemendagri_code=body.kemendagri_code[:16])
    record = new_region_record(body.region_id, regency, body.time_zone or regency.time_zone, rules.now_utc(),
                               body.trial_months)
    if body.sla is not None:
        record["sla"] = _sla(body.sla)
    record["audit"][0]["actor"] = actor.sub
    try:
        region_store.create(record)
    except region_store.Exists:
        raise Conflict("region_exists", region_id=body.region_id) from None
    arn = notify.ensure_topic(body.region_id)
    region_store.set_topic(body.region_id, arn)
    return region_view(regions.get_region(body.region_id, fresh=True), actor)


def _sla(value: contract.SlaRequest) -> dict[str, int]:
    if value.emergency_resolve_hours < value.emergency_respond_hours:
        raise InvalidInput("emergency_hours_order")
    return {"verify": value.verify, "respond": value.respond, "resolve": value.resolve,
            "emergency_respond_hours": value.emergency_respond_hours,
            "emergency_resolve_hours": value.emergency_resolve_hours}


def _responder_view(responder: Responder | None) -> Any:
    """An agency's responder as the region's staff see it (the contract's
    tagged union); left out when it has none."""
    if responder is None:
        return UNSET
    return msgspec.convert(responder.as_record(), contract.Responder)


def _responder_record(given: Any, current: Responder | None) -> dict[str, str] | None:
    """The responder to store for an agency: the one sent (checked at the
    edge by kind), none for null, the agency's current one when left out."""
    if given is UNSET:
        return current.as_record() if current is not None else None
    if given is None:
        return None
    responder = Responder(kind=type(given).__struct_config__.tag, **msgspec.structs.asdict(given))
    if not valid(responder):  # the contract's patterns are the domain's: a safeguard
        raise InvalidInput("invalid_pattern", field="agencies.responder")
    return responder.as_record()


def region_view(region: RegionConfig, viewer: Identity | None) -> contract.Region:
    """The public sees name and status; the region's staff and platform
    admins also see the commercial fields, platform admins the audit trail."""
    tiles = region.map_tiles
    view = contract.Region(region_id=region.region_id, name=region.name, status=cast(Any, region.status),
                           kemendagri_code=region.kemendagri_code, time_zone=cast(Any, region.time_zone),
                           map_tiles=contract.MapTiles(url=tiles["url"], attribution=tiles["attribution"],
                                                       max_zoom=int(tiles["max_zoom"])) if tiles else None)
    if viewer is None or not viewer.is_staff or not viewer.in_region(region.region_id):
        return view
    record = region_store.get(region.region_id) or {}
    ends = record.get("trial_ends_at")
    started, activated = record.get("trial_started_at"), record.get("activated_at")
    view.trial_started_at = rules.local_iso(started, region) if started else None
    view.trial_ends_at = rules.local_iso(ends, region) if ends else None
    view.days_left = pilot.days_left(rules.parse_iso(ends), rules.now_utc()) if ends and region.status == "trial" else None
    view.activated_at = rules.local_iso(activated, region) if activated else None
    view.sla_days = contract.SlaDays(verify=region.sla.verify, respond=region.sla.respond, resolve=region.sla.resolve,
                                     emergency_respond_hours=region.sla.emergency_respond_hours,
                                     emergency_resolve_hours=region.sla.emergency_resolve_hours)
    view.boundaries_version = region.boundaries_version
    view.project_rules = contract.ProjectRules(**region.project_rules.as_dict())
    view.ocid_prefix = region.ocid_prefix
    view.agencies = [contract.Agency(code=a.code, name=I18nText(id=a.name_id, en=a.name_en),
                                     responder=_responder_view(a.responder))
                     for a in region.agencies.values()]
    if viewer.role == "platform_admin":
        view.audit = [_audit_entry(entry) for entry in record.get("audit") or []]
    return view


def _audit_entry(entry: dict[str, Any]) -> contract.AuditEntry:
    result = contract.AuditEntry(action=entry.get("action") or "", actor=entry.get("actor") or "",
                                 at=entry.get("at") or "", from_=entry.get("from"), to=entry.get("to"))
    if "note" in entry:
        result.note = entry["note"]
    if "trial_ends_at" in entry:
        result.trial_ends_at = entry["trial_ends_at"]
    return result


def areas_view(region: RegionConfig) -> contract.Areas:
    record = region_store.get(region.region_id) or {}
    return contract.Areas(
        region_id=region.region_id, kemendagri_code=region.kemendagri_code, source=record.get("areas_source"),
        attribution=areas.ATTRIBUTION,
        kecamatan=[contract.Kecamatan(code=k["code"], name=k["name"], kota_code=k.get("kota_code"),
                                      kota=k.get("kota"), kelurahan=[
            contract.Kelurahan(code=v["code"], name=v["name"], type=v["type"]) for v in k["kelurahan"]])
            for k in record.get("areas") or []])


def update_categories(region_id: str, body: contract.CategoriesRequest,
                      actor: Identity) -> contract.CategoriesReplaced:
    """Replace the category table.  A category is retired (``active``:
    false), never deleted, so old reports keep their labels and routing."""
    region = regions.get_region(region_id, fresh=True)
    guards.require_region_admin(actor, region.region_id)
    if not body.categories:
        raise InvalidInput("too_few", field="categories", min=1)
    retired = [old for old in region.categories.values() if old.code not in {c.code for c in body.categories}]
    if len(body.categories) + len(retired) > rules_regions.MAX_CATEGORIES:
        # retired categories stay (old reports keep their labels): the table only grows
        raise InvalidInput("too_many_categories", max=rules_regions.MAX_CATEGORIES)
    seen: set[str] = set()
    table: list[dict[str, Any]] = []
    for item in body.categories:
        if item.code in seen:
            raise InvalidInput("invalid_category_code", category=item.code)
        seen.add(item.code)
        if item.agency not in region.agencies:
            raise InvalidInput("unknown_agency", agency=item.agency[:40])
        table.append({"code": item.code, "name_id": item.name_id, "name_en": item.name_en, "agency": item.agency,
                      "team": item.team, "active": item.active, "emergency": item.emergency,
                      "questions": _questions(item.questions, region.categories.get(item.code))})
    for old in region.categories.values():
        if old.code not in seen:  # dropped from the list: kept, retired
            table.append({"code": old.code, "name_id": old.name_id, "name_en": old.name_en, "agency": old.agency,
                          "team": old.team, "active": False, "emergency": old.emergency,
                          "questions": [q.as_record() for q in old.questions]})
    question_rules.check_table({c["code"]: tuple(Question.from_record(q) for q in c["questions"]) for c in table})
    for category in table:
        if not category["questions"]:
            del category["questions"]
    stamp = rules.iso_utc(rules.now_utc())
    region_store.update(region.region_id, {"categories": table, "updated_at": stamp}, {},
                        audit={"action": "categories", "actor": actor.sub, "at": stamp, "from": None, "to": None})
    regions.clear_caches()
    return contract.CategoriesReplaced(region_id=region.region_id,
                                       categories=regions.categories_view(regions.get_region(region_id)),
                                       retired=sorted(c["code"] for c in table if not c["active"]))


def _questions(given: Any, current: Category | None) -> list[dict[str, Any]]:
    """A category's questions to store: the ones sent, or its current ones when left out."""
    if given is UNSET:
        return [q.as_record() for q in current.questions] if current is not None else []
    return [msgspec.to_builtins(q) for q in given]


def update_settings(region_id: str, body: contract.RegionSettings, actor: Identity) -> contract.Region:
    """A region admin edits the region's SLA days, time zone, agencies,
    project rules and OCDS prefix.  An agency still named by an active
    category cannot be removed; renaming keeps its code, so reports keep
    pointing at it."""
    region = regions.get_region(region_id, fresh=True)
    guards.require_region_admin(actor, region.region_id)
    changes: dict[str, Any] = {}
    if body.sla is not UNSET:
        changes["sla"] = _sla(body.sla)
    if body.project_rules is not UNSET:
        given = {k: v for k, v in msgspec.structs.asdict(body.project_rules).items() if v is not UNSET}
        changes["project_rules"] = {**region.project_rules.as_dict(), **given}
    if body.ocid_prefix is not UNSET:
        if not re.fullmatch(contract.OCID_PREFIX_PATTERN, body.ocid_prefix):
            raise InvalidInput("invalid_ocid_prefix")
        changes["ocid_prefix"] = body.ocid_prefix
    if body.time_zone is not UNSET:
        changes["time_zone"] = body.time_zone
    if body.map_tiles is not UNSET:
        changes["map_tiles"] = None if body.map_tiles is None else msgspec.structs.asdict(body.map_tiles)
    if body.agencies is not UNSET:
        table, seen = [], set()
        for item in body.agencies:
            if item.code in seen:
                raise InvalidInput("invalid_agency_code", agency=item.code)
            seen.add(item.code)
            agency: dict[str, Any] = {"code": item.code, "name_id": item.name_id, "name_en": item.name_en}
            current = region.agencies.get(item.code)
            responder = _responder_record(item.responder, current.responder if current else None)
            if responder is not None:
                agency["responder"] = responder
            table.append(agency)
        in_use = sorted({c.agency for c in region.categories.values() if c.active} - seen)
        if in_use:
            raise Conflict("agency_in_use", agency=", ".join(in_use))
        changes["agencies"] = table
    if not changes:
        raise InvalidInput("missing_field", field="sla|time_zone|agencies|project_rules|ocid_prefix|map_tiles")
    stamp = rules.iso_utc(rules.now_utc())
    region_store.update(region.region_id, {**changes, "updated_at": stamp}, {},
                        audit={"action": "settings", "actor": actor.sub, "at": stamp, "from": None, "to": None,
                               "note": ", ".join(sorted(changes))})
    regions.clear_caches()
    return region_view(regions.get_region(region.region_id, fresh=True), actor)
