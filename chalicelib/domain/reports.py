"""Reports: what a new report must contain, its statuses, its history, and
how it is routed to an agency and a kelurahan/desa."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

import msgspec

from . import i18n, idempotency
from .errors import InvalidInput, NotFound
from .geo.index import AreaIndex
from .lifecycle import STATUS_LABELS  # noqa: F401 - re-exported: a report's status labels
from .regions import TEAMS, RegionConfig

INITIAL_STATUS = "waiting"

_IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,128}$")
_REPORT_ID = re.compile(r"^[0-9a-f]{32}$")


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def iso_utc(moment: datetime) -> str:
    """Stored form: UTC, microseconds, fixed width, so strings sort in time order."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def local_iso(value: str, region: RegionConfig) -> str:
    """ISO-8601 with the region's offset, e.g. ``2026-11-22T08:15:00+07:00``."""
    return parse_iso(value).astimezone(region.tz).isoformat(timespec="seconds")


class NewReport(msgspec.Struct, frozen=True):
    category: str
    description: str
    lat: float
    lon: float
    address: str | None
    kelurahan_code: str | None
    anonymous: bool
    # a citizen audit names the public works project it is about
    project_id: str | None = None

    def fingerprint(self) -> str:
        """Identifies the request's content, to tell a genuine retry from a
        different report sent under the same idempotency key."""
        return idempotency.fingerprint(msgspec.structs.asdict(self))


COORDINATE_DECIMALS = 7  # about 1 cm; also keeps DynamoDB's number range (1e-200 would underflow)


def coordinate(value: float) -> float:
    """A latitude or longitude as stored: 7 decimals, no negative zero."""
    return round(float(value), COORDINATE_DECIMALS) + 0.0


def check_new_report(draft: Any, region: RegionConfig) -> NewReport:
    """The rules a well-formed report (shape checked at the edge: types,
    lengths, ranges) must still meet against the region's own tables;
    raises ``InvalidInput`` naming the first problem found."""
    known = region.categories.get(draft.category)
    if known is None:
        raise InvalidInput("unknown_category", category=draft.category)
    if not known.active:
        raise InvalidInput("category_retired", category=draft.category)
    if draft.kelurahan_code is not None and draft.kelurahan_code not in region.kelurahan:
        raise InvalidInput("unknown_kelurahan", kelurahan_code=draft.kelurahan_code)
    return NewReport(draft.category, draft.description, coordinate(draft.lat), coordinate(draft.lon), draft.address,
                     draft.kelurahan_code, draft.anonymous, draft.project_id)


def is_photo_id(value: str) -> bool:
    """Photo (upload) ids have the form of report ids: 32 hex digits."""
    return bool(_REPORT_ID.match(value))


def check_idempotency_key(key: str | None) -> str | None:
    return idempotency.check_key(key)


def new_report_id(region_id: str, idempotency_key: str | None) -> str:
    """Random, or derived from the idempotency key (``domain.idempotency``)."""
    return idempotency.derived_id(f"report:{region_id}", idempotency_key)


def check_report_id(report_id: str) -> str:
    if not _REPORT_ID.match(report_id or ""):
        raise NotFound("report_not_found", report_id=(report_id or "")[:64])
    return report_id


def history_entry(status: str, at: str, note_code: str, actor: str = "system", **params: object) -> dict[str, Any]:
    return {"status": status, "at": at, "actor": actor, "note_code": note_code, "note": i18n.both(note_code, **params)}


class Routing(msgspec.Struct, frozen=True):
    agency: str
    team: str
    kelurahan_code: str | None
    kelurahan: str | None
    kecamatan_code: str | None
    kecamatan: str | None
    out_of_area: bool
    hint_mismatch: bool

    def history(self, status: str, at: str, region: RegionConfig) -> dict[str, Any]:
        agency_id, agency_en = region.agency_names(self.agency)
        if self.out_of_area:
            return history_entry(status, at, "history_out_of_area", agency=agency_id, agency_en=agency_en)
        return history_entry(status, at, "history_routed", agency=agency_id, agency_en=agency_en,
                             kelurahan=self.kelurahan, kecamatan=self.kecamatan)


def route(region: RegionConfig, areas: AreaIndex, category: str, lat: float, lon: float,
          kelurahan_hint: str | None) -> Routing:
    """Agency and team from the region's category table; kelurahan/desa and
    kecamatan from the polygon that contains the point.  A point outside
    every polygon is flagged ``out_of_area`` instead of guessed, even when the
    reporter named a kelurahan: the verifier decides."""
    cat = region.categories.get(category)
    if cat is None:
        # The category was removed from the table after the report was made;
        # the report is still kept and routed by place, for the verifier.
        agency, team = "", ""
    else:
        agency, team = cat.agency, cat.team
    area = areas.locate(lon, lat)
    if area is None:
        return Routing(agency, team, None, None, None, None, out_of_area=True,
                       hint_mismatch=kelurahan_hint is not None)
    return Routing(agency, team, area.kelurahan_code, area.kelurahan, area.kecamatan_code, area.kecamatan,
                   out_of_area=False, hint_mismatch=kelurahan_hint is not None and kelurahan_hint != area.kelurahan_code)


def route_by_kelurahan(region: RegionConfig, category: str, kelurahan_code: str | None) -> Routing:
    """A report with no point (a partner's, placed by its desa/kelurahan
    code): agency and team as ``route``, the place from the code given;
    without a usable code it is ``out_of_area`` for the verifier to place."""
    cat = region.categories.get(category)
    agency, team = (cat.agency, cat.team) if cat is not None else ("", "")
    place = region.kelurahan.get(kelurahan_code or "")
    if place is None:
        return Routing(agency, team, None, None, None, None, out_of_area=True, hint_mismatch=False)
    return Routing(agency, team, kelurahan_code, place[0], place[1], place[2], out_of_area=False,
                   hint_mismatch=False)


def category_view(region: RegionConfig, code: str) -> dict[str, Any]:
    cat = region.categories.get(code)
    if cat is None:
        return {"code": code, "name": {"id": code, "en": code}}
    return {"code": cat.code, "name": {"id": cat.name_id, "en": cat.name_en}}


def team_view(team: str | None) -> dict[str, Any] | None:
    if not team:
        return None
    return {"code": team, "name": dict(TEAMS.get(team, {"id": team, "en": team}))}
