"""Routing a report to its agency and kelurahan, dispatching it to the
agency, and re-enqueueing reports the pipeline left behind.

Every step is idempotent, because SQS delivers at least once:

* routing is a conditional write on ``routed_at``: a redelivered message
  finds the report routed and writes nothing (no second history entry);
* dispatch is sent while ``dispatched_at`` is unset, and the dispatch worker
  sets it with a conditional transaction, so a message sent twice counts
  once.  If the send fails after routing was stored, the redelivered routing
  message sends it again.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from .. import resources
from ..adapters import aws
from ..domain import reports as domain
from ..store import reports as store
from . import regions
from .reports import enqueue_routing

log = logging.getLogger(__name__)


class ReportMissing(Exception):
    """A message names a report that does not exist: a poison message."""


def route_report(report_id: str) -> dict[str, Any]:
    report = store.get(report_id)
    if report is None:
        raise ReportMissing(report_id)
    region = regions.get_region(report.region_id)
    outcome = "already_routed"
    if report.routed_at is None:
        decision = domain.route(region, regions.area_index(region), report.category,
                                float(report.lat), float(report.lon), report.kelurahan_hint)
        now = domain.iso_utc(domain.now_utc())
        fields = {
            "agency": decision.agency or None,
            "team": decision.team or None,
            "kelurahan_code": decision.kelurahan_code,
            "kelurahan": decision.kelurahan,
            "kecamatan_code": decision.kecamatan_code,
            "kecamatan": decision.kecamatan,
            "out_of_area": decision.out_of_area,
            "hint_mismatch": decision.hint_mismatch,
        }
        try:
            store.record_routing(report, fields, decision.history(report.status, now, region), now)
            outcome = "routed"
        except store.ConditionFailed:
            # Another delivery of the same message won the race.
            report = store.get(report_id)
            assert report is not None
    if report.agency and report.dispatched_at is None:
        aws.send(
            resources.DISPATCH_QUEUE,
            {"report_id": report.id, "region_id": report.region_id, "agency": report.agency},
            attributes={"region_id": report.region_id, "agency": report.agency, "team": report.team or ""},
        )
    return {"report_id": report.id, "outcome": outcome, "agency": report.agency,
            "kelurahan_code": report.kelurahan_code, "out_of_area": bool(report.out_of_area)}


def dispatch_report(report_id: str, region_id: str, agency: str) -> bool:
    """Deliver a routed report to its agency: mark it and count it in the
    agency's monthly counter, once."""
    region = regions.get_region(region_id)
    now = domain.now_utc()
    month = now.astimezone(region.tz).strftime("%Y-%m")
    return store.record_dispatch(report_id, domain.iso_utc(now), f"{region_id}#{month}", f"agency#{agency}#received")


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
