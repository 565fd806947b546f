"""Routing worker: decides agency and kelurahan, then fans out to the agency."""
from chalice import Blueprint

from .. import resources
from ..services import routing
from . import batch

bp = Blueprint(__name__)


@bp.on_sqs_message(queue=resources.ROUTING_QUEUE.name, batch_size=resources.ROUTING_QUEUE.batch_size)
def route_reports(event):
    return batch.process(event, lambda record: routing.route_report(batch.body(record)["report_id"]))
