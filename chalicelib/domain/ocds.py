"""A region's public works projects as an Open Contracting Data Standard
(OCDS 1.1) release package: pure mapping, no AWS.

One project is one contracting process, published as one release that
carries everything known about it at ``updated_at`` (planning budget, the
tender's item and site, the award, the contract and its implementation), so
a release's ``id`` changes whenever the project changes.

Choices a reader of the data should know:

- ``ocid`` is ``<prefix>-<region_id>-<project id>``.  The prefix should be
  the regency's own, registered with the Open Contracting Partnership
  (https://standard.open-contracting.org/latest/en/guidance/build/#register-an-ocid-prefix)
  and set as ``region["ocid_prefix"]``; until then ``DEFAULT_OCID_PREFIX``
  is used, which is not registered.
- The agency (OPD, e.g. Dinas PUPR) is the ``buyer``: its budget (DPA) pays.
  It is also the ``procuringEntity``, because its contract officer (PPK)
  manages the contract; the tender committee (Pokja UKPBJ) is not known here.
  It is the ``payer`` of every transaction, the contractor the ``payee``.
- The contractor's identifier is the NPWP, digits only, under the scheme
  ``NPWP_SCHEME``.  org-id.guide lists no register of Indonesian tax ids
  (its Indonesian lists are ID-KDN, ID-KHH, ID-KLN, ID-PRO), so this scheme
  is a local, unregistered one; change the constant if one is registered.
- The site is an item's ``deliveryLocation`` (Location extension v1.1.5,
  which allows Point, LineString and Polygon geometries as they are) with
  the Kemendagri code of the kelurahan/desa as a gazetteer entry
  (``GAZETTEER_SCHEME``, a value of the open locationGazetteers codelist),
  and its ``deliveryAddress``.
- Each progress report is a contract implementation milestone of type
  ``delivery``: ``met`` at 100 %, ``notMet`` at 0 %, ``partiallyMet`` in
  between; the percentage is in its title and description.  Progress photos
  are implementation documents of type ``physicalProgressReport``.
- Each disbursement (SP2D) is a transaction.  OCDS 1.1 has no field for its
  reference number, which is not published.
- Calendar dates become date-times in the zone of ``published_at``: the
  start of the day, and the end of the day (23:59:59) for the contract's
  end date.
- Text is Indonesian (release ``language`` "id").
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timezone, tzinfo
from decimal import Decimal
from typing import Any

OCDS_VERSION = "1.1"
LOCATION_EXTENSION = ("https://raw.githubusercontent.com/open-contracting-extensions/"
                      "ocds_location_extension/v1.1.5/extension.json")
DEFAULT_OCID_PREFIX = "ocds-aduan0"
NPWP_SCHEME = "ID-NPWP"
GAZETTEER_SCHEME = "ID-KEMENDAGRI"
CURRENCY = "IDR"
LANGUAGE = "id"

# GeoJSON geometry types the Location extension's closed geometryType codelist allows.
GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")

FUNDING_SOURCES = {
    "apbd": "APBD {region} Tahun Anggaran {year}",
    "apbn": "APBN Tahun Anggaran {year}",
    "dana_desa": "Dana Desa Tahun Anggaran {year}",
    "other": "Sumber dana lain, Tahun Anggaran {year}",
}

# Where a document goes, after the "Section" column of OCDS's documentType
# codelist.  A type listed for several sections goes to the contract if that
# is one of them (e.g. contractSchedule), else to the section named here;
# any other type, known or not, goes to the contract.
_PLANNING_DOCUMENTS = {"plannedProcurementNotice", "procurementPlan", "marketStudies", "environmentalImpact",
                       "assetAndLiabilityAssessment", "riskProvisions", "needsAssessment", "feasibilityStudy",
                       "projectPlan"}
_TENDER_DOCUMENTS = {"tenderNotice", "biddingDocuments", "technicalSpecifications", "evaluationCriteria",
                     "evaluationReports", "hearingNotice", "eligibilityCriteria", "clarifications",
                     "shortlistedFirms", "billOfQuantity", "bidders", "complaints"}
_AWARD_DOCUMENTS = {"awardNotice", "winningBid", "contractDraft"}
_IMPLEMENTATION_DOCUMENTS = {"completionCertificate", "physicalProgressReport", "financialProgressReport",
                             "finalAudit", "debarments"}

_OCID_PREFIX = re.compile(r"^ocds-[a-z0-9]{6}$")
_CALENDAR_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def release_package(region: dict[str, Any], projects: list[dict[str, Any]], published_at: str,
                    uri: str) -> dict[str, Any]:
    """The OCDS 1.1 release package of ``projects`` (public fields only, as
    ``services.ocds_export.public_record`` gives them) of ``region``
    (``region_id``, ``name``, ``kemendagri_code``, optional ``ocid_prefix``),
    published at ``published_at`` (ISO 8601 with offset) at ``uri``.

    Raises ValueError on data that would make an invalid package (a money
    amount that is not whole rupiah, a date without a zone, a geometry type
    OCDS does not know, a project of another region)."""
    published = _parse_datetime(published_at, None, "published_at")
    tz = published.tzinfo
    if tz is None:
        raise ValueError("published_at has no time zone")
    prefix = region.get("ocid_prefix") or DEFAULT_OCID_PREFIX
    if not _OCID_PREFIX.match(prefix):
        raise ValueError(f"ocid_prefix must look like ocds-xxxxxx (6 lowercase letters or digits): {prefix!r}")
    releases = []
    for project in projects:
        if project.get("region_id") != region["region_id"]:
            raise ValueError(f"project {project.get('id')!r} is not of region {region['region_id']!r}")
        releases.append(_release(region, project, prefix, tz, published))
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": [LOCATION_EXTENSION],
        "publishedDate": _iso(published),
        "publisher": {"name": region["name"]},
        "releases": releases,
    }


# --- one project, one release ---------------------------------------------

def _release(region: dict[str, Any], project: dict[str, Any], prefix: str, tz: tzinfo,
             published: datetime) -> dict[str, Any]:
    pid = project["id"]
    ocid = f"{prefix}-{region['region_id']}-{pid}"
    changed_at = project.get("updated_at") or project.get("created_at")
    changed = _parse_datetime(changed_at, tz, "updated_at") if changed_at else published
    value = _money(project["value"], "value")

    buyer = _buyer(region, project)
    contractor = project.get("contractor") or {}
    supplier = _supplier(region, contractor) if contractor.get("name") else None

    documents = _documents(project, tz)
    status = project.get("status") or "active"
    signed = supplier is not None and bool(project.get("contract_number"))

    tender: dict[str, Any] = {
        "id": f"{pid}-tender",
        "title": project["title"],
        "status": "complete" if supplier else ("cancelled" if status == "cancelled" else "planned"),
        "procuringEntity": _ref(buyer),
        "mainProcurementCategory": "works",
        "items": [_item(region, project)],
    }
    if project.get("description"):
        tender["description"] = project["description"]
    if documents["tender"]:
        tender["documents"] = documents["tender"]

    budget = {
        "description": _funding(region, project),
        "amount": _value(value if project.get("budget_amount") is None
                         else _money(project["budget_amount"], "budget_amount")),
        "project": project["title"],
        "projectID": pid,
    }
    planning: dict[str, Any] = {"budget": budget}
    if documents["planning"]:
        planning["documents"] = documents["planning"]

    release: dict[str, Any] = {
        "ocid": ocid,
        "id": f"{ocid}-{_stamp(changed)}",
        "date": _iso(changed),
        "tag": ["planning", "tender"],
        "initiationType": "tender",
        "language": LANGUAGE,
        "parties": [buyer],
        "buyer": _ref(buyer),
        "planning": planning,
        "tender": tender,
    }
    if supplier is None:
        return release

    release["parties"].append(supplier)
    award_id, contract_id = f"{pid}-award", f"{pid}-contract"
    period = {}
    if project.get("start_date"):
        period["startDate"] = _iso(_start_of(project["start_date"], tz, "start_date"))
    if project.get("end_date"):
        period["endDate"] = _iso(_end_of(project["end_date"], tz, "end_date"))

    award: dict[str, Any] = {
        "id": award_id,
        "title": project["title"],
        "status": "cancelled" if status == "cancelled" and not signed else "active",
        "value": _value(value),
        "suppliers": [_ref(supplier)],
    }
    if period:
        award["contractPeriod"] = dict(period)
    if documents["award"]:
        award["documents"] = documents["award"]

    if status == "cancelled":
        contract_status = "terminated" if signed else "cancelled"
    elif status == "completed":
        contract_status = "terminated"
    else:
        contract_status = "active" if signed else "pending"
    contract: dict[str, Any] = {
        "id": contract_id,
        "awardID": award_id,
        "title": project["title"],
        "status": contract_status,
        "value": _value(value),
        "items": [_item(region, project)],
    }
    if project.get("contract_number"):
        contract["description"] = f"Nomor kontrak: {project['contract_number']}"
    if period:
        contract["period"] = dict(period)
    if documents["contract"]:
        contract["documents"] = documents["contract"]

    implementation = _implementation(project, tz, buyer, supplier, documents["implementation"])
    if implementation:
        contract["implementation"] = implementation
        if implementation.get("transactions"):
            buyer["roles"].append("payer")
            supplier["roles"].append("payee")

    release["awards"] = [award]
    release["contracts"] = [contract]
    release["tag"] = ["planning", "tender", "award", "contract"]
    if implementation:
        release["tag"].append("implementation")
    if contract_status == "terminated":
        release["tag"].append("contractTermination")
    return release


def _ref(party: dict[str, Any]) -> dict[str, Any]:
    """An OrganizationReference to a party (a new object at each use)."""
    return {"id": party["id"], "name": party["name"]}


def _buyer(region: dict[str, Any], project: dict[str, Any]) -> dict[str, Any]:
    names = project.get("agency_name") or {}
    name = names.get("id") or names.get("en") or project["agency"]
    if region["name"].lower() not in name.lower():
        name = f"{name} {region['name']}"  # "Dinas PUPR" is in every regency
    return {
        "id": f"{region['region_id']}-{project['agency']}",
        "name": name,
        "address": {"region": region["name"], "countryName": "Indonesia"},
        "roles": ["buyer", "procuringEntity"],
    }


def _supplier(region: dict[str, Any], contractor: dict[str, Any]) -> dict[str, Any]:
    name = contractor["name"]
    digits = re.sub(r"[^0-9]", "", contractor.get("npwp") or "")
    if not digits:  # no tax id: a name-derived id, stable within the region
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        return {"id": f"{region['region_id']}-supplier-{slug}", "name": name, "roles": ["supplier"]}
    return {"id": f"{NPWP_SCHEME}-{digits}", "name": name,
            "identifier": {"scheme": NPWP_SCHEME, "id": digits, "legalName": name}, "roles": ["supplier"]}


def _funding(region: dict[str, Any], project: dict[str, Any]) -> str:
    source = project.get("funding_source") or "other"
    if source not in FUNDING_SOURCES:
        raise ValueError(f"unknown funding_source {source!r}")
    return FUNDING_SOURCES[source].format(region=region["name"], year=project["fiscal_year"])


def _item(region: dict[str, Any], project: dict[str, Any]) -> dict[str, Any]:
    place = [part for part in (project.get("kelurahan"),
                               f"Kecamatan {project['kecamatan']}" if project.get("kecamatan") else None,
                               region["name"]) if part]
    location: dict[str, Any] = {"description": ", ".join(place)}
    if project.get("location"):
        location["geometry"] = _geometry(project["location"])
    code = project.get("kelurahan_code") or project.get("kecamatan_code") or region.get("kemendagri_code")
    if code:
        location["gazetteer"] = {"scheme": GAZETTEER_SCHEME, "identifiers": [code]}
    address: dict[str, Any] = {}
    locality = ", ".join(part for part in (project.get("kelurahan"),
                                           f"Kecamatan {project['kecamatan']}" if project.get("kecamatan") else None)
                         if part)
    if locality:
        address["locality"] = locality
    address.update({"region": region["name"], "countryName": "Indonesia"})
    return {"id": "1", "description": project["title"], "deliveryLocation": location, "deliveryAddress": address}


def _geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    kind = geometry.get("type")
    if kind not in GEOMETRY_TYPES:
        raise ValueError(f"geometry type {kind!r} is not one of {', '.join(GEOMETRY_TYPES)}")
    return {"type": kind, "coordinates": _coordinates(geometry.get("coordinates"))}


def _coordinates(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_coordinates(v) for v in value]
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValueError(f"a coordinate is not a number: {value!r}")
    return float(value)


def _documents(project: dict[str, Any], tz: tzinfo) -> dict[str, list[dict[str, Any]]]:
    has_contract = bool((project.get("contractor") or {}).get("name"))
    out: dict[str, list[dict[str, Any]]] = {s: [] for s in ("planning", "tender", "award", "contract",
                                                             "implementation")}
    for doc in project.get("documents") or []:
        kind = doc.get("document_type")
        if kind in _PLANNING_DOCUMENTS:
            section = "planning"
        elif kind in _TENDER_DOCUMENTS:
            section = "tender"
        elif kind in _AWARD_DOCUMENTS:
            section = "award"
        elif kind in _IMPLEMENTATION_DOCUMENTS:
            section = "implementation"
        else:
            section = "contract"
        if not has_contract and section in ("award", "contract", "implementation"):
            section = "tender"
        entry: dict[str, Any] = {"id": doc["id"]}
        if kind:
            entry["documentType"] = kind
        _copy_document_fields(entry, doc, tz)
        out[section].append(entry)
    return out


def _copy_document_fields(entry: dict[str, Any], doc: dict[str, Any], tz: tzinfo) -> None:
    if doc.get("title"):
        entry["title"] = doc["title"]
    if doc.get("url"):
        entry["url"] = doc["url"]
    if doc.get("content_type"):
        entry["format"] = doc["content_type"]
    if doc.get("at"):
        entry["datePublished"] = _iso(_parse_datetime(doc["at"], tz, "document at"))


def _implementation(project: dict[str, Any], tz: tzinfo, payer: dict[str, Any], payee: dict[str, Any],
                    documents: list[dict[str, Any]]) -> dict[str, Any]:
    implementation: dict[str, Any] = {}
    transactions = []
    for d in project.get("disbursements") or []:
        transaction: dict[str, Any] = {"id": d["id"]}
        if d.get("date"):
            transaction["date"] = _iso(_start_of(d["date"], tz, "disbursement date"))
        transaction.update({"value": _value(_money(d["amount"], "disbursement amount")),
                            "payer": _ref(payer), "payee": _ref(payee)})
        transactions.append(transaction)
    if transactions:
        implementation["transactions"] = transactions

    reports = {}
    milestones = []
    for report in project.get("progress") or []:
        milestone = _milestone(report, tz)
        reports[report["id"]] = report
        milestones.append(milestone)
    if milestones:
        implementation["milestones"] = milestones

    photo_progress = {pid: r["id"] for r in project.get("progress") or [] for pid in r.get("photo_ids") or []}
    documents = list(documents)
    for photo in project.get("photos") or []:
        report = reports.get(photo.get("progress_id") or photo_progress.get(photo["id"], ""))
        entry: dict[str, Any] = {"id": photo["id"], "documentType": "physicalProgressReport"}
        if report is not None:
            entry["title"] = f"Foto progres fisik {_percent_text(report['percent'])} ({report['date']})"
            entry["description"] = f"Foto laporan progres fisik tanggal {report['date']} (milestone {report['id']})."
        else:
            entry["title"] = "Foto progres fisik"
        _copy_document_fields(entry, {k: v for k, v in photo.items() if k != "title"}, tz)
        documents.append(entry)
    if documents:
        implementation["documents"] = documents
    return implementation


def _milestone(report: dict[str, Any], tz: tzinfo) -> dict[str, Any]:
    percent = _percent(report["percent"])
    text = _percent_text(percent)
    if percent >= 100:
        status = "met"
    elif percent <= 0:
        status = "notMet"
    else:
        status = "partiallyMet"
    description = f"Progres fisik pekerjaan {text} per {report['date']}."
    if report.get("note"):
        description += f" {report['note']}"
    if report.get("correction_reason"):
        description += f" Koreksi laporan sebelumnya: {report['correction_reason']}"
    milestone: dict[str, Any] = {
        "id": report["id"],
        "title": f"Progres fisik {text}",
        "type": "delivery",
        "description": description,
        "status": status,
    }
    on = _start_of(report["date"], tz, "progress date")
    if status == "met":
        milestone["dateMet"] = _iso(on)
    milestone["dateModified"] = _iso(_parse_datetime(report["at"], tz, "progress at") if report.get("at") else on)
    return milestone


# --- values -----------------------------------------------------------------

def _money(amount: Any, what: str) -> int:
    """Whole rupiah as an int (an integral float or Decimal is accepted)."""
    if isinstance(amount, bool):
        raise ValueError(f"{what} is not whole rupiah: {amount!r}")
    if isinstance(amount, int):
        return amount
    if isinstance(amount, (float, Decimal)) and amount == amount and amount % 1 == 0:
        return int(amount)
    raise ValueError(f"{what} is not whole rupiah: {amount!r}")


def _value(amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": CURRENCY}


def _percent(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValueError(f"progress percent is not a number: {value!r}")
    value = float(value)
    if not 0 <= value <= 100:
        raise ValueError(f"progress percent out of 0..100: {value!r}")
    return value


def _percent_text(value: Any) -> str:
    """45.5 -> "45,5%" (Indonesian decimal comma)."""
    return f"{round(_percent(value), 2):g}".replace(".", ",") + "%"


def _parse_datetime(value: Any, tz: tzinfo | None, what: str) -> datetime:
    """An ISO 8601 date-time; one without an offset is taken in ``tz``
    (refused if ``tz`` is None), a calendar date is its start of day."""
    if not isinstance(value, str):
        raise ValueError(f"{what} is not an ISO 8601 string: {value!r}")
    if _CALENDAR_DATE.match(value) and tz is not None:
        return _start_of(value, tz, what)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{what} is not ISO 8601: {value!r}") from None
    if parsed.tzinfo is None:
        if tz is None:
            raise ValueError(f"{what} has no UTC offset: {value!r}")
        parsed = parsed.replace(tzinfo=tz)
    return parsed


def _calendar(value: Any, what: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _CALENDAR_DATE.match(value):
        raise ValueError(f"{what} is not YYYY-MM-DD: {value!r}")
    return date.fromisoformat(value)


def _start_of(value: Any, tz: tzinfo, what: str) -> datetime:
    return datetime.combine(_calendar(value, what), time(0, 0, 0), tzinfo=tz)


def _end_of(value: Any, tz: tzinfo, what: str) -> datetime:
    return datetime.combine(_calendar(value, what), time(23, 59, 59), tzinfo=tz)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _stamp(moment: datetime) -> str:
    """A compact UTC time for a release id: 20261123T020000Z."""
    utc = moment.astimezone(timezone.utc)
    text = utc.strftime("%Y%m%dT%H%M%S")
    if utc.microsecond:
        text += f".{utc.microsecond:06d}"
    return text + "Z"
