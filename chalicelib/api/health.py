"""Liveness."""
from chalice import Blueprint

from ..contract.common import Status
from .endpoint import route

bp = Blueprint(__name__)


@route(bp, "/health", summary="Liveness", returns=Status)
def health():
    return Status(status="ok")
