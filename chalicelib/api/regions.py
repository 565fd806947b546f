"""Regions: public reference data (categories, areas, boundaries, status),
and the onboarding, pilot and usage endpoints for administrators."""
from chalice import Blueprint, Response

from ..services import onboarding, regions
from .http import ANY_BODY, endpoint, json_body, query, reply

bp = Blueprint(__name__)
ADMINS = ("region_admin", "platform_admin")


@bp.route("/v1/regions", methods=["POST"], content_types=ANY_BODY)
@endpoint(bp, auth="required", roles=("platform_admin",))
def create_region(actor):
    view = onboarding.create_region(json_body(bp.current_request), actor)
    return reply(view, 201, headers={"Location": f"/v1/regions/{view['region_id']}"})


@bp.route("/v1/regions/{region_id}", methods=["GET"])
@endpoint(bp, auth="optional")
def get_region(region_id, actor):
    return reply(onboarding.region_view(regions.get_region(region_id), actor), headers={"Cache-Control": "no-store"})


@bp.route("/v1/regions/{region_id}", methods=["PATCH"], content_types=ANY_BODY)
@endpoint(bp, auth="required", roles=ADMINS)
def update_region(region_id, actor):
    return reply(onboarding.update_settings(region_id, json_body(bp.current_request), actor))


@bp.route("/v1/regions/{region_id}/categories", methods=["GET"])
@endpoint(bp)
def categories(region_id):
    region = regions.get_region(region_id)
    return reply({"region_id": region.region_id, "categories": regions.categories_view(region)},
                 headers={"Cache-Control": "public, max-age=300"})


@bp.route("/v1/regions/{region_id}/categories", methods=["PUT"], content_types=ANY_BODY)
@endpoint(bp, auth="required", roles=ADMINS)
def replace_categories(region_id, actor):
    return reply(onboarding.update_categories(region_id, json_body(bp.current_request), actor))


@bp.route("/v1/regions/{region_id}/areas", methods=["GET"])
@endpoint(bp)
def areas(region_id):
    return reply(onboarding.areas_view(regions.get_region(region_id)), headers={"Cache-Control": "public, max-age=3600"})


@bp.route("/v1/regions/{region_id}/boundaries", methods=["GET"])
@endpoint(bp)
def boundaries(region_id):
    region = regions.get_region(region_id)
    collection = {
        "type": "FeatureCollection",
        "region_id": region.region_id,
        "version": region.boundaries_version,
        "features": regions.boundary_features(region),
    }
    return reply(collection, content_type="application/geo+json",
                 headers={"Cache-Control": "public, max-age=300"})


@bp.route("/v1/regions/{region_id}/boundaries", methods=["PUT"],
          content_types=ANY_BODY + ["application/geo+json"])
@endpoint(bp, auth="required", roles=ADMINS)
def replace_boundaries(region_id, actor):
    return reply(onboarding.replace_boundaries(region_id, json_body(bp.current_request), actor))


@bp.route("/v1/regions/{region_id}/usage", methods=["GET"])
@endpoint(bp, auth="required", roles=ADMINS)
def usage(region_id, actor):
    params = query(bp.current_request)
    view = onboarding.usage(region_id, params.get("month"), actor)
    wants_csv = params.get("format") == "csv" or "text/csv" in (bp.current_request.headers.get("accept") or "")
    if wants_csv:
        return Response(body=onboarding.usage_csv(view), status_code=200, headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="usage-{view["region_id"]}-{view["month"]}.csv"'})
    return reply(view)


@bp.route("/v1/regions/{region_id}/lifecycle", methods=["POST"], content_types=ANY_BODY)
@endpoint(bp, auth="required", roles=("platform_admin",))
def lifecycle(region_id, actor):
    return reply(onboarding.change_lifecycle(region_id, json_body(bp.current_request), actor))
