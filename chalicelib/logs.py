"""Log setup: INFO for our own modules, via the root handler Lambda installs
(or a plain stderr one locally)."""
import logging
import os


def configure_logging() -> None:
    level = os.environ.get("ADUAN_LOG_LEVEL", "INFO").upper()
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("chalicelib").setLevel(level)
