"""Staff work and citizen follow-up: transitions, notes, ratings, the
verification queue, inboxes and "my reports"."""
from chalice import Blueprint

from ..services import regions, reports, workflow
from .http import ANY_BODY, endpoint, json_body, page_reply, query, reply

bp = Blueprint(__name__)
STAFF = ("verifier", "officer", "agency_head", "region_admin", "platform_admin")


@bp.route("/v1/reports/{report_id}/transitions", methods=["POST"], content_types=ANY_BODY)
@endpoint(bp, auth="required", roles=STAFF)
def transition(report_id, actor):
    report, region = workflow.transition(report_id, json_body(bp.current_request), actor)
    return reply(reports.report_view(report, region, actor))


@bp.route("/v1/reports/{report_id}/notes", methods=["POST"], content_types=ANY_BODY)
@endpoint(bp, auth="required", roles=STAFF)
def add_note(report_id, actor):
    report, region = workflow.add_note(report_id, json_body(bp.current_request), actor)
    return reply(reports.report_view(report, region, actor), 201)


@bp.route("/v1/reports/{report_id}/rating", methods=["POST"], content_types=ANY_BODY)
@endpoint(bp, auth="required")
def rate(report_id, actor):
    report, region = workflow.rate(report_id, json_body(bp.current_request), actor)
    return reply(reports.report_view(report, region, actor), 201)


@bp.route("/v1/regions/{region_id}/verification-queue", methods=["GET"])
@endpoint(bp, auth="required", roles=STAFF)
def verification_queue(region_id, actor):
    items, cursor = workflow.verification_queue(region_id, actor, query(bp.current_request))
    region = regions.get_region(region_id)
    return page_reply([reports.summary(item, region) for item in items], cursor)


@bp.route("/v1/me/inbox", methods=["GET"])
@endpoint(bp, auth="required", roles=STAFF)
def inbox(actor):
    items, cursor = workflow.inbox(actor, query(bp.current_request))
    region = regions.get_region(actor.region_id)
    return page_reply([reports.summary(item, region) for item in items], cursor)


@bp.route("/v1/me/reports", methods=["GET"])
@endpoint(bp, auth="required")
def my_reports(actor):
    items, cursor = workflow.my_reports(actor, query(bp.current_request))
    views = [reports.summary(item, regions.get_region(item.region_id)) for item in items]
    return page_reply(views, cursor)
