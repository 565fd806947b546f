"""Performance: rankings of officers, kelurahan/desa, kecamatan and agencies,
and the region's figures over a range of days."""
from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta, Struct, field

from ..domain.performance import Components
from .common import Cursor, I18nText, Query

MONTH_PATTERN = "^20[0-9]{2}-(0[1-9]|1[0-2])$"
DATE_PATTERN = "^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
RankedLevel = Literal["officer", "kelurahan", "kecamatan", "kota", "agency"]
GroupBy = Literal["status", "category", "agency", "kota", "kecamatan", "kelurahan", "channel", "month"]

SCORE_DOCUMENTATION = (
    "score = 100 × (0.4 × within_sla + 0.4 × timeliness + 0.2 × rating), each component a Bayesian average "
    "shrunk toward the region's mean with the weight of 5 stages (or ratings). within_sla: the share of the "
    "stages charged to the unit (verify, take, finish) that ended within their SLA in working days; "
    "timeliness: per stage 1 − elapsed/SLA days (0 at or past the deadline), averaged; rating: (average stars "
    "− 1) / 4. A stage is charged to the unit holding the report during it: verification to the region, "
    "taking and finishing to the agency and area it was routed to and the officer who took it. Rejected, "
    "duplicate and emergency reports charge no one. Units with fewer than 5 charged stages are listed, not "
    "ranked. Ties: more stages first, then the unit's code.")


class RankingQuery(Query, kw_only=True):
    level: Annotated[RankedLevel, Meta(description=(
        "officer: the agency head (their agency's officers) and region admins only; the other levels are "
        "public. kota: a province region's kota administrasi (DKI Jakarta)."))]
    month: Annotated[str, Meta(pattern=MONTH_PATTERN, examples=["2026-11"], description=(
        "Default: the current month in the region's time zone. A report counts in the month its stage ended, "
        "in the region's time zone."))] | None = None


class PlatformRankingQuery(Query, kw_only=True):
    month: Annotated[str, Meta(pattern=MONTH_PATTERN, examples=["2026-11"], description=(
        "Default: the current month (WIB)."))] | None = None


class RankingRow(Struct, kw_only=True):
    rank: int | None
    unit: str
    name: str | None
    score: float | None
    components: Components
    volume: dict[str, int]
    median_days: dict[str, float | None]
    not_ranked_reason: str | None = None


class Rankings(Struct, kw_only=True):
    region_id: str
    level: str
    month: str
    score: str
    min_volume: int
    prior_weight: int
    rows: list[RankingRow]


class StatsQuery(Query, kw_only=True):
    from_: Annotated[str, Meta(pattern=DATE_PATTERN, examples=["2026-11-01"], description=(
        "First day of creation (the region's time zone). Default: the first day of the current month."))] | None = \
        field(default=None, name="from")
    to: Annotated[str, Meta(pattern=DATE_PATTERN, examples=["2026-11-30"], description=(
        "Last day of creation, at most 366 days after `from`. Default: today. A range inside one calendar month "
        "is read in one Query, across two months in two: one per month."))] | None = None
    group_by: GroupBy = "status"


class StatsGroup(Struct, kw_only=True):
    """One group of the range's reports.  ``count``: with ``group_by=status``
    the reports of the range now in that status, otherwise those received.
    The other counters are events of the group's reports (0 in status rows)."""
    key: str
    name: str | None
    count: int
    received: int = 0
    verified: int = 0
    rejected: int = 0
    duplicates: int = 0
    taken: int = 0
    done: int = 0
    reopened: int = 0
    open: int = 0
    sla: dict[str, float | None] | None = None  # staff: share within SLA per stage
    median_days: dict[str, float | None] | None = None  # staff
    p90_days: dict[str, float | None] | None = None  # staff
    response_rate: float | None = None  # staff
    rating: float | None = None
    ratings: int = 0
    low_rating_share: float | None = None  # ratings of 1–2 stars, of all ratings


class Now(Struct, kw_only=True):
    """The regent's three numbers, as of now, and how many of the open ones
    are past their stage's due time."""
    waiting: int
    in_process: int
    done: int
    overdue: Annotated[int, Meta(description="Open reports (waiting, in process) past their SLA due time now.")]


class Stats(Struct, kw_only=True):
    region_id: str
    from_: str = field(name="from")
    to: str
    group_by: str
    now: Now
    total: StatsGroup
    groups: list[StatsGroup]
    queries: int


# --- the public map ------------------------------------------------------------------

BBOX_PATTERN = r"^-?[0-9]{1,3}(\.[0-9]{1,8})?(,-?[0-9]{1,3}(\.[0-9]{1,8})?){3}$"


MapLimit = Annotated[int, Meta(ge=1, le=500, description=(
    "Reports per page (1–500): a map loads a region's reports in a few pages, not dozens."))]


class MapQuery(Query, kw_only=True):
    bbox: Annotated[str, Meta(pattern=BBOX_PATTERN, examples=["111.6,-8.2,111.8,-8.0"], description=(
        "west,south,east,north in WGS84 degrees: only reports inside."))] | None = None
    status: Literal["verified", "in_process", "done"] | None = None
    category: Annotated[str, Meta(max_length=64)] | None = None
    from_: Annotated[str, Meta(pattern=DATE_PATTERN, description=(
        "First day of creation (the region's time zone). Default: 90 days ago."))] | None = field(default=None,
                                                                                                   name="from")
    to: Annotated[str, Meta(pattern=DATE_PATTERN, description="Last day of creation. Default: today.")] | None = None
    limit: MapLimit = 100
    cursor: Cursor | None = None


class MapProperties(Struct, kw_only=True):
    id: str
    status: str
    status_label: I18nText
    category: str
    category_name: str | None
    created_at: str
    kelurahan_code: str | None
    kelurahan: str | None
    kecamatan: str | None
    address: str | None  # only when the reporter did not ask for anonymity


class Point(Struct, kw_only=True):
    type: Literal["Point"]
    coordinates: list[float]


class MapFeature(Struct, kw_only=True):
    type: Literal["Feature"]
    geometry: Point
    properties: MapProperties


class ReportsMap(Struct, kw_only=True):
    """One page of the region's verified reports as GeoJSON.  Each page is
    one Query of up to ``limit`` reports (more than one only when they pass
    DynamoDB's 1 MB a Query); the filters (bbox, status,
    category) apply to that page, so a page may hold fewer than ``limit``
    features and still have a ``next_cursor``."""
    type: Literal["FeatureCollection"]
    features: list[MapFeature]
    next_cursor: str | None
    choropleth_url: str  # counts per kelurahan/desa over the same days: the stats reply


# --- the staff's CSV export ----------------------------------------------------------

# The CSV's columns, and how many reports are answered at once (a larger range is a background job).
EXPORT_COLUMNS = ("id", "created_at", "channel", "category", "status", "agency", "kecamatan_code", "kelurahan_code",
                  "rejection_reason", "verified_at", "taken_at", "done_at", "verify_days", "take_days", "finish_days",
                  "overdue_count", "reopen_count", "rating")
EXPORT_SYNC_ROWS = 2000


class ExportQuery(Query, kw_only=True):
    from_: Annotated[str, Meta(pattern=DATE_PATTERN, description=(
        "First day of creation (the region's time zone). Default: the first of this month."))] | None = field(
        default=None, name="from")
    to: Annotated[str, Meta(pattern=DATE_PATTERN, description="Last day of creation (at most 366 days). "
                                                              "Default: today.")] | None = None


class ExportJob(Struct, kw_only=True):
    """A range too large to answer at once: written in the background;
    follow ``status_url`` until ``url`` is set."""
    job_id: str
    status: Literal["processing", "ready"]
    status_url: str | None = None
    url: str | None = None
