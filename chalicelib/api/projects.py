"""Public works projects (QlueWork): registration, progress, disbursements,
files, and the public budget-progress pages, map layer and OCDS export."""
from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from ..contract import projects as contract
from ..contract.common import GEOJSON, Page
from ..domain import roles
from ..lazy import lazy
from .endpoint import IDEMPOTENCY_KEY, Reply, route

if TYPE_CHECKING:  # imported on the first request that uses them (chalicelib/lazy.py)
    from ..services import reports
    from ..services.projects import clock, commands, files, ocds, queries, views
else:
    commands = lazy("chalicelib.services.projects.commands")
    files = lazy("chalicelib.services.projects.files")
    ocds = lazy("chalicelib.services.projects.ocds", rare=True)
    clock = lazy("chalicelib.services.projects.clock")
    queries = lazy("chalicelib.services.projects.queries")
    reports = lazy("chalicelib.services.reports")
    views = lazy("chalicelib.services.projects.views")

bp = Blueprint(__name__)
_RETRY = "A retry with the same key (from the same account) is answered with the project as it is, never applied twice."


def _page(project, region):
    return views.project_view(project, region, clock.today(region), reports.view_url, queries.audit_reports(project))


@route(bp, "/v1/regions/{region_id}/projects", "POST",
       summary="Register a public works project (region admin, or the agency's own staff)",
       description="Counted at once in the region's budget totals. With `Idempotency-Key`, a retry returns the same "
                   "project (never a second one); the same key with a different body gets 422.",
       body=contract.NewProject, returns=contract.Project, status=201, auth="required", roles=roles.PROJECT_MANAGERS,
       headers=(IDEMPOTENCY_KEY,), reply_headers={"Location": "The project's URL"},
       errors={403: "Another agency's project, or the region's pilot has ended", 404: "Unknown region",
               409: "Busy; retry", 422: "Idempotency key reused for a different project"})
def register_project(region_id, actor, body, idempotency_key):
    project, region = commands.register(region_id, body, actor, idempotency_key)
    return Reply(_page(project, region), headers={"Location": f"/v1/projects/{project.id}"})


@route(bp, "/v1/regions/{region_id}/projects",
       summary="A region's projects (public), newest fiscal year first; GeoJSON for maps with "
               "`Accept: application/geo+json` or `format=geojson`",
       description="Filters `status` and `red_flag` are evaluated as of today, after the Query: a page may hold "
                   "fewer than `limit` items; follow `next_cursor` until it is null.",
       query=contract.ProjectsQuery, returns=Page[contract.ProjectSummary],
       alt_media={GEOJSON: contract.ProjectFeatureCollection},
       errors={404: "Unknown region"})
def list_projects(region_id, query):
    wanted = views.list_format(query, bp.current_request.headers.get("accept"))
    items, cursor, region = queries.list_projects(region_id, query)
    on = clock.today(region)
    if wanted == "geojson":
        collection = contract.ProjectFeatureCollection(
            features=[views.feature(p, region, on) for p in items], next_cursor=cursor)
        return Reply(collection, media=GEOJSON)
    return Page([views.summary(p, region, on) for p in items], cursor)


@route(bp, "/v1/projects/{project_id}",
       summary="The project page (public): physical, financial and time-elapsed progress, red flags with their "
               "rules, history, photos, documents and citizen audits",
       returns=contract.Project, errors={404: "Unknown project"})
def get_project(project_id):
    project = queries.load(project_id)
    return _page(project, queries.region_of(project))


@route(bp, "/v1/projects/{project_id}/files/{file_id}",
       summary="A stable public link to a project's photo or document: 302 to a short-lived presigned URL",
       description="What the OCDS export publishes: the link does not expire, the URL it redirects to does.",
       status=302, returns=None, reply_headers={"Location": "A presigned GET of the file, valid for 15 minutes"},
       errors={404: "Unknown project or file"})
def get_project_file(project_id, file_id):
    location = reports.view_url(files.file_key(project_id, file_id))
    return Response(body="", status_code=302, headers={"Location": location, "Cache-Control": "no-store"})


@route(bp, "/v1/projects/{project_id}/progress", "POST",
       summary="The project's contractor reports physical progress with at least one photo; a region admin may "
               "correct it (also downwards) with `correction_reason`",
       description=_RETRY, body=contract.ProgressRequest, returns=contract.Project, status=201, auth="required",
       roles=("contractor", "region_admin", "platform_admin"), headers=(IDEMPOTENCY_KEY,),
       errors={403: "Not the project's contractor", 404: "Unknown project",
               409: "A photo not processed yet or already used, or the project is busy; retry",
               422: "Idempotency key reused for a different request"})
def report_progress(project_id, actor, body, idempotency_key):
    project, region = commands.report_progress(project_id, body, actor, idempotency_key)
    return _page(project, region)


@route(bp, "/v1/projects/{project_id}/disbursements", "POST",
       summary="The finance officer records a disbursement (termin); the sum never exceeds the contract value",
       description=_RETRY, body=contract.DisbursementRequest, returns=contract.Project, status=201, auth="required",
       roles=("finance",), headers=(IDEMPOTENCY_KEY,),
       errors={404: "Unknown project", 409: "Reference already recorded, too many disbursements, or the project is "
                                          "busy; retry", 422: "Idempotency key reused for a different request"})
def record_disbursement(project_id, actor, body, idempotency_key):
    project, region = commands.record_disbursement(project_id, body, actor, idempotency_key)
    return _page(project, region)


@route(bp, "/v1/projects/{project_id}/photos", "POST",
       summary="A presigned upload for one progress photo (the project's contractor); once processed it appears "
               "in the project's `photos` and can back a progress report",
       body=contract.ProjectPhotoUploadRequest, returns=contract.ProjectPhotoUpload, status=201, auth="required",
       roles=("contractor",),
       errors={403: "Not the project's contractor", 404: "Unknown project",
               409: "The project's upload limit is reached"})
def request_project_photo_upload(project_id, actor, body):
    return files.request_photo_upload(project_id, body, actor)


@route(bp, "/v1/projects/{project_id}/documents", "POST",
       summary="A presigned upload for one contract document (PDF, at most 20 MB; region admin or the project's "
               "agency)",
       body=contract.DocumentUploadRequest, returns=contract.DocumentUpload, status=201, auth="required",
       roles=roles.PROJECT_MANAGERS,
       errors={403: "Not the project's agency", 404: "Unknown project", 409: "The project's upload limit is reached"})
def request_project_document_upload(project_id, actor, body):
    return files.request_document_upload(project_id, body, actor)


@route(bp, "/v1/regions/{region_id}/budget",
       summary="Budget totals (public) for the region, per agency and per kecamatan, from pre-computed items",
       query=contract.YearQuery, returns=contract.Budget, errors={404: "Unknown region"})
def get_budget(region_id, query):
    return queries.budget(region_id, query)


@route(bp, "/v1/regions/{region_id}/ocds",
       summary="The region's projects as an Open Contracting (OCDS 1.1) release package",
       description="Validates against the OCDS 1.1 release package schema with the Location extension "
                   "(https://standard.open-contracting.org/1.1/en/schema/release_package/). File links are stable "
                   "`GET /v1/projects/{id}/files/{file_id}` redirects.",
       query=contract.YearQuery, returns=contract.OcdsReleasePackage, errors={404: "Unknown region"})
def get_ocds(region_id, query):
    request = bp.current_request
    base = _base_url(request)

    def stable(project_id, file_id):
        return f"{base}/v1/projects/{project_id}/files/{file_id}"

    return ocds.package(region_id, query, f"{base}/v1/regions/{region_id}/ocds", stable)


def _base_url(request):
    """The API's public base URL as the caller reached it: on API Gateway's
    own host the stage is part of the path; behind a custom domain it is not."""
    headers = request.headers
    host = headers.get("host", "localhost")
    stage = (request.context or {}).get("stage") or ""
    prefix = f"/{stage}" if stage and host.endswith(".amazonaws.com") else ""
    return f"{headers.get('x-forwarded-proto', 'https')}://{host}{prefix}"
