"""The OpenAPI document, served at ``/openapi.json``: generated from the
declared operations and their models (``openapi.py``), never written by hand."""
from typing import Any

from chalice import Blueprint

from .endpoint import json_response, route

bp = Blueprint(__name__)


@route(bp, "/openapi.json", summary="This document (OpenAPI 3.1)", returns=dict[str, Any])
def openapi():
    from .openapi import document  # built on first request, not at cold start

    return json_response(document(), 200, {"Cache-Control": "public, max-age=300"})
