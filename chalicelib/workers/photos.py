"""Upload worker: S3 object-created notifications (report photos, project photos and documents)
arrive through SQS; each object goes through the one upload pipeline."""
import logging

from chalice import Blueprint

from .. import resources
from ..services.uploads import pipeline
from . import batch

bp = Blueprint(__name__)
log = logging.getLogger(__name__)


def _handle(record):
    notification = batch.body(record)
    if notification.get("Event") == "s3:TestEvent":
        return  # S3 sends this once when the notification is configured
    for entry in notification.get("Records", []):
        s3 = entry["s3"]
        outcome = pipeline.process_upload(s3["bucket"]["name"], _unquote(s3["object"]["key"]))
        log.info("upload %s: %s", s3["object"]["key"], outcome)


def _unquote(key):
    # S3 URL-encodes keys in notifications (spaces as '+').
    from urllib.parse import unquote_plus

    return unquote_plus(key)


@bp.on_sqs_message(queue=resources.PHOTOS_QUEUE.name, batch_size=resources.PHOTOS_QUEUE.batch_size)
def process_photos(event):
    return batch.process(event, _handle)
