"""Exports worker: a staff CSV export too large to answer at once is written
to the bucket by ``services.exports``."""
import logging

from chalice import Blueprint

from .. import resources
from ..services import exports
from . import batch

bp = Blueprint(__name__)
log = logging.getLogger(__name__)


@bp.on_sqs_message(queue=resources.EXPORTS_QUEUE.name, batch_size=resources.EXPORTS_QUEUE.batch_size)
def write_exports(event):
    return batch.process(event, lambda record: log.info("export written: %d rows",
                                                        exports.write_export(batch.body(record))))
