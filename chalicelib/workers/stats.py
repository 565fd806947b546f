"""Performance tallies: every write of the reports table arrives from its
DynamoDB stream (new and old images) and is counted once by
``services.performance.record``.  A failed record is returned as the batch's
failure, and the records after it are left for the retry, so each shard
keeps its order."""
import logging
from typing import TYPE_CHECKING

from chalice import Blueprint

from .. import resources
from ..lazy import lazy
from . import batch

if TYPE_CHECKING:  # imported on first use (chalicelib/lazy.py)
    from ..services import performance
else:
    performance = lazy("chalicelib.services.performance")

bp = Blueprint(__name__)
log = logging.getLogger(__name__)


@bp.on_dynamodb_record(stream_arn=resources.REPORTS_STREAM_ARN, batch_size=resources.REPORTS_STREAM_BATCH,
                       starting_position="TRIM_HORIZON")
def count_report_changes(event):
    return batch.stream_changes(event, performance.record, log, "not counted")
