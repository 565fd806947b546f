"""A caller as the domain's plans see one (``chalicelib.auth.identity.Identity``'s
shape, without a token): for the pure decision tests."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    sub: str
    role: str
    region_id: str = "r"
    agency: str | None = None
    kelurahan_code: str | None = None
    contractor: str | None = None
    name: str | None = None
    username: str = "u"

    @property
    def is_staff(self) -> bool:
        return self.role not in ("citizen", "contractor")

    def in_region(self, region_id: str) -> bool:
        return self.role == "platform_admin" or self.region_id == region_id
