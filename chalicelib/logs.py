"""Log setup: one JSON object per line, INFO for our own modules, with the
correlation id of the work in hand — the API Gateway request id of an HTTP
request, the SQS message id of a worker's record — so that CloudWatch Logs
Insights can follow one request or message across lines.

What goes into a line is decided where it is written: ids of reports,
projects, regions and messages, codes and counts; never a phone number, an
e-mail, a name, an account id (Cognito sub) or a token (``tests/test_logs.py``
runs a whole flow and looks for them).

The standard library's ``logging`` with a small formatter, not Powertools'
``Logger``: importing ``aws_lambda_powertools`` costs 59–82 ms of the cold
start on this machine, for the same JSON lines.
"""
from __future__ import annotations

import contextvars
import json
import logging
import os
from datetime import datetime, timezone
from typing import Any

correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("correlation_id", default=None)


def correlate(value: str | None) -> contextvars.Token:
    """Tag the lines logged from now on (in this context) with ``value``."""
    return correlation_id.set(value)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if (correlation := correlation_id.get()) is not None:
            line["correlation_id"] = correlation
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging() -> None:
    """Our modules at ``ADUAN_LOG_LEVEL`` (INFO), every handler of the root
    logger (Lambda installs one; locally a stderr one) writing JSON."""
    level = os.environ.get("ADUAN_LOG_LEVEL", "INFO").upper()
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig()
    for handler in root.handlers:
        handler.setFormatter(JsonFormatter())
    logging.getLogger("chalicelib").setLevel(level)
