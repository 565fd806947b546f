"""A project's files: presigned uploads of the contractor's progress photos
and of the agency's contract documents (through the one upload pipeline,
``services.uploads``), and the stable public link to each kept file."""
from __future__ import annotations

from ...auth.identity import Identity
from ...contract import projects as contract
from ...domain import projects as rules
from ...domain.errors import Forbidden, NotFound
from ..uploads import grants
from ..uploads.projects import PROJECT_DOCUMENTS, PROJECT_PHOTOS
from .queries import load


def request_photo_upload(project_id: str, body: contract.ProjectPhotoUploadRequest,
                         actor: Identity) -> contract.ProjectPhotoUpload:
    """A presigned upload for the contractor's progress photo (JPEG, PNG or
    WebP; cleaned like a report photo)."""
    content_type = body.content_type.lower()
    project = load(project_id)
    if not rules.is_contractor(actor, project):
        raise Forbidden("not_project_contractor")
    granted = grants.grant(PROJECT_PHOTOS, project.id, content_type, {"actor": actor.sub, "actor_role": actor.role})
    return contract.ProjectPhotoUpload(photo_id=granted.upload_id, kind="photo", upload=granted.form,
                                       content_type=granted.content_type, max_bytes=granted.max_bytes,
                                       expires_in=granted.expires_in)


def request_document_upload(project_id: str, body: contract.DocumentUploadRequest,
                            actor: Identity) -> contract.DocumentUpload:
    """A presigned upload for one of the agency's contract documents (PDF)."""
    content_type = body.content_type.lower()
    project = load(project_id)
    if not rules.may_manage(actor, project.region_id, project.agency):
        raise Forbidden("not_project_agency")
    granted = grants.grant(PROJECT_DOCUMENTS, project.id, content_type,
                           {"document_type": body.document_type, "title": body.title, "actor": actor.sub,
                            "actor_role": actor.role})
    return contract.DocumentUpload(document_id=granted.upload_id, kind="document", upload=granted.form,
                                   content_type="application/pdf", max_bytes=granted.max_bytes,
                                   expires_in=granted.expires_in)


def file_key(project_id: str, file_id: str) -> str:
    """The S3 key of one of a project's photos or documents (public)."""
    project = load(project_id)
    for item in list(project.photos) + list(project.documents):
        if item["id"] == file_id:
            return item["key"]
    raise NotFound("file_not_found", file_id=file_id[:64])
