"""A region's six-month pilot: a platform admin converts, extends or ends
a trial (audited), and the hourly sweep sends the 30/7/1-day reminders and
expires the trials that ended.  The rules are ``domain.pilot``."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ..adapters import notify
from ..auth.identity import Identity
from ..contract import regions as contract
from ..domain import i18n, pilot
from ..domain import reports as rules
from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.regions import RegionConfig
from ..store import regions as region_store
from . import guards, regions
from .onboarding import region_view

REMINDER_WINDOW_DAYS = max(pilot.REMINDER_DAYS) + 1


def change_lifecycle(region_id: str, body: contract.LifecycleRequest, actor: Identity) -> contract.Region:
    guards.require_platform_admin(actor)
    record = region_store.get(region_id) if regions.REGION_ID.match(region_id) else None
    if record is None:
        raise NotFound("region_not_found", region_id=region_id[:64])
    updated = _apply(record, body.action, body.months, actor.sub, body.note)
    return region_view(RegionConfig.from_record(updated), actor)


def _apply(record: dict[str, Any], action: str, months: int | None, actor_sub: str,
           note: str | None) -> dict[str, Any]:
    """Plan the change (which validates it), then write it once, on the
    condition that the status is still the one planned from; the updated
    record."""
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
    return updated


def sweep_pilots(now: datetime | None = None) -> dict[str, int]:
    """Expire trials that have ended; send the 30/7/1-day reminders once."""
    moment = now or rules.now_utc()
    horizon = rules.iso_utc(moment + timedelta(days=REMINDER_WINDOW_DAYS))
    expired = reminded = 0
    for record in region_store.trials_ending_before(horizon):
        ends = rules.parse_iso(record["trial_ends_at"])
        if ends <= moment:
            expired += _expire(record)
        else:
            reminded += _remind(record, ends, moment)
    return {"expired": expired, "reminders": reminded}


def _expire(record: dict[str, Any]) -> bool:
    try:
        _apply(record, "expire", None, "system", "trial ended without conversion")
    except (Conflict, InvalidInput):
        return False
    return True


def _remind(record: dict[str, Any], ends: datetime, moment: datetime) -> bool:
    """Send the reminder due, once: marked on the region (on the condition
    that the trial still ends when it did) before it is sent."""
    days = pilot.due_reminder(ends, moment, list(record.get("reminders_sent") or []))
    if days is None:
        return False
    try:
        region_store.update(record["region_id"], {}, {"trial_ends_at": record["trial_ends_at"]},
                            append={"reminders_sent": f"{ends.isoformat()}#{days}"})
    except region_store.Changed:
        return False
    region = RegionConfig.from_record(record)
    text = i18n.message("pilot_reminder", "id", name=region.name, days=pilot.days_left(ends, moment),
                        date=ends.astimezone(region.tz).date().isoformat())
    arn = record.get("notify_topic_arn") or notify.ensure_topic(region.region_id)
    notify.publish_topic(arn, text, {"recipient": "region_admin", "region_id": region.region_id, "kind": "pilot"})
    return True
