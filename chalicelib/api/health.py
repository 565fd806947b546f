"""Liveness."""
from chalice import Blueprint

from .http import reply

bp = Blueprint(__name__)


@bp.route("/health", methods=["GET"])
def health():
    return reply({"status": "ok"})
