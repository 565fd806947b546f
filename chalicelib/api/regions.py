"""Regions: public reference data (categories, areas, boundaries, status),
and the onboarding, pilot and usage endpoints for administrators."""
from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from ..contract import regions as contract
from ..contract.common import GEOJSON
from ..domain import roles
from ..lazy import lazy
from .endpoint import JSON, Reply, route

if TYPE_CHECKING:  # imported on the first request that uses them (chalicelib/lazy.py)
    from ..services import onboarding, pilots, regions
    from ..services import usage as metering
    from ..services.boundaries import files as boundary_files
    from ..services.boundaries import uploads as boundary_uploads
else:
    boundary_files = lazy("chalicelib.services.boundaries.files")
    boundary_uploads = lazy("chalicelib.services.boundaries.uploads", rare=True)
    metering = lazy("chalicelib.services.usage")
    onboarding = lazy("chalicelib.services.onboarding")
    pilots = lazy("chalicelib.services.pilots")
    regions = lazy("chalicelib.services.regions")

bp = Blueprint(__name__)
CSV = "text/csv"


@route(bp, "/v1/regions", "POST",
       summary="Onboard a regency or city from its Kemendagri code (platform admin); starts a six-month trial",
       body=contract.NewRegion, returns=contract.Region, status=201, auth="required", roles=("platform_admin",),
       reply_headers={"Location": "The region's URL"},
       errors={400: "Invalid input, or an unknown Kemendagri code", 409: "Region exists"})
def create_region(actor, body):
    view = onboarding.create_region(body, actor)
    return Reply(view, headers={"Location": f"/v1/regions/{view.region_id}"})


@route(bp, "/v1/regions/{region_id}",
       summary="A region: name and status for everyone; trial, SLA days, agencies and rules for its staff",
       returns=contract.Region, auth="optional", errors={404: "Unknown region"})
def get_region(region_id, actor):
    return onboarding.region_view(regions.get_region(region_id), actor)


@route(bp, "/v1/regions/{region_id}", "PATCH",
       summary="Edit the region's SLA days, time zone, agencies, project rules or OCDS prefix (region admin; audited)",
       body=contract.RegionSettings, returns=contract.Region, auth="required", roles=roles.ADMINS,
       errors={404: "Unknown region", 409: "An agency still in use"})
def update_region(region_id, actor, body):
    return onboarding.update_settings(region_id, body, actor)


@route(bp, "/v1/regions/{region_id}/categories", summary="The region's report categories, with agency and colour team",
       returns=contract.Categories, errors={404: "Unknown region"}, cache="public, max-age=60")
def categories(region_id):
    region = regions.get_region(region_id)
    return contract.Categories(region_id=region.region_id, categories=regions.categories_view(region))


@route(bp, "/v1/regions/{region_id}/categories", "PUT",
       summary="Replace the category table (region admin); categories left out are retired, never deleted",
       body=contract.CategoriesRequest, returns=contract.CategoriesReplaced, auth="required", roles=roles.ADMINS,
       errors={404: "Unknown region"})
def replace_categories(region_id, actor, body):
    return onboarding.update_categories(region_id, body, actor)


@route(bp, "/v1/regions/{region_id}/areas", summary="The official kecamatan and desa/kelurahan (Kemendagri codes)",
       returns=contract.Areas, errors={404: "Unknown region"}, cache="public, max-age=3600")
def areas(region_id):
    return onboarding.areas_view(regions.get_region(region_id))


@route(bp, "/v1/regions/{region_id}/boundaries",
       summary="The region's kelurahan/desa polygons for maps and pickers, simplified for display, with links to "
               "the full-precision file and every display level",
       returns=contract.Boundaries, reply_media=GEOJSON, errors={404: "Unknown region"},
       cache="public, max-age=300")
def boundaries(region_id):
    # read fresh (one GetItem): the version a switch just put in force, not this process's cached one
    return boundary_files.boundaries_view(regions.get_region(region_id, fresh=True))


@route(bp, "/v1/regions/{region_id}/boundaries", "PUT",
       summary="Replace the region's kelurahan/desa polygons with a small GeoJSON body (region admin); all or nothing",
       description="For files of any size (and Shapefiles) use `POST …/boundaries/uploads`. Only the geometry and "
                   "`properties.kelurahan_code` of each feature are read; the names come from the official area "
                   "list. A file with any problem (unknown, repeated or missing codes, invalid or self-intersecting "
                   "rings, overlaps, positions outside Indonesia) is refused whole with 422 and `error.problems` "
                   "listing every problem; the previous boundaries stay in force.",
       body=contract.BoundaryUpload, body_media=(JSON, GEOJSON), returns=contract.BoundariesReplaced,
       auth="required", roles=roles.ADMINS,
       errors={404: "Unknown region", 422: "Rejected: `error.problems` lists every problem"})
def replace_boundaries(region_id, actor, body):
    return boundary_uploads.replace(region_id, body, actor)


@route(bp, "/v1/regions/{region_id}/boundaries/uploads", "POST",
       summary="Upload the region's official boundaries, any size (region admin): a presigned upload of a GeoJSON "
               "or a zipped Shapefile, processed by a worker",
       description="Send the file with the returned form, then follow `status_url`: the worker reads it (WGS84, or "
                   "a UTM zone 46-54 N/S), checks every rule and either switches the region to the new version "
                   "once it is whole, or lists every problem.",
       body=contract.BoundaryUploadRequest, returns=contract.BoundaryUploadGranted, status=201, auth="required",
       roles=roles.ADMINS, errors={404: "Unknown region"})
def grant_boundary_upload(region_id, actor, body):
    return boundary_uploads.grant(region_id, body, actor)


@route(bp, "/v1/regions/{region_id}/boundaries/uploads/{upload_id}",
       summary="A boundary upload's progress, then its outcome: accepted (the version it became) or rejected "
               "(every problem)", returns=contract.BoundaryUploadStatus, auth="required", roles=roles.ADMINS,
       errors={404: "Unknown region or upload"})
def boundary_upload(region_id, upload_id, actor):
    return boundary_uploads.status(region_id, upload_id, actor)


@route(bp, "/v1/regions/{region_id}/usage",
       summary="Usage counters of one calendar month (region admin, platform admin); `format=csv` for invoicing",
       query=contract.UsageQuery, returns=contract.Usage, alt_media={CSV: str}, auth="required", roles=roles.ADMINS,
       errors={404: "Unknown region"})
def usage(region_id, actor, query):
    view = metering.usage(region_id, query.month, actor)
    accept = bp.current_request.headers.get("accept") or ""
    if query.format == "csv" or (query.format is None and CSV in accept):
        return Response(body=metering.usage_csv(view), status_code=200, headers={
            "Content-Type": f"{CSV}; charset=utf-8", "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="usage-{view.region_id}-{view.month}.csv"'})
    return view


@route(bp, "/v1/regions/{region_id}/lifecycle", "POST",
       summary="Convert a region to active, extend or end its trial (platform admin; audited)",
       body=contract.LifecycleRequest, returns=contract.Region, auth="required", roles=("platform_admin",),
       errors={400: "Invalid input (extend_trial needs `months`)", 404: "Unknown region",
               409: "Not allowed in this status, or changed concurrently"})
def lifecycle(region_id, actor, body):
    return pilots.change_lifecycle(region_id, body, actor)
