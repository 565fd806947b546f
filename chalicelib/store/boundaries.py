"""A region's boundary uploads: items of ``boundary_uploads`` (their files
are objects in the bucket: ``services.boundaries.bucket``).  No item holds
geometry: a desa of 30,000 vertices alone is over DynamoDB's 400 KB."""
from __future__ import annotations

from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError

from .models import BoundaryUploadModel
from .reports import BadCursor, condition_failed, page

__all__ = ["BadCursor", "UploadMissing"]

# Attempts at processing one upload before it is refused as unprocessable.
MAX_ATTEMPTS = 2
UPLOAD_FIELDS = ("region_id", "upload_id", "status", "file_format", "code_field", "note", "requested_by",
                 "progress", "problems", "problems_total", "problems_key", "summary", "version", "attempts",
                 "created_at", "updated_at", "finished_at")


class UploadMissing(Exception):
    pass


# --- uploads ------------------------------------------------------------------

def _record(item: BoundaryUploadModel) -> dict[str, Any]:
    record = {name: getattr(item, name) for name in UPLOAD_FIELDS}
    for name in ("progress", "summary"):
        if record[name] is not None and hasattr(record[name], "as_dict"):
            record[name] = record[name].as_dict()
    return record


def create_upload(record: dict[str, Any]) -> None:
    BoundaryUploadModel(**record).save(condition=BoundaryUploadModel.upload_id.does_not_exist())


def get_upload(region_id: str, upload_id: str) -> dict[str, Any] | None:
    try:
        return _record(BoundaryUploadModel.get(region_id, upload_id))
    except DoesNotExist:
        return None


def uploads(region_id: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """A region's uploads, newest first (ids are not ordered by time:
    the page is sorted by the caller)."""
    items, next_cursor = page(BoundaryUploadModel, region_id, limit, cursor, newest_first=True)
    return [_record(item) for item in items], next_cursor


def start_processing(region_id: str, upload_id: str, now: str) -> dict[str, Any] | None:
    """Mark an upload as being processed, once per delivery: None when it is
    finished already (a redelivered notification), or has been tried
    ``MAX_ATTEMPTS`` times (a file that crashed the worker)."""
    item = BoundaryUploadModel(region_id=region_id, upload_id=upload_id)
    try:
        item.update(actions=[BoundaryUploadModel.status.set("processing"),
                             BoundaryUploadModel.attempts.add(1),
                             BoundaryUploadModel.updated_at.set(now)],
                    condition=BoundaryUploadModel.status.is_in("waiting_for_file", "processing")
                    & (BoundaryUploadModel.attempts < MAX_ATTEMPTS))
    except UpdateError as error:
        if condition_failed(error):
            return None
        raise
    return _record(item)


def set_progress(region_id: str, upload_id: str, step: str, done: int, total: int, now: str) -> None:
    BoundaryUploadModel(region_id=region_id, upload_id=upload_id).update(actions=[
        BoundaryUploadModel.progress.set({"step": step, "done": done, "total": total}),
        BoundaryUploadModel.updated_at.set(now)])


def finish(region_id: str, upload_id: str, status: str, now: str, *, summary: dict[str, Any],
           problems: list[dict[str, Any]] | None = None, problems_total: int = 0, problems_key: str | None = None,
           version: int | None = None) -> None:
    """Record the outcome (accepted or rejected), once."""
    actions: list[Any] = [BoundaryUploadModel.status.set(status), BoundaryUploadModel.summary.set(summary),
               BoundaryUploadModel.problems.set(problems or []),
               BoundaryUploadModel.problems_total.set(problems_total),
               BoundaryUploadModel.progress.remove(),
               BoundaryUploadModel.updated_at.set(now), BoundaryUploadModel.finished_at.set(now)]
    if problems_key:
        actions.append(BoundaryUploadModel.problems_key.set(problems_key))
    if version is not None:
        actions.append(BoundaryUploadModel.version.set(version))
    BoundaryUploadModel(region_id=region_id, upload_id=upload_id).update(
        actions=actions, condition=BoundaryUploadModel.status == "processing")
