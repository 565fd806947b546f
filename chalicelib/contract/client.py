"""What a client (the web console, a mobile app) needs before its first
request: where to sign in, and the deployment's regions."""
from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta, Struct

from .common import Url


class SignIn(Struct, kw_only=True):
    """Cognito's ``USER_PASSWORD_AUTH`` flow: POST ``InitiateAuth`` (then
    ``RespondToAuthChallenge`` for ``NEW_PASSWORD_REQUIRED``) to ``endpoint``
    with ``X-Amz-Target: AWSCognitoIdentityProviderService.<Action>``."""

    endpoint: Annotated[Url, Meta(description="Cognito's endpoint (the embedded one locally).")]
    aws_region: str
    client_id: Annotated[str, Meta(description="The public app client (no secret).")]
    flow: Literal["USER_PASSWORD_AUTH"] = "USER_PASSWORD_AUTH"


class RegionEntry(Struct, kw_only=True):
    region_id: str
    name: str
    status: Literal["trial", "active"]


class ClientConfig(Struct, kw_only=True):
    sign_in: SignIn
    regions: Annotated[list[RegionEntry], Meta(description="Live regions (in trial or active), by name.")]
