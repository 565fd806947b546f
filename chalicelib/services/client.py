"""The client configuration: sign-in settings and the live regions."""
from __future__ import annotations

from typing import Any, cast

from ..auth import verifier
from ..contract import client as contract
from ..store import regions as region_store

LIVE = ("trial", "active")


def config() -> contract.ClientConfig:
    regions = [contract.RegionEntry(region_id=r["region_id"], name=r["name"], status=cast(Any, status))
               for status in LIVE for r in region_store.by_status(status)]
    return contract.ClientConfig(
        sign_in=contract.SignIn(endpoint=verifier.sign_in_endpoint(), aws_region=verifier.region_name(),
                                client_id=verifier.client_id()),
        regions=sorted(regions, key=lambda r: (r.name, r.region_id)))
