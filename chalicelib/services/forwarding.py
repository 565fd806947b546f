""""Not our authority" (*bukan wewenang*): the verification desk forwards a
report to a partner system outside the region's authority (LAPOR! SP4N in
practice), where it continues; here it is closed as ``forwarded``.

One read of the report, one of the partner, one conditional write (the
report still at the version read, still waiting or verified), one message
to the dispatch queue (the reporter is told).  The partner receives the
report through its webhook (``report.forwarded``): that event comes from
the reports stream like every other (``services.webhooks``), so it is not
lost if this request ends right after the write.  The report keeps the
partner's tracking id (``partner_ref``) and ``forwarded_to`` names the
partner."""
from __future__ import annotations

from ..auth.identity import Identity
from ..contract import reports as contract
from ..domain import reports as rules
from ..domain import workflow as plans
from ..domain.errors import Forbidden, InvalidInput, NotFound, Unprocessable
from ..domain.lifecycle import FORWARD_ROLES
from ..domain.regions import RegionConfig
from ..store import reports as store
from ..store.models import ReportModel
from . import partners, regions
from .workflow import apply_read, publish_event


def forward(report_id: str, body: contract.ForwardRequest, actor: Identity) -> tuple[ReportModel, RegionConfig]:
    rules.check_report_id(report_id)
    if actor.role not in FORWARD_ROLES:
        raise Forbidden("forbidden")
    report = store.get(report_id)
    if report is None or not actor.is_staff or not actor.in_region(report.region_id):
        raise NotFound("report_not_found", report_id=report_id)
    region = regions.get_region(report.region_id)
    partner = partners.get(region.region_id, body.partner_id)
    if partner is None:
        raise InvalidInput("unknown_partner", partner_id=body.partner_id[:64])
    if not partner.active:
        raise Unprocessable("partner_revoked")
    if not partner.webhook_url:
        raise Unprocessable("partner_no_webhook")
    updated = apply_read(report, lambda current: plans.plan_forward(
        current, partner.partner_id, partner.name, body.reason, actor, region, rules.now_utc()))
    publish_event(updated, "status_changed", actor)
    return updated, region
