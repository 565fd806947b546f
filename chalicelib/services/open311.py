"""Open311 GeoReport v2 over the region's categories and reports.

Reads follow the public views' rules: a list shows what the public map
shows (verified reports, never a confidential one; one Query on the map
index), a request read by its id what the public report view shows (any
report but a confidential one); no reporter field ever.  POST hands the
parsed form to ``services.intake.submit`` on behalf of the partner its
``api_key`` names (channel ``open311``)."""
from __future__ import annotations

from datetime import timedelta

from ..contract import open311 as contract
from ..domain import intake as intake_rules
from ..domain import open311 as rules
from ..domain import questions as question_rules
from ..domain import workflow as workflow_rules
from ..domain.errors import InvalidInput, NotFound, PayloadTooLarge
from ..domain.regions import Category, RegionConfig
from ..domain.reports import iso_utc, local_iso, now_utc
from ..store import reports as store
from ..store.models import ReportModel
from . import intake, partners, regions
from .reports import photo_is_public

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-05T00:00:00+07:00"
DATATYPE_DESCRIPTIONS = {
    "string": "Text, one line (at most 200 characters).",
    "number": "A number.",
    "text": "Text (at most 2,000 characters).",
    "singlevaluelist": "One key of values.",
    "multivaluelist": "One or more keys of values (repeat attribute[code][] or separate them with commas).",
}
PAGE = 500
MAX_PAGES = 10


def region_of(jurisdiction_id: str | None) -> RegionConfig:
    """The region a request names: one deployment serves many, so
    ``jurisdiction_id`` is required (400), and an unknown one is 404."""
    if not jurisdiction_id or not jurisdiction_id.strip():
        raise InvalidInput("open311_jurisdiction_required")
    return regions.get_region(jurisdiction_id.strip())


def discovery(base_url: str) -> contract.Discovery:
    formats = list(rules.FORMATS.values())
    return contract.Discovery(
        changeset=CHANGESET,
        contact="The region's Public Service Center (Mal Pelayanan Publik / Command Center); every request names "
                "its region as jurisdiction_id.",
        key_service="API keys are issued per region by its admin (POST /v1/regions/{region_id}/partners, channel "
                    "open311); reading needs no key.",
        endpoints=[contract.Endpoint(specification=SPEC_URL, url=f"{base_url}/open311/v2", changeset=CHANGESET,
                                     type="production", formats=formats)])


def _name(category: Category, lang: str) -> str:
    return category.name_en if lang == "en" else category.name_id


def _active(region: RegionConfig, service_code: str) -> Category:
    category = region.categories.get(service_code)
    if category is None or not category.active:
        raise NotFound("open311_service_not_found", service_code=service_code[:64])
    return category


def services(region: RegionConfig, lang: str) -> list[contract.Service]:
    result = []
    for category in region.categories.values():
        if not category.active:
            continue
        agency_id, agency_en = region.agency_names(category.agency)
        other = category.name_id if lang == "en" else category.name_en
        result.append(contract.Service(
            service_code=category.code, service_name=_name(category, lang),
            description=f"{_name(category, lang)} ({other})" + (" — emergency" if category.emergency and lang == "en"
                                                                else " — darurat" if category.emergency else ""),
            metadata=bool(category.questions), type="realtime", keywords=category.code.replace("-", ","),
            group=agency_en if lang == "en" else agency_id))
    return result


def definition(region: RegionConfig, service_code: str, lang: str) -> contract.ServiceDefinition:
    category = _active(region, service_code)
    attributes = []
    for order, question in enumerate(category.questions, start=1):
        attributes.append(contract.Attribute(
            variable=True, code=question.code, datatype=question.datatype,  # type: ignore[arg-type]
            required=question.required, datatype_description=DATATYPE_DESCRIPTIONS[question.datatype], order=order,
            description=question.description_en if lang == "en" else question.description_id,
            values=[contract.AttributeValue(key=v.key, name=v.name_en if lang == "en" else v.name_id)
                    for v in question.values]))
    return contract.ServiceDefinition(service_code=category.code, attributes=attributes)


# --- reading requests -------------------------------------------------------------------

def is_public(report: ReportModel) -> bool:
    """What the public report view shows by id: any report but a confidential one."""
    return not getattr(report, "confidential", False)


def on_public_map(report: ReportModel) -> bool:
    """What the public map lists: verified, on the map index, not confidential."""
    return (is_public(report) and report.map_key not in (None, workflow_rules.off_map_key(report.region_id))
            and report.verified_at is not None)


def request_view(report: ReportModel, region: RegionConfig, lang: str, base_url: str,
                 listed: bool = False) -> contract.ServiceRequest:
    """A report as a GeoReport request.  ``listed``: as the public map lists
    it (no description, as there); read by id: as its public view (the description)."""
    category = region.categories.get(report.category)
    agency_id, agency_en = region.agency_names(report.agency)
    status = rules.public_status(report.status)
    notes = None
    if report.history:
        note = report.history[-1].get("note") or {}
        notes = note.get(lang) or note.get("id")
    photo = next((p for p in report.photos or [] if photo_is_public(report, p["id"])), None)
    return contract.ServiceRequest(
        service_request_id=report.id, status=status, status_notes=notes,  # type: ignore[arg-type]
        service_name=_name(category, lang) if category else report.category, service_code=report.category,
        description=None if listed else report.description,
        agency_responsible=(agency_en if lang == "en" else agency_id) if report.agency else None,
        requested_datetime=local_iso(report.created_at, region), updated_datetime=local_iso(report.updated_at, region),
        expected_datetime=local_iso(report.due_at, region) if report.due_at and status == "open" else None,
        address=None if report.anonymous else report.address,
        address_id=report.kelurahan_code,
        lat=float(report.lat) if report.lat is not None else None,
        long=float(report.lon) if report.lon is not None else None,
        media_url=f"{base_url}/v1/reports/{report.id}/photos/{photo['id']}" if photo else None)


def get_request(region: RegionConfig, request_id: str, lang: str, base_url: str) -> contract.ServiceRequest:
    """One request by its id (one GetItem): 404 for an unknown one, another
    region's, or a confidential one alike."""
    report = store.get(request_id) if rules.is_report_id(request_id) else None
    if report is None or report.region_id != region.region_id or not is_public(report):
        raise NotFound("open311_request_not_found")
    return request_view(report, region, lang, base_url)


def list_requests(region: RegionConfig, params: dict[str, str], lang: str,
                  base_url: str) -> list[contract.ServiceRequest]:
    """GET requests: by ids (one BatchGetItem, as if read one by one), or
    the map's reports of the window (Queries on the map index, newest first,
    filtered by service code and status), at most 1,000."""
    filters = rules.parse_filters(params, now_utc(), region.tz)
    if filters.ids:
        found = {r.id: r for r in store.get_many([i for i in filters.ids if rules.is_report_id(i)])}
        return [request_view(found[i], region, lang, base_url) for i in filters.ids
                if i in found and found[i].region_id == region.region_id and is_public(found[i])]
    wanted = rules.statuses_for(set(filters.statuses)) if filters.statuses else None
    first = iso_utc(filters.start)
    last = iso_utc(filters.end - timedelta(microseconds=1) if filters.end > filters.start else filters.end)
    result: list[contract.ServiceRequest] = []
    cursor = None
    for _ in range(MAX_PAGES):
        items, cursor = store.on_map(region.region_id, first, last, PAGE, cursor)
        for report in items:
            if not on_public_map(report):
                continue
            if filters.service_codes and report.category not in filters.service_codes:
                continue
            if wanted is not None and report.status not in wanted:
                continue
            result.append(request_view(report, region, lang, base_url, listed=True))
            if len(result) >= rules.MAX_REQUESTS:
                return result
        if cursor is None:
            break
    return result


def token(region: RegionConfig, value: str) -> list[contract.TokenRequest]:
    """A POST answers the request's id at once: its token is that id."""
    report = store.get(value) if rules.is_report_id(value) else None
    if report is None or report.region_id != region.region_id:
        raise NotFound("open311_request_not_found")
    return [contract.TokenRequest(token=value, service_request_id=report.id)]


# --- POST requests -------------------------------------------------------------------------

class Form:
    """A POST's fields (each name may repeat) and its ``media`` file."""

    def __init__(self, fields: list[tuple[str, str]], media: bytes | None = None, media_type: str | None = None):
        self.fields = fields
        self.media = media
        self.media_type = media_type

    def first(self, name: str) -> str | None:
        for key, value in self.fields:
            if key == name and value.strip():
                return value.strip()
        return None

    def attributes(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for key, value in self.fields:
            if key.startswith("attribute[") and "]" in key:
                code = key[len("attribute["):key.index("]")]
                found.setdefault(code, []).append(value)
        return found


def _coordinate(form: Form, name: str, low: float, high: float) -> float | None:
    text = form.first(name)
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput("invalid_pattern", field=name) from None
    if not (low <= value <= high) or len(text) > 40:
        raise InvalidInput("out_of_range", field=name, min=low, max=high)
    return value


def submit(region: RegionConfig, api_key: str | None, form: Form) -> contract.CreatedRequest:
    """Create a report from an Open311 POST: the key (403), the form's
    fields (400), the media's size (413), then ``intake.submit``."""
    partner = partners.authenticate(api_key, region_id=region.region_id, channels=("open311",))
    for _, value in form.fields:
        if rules.has_lone_surrogate(value):
            raise InvalidInput("invalid_text")
    service_code = form.first("service_code")
    if service_code is None:
        raise InvalidInput("missing_field", field="service_code")
    category = _active(region, service_code)
    description = form.first("description") or ""
    if not description:
        raise InvalidInput("missing_field", field="description")
    if len(description) > rules.DESCRIPTION_MAX:
        raise InvalidInput("too_long", field="description", max=rules.DESCRIPTION_MAX)
    lat, lon = _coordinate(form, "lat", -90, 90), _coordinate(form, "long", -180, 180)
    if (lat is None) != (lon is None):
        raise InvalidInput("missing_field", field="long" if lon is None else "lat")
    address, address_id = form.first("address_string"), form.first("address_id")
    if lat is None and address is None and address_id is None:
        raise InvalidInput("open311_location_required")
    if address_id is not None and address_id not in region.kelurahan:
        raise InvalidInput("partner_unknown_kelurahan", kelurahan_code=address_id[:40], region_id=region.region_id)
    if address is not None and len(address) > intake_rules.ADDRESS_MAX:
        raise InvalidInput("too_long", field="address_string", max=intake_rules.ADDRESS_MAX)
    answers = question_rules.check_answers(category.questions, form.attributes())
    if form.media is not None and len(form.media) > rules.MEDIA_MAX_BYTES:
        raise PayloadTooLarge("open311_media_too_large", max_mb=rules.MEDIA_MAX_BYTES // (1024 * 1024))
    name = " ".join(p for p in (form.first("first_name"), form.first("last_name")) if p) or None
    submitted = intake.submit(partner, intake.Submission(
        category=category.code, description=description, lat=lat, lon=lon, kelurahan_code=address_id,
        address=address, reporter_name=name, reporter_phone=form.first("phone"), reporter_email=form.first("email"),
        attributes=answers, media_url=form.first("media_url"), photo=form.media or None,
        photo_type=form.media_type if form.media else None), channel="open311")
    return contract.CreatedRequest(service_request_id=submitted.report_id)
