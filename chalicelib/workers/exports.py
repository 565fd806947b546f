"""Exports worker: a staff CSV export too large to answer at once is written
to the bucket by ``services.exports``."""
import logging
from typing import TYPE_CHECKING

from chalice import Blueprint

from .. import resources
from ..lazy import lazy
from . import batch

if TYPE_CHECKING:  # imported on first use (chalicelib/lazy.py)
    from ..services import exports
else:
    exports = lazy("chalicelib.services.exports", rare=True)

bp = Blueprint(__name__)
log = logging.getLogger(__name__)


@bp.on_sqs_message(queue=resources.EXPORTS_QUEUE.name, batch_size=resources.EXPORTS_QUEUE.batch_size)
def write_exports(event):
    return batch.process(event, lambda record: log.info("export written: %d rows",
                                                        exports.write_export(batch.body(record))))
