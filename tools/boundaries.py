"""The operator's side of a boundary upload (``python -m tools.onboard
--boundaries FILE``): reprojecting and repairing a file of any projection on
the operator's machine, where pyproj and shapely are at hand (they are far too
heavy for the Lambda package), then uploading it the way the API does —
presigned POST, then the boundaries worker — and following its progress.

The Lambda worker itself reads WGS84 and the UTM zones of Indonesia; a file in
anything else (Indonesia's TM-3 zones, Web Mercator, another datum) is turned
into WGS84 GeoJSON here first with ``--reproject``; ``--repair`` also fixes
invalid rings (self-intersections, bow-ties) with shapely's ``make_valid``.
"""
from __future__ import annotations

import io
import json
import sys
import time
import zipfile
from pathlib import Path
from typing import Any, Callable


def reproject(path: Path, repair: bool = False) -> bytes:
    """A WGS84 GeoJSON FeatureCollection of the file (a .geojson, or a .zip
    holding a Shapefile with its .prj), every attribute kept."""
    import pyproj
    import shapefile
    import shapely
    from shapely.geometry import mapping, shape
    from shapely.ops import transform

    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            names = {Path(n).suffix.lower(): n for n in archive.namelist() if not n.endswith("/")}
            if ".shp" not in names or ".dbf" not in names or ".prj" not in names:
                raise SystemExit(f"{path}: the zip needs a .shp, .dbf and .prj (found {sorted(names)})")
            parts = {ext: io.BytesIO(archive.read(names[ext])) for ext in (".shp", ".dbf", ".shx") if ext in names}
            source = pyproj.CRS.from_wkt(archive.read(names[".prj"]).decode("utf-8", "replace"))
            encoding = archive.read(names[".cpg"]).decode().strip() if ".cpg" in names else "utf-8"
        reader = shapefile.Reader(shp=parts[".shp"], dbf=parts[".dbf"], shx=parts.get(".shx"), encoding=encoding,
                                  encodingErrors="replace")
        fields = [f[0] for f in reader.fields[1:]]
        features = [{"properties": dict(zip(fields, record.record, strict=False)),
                     "geometry": record.shape.__geo_interface__} for record in reader.iterShapeRecords()]
    else:
        document = json.loads(path.read_bytes())
        name = ((document.get("crs") or {}).get("properties") or {}).get("name") or "OGC:CRS84"
        source = pyproj.CRS.from_user_input(name)
        features = document["features"]
    to_wgs84 = pyproj.Transformer.from_crs(source, "OGC:CRS84", always_xy=True)
    out = []
    for feature in features:
        geometry = transform(to_wgs84.transform, shape(feature["geometry"]))
        if repair and not geometry.is_valid:
            geometry = shapely.make_valid(geometry)
            polygons = [g for g in getattr(geometry, "geoms", [geometry]) if g.geom_type in ("Polygon", "MultiPolygon")]
            geometry = shapely.union_all(polygons) if polygons else geometry
        out.append({"type": "Feature", "properties": {k: v for k, v in feature["properties"].items()
                                                      if isinstance(v, (str, int, float)) or v is None},
                    "geometry": mapping(shapely.set_precision(geometry, 1e-7))})
    print(f"  reprojected {len(out)} features from {source.name} to WGS84"
          + (" (repaired where invalid)" if repair else ""), file=sys.stderr)
    return json.dumps({"type": "FeatureCollection", "features": out}, ensure_ascii=False).encode()


def upload(region_id: str, data: bytes, content_type: str, operator: Any, code_field: str | None,
           note: str | None, timeout: float = 1800.0, pause: Callable[[float], None] = time.sleep) -> dict[str, Any]:
    """Upload through the API's own path and wait for the worker's outcome,
    printing its progress (``pause`` between two looks at the status: the
    tests drive the worker there).  The upload's final status."""
    import requests

    from chalicelib.api.body import convert
    from chalicelib.contract.regions import BoundaryUploadRequest
    from chalicelib.services.boundaries import uploads

    body = {"content_type": content_type, **({"code_field": code_field} if code_field else {}),
            **({"note": note} if note else {})}
    granted = uploads.grant(region_id, convert(body, BoundaryUploadRequest), operator)
    response = requests.post(granted.form.url, data=granted.form.fields, files={"file": ("boundaries", data)},
                             timeout=600)
    response.raise_for_status()
    deadline = time.monotonic() + timeout
    shown = ""
    while True:
        status = uploads.status(region_id, granted.upload_id, operator)
        line = status.status
        if status.progress is not None:
            line = f"{status.status}: {status.progress.step} {status.progress.done}/{status.progress.total}"
        if line != shown:
            print(f"  boundaries: {line}", file=sys.stderr)
            shown = line
        if status.status in ("accepted", "rejected") or time.monotonic() > deadline:
            import msgspec

            return dict(msgspec.to_builtins(status))
        pause(1.0)
