"""Regions: onboarding, settings, categories, areas, boundaries (GeoJSON),
the pilot's lifecycle and usage: what clients send and what they get back."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from msgspec import UNSET, Meta, Struct, UnsetType, field

from ..domain import emergencies
from ..domain import questions as question_rules
from .common import DateTime, I18nText, Query, Request
from .reports import UploadForm

TimeZone = Literal["WIB", "WITA", "WIT"]
TeamCode = Literal["pink", "white", "orange", "yellow", "blue"]
RegionStatus = Literal["trial", "active", "expired"]
CODE_PATTERN = "^[a-z0-9][a-z0-9-]{0,40}$"
REGION_ID_PATTERN = "^[a-z0-9][a-z0-9-]{1,62}$"
OCID_PREFIX_PATTERN = "^ocds-[a-z0-9]{6}$"
MONTH_PATTERN = "^20[0-9]{2}-(0[1-9]|1[0-2])$"
MAX_BOUNDARY_FEATURES = 5000

SlaDay = Annotated[int, Meta(ge=1, le=60, description="Working days (1–60).")]
TableCode = Annotated[str, Meta(pattern=CODE_PATTERN, description="Lowercase letters, digits and hyphens.")]
AgencyName = Annotated[str, Meta(min_length=1, max_length=160)]
CategoryName = Annotated[str, Meta(min_length=1, max_length=120)]


# --- requests -------------------------------------------------------------------

class SlaRequest(Request):
    """Working days of each SLA stage, and the hours of an emergency's clocks (around the clock, counted from
    its dispatch); a field left out takes its default."""

    verify: SlaDay = 3
    respond: SlaDay = 5
    resolve: SlaDay = 10
    emergency_respond_hours: Annotated[int, Meta(ge=1, le=24, description=(
        "Hours (1–24) in which the agency takes an emergency."))] = 1
    emergency_resolve_hours: Annotated[int, Meta(ge=1, le=720, description=(
        "Hours (1–720) in which the agency finishes an emergency; not fewer than the respond hours "
        "(`emergency_hours_order`)."))] = 24


class NewRegion(Request):
    kemendagri_code: Annotated[str, Meta(pattern=r"^[0-9]{2}(\.[0-9]{2})?$", examples=["53.71"],
                                         description="The regency's or city's Kemendagri code; or 31, DKI "
                                                     "Jakarta whole, with its kota administrasi as a level.")]
    region_id: Annotated[str, Meta(max_length=63, examples=["kupang"], extra_json_schema={"pattern": REGION_ID_PATTERN},
                                   description="Lowercase letters, digits and hyphens (2–63); `invalid_region_id` "
                                               "otherwise.")]
    time_zone: Annotated[TimeZone, Meta(description="Default: the province's.")] | None = None
    sla: SlaRequest | None = None
    trial_months: Annotated[int, Meta(ge=1, le=24, description="Length of the free pilot.")] = 6


class SmsResponder(Request, tag_field="kind", tag="sms"):
    """Text the agency's duty phone."""

    to: Annotated[str, Meta(max_length=emergencies.SMS_MAX, pattern=emergencies.SMS_PATTERN,
                            examples=["+6281234567890"], description="An Indonesian mobile number in E.164 (+628…).")]


class SnsResponder(Request, tag_field="kind", tag="sns"):
    """Publish to an SNS topic the responders subscribe to (their apps, an SMS list, an e-mail list)."""

    topic_arn: Annotated[str, Meta(max_length=emergencies.TOPIC_ARN_MAX, pattern=emergencies.TOPIC_ARN_PATTERN,
                                   examples=["arn:aws:sns:ap-southeast-3:123456789012:aduan-responder-damkar"],
                                   description="The topic's name starts with `aduan-responder-` (the only "
                                               "topics the deployment may publish to); its policy lets the "
                                               "deployment publish.")]


class WebhookResponder(Request, tag_field="kind", tag="webhook"):
    """Hand the emergency to a partner system of the region (PSC 119, the BPBD hotline) through its webhook."""

    partner_id: Annotated[str, Meta(max_length=emergencies.PARTNER_ID_MAX, pattern=emergencies.PARTNER_ID_PATTERN,
                                    description="The partner's id (`GET /v1/regions/{region_id}/partners`).")]


Responder = Annotated[SmsResponder | SnsResponder | WebhookResponder, Meta(description=(
    "Where the agency's emergencies go at once, by `kind`: `sms` (`to`), `sns` (`topic_arn`) or "
    "`webhook` (`partner_id`)."))]


class AgencyRequest(Request):
    code: Annotated[TableCode, Meta(description="Kept on rename, so reports keep pointing at the agency.")]
    name_id: AgencyName
    name_en: AgencyName
    responder: Annotated[Responder | None, Meta(description=(
        "Its emergency responder contact; null: none; left out: the agency keeps the one it has."))] \
        | UnsetType = UNSET


class ProjectRulesRequest(Request):
    """Red-flag thresholds of public works projects; a threshold left out keeps its value."""

    money_ahead_points: Annotated[int, Meta(ge=1, le=100)] | UnsetType = UNSET
    behind_schedule_points: Annotated[int, Meta(ge=1, le=100)] | UnsetType = UNSET
    stale_days: Annotated[int, Meta(ge=7, le=365)] | UnsetType = UNSET


TILE_URL_PATTERN = r"^https://(?=[^\s\"'<>]*\{x\})(?=[^\s\"'<>]*\{y\})[^\s\"'<>]*\{z\}[^\s\"'<>]*$"


class MapTilesRequest(Request):
    """A raster tile service for the console's maps (Leaflet's URL template).  Its terms must allow the use."""

    url: Annotated[str, Meta(max_length=300, pattern=TILE_URL_PATTERN, description=(
        "An https URL template with {z}, {x} and {y} (and optionally {s}), "
        "e.g. https://tiles.example.go.id/{z}/{x}/{y}.png"))]
    attribution: Annotated[str, Meta(min_length=1, max_length=300)]
    max_zoom: Annotated[int, Meta(ge=1, le=22)] = 19


class MapTiles(Struct, kw_only=True):
    url: str
    attribution: str
    max_zoom: int


class RegionSettings(Request):
    """At least one field.  An agency still named by an active category cannot be removed (409)."""

    sla: Annotated[SlaRequest, Meta(description="Replaces the SLA days; a stage left out takes its default.")] \
        | UnsetType = UNSET
    time_zone: TimeZone | UnsetType = UNSET
    agencies: Annotated[list[AgencyRequest], Meta(min_length=1, max_length=200,
                                                  description="The whole agency table.")] | UnsetType = UNSET
    project_rules: ProjectRulesRequest | UnsetType = UNSET
    ocid_prefix: Annotated[str, Meta(max_length=11, extra_json_schema={"pattern": OCID_PREFIX_PATTERN},
                                     description="The region's OCDS prefix, registered with the Open Contracting "
                                                 "Partnership (`invalid_ocid_prefix` otherwise).")] | UnsetType = UNSET
    map_tiles: Annotated[MapTilesRequest | None, Meta(description=(
        "The console's map tiles; null: none (the kelurahan boundaries are the base layer)."))] | UnsetType = UNSET


class ChoiceRequest(Request):
    key: Annotated[str, Meta(min_length=1, max_length=question_rules.KEY_MAX, pattern=CODE_PATTERN)]
    name_id: Annotated[str, Meta(min_length=1, max_length=question_rules.CHOICE_NAME_MAX)]
    name_en: Annotated[str, Meta(min_length=1, max_length=question_rules.CHOICE_NAME_MAX)]


class QuestionRequest(Request):
    """One question of a category (an Open311 attribute): the list types list their `values`, the others none
    (`invalid_question`)."""

    code: TableCode
    datatype: Literal["string", "number", "text", "singlevaluelist", "multivaluelist"]
    description_id: Annotated[str, Meta(min_length=1, max_length=question_rules.DESCRIPTION_MAX)]
    description_en: Annotated[str, Meta(min_length=1, max_length=question_rules.DESCRIPTION_MAX)]
    required: bool = False
    values: Annotated[list[ChoiceRequest], Meta(max_length=50)] = []


class CategoryRequest(Request):
    code: TableCode
    name_id: CategoryName
    name_en: CategoryName
    agency: Annotated[str, Meta(min_length=1, max_length=64, description="A `code` of the region's agencies.")]
    team: TeamCode
    active: bool = True
    emergency: Annotated[bool, Meta(description=(
        "An emergency (fire, disaster, medical): its reports skip the verification queue, reach the agency's "
        "responder at once and run on clocks in hours."))] = False
    questions: Annotated[list[QuestionRequest], Meta(max_length=question_rules.MAX_PER_CATEGORY, description=(
        "What a report of the category is asked besides its description: the Open311 service's attributes "
        "(`GET /open311/v2/services/{code}.json`), checked on every Open311 POST. At most "
        f"{question_rules.MAX_QUESTIONS} questions and {question_rules.MAX_CHOICES} listed values per region "
        "(`too_many_questions_in_region`). Left out: the category keeps the questions it has."))] \
        | UnsetType = UNSET


class CategoriesRequest(Request):
    """The whole table: a category left out is retired (`active`: false), never deleted."""

    categories: Annotated[list[CategoryRequest], Meta(max_length=300, extra_json_schema={"minItems": 1}, description=(
        "At most 300, retired ones included (`too_many_categories`)."))]


class LifecycleRequest(Request):
    action: Literal["activate", "extend_trial", "expire"]
    months: Annotated[int, Meta(ge=1, le=24, description="extend_trial only (required there): months to add.")] \
        | None = None
    note: Annotated[str, Meta(max_length=500, description="Kept in the audit trail.")] | None = None


class UsageQuery(Query, kw_only=True):
    month: Annotated[str, Meta(pattern=MONTH_PATTERN, examples=["2026-11"],
                               description="Default: the current month in the region's time zone.")] | None = None
    format: Annotated[Literal["json", "csv"], Meta(description=(
        "csv: one header line and one row, for invoicing (also with `Accept: text/csv`)."))] | None = None


# --- GeoJSON ---------------------------------------------------------------------
# Longitude and latitude are checked per feature (a file in another CRS is
# reported in `error.problems`); the bound only keeps numbers finite.
Coordinate = Annotated[float, Meta(ge=-1e8, le=1e8)]
Position = Annotated[list[Coordinate], Meta(min_length=2, max_length=3, description=(
    "[longitude, latitude] in WGS84 degrees, optionally followed by an altitude in metres."))]
Ring = Annotated[list[Position], Meta(description="Closed: at least 4 positions, the last equal to the first.")]


class Polygon(Struct, tag_field="type", tag="Polygon"):
    """GeoJSON Polygon: the outer ring, then holes.  Other members are ignored and not stored."""

    coordinates: list[Ring]


class MultiPolygon(Struct, tag_field="type", tag="MultiPolygon"):
    """GeoJSON MultiPolygon.  Other members are ignored and not stored."""

    coordinates: list[list[Ring]]


Geometry = Polygon | MultiPolygon


class UploadedProperties(Struct, kw_only=True):
    """Other properties are ignored and not stored: the names come from the official area list."""

    kelurahan_code: Annotated[str, Meta(min_length=1, max_length=32, examples=["35.03.01.2001"])]


class UploadedFeature(Struct, kw_only=True):
    """One desa/kelurahan.  Other members (`id`, `bbox`, foreign members) are ignored and not stored."""

    type: Literal["Feature"]
    properties: UploadedProperties
    geometry: Geometry


class BoundaryUpload(Request):
    """A GeoJSON FeatureCollection (WGS84), one (Multi)Polygon per desa/kelurahan.  Besides GeoJSON's own
    members, `region_id`, `version`, `tolerance_m` and `links` (as `GET` returns them) and `name` (as GIS tools
    write it) are accepted and ignored, `crs` is read; any other member is refused."""

    type: Literal["FeatureCollection"]
    features: Annotated[list[UploadedFeature], Meta(min_length=1, max_length=MAX_BOUNDARY_FEATURES)]
    bbox: Annotated[list[Coordinate], Meta(min_length=4, max_length=6)] | None = None
    region_id: Annotated[str, Meta(max_length=64)] | None = None
    version: Annotated[int, Meta(ge=0, le=2**31)] | None = None
    name: Annotated[str, Meta(max_length=1000)] | None = None
    crs: Annotated[dict[str, Any], Meta(description="WGS84 (CRS84 / EPSG:4326) when absent; a UTM zone of "
                                                    "Indonesia (EPSG:32646-32654, 32746-32754) is reprojected; "
                                                    "any other is refused.")] | None = None
    tolerance_m: Annotated[int, Meta(ge=0, le=100_000)] | None = None
    links: Annotated[dict[str, Any], Meta(description="As `GET` returns it: ignored.")] | None = None


# --- replies --------------------------------------------------------------------

class Agency(Struct):
    code: str
    name: I18nText
    responder: Annotated[Responder, Meta(description="Its emergency responder contact, when it has one.")] \
        | UnsetType = UNSET


class SlaDays(Struct):
    verify: int
    respond: int
    resolve: int
    emergency_respond_hours: int
    emergency_resolve_hours: int


class ProjectRules(Struct):
    money_ahead_points: int
    behind_schedule_points: int
    stale_days: int


class AuditEntry(Struct, kw_only=True):
    action: Annotated[str, Meta(examples=["create", "settings", "categories", "activate", "extend_trial", "expire"])]
    actor: Annotated[str, Meta(description="The account's `sub`, `system` or `cli:<user>`.")]
    at: DateTime
    from_: RegionStatus | None = field(name="from")
    to: RegionStatus | None
    note: str | None | UnsetType = UNSET
    trial_ends_at: Annotated[str | None, Meta(description="Lifecycle changes only.")] | UnsetType = UNSET


class Region(Struct, kw_only=True):
    """Name and status for everyone; the commercial fields for the region's staff and platform admins only."""

    region_id: str
    name: str
    status: RegionStatus
    kemendagri_code: str
    time_zone: TimeZone
    map_tiles: Annotated[MapTiles | None, Meta(description=(
        "Tiles for maps of this region; null: draw the kelurahan boundaries (GET …/boundaries) as the base layer."
    ))] = None
    # the region's staff and platform admins only
    trial_started_at: DateTime | None | UnsetType = UNSET
    trial_ends_at: DateTime | None | UnsetType = UNSET
    days_left: Annotated[int | None, Meta(description="Null unless in trial.")] | UnsetType = UNSET
    activated_at: DateTime | None | UnsetType = UNSET
    sla_days: SlaDays | UnsetType = UNSET
    boundaries_version: int | UnsetType = UNSET
    project_rules: ProjectRules | UnsetType = UNSET
    ocid_prefix: str | None | UnsetType = UNSET
    agencies: list[Agency] | UnsetType = UNSET
    # platform admins only
    audit: list[AuditEntry] | UnsetType = UNSET


class Choice(Struct, kw_only=True):
    key: str
    name_id: str
    name_en: str


class Question(Struct, kw_only=True):
    """A category's question, in the shape `PUT …/categories` takes it back."""

    code: str
    datatype: Literal["string", "number", "text", "singlevaluelist", "multivaluelist"]
    description_id: str
    description_en: str
    required: bool
    values: list[Choice]


class Category(Struct, kw_only=True):
    code: str
    name: I18nText
    agency: str
    agency_name: I18nText
    team: TeamCode
    emergency: Annotated[bool, Meta(description=(
        "An emergency category: dispatched at once to the agency's responders, without waiting for "
        "verification."))] = False
    questions: Annotated[list[Question], Meta(description=(
        "What a report of the category is asked besides its description (the Open311 service's attributes); "
        "left out when none."))] | UnsetType = UNSET


class Categories(Struct, kw_only=True):
    """The active categories."""

    region_id: str
    categories: list[Category]


class CategoriesReplaced(Struct, kw_only=True):
    region_id: str
    categories: Annotated[list[Category], Meta(description="The active categories.")]
    retired: Annotated[list[str], Meta(description="Codes of every retired category.")]


class Kelurahan(Struct):
    code: str
    name: str
    type: Literal["desa", "kelurahan"]


class Kecamatan(Struct, kw_only=True):
    code: str
    name: str
    kelurahan: list[Kelurahan]
    # a province region (DKI Jakarta): the kota/kabupaten administrasi it belongs to
    kota_code: str | None = None
    kota: str | None = None


class Areas(Struct, kw_only=True):
    """The official kecamatan and desa/kelurahan, with their Kemendagri codes."""

    region_id: str
    kemendagri_code: str
    source: str | None
    attribution: str
    kecamatan: list[Kecamatan]


class BoundaryProperties(Struct, kw_only=True):
    kelurahan_code: str
    kelurahan: str
    kecamatan_code: str
    kecamatan: str


class BoundaryFeature(Struct, kw_only=True):
    type: Literal["Feature"]
    properties: BoundaryProperties
    geometry: Geometry


class BoundaryFile(Struct, kw_only=True):
    """One file of the active boundary version, served from S3/CloudFront (never through the API)."""

    tolerance_m: Annotated[int | None, Meta(description="Simplification tolerance in metres; null: full precision.")]
    url: Annotated[str, Meta(description="A link to fetch the GeoJSON (gzip-encoded); it may expire within an hour.")]
    bytes: Annotated[int, Meta(description="Size as transferred (gzip).")]
    vertices: int


class BoundaryLinks(Struct, kw_only=True):
    full: Annotated[BoundaryFile, Meta(description="Every vertex as uploaded (to 1e-7 degree).")]
    display: Annotated[list[BoundaryFile], Meta(description="Simplified for maps, most detailed first; neighbouring "
                                                            "desa keep one shared border (no gaps, no slivers).")]


class Boundaries(Struct, kw_only=True):
    """GeoJSON FeatureCollection (WGS84) of the region's desa/kelurahan polygons, simplified for display
    (`tolerance_m`): the most detailed display level under 1.5 MB.  `links` names the full-precision file
    and every display level."""

    type: Literal["FeatureCollection"]
    region_id: str
    version: Annotated[int, Meta(description="Grows with every accepted upload; 0: none yet.")]
    tolerance_m: Annotated[int | None, Meta(description="The simplification tolerance of these features, in "
                                                        "metres: no point of a border moved further.")] = None
    links: BoundaryLinks | None = None
    features: list[BoundaryFeature]


class BoundaryUploadRequest(Request):
    """Ask to upload a region's official boundaries: a GeoJSON file (WGS84, or a UTM zone of Indonesia named by
    its `crs`) or a zip holding one Shapefile (.shp, .shx, .dbf and .prj; WGS84 or WGS84/DGN95 UTM zones 46-54
    north or south).  Any other projection: reproject with the onboarding command."""

    content_type: Literal["application/geo+json", "application/zip"]
    code_field: Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_ .-]*$",
                                    description="The attribute holding the Kemendagri desa code (`35.03.01.2001` "
                                                "or `3503012001`); by default the first of kelurahan_code, "
                                                "KDEPUM, KODE_DESA, KD_DESA, KDDESA, KODE_KEL, kode.")] | None = None
    note: Annotated[str, Meta(min_length=1, max_length=500, description="Where the file comes from.")] | None = None
    overlap_tolerance_m: Annotated[float, Meta(ge=0, le=100, description="Overlaps between desa up to this "
                                                                         "depth are tolerated (default 5 m).")] | None = None


class BoundaryUploadGranted(Struct, kw_only=True):
    upload_id: str
    status: Literal["waiting_for_file"]
    form: UploadForm
    max_bytes: int
    expires_in: Annotated[int, Meta(description="Seconds the form stays valid.")]
    status_url: str


class BoundaryProblem(Struct, kw_only=True):
    code: Annotated[str, Meta(description="file, projection, geometry, unknown_code, duplicate_code, missing, "
                                          "overlap, outside or far.")]
    message: Annotated[str, Meta(description="In English, for the GIS officer.")]
    feature: Annotated[int | None, Meta(description="The feature's (record's) position in the file, from 0.")]
    kelurahan_code: str | None


class BoundaryProgress(Struct, kw_only=True):
    step: Annotated[str, Meta(description="reading, checking, overlaps, simplifying, writing.")]
    done: int
    total: int


class BoundarySummary(Struct, kw_only=True, omit_defaults=True):
    bytes: int | None = None
    projection: str | None = None
    code_field: str | None = None
    features: int | None = None
    vertices: int | None = None
    overlap_tolerance_m: float | None = None
    seconds: dict[str, float] | None = None
    files: Annotated[dict[str, int] | None, Meta(description="Bytes of each file written.")] = None
    display_vertices: dict[str, int] | None = None
    served_tolerance_m: int | None = None


class BoundaryUploadStatus(Struct, kw_only=True):
    upload_id: str
    region_id: str
    status: Literal["waiting_for_file", "processing", "accepted", "rejected"]
    file_format: Literal["geojson", "shapefile"]
    code_field: str | None
    note: str | None
    progress: BoundaryProgress | None
    problems: Annotated[list[BoundaryProblem], Meta(description="The first 100 problems.")]
    problems_total: int
    problems_url: Annotated[str | None, Meta(description="Every problem (JSON), when there are more than 100.")]
    version: Annotated[int | None, Meta(description="The boundary version it became, once accepted.")]
    summary: BoundarySummary | None
    created_at: DateTime
    updated_at: DateTime
    finished_at: DateTime | None


class BoundariesReplaced(Struct, kw_only=True):
    region_id: str
    version: int
    accepted: Annotated[int, Meta(description="Polygons stored.")]
    missing_kelurahan_codes: Annotated[list[str], Meta(description="Desa/kelurahan without a polygon.")]


class Usage(Struct, kw_only=True):
    """Usage counters of one calendar month."""

    region_id: str
    month: Annotated[str, Meta(examples=["2026-11"])]
    status: RegionStatus
    reports_received: int
    photos_stored: int
    photo_bytes: int
    active_citizens: int
    active_staff: int
    notifications_sent: int
    sms_sent: int
    reports_by_agency: Annotated[dict[str, int], Meta(description="Reports received, by agency code.")]
