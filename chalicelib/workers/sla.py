"""Scheduled SLA sweep: flag overdue reports and escalate them."""
from chalice import Blueprint, Rate

from ..services import workflow

bp = Blueprint(__name__)


@bp.schedule(Rate(5, unit=Rate.MINUTES))
def mark_overdue(event):
    return {"overdue": workflow.mark_overdue()}
