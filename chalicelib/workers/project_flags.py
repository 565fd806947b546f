"""Scheduled: re-evaluate the red flags of public works projects once per
local day (the time-dependent ones change with the calendar, not with a
write), keeping the budget totals' flagged counts true."""
from chalice import Blueprint, Rate

from ..services import projects

bp = Blueprint(__name__)


@bp.schedule(Rate(1, unit=Rate.HOURS))
def refresh_project_flags(event):
    return {"changed": projects.refresh_all_flags()}
