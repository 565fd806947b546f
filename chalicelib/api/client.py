"""The client configuration (public): what the web console and the mobile
app read before signing in."""
from typing import TYPE_CHECKING

from chalice import Blueprint

from ..contract.client import ClientConfig
from ..lazy import lazy
from .endpoint import route

if TYPE_CHECKING:  # imported on the first request that uses them (chalicelib/lazy.py)
    from ..services import client
else:
    client = lazy("chalicelib.services.client")

bp = Blueprint(__name__)


@route(bp, "/v1/client-config", summary="Where to sign in (Cognito USER_PASSWORD_AUTH) and the live regions",
       returns=ClientConfig, cache="public, max-age=300")
def client_config():
    return client.config()
