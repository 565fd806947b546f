"""A region's boundary uploads: granted (a presigned POST of a .geojson or a
zipped Shapefile), processed by the boundaries worker (read, reprojected,
checked, simplified, published), and followed by the region admin
(``GET …/boundaries/uploads/{upload_id}``: progress, then accepted with the
version it became, or rejected with every problem).  ``PUT …/boundaries``
takes a small GeoJSON body through the same checks and publishing, at once.
"""
from __future__ import annotations

import logging
import time
from typing import Any

import msgspec

from ... import resources
from ...auth.identity import Identity
from ...contract import regions as contract
from ...domain import boundaries as rules
from ...domain import reports as clock
from ...domain.errors import InvalidInput, NotFound, Unprocessable
from ...domain.regions import RegionConfig
from ...store import boundaries as store
from .. import guards, regions
from . import bucket, files

log = logging.getLogger(__name__)
FORMATS = {"geojson": "geojson", "zip": "shapefile"}
# Progress is written at most this often (seconds) while a file is processed.
PROGRESS_EVERY = 2.0


def _now() -> str:
    return clock.iso_utc(clock.now_utc())


def grant(region_id: str, body: contract.BoundaryUploadRequest, actor: Identity) -> contract.BoundaryUploadGranted:
    region = regions.get_region(region_id)
    guards.require_region_admin(actor, region.region_id)
    extension = resources.BOUNDARY_CONTENT_TYPES[body.content_type]
    upload_id = files.folder_id()
    now = _now()
    store.create_upload({
        "region_id": region.region_id, "upload_id": upload_id, "status": "waiting_for_file",
        "file_format": FORMATS[extension], "code_field": body.code_field, "note": body.note,
        "requested_by": actor.sub, "created_at": now, "updated_at": now,
        "summary": {"overlap_tolerance_m": body.overlap_tolerance_m
                    if body.overlap_tolerance_m is not None else rules.OVERLAP_TOLERANCE_M},
    })
    form = bucket.upload_form(region.region_id, upload_id, extension, body.content_type, resources.BOUNDARY_MAX_BYTES,
                             resources.UPLOAD_URL_SECONDS)
    return contract.BoundaryUploadGranted(
        upload_id=upload_id, status="waiting_for_file", form=contract.UploadForm(**form),
        max_bytes=resources.BOUNDARY_MAX_BYTES, expires_in=resources.UPLOAD_URL_SECONDS,
        status_url=f"/v1/regions/{region.region_id}/boundaries/uploads/{upload_id}")


def status(region_id: str, upload_id: str, actor: Identity) -> contract.BoundaryUploadStatus:
    region = regions.get_region(region_id)
    guards.require_region_admin(actor, region.region_id)
    record = store.get_upload(region.region_id, upload_id) if len(upload_id) == 32 else None
    if record is None:
        raise NotFound("upload_not_found")
    return _view(record)


def _view(record: dict[str, Any]) -> contract.BoundaryUploadStatus:
    summary = dict(record.get("summary") or {})
    problems_url = None
    if record.get("problems_key"):
        problems_url = bucket.file_url(record["region_id"], record["upload_id"], "problems.json", files.LINK_SECONDS)
    progress = record.get("progress")
    return contract.BoundaryUploadStatus(
        upload_id=record["upload_id"], region_id=record["region_id"], status=record["status"],
        file_format=record["file_format"], code_field=record.get("code_field"), note=record.get("note"),
        progress=contract.BoundaryProgress(step=str(progress["step"]), done=int(progress["done"]),
                                           total=int(progress["total"])) if progress else None,
        problems=[contract.BoundaryProblem(**p) for p in record.get("problems") or []],
        problems_total=int(record.get("problems_total") or 0), problems_url=problems_url,
        version=int(record["version"]) if record.get("version") is not None else None,
        summary=msgspec.convert(summary, contract.BoundarySummary) if summary else None,
        created_at=record["created_at"], updated_at=record["updated_at"], finished_at=record.get("finished_at"))


# --- the worker -------------------------------------------------------------------

class _Progress:
    """Writes the upload's progress, at most every ``PROGRESS_EVERY`` seconds."""

    def __init__(self, region_id: str, upload_id: str) -> None:
        self.region_id, self.upload_id = region_id, upload_id
        self.last = 0.0

    def __call__(self, step: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last >= PROGRESS_EVERY or done == 0:
            self.last = now
            store.set_progress(self.region_id, self.upload_id, step, done, total, _now())


def process(key: str) -> dict[str, Any]:
    """The boundaries worker's path for one uploaded file."""
    parsed = bucket.parse_upload_key(key)
    if parsed is None:
        log.warning("not a boundary upload key: %s", key[:200])
        return {"outcome": "ignored"}
    region_id, upload_id, extension = parsed
    record = store.start_processing(region_id, upload_id, _now())
    if record is None:
        # finished already (a redelivered notification), tried too often, or never granted
        existing = store.get_upload(region_id, upload_id)
        if existing is None:
            bucket.delete_upload(key)
            return {"outcome": "unknown_upload"}
        if existing["status"] == "processing":
            _finish_rejected(region_id, upload_id, [rules.Problem(
                "file", "the file could not be processed (the worker stopped twice on it): check that it opens "
                        "in a GIS tool, or use the onboarding command")], {})
            bucket.delete_upload(key)
            return {"outcome": "rejected"}
        return {"outcome": "already_" + existing["status"]}
    region = regions.get_region(region_id, fresh=True)
    progress = _Progress(region_id, upload_id)
    summary: dict[str, Any] = dict(record.get("summary") or {})
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    progress("reading", 0, 1)
    data = bucket.read_upload(key, resources.BOUNDARY_MAX_BYTES)
    if data is None:
        _finish_rejected(region_id, upload_id, [rules.Problem(
            "file", f"the file is missing or larger than {resources.BOUNDARY_MAX_BYTES // 2**20} MB")], summary)
        return {"outcome": "rejected"}
    summary["bytes"] = len(data)
    read = _read(data, extension, record.get("code_field"))
    seconds["read"] = time.perf_counter() - started
    summary.update({"projection": read.projection, "code_field": read.code_field,
                    "features": len(read.candidates),
                    "vertices": sum(len(r) for c in read.candidates for p in c.polygons for r in p)})
    started = time.perf_counter()
    checked = rules.check(read, region, overlap_tolerance_m=float(summary.get("overlap_tolerance_m")
                                                                  or rules.OVERLAP_TOLERANCE_M), progress=progress)
    seconds["check"] = time.perf_counter() - started
    summary["seconds"] = seconds
    if not checked.ok:
        if not checked.problems:
            checked.problems.append(rules.Problem("file", "the file holds no polygon"))
        _finish_rejected(region_id, upload_id, checked.problems, summary)
        bucket.delete_upload(key)
        return {"outcome": "rejected", "problems": len(checked.problems)}
    published = files.publish(region, upload_id, checked.features, record.get("note"), progress)
    seconds.update(published.seconds)
    summary.update({"seconds": seconds, "files": published.files["bytes"],
                    "display_vertices": published.files["vertices"], "served_tolerance_m": published.files["served"]})
    store.finish(region_id, upload_id, "accepted", _now(), summary=_clean(summary), version=published.version)
    bucket.delete_upload(key)
    regions.clear_caches()
    log.info("boundaries of %s: version %d from upload %s", region_id, published.version, upload_id)
    return {"outcome": "accepted", "version": published.version}


def _read(data: bytes, extension: str, code_field: str | None) -> rules.Read:
    if extension == "zip":
        from ...domain.geo import shapes

        try:
            layer = shapes.read_zip(data)
        except shapes.ShapefileError as error:
            return rules.Read(problems=[rules.Problem("file", text) for text in error.problems])
        return rules.read_shapefile(layer, code_field)
    try:
        document = msgspec.json.decode(data)
    except (msgspec.DecodeError, RecursionError, UnicodeDecodeError) as error:
        return rules.Read(problems=[rules.Problem("file", f"the file is not valid JSON: {str(error)[:200]}")])
    return rules.read_geojson(document, code_field)


def _clean(summary: dict[str, Any]) -> dict[str, Any]:
    """Floats DynamoDB can store (seconds to the millisecond)."""
    result = dict(summary)
    if "seconds" in result:
        result["seconds"] = {k: round(v, 3) for k, v in result["seconds"].items()}
    return result


def _finish_rejected(region_id: str, upload_id: str, problems: list[rules.Problem], summary: dict[str, Any]) -> None:
    every = [p.as_dict() for p in problems]
    key = None
    if len(every) > rules.PROBLEMS_SHOWN:
        bucket.put_file(region_id, upload_id, "problems.json", msgspec.json.encode({"problems": every}),
                       "application/json")
        key = bucket.file_key(region_id, upload_id, "problems.json")
    store.finish(region_id, upload_id, "rejected", _now(), summary=_clean(summary),
                 problems=every[:rules.PROBLEMS_SHOWN], problems_total=len(every), problems_key=key)


# --- PUT: a small GeoJSON body, at once -----------------------------------------

def replace(region_id: str, collection: contract.BoundaryUpload, actor: Identity) -> contract.BoundariesReplaced:
    region = regions.get_region(region_id, fresh=True)
    guards.require_region_admin(actor, region.region_id)
    read = rules.read_geojson(msgspec.to_builtins(collection), "kelurahan_code")
    checked = rules.check(read, region)
    if not checked.ok:
        error = Unprocessable("boundaries_rejected", count=len(checked.problems))
        error.details = {"problems": [p.as_dict() for p in checked.problems[:500]],
                         "missing_kelurahan_codes": [p.kelurahan_code for p in checked.problems if p.code == "missing"]}
        raise error
    published = files.publish(region, files.folder_id(), checked.features, f"uploaded by {actor.sub}")
    regions.clear_caches()
    return contract.BoundariesReplaced(region_id=region.region_id, version=published.version,
                                       accepted=len(checked.features), missing_kelurahan_codes=[])


def publish_seed(region: RegionConfig, collection: dict[str, Any], note: str) -> int:
    """The demo region's polygons (devstack), through the same checks."""
    read = rules.read_geojson(collection, "kelurahan_code")
    checked = rules.check(read, region)
    if not checked.ok:
        raise InvalidInput("boundaries_rejected", count=len(checked.problems))
    files.publish(region, files.folder_id(), checked.features, note)
    regions.clear_caches()
    return len(checked.features)
