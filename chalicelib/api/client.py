"""The client configuration (public): what the web console and the mobile
app read before signing in."""
from chalice import Blueprint

from ..contract.client import ClientConfig
from ..services import client
from .endpoint import route

bp = Blueprint(__name__)


@route(bp, "/v1/client-config", summary="Where to sign in (Cognito USER_PASSWORD_AUTH) and the live regions",
       returns=ClientConfig, cache="public, max-age=300")
def client_config():
    return client.config()
