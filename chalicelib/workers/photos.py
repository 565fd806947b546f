"""Upload worker: S3 object-created notifications (report photos, project photos and documents)
arrive through SQS; each object goes through the one upload pipeline."""
import logging
from typing import TYPE_CHECKING

from chalice import Blueprint

from .. import resources
from ..lazy import lazy
from . import batch

if TYPE_CHECKING:  # imported on first use (chalicelib/lazy.py)
    from ..services.uploads import pipeline
else:
    pipeline = lazy("chalicelib.services.uploads.pipeline")

bp = Blueprint(__name__)
log = logging.getLogger(__name__)


def _handle(record):
    for bucket, key in batch.s3_objects(record):
        outcome = pipeline.process_upload(bucket, key)
        log.info("upload %s: %s", key, outcome)


@bp.on_sqs_message(queue=resources.PHOTOS_QUEUE.name, batch_size=resources.PHOTOS_QUEUE.batch_size)
def process_photos(event):
    return batch.process(event, _handle)
