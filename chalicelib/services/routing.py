"""Routing a report to its agency and kelurahan (a proposal the verifier
confirms or corrects), delivering verified reports to their agency and
telling the reporter, and re-enqueueing reports the pipeline left behind.

Every step is idempotent, because SQS delivers at least once:

* routing is a conditional write on ``routed_at``: a redelivered message
  finds the report routed and writes nothing (no second history entry);
* an emergency category's report is verified by that same write
  (``workflow.plan_emergency_routing``: it skips the verification queue)
  and its event is sent until the dispatch worker has delivered it, which
  alerts the agency's responder once (``services.emergencies``);
* delivery to the agency sets ``dispatched_at`` in a conditional
  transaction with the agency's counter, so a message sent twice counts
  once; notifications are marked per status change.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import msgspec

from ..domain import emergencies as emergency_rules
from ..domain import reports as domain
from ..domain import workflow
from ..domain.regions import RegionConfig
from ..store import reports as store
from ..store.models import ReportModel
from . import emergencies, notifications, regions, usage
from .boundaries import files as boundary_files
from .reports import enqueue_routing
from .workflow import publish_event

log = logging.getLogger(__name__)


class ReportMissing(Exception):
    """A message names a report that does not exist: a poison message."""


def route_report(report_id: str) -> dict[str, Any]:
    report = store.get(report_id)
    if report is None:
        raise ReportMissing(report_id)
    # Fresh, so a boundary upload is used by the very next report routed.
    region = regions.get_region(report.region_id, fresh=True)
    outcome = "already_routed"
    if report.routed_at is None:
        if report.lat is None or report.lon is None:  # a partner's report placed by its desa code only
            decision = domain.route_by_kelurahan(region, report.category, report.kelurahan_hint)
        else:
            decision = domain.route(region, boundary_files.area_index(region), report.category,
                                    float(report.lat), float(report.lon), report.kelurahan_hint)
        moment = domain.now_utc()
        now = domain.iso_utc(moment)
        if report.project_id:
            # a citizen audit goes to the agency that owns the project
            from ..store import projects as project_store

            project = project_store.get(report.project_id)
            if project is not None:
                decision = msgspec.structs.replace(decision, agency=project.agency)
        fields = {
            "agency": decision.agency or None,
            "team": decision.team or None,
            "kelurahan_code": decision.kelurahan_code,
            "kelurahan": decision.kelurahan,
            "kecamatan_code": decision.kecamatan_code,
            "kecamatan": decision.kecamatan,
            "out_of_area": decision.out_of_area,
            "hint_mismatch": decision.hint_mismatch,
            # the inboxes' stable keys, so that a verification need not read them
            **workflow.on_routing(report.region_id, decision.agency or None, decision.kelurahan_code),
        }
        entry = decision.history(report.status, now, region)
        if prepared := workflow.prepared_notes(region, decision.agency or None):
            entry["prepared"] = prepared
        report, outcome = _record(report, fields, entry, region, moment)
    if report.emergency and report.dispatched_at is None and report.status in emergencies.OPEN_AT_AGENCY:
        # to the dispatch worker (the agency, its responder, the reporter); again on a redelivery
        # until it has delivered it: a lost send must not leave an emergency undelivered
        publish_event(report, "status_changed", strict=True)
    return {"report_id": report.id, "outcome": outcome, "agency": report.agency,
            "kelurahan_code": report.kelurahan_code, "out_of_area": bool(report.out_of_area),
            "emergency": bool(report.emergency)}


def _record(report: ReportModel, fields: dict[str, Any], entry: dict[str, Any], region: RegionConfig,
            now: datetime) -> tuple[ReportModel, str]:
    """Store the routing once; an emergency is verified by the same write.
    The report as it now is, and the outcome."""
    if emergency_rules.is_emergency(region, report.category):
        try:
            report = store.apply(report.id, workflow.plan_emergency_routing(report.id, fields, entry, region, now))
            usage.meter(report.region_id, {"reports_received": 1}, ("citizens", report.reporter_id or ""))
            return report, "dispatched_at_once"
        except store.ConditionFailed:
            # routed by another delivery, or no longer waiting (a verifier was quicker): read it
            report = _reread(report.id)
            if report.routed_at is not None:
                return report, "already_routed"
    try:
        store.record_routing(report, fields, entry, domain.iso_utc(now))
        usage.meter(report.region_id, {"reports_received": 1}, ("citizens", report.reporter_id or ""))
        return report, "routed"
    except store.ConditionFailed:
        # Another delivery of the same message won the race.
        return _reread(report.id), "already_routed"


def _reread(report_id: str) -> ReportModel:
    report = store.get(report_id)
    if report is None:
        raise RuntimeError(f"report {report_id} vanished while being routed") from None
    return report


def handle_event(message: dict[str, Any]) -> dict[str, Any]:
    """The dispatch worker: a report changed status.  Once verified it is
    delivered to its agency (marked and counted once); the reporter is told
    of every change (once per change, however often the message arrives)."""
    report = store.get(message["report_id"])
    if report is None:
        raise ReportMissing(message["report_id"])
    done: dict[str, Any] = {"report_id": report.id}
    if report.status in ("verified", "in_process", "done") and report.agency and report.dispatched_at is None:
        region = regions.get_region(report.region_id)
        now = domain.now_utc()
        month = now.astimezone(region.tz).strftime("%Y-%m")
        done["dispatched"] = store.record_dispatch(report.id, domain.iso_utc(now), f"{report.region_id}#{month}",
                                                   f"count#agency#{report.agency}#received")
    if report.emergency:  # its agency's responders first, then the reporter
        done["responder"] = emergencies.alert_responder(report, regions.get_region(report.region_id))
    if report.project_id:
        from .projects import audits

        done["audit"] = audits.sync_audit(report)
    change = f"{message.get('status', report.status)}#{message.get('version', report.version)}"
    if message.get("event") == "status_changed":
        outcome: dict[str, str] = {}
        done["notified"] = outcome
        try:
            notifications.notify_reporter(report, change, outcome)
        finally:  # what was sent is counted, even when a later channel fails
            if outcome:
                usage.meter(report.region_id, notifications.sent_counts(outcome),
                            ("staff", message.get("actor") or ""))
    return done


def sweep_unrouted(older_than_minutes: float = 5.0) -> int:
    """Re-enqueue reports still unrouted ``older_than_minutes`` after they
    were created: the safety net for a routing message that was never sent
    or that ended in the dead-letter queue after the cause was fixed."""
    cutoff = domain.iso_utc(domain.now_utc() - timedelta(minutes=older_than_minutes))
    count = 0
    for report in store.unrouted_before(cutoff):
        enqueue_routing(report.id)
        count += 1
    if count:
        log.info("re-enqueued %d unrouted reports", count)
    return count
