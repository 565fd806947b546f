"""The signed-in account, as its ID token describes it."""
from __future__ import annotations

from typing import Any

import msgspec

from ..domain import roles

ALL_REGIONS = "*"


class Identity(msgspec.Struct, frozen=True):
    sub: str
    username: str
    role: str
    region_id: str
    agency: str | None = None
    kelurahan_code: str | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    # Cognito verified the phone (a code was sent to it and entered)
    phone_verified: bool = False
    # a contractor account's NPWP (digits only)
    contractor: str | None = None

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> "Identity | None":
        groups = claims.get("cognito:groups") or []
        role = next((r for r in roles.ROLES if r in groups), None)
        region_id = claims.get("custom:region_id")
        if role is None or not region_id or not claims.get("sub"):
            return None
        return cls(
            sub=claims["sub"],
            username=claims.get("cognito:username", claims["sub"]),
            role=role,
            region_id=region_id,
            agency=claims.get("custom:agency") or None,
            kelurahan_code=claims.get("custom:kelurahan_code") or None,
            name=claims.get("name"),
            email=claims.get("email"),
            phone=claims.get("phone_number"),
            phone_verified=claims.get("phone_number_verified") in (True, "true"),
            contractor=claims.get("custom:contractor") or None,
        )

    def in_region(self, region_id: str) -> bool:
        return self.role == "platform_admin" or self.region_id == region_id

    @property
    def is_staff(self) -> bool:
        return self.role not in roles.OUTSIDE
