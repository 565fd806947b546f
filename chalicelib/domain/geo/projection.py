"""The coordinate reference systems a regency's boundary file may come in, and
the inverse of the one projection they use: UTM.

Indonesia's official boundaries come either in geographic WGS 84 or in one of
the UTM zones covering the country, 46 to 54, north and south of the equator,
on the WGS 84 datum or on DGN95 (Datum Geodesi Nasional 1995, EPSG:4755).

DGN95 is treated as WGS 84: DGN95 is realised on the WGS 84 ellipsoid, and the
EPSG dataset's only transformation between the two (EPSG:15912, "DGN95 to WGS
84 (1)") is a null transformation with an accuracy of about 1 metre.  A
boundary drawn at 1:10,000 or smaller is far coarser than that.

``identify`` recognises these systems in a Shapefile's ``.prj`` (WKT 1 as
ESRI and GDAL write it, or WKT 2) by their parameters, whatever they are named;
anything else, including Indonesia's TM-3 zones, Web Mercator and other datums,
is refused (``None``): the operator's tools (pyproj) reproject those.

``inverse_utm`` and ``project_polygons`` turn UTM eastings/northings into
longitude/latitude with Krüger's series to order n^6, as in C. F. F. Karney,
"Transverse Mercator with an accuracy of a few nanometers", J. Geodesy 85
(2011) 475-485, eqs. (7), (11), (15), (35)-(36): within a zone and well beyond
it (thousands of kilometres from the central meridian) the truncation error is
below a micrometre.  Pure ``math``: no pyproj in the Lambda package.
"""
from __future__ import annotations

import math
import re
from typing import Iterator, Sequence

import msgspec

__all__ = [
    "Crs", "ProjectionError", "WGS84", "DGN95", "identify", "by_epsg", "inverse_utm", "project_polygons",
    "utm_zone",
]

# --- the ellipsoid and the UTM constants --------------------------------------------------------------------------

A_WGS84 = 6378137.0
RF_WGS84 = 298.257223563  # inverse flattening
K0 = 0.9996
FALSE_EASTING = 500000.0
FALSE_NORTHING_SOUTH = 10000000.0

INDONESIA_ZONES = range(46, 55)  # 46 (Aceh) to 54 (Papua)


class Crs(msgspec.Struct, frozen=True):
    """A coordinate reference system this module can turn into WGS 84
    longitude/latitude.  ``zone`` is None for geographic systems.

    ``epsg`` is the EPSG code of the system the file declares; for the three
    DGN95 UTM zones the EPSG dataset does not define (46S, 53N and 54N) it is
    that of the WGS 84 zone, which the coordinates are treated as."""

    epsg: int
    zone: int | None
    south: bool
    name: str

    @property
    def geographic(self) -> bool:
        return self.zone is None


WGS84 = Crs(4326, None, False, "WGS 84")
DGN95 = Crs(4755, None, False, "DGN95")


def _dgn95_utm_epsg(zone: int, south: bool) -> int | None:
    """EPSG:23866-23872 are DGN95 / UTM zones 46N-52N, EPSG:23877-23884 zones
    47S-54S (checked against the EPSG dataset of PROJ 9, via pyproj)."""
    if not south and 46 <= zone <= 52:
        return 23866 + zone - 46
    if south and 47 <= zone <= 54:
        return 23877 + zone - 47
    return None


def utm_zone(zone: int, south: bool, datum: str = "WGS 84") -> Crs:
    """The ``Crs`` of a UTM zone on WGS 84 or (``datum="DGN95"``) DGN95."""
    if datum not in ("WGS 84", "DGN95"):
        raise ValueError(f"unknown datum {datum!r}")
    if not (isinstance(zone, int) and 1 <= zone <= 60):
        raise ValueError(f"a UTM zone is 1 to 60, not {zone!r}")
    wgs = (32700 if south else 32600) + zone
    epsg = (_dgn95_utm_epsg(zone, south) or wgs) if datum == "DGN95" else wgs
    return Crs(epsg, zone, bool(south), f"{datum if datum == 'DGN95' else 'WGS 84'} / UTM zone {zone}{'S' if south else 'N'}")


def _known() -> dict[int, Crs]:
    known = {WGS84.epsg: WGS84, DGN95.epsg: DGN95}
    for zone in INDONESIA_ZONES:
        for south in (False, True):
            for datum in ("WGS 84", "DGN95"):
                crs = utm_zone(zone, south, datum)
                known.setdefault(crs.epsg, crs)
    return known


KNOWN: dict[int, Crs] = _known()


def by_epsg(code: int) -> Crs | None:
    """The ``Crs`` of an EPSG code this module handles, else None."""
    return KNOWN.get(code) if isinstance(code, int) and not isinstance(code, bool) else None


# --- reading WKT ----------------------------------------------------------------------------------------------------

MAX_WKT_CHARS = 64 * 1024  # a .prj is a few kilobytes at most
_MAX_DEPTH = 24
_MAX_TOKENS = 20000

_TOKEN = re.compile(r"""\s*(?:
    "((?:[^"]|"")*)"                                   # 1: a quoted text, "" escapes a quote
  | ([A-Za-z_][A-Za-z0-9_]*)                           # 2: a keyword or an enumeration (EAST, north)
  | ([-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)  # 3: a number
  | ([\[(])                                            # 4
  | ([\])])                                            # 5
  | (,)                                                # 6
)""", re.VERBOSE)


class _Bad(Exception):
    """Not WKT this module reads."""


class _Node:
    __slots__ = ("keyword", "args")

    def __init__(self, keyword: str, args: list[object]) -> None:
        self.keyword = keyword
        self.args = args

    def nodes(self, *keywords: str) -> list[_Node]:
        return [a for a in self.args if isinstance(a, _Node) and a.keyword in keywords]

    def node(self, *keywords: str) -> _Node | None:
        found = self.nodes(*keywords)
        return found[0] if found else None

    def text(self, i: int = 0) -> str | None:
        value = self.args[i] if i < len(self.args) else None
        return value if isinstance(value, str) else None

    def number(self, i: int) -> float | None:
        value = self.args[i] if i < len(self.args) else None
        if isinstance(value, float):
            return value
        if isinstance(value, str):  # AUTHORITY["EPSG","32749"]
            try:
                return float(value)
            except ValueError:
                return None
        return None

    def walk(self) -> Iterator[_Node]:
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(a for a in node.args if isinstance(a, _Node))


def _parse(text: str) -> _Node:
    tokens: list[tuple[int, str]] = []  # (kind, value)
    pos, end = 0, len(text)
    while pos < end:
        match = _TOKEN.match(text, pos)
        if match is None:
            if text[pos:].strip():
                raise _Bad("unexpected character")
            break
        pos = match.end()
        kind = match.lastindex or 0
        tokens.append((kind, match.group(kind)))
        if len(tokens) > _MAX_TOKENS:
            raise _Bad("too long")
    position = 0

    def value(depth: int) -> object:
        nonlocal position
        if depth > _MAX_DEPTH or position >= len(tokens):
            raise _Bad("truncated or too deep")
        kind, token = tokens[position]
        position += 1
        if kind == 1:
            return token.replace('""', '"')
        if kind == 3:
            return float(token)
        if kind != 2:
            raise _Bad("a value was expected")
        if position < len(tokens) and tokens[position][0] == 4:
            position += 1
            args: list[object] = []
            if position < len(tokens) and tokens[position][0] == 5:
                position += 1
                return _Node(token.upper(), args)
            while True:
                args.append(value(depth + 1))
                if position >= len(tokens):
                    raise _Bad("unbalanced brackets")
                kind, _ = tokens[position]
                position += 1
                if kind == 5:
                    return _Node(token.upper(), args)
                if kind != 6:
                    raise _Bad("a comma was expected")
        return _Enum(token)

    root = value(0)
    if position != len(tokens) or not isinstance(root, _Node):
        raise _Bad("not a single WKT object")
    return root


class _Enum(str):
    """A bare word (AXIS["Easting",EAST]), kept apart from quoted texts."""


def _norm(name: object) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower()) if isinstance(name, str) else ""


_GEOGRAPHIC = ("GEOGCS", "GEOGCRS", "GEOGRAPHICCRS", "GEODCRS", "GEODETICCRS", "BASEGEOGCRS", "BASEGEODCRS")
_PROJECTED = ("PROJCS", "PROJCRS", "PROJECTEDCRS")
_DATUMS = ("DATUM", "GEODETICDATUM", "TRF", "ENSEMBLE")
_ELLIPSOIDS = ("SPHEROID", "ELLIPSOID")
_DEGREE = math.pi / 180

_WGS84_DATUM = re.compile(r"^(?:wgs1984|wgs84|worldgeodeticsystem1984)(?:ensemble|transit|g[0-9]{3,4})?$")
_DGN95_DATUM = re.compile(r"^(?:datumgeodesinasional1995|dgn1995|dgn95)$")

_PARAMETERS = {  # normalised WKT 1 (ESRI and OGC) and WKT 2 names, and EPSG parameter codes
    "latitudeoforigin": "lat0", "latitudeofnaturalorigin": "lat0", 8801: "lat0",
    "centralmeridian": "lon0", "longitudeofnaturalorigin": "lon0", 8802: "lon0",
    "scalefactor": "k0", "scalefactoratnaturalorigin": "k0", 8805: "k0",
    "falseeasting": "fe", 8806: "fe",
    "falsenorthing": "fn", 8807: "fn",
}


def _epsg_ids(node: _Node) -> list[int]:
    """The EPSG codes of a node's own AUTHORITY/ID children."""
    codes = []
    for ident in node.nodes("AUTHORITY", "ID"):
        if _norm(ident.text(0)) == "epsg":
            code = ident.number(1)
            if code is None or not math.isfinite(code) or code != int(code):
                raise _Bad("an EPSG code that is not a number")
            codes.append(int(code))
    return codes


def _close(value: float | None, expected: float, tolerance: float) -> bool:
    return value is not None and math.isfinite(value) and abs(value - expected) <= tolerance


def _check_units(node: _Node, wkt2: bool) -> None:
    """WKT 2 carries a unit on every quantity: lengths must be metres, angles
    degrees, scales unity.  (WKT 1's UNITs are checked where they stand.)"""
    if not wkt2:
        return
    for child in node.walk():
        if child.keyword == "LENGTHUNIT" or child.keyword == "SCALEUNIT":
            if not _close(child.number(1), 1.0, 1e-12):
                raise _Bad("not metres")
        elif child.keyword == "ANGLEUNIT":
            if not _close(child.number(1), _DEGREE, 1e-15):
                raise _Bad("not degrees")
        elif child.keyword == "UNIT":
            factor = child.number(1)
            if not (_close(factor, 1.0, 1e-12) or _close(factor, _DEGREE, 1e-15)):
                raise _Bad("unknown unit")


def _datum_of(geographic: _Node, wkt2: bool) -> str:
    """'WGS 84' or 'DGN95' for a geographic (base) CRS node, else _Bad."""
    if geographic.keyword in ("GEODCRS", "GEODETICCRS", "BASEGEODCRS"):
        cs = geographic.node("CS")
        if cs is not None and _norm(cs.text(0)) != "ellipsoidal":
            raise _Bad("geocentric")
    datum = geographic.node(*_DATUMS)
    if datum is None:
        raise _Bad("no datum")
    name = datum.text(0) or ""
    if name.lower().startswith("d_"):  # ESRI: D_WGS_1984, D_Datum_Geodesi_Nasional_1995
        name = name[2:]
    key = _norm(name)
    found = "WGS 84" if _WGS84_DATUM.match(key) else "DGN95" if _DGN95_DATUM.match(key) else None
    for code in _epsg_ids(datum):
        by_code = {6326: "WGS 84", 6755: "DGN95"}.get(code)
        if by_code is None or (found is not None and found != by_code):
            raise _Bad("another datum")
        found = by_code
    for code in _epsg_ids(geographic):
        by_code = {4326: "WGS 84", 4755: "DGN95"}.get(code)
        if by_code is None or (found is not None and found != by_code):
            raise _Bad("another geographic CRS")
        found = found or by_code
    if found is None:
        raise _Bad("unknown datum")
    ellipsoid = datum.node(*_ELLIPSOIDS) or geographic.node(*_ELLIPSOIDS)
    if ellipsoid is None or not (_close(ellipsoid.number(1), A_WGS84, 1e-3)
                                 and _close(ellipsoid.number(2), RF_WGS84, 1e-8)):
        raise _Bad("another ellipsoid")
    for shift in datum.nodes("TOWGS84"):
        if any(not _close(v, 0.0, 0.0) for v in (shift.number(i) for i in range(len(shift.args)))):
            raise _Bad("a datum shift")
    primem = geographic.node("PRIMEM", "PRIMEMERIDIAN")
    if primem is not None and not _close(primem.number(1), 0.0, 0.0):
        raise _Bad("not Greenwich")
    if not wkt2:
        unit = geographic.node("UNIT")
        if unit is None or not _close(unit.number(1), _DEGREE, 1e-15):
            raise _Bad("not degrees")
    return found


def _projected(root: _Node, wkt2: bool) -> Crs:
    base = root.node(*_GEOGRAPHIC)
    if base is None:
        raise _Bad("no base CRS")
    datum = _datum_of(base, wkt2)
    if wkt2:
        conversion = root.node("CONVERSION")
        if conversion is None:
            raise _Bad("no conversion")
        method = conversion.node("METHOD", "PROJECTION")
        holder = conversion
    else:
        method = root.node("PROJECTION")
        holder = root
        unit = root.node("UNIT")
        if unit is None or not _close(unit.number(1), 1.0, 1e-12):
            raise _Bad("not metres")
    if method is None:
        raise _Bad("no method")
    method_codes = _epsg_ids(method)
    if _norm(method.text(0)) not in ("transversemercator", "transversemercatorcomplex", "gausskruger") and method_codes != [9807]:
        raise _Bad("another projection")
    if method_codes and method_codes != [9807]:
        raise _Bad("another projection")
    values: dict[str, float] = {}
    for parameter in holder.nodes("PARAMETER"):
        codes = _epsg_ids(parameter)
        key = _PARAMETERS.get(_norm(parameter.text(0))) or (_PARAMETERS.get(codes[0]) if codes else None)
        value = parameter.number(1)
        if key is None or value is None or key in values:
            raise _Bad("another parameter")
        unit = parameter.node("ANGLEUNIT", "LENGTHUNIT", "SCALEUNIT", "UNIT")
        if unit is not None and unit.keyword == "ANGLEUNIT":
            factor = unit.number(1)
            value = value * (factor / _DEGREE if factor is not None else math.nan)
        values[key] = value
    values.setdefault("lat0", 0.0)
    if not (_close(values["lat0"], 0.0, 1e-9) and _close(values.get("k0"), K0, 1e-12)
            and _close(values.get("fe"), FALSE_EASTING, 1e-6)):
        raise _Bad("not UTM")
    if _close(values.get("fn"), 0.0, 1e-6):
        south = False
    elif _close(values.get("fn"), FALSE_NORTHING_SOUTH, 1e-6):
        south = True
    else:
        raise _Bad("not UTM")
    lon0 = values.get("lon0")
    zone = round((lon0 + 183) / 6) if lon0 is not None and math.isfinite(lon0) else 0
    if zone not in INDONESIA_ZONES or not _close(lon0, 6 * zone - 183, 1e-9):
        raise _Bad("not a UTM zone over Indonesia")
    return utm_zone(zone, south, datum)


def _from_tree(root: _Node) -> Crs:
    if root.keyword in ("COMPD_CS", "COMPOUNDCRS"):  # the horizontal part; heights are not used
        horizontal = root.node(*_GEOGRAPHIC, *_PROJECTED)
        if horizontal is None:
            raise _Bad("no horizontal CRS")
        return _from_tree(horizontal)
    if root.keyword == "BOUNDCRS":  # WKT 2's form of a TOWGS84: only a null shift is WGS 84
        source = root.node("SOURCECRS")
        shift = root.node("ABRIDGEDTRANSFORMATION")
        inner = source.node(*_GEOGRAPHIC, *_PROJECTED) if source is not None else None
        if inner is None or shift is None:
            raise _Bad("incomplete BOUNDCRS")
        for parameter in shift.nodes("PARAMETER"):
            if not _close(parameter.number(1), 0.0, 0.0):
                raise _Bad("a datum shift")
        return _from_tree(inner)
    wkt2 = root.keyword not in ("GEOGCS", "PROJCS")
    _check_units(root, wkt2)
    if root.keyword in _GEOGRAPHIC:
        crs = WGS84 if _datum_of(root, wkt2) == "WGS 84" else DGN95
    elif root.keyword in _PROJECTED:
        crs = _projected(root, wkt2)
    else:
        raise _Bad("not a horizontal CRS")
    declared = _epsg_ids(root)
    if declared and declared != [crs.epsg]:
        raise _Bad("the EPSG code contradicts the parameters")
    return crs


_CODE = re.compile(r"^(?:urn:ogc:def:crs:)?(epsg|ogc)(?::[0-9.]*)?::?([a-z0-9]+)$")


def identify(prj_text: str) -> Crs | None:
    """The system a ``.prj`` (or a GeoJSON ``crs`` name) declares, if it is
    one this module handles: WGS 84 (EPSG:4326, OGC:CRS84), DGN95
    (EPSG:4755), or a UTM zone 46-54 N/S on either datum.  Identified by the
    datum, ellipsoid, projection method and parameters, whatever the names;
    an EPSG code that contradicts them, or anything else, gives None.  Never
    raises."""
    if not isinstance(prj_text, str) or len(prj_text) > MAX_WKT_CHARS:
        return None
    text = prj_text.strip().lstrip("\ufeff").strip().rstrip("\x00").strip()
    if not text:
        return None
    code = _CODE.match(text.lower())
    if code is not None:
        authority, value = code.groups()
        if authority == "ogc":
            return WGS84 if value == "crs84" else None
        return by_epsg(int(value)) if value.isdigit() and len(value) <= 6 else None
    try:
        return _from_tree(_parse(text))
    except (_Bad, ValueError, OverflowError, RecursionError):
        return None


# --- the inverse transverse Mercator -------------------------------------------------------------------------------

_N = 1 / (2 * RF_WGS84 - 1)  # third flattening n = f / (2 - f)
_N2, _N3 = _N * _N, _N * _N * _N
_N4, _N5, _N6 = _N2 * _N2, _N2 * _N3, _N3 * _N3
# Rectifying radius A (Karney 2011, eq. 14), scaled by k0: metres per radian of xi.
_A = A_WGS84 / (1 + _N) * (1 + _N2 / 4 + _N4 / 64 + _N6 / 256)
_PER_METRE = 1 / (K0 * _A)

# Krüger's beta_j: xi' + i eta' = zeta - sum beta_j sin(2 j zeta)  (Karney 2011, eq. 36).
_BETA = (
    _N / 2 - 2 * _N2 / 3 + 37 * _N3 / 96 - _N4 / 360 - 81 * _N5 / 512 + 96199 * _N6 / 604800,
    _N2 / 48 + _N3 / 15 - 437 * _N4 / 1440 + 46 * _N5 / 105 - 1118711 * _N6 / 3870720,
    17 * _N3 / 480 - 37 * _N4 / 840 - 209 * _N5 / 4480 + 5569 * _N6 / 90720,
    4397 * _N4 / 161280 - 11 * _N5 / 504 - 830251 * _N6 / 7257600,
    4583 * _N5 / 161280 - 108847 * _N6 / 3991680,
    20648693 * _N6 / 638668800,
)
# Geodetic latitude from conformal latitude chi: phi = chi + sum delta_j sin(2 j chi)
# (the series of Karney 2011, sec. 3; as in Krüger 1912, to n^6).
_DELTA = (
    2 * _N - 2 * _N2 / 3 - 2 * _N3 + 116 * _N4 / 45 + 26 * _N5 / 45 - 2854 * _N6 / 675,
    7 * _N2 / 3 - 8 * _N3 / 5 - 227 * _N4 / 45 + 2704 * _N5 / 315 + 2323 * _N6 / 945,
    56 * _N3 / 15 - 136 * _N4 / 35 - 1262 * _N5 / 105 + 73814 * _N6 / 2835,
    4279 * _N4 / 630 - 332 * _N5 / 35 - 399572 * _N6 / 14175,
    4174 * _N5 / 315 - 144838 * _N6 / 6237,
    601676 * _N6 / 22275,
)
_B1, _B2, _B3, _B4, _B5, _B6 = _BETA
_D1, _D2, _D3, _D4, _D5, _D6 = _DELTA

# Positions farther than this from the central meridian, or from the equator,
# are not UTM coordinates of any place (a zone is ~670 km wide at the equator).
MAX_FROM_MERIDIAN = 1_000_000.0
MAX_FROM_EQUATOR = 9_400_000.0  # about 84.7 degrees of latitude


class ProjectionError(ValueError):
    """A position that cannot be a coordinate in the given system."""


def _check_zone(zone: int) -> None:
    if isinstance(zone, bool) or not isinstance(zone, int) or not 1 <= zone <= 60:
        raise ValueError(f"a UTM zone is 1 to 60, not {zone!r}")


def inverse_utm(easting: float, northing: float, zone: int, south: bool) -> tuple[float, float]:
    """(longitude, latitude) in degrees of a WGS 84 UTM position in metres.
    Raises ProjectionError for a position that is not a UTM coordinate
    (non-finite, or farther than 1,000 km from the zone's central meridian)."""
    _check_zone(zone)
    ring = _inverse_ring(((easting, northing),), zone, bool(south))
    return ring[0][0], ring[0][1]


def _inverse_ring(positions: Sequence[Sequence[float]], zone: int, south: bool) -> list[list[float]]:
    """The inverse for every position of a ring, with every constant a local:
    this loop is the worker's hot path (millions of positions)."""
    sin, cos, sinh, exp, atan2, hypot, isfinite = math.sin, math.cos, math.sinh, math.exp, math.atan2, math.hypot, math.isfinite
    per_metre, degrees_per_radian = _PER_METRE, 180 / math.pi
    b1, b2, b3, b4, b5, b6 = _BETA
    d1, d2, d3, d4, d5, d6 = _DELTA
    lon0 = 6.0 * zone - 183.0
    false_northing = FALSE_NORTHING_SOUTH if south else 0.0
    out: list[list[float]] = []
    append = out.append
    for position in positions:
        x = position[0] - FALSE_EASTING
        y = position[1] - false_northing
        if not (isfinite(x) and isfinite(y) and -MAX_FROM_MERIDIAN <= x <= MAX_FROM_MERIDIAN
                and -MAX_FROM_EQUATOR <= y <= MAX_FROM_EQUATOR):
            hemisphere = "S" if south else "N"
            raise ProjectionError(f"the position ({position[0]!r}, {position[1]!r}) is not a coordinate of UTM zone "
                                  f"{zone}{hemisphere}: it is not within 1,000 km of the zone")
        xi = y * per_metre
        eta = x * per_metre
        # zeta' = zeta - sum_j beta_j sin(2 j zeta), zeta = xi + i eta: Clenshaw's
        # recurrence on complex numbers, from sin 2zeta and cos 2zeta alone.
        s, c = sin(2 * xi), cos(2 * xi)
        e = exp(2 * eta)
        ch, sh = (e + 1 / e) / 2, (e - 1 / e) / 2
        sin2 = complex(s * ch, c * sh)
        r = 2 * complex(c * ch, -s * sh)  # 2 cos 2zeta
        u1: complex = b6
        u0: complex = r * u1 + b5
        u1, u0 = u0, r * u0 - u1 + b4
        u1, u0 = u0, r * u0 - u1 + b3
        u1, u0 = u0, r * u0 - u1 + b2
        u1, u0 = u0, r * u0 - u1 + b1
        zeta = complex(xi, eta) - sin2 * u0
        xi_, eta_ = zeta.real, zeta.imag
        sh_, c_, s_ = sinh(eta_), cos(xi_), sin(xi_)
        h = hypot(sh_, c_)
        lam = atan2(sh_, c_)
        chi = atan2(s_, h)  # conformal latitude
        # phi = chi + sum_j delta_j sin(2 j chi), Clenshaw again, on reals;
        # sin 2chi and cos 2chi from sin chi = s_/cosh, cos chi = h/cosh.
        q = 1 / (1 + sh_ * sh_)  # 1/cosh^2 eta'
        sin2chi = 2 * s_ * h * q
        r2 = 2 * (h * h - s_ * s_) * q
        v1 = d6
        v0 = r2 * v1 + d5
        v1, v0 = v0, r2 * v0 - v1 + d4
        v1, v0 = v0, r2 * v0 - v1 + d3
        v1, v0 = v0, r2 * v0 - v1 + d2
        v1, v0 = v0, r2 * v0 - v1 + d1
        lon = lon0 + lam * degrees_per_radian
        if lon > 180.0:
            lon -= 360.0
        elif lon < -180.0:
            lon += 360.0
        append([lon, (chi + sin2chi * v0) * degrees_per_radian])
    return out


def project_polygons(polygons: Sequence[Sequence[Sequence[Sequence[float]]]], crs: Crs) -> list[list[list[list[float]]]]:
    """Every position of a list of polygons (lists of rings of positions) as
    [longitude, latitude] in WGS 84: new lists, extra ordinates (Z, M)
    dropped.  Geographic systems are copied unchanged.  Raises
    ProjectionError for a position that cannot be in ``crs``."""
    if crs.zone is None:
        return [[[[float(p[0]), float(p[1])] for p in ring] for ring in polygon] for polygon in polygons]
    _check_zone(crs.zone)
    return [[_inverse_ring(ring, crs.zone, crs.south) for ring in polygon] for polygon in polygons]
