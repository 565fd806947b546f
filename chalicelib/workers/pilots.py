"""Scheduled pilot sweep: trial reminders and expiry."""
from chalice import Blueprint, Rate

from ..services import onboarding

bp = Blueprint(__name__)


@bp.schedule(Rate(1, unit=Rate.HOURS))
def sweep_pilots(event):
    return onboarding.sweep_pilots()
