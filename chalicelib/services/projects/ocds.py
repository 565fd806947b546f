"""The region's projects as an Open Contracting (OCDS 1.1) release package.

The mapping itself is pure (``chalicelib.domain.ocds``); this module reads the
projects (one paged Query of the region's index) and hands over their public
fields, with presigned URLs for the documents and progress photos.
"""
from __future__ import annotations

from typing import Any, Callable

from ...contract import projects as contract
from ...domain import projects as rules
from ...domain import reports as report_rules
from ...domain.regions import RegionConfig
from ...store import projects as store
from ...store.models import ProjectModel
from .. import regions
from .clock import today

MAX_PROJECTS = 5000


def public_record(project: ProjectModel, region: RegionConfig, url: Callable[[str, str], str]) -> dict[str, Any]:
    """What the export may publish of a project: no account ids, and file
    links that do not expire (``url(project_id, file_id)``, an API route
    that redirects to a fresh presigned URL)."""
    local = lambda value: report_rules.local_iso(value, region)  # noqa: E731
    name_id, name_en = region.agency_names(project.agency)
    progress = store.whole_list(project, "progress")  # the item keeps the recent ones
    return {
        "id": project.id, "region_id": project.region_id, "title": project.title,
        "description": project.description, "agency": project.agency,
        "agency_name": {"id": name_id, "en": name_en}, "fiscal_year": int(project.fiscal_year),
        "funding_source": project.funding_source, "location": project.location,
        "kelurahan_code": project.kelurahan_code, "kelurahan": project.kelurahan,
        "kecamatan_code": project.kecamatan_code, "kecamatan": project.kecamatan,
        "value": int(project.value),
        "contractor": {"name": project.contractor_name, "npwp": rules.public_npwp(project.contractor_npwp)},
        "contract_number": project.contract_number, "start_date": project.start_date, "end_date": project.end_date,
        "status": rules.figures_of(project, today(region)).status,
        "progress_percent": rules.percent(int(project.progress_bp or 0)),
        "disbursed": int(project.disbursed or 0),
        "progress": [{"id": e["id"], "percent": rules.percent(int(e["percent_bp"])), "date": e["date"],
                      "note": e.get("note"), "at": local(e["at"]), "photo_ids": list(e.get("photo_ids") or []),
                      "correction_reason": e.get("correction_reason")} for e in progress],
        "disbursements": [{"id": d["id"], "amount": int(d["amount"]), "date": d["date"],
                           "reference": d["reference"], "at": local(d["at"])} for d in project.disbursements],
        "documents": [{"id": d["id"], "title": d["title"], "document_type": d["document_type"], "url": url(project.id, d["id"]),
                       "content_type": d["content_type"], "at": local(d["at"])} for d in project.documents],
        "photos": [{"id": p["id"], "url": url(project.id, p["id"]), "at": local(p["at"]),
                    "progress_id": next((e["id"] for e in progress if p["id"] in (e.get("photo_ids") or [])),
                                        None)} for p in project.photos],
        "created_at": local(project.created_at), "updated_at": local(project.updated_at),
    }


def package(region_id: str, query: contract.YearQuery, uri: str,
            url: Callable[[str, str], str]) -> contract.OcdsReleasePackage:
    """The release package of the region's projects (of one fiscal year with
    ``query.year``); its top level typed, each release as OCDS maps it."""
    from ...domain import ocds  # only this endpoint needs it: kept off the cold start of the others

    region = regions.get_region(region_id)
    records = []
    for project in store.of_region(region.region_id, query.year):
        records.append(public_record(project, region, url))
        if len(records) >= MAX_PROJECTS:
            break
    published = report_rules.now_utc().astimezone(region.tz).isoformat(timespec="seconds")
    meta = {"region_id": region.region_id, "name": region.name, "kemendagri_code": region.kemendagri_code,
            "ocid_prefix": region.ocid_prefix}
    built = ocds.release_package(meta, records, published, uri)
    return contract.OcdsReleasePackage(
        uri=built["uri"], version=built["version"], extensions=built["extensions"],
        publishedDate=built["publishedDate"], publisher=contract.OcdsPublisher(name=built["publisher"]["name"]),
        releases=built["releases"])
