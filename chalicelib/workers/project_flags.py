"""Scheduled: re-evaluate the red flags of public works projects (the
time-dependent ones change with the calendar, not with a write), keeping
the budget totals' flagged counts true.  Hourly, so a flag follows a local
midnight in any of the three time zones within the hour; only changed
projects are written."""
from typing import TYPE_CHECKING

from chalice import Blueprint, Rate

from ..lazy import lazy

if TYPE_CHECKING:  # imported on first use (chalicelib/lazy.py)
    from ..services.projects import flag_sweep
else:
    flag_sweep = lazy("chalicelib.services.projects.flag_sweep")

bp = Blueprint(__name__)


@bp.schedule(Rate(1, unit=Rate.HOURS))
def refresh_project_flags(event):
    return {"changed": flag_sweep.refresh_all_flags()}
