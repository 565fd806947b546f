"""Regions as a business: onboarding a regency from its Kemendagri code, its
editable tables, its boundaries, its six-month pilot and its usage.

The HTTP API (``chalicelib.api.regions``) and the operator's CLI
(``python -m tools.onboard``) both call these functions."""
from __future__ import annotations

import csv
import io
import logging
import re
from datetime import datetime
from typing import Any

from ..adapters import notify
from ..auth.identity import Identity
from ..domain import areas, boundaries, fields, i18n, pilot
from ..domain import reports as rules
from ..domain.errors import Conflict, Forbidden, InvalidInput, NotFound, Unprocessable
from ..domain.regions import DEFAULT_AGENCIES, TEAMS, TIME_ZONES, RegionConfig, default_categories
from ..domain.projects import parse_rules
from ..domain.sla import DEFAULT_DAYS
from ..store import counters
from ..store import regions as region_store
from . import regions

log = logging.getLogger(__name__)
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")
_MONTH = re.compile(r"^20[0-9]{2}-(0[1-9]|1[0-2])$")


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
        "sla": dict(DEFAULT_DAYS),
        "trial_started_at": stamp,
        "trial_ends_at": rules.iso_utc(pilot.trial_end(now, trial_months, tz)),
        "reminders_sent": [],
        "audit": [{"action": "create", "actor": "system", "at": stamp, "from": None, "to": "trial"}],
        "created_at": stamp,
        "updated_at": stamp,
    }


def _require_platform(actor: Identity) -> None:
    if actor.role != "platform_admin":
        raise Forbidden("forbidden")


def _require_region_admin(actor: Identity, region_id: str) -> None:
    if actor.role not in ("region_admin", "platform_admin") or not actor.in_region(region_id):
        raise Forbidden("forbidden")


def create_region(body: Any, actor: Identity) -> dict[str, Any]:
    _require_platform(actor)
    if not isinstance(body, dict):
        raise InvalidInput("body_not_object")
    allowed = {"kemendagri_code", "region_id", "time_zone", "sla", "trial_months"}
    for name in body:
        if name not in allowed:
            raise InvalidInput("unknown_field", field=name)
    code, region_id = body.get("kemendagri_code"), body.get("region_id")
    for name, value in (("kemendagri_code", code), ("region_id", region_id)):
        if value is None:
            raise InvalidInput("missing_field", field=name)
        if not isinstance(value, str):
            raise InvalidInput("wrong_type", field=name, expected="string")
    if not regions.REGION_ID.match(region_id):
        raise InvalidInput("invalid_region_id")
    regency = areas.regency(code)
    if regency is None:
        raise InvalidInput("unknown_kemendagri_code", kemendagri_code=code[:16])
    time_zone = body.get("time_zone") or regency.time_zone
    if time_zone not in TIME_ZONES:
        raise InvalidInput("unknown_time_zone", time_zone=str(time_zone)[:8])
    months = body.get("trial_months", pilot.TRIAL_MONTHS)
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 24:
        raise InvalidInput("out_of_range", field="trial_months", min=1, max=24)
    record = new_region_record(region_id, regency, time_zone, rules.now_utc(), months)
    if body.get("sla") is not None:
        record["sla"] = _sla(body["sla"])
    record["audit"][0]["actor"] = actor.sub
    try:
        region_store.create(record)
    except region_store.Exists:
        raise Conflict("region_exists", region_id=region_id) from None
    arn = notify.ensure_topic(region_id)
    region_store.set_topic(region_id, arn)
    return region_view(regions.get_region(region_id, fresh=True), actor)


def _sla(value: Any) -> dict[str, int]:
    if not isinstance(value, dict):
        raise InvalidInput("wrong_type", field="sla", expected="object")
    result = dict(DEFAULT_DAYS)
    for name, days in value.items():
        if name not in DEFAULT_DAYS:
            raise InvalidInput("unknown_field", field=f"sla.{name}")
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 60:
            raise InvalidInput("out_of_range", field=f"sla.{name}", min=1, max=60)
        result[name] = days
    return result


def region_view(region: RegionConfig, viewer: Identity | None) -> dict[str, Any]:
    """The public sees name and status; the region's staff and platform
    admins also see the commercial fields."""
    view: dict[str, Any] = {"region_id": region.region_id, "name": region.name, "status": region.status,
                            "kemendagri_code": region.kemendagri_code, "time_zone": region.time_zone}
    if viewer is not None and viewer.is_staff and viewer.in_region(region.region_id):
        record = region_store.get(region.region_id) or {}
        ends = record.get("trial_ends_at")
        now = rules.now_utc()
        view.update({
            "trial_started_at": rules.local_iso(record["trial_started_at"], region) if record.get("trial_started_at") else None,
            "trial_ends_at": rules.local_iso(ends, region) if ends else None,
            "days_left": pilot.days_left(rules.parse_iso(ends), now) if ends and region.status == "trial" else None,
            "activated_at": rules.local_iso(record["activated_at"], region) if record.get("activated_at") else None,
            "sla_days": {"verify": region.sla.verify, "respond": region.sla.respond, "resolve": region.sla.resolve},
            "boundaries_version": region.boundaries_version,
            "project_rules": region.project_rules.as_dict(),
            "ocid_prefix": region.ocid_prefix,
            "agencies": [{"code": a.code, "name": {"id": a.name_id, "en": a.name_en}} for a in region.agencies.values()],
            "audit": [dict(a) for a in record.get("audit") or []] if viewer.role == "platform_admin" else None,
        })
    return view


def areas_view(region: RegionConfig) -> dict[str, Any]:
    record = region_store.get(region.region_id) or {}
    return {"region_id": region.region_id, "kemendagri_code": region.kemendagri_code,
            "source": record.get("areas_source"), "attribution": areas.ATTRIBUTION,
            "kecamatan": [dict(k, kelurahan=[dict(v) for v in k["kelurahan"]]) for k in record.get("areas") or []]}


def replace_boundaries(region_id: str, collection: Any, actor: Identity) -> dict[str, Any]:
    region = regions.get_region(region_id, fresh=True)
    _require_region_admin(actor, region.region_id)
    checked = boundaries.check(collection, region)
    if checked.problems:
        error = Unprocessable("boundaries_rejected", count=len(checked.problems))
        error.details = {"problems": checked.problems[:500], "missing_kelurahan_codes": checked.missing}
        raise error
    version = region.boundaries_version + 1
    count = region_store.put_boundaries(region.region_id, version, checked.features, f"uploaded by {actor.sub}")
    regions.clear_caches()
    return {"region_id": region.region_id, "version": version, "accepted": count,
            "missing_kelurahan_codes": checked.missing}


def update_categories(region_id: str, body: Any, actor: Identity) -> dict[str, Any]:
    """Replace the category table.  A category is retired (``active``:
    false), never deleted, so old reports keep their labels and routing."""
    region = regions.get_region(region_id, fresh=True)
    _require_region_admin(actor, region.region_id)
    items = body.get("categories") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise InvalidInput("missing_field", field="categories")
    seen, table = set(), []
    for item in items:
        if not isinstance(item, dict):
            raise InvalidInput("wrong_type", field="categories[]", expected="object")
        code = item.get("code")
        if not isinstance(code, str) or not _CODE.match(code) or code in seen:
            raise InvalidInput("invalid_category_code", category=str(code)[:40])
        seen.add(code)
        for name in ("name_id", "name_en"):
            if not isinstance(item.get(name), str) or not item[name].strip() or len(item[name]) > 120:
                raise InvalidInput("wrong_type", field=f"categories[{code}].{name}", expected="text")
        if item.get("agency") not in region.agencies:
            raise InvalidInput("unknown_agency", agency=str(item.get("agency"))[:40])
        if item.get("team") not in TEAMS:
            raise InvalidInput("unknown_team", team=str(item.get("team"))[:20], allowed=", ".join(TEAMS))
        table.append({"code": code, "name_id": item["name_id"].strip(), "name_en": item["name_en"].strip(),
                      "agency": item["agency"], "team": item["team"], "active": item.get("active", True) is not False})
    for old in region.categories.values():
        if old.code not in seen:  # dropped from the list: kept, retired
            table.append({"code": old.code, "name_id": old.name_id, "name_en": old.name_en, "agency": old.agency,
                          "team": old.team, "active": False})
    region_store.update(region.region_id, {"categories": table, "updated_at": rules.iso_utc(rules.now_utc())}, {},
                        audit={"action": "categories", "actor": actor.sub, "at": rules.iso_utc(rules.now_utc()),
                               "from": None, "to": None})
    regions.clear_caches()
    return {"region_id": region.region_id, "categories": regions.categories_view(regions.get_region(region_id)),
            "retired": sorted(c["code"] for c in table if not c["active"])}


def update_settings(region_id: str, body: Any, actor: Identity) -> dict[str, Any]:
    """A region admin edits the region's SLA days, time zone and agencies.
    An agency still named by an active category cannot be removed; renaming
    keeps its code, so reports keep pointing at it."""
    region = regions.get_region(region_id, fresh=True)
    _require_region_admin(actor, region.region_id)
    body = fields.only(body, {"sla", "time_zone", "agencies", "project_rules", "ocid_prefix"})
    if not body:
        raise InvalidInput("missing_field", field="sla|time_zone|agencies|project_rules|ocid_prefix")
    changes: dict[str, Any] = {}
    if "sla" in body:
        changes["sla"] = _sla(body["sla"])
    if "project_rules" in body:
        changes["project_rules"] = parse_rules(body["project_rules"], region.project_rules).as_dict()
    if "ocid_prefix" in body:
        prefix = fields.text(body, "ocid_prefix", 11, required=True) or ""
        if not re.fullmatch(r"ocds-[a-z0-9]{6}", prefix):
            raise InvalidInput("invalid_ocid_prefix")
        changes["ocid_prefix"] = prefix
    if "time_zone" in body:
        if body["time_zone"] not in TIME_ZONES:
            raise InvalidInput("unknown_time_zone", time_zone=str(body["time_zone"])[:8])
        changes["time_zone"] = body["time_zone"]
    if "agencies" in body:
        items = body["agencies"]
        if not isinstance(items, list) or not items:
            raise InvalidInput("wrong_type", field="agencies", expected="a list of agencies")
        table, seen = [], set()
        for item in items:
            if not isinstance(item, dict):
                raise InvalidInput("wrong_type", field="agencies[]", expected="object")
            code = item.get("code")
            if not isinstance(code, str) or not _CODE.match(code) or code in seen:
                raise InvalidInput("invalid_agency_code", agency=str(code)[:40])
            seen.add(code)
            names = {n: fields.text(item, n, 160, required=True) for n in ("name_id", "name_en")}
            table.append({"code": code, **names})
        in_use = sorted({c.agency for c in region.categories.values() if c.active} - seen)
        if in_use:
            raise Conflict("agency_in_use", agency=", ".join(in_use))
        changes["agencies"] = table
    stamp = rules.iso_utc(rules.now_utc())
    region_store.update(region.region_id, {**changes, "updated_at": stamp}, {},
                        audit={"action": "settings", "actor": actor.sub, "at": stamp, "from": None, "to": None,
                               "note": ", ".join(sorted(changes))})
    regions.clear_caches()
    return region_view(regions.get_region(region.region_id, fresh=True), actor)


# --- the pilot ----------------------------------------------------------------

def change_lifecycle(region_id: str, body: Any, actor: Identity) -> dict[str, Any]:
    _require_platform(actor)
    if not isinstance(body, dict):
        raise InvalidInput("body_not_object")
    action = body.get("action")
    if not isinstance(action, str):
        raise InvalidInput("missing_field", field="action")
    months = body.get("months")
    if months is not None and (isinstance(months, bool) or not isinstance(months, int)):
        raise InvalidInput("wrong_type", field="months", expected="integer")
    note = body.get("note")
    if note is not None and (not isinstance(note, str) or len(note) > 500):
        raise InvalidInput("wrong_type", field="note", expected="text (500)")
    record = region_store.get(region_id)
    if record is None:
        raise NotFound("region_not_found", region_id=region_id[:64])
    return _apply(record, action, months, actor.sub, note, actor)


def _apply(record: dict[str, Any], action: str, months: int | None, actor_sub: str, note: str | None,
           viewer: Identity | None) -> dict[str, Any]:
    region = RegionConfig.from_record(record)
    now = rules.now_utc()
    ends = rules.parse_iso(record["trial_ends_at"]) if record.get("trial_ends_at") else None
    change = pilot.plan(action, record["status"], ends, now, region.tz, months)
    stamp = rules.iso_utc(now)
    fields: dict[str, Any] = {"status": change.status, "updated_at": stamp,
                              "trial_ends_at": rules.iso_utc(change.trial_ends_at) if change.trial_ends_at else None}
    if change.status == "active":
        fields["activated_at"] = stamp
    audit = {"action": action, "actor": actor_sub, "at": stamp, "from": record["status"], "to": change.status,
             "note": note, "trial_ends_at": fields["trial_ends_at"]}
    try:
        updated = region_store.update(region.region_id, fields, {"status": record["status"]}, audit=audit)
    except region_store.Changed:
        raise Conflict("concurrent_update") from None
    regions.clear_caches()
    return region_view(RegionConfig.from_record(updated), viewer) if viewer else {"status": change.status}


REMINDER_WINDOW_DAYS = max(pilot.REMINDER_DAYS) + 1


def sweep_pilots(now: datetime | None = None) -> dict[str, int]:
    """Expire trials that have ended; send the 30/7/1-day reminders once."""
    from datetime import timedelta

    moment = now or rules.now_utc()
    horizon = rules.iso_utc(moment + timedelta(days=REMINDER_WINDOW_DAYS))
    expired = reminded = 0
    for record in region_store.trials_ending_before(horizon):
        ends = rules.parse_iso(record["trial_ends_at"])
        if ends <= moment:
            try:
                _apply(record, "expire", None, "system", "trial ended without conversion", None)
                expired += 1
            except (Conflict, InvalidInput):
                continue
            continue
        days = pilot.due_reminder(ends, moment, list(record.get("reminders_sent") or []))
        if days is None:
            continue
        marker = f"{ends.isoformat()}#{days}"
        try:
            region_store.update(record["region_id"], {}, {"trial_ends_at": record["trial_ends_at"]},
                                append={"reminders_sent": marker})
        except region_store.Changed:
            continue
        region = RegionConfig.from_record(record)
        text = i18n.message("pilot_reminder", "id", name=region.name, days=pilot.days_left(ends, moment),
                            date=ends.astimezone(region.tz).date().isoformat())
        arn = record.get("notify_topic_arn") or notify.ensure_topic(region.region_id)
        notify.publish(arn, text, {"recipient": "region_admin", "region_id": region.region_id, "kind": "pilot"})
        reminded += 1
    return {"expired": expired, "reminders": reminded}


# --- usage --------------------------------------------------------------------

def usage(region_id: str, month: str | None, actor: Identity) -> dict[str, Any]:
    region = regions.get_region(region_id)
    _require_region_admin(actor, region.region_id)
    month = month or rules.now_utc().astimezone(region.tz).strftime("%Y-%m")
    if not _MONTH.match(month):
        raise InvalidInput("invalid_month")
    values = counters.usage(region.region_id, month)
    metrics = {name: values.get(name, 0) for name in USAGE_METRICS}
    per_agency = {k.split("#")[1]: v for k, v in values.items() if k.startswith("agency#")}
    return {"region_id": region.region_id, "month": month, "status": region.status, **metrics,
            "reports_by_agency": per_agency}


USAGE_METRICS = ("reports_received", "photos_stored", "photo_bytes", "active_citizens", "active_staff",
                 "notifications_sent", "sms_sent")


def usage_csv(view: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["region_id", "month", "status", *USAGE_METRICS])
    writer.writerow([view["region_id"], view["month"], view["status"], *(view[m] for m in USAGE_METRICS)])
    return out.getvalue()


def meter(region_id: str, amounts: dict[str, int], active: tuple[str, str] | None = None) -> None:
    """Count usage for the region's current month (workers call this, off the
    request path).  Failures are logged: metering never fails the work."""
    try:
        region = regions.get_region(region_id)
        month = rules.now_utc().astimezone(region.tz).strftime("%Y-%m")
        counters.add(region_id, month, amounts)
        if active is not None and active[1]:
            counters.mark_active(region_id, month, active[0], active[1])
    except Exception:  # noqa: BLE001
        log.exception("usage metering failed for %s %s", region_id, amounts)
