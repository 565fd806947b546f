"""A region's public reference data: categories and kelurahan boundaries."""
from chalice import Blueprint

from ..services import regions
from .http import endpoint, reply

bp = Blueprint(__name__)


@bp.route("/v1/regions/{region_id}/categories", methods=["GET"])
@endpoint(bp)
def categories(region_id):
    region = regions.get_region(region_id)
    return reply({"region_id": region.region_id, "categories": regions.categories_view(region)},
                 headers={"Cache-Control": "public, max-age=300"})


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
