"""Public works projects (QlueWork): what clients send and what they get back.

Money is whole rupiah (JSON integers: ``1.5``, ``1000.0`` and ``"1000"`` are
refused); physical progress a percentage with at most two decimals; dates
the region's calendar dates (``YYYY-MM-DD``).  Rules that need more than the
shape (a known agency, a date not in the future, progress never going down,
the sum of disbursements within the contract value...) are the domain's
(``chalicelib.domain.projects``)."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from msgspec import Meta, Struct, field

from .common import Cursor, DateTime, I18nText, Query, Request, StoredPhoto, Url
from .reports import UploadForm

MAX_RUPIAH = 10**15  # a thousand trillion rupiah: above any single contract
TITLE_MAX = 200
NOTE_MAX = 2000
REFERENCE_MAX = 120
CONTRACT_NUMBER_MAX = 100
MAX_POSITIONS = 5000
PAGE_DEFAULT, PAGE_MAX = 50, 200
PHOTOS_PER_PROGRESS = 10

FundingSource = Literal["apbd", "apbn", "dana_desa", "other"]
ProjectStatus = Literal["planned", "active", "completed"]
FlagCode = Literal["money_ahead_of_work", "behind_schedule", "no_recent_progress", "open_citizen_audits"]
RedFlagFilter = Literal["money_ahead_of_work", "behind_schedule", "no_recent_progress", "open_citizen_audits",
                        "any", "none"]
# Contract documents, named as the OCDS documentType codelist names them.
DocumentType = Literal["contractSigned", "contractAnnexe", "billOfQuantity", "technicalSpecifications",
                       "completionCertificate", "contractNotice", "physicalProgressReport", "finalAudit"]
HistoryAction = Literal["registered", "progress", "correction", "disbursement", "photo_added", "document_added",
                        "upload_refused"]

Rupiah = Annotated[int, Meta(ge=1, le=MAX_RUPIAH, examples=[1_250_000_000], description=(
    "Whole rupiah: a JSON integer (decimals and strings are refused)."))]
Date = Annotated[str, Meta(max_length=10, examples=["2026-11-23"], extra_json_schema={
    "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}, description=(
    "A calendar date, YYYY-MM-DD (`invalid_date` otherwise)."))]
FiscalYear = Annotated[int, Meta(ge=2000, le=2100, examples=[2026])]
Title = Annotated[str, Meta(min_length=1, max_length=TITLE_MAX)]
Note = Annotated[str, Meta(max_length=NOTE_MAX)]
FileId = Annotated[str, Meta(pattern="^[0-9a-f]{32}$")]
# The bound only keeps numbers finite and storable; longitude (−180..180) and
# latitude (−90..90) are checked by the domain (`invalid_geojson`).
Coordinate = Annotated[float, Meta(ge=-1e7, le=1e7)]
Position = Annotated[list[Coordinate], Meta(min_length=2, max_length=3, examples=[[111.7, -8.1]], description=(
    "[longitude, latitude] in WGS84 degrees, optionally an altitude in metres; stored to 7 decimals (about 1 cm)."))]


# --- GeoJSON geometry of a project's location ----------------------------------------

class PointLocation(Request, tag_field="type", tag="Point"):
    """A GeoJSON Point: a building, a bridge."""

    coordinates: Position


class LineStringLocation(Request, tag_field="type", tag="LineString"):
    """A GeoJSON LineString: a road, a drain."""

    coordinates: Annotated[list[Position], Meta(min_length=2, max_length=MAX_POSITIONS)]


class PolygonLocation(Request, tag_field="type", tag="Polygon"):
    """A GeoJSON Polygon of one ring (holes are not supported): closed, the last position equal to the first."""

    coordinates: Annotated[list[Annotated[list[Position], Meta(min_length=4, max_length=MAX_POSITIONS)]],
                           Meta(min_length=1, max_length=1)]


Location = Annotated[PointLocation | LineStringLocation | PolygonLocation, Meta(description=(
    "GeoJSON geometry (WGS84): Point, LineString (roads, drains) or Polygon; placed in a kelurahan by the point, "
    "the middle of the line or the polygon's centroid. Only `type` and `coordinates`."))]


# --- requests ------------------------------------------------------------------------

class ContractorRequest(Request):
    name: Title
    npwp: Annotated[str, Meta(min_length=1, max_length=32, examples=["01.234.567.8-901.000"], description=(
        "The contractor's tax id: 15 digits (dots and dash optional) or the 16-digit form (`invalid_npwp` "
        "otherwise). A 16-digit NPWP of a person (a NIK) is never published."))]


class NewProject(Request, kw_only=True):
    title: Title
    description: Note | None = None
    agency: Annotated[str, Meta(min_length=1, max_length=64, description=(
        "An agency code of the region (`unknown_agency` otherwise); agency staff may only register their own "
        "agency's projects."))]
    fiscal_year: FiscalYear
    funding_source: FundingSource
    location: Location
    value: Rupiah
    contractor: ContractorRequest
    contract_number: Annotated[str, Meta(min_length=1, max_length=CONTRACT_NUMBER_MAX)]
    start_date: Date
    end_date: Annotated[Date, Meta(description="Not before `start_date`.")]
    kelurahan_code: Annotated[str, Meta(max_length=32, description=(
        "Used only when the location is outside every kelurahan polygon of the region."))] | None = None


class ProgressRequest(Request, kw_only=True):
    """The contractor's report (at least one processed photo; never lower than the current progress, dated no
    later than today and no earlier than the start or the previous report), or a region admin's correction
    (`correction_reason`), which may go down."""

    percent: Annotated[float, Meta(ge=0, le=100, examples=[45.25], description=(
        "Physical progress, % (at most 2 decimals: `too_precise` otherwise)."))]
    date: Date
    note: Note | None = None
    photo_ids: Annotated[list[FileId], Meta(max_length=PHOTOS_PER_PROGRESS, description=(
        "Processed photos from `POST /v1/projects/{id}/photos`, each used by one report only; no repeats."))] \
        = field(default_factory=list)
    correction_reason: Annotated[Note, Meta(description="A region admin's correction only.")] | None = None


class DisbursementRequest(Request):
    amount: Annotated[Rupiah, Meta(description=(
        "Whole rupiah; the sum of disbursements never exceeds the contract value (`over_contract_value`)."))]
    date: Annotated[Date, Meta(description="Not in the future.")]
    reference: Annotated[str, Meta(min_length=1, max_length=REFERENCE_MAX, examples=["SP2D 001/2026"], description=(
        "The payment order (SP2D); once per project (`duplicate_reference`)."))]


class ProjectPhotoUploadRequest(Request):
    content_type: Annotated[str, Meta(max_length=64, examples=["image/jpeg"], description=(
        "image/jpeg, image/png or image/webp (`unsupported_photo_type` otherwise)"))]


class DocumentUploadRequest(Request, kw_only=True):
    content_type: Annotated[str, Meta(max_length=64, examples=["application/pdf"], description=(
        "application/pdf (`unsupported_document_type` otherwise)"))]
    document_type: DocumentType = "contractSigned"
    title: Title


class ProjectsQuery(Query, kw_only=True):
    agency: Annotated[str, Meta(max_length=64, description="An agency code.")] | None = None
    kecamatan: Annotated[str, Meta(max_length=32, description="A kecamatan code.")] | None = None
    contractor: Annotated[str, Meta(max_length=32, description="The contractor's NPWP.")] | None = None
    year: Annotated[FiscalYear, Meta(description="Fiscal year; all years when absent.")] | None = None
    status: Annotated[ProjectStatus, Meta(description="As of today.")] | None = None
    red_flag: Annotated[RedFlagFilter, Meta(description="As of today: one flag, any flag, or none.")] | None = None
    format: Annotated[Literal["json", "geojson"], Meta(description=(
        "geojson: a FeatureCollection for maps (also with `Accept: application/geo+json`)."))] | None = None
    limit: Annotated[int, Meta(ge=1, le=PAGE_MAX, description=f"Items per page (1–{PAGE_MAX}).")] = PAGE_DEFAULT
    cursor: Cursor | None = None


class YearQuery(Query, kw_only=True):
    year: Annotated[FiscalYear, Meta(description="Fiscal year; all years when absent.")] | None = None


# --- replies -------------------------------------------------------------------------

class Contractor(Struct):
    name: str
    npwp: Annotated[str | None, Meta(description=(
        "A business's NPWP, formatted; null for a person's 16-digit NPWP (a national id number)."))]


class RedFlag(Struct):
    code: FlagCode
    rule: Annotated[I18nText, Meta(description="The rule, with this project's figures, as a reader can check it.")]
    values: Annotated[dict[str, float], Meta(description=(
        "The figures the rule compared (e.g. financial, physical, margin; time_elapsed; days, limit; count)."))]


class AuditCounts(Struct):
    open: Annotated[int, Meta(description="Citizen audits verified or in process.")]
    done: int


class ProjectSummary(Struct, kw_only=True):
    """A project in a list: its figures as of today."""

    id: str
    region_id: str
    title: str
    agency: str
    agency_name: I18nText
    fiscal_year: int
    funding_source: FundingSource
    funding_source_name: I18nText
    kelurahan_code: str | None
    kelurahan: str | None
    kecamatan_code: str | None
    kecamatan: str | None
    out_of_area: Annotated[bool, Meta(description="The location lies outside every kelurahan polygon.")]
    point: Annotated[ProjectPoint, Meta(description=(
        "The point that places the project in its kelurahan (a line's middle, a polygon's centroid): "
        "where a map puts its marker."))]
    value: Annotated[int, Meta(description="Contract value, whole rupiah.")]
    disbursed: Annotated[int, Meta(description="Sum of the disbursements, whole rupiah.")]
    currency: Literal["IDR"]
    contractor: Contractor
    contract_number: str
    start_date: Date
    end_date: Date
    status: ProjectStatus
    status_label: I18nText
    physical_progress: Annotated[float, Meta(description="%, from the last progress report.")]
    financial_progress: Annotated[float, Meta(description="disbursed ÷ value, %.")]
    time_elapsed: Annotated[float, Meta(description="Share of the contract period elapsed today, %.")]
    last_progress_report: Date | None
    red_flags: list[RedFlag]
    audits: AuditCounts
    updated_at: DateTime


class ProjectPoint(Struct):
    lon: float
    lat: float


class ProjectPhoto(StoredPhoto, kw_only=True):
    progress_id: Annotated[str | None, Meta(description="The progress report the photo backs, if any.")]
    at: DateTime


class ProgressEntry(Struct, kw_only=True):
    id: str
    percent: float
    date: Date
    note: str | None
    correction_reason: Annotated[str | None, Meta(description="Set on a region admin's correction.")]
    actor_role: str
    at: DateTime
    photos: list[ProjectPhoto]


class Disbursement(Struct, kw_only=True):
    id: str
    amount: int
    date: Date
    reference: str
    at: DateTime


class ProjectDocument(Struct, kw_only=True):
    id: str
    title: str
    document_type: DocumentType
    url: Annotated[str, Meta(description="Presigned GET, valid for 15 minutes.", extra_json_schema={"format": "uri"})]
    content_type: Literal["application/pdf"]
    bytes: int
    at: DateTime


class RejectedUpload(Struct, kw_only=True):
    id: str
    reason_code: str
    reason: I18nText
    at: DateTime


class ProjectHistoryEntry(Struct, kw_only=True):
    action: HistoryAction
    actor_role: str
    at: DateTime
    detail: Annotated[dict[str, Any], Meta(description=(
        "What changed: e.g. value; percent, previous, date, reason; amount, reference, date; file_id, title."))]


class AuditReport(Struct, kw_only=True):
    """A verified citizen audit of the project, without who reported it."""

    id: str
    status: Literal["verified", "in_process", "done"]
    status_label: I18nText
    category: str
    description: Annotated[str, Meta(description="The first 280 characters.")]
    created_at: DateTime


class FlagRules(Struct):
    """The region's red-flag thresholds."""

    money_ahead_points: int
    behind_schedule_points: int
    stale_days: int


class Project(ProjectSummary, kw_only=True):
    """The public project page: figures, red flags with their rules, progress with its photos, disbursements,
    documents, history and the citizen audits (without reporters)."""

    description: str | None
    location: Location
    progress: Annotated[list[ProgressEntry], Meta(description=(
        "The 20 most recent progress reports, oldest first; every one is in the region's OCDS export."))]
    progress_earlier: Annotated[int, Meta(description="Progress reports older than `progress`.")] = 0
    disbursements: list[Disbursement]
    photos: list[ProjectPhoto]
    documents: list[ProjectDocument]
    rejected_uploads: list[RejectedUpload]
    history: Annotated[list[ProjectHistoryEntry], Meta(description="The 20 most recent entries, oldest first.")]
    history_earlier: Annotated[int, Meta(description="History entries older than `history`.")] = 0
    audit_reports: list[AuditReport]
    rules: FlagRules
    version: Annotated[int, Meta(description="Grows with every change.")]


class ProjectFeature(Struct, kw_only=True, tag_field="type", tag="Feature"):
    id: str
    geometry: Location
    properties: ProjectSummary


class ProjectFeatureCollection(Struct, kw_only=True, tag_field="type", tag="FeatureCollection"):
    """One page of the map layer (GeoJSON, RFC 7946); follow `next_cursor` until it is null."""

    features: list[ProjectFeature]
    next_cursor: str | None


class ProjectPhotoUpload(Struct, kw_only=True):
    """A presigned S3 POST for one progress photo; once processed it appears in the project's `photos` and can
    back one progress report."""

    photo_id: str
    kind: Literal["photo"]
    upload: UploadForm
    content_type: str
    max_bytes: int
    expires_in: Annotated[int, Meta(description="Seconds the upload form stays valid.")]


class DocumentUpload(Struct, kw_only=True):
    """A presigned S3 POST for one contract document; a file that is not a PDF is refused (`rejected_uploads`)."""

    document_id: str
    kind: Literal["document"]
    upload: UploadForm
    content_type: Literal["application/pdf"]
    max_bytes: int
    expires_in: Annotated[int, Meta(description="Seconds the upload form stays valid.")]


class Totals(Struct, kw_only=True):
    projects: int
    contract_value: Annotated[int, Meta(description="Whole rupiah.")]
    disbursed: Annotated[int, Meta(description="Whole rupiah.")]
    financial_progress: Annotated[float, Meta(description="disbursed ÷ contract value, %.")]
    physical_progress: Annotated[float, Meta(description="Value-weighted physical progress, %.")]
    projects_flagged: Annotated[int, Meta(description="Projects with at least one red flag.")]


class AgencyTotals(Totals, kw_only=True):
    agency: str
    name: I18nText


class KecamatanTotals(Totals, kw_only=True):
    kecamatan_code: Annotated[str | None, Meta(description="null: projects outside every kecamatan.")]
    kecamatan: str | None


class Budget(Struct, kw_only=True):
    """Totals of the region, per agency and per kecamatan (largest contract value first), from pre-computed
    items."""

    region_id: str
    year: Annotated[int | None, Meta(description="null: all fiscal years.")]
    currency: Literal["IDR"]
    totals: Totals
    agencies: list[AgencyTotals]
    kecamatan: list[KecamatanTotals]
    flags_as_of: Annotated[Date, Meta(description="The region's date the flagged counts were evaluated for.")]


class OcdsPublisher(Struct):
    name: str


class OcdsReleasePackage(Struct, kw_only=True):
    """An Open Contracting Data Standard 1.1 release package, with the Location extension: one release per
    project. Only the package's top level is described here; each release follows the OCDS 1.1 release
    schema, see https://standard.open-contracting.org/1.1/en/schema/release_package/ (the package is
    validated against https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json)."""

    uri: Url
    version: Literal["1.1"]
    extensions: Annotated[list[str], Meta(description="URLs of the extensions' extension.json.")]
    publishedDate: DateTime  # OCDS's own name
    publisher: OcdsPublisher
    releases: Annotated[list[dict[str, Any]], Meta(description=(
        "OCDS 1.1 releases: https://standard.open-contracting.org/1.1/en/schema/reference/"))]
