"""Scheduled: re-evaluate the red flags of public works projects (the
time-dependent ones change with the calendar, not with a write), keeping
the budget totals' flagged counts true.  Hourly, so a flag follows a local
midnight in any of the three time zones within the hour; only changed
projects are written."""
from chalice import Blueprint, Rate

from ..services.projects import flag_sweep

bp = Blueprint(__name__)


@bp.schedule(Rate(1, unit=Rate.HOURS))
def refresh_project_flags(event):
    return {"changed": flag_sweep.refresh_all_flags()}
