"""Scheduled SLA sweep: flag overdue reports and escalate them."""
from typing import TYPE_CHECKING

from chalice import Blueprint, Rate

from ..lazy import lazy

if TYPE_CHECKING:  # imported on first use (chalicelib/lazy.py)
    from ..services import workflow
else:
    workflow = lazy("chalicelib.services.workflow")

bp = Blueprint(__name__)


@bp.schedule(Rate(5, unit=Rate.MINUTES))
def mark_overdue(event):
    return {"overdue": workflow.mark_overdue()}
