"""Dispatch worker: delivers verified reports to their agencies and tells
reporters about every status change."""
from typing import TYPE_CHECKING

from chalice import Blueprint

from .. import resources
from ..lazy import lazy
from . import batch

if TYPE_CHECKING:  # imported on first use (chalicelib/lazy.py)
    from ..services import routing
else:
    routing = lazy("chalicelib.services.routing")

bp = Blueprint(__name__)


def _deliver(record):
    routing.handle_event(batch.body(record))


@bp.on_sqs_message(queue=resources.DISPATCH_QUEUE.name, batch_size=resources.DISPATCH_QUEUE.batch_size)
def dispatch_reports(event):
    return batch.process(event, _deliver)
