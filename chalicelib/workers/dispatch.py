"""Dispatch worker: delivers verified reports to their agencies and tells
reporters about every status change."""
from chalice import Blueprint

from .. import resources
from ..services import routing
from . import batch

bp = Blueprint(__name__)


def _deliver(record):
    routing.handle_event(batch.body(record))


@bp.on_sqs_message(queue=resources.DISPATCH_QUEUE.name, batch_size=resources.DISPATCH_QUEUE.batch_size)
def dispatch_reports(event):
    return batch.process(event, _deliver)
