"""The reply models of public works projects, built from the project as
read (or as a change left it), the region and the day the figures are
judged on.  No AWS: a file link is made by the ``url`` the caller passes."""
from __future__ import annotations

from datetime import date
from typing import Any, Callable, cast

from ...contract import projects as contract
from ...contract.common import GEOJSON, I18nText, text
from ...domain import i18n
from ...domain import projects as rules
from ...domain import reports as report_rules
from ...domain.regions import RegionConfig
from ...store.models import ProjectModel, ReportModel


def list_format(query: contract.ProjectsQuery, accept: str | None) -> str:
    """``?format=geojson`` or ``Accept: application/geo+json`` for maps."""
    if query.format is not None:
        return query.format
    return "geojson" if GEOJSON in (accept or "") else "json"


def _flag_view(flag: rules.Flag) -> contract.RedFlag:
    return contract.RedFlag(code=cast(contract.FlagCode, flag.code), rule=text(i18n.both(f"flag_{flag.code}", **flag.params)),
                            values=dict(flag.params))


_LOCATIONS = {"Point": contract.PointLocation, "LineString": contract.LineStringLocation,
              "Polygon": contract.PolygonLocation}


def location_view(stored: dict[str, Any]) -> Any:
    """The stored GeoJSON geometry as its reply model."""
    return _LOCATIONS[stored["type"]](coordinates=stored["coordinates"])


def _summary_fields(project: ProjectModel, region: RegionConfig, on: date) -> dict[str, Any]:
    fig = rules.figures_of(project, on)
    name_id, name_en = region.agency_names(project.agency)
    return dict(
        id=project.id,
        region_id=project.region_id,
        title=project.title,
        agency=project.agency,
        agency_name=I18nText(id=name_id, en=name_en),
        fiscal_year=int(project.fiscal_year),
        funding_source=project.funding_source,
        funding_source_name=text(rules.FUNDING_SOURCES[project.funding_source]),
        kelurahan_code=project.kelurahan_code,
        kelurahan=project.kelurahan,
        kecamatan_code=project.kecamatan_code,
        kecamatan=project.kecamatan,
        out_of_area=bool(project.out_of_area),
        point=contract.ProjectPoint(lon=float(project.lon), lat=float(project.lat)),
        value=int(project.value),
        disbursed=int(project.disbursed or 0),
        currency="IDR",
        contractor=contract.Contractor(name=project.contractor_name, npwp=rules.public_npwp(project.contractor_npwp)),
        contract_number=project.contract_number,
        start_date=project.start_date,
        end_date=project.end_date,
        status=fig.status,
        status_label=text(rules.STATUS_LABELS[fig.status]),
        physical_progress=fig.physical,
        financial_progress=fig.financial,
        time_elapsed=fig.time_elapsed,
        last_progress_report=project.last_report_on,
        red_flags=[_flag_view(f) for f in rules.red_flags(fig, region.project_rules)],
        audits=contract.AuditCounts(open=int(project.audits_open or 0), done=int(project.audits_done or 0)),
        updated_at=report_rules.local_iso(project.updated_at, region),
    )


def summary(project: ProjectModel, region: RegionConfig, on: date) -> contract.ProjectSummary:
    return contract.ProjectSummary(**_summary_fields(project, region, on))


def feature(project: ProjectModel, region: RegionConfig, on: date) -> contract.ProjectFeature:
    return contract.ProjectFeature(id=project.id, geometry=location_view(project.location),
                                   properties=summary(project, region, on))


def project_view(project: ProjectModel, region: RegionConfig, on: date, url: Callable[[str], str],
                 audits: list[ReportModel] | None = None) -> contract.Project:
    """The project page: figures, red flags with their rules, history,
    progress with its photos, disbursements, documents and the citizen
    audit reports (without who reported them)."""
    local = lambda value: report_rules.local_iso(value, region)  # noqa: E731
    used = {pid: entry["id"] for entry in project.progress for pid in entry.get("photo_ids") or []}
    photos = {
        p["id"]: contract.ProjectPhoto(
            id=p["id"], url=url(p["key"]), thumbnail_url=url(p["thumb_key"]), content_type=p["content_type"],
            width=int(p["width"]), height=int(p["height"]), progress_id=used.get(p["id"]), at=local(p["at"]))
        for p in project.photos
    }
    return contract.Project(
        **_summary_fields(project, region, on),
        description=project.description,
        location=location_view(project.location),
        progress=[
            contract.ProgressEntry(
                id=e["id"], percent=rules.percent(int(e["percent_bp"])), date=e["date"], note=e.get("note"),
                correction_reason=e.get("correction_reason"), actor_role=e["actor_role"], at=local(e["at"]),
                photos=[photos[pid] for pid in e.get("photo_ids") or [] if pid in photos])
            for e in project.progress
        ],
        disbursements=[
            contract.Disbursement(id=d["id"], amount=int(d["amount"]), date=d["date"], reference=d["reference"],
                                  at=local(d["at"]))
            for d in project.disbursements
        ],
        photos=list(photos.values()),
        documents=[
            contract.ProjectDocument(id=d["id"], title=d["title"], document_type=d["document_type"], url=url(d["key"]),
                                     content_type=d["content_type"], bytes=int(d["bytes"]), at=local(d["at"]))
            for d in project.documents
        ],
        rejected_uploads=[
            contract.RejectedUpload(id=r["id"], reason_code=r["reason_code"], reason=text(r["reason"]),
                                    at=local(r["at"]))
            for r in project.rejected_uploads
        ],
        progress_earlier=int(project.progress_earlier or 0),
        history_earlier=int(project.history_earlier or 0),
        history=[
            contract.ProjectHistoryEntry(action=h["action"], actor_role=h["actor_role"], at=local(h["at"]),
                                         detail=dict(h["detail"]))
            for h in project.history
        ],
        audit_reports=[
            contract.AuditReport(id=r.id, status=cast(Any, r.status), status_label=text(report_rules.STATUS_LABELS[r.status]),
                                 category=r.category, description=r.description[:280],
                                 created_at=local(r.created_at))
            for r in audits or [] if r.status not in ("waiting", "rejected", "duplicate")
        ],
        rules=contract.FlagRules(**region.project_rules.as_dict()),
        version=int(project.version),
    )


def budget_view(region: RegionConfig, year: int | None, totals: dict[str, dict[str, int]],
                on: date) -> contract.Budget:
    """The region's totals, per agency and per kecamatan (largest contract
    value first), from the pre-computed totals by scope."""
    region_total = _totals(contract.Totals, {})
    agencies, kecamatan = [], []
    kecamatan_names = {code: name for _, code, name in region.kelurahan.values()}
    for scope, raw in totals.items():
        if raw["projects"] == 0:
            continue
        if scope == "region":
            region_total = _totals(contract.Totals, raw)
        elif scope.startswith("agency#"):
            code = scope[len("agency#"):]
            name_id, name_en = region.agency_names(code)
            agencies.append(_totals(contract.AgencyTotals, raw, agency=code, name=I18nText(id=name_id, en=name_en)))
        elif scope.startswith("kecamatan#"):
            code = scope[len("kecamatan#"):]
            kecamatan.append(_totals(contract.KecamatanTotals, raw, kecamatan_code=None if code == "none" else code,
                                     kecamatan=kecamatan_names.get(code)))
    by_value = lambda entry: -entry.contract_value  # noqa: E731
    return contract.Budget(region_id=region.region_id, year=year, currency="IDR", totals=region_total,
                           agencies=sorted(agencies, key=by_value), kecamatan=sorted(kecamatan, key=by_value),
                           flags_as_of=on.isoformat())


def _totals(model: Any, raw: dict[str, int], **extra: Any) -> Any:
    return model(**rules.total_view(raw), **extra)
