"""Performance: monthly rankings and the region's figures over a range."""
from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from ..contract import performance as contract
from ..domain import roles
from ..lazy import lazy
from .endpoint import route

if TYPE_CHECKING:  # imported on the first request that uses them (chalicelib/lazy.py)
    from ..services import exports, performance
else:
    exports = lazy("chalicelib.services.exports", rare=True)
    performance = lazy("chalicelib.services.performance")

CSV = "text/csv"

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


@route(bp, "/v1/regions/{region_id}/exports/reports.csv",
       summary="The reports created in a range as CSV, with their stage times in working days (the region's staff)",
       description="Columns: " + ", ".join(contract.EXPORT_COLUMNS) + ". No reporter, contact, description or "
                   f"address. Up to {contract.EXPORT_SYNC_ROWS} reports are answered at once (text/csv); a larger range is written "
                   "in the background: the reply is then the job (JSON), whose `status_url` gives the file's link when "
                   "ready. "
                   "Its totals equal the staff view of `stats` for the same range.",
       query=contract.ExportQuery, returns=contract.ExportJob, alt_media={CSV: str}, auth="required",
       roles=roles.REPORT_STAFF, errors={400: "Invalid range", 403: "Not the region's staff", 404: "Unknown region"})
def export_reports(region_id, actor, query):
    result = exports.reports_csv(region_id, query.from_, query.to, actor)
    if isinstance(result, str):
        return Response(body=result, status_code=200, headers={
            "Content-Type": f"{CSV}; charset=utf-8", "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="reports-{region_id}.csv"'})
    return contract.ExportJob(**result)


@route(bp, "/v1/regions/{region_id}/exports/{job_id}",
       summary="A background CSV export: processing, or ready with a link (an hour)",
       returns=contract.ExportJob, auth="required", roles=roles.REPORT_STAFF,
       errors={403: "Not the region's staff", 404: "Unknown export"})
def export_status(region_id, job_id, actor):
    return contract.ExportJob(**exports.export_status(region_id, job_id, actor))
