"""Changing public works projects: register one, report its progress,
record a disbursement.  Each use case reads the project, asks the domain
for the change (``domain.projects.plan_*``) and has the store apply it as
one transaction on the project (conditional on the version read) and its
budget totals; the reply is the project as the change left it.

AWS calls: registering is one ``TransactWriteItems`` (the project and its
six totals); a progress report or a disbursement is a ``GetItem`` and one
``TransactWriteItems``.  A concurrent change (the version moved) makes it
read and decide again, and the decision may then be a refusal; a
transaction DynamoDB cancelled for a conflict is retried after a pause.
"""
from __future__ import annotations

import logging
import random
import time
from typing import Callable

import msgspec

from ...auth.identity import Identity
from ...contract import projects as contract
from ...domain import idempotency
from ...domain import projects as rules
from ...domain.errors import Conflict, Unprocessable
from ...domain.regions import RegionConfig
from ...store import projects as store
from ...store.models import ProjectModel
from .. import regions
from ..boundaries import files as boundary_files
from .clock import stamp, today
from .queries import load

log = logging.getLogger(__name__)

ATTEMPTS = 4

Decide = Callable[[ProjectModel, RegionConfig], rules.Change | None]


class Changed(msgspec.Struct, frozen=True):
    """A project as a change left it (or as it was, when there was nothing
    to apply: a retried request, flags as stored), with its region."""

    project: ProjectModel
    region: RegionConfig
    applied: bool


def register(region_id: str, body: contract.NewProject, actor: Identity,
             idempotency_key: str | None = None) -> tuple[ProjectModel, RegionConfig]:
    """Register a project and count it in its totals, in one transaction.
    With an ``Idempotency-Key`` the id is derived from it (per account), so a
    retried request finds its project instead of registering (and counting)
    it twice."""
    region = regions.get_region(region_id)
    key = idempotency.check_key(idempotency_key)
    draft = rules.admit_registration(body, actor, region)
    area = boundary_files.area_index(region).locate(*rules.representative_point(draft.location))
    registration = rules.plan_registration(
        rules.project_id_for(region.region_id, actor, key), draft, area.kelurahan_code if area else None, actor,
        region, today(region), stamp(), idempotency.fingerprint(msgspec.to_builtins(body)))
    for _ in range(ATTEMPTS):
        try:
            return store.insert(registration), region
        except store.Busy:
            back_off()
        except store.ConditionFailed:
            return _registered(registration), region
    raise Conflict("project_busy")


def _registered(registration: rules.Registration) -> ProjectModel:
    """The project a retry with the same key registered, if it is the same
    request."""
    existing = store.get(registration.project_id)
    if existing is None:
        raise Unprocessable("idempotency_key_reused")
    idempotency.replayed(existing.fingerprint, registration.fields["fingerprint"])
    return existing


def report_progress(project_id: str, body: contract.ProgressRequest, actor: Identity,
                    idempotency_key: str | None = None) -> tuple[ProjectModel, RegionConfig]:
    """The project's contractor reports physical progress with photos; a
    region admin may correct it (down too) with a reason.  A retry with the
    same ``Idempotency-Key`` is answered with the project as it is."""
    entry_id = rules.entry_id_for(project_id, actor, idempotency.check_key(idempotency_key))
    requested = idempotency.fingerprint(msgspec.to_builtins(body))
    changed = change(project_id, lambda project, region: rules.plan_progress(
        project, body, actor, region, today(region), stamp(), entry_id, requested), (entry_id, requested))
    return changed.project, changed.region


def record_disbursement(project_id: str, body: contract.DisbursementRequest, actor: Identity,
                        idempotency_key: str | None = None) -> tuple[ProjectModel, RegionConfig]:
    """The finance officer records a payment (termin); the sum never
    exceeds the contract value."""
    entry_id = rules.entry_id_for(project_id, actor, idempotency.check_key(idempotency_key))
    requested = idempotency.fingerprint(msgspec.to_builtins(body))
    changed = change(project_id, lambda project, region: rules.plan_disbursement(
        project, body, actor, region, today(region), stamp(), entry_id, requested), (entry_id, requested))
    return changed.project, changed.region


def change(project_id: str, decide: Decide, entry: tuple[str, str] | None = None,
           read: ProjectModel | None = None) -> Changed:
    """Read (or take ``read``, the project as just listed), decide, apply
    under the version read; when the project changed meanwhile, read it
    again and decide again.  ``entry`` (id, request fingerprint): the entry
    the change records, whose id may have been used before (a retry)."""
    for attempt in range(ATTEMPTS):
        project = read if read is not None and attempt == 0 else load(project_id)
        region = regions.get_region(project.region_id)
        decided = decide(project, region)
        if decided is None:
            return Changed(project, region, applied=False)
        try:
            return Changed(store.apply(project, decided), region, applied=True)
        except store.EntryRecorded:
            # recorded long enough ago to be off the item's recent entries
            marker = store.entry_marker(project.id, entry[0]) if entry else None
            idempotency.replayed(marker.get("fingerprint") if marker else None, entry[1] if entry else None)
            return Changed(load(project_id), region, applied=False)
        except store.ConditionFailed:
            continue
        except store.Busy:
            back_off()
    raise Conflict("project_busy")


def back_off() -> None:
    """A short random pause before retrying a transaction DynamoDB
    cancelled for a conflict with another one."""
    time.sleep(random.uniform(0.02, 0.1))  # noqa: S311 - jitter, not a secret
