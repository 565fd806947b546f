"""Routing worker: decides agency and kelurahan, then fans out to the agency."""
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


@bp.on_sqs_message(queue=resources.ROUTING_QUEUE.name, batch_size=resources.ROUTING_QUEUE.batch_size)
def route_reports(event):
    return batch.process(event, lambda record: routing.route_report(batch.body(record)["report_id"]))
