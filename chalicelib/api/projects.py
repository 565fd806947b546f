"""Public works projects (QlueWork): registration, progress, disbursements,
files, and the public budget-progress pages, map layer and OCDS export."""
from chalice import Blueprint, Response

from ..services import ocds_export, project_files, projects
from ..services.reports import view_url
from .http import ANY_BODY, endpoint, json_body, page_reply, query, reply

bp = Blueprint(__name__)
MANAGERS = ("region_admin", "platform_admin", "officer", "agency_head")


def _page(project, region):
    return projects.project_view(project, region, view_url, projects.audit_reports(project))


@bp.route("/v1/regions/{region_id}/projects", methods=["POST"], content_types=ANY_BODY)
@endpoint(bp, auth="required", roles=MANAGERS)
def register_project(region_id, actor):
    request = bp.current_request
    project, region = projects.register(region_id, json_body(request), actor, request.headers.get("idempotency-key"))
    return reply(_page(project, region), 201, headers={"Location": f"/v1/projects/{project.id}"})


@bp.route("/v1/regions/{region_id}/projects", methods=["GET"])
@endpoint(bp)
def list_projects(region_id):
    request = bp.current_request
    params = query(request)
    wanted = projects.list_format(params, request.headers.get("accept"))
    items, cursor, region = projects.list_projects(region_id, params)
    on = projects.today(region)
    if wanted == "geojson":
        body = {"type": "FeatureCollection", "features": [projects.feature(p, region, on) for p in items],
                "next_cursor": cursor}
        return reply(body, headers={"Cache-Control": "no-store"}, content_type=projects.GEOJSON)
    return page_reply([projects.summary(p, region, on) for p in items], cursor)


@bp.route("/v1/projects/{project_id}", methods=["GET"])
@endpoint(bp)
def get_project(project_id):
    project = projects.load(project_id)
    region = projects.region_of(project)
    return reply(_page(project, region), headers={"Cache-Control": "no-store"})


@bp.route("/v1/projects/{project_id}/files/{file_id}", methods=["GET"])
@endpoint(bp)
def get_file(project_id, file_id):
    """A stable link to a photo or document: redirects to a fresh
    short-lived presigned URL (what the OCDS export publishes)."""
    location = view_url(projects.file_key(project_id, file_id))
    return Response(body="", status_code=302, headers={"Location": location, "Cache-Control": "no-store"})


@bp.route("/v1/projects/{project_id}/progress", methods=["POST"], content_types=ANY_BODY)
@endpoint(bp, auth="required", roles=("contractor", "region_admin", "platform_admin"))
def report_progress(project_id, actor):
    request = bp.current_request
    project, region = projects.report_progress(project_id, json_body(request), actor,
                                               request.headers.get("idempotency-key"))
    return reply(_page(project, region), 201)


@bp.route("/v1/projects/{project_id}/disbursements", methods=["POST"], content_types=ANY_BODY)
@endpoint(bp, auth="required", roles=("finance",))
def record_disbursement(project_id, actor):
    request = bp.current_request
    project, region = projects.record_disbursement(project_id, json_body(request), actor,
                                                   request.headers.get("idempotency-key"))
    return reply(_page(project, region), 201)


@bp.route("/v1/projects/{project_id}/photos", methods=["POST"], content_types=ANY_BODY)
@endpoint(bp, auth="required", roles=("contractor",))
def request_photo_upload(project_id, actor):
    return reply(project_files.request_upload(project_id, json_body(bp.current_request), actor, "photo"), 201)


@bp.route("/v1/projects/{project_id}/documents", methods=["POST"], content_types=ANY_BODY)
@endpoint(bp, auth="required", roles=MANAGERS)
def request_document_upload(project_id, actor):
    return reply(project_files.request_upload(project_id, json_body(bp.current_request), actor, "document"), 201)


@bp.route("/v1/regions/{region_id}/budget", methods=["GET"])
@endpoint(bp)
def budget(region_id):
    return reply(projects.budget(region_id, query(bp.current_request)), headers={"Cache-Control": "no-store"})


@bp.route("/v1/regions/{region_id}/ocds", methods=["GET"])
@endpoint(bp)
def ocds(region_id):
    request = bp.current_request
    base = _base_url(request)

    def stable(project_id, file_id):
        return f"{base}/v1/projects/{project_id}/files/{file_id}"

    return reply(ocds_export.package(region_id, query(request), f"{base}/v1/regions/{region_id}/ocds", stable),
                 headers={"Cache-Control": "no-store"})


def _base_url(request):
    """The API's public base URL as the caller reached it: on API Gateway's
    own host the stage is part of the path; behind a custom domain it is not."""
    headers = request.headers
    host = headers.get("host", "localhost")
    stage = (request.context or {}).get("stage") or ""
    prefix = f"/{stage}" if stage and host.endswith(".amazonaws.com") else ""
    return f"{headers.get('x-forwarded-proto', 'https')}://{host}{prefix}"
