"""A project's files: the stable public link to each kept photo or
document."""
from __future__ import annotations

from ...domain.errors import NotFound
from .queries import load


def file_key(project_id: str, file_id: str) -> str:
    """The S3 key of one of a project's photos or documents (public)."""
    project = load(project_id)
    for item in list(project.photos) + list(project.documents):
        if item["id"] == file_id:
            return item["key"]
    raise NotFound("file_not_found", file_id=file_id[:64])
