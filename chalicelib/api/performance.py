"""Performance: monthly rankings and the region's figures over a range."""
from chalice import Blueprint

from ..contract import performance as contract
from ..services import performance
from .endpoint import route

bp = Blueprint(__name__)


@route(bp, "/v1/regions/{region_id}/rankings",
       summary="One month's ranking of officers, kelurahan/desa, kecamatan or agencies, with each row's score, "
               "components and volume",
       description=contract.SCORE_DOCUMENTATION, query=contract.RankingQuery, returns=contract.Rankings,
       auth="optional", errors={403: "The officer level is for region admins and agency heads",
                                404: "Unknown region"}, cache="private, max-age=60")
def rankings(region_id, actor, query):
    return performance.rankings(region_id, query.level, query.month, actor)


@route(bp, "/v1/regions/{region_id}/stats",
       summary="The reports created in a range of days, grouped; SLA shares, medians and the 90th percentile for "
               "the region's staff; and the region's waiting / in process / done now",
       query=contract.StatsQuery, returns=contract.Stats, auth="optional",
       errors={400: "Invalid range", 404: "Unknown region"}, cache="private, max-age=60")
def stats(region_id, actor, query):
    return performance.stats(region_id, query, actor)


@route(bp, "/v1/platform/rankings",
       summary="Every region's month side by side, ranked by the same score (platform admin)",
       description=contract.SCORE_DOCUMENTATION, query=contract.PlatformRankingQuery, returns=contract.Rankings,
       auth="required", roles=("platform_admin",), cache="private, max-age=60")
def platform_rankings(actor, query):
    return performance.platform_rankings(query.month, actor)


@route(bp, "/v1/regions/{region_id}/reports/map",
       summary="The region's verified reports as GeoJSON points for maps (public; paged, one Query a page)",
       query=contract.MapQuery, returns=contract.ReportsMap, reply_media="application/geo+json",
       errors={400: "Invalid filter or cursor", 404: "Unknown region"}, cache="public, max-age=60")
def reports_map(region_id, query):
    return performance.reports_map(region_id, query)
