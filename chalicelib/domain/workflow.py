"""Where a report shows up, as a function of its state: the keys of the
verification queue, the agency and kelurahan inboxes and the SLA sweep.

Every write that changes a report's status recomputes them here, so no
index can disagree with the status it summarises."""
from __future__ import annotations

import zlib
from dataclasses import dataclass

from .lifecycle import OPEN_STATUSES

SHARDS = 4
DISPATCHED_STATUSES = ("verified", "in_process", "done")


def shard(prefix: str, report_id: str) -> str:
    return f"{prefix}#{zlib.crc32(report_id.encode()) % SHARDS}"


@dataclass(frozen=True)
class Placement:
    region_id: str
    report_id: str
    status: str
    agency: str | None
    kelurahan_code: str | None
    due_at: str | None
    review_pending: bool
    now: str

    def keys(self) -> dict[str, str | None]:
        dispatched = self.status in DISPATCHED_STATUSES
        is_open = self.status in OPEN_STATUSES
        return {
            "queue_key": f"{self.region_id}#review" if self.review_pending else f"{self.region_id}#{self.status}",
            "agency_key": f"{self.region_id}#{self.agency}#{self.status}" if dispatched and self.agency else None,
            "kelurahan_key": (f"{self.region_id}#{self.kelurahan_code}#{self.status}"
                              if dispatched and self.kelurahan_code else None),
            "inbox_at": self.due_at if is_open and self.due_at else self.now,
            "due_shard": shard("due", self.report_id) if is_open and self.due_at else None,
            "due_at": self.due_at if is_open else None,
            # a new stage starts with a fresh clock: no longer escalated
            "overdue_key": None,
        }


def overdue_key(region_id: str, status: str, agency: str | None) -> str:
    """Whose escalation list an overdue report joins: the agency head's once
    it is dispatched, the verification desk's before."""
    if status in DISPATCHED_STATUSES and agency:
        return f"{region_id}#{agency}"
    return f"{region_id}#verification"
