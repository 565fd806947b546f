"""The deployment's pseudonym key (``domain.pseudonyms``)."""
from __future__ import annotations

import os

from ..domain.pseudonyms import pseudonym

# The local stack's key; a deployment sets ADUAN_HASH_KEY (infra generates one per stage).
LOCAL_KEY = "aduan-local-pseudonym-key"


def of(value: str, purpose: str) -> str:
    return pseudonym(os.environ.get("ADUAN_HASH_KEY", LOCAL_KEY).encode(), value, purpose)
