"""Staff work and citizen follow-up: transitions, notes, ratings, the
verification queue, inboxes and "my reports"."""
from typing import TYPE_CHECKING

from chalice import Blueprint

from ..contract import reports as contract
from ..contract.common import Page, PageQuery
from ..domain import roles
from ..lazy import lazy
from .endpoint import route

if TYPE_CHECKING:  # imported on the first request that uses them (chalicelib/lazy.py)
    from ..services import forwarding, locations, regions, reports, workflow
else:
    forwarding = lazy("chalicelib.services.forwarding", rare=True)
    locations = lazy("chalicelib.services.locations", rare=True)
    regions = lazy("chalicelib.services.regions")
    reports = lazy("chalicelib.services.reports")
    workflow = lazy("chalicelib.services.workflow")

bp = Blueprint(__name__)
_ILLEGAL = "Illegal transition; `error.allowed_transitions` lists the allowed ones"


@route(bp, "/v1/reports/{report_id}/transitions", "POST", summary="Move a report through its lifecycle",
       body=contract.TransitionRequest, returns=contract.Report, auth="required", roles=roles.REPORT_STAFF,
       errors={404: "Unknown report (or another region's)", 409: _ILLEGAL,
               422: "duplicate_of names no report of this region"})
def transition(report_id, actor, body):
    report, region = workflow.transition(report_id, body, actor)
    return reports.report_view(report, region, actor)


@route(bp, "/v1/reports/{report_id}/handoff", "POST",
       summary="Pass a verified or in-process report to another agency or kelurahan/desa of the region (disposisi)",
       description="The report waits to be taken by the new holder, whose SLA clocks start now; the reason is in "
                   "the history and the reporter is told. Officers pass verified reports of their agency or "
                   "kelurahan, or one they took; agency heads and verifiers any report in their scope. The "
                   "performance figures charge each stage to the holder of that moment.",
       body=contract.HandoffRequest, returns=contract.Report, auth="required", roles=roles.REPORT_STAFF,
       errors={400: "Unknown agency or kelurahan, or the same holder", 403: "Not your report",
               404: "Unknown report (or another region's)", 409: "Not verified or in process, or changed meanwhile"})
def handoff(report_id, actor, body):
    report, region = workflow.handoff(report_id, body, actor)
    return reports.report_view(report, region, actor)


@route(bp, "/v1/reports/{report_id}/forward", "POST",
       summary="Forward a report that is not the region's authority (bukan wewenang) to a partner system",
       description="The desk (verifiers, region admins) forwards a waiting or verified report to one of the region's "
                   "partner systems (LAPOR! SP4N in practice), which takes it over: it is closed here as `forwarded` "
                   "(Open311 `closed`), its clocks stop, it keeps the partner's tracking id, and the partner receives "
                   "it through its signed webhook (`report.forwarded`), without the reporter's contact.",
       body=contract.ForwardRequest, returns=contract.Report, auth="required", roles=roles.DESK,
       errors={400: "Unknown partner of this region", 403: "Not the verification desk",
               404: "Unknown report (or another region's)", 409: "Not waiting or verified, or changed meanwhile",
               422: "The partner is revoked or has no webhook"})
def forward(report_id, actor, body):
    report, region = forwarding.forward(report_id, body, actor)
    return reports.report_view(report, region, actor)


@route(bp, "/v1/reports/{report_id}/location", "POST",
       summary="Set or correct a report's point (the desk), e.g. a partner's or SMS report placed by its desa only",
       description="The desk (verifiers, region admins) places an open report on the map: the point must lie inside "
                   "one of the region's kelurahan/desa. While the report waits for verification it is re-placed in "
                   "the point's desa and kecamatan (its agency, routed by category, is unchanged); once verified "
                   "the point must lie in the report's own desa (hand it over first). The report then shows on the "
                   "public map like one created with a point (unless confidential); the history records it.",
       body=contract.LocationRequest, returns=contract.Report, auth="required", roles=roles.DESK,
       errors={400: "Not a WGS84 point (out of range, not a number, missing lat or lon)",
               403: "Not the verification desk", 404: "Unknown report (or another region's)",
               409: "Done, rejected, duplicate or forwarded; not routed yet; or changed meanwhile",
               422: "Outside the region's boundaries, or (once verified) in another desa"})
def set_location(report_id, actor, body):
    report, region = locations.set_location(report_id, body, actor)
    return reports.report_view(report, region, actor)


@route(bp, "/v1/reports/{report_id}/notes", "POST", summary="Add a staff note to the history",
       body=contract.NoteRequest, returns=contract.Report, status=201, auth="required", roles=roles.REPORT_STAFF,
       errors={404: "Unknown report", 409: "Changed concurrently; retry"})
def add_note(report_id, actor, body):
    report, region = workflow.add_note(report_id, body, actor)
    return reports.report_view(report, region, actor)


@route(bp, "/v1/reports/{report_id}/rating", "POST",
       summary="The reporter rates a finished report (1–2 sends it back to the verifier)",
       body=contract.RatingRequest, returns=contract.Report, status=201, auth="required",
       errors={403: "Not the reporter", 404: "Unknown report", 409: "Not done yet, or already rated"})
def rate(report_id, actor, body):
    report, region = workflow.rate(report_id, body, actor)
    return reports.report_view(report, region, actor)


@route(bp, "/v1/regions/{region_id}/verification-queue",
       summary="Reports waiting for verification (or, with queue=review, closures sent back by a low rating), "
               "oldest first, with the proposed routing",
       query=contract.QueueQuery, returns=Page[contract.ReportSummary], auth="required", roles=roles.REPORT_STAFF,
       errors={404: "Unknown region"})
def verification_queue(region_id, actor, query):
    items, cursor = workflow.verification_queue(region_id, actor, query)
    region = regions.get_region(region_id)
    return Page([reports.summary(item, region, staff=True) for item in items], cursor)


@route(bp, "/v1/me/inbox", summary="The officer's inbox: their agency's (or kelurahan's) reports by status, by due time",
       query=contract.InboxQuery, returns=Page[contract.ReportSummary], auth="required", roles=roles.REPORT_STAFF)
def inbox(actor, query):
    items, cursor = workflow.inbox(actor, query)
    region = regions.get_region(actor.region_id)
    return Page([reports.summary(item, region, staff=True) for item in items], cursor)


@route(bp, "/v1/me/reports", summary="The citizen's own reports, newest first",
       query=PageQuery, returns=Page[contract.ReportSummary], auth="required")
def my_reports(actor, query):
    items, cursor = workflow.my_reports(actor, query)
    return Page([reports.summary(item, regions.get_region(item.region_id), staff=False) for item in items], cursor)
