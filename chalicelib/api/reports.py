"""Citizen reports: create, follow, attach photos."""
from chalice import Blueprint

from ..services import regions, reports
from .http import ANY_BODY, endpoint, json_body, reply

bp = Blueprint(__name__)


@bp.route("/v1/regions/{region_id}/reports", methods=["POST"], content_types=ANY_BODY)
@endpoint(bp, auth="required", roles=("citizen",))
def create_report(region_id, actor):
    request = bp.current_request
    created = reports.create_report(region_id, json_body(request), request.headers.get("idempotency-key"), actor)
    report, region = created.report, regions.get_region(created.report.region_id)
    headers = {"Location": f"/v1/reports/{report.id}"}
    if created.replayed:
        headers["Idempotent-Replayed"] = "true"
    return reply(reports.report_view(report, region, actor), 201, headers)


@bp.route("/v1/reports/{report_id}", methods=["GET"])
@endpoint(bp, auth="optional")
def get_report(report_id, actor):
    report, region = reports.get_report(report_id)
    return reply(reports.report_view(report, region, actor), headers={"Cache-Control": "no-store"})


@bp.route("/v1/reports/{report_id}/photos", methods=["POST"], content_types=ANY_BODY)
@endpoint(bp, auth="required")
def request_photo_upload(report_id, actor):
    return reply(reports.request_photo_upload(report_id, json_body(bp.current_request), actor), 201)
