"""Citizen reports: create, follow, attach photos."""
from typing import TYPE_CHECKING

from chalice import Blueprint

from ..contract import reports as contract
from ..contract.common import PageQuery
from ..domain import roles
from ..lazy import lazy
from .endpoint import IDEMPOTENCY_KEY, Reply, route

if TYPE_CHECKING:  # imported on the first request that uses them (chalicelib/lazy.py)
    from ..services import regions, reports
else:
    regions = lazy("chalicelib.services.regions")
    reports = lazy("chalicelib.services.reports")

bp = Blueprint(__name__)


@route(bp, "/v1/regions/{region_id}/reports", "POST", summary="Create a report",
       description="Routing to an agency and kelurahan happens asynchronously: poll `GET /v1/reports/{id}` "
                   "until `routed` is true.",
       body=contract.NewReport, returns=contract.Report, status=201, auth="required", roles=("citizen",),
       headers=(IDEMPOTENCY_KEY,), reply_headers={"Location": "The report's URL",
                                                  "Idempotent-Replayed": "`true` when a retry was answered"},
       errors={403: "Not a citizen of this region, or its pilot has ended", 404: "Unknown region",
               422: "Idempotency key reused for a different report"})
def create_report(region_id, actor, body, idempotency_key):
    created = reports.create_report(region_id, body, idempotency_key, actor)
    report, region = created.report, regions.get_region(created.report.region_id)
    headers = {"Location": f"/v1/reports/{report.id}"}
    if created.replayed:
        headers["Idempotent-Replayed"] = "true"
    return Reply(reports.report_view(report, region, actor), headers=headers)


@route(bp, "/v1/reports/{report_id}", summary="A report with its status, routing, photos and history",
       returns=contract.Report, auth="optional", errors={404: "Unknown report"})
def get_report(report_id, actor):
    report, region = reports.get_report(report_id)
    return reports.report_view(report, region, actor)


@route(bp, "/v1/reports/{report_id}/earlier-history",
       summary="A report's history entries older than the ones its view includes, oldest first",
       query=PageQuery, returns=contract.HistoryPage, auth="optional", errors={404: "Unknown report"})
def earlier_history(report_id, actor, query):
    return reports.earlier_history(report_id, actor, query)


@route(bp, "/v1/reports/{report_id}/photos", "POST", summary="Get a presigned upload for one photo",
       description="JPEG, PNG or WebP, at most 10 MB, up to 5 per report. The photo is checked, stripped of "
                   "EXIF/GPS metadata and thumbnailed; it then appears in the report's `photos`, or in "
                   "`rejected_photos` with the reason. `kind=evidence`: field staff's proof of the work.",
       body=contract.PhotoUploadRequest, returns=contract.PhotoUpload, status=201, auth="required",
       errors={404: "Unknown report", 409: "The report already has the maximum number of photos"})
def request_photo_upload(report_id, actor, body):
    return reports.request_photo_upload(report_id, body, actor)


@route(bp, "/v1/reports/{report_id}/photos/{photo_id}/hide", "POST",
       summary="Hide a photo from the public (the verification desk); staff and the reporter still see it",
       description="Photos show streets, faces, children and number plates. The public sees a report's photos only "
                   "once it is verified, and never one a verifier hid.",
       returns=contract.Report, auth="required", roles=roles.DESK, errors={404: "Unknown report or photo"})
def hide_photo(report_id, photo_id, actor):
    report, region = reports.set_photo_visibility(report_id, photo_id, False, actor)
    return reports.report_view(report, region, actor)


@route(bp, "/v1/reports/{report_id}/photos/{photo_id}/show", "POST",
       summary="Show a hidden photo to the public again (the verification desk)",
       returns=contract.Report, auth="required", roles=roles.DESK, errors={404: "Unknown report or photo"})
def show_photo(report_id, photo_id, actor):
    report, region = reports.set_photo_visibility(report_id, photo_id, True, actor)
    return reports.report_view(report, region, actor)
