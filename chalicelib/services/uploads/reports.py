"""The report channel: photos of a report (the reporter's, and the field
staff's evidence of the work), ``uploads/reports/<report>/<photo>.<ext>``.
An accepted photo counts in the region's usage."""
from __future__ import annotations

from typing import Any, Mapping

import msgspec

from ... import resources
from ...domain.errors import Conflict, NotFound
from ...store import reports as store
from ...store.models import ReportModel
from .. import usage
from .base import Accepted, Attached, Kind, Layout, Refused
from .kinds import PHOTO


class ReportPhotos(msgspec.Struct, frozen=True):
    name: str = "report photo"
    folder: str = "reports"
    kind: Kind = PHOTO
    layout: Layout = msgspec.field(default_factory=lambda: Layout("reports", tuple(PHOTO.extensions.values())))
    unknown: str = "no_report"

    def reserve(self, owner_id: str, upload_id: str, details: Mapping[str, Any]) -> None:
        """Up to five photos of the problem, and five more of evidence."""
        evidence = bool(details.get("evidence"))
        limit = resources.PHOTOS_PER_REPORT + (resources.EVIDENCE_PHOTOS_PER_REPORT if evidence else 0)
        try:
            store.note_upload(ReportModel(id=owner_id), upload_id, limit, evidence=evidence)
        except store.ConditionFailed:
            if store.get(owner_id) is None:
                raise NotFound("report_not_found", report_id=owner_id) from None
            raise Conflict("too_many_photos", max=resources.PHOTOS_PER_REPORT) from None

    def open(self, owner_id: str, upload_id: str) -> Attached | None:
        report = store.get(owner_id)
        if report is None or upload_id not in (report.upload_ids or []):
            return None  # only an upload the API granted is attached
        return Attached(region_id=report.region_id, handled=upload_id in report.photo_ids,
                        grant={"evidence": upload_id in report.evidence_upload_ids})

    def record(self, owner_id: str, upload_id: str, attached: Attached, outcome: Accepted | Refused) -> bool:
        if isinstance(outcome, Refused):
            return store.add_photo_outcome(owner_id, upload_id, None, outcome.record, outcome.record["at"])
        evidence = bool(attached.grant.get("evidence"))
        photo = {**outcome.record, "kind": "evidence" if evidence else "report"}
        recorded = store.add_photo_outcome(owner_id, upload_id, photo, None, photo["at"], evidence=evidence)
        if recorded:
            usage.meter(attached.region_id, {"photos_stored": 1, "photo_bytes": outcome.stored_bytes})
        return recorded


REPORT_PHOTOS = ReportPhotos()
