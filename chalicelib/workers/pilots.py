"""Scheduled pilot sweep: trial reminders and expiry."""
from chalice import Blueprint, Rate

from ..services import pilots

bp = Blueprint(__name__)


@bp.schedule(Rate(1, unit=Rate.HOURS))
def sweep_pilots(event):
    return pilots.sweep_pilots()
