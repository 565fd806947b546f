"""Public works projects (QlueWork): the rules, without AWS.

Money is whole rupiah in ``int`` from the request to the table; physical
progress is kept in basis points (``int``, 0..10000 = 0..100 %), so no float
ever enters a sum.  Dates are the region's calendar dates (``YYYY-MM-DD``).

Red flags are computed here from a project's figures and today's date, each
with the rule a reader can check; budget totals are maintained by adding the
deltas ``totals_delta`` computes to pre-computed items, never by summing
projects on a read.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import msgspec

from .errors import InvalidInput

if TYPE_CHECKING:
    from ..contract import projects as contract

FULL = 10_000  # 100 % in basis points

FUNDING_SOURCES = {
    "apbd": {"id": "APBD (anggaran daerah)", "en": "APBD (regional budget)"},
    "apbn": {"id": "APBN (anggaran negara)", "en": "APBN (state budget)"},
    "dana_desa": {"id": "Dana Desa", "en": "Village Fund (Dana Desa)"},
    "other": {"id": "Sumber lain", "en": "Other source"},
}
DOCUMENT_CONTENT_TYPES = {"application/pdf": "pdf"}
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
STATUSES = ("planned", "active", "completed")
STATUS_LABELS = {
    "planned": {"id": "Belum dimulai", "en": "Not started"},
    "active": {"id": "Sedang dikerjakan", "en": "Under way"},
    "completed": {"id": "Selesai", "en": "Completed"},
}
_NPWP = re.compile(r"^[0-9]{2}\.?[0-9]{3}\.?[0-9]{3}\.?[0-9]-?[0-9]{3}\.?[0-9]{3}$|^[0-9]{16}$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


# --- values ---------------------------------------------------------------
# The shape (types, ranges, lengths) is checked at the edge by the contract
# (``chalicelib.contract.projects``); what follows are the rules beyond it.

def percent_bp(value: float, name: str = "percent") -> int:
    """A percentage 0..100 with at most two decimals, as basis points (a
    value below a hundredth of a basis point, such as ``1e-200``, is 0)."""
    scaled = round(value * 100)
    if abs(scaled - value * 100) > 1e-6:
        raise InvalidInput("too_precise", field=name, decimals=2)
    return int(scaled)


def percent(bp: int) -> float:
    return round(int(bp) / 100, 2)


def calendar_date(value: str, name: str) -> date:
    """A ``YYYY-MM-DD`` date that exists (not 2026-02-30)."""
    if not _DATE.match(value):
        raise InvalidInput("invalid_date", field=name)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("invalid_date", field=name) from None


def npwp(value: str) -> str:
    """An Indonesian tax id: 15 digits (``01.234.567.8-901.000``) or the
    16-digit form in use since 2024; stored as digits only."""
    if not _NPWP.match(value):
        raise InvalidInput("invalid_npwp")
    return re.sub(r"[^0-9]", "", value)


def public_npwp(digits: str) -> str | None:
    """What may be published of a contractor's NPWP: a business's tax id is
    public (it is on every tender announcement), but a 16-digit NPWP that
    does not start with 0 is a person's NIK (national id), never shown."""
    if len(digits) == 16 and not digits.startswith("0"):
        return None
    return format_npwp(digits)


def format_npwp(digits: str) -> str:
    if len(digits) == 15:
        d = digits
        return f"{d[0:2]}.{d[2:5]}.{d[5:8]}.{d[8]}-{d[9:12]}.{d[12:15]}"
    return digits


# --- geometry of a project's location -------------------------------------

COORDINATE_DECIMALS = 7  # about 1 cm; also keeps every number storable (1e-200 would underflow DynamoDB's)


def _positions(geometry: dict[str, Any]) -> list[list[float]]:
    coords = geometry["coordinates"]
    if geometry["type"] == "Point":
        return [coords]
    if geometry["type"] == "LineString":
        return coords
    return [p for ring in coords for p in ring]


def location_problem(geometry: dict[str, Any]) -> str | None:
    """Why a well-formed GeoJSON Point, LineString or Polygon (as the
    contract admits it) is not a usable project location, or None."""
    for position in _positions(geometry):
        if not (-180 <= position[0] <= 180 and -90 <= position[1] <= 90):
            return "longitude must be within -180..180 and latitude within -90..90"
    if geometry["type"] == "Polygon":
        ring = geometry["coordinates"][0]
        if ring[0][:2] != ring[-1][:2]:
            return "a Polygon ring must be closed (first position = last)"
    return None


def _rounded(value: Any) -> Any:
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return round(float(value), COORDINATE_DECIMALS) + 0.0


def location(geometry: dict[str, Any], name: str = "location") -> dict[str, Any]:
    """The location as stored: checked, every coordinate to 7 decimals."""
    problem = location_problem(geometry)
    if problem:
        raise InvalidInput("invalid_geojson", field=name, problem=problem)
    return {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])}


def representative_point(geometry: dict[str, Any]) -> tuple[float, float]:
    """The point that places a project in a kelurahan: the point itself, the
    middle of a line (by length), the centroid of a polygon's ring."""
    coords = geometry["coordinates"]
    if geometry["type"] == "Point":
        return float(coords[0]), float(coords[1])
    if geometry["type"] == "LineString":
        lengths = [math.dist(a[:2], b[:2]) for a, b in zip(coords, coords[1:], strict=False)]
        half = sum(lengths) / 2
        for (a, b), length in zip(zip(coords, coords[1:], strict=False), lengths, strict=True):
            if half <= length and length > 0:
                t = half / length
                return a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
            half -= length
        return float(coords[0][0]), float(coords[0][1])
    ring = coords[0]
    area = cx = cy = 0.0
    for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:], strict=False):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-15:
        return float(ring[0][0]), float(ring[0][1])
    return cx / (3 * area), cy / (3 * area)


# --- registering a project ------------------------------------------------

@dataclass(frozen=True)
class NewProject:
    title: str
    description: str | None
    agency: str
    fiscal_year: int
    funding_source: str
    location: dict[str, Any]
    value: int
    contractor_name: str
    contractor_npwp: str
    contract_number: str
    start_date: date
    end_date: date
    kelurahan_code: str | None


def fingerprint(body: dict[str, Any]) -> str:
    """The request's content, to tell a retry from a different request sent
    under the same idempotency key."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]


def check_new_project(request: contract.NewProject, agencies: set[str], kelurahan: set[str]) -> NewProject:
    """The rules a well-formed registration must still meet: a known agency
    and kelurahan, a usable location, a valid NPWP, dates in order."""
    if request.agency not in agencies:
        raise InvalidInput("unknown_agency", agency=request.agency)
    where = location(msgspec.to_builtins(request.location))
    tax_id = npwp(request.contractor.npwp)
    start = calendar_date(request.start_date, "start_date")
    end = calendar_date(request.end_date, "end_date")
    if end < start:
        raise InvalidInput("dates_out_of_order", first="start_date", second="end_date")
    if request.kelurahan_code is not None and request.kelurahan_code not in kelurahan:
        raise InvalidInput("unknown_kelurahan", kelurahan_code=request.kelurahan_code)
    return NewProject(request.title, request.description, request.agency, request.fiscal_year,
                      request.funding_source, where, request.value, request.contractor.name, tax_id,
                      request.contract_number, start, end, request.kelurahan_code)


# --- progress and money -----------------------------------------------------

@dataclass(frozen=True)
class Progress:
    percent_bp: int
    on: date
    note: str | None
    photo_ids: tuple[str, ...]
    correction_reason: str | None


def check_progress(request: contract.ProgressRequest, today: date, start: date, last_on: date | None,
                   current_bp: int, may_correct: bool) -> Progress:
    """A progress report.  Progress never goes down, except as an admin's
    correction with a reason; a report is dated no later than today, no
    earlier than the contract start or the previous report."""
    bp = percent_bp(request.percent)
    on = calendar_date(request.date, "date")
    if on > today:
        raise InvalidInput("date_in_future", field="date")
    if on < start:
        raise InvalidInput("dates_out_of_order", first="start_date", second="date")
    reason = request.correction_reason
    if reason is not None and not may_correct:
        raise InvalidInput("correction_admin_only")
    photo_ids = list(request.photo_ids)
    if len(set(photo_ids)) != len(photo_ids):
        raise InvalidInput("invalid_photo_ids")
    if reason is None:
        if bp < current_bp:
            raise InvalidInput("progress_decrease", current=percent(current_bp), percent=percent(bp))
        if last_on is not None and on < last_on:
            raise InvalidInput("dates_out_of_order", first="previous report", second="date")
        if not photo_ids:
            raise InvalidInput("progress_needs_photo")
    return Progress(bp, on, request.note, tuple(photo_ids), reason)


@dataclass(frozen=True)
class Disbursement:
    amount: int
    on: date
    reference: str


def check_disbursement(request: contract.DisbursementRequest, today: date, value: int,
                       disbursed: int) -> Disbursement:
    on = calendar_date(request.date, "date")
    if on > today:
        raise InvalidInput("date_in_future", field="date")
    if disbursed + request.amount > value:
        raise InvalidInput("over_contract_value", remaining=value - disbursed, amount=request.amount)
    return Disbursement(request.amount, on, request.reference)


# --- figures and red flags --------------------------------------------------

@dataclass(frozen=True)
class Rules:
    """Region-set thresholds of the red flags."""

    money_ahead_points: int = 20
    behind_schedule_points: int = 25
    stale_days: int = 30

    @classmethod
    def from_record(cls, record: Any) -> "Rules":
        record = record or {}
        return cls(**{k: int(record[k]) for k in ("money_ahead_points", "behind_schedule_points", "stale_days")
                      if record.get(k) is not None})

    def as_dict(self) -> dict[str, int]:
        return {"money_ahead_points": self.money_ahead_points,
                "behind_schedule_points": self.behind_schedule_points, "stale_days": self.stale_days}


@dataclass(frozen=True)
class Figures:
    """What a project page shows, as of ``today``."""

    value: int
    disbursed: int
    progress_bp: int
    start: date
    end: date
    last_report_on: date | None
    audits_open: int
    today: date

    @property
    def physical(self) -> float:
        return percent(self.progress_bp)

    @property
    def financial(self) -> float:
        return round(self.disbursed * 100 / self.value, 2) if self.value else 0.0

    @property
    def time_elapsed(self) -> float:
        if self.today <= self.start:
            return 0.0
        if self.today >= self.end:
            return 100.0
        return round((self.today - self.start).days * 100 / max((self.end - self.start).days, 1), 2)

    @property
    def status(self) -> str:
        if self.progress_bp >= FULL:
            return "completed"
        if self.today < self.start and self.progress_bp == 0:
            return "planned"
        return "active"

    def days_without_report(self) -> int:
        since = self.last_report_on or self.start
        return max((self.today - since).days, 0)


@dataclass(frozen=True)
class Flag:
    code: str
    params: dict[str, Any] = field(default_factory=dict)


def red_flags(figures: Figures, rules: Rules) -> list[Flag]:
    """Each rule, at its boundary: a flag is raised only when the threshold
    is *exceeded* (money ahead by 20.01 points, not 20) or, for silence,
    *reached* (30 days without a report)."""
    flags = []
    gap = round(figures.financial - figures.physical, 2)
    if gap > rules.money_ahead_points:
        flags.append(Flag("money_ahead_of_work", {"financial": figures.financial, "physical": figures.physical,
                                                  "margin": rules.money_ahead_points}))
    if figures.status == "active":
        lag = round(figures.time_elapsed - figures.physical, 2)
        if lag > rules.behind_schedule_points:
            flags.append(Flag("behind_schedule", {"time_elapsed": figures.time_elapsed,
                                                  "physical": figures.physical,
                                                  "margin": rules.behind_schedule_points}))
        if figures.today >= figures.start and figures.days_without_report() >= rules.stale_days:
            flags.append(Flag("no_recent_progress", {"days": figures.days_without_report(),
                                                     "limit": rules.stale_days}))
    if figures.audits_open > 0:
        flags.append(Flag("open_citizen_audits", {"count": figures.audits_open}))
    return flags


FLAG_CODES = ("money_ahead_of_work", "behind_schedule", "no_recent_progress", "open_citizen_audits")


# --- budget totals ----------------------------------------------------------

TOTAL_FIELDS = ("projects", "value", "disbursed", "progress_value", "flagged")


def total_scopes(fiscal_year: int, agency: str, kecamatan_code: str | None) -> list[str]:
    """The pre-computed totals one project counts in: the region, its agency
    and its kecamatan, for its fiscal year and for all years."""
    scopes = []
    for year in (str(fiscal_year), "all"):
        scopes += [f"{year}#region", f"{year}#agency#{agency}"]
        scopes.append(f"{year}#kecamatan#{kecamatan_code or 'none'}")
    return scopes


def totals_delta(before: dict[str, int] | None, after: dict[str, int]) -> dict[str, int]:
    """How one project's change moves every total it counts in.  ``before``
    and ``after`` are ``{value, disbursed, progress_bp, flagged}`` (None
    before registration).  ``progress_value`` sums value × basis points, so
    the value-weighted progress of a scope is ``progress_value / value``."""
    def contribution(state: dict[str, int] | None) -> dict[str, int]:
        if state is None:
            return dict.fromkeys(TOTAL_FIELDS, 0)
        return {"projects": 1, "value": state["value"], "disbursed": state["disbursed"],
                "progress_value": state["value"] * state["progress_bp"], "flagged": 1 if state["flagged"] else 0}

    old, new = contribution(before), contribution(after)
    return {name: new[name] - old[name] for name in TOTAL_FIELDS if new[name] != old[name]}


def total_view(item: dict[str, int]) -> dict[str, Any]:
    value = int(item.get("value", 0))
    disbursed = int(item.get("disbursed", 0))
    progress_value = int(item.get("progress_value", 0))
    return {
        "projects": int(item.get("projects", 0)),
        "contract_value": value,
        "disbursed": disbursed,
        "financial_progress": round(disbursed * 100 / value, 2) if value else 0.0,
        "physical_progress": round(progress_value / value / 100, 2) if value else 0.0,
        "projects_flagged": int(item.get("flagged", 0)),
    }
