"""Scheduled pilot sweep: trial reminders and expiry."""
from typing import TYPE_CHECKING

from chalice import Blueprint, Rate

from ..lazy import lazy

if TYPE_CHECKING:  # imported on first use (chalicelib/lazy.py)
    from ..services import pilots
else:
    pilots = lazy("chalicelib.services.pilots")

bp = Blueprint(__name__)


@bp.schedule(Rate(1, unit=Rate.HOURS))
def sweep_pilots(event):
    return pilots.sweep_pilots()
