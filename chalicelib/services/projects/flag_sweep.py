"""The hourly re-evaluation of the red flags that move with the calendar
(behind schedule, no recent progress), so that the flagged counts of the
budget totals follow it.  Only the projects whose flags changed are
written, each as a change decided on the project as listed."""
from __future__ import annotations

import logging

from ...domain import projects as rules
from ...domain.errors import Conflict
from ...domain.regions import RegionConfig
from ...store import projects as store
from ...store import regions as region_store
from ...store.models import ProjectModel
from .. import regions
from . import commands
from .clock import stamp, today

log = logging.getLogger(__name__)


def refresh_flags(region: RegionConfig) -> int:
    """Write the projects of a region whose flags changed; returns how many."""
    changed = 0
    for listed in store.of_region(region.region_id):
        try:
            outcome = commands.change(listed.id, _decide, read=listed)
        except Conflict:
            log.warning("project %s changed during the flag sweep; the next sweep will see it", listed.id)
            continue
        changed += outcome.applied
    return changed


def _decide(project: ProjectModel, region: RegionConfig) -> rules.Change | None:
    return rules.plan_flags(project, region, today(region), stamp())


def refresh_all_flags() -> int:
    total = 0
    for status in ("trial", "active"):
        for record in region_store.by_status(status):
            total += refresh_flags(regions.get_region(record["region_id"]))
    return total
