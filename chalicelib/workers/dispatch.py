"""Dispatch worker: delivers routed reports to their agencies."""
from chalice import Blueprint

from .. import resources
from ..services import routing
from . import batch

bp = Blueprint(__name__)


def _deliver(record):
    message = batch.body(record)
    routing.dispatch_report(message["report_id"], message["region_id"], message["agency"])


@bp.on_sqs_message(queue=resources.DISPATCH_QUEUE.name, batch_size=resources.DISPATCH_QUEUE.batch_size)
def dispatch_reports(event):
    return batch.process(event, _deliver)
