"""Public works projects (QlueWork): the rules, without AWS.

Money is whole rupiah in ``int`` from the request to the table; physical
progress is kept in basis points (``int``, 0..10000 = 0..100 %), so no float
ever enters a sum.  Dates are the region's calendar dates (``YYYY-MM-DD``).

Red flags are computed here from a project's figures and today's date, each
with the rule a reader can check; budget totals are maintained by adding the
deltas ``totals_delta`` computes to pre-computed items, never by summing
projects on a read.

Every change of a project is decided here (``plan_registration``,
``plan_progress``, ``plan_disbursement``, ``plan_audit``, ``plan_flags``)
from the project as read, the request, the actor, the region's rules and
today, and returned as data (``Registration``, ``Change``); the store
applies it as one transaction (``chalicelib.store.projects``).
"""
from __future__ import annotations

import math
import re
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

import msgspec

from . import idempotency
from .errors import Conflict, Forbidden, InvalidInput

if TYPE_CHECKING:
    from ..contract import projects as contract
    from .regions import RegionConfig

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

class NewProject(msgspec.Struct, frozen=True):
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
    return idempotency.fingerprint(body)


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

class Progress(msgspec.Struct, frozen=True):
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


class Disbursement(msgspec.Struct, frozen=True):
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

class Rules(msgspec.Struct, frozen=True):
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


class Figures(msgspec.Struct, frozen=True):
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


class Flag(msgspec.Struct, frozen=True):
    code: str
    params: dict[str, Any] = msgspec.field(default_factory=dict)


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


# --- who acts, on what ----------------------------------------------------------

ADMIN_ROLES = ("region_admin", "platform_admin")
MANAGER_ROLES = (*ADMIN_ROLES, "officer", "agency_head")
AUDIT_OPEN = ("verified", "in_process")
INSPECTORATE = "inspektorat"


class Actor(Protocol):
    """The signed-in account, as these rules need it (``auth.Identity``)."""

    @property
    def sub(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def agency(self) -> str | None: ...
    @property
    def contractor(self) -> str | None: ...
    def in_region(self, region_id: str) -> bool: ...


class Record(Protocol):
    """A project as read (``store.models.ProjectModel``): what the decisions
    and the figures look at."""

    @property
    def id(self) -> str: ...
    @property
    def region_id(self) -> str: ...
    @property
    def agency(self) -> str: ...
    @property
    def fiscal_year(self) -> float: ...
    @property
    def kecamatan_code(self) -> str | None: ...
    @property
    def contractor_npwp(self) -> str: ...
    @property
    def value(self) -> float: ...
    @property
    def disbursed(self) -> float: ...
    @property
    def progress_bp(self) -> float: ...
    @property
    def start_date(self) -> str: ...
    @property
    def end_date(self) -> str: ...
    @property
    def last_report_on(self) -> str | None: ...
    @property
    def audits_open(self) -> float: ...
    @property
    def flags(self) -> list[Any]: ...
    @property
    def progress(self) -> list[Any]: ...
    @property
    def disbursements(self) -> list[Any]: ...
    @property
    def photos(self) -> list[Any]: ...
    @property
    def used_photos(self) -> list[Any]: ...
    @property
    def version(self) -> float: ...


def may_manage(actor: Actor, region_id: str, agency: str) -> bool:
    """A region admin, or the staff of the project's own agency."""
    if not actor.in_region(region_id):
        return False
    if actor.role in ADMIN_ROLES:
        return True
    return actor.role in ("officer", "agency_head") and actor.agency == agency


def is_contractor(actor: Actor, project: Record) -> bool:
    """The account of the contractor that won the project."""
    return (actor.role == "contractor" and actor.in_region(project.region_id)
            and actor.contractor == project.contractor_npwp)


def derived_id(scope: str, idempotency_key: str | None) -> str:
    """A new id, derived from the request's ``Idempotency-Key`` within
    ``scope`` (which names the account): ``domain.idempotency``."""
    return idempotency.derived_id(scope, idempotency_key)


def project_id_for(region_id: str, actor: Actor, idempotency_key: str | None) -> str:
    return derived_id(f"project:{region_id}:{actor.sub}", idempotency_key)


def entry_id_for(project_id: str, actor: Actor, idempotency_key: str | None) -> str:
    """A progress report's or a disbursement's id."""
    return derived_id(f"project-entry:{project_id}:{actor.sub}", idempotency_key)


# --- a project's figures, as of a day ---------------------------------------------

def figures_of(project: Record, today: date) -> Figures:
    return Figures(
        value=int(project.value), disbursed=int(project.disbursed or 0), progress_bp=int(project.progress_bp or 0),
        start=date.fromisoformat(project.start_date), end=date.fromisoformat(project.end_date),
        last_report_on=date.fromisoformat(project.last_report_on) if project.last_report_on else None,
        audits_open=int(project.audits_open or 0), today=today)


def listed(figures: Figures, rules: Rules, status: str | None, red_flag: str | None) -> bool:
    """Whether a project passes the list's ``status`` and ``red_flag``
    filters (``any``, ``none`` or a flag code), as of ``figures.today``."""
    if status and figures.status != status:
        return False
    if not red_flag:
        return True
    codes = {f.code for f in red_flags(figures, rules)}
    if red_flag == "any":
        return bool(codes)
    if red_flag == "none":
        return not codes
    return red_flag not in FLAG_CODES or red_flag in codes


def _state(figures: Figures, flagged: bool) -> dict[str, int]:
    """What a project contributes to its budget totals."""
    return {"value": figures.value, "disbursed": figures.disbursed, "progress_bp": figures.progress_bp,
            "flagged": int(flagged)}


def history(action: str, actor: Actor | None, at: str, **detail: Any) -> dict[str, Any]:
    """An entry of a project's public history."""
    return {"action": action, "actor": actor.sub if actor else "system",
            "actor_role": actor.role if actor else "system", "at": at, "detail": detail}


# --- a change, as data ---------------------------------------------------------------

class Registration(msgspec.Struct, frozen=True):
    """A new project: its fields as stored (the store adds its index keys),
    the totals it counts in and what it adds to each."""

    project_id: str
    fields: dict[str, Any]
    scopes: tuple[str, ...]
    totals: dict[str, int]


class AuditMark(msgspec.Struct, frozen=True):
    """The citizen report whose audit state a change counts: its marker goes
    from ``counted`` to ``to`` (None: absent) in the same transaction, on
    the condition that it is still ``counted``."""

    report_id: str
    counted: str | None
    to: str | None


# The lists of a project that grow with use keep their RECENT_ENTRIES most
# recent entries on the item; every entry is also its own item (the store's
# entries table), read whole with one Query.  Disbursements (a handful of
# termin payments per contract) stay on the item, at most MAX_DISBURSEMENTS.
GROWING_LISTS = ("progress", "history")
RECENT_ENTRIES = 20
MAX_DISBURSEMENTS = 100


class EntryMark(msgspec.Struct, frozen=True):
    entry_id: str
    kind: str
    fingerprint: str


class Change(msgspec.Struct, frozen=True):
    """One change of a project as read at ``version``: the attributes it
    sets, the numbers it adds to, the entries it appends to its lists; the
    write's condition (still at ``version``; for a disbursement, ``disbursed``
    still at most ``disbursed_at_most``, so the sum never overshoots the
    contract); the deltas added to each of the budget totals in ``scopes``;
    and the audit marker of a citizen report moved with it."""

    version: int
    fields: dict[str, Any]
    add: dict[str, int] = msgspec.field(default_factory=dict)
    append: dict[str, list[Any]] = msgspec.field(default_factory=dict)
    disbursed_at_most: int | None = None
    scopes: tuple[str, ...] = ()
    totals: dict[str, int] = msgspec.field(default_factory=dict)
    audit: AuditMark | None = None
    # a progress report's or a disbursement's id and request fingerprint,
    # written once (``EntryRecorded`` when that id exists: a retry)
    entry: EntryMark | None = None


def _change(project: Record, rules: Rules, today: date, at: str, moved: dict[str, Any], *,
            fields: dict[str, Any] | None = None, add: dict[str, int] | None = None,
            append: dict[str, list[Any]] | None = None, disbursed_at_most: int | None = None,
            audit: AuditMark | None = None, entry: EntryMark | None = None) -> Change:
    """The change, completed with what follows from the figures it moves
    (``moved``: fields of ``Figures``): the red flags re-evaluated, the
    timestamp, and the totals' deltas."""
    before = figures_of(project, today)
    after = msgspec.structs.replace(before, **moved)
    flags = [f.code for f in red_flags(after, rules)]
    return Change(
        version=int(project.version),
        fields={**(fields or {}), "flags": flags, "updated_at": at},
        add=dict(add or {}), append=dict(append or {}), disbursed_at_most=disbursed_at_most,
        scopes=tuple(total_scopes(int(project.fiscal_year), project.agency, project.kecamatan_code)),
        totals=totals_delta(_state(before, bool(project.flags)), _state(after, bool(flags))),
        audit=audit, entry=entry,
    )


# --- the decisions ---------------------------------------------------------------------

def admit_registration(request: contract.NewProject, actor: Actor, region: RegionConfig) -> NewProject:
    """Who may register a project, and whether the request meets the rules
    (``check_new_project``); the checked project."""
    if actor.role not in MANAGER_ROLES:
        raise Forbidden("not_project_agency")
    if region.status == "expired":
        raise Forbidden("pilot_ended")
    draft = check_new_project(request, set(region.agencies), set(region.kelurahan))
    if not may_manage(actor, region.region_id, draft.agency):
        raise Forbidden("not_project_agency")
    return draft


def plan_registration(project_id: str, draft: NewProject, located: str | None, actor: Actor,
                      region: RegionConfig, today: date, at: str, request_fingerprint: str) -> Registration:
    """A new project's fields.  ``located`` is the kelurahan its
    representative point falls in (None: outside every polygon, so it is
    ``out_of_area`` and placed by the kelurahan the request names, if any)."""
    lon, lat = representative_point(draft.location)
    place = region.kelurahan.get(located or draft.kelurahan_code or "")
    kecamatan_code = place[1] if place else None
    fields: dict[str, Any] = {
        "region_id": region.region_id, "title": draft.title, "description": draft.description,
        "agency": draft.agency, "fiscal_year": draft.fiscal_year, "funding_source": draft.funding_source,
        "location": draft.location, "lon": round(lon, COORDINATE_DECIMALS), "lat": round(lat, COORDINATE_DECIMALS),
        "kelurahan_code": (located or draft.kelurahan_code) if place else None,
        "kelurahan": place[0] if place else None, "kecamatan_code": kecamatan_code,
        "kecamatan": place[2] if place else None, "out_of_area": located is None,
        "value": draft.value, "disbursed": 0, "progress_bp": 0, "contractor_name": draft.contractor_name,
        "contractor_npwp": draft.contractor_npwp, "contract_number": draft.contract_number,
        "start_date": draft.start_date.isoformat(), "end_date": draft.end_date.isoformat(),
        "created_by": actor.sub, "created_at": at, "updated_at": at, "version": 1,
        "history": [history("registered", actor, at, value=draft.value)], "fingerprint": request_fingerprint,
    }
    figures = Figures(value=draft.value, disbursed=0, progress_bp=0, start=draft.start_date, end=draft.end_date,
                      last_report_on=None, audits_open=0, today=today)
    flags = [f.code for f in red_flags(figures, region.project_rules)]
    fields["flags"] = flags
    return Registration(project_id=project_id, fields=fields,
                        scopes=tuple(total_scopes(draft.fiscal_year, draft.agency, kecamatan_code)),
                        totals=totals_delta(None, _state(figures, bool(flags))))


def _recorded(entries: Any, entry_id: str, request_fingerprint: str) -> bool:
    """Whether this entry is among ``entries`` (a retry: same content, or
    ``422 idempotency_key_reused``)."""
    found = next((e for e in entries or [] if e["id"] == entry_id), None)
    return found is not None and idempotency.replayed(found.get("fingerprint"), request_fingerprint)


def plan_progress(project: Record, request: contract.ProgressRequest, actor: Actor, region: RegionConfig,
                  today: date, at: str, entry_id: str, request_fingerprint: str) -> Change | None:
    """The project's contractor reports physical progress with photos not
    used before; a region admin may correct it (down too) with a reason.
    None: this entry is already recorded (a retry)."""
    admin = actor.role in ADMIN_ROLES and actor.in_region(project.region_id)
    if not admin and not is_contractor(actor, project):
        raise Forbidden("not_project_contractor")
    if _recorded(project.progress, entry_id, request_fingerprint):
        return None
    last_on = date.fromisoformat(project.last_report_on) if project.last_report_on else None
    current = int(project.progress_bp or 0)
    progress = check_progress(request, today, date.fromisoformat(project.start_date), last_on, current,
                              may_correct=admin)
    accepted = {p["id"] for p in project.photos}
    used = set(project.used_photos or []) | {pid for entry in project.progress for pid in entry.get("photo_ids") or []}
    for photo_id in progress.photo_ids:
        if photo_id not in accepted or photo_id in used:
            raise Conflict("photo_not_ready", photo_id=photo_id)
    entry = {"id": entry_id, "percent_bp": progress.percent_bp, "date": progress.on.isoformat(),
             "note": progress.note, "photo_ids": list(progress.photo_ids),
             "correction_reason": progress.correction_reason, "actor": actor.sub, "actor_role": actor.role, "at": at,
             "fingerprint": request_fingerprint}
    event = history("correction" if progress.correction_reason else "progress", actor, at,
                    percent=percent(progress.percent_bp), previous=percent(current), date=progress.on.isoformat(),
                    reason=progress.correction_reason)
    last_report_on = max(progress.on, last_on) if last_on else progress.on
    return _change(project, region.project_rules, today, at,
                   {"progress_bp": progress.percent_bp, "last_report_on": last_report_on},
                   fields={"progress_bp": progress.percent_bp, "last_report_on": last_report_on.isoformat()},
                   append={"progress": [entry], "history": [event], "used_photos": list(progress.photo_ids)},
                   entry=EntryMark(entry_id, "progress", request_fingerprint))


def plan_disbursement(project: Record, request: contract.DisbursementRequest, actor: Actor,
                      region: RegionConfig, today: date, at: str, entry_id: str,
                      request_fingerprint: str) -> Change | None:
    """The finance officer records a payment (termin).  The sum never
    exceeds the contract value: refused here on the figures read, and the
    write is conditional on the disbursed total still leaving room.  None:
    this entry is already recorded (a retry)."""
    if actor.role != "finance" or not actor.in_region(project.region_id):
        raise Forbidden("forbidden")
    if _recorded(project.disbursements, entry_id, request_fingerprint):
        return None
    if len(project.disbursements or []) >= MAX_DISBURSEMENTS:
        raise Conflict("too_many_disbursements", max=MAX_DISBURSEMENTS)
    value, disbursed = int(project.value), int(project.disbursed or 0)
    payment = check_disbursement(request, today, value, disbursed)
    if any(d["reference"].casefold() == payment.reference.casefold() for d in project.disbursements):
        raise Conflict("duplicate_reference", reference=payment.reference)
    entry = {"id": entry_id, "amount": payment.amount, "date": payment.on.isoformat(),
             "reference": payment.reference, "actor": actor.sub, "at": at, "fingerprint": request_fingerprint}
    event = history("disbursement", actor, at, amount=payment.amount, reference=payment.reference,
                    date=payment.on.isoformat())
    return _change(project, region.project_rules, today, at, {"disbursed": disbursed + payment.amount},
                   add={"disbursed": payment.amount}, append={"disbursements": [entry], "history": [event]},
                   disbursed_at_most=value - payment.amount,
                   entry=EntryMark(entry_id, "disbursement", request_fingerprint))


def audit_state(report_status: str) -> str | None:
    """How a citizen audit report counts on its project: ``open`` once
    verified and while in process, ``done`` once done, else not at all."""
    if report_status in AUDIT_OPEN:
        return "open"
    if report_status == "done":
        return "done"
    return None


def plan_audit(project: Record, report_id: str, counted: str | None, wanted: str | None, region: RegionConfig,
               today: date, at: str) -> Change | None:
    """Move an audit report's count on its project from ``counted`` to
    ``wanted`` (each ``open``, ``done`` or None), with the report's marker.
    None: nothing to move."""
    if counted == wanted:
        return None
    opened = (wanted == "open") - (counted == "open")
    done = (wanted == "done") - (counted == "done")
    add = {name: amount for name, amount in (("audits_open", opened), ("audits_done", done)) if amount}
    return _change(project, region.project_rules, today, at, {"audits_open": int(project.audits_open or 0) + opened},
                   add=add, audit=AuditMark(report_id, counted, wanted))


def plan_flags(project: Record, region: RegionConfig, today: date, at: str) -> Change | None:
    """Re-evaluate the flags that move with the calendar (behind schedule,
    no recent progress).  None: they are as stored."""
    if [f.code for f in red_flags(figures_of(project, today), region.project_rules)] == list(project.flags):
        return None
    return _change(project, region.project_rules, today, at, {})


def watchers(agencies: Any) -> list[str]:
    """Who follows every audit report besides the project's agency: the
    inspectorate, when the region has one."""
    return [INSPECTORATE] if INSPECTORATE in agencies else []
