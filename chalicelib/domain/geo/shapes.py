"""Reading a regency's zipped ESRI Shapefile of desa boundaries, from bytes.

``read_zip`` returns the layer's records (attributes and polygons, in the
file's own coordinates) and its ``.prj`` text, or raises ``ShapefileError``
with every problem found, as English sentences a GIS officer can act on.  It
never raises anything else, whatever the bytes: the upload is untrusted.

Polygons follow the project's convention: a polygon is a list of rings, the
outer ring first and then its holes; a ring is a list of [x, y] positions.
The Shapefile format does not say which hole belongs to which outer ring; it
says outer rings run clockwise and holes counter-clockwise.  Rings are matched
by containment (a ring inside an odd number of others is a hole of the
smallest ring containing it), which agrees with the winding order of a valid
file and also reads files whose outer rings and holes are wound the wrong way
round.  Two common layouts are settled on the winding alone (no containment
tests): rings that all run clockwise are separate islands, and one clockwise
ring around all the others is an outer ring with holes.  Z and M values
are dropped.

Text attributes are decoded with the code page of the ``.cpg`` file when
there is one, else as UTF-8, falling back to Latin-1 for a value that is not
UTF-8.  pyshp (pure Python) does the binary parsing.
"""
from __future__ import annotations

import codecs
import io
import itertools
import math
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import shapefile

__all__ = ["ShapefileError", "Record", "Layer", "read_zip"]

MAX_MEMBERS = 1000  # files in the zip
MAX_RATIO = 500  # uncompressed:compressed size of one member (Deflate cannot exceed ~1032:1)
RATIO_FLOOR = 1 << 20  # members smaller than 1 MiB are never bombs
MAX_RINGS = 5000  # rings of one record, when outer rings and holes must be matched

POLYGON_TYPES = (shapefile.POLYGON, shapefile.POLYGONZ, shapefile.POLYGONM)
_TYPE_NAMES = {
    shapefile.NULL: "null", shapefile.POINT: "Point", shapefile.POLYLINE: "Polyline (line)",
    shapefile.POLYGON: "Polygon", shapefile.MULTIPOINT: "MultiPoint", shapefile.POINTZ: "PointZ",
    shapefile.POLYLINEZ: "PolylineZ (line)", shapefile.POLYGONZ: "PolygonZ", shapefile.MULTIPOINTZ: "MultiPointZ",
    shapefile.POINTM: "PointM", shapefile.POLYLINEM: "PolylineM (line)", shapefile.POLYGONM: "PolygonM",
    shapefile.MULTIPOINTM: "MultiPointM", shapefile.MULTIPATCH: "MultiPatch",
}

Ring = list[list[float]]
Polygon = list[Ring]


class ShapefileError(Exception):
    """A zipped Shapefile that cannot be read, with every reason found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


@dataclass
class Record:
    """One feature: ``index`` is its position in the layer, counting from 0
    (the FID that QGIS and ArcGIS show)."""

    index: int
    attributes: dict[str, object]
    polygons: list[Polygon]


@dataclass
class Layer:
    """``prj`` is the text of the layer's ``.prj`` (``read_zip`` refuses a
    zip without one); ``name`` is the path of the ``.shp`` in the zip."""

    name: str
    prj: str | None
    fields: list[str]
    records: list[Record] = field(default_factory=list)


# --- the zip --------------------------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _show(name: str) -> str:
    """A member name fit to quote in a sentence."""
    name = _CONTROL.sub("?", name)
    return f"“{name[:120]}…”" if len(name) > 120 else f"“{name}”"


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f} MB" if size >= 2**20 else f"{size / 2**20:.1f} MB"


@dataclass
class _Member:
    info: zipfile.ZipInfo
    path: str  # with forward slashes
    stem: str  # lower-cased path without the extension
    ext: str  # lower-cased, with the dot


def _members(archive: zipfile.ZipFile, max_uncompressed: int) -> list[_Member]:
    """The archive's files, after the checks that need no decompression."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ShapefileError([f"The zip holds {len(infos):,} files, more than the {MAX_MEMBERS:,} a boundary upload "
                              "may have: zip only the Shapefile's files (.shp, .shx, .dbf, .prj, .cpg)."])
    problems: list[str] = []
    members: list[_Member] = []
    total = 0
    for info in infos:
        path = info.filename.replace("\\", "/")
        if path.endswith("/"):
            continue  # a directory entry
        parts = path.split("/")
        if path.startswith("/") or re.match(r"^[A-Za-z]:", path) or ".." in parts:
            problems.append(f"The zip holds a file with an unsafe path, {_show(info.filename)}: paths in the zip "
                            "must be relative and must not contain “..”.")
            continue
        if "__MACOSX" in parts or parts[-1].startswith("._"):
            continue  # macOS resource forks, not data
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            problems.append(f"{_show(path)} would expand from {_mb(info.compress_size)} to {_mb(info.file_size)} "
                            f"(more than {MAX_RATIO}:1), which no real Shapefile does: the zip was not opened.")
        if info.flag_bits & 0x1:
            problems.append(f"{_show(path)} is encrypted (password-protected) in the zip: zip the files again "
                            "without a password.")
        dot = parts[-1].rfind(".")
        ext = parts[-1][dot:].lower() if dot > 0 else ""
        members.append(_Member(info, path, path[:len(path) - len(ext)].lower(), ext))
    if total > max_uncompressed:
        problems.append(f"The zip would expand to {_mb(total)}, more than the {_mb(max_uncompressed)} a boundary "
                        "upload may take.")
    if problems:
        raise ShapefileError(problems)
    return members


def _read_member(archive: zipfile.ZipFile, member: _Member, problems: list[str]) -> bytes | None:
    try:
        with archive.open(member.info) as stream:
            content = stream.read(member.info.file_size + 1)
    except NotImplementedError:
        problems.append(f"{_show(member.path)} is compressed with a method this reader does not support: zip the "
                        "files again with ordinary (Deflate) compression.")
        return None
    except Exception:  # noqa: BLE001 - CRC errors, truncated data, zlib errors: all mean the same to the sender
        problems.append(f"{_show(member.path)} is damaged in the zip (truncated, or its checksum does not match): "
                        "zip the files again and upload the new zip.")
        return None
    if len(content) != member.info.file_size:
        problems.append(f"{_show(member.path)} is damaged in the zip (its size does not match the zip's directory): "
                        "zip the files again and upload the new zip.")
        return None
    return content


# --- text -----------------------------------------------------------------------------------------------------------

# Codecs that are not a code page of stored text: refused in a .cpg.
_NOT_CODE_PAGES = ("idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined", "utf-7", "mbcs", "oem",
                   "charmap")


def _codec(cpg: bytes) -> str | None:
    """The Python codec of a .cpg's code page ("UTF-8", "1252", "ANSI 1252",
    "88591", "CP1252", "ISO-8859-1"...), or None if unknown."""
    text = cpg.decode("latin-1").replace("\x00", "").replace("\ufeff", "").replace("ï»¿", "").strip().lower()
    if not text or len(text) > 40:
        return None
    text = re.sub(r"^ansi\s*", "", text)
    if text.isdigit():
        if text == "65001":
            text = "utf-8"
        elif text.startswith("8859") and len(text) > 4:
            text = f"iso8859-{text[4:]}"
        else:
            text = f"cp{text}"
    try:
        name = codecs.lookup(text).name
        "abc".encode(name).decode(name)  # a text encoding, not a bytes-to-bytes codec
    except (LookupError, ValueError):
        return None
    normalised = name.replace("_", "-")
    if normalised in _NOT_CODE_PAGES or normalised.startswith(("utf-16", "utf-32")):
        return None
    return name


def _utf8(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        # A value cut at the field's width in the middle of a character.
        if error.end == len(raw) and error.reason == "unexpected end of data":
            try:
                return raw[:error.start].decode("utf-8")
            except UnicodeDecodeError:
                return None
        return None


def _text_decoder(codec: str | None) -> Callable[[str], str]:
    """Decodes a value pyshp decoded as Latin-1 (a lossless view of the bytes)."""
    utf8 = codec is None or codecs.lookup(codec).name == "utf-8"

    def decode(latin: str) -> str:
        raw = latin.encode("latin-1")
        if utf8:
            text = _utf8(raw)
            if text is None:
                text = latin
        else:
            text = raw.decode(codec or "latin-1", "replace")
        return text.strip().strip("\x00").strip()

    return decode


def _prj_text(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return text.replace("\x00", "").strip()


# --- rings into polygons --------------------------------------------------------------------------------------------

def _signed_area(ring: Ring) -> float:
    """Twice the signed area (positive when counter-clockwise, y up)."""
    total = 0.0
    n = len(ring)
    for i in range(n):
        x0, y0 = ring[i - 1]
        x1, y1 = ring[i]
        total += x0 * y1 - x1 * y0
    return total


def _bbox(ring: Ring) -> tuple[float, float, float, float]:
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def _interior_point(ring: Ring) -> tuple[float, float] | None:
    """A point strictly inside the ring: the middle of the widest interior
    span of a horizontal line through no vertex.  None if the ring encloses
    nothing."""
    ys = sorted({p[1] for p in ring})
    if len(ys) < 2:
        return None
    middle = len(ys) // 2
    y = (ys[middle - 1] + ys[middle]) / 2
    crossings = []
    for i in range(len(ring)):
        x0, y0 = ring[i - 1]
        x1, y1 = ring[i]
        if (y0 > y) != (y1 > y):
            crossings.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
    crossings.sort()
    best = None
    for i in range(0, len(crossings) - 1, 2):
        if best is None or crossings[i + 1] - crossings[i] > best[1] - best[0]:
            best = (crossings[i], crossings[i + 1])
    if best is None or not best[1] > best[0]:
        return None
    return (best[0] + best[1]) / 2, y


def _contains(ring: Ring, x: float, y: float) -> bool:
    inside = False
    for i in range(len(ring)):
        x0, y0 = ring[i - 1]
        x1, y1 = ring[i]
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def _organise(rings: list[Ring]) -> list[Polygon]:
    """Outer rings with their holes.  Fast paths for the common layouts
    (one outer ring with holes; islands without holes), else containment."""
    if len(rings) == 1:
        return [rings]
    areas = [_signed_area(r) for r in rings]
    clockwise = [a < 0 for a in areas]
    if all(clockwise):  # islands, no holes
        return [[r] for r in rings]
    boxes = [_bbox(r) for r in rings]
    sizes = [abs(a) for a in areas]
    largest = max(range(len(rings)), key=sizes.__getitem__)
    if clockwise.count(True) == 1 and clockwise[largest]:
        x0, y0, x1, y1 = boxes[largest]
        if all(x0 <= b[0] and y0 <= b[1] and b[2] <= x1 and b[3] <= y1 for b in boxes):
            return [[rings[largest]] + [r for i, r in enumerate(rings) if i != largest]]
    order = sorted(range(len(rings)), key=lambda i: -sizes[i])
    parent: dict[int, int | None] = {}
    depth: dict[int, int] = {}
    for k, i in enumerate(order):
        parent[i] = None
        bx0, by0, bx1, by1 = boxes[i]
        point: tuple[float, float] | None = None
        sampled = False
        for j in reversed(order[:k]):  # from the smallest larger ring up
            cx0, cy0, cx1, cy1 = boxes[j]
            if not (cx0 <= bx0 and cy0 <= by0 and bx1 <= cx1 and by1 <= cy1) or sizes[j] <= sizes[i]:
                continue
            if not sampled:
                point, sampled = _interior_point(rings[i]), True
            if point is None:
                break
            if _contains(rings[j], *point):
                parent[i] = j
                break
        up = parent[i]
        depth[i] = 0 if up is None else depth[up] + 1
    polygons: dict[int, Polygon] = {}
    for i, ring in enumerate(rings):
        if depth[i] % 2 == 0:
            polygons[i] = [ring]
    for i, ring in enumerate(rings):
        up = parent[i]
        if depth[i] % 2 == 1 and up is not None:
            polygons[up].append(ring)
    return [polygons[i] for i in sorted(polygons)]


# --- the layer ------------------------------------------------------------------------------------------------------

def _polygons(shape: Any, where: str, problems: list[str]) -> list[Polygon] | None:
    points = shape.points
    parts = list(shape.parts) + [len(points)]
    if not points or len(parts) < 2:
        problems.append(f"{where} has an empty geometry: every desa needs its boundary polygon.")
        return None
    rings: list[Ring] = []
    for start, end in itertools.pairwise(parts):
        if not 0 <= start < end <= len(points):
            if start == end:
                continue
            problems.append(f"{where} is damaged: its ring boundaries point outside its coordinates.")
            return None
        ring = [[float(p[0]), float(p[1])] for p in points[start:end]]
        if len(ring) < 4:
            problems.append(f"{where} has a ring of {len(ring)} points: a ring needs at least 4 (3 corners, and "
                            "the first repeated last).")
            return None
        rings.append(ring)
    if not rings:
        problems.append(f"{where} has an empty geometry: every desa needs its boundary polygon.")
        return None
    if not all(math.isfinite(v) for ring in rings for p in ring for v in p):
        problems.append(f"{where} has coordinates that are not numbers (NaN or infinite).")
        return None
    if len(rings) > MAX_RINGS and len({_signed_area(r) < 0 for r in rings}) > 1:
        problems.append(f"{where} has {len(rings):,} rings, more than the {MAX_RINGS:,} whose holes can be "
                        "matched to their outer rings: simplify the desa's boundary.")
        return None
    return _organise(rings)


def _shapes(shp_name: str, content: bytes, deleted: set[int],
            problems: list[str]) -> list[list[Polygon] | None] | None:
    """The polygons of every shape (None for one of a deleted record, or a
    bad one), or None if the .shp cannot be read at all."""
    try:
        reader = shapefile.ShpReader(io.BytesIO(content))
        kind = reader.shapeType
    except Exception:  # noqa: BLE001 - whatever pyshp raises on a hostile header
        problems.append(f"{_show(shp_name)} is not a readable .shp file (its header is damaged or truncated).")
        return None
    if kind not in POLYGON_TYPES:
        found = _TYPE_NAMES.get(kind, f"an unknown type (code {kind})")
        problems.append(f"{_show(shp_name)} holds {found} shapes, not polygons: the desa boundaries must be a "
                        "Polygon layer.")
        return None
    shapes: list[list[Polygon] | None] = []
    try:
        for shape in reader.iterShapes():
            index = len(shapes)
            where = f"Record {index + 1} (FID {index}) of {_show(shp_name)}"
            if index in deleted:
                shapes.append(None)
            elif shape is None or shape.shapeType == shapefile.NULL:
                problems.append(f"{where} has no geometry (a null shape): every desa needs its boundary polygon.")
                shapes.append(None)
            else:
                shapes.append(_polygons(shape, where, problems))
    except Exception:  # noqa: BLE001 - a truncated or corrupt record, whatever pyshp raises on it
        broken = len(shapes)
        problems.append(f"{_show(shp_name)} is damaged or truncated: the shape of record {broken + 1} (FID {broken}) "
                        "cannot be read.")
        return None
    return shapes


def _records(dbf_name: str, content: bytes, codec: str | None,
             problems: list[str]) -> tuple[list[str], list[dict[str, object] | None]] | None:
    decode = _text_decoder(codec)
    try:
        reader = shapefile.DbfReader(io.BytesIO(content), encoding="latin-1")
        names = [decode(f.name) for f in reader.data_fields]
    except Exception:  # noqa: BLE001 - whatever pyshp raises on a hostile header
        problems.append(f"{_show(dbf_name)} is not a readable .dbf file (its header is damaged or truncated).")
        return None
    rows: list[dict[str, object] | None] = []
    try:
        for row in reader.iterRecords(deleted_as_None=True):
            if row is None:
                rows.append(None)  # deleted in place: not a feature
                continue
            values = [decode(v) if isinstance(v, str) else v for v in row]
            rows.append(dict(zip(names, values, strict=True)))
    except Exception:  # noqa: BLE001 - a truncated or corrupt record, whatever pyshp raises on it
        broken = len(rows)
        problems.append(f"{_show(dbf_name)} is damaged or truncated: record {broken + 1} (FID {broken}) cannot be "
                        "read.")
        return None
    return names, rows


def _layer_members(members: Iterable[_Member]) -> tuple[_Member, dict[str, _Member]]:
    members = list(members)
    layers = [m for m in members if m.ext == ".shp"]
    if not layers:
        found = ", ".join(_show(m.path) for m in members[:10]) or "nothing"
        raise ShapefileError([f"The zip holds no .shp file (it holds {found}): a Shapefile layer of the desa "
                              "boundaries is expected (.shp, .shx, .dbf and .prj zipped together)."])
    if len(layers) > 1:
        names = ", ".join(_show(m.path) for m in layers[:10]) + (", …" if len(layers) > 10 else "")
        raise ShapefileError([f"The zip holds {len(layers)} Shapefile layers ({names}): upload one layer, the desa "
                              "boundaries, per zip."])
    layer = layers[0]
    siblings: dict[str, _Member] = {}
    for member in members:
        if member.stem == layer.stem:
            siblings.setdefault(member.ext, member)
    return layer, siblings


def read_zip(data: bytes, *, max_uncompressed: int = 512 * 2**20) -> Layer:
    """The one Shapefile layer in a zip: its ``.prj`` text, field names and
    records.  Raises ShapefileError with every problem found, and nothing
    else whatever ``data`` holds.  At most ``max_uncompressed`` bytes are
    decompressed; members may sit in a folder of the zip."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ShapefileError(["The upload is not a file."])
    data = bytes(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - not a zip, or a damaged one: zipfile raises several kinds
        if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
            problem = ("The zip is damaged or incomplete (was the upload cut short?): zip the Shapefile's files "
                       "again and upload the new zip.")
        else:
            problem = ("The file is not a zip: upload the Shapefile's files (.shp, .shx, .dbf and .prj) zipped "
                       "together.")
        raise ShapefileError([problem]) from None
    with archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyshp warns about recoverable oddities it reads past
        try:
            members = _members(archive, max_uncompressed)
        except ShapefileError:
            raise
        except Exception:  # noqa: BLE001 - a hostile central directory
            raise ShapefileError(["The zip is damaged (its table of contents cannot be read): zip the Shapefile's "
                                  "files again and upload the new zip."]) from None
        return _read_layer(archive, members)


def _read_layer(archive: zipfile.ZipFile, members: list[_Member]) -> Layer:
    shp, siblings = _layer_members(members)
    problems: list[str] = []
    dbf, prj, cpg = siblings.get(".dbf"), siblings.get(".prj"), siblings.get(".cpg")
    if dbf is None:
        problems.append(f"The zip has no .dbf file next to {_show(shp.path)}: the attribute table with each desa's "
                        "code and name is missing.")
    if prj is None:
        problems.append(f"The zip has no .prj file next to {_show(shp.path)}, so the projection of its coordinates "
                        "cannot be known: export the layer again with its .prj file.")
    shp_bytes = _read_member(archive, shp, problems)
    dbf_bytes = _read_member(archive, dbf, problems) if dbf is not None else None
    prj_bytes = _read_member(archive, prj, problems) if prj is not None else None
    cpg_bytes = _read_member(archive, cpg, problems) if cpg is not None else None

    table = None
    if dbf is not None and dbf_bytes is not None:
        table = _records(dbf.path, dbf_bytes, _codec(cpg_bytes) if cpg_bytes is not None else None, problems)
    deleted = {i for i, row in enumerate(table[1]) if row is None} if table is not None else set()
    shapes = _shapes(shp.path, shp_bytes, deleted, problems) if shp_bytes is not None else None
    if dbf is not None and shapes is not None and table is not None and len(shapes) != len(table[1]):
        problems.append(f"{_show(shp.path)} holds {len(shapes):,} shapes but {_show(dbf.path)} {len(table[1]):,} "
                        "records: the two files are not of the same layer.")
    if problems or shapes is None or table is None:
        raise ShapefileError(problems or [f"{_show(shp.path)} cannot be read."])
    names, rows = table
    records = [Record(index=i, attributes=row, polygons=polygons)
               for i, (polygons, row) in enumerate(zip(shapes, rows, strict=True))
               if row is not None and polygons is not None]
    return Layer(name=shp.path, prj=_prj_text(prj_bytes) if prj_bytes is not None else None, fields=names,
                 records=records)
