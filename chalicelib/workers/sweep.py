"""Scheduled safety net: re-enqueue reports left unrouted too long."""
import os
from typing import TYPE_CHECKING

from chalice import Blueprint, Rate

from ..lazy import lazy

if TYPE_CHECKING:  # imported on first use (chalicelib/lazy.py)
    from ..services import routing
else:
    routing = lazy("chalicelib.services.routing")

bp = Blueprint(__name__)


@bp.schedule(Rate(5, unit=Rate.MINUTES))
def sweep_unrouted(event):
    minutes = float(os.environ.get("ADUAN_UNROUTED_AFTER_MINUTES", "5"))
    return {"requeued": routing.sweep_unrouted(minutes)}
