"""The project channels: the contractor's progress photos
(``uploads/projects/<project>/<photo>.<ext>``) and the agency's contract
documents (``uploads/projects/<project>/docs/<document>.pdf``).  Only an
upload the project granted is processed; each outcome, refusals included,
enters the project's history under who asked for the upload."""
from __future__ import annotations

from typing import Any, Mapping

import msgspec

from ... import resources
from ...domain.errors import Conflict
from ...store import projects as store
from .base import Accepted, Attached, Kind, Layout, Refused
from .kinds import DOCUMENT, PHOTO


class ProjectFiles(msgspec.Struct, frozen=True):
    name: str
    kind: Kind
    layout: Layout
    grant_kind: str  # ``photo`` or ``document``, as the grant records it
    target: str  # the project's list an accepted file joins
    added: str  # its history action
    folder: str = "projects"
    unknown: str = "ignored"

    def reserve(self, owner_id: str, upload_id: str, details: Mapping[str, Any]) -> None:
        """One of the project's upload slots (photos and documents alike)."""
        upload = {"id": upload_id, "kind": self.grant_kind, **details}
        try:
            store.note_upload(owner_id, upload, resources.UPLOADS_PER_PROJECT)
        except store.ConditionFailed:
            raise Conflict("too_many_uploads", max=resources.UPLOADS_PER_PROJECT) from None

    def open(self, owner_id: str, upload_id: str) -> Attached | None:
        project = store.get(owner_id)
        granted = next((u for u in project.uploads if u["id"] == upload_id), None) if project else None
        if project is None or granted is None or granted["kind"] != self.grant_kind:
            return None
        return Attached(region_id=project.region_id, handled=upload_id in project.handled, grant=granted)

    def record(self, owner_id: str, upload_id: str, attached: Attached, outcome: Accepted | Refused) -> bool:
        at = outcome.record["at"]
        if isinstance(outcome, Refused):
            return store.add_upload_outcome(owner_id, upload_id, None, outcome.record, at,
                                            _history(attached.grant, "upload_refused", at, reason=outcome.code))
        record = dict(outcome.record)
        if self.grant_kind == "document":
            record.update(title=attached.grant["title"], document_type=attached.grant["document_type"])
        return store.add_upload_outcome(owner_id, upload_id, self.target, record, at,
                                        _history(attached.grant, self.added, at, file_id=upload_id,
                                                 title=record.get("title")))


def _history(granted: Mapping[str, Any], action: str, at: str, **detail: Any) -> dict[str, Any]:
    """Who asked for the upload is who added the file."""
    return {"action": action, "actor": granted.get("actor", "system"), "actor_role": granted.get("actor_role", "system"),
            "at": at, "detail": detail}


PROJECT_PHOTOS = ProjectFiles(name="project photo", kind=PHOTO,
                              layout=Layout("projects", tuple(PHOTO.extensions.values())),
                              grant_kind="photo", target="photos", added="photo_added")
PROJECT_DOCUMENTS = ProjectFiles(name="project document", kind=DOCUMENT,
                                 layout=Layout("projects", tuple(DOCUMENT.extensions.values()), sub="docs/"),
                                 grant_kind="document", target="documents", added="document_added")
