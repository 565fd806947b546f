"""Performance tallies: every write of the reports table arrives from its
DynamoDB stream (new and old images) and is counted once by
``services.performance.record``.  A failed record is returned as the batch's
failure, and the records after it are left for the retry, so each shard
keeps its order."""
import logging

from boto3.dynamodb.types import TypeDeserializer
from chalice import Blueprint

from .. import logs, resources
from ..services import performance
from . import batch

bp = Blueprint(__name__)
log = logging.getLogger(__name__)
_values = TypeDeserializer()


def _plain(image):
    return {name: _values.deserialize(value) for name, value in image.items()} if image else None


@bp.on_dynamodb_record(stream_arn=resources.REPORTS_STREAM_ARN, batch_size=resources.REPORTS_STREAM_BATCH,
                       starting_position="TRIM_HORIZON")
def count_report_changes(event):
    for record in batch.records(event):
        change = record.get("dynamodb", {})
        sequence = change.get("SequenceNumber", "")
        logs.correlate(sequence)
        try:
            performance.record(_plain(change.get("OldImage")), _plain(change.get("NewImage")), sequence)
        except Exception:  # retried from here; what came before is kept
            log.exception("stream record %s failed", sequence)
            return {"batchItemFailures": [{"itemIdentifier": sequence}]}
    return {"batchItemFailures": []}
