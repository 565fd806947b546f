"""Partner webhooks: the reports table's stream feeds the queue, the queue
feeds the partners (``services.webhooks``).

The stream has two consumers, each with its own position, retries and
failure record: ``stats.count_report_changes`` (the performance tallies)
and ``push_report_changes`` here.  Separate, so that a partner feed that
cannot queue (SQS throttled) never holds back the rankings, nor a tally
bug the partners' status; on AWS an event filter invokes this one only for
partners' and forwarded reports (``infra/stack.py``).  Two is the number of
readers DynamoDB Streams serves per shard without throttling: a third
consumer would have to fan out from one of these.

The queue's consumer retries with an exponential backoff: a failed
delivery's message is kept invisible for its backoff
(``ChangeMessageVisibility``) and returned as a batch item failure; SQS
redelivers it then, and dead-letters it after ``maxReceiveCount``."""
import logging
from typing import TYPE_CHECKING

from chalice import Blueprint

from .. import resources
from ..lazy import lazy
from . import batch

if TYPE_CHECKING:  # imported on first use (chalicelib/lazy.py)
    from ..services import webhooks
else:
    webhooks = lazy("chalicelib.services.webhooks", rare=True)

bp = Blueprint(__name__)
log = logging.getLogger(__name__)


@bp.on_dynamodb_record(stream_arn=resources.REPORTS_STREAM_ARN, batch_size=resources.REPORTS_STREAM_BATCH,
                       starting_position="TRIM_HORIZON")
def push_report_changes(event):
    return batch.stream_changes(event, lambda old, new, _sequence: webhooks.record(old, new), log,
                                "not queued for partners")


def _send(record):
    attempt = int(record.get("attributes", {}).get("ApproximateReceiveCount") or 1)
    try:
        webhooks.deliver(batch.body(record), attempt)
    except webhooks.Retry as retry:
        log.warning("webhook message %s: attempt %d failed (%s); next in %d s", record.get("messageId"), attempt,
                    retry.reason, retry.delay)
        webhooks.defer(record["receiptHandle"], retry.delay)
        raise


@bp.on_sqs_message(queue=resources.PARTNER_WEBHOOKS_QUEUE.name, batch_size=resources.PARTNER_WEBHOOKS_QUEUE.batch_size)
def send_partner_webhooks(event):
    return batch.process(event, _send)
