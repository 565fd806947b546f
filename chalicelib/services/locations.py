"""The desk sets or corrects a report's point (``POST /v1/reports/{id}/location``).

A partner's or an SMS report placed by its desa/kelurahan code alone has no
point, so it is on no map; the verifier (or a region admin) places it.  The
domain decides (``domain.workflow.plan_location``: a point inside the
region's boundaries, an open report, its desa while it waits, the map keys a
report created with a point would have); this applies it.  AWS calls: one
GetItem (the plan depends on the report's status and confidentiality), the
region's routing index (cached per process and boundary version, as for
routing), one conditional UpdateItem on the version read.  No message: the
status does not change (a partner hears of it from the reports stream, as of
any history entry)."""
from __future__ import annotations

from ..auth.identity import Identity
from ..contract import reports as contract
from ..domain import reports as rules
from ..domain import workflow as plans
from ..domain.errors import Forbidden, NotFound
from ..domain.regions import RegionConfig
from ..store import reports as store
from ..store.models import ReportModel
from . import regions
from .boundaries import files as boundary_files
from .workflow import apply_read


def set_location(report_id: str, body: contract.LocationRequest,
                 actor: Identity) -> tuple[ReportModel, RegionConfig]:
    rules.check_report_id(report_id)
    if actor.role not in plans.DESK_ROLES:
        raise Forbidden("forbidden")
    report = store.get(report_id)
    if report is None or not actor.is_staff or not actor.in_region(report.region_id):
        raise NotFound("report_not_found", report_id=report_id)
    region = regions.get_region(report.region_id)
    areas = boundary_files.area_index(region)

    return apply_read(report, lambda current: plans.plan_location(
        current, body.lat, body.lon, body.note, actor, region, areas, rules.now_utc())), region
