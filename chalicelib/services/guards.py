"""Who may administer a region: the checks the region services share."""
from __future__ import annotations

from ..auth.identity import Identity
from ..domain import roles
from ..domain.errors import Forbidden


def require_platform_admin(actor: Identity) -> None:
    if actor.role != "platform_admin":
        raise Forbidden("forbidden")


def require_region_admin(actor: Identity, region_id: str) -> None:
    """A region admin of this region, or a platform admin."""
    if actor.role not in roles.ADMINS or not actor.in_region(region_id):
        raise Forbidden("forbidden")
