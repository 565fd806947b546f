"""Routing a report to its agency and kelurahan (a proposal the verifier
confirms or corrects), delivering verified reports to their agency and
telling the reporter, and re-enqueueing reports the pipeline left behind.

Every step is idempotent, because SQS delivers at least once:

* routing is a conditional write on ``routed_at``: a redelivered message
  finds the report routed and writes nothing (no second history entry);
* delivery to the agency sets ``dispatched_at`` in a conditional
  transaction with the agency's counter, so a message sent twice counts
  once; notifications are marked per status change.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import msgspec

from ..domain import reports as domain
from ..domain import workflow
from ..store import reports as store
from . import notifications, regions, usage
from .boundaries import files as boundary_files
from .reports import enqueue_routing

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
        decision = domain.route(region, boundary_files.area_index(region), report.category,
                                float(report.lat), float(report.lon), report.kelurahan_hint)
        now = domain.iso_utc(domain.now_utc())
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
        try:
            store.record_routing(report, fields, entry, now)
            outcome = "routed"
            usage.meter(report.region_id, {"reports_received": 1}, ("citizens", report.reporter_id or ""))
        except store.ConditionFailed:
            # Another delivery of the same message won the race.
            report = store.get(report_id)
            if report is None:
                raise RuntimeError(f"report {report_id} vanished while being routed") from None
    return {"report_id": report.id, "outcome": outcome, "agency": report.agency,
            "kelurahan_code": report.kelurahan_code, "out_of_area": bool(report.out_of_area)}


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
