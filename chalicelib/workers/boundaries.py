"""Boundaries worker: a region's boundary file uploaded to the bucket
(S3 object-created notification through SQS) is read, checked, simplified
and published by ``services.boundaries.uploads``.  Only this worker imports
the Shapefile reader and the geometry rules it needs."""
import logging
from typing import TYPE_CHECKING

from chalice import Blueprint

from .. import resources
from ..lazy import lazy
from . import batch

if TYPE_CHECKING:  # imported on first use (chalicelib/lazy.py)
    from ..services.boundaries import uploads
else:
    uploads = lazy("chalicelib.services.boundaries.uploads", rare=True)

bp = Blueprint(__name__)
log = logging.getLogger(__name__)


def _handle(record):
    for _bucket, key in batch.s3_objects(record):
        outcome = uploads.process(key)
        log.info("boundary upload: %s", outcome)


@bp.on_sqs_message(queue=resources.BOUNDARIES_QUEUE.name, batch_size=resources.BOUNDARIES_QUEUE.batch_size)
def process_boundaries(event):
    return batch.process(event, _handle)
