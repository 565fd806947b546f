"""Public works projects (QlueWork): registration, progress, disbursements,
red flags, budget totals and the citizen audits that name a project.

AWS calls: registering is one transaction (the project and its six totals);
a progress report or a disbursement is a ``GetItem``, one transaction and a
``GetItem`` of the result (the page the caller gets back); ``GET /budget`` is
one ``Query`` of pre-computed totals.
"""
from __future__ import annotations

import dataclasses
import logging
import random
import time
import uuid
from datetime import date
from typing import Any, Callable, cast

import msgspec

from ..auth.identity import Identity
from ..contract import projects as contract
from ..contract.common import I18nText, text
from ..domain import i18n
from ..domain import projects as rules
from ..domain import reports as report_rules
from ..domain.errors import Conflict, Forbidden, InvalidInput, NotFound, Unprocessable
from ..domain.regions import RegionConfig
from ..store import projects as store
from ..store.models import ProjectModel, ReportModel
from . import regions

log = logging.getLogger(__name__)

ATTEMPTS = 4
AUDIT_OPEN = ("verified", "in_process")
INSPECTORATE = "inspektorat"


# --- reading --------------------------------------------------------------------

def check_id(project_id: str) -> None:
    if not (len(project_id) == 32 and all(c in "0123456789abcdef" for c in project_id)):
        raise NotFound("project_not_found", project_id=project_id[:64])


def load(project_id: str) -> ProjectModel:
    check_id(project_id)
    project = store.get(project_id)
    if project is None:
        raise NotFound("project_not_found", project_id=project_id)
    return project


def region_of(project: ProjectModel) -> RegionConfig:
    return regions.get_region(project.region_id)


def today(region: RegionConfig) -> date:
    return report_rules.now_utc().astimezone(region.tz).date()


def figures(project: ProjectModel, on: date) -> rules.Figures:
    return rules.Figures(
        value=int(project.value), disbursed=int(project.disbursed or 0), progress_bp=int(project.progress_bp or 0),
        start=date.fromisoformat(project.start_date), end=date.fromisoformat(project.end_date),
        last_report_on=date.fromisoformat(project.last_report_on) if project.last_report_on else None,
        audits_open=int(project.audits_open or 0), today=on)


def _state(fig: rules.Figures, flagged: bool) -> dict[str, int]:
    """What a project contributes to its budget totals."""
    return {"value": fig.value, "disbursed": fig.disbursed, "progress_bp": fig.progress_bp, "flagged": int(flagged)}


def _scopes(project: ProjectModel) -> list[str]:
    return rules.total_scopes(int(project.fiscal_year), project.agency, project.kecamatan_code)


# --- registering ------------------------------------------------------------------

def _may_manage(actor: Identity, region_id: str, agency: str) -> bool:
    if not actor.in_region(region_id):
        return False
    if actor.role in ("region_admin", "platform_admin"):
        return True
    return actor.role in ("officer", "agency_head") and actor.agency == agency


def register(region_id: str, body: contract.NewProject, actor: Identity,
             idempotency_key: str | None = None) -> tuple[ProjectModel, RegionConfig]:
    """Register a project and count it in its totals, in one transaction.
    With an ``Idempotency-Key`` the id is derived from it (per account), so a
    retried request finds its project instead of registering (and counting)
    it twice."""
    region = regions.get_region(region_id)
    key = report_rules.check_idempotency_key(idempotency_key)
    if actor.role not in ("region_admin", "platform_admin", "officer", "agency_head"):
        raise Forbidden("not_project_agency")
    if region.status == "expired":
        raise Forbidden("pilot_ended")
    draft = rules.check_new_project(body, set(region.agencies), set(region.kelurahan))
    if not _may_manage(actor, region.region_id, draft.agency):
        raise Forbidden("not_project_agency")
    lon, lat = rules.representative_point(draft.location)
    area = regions.area_index(region).locate(lon, lat)
    kelurahan_code = area.kelurahan_code if area else draft.kelurahan_code
    place = region.kelurahan.get(kelurahan_code or "")
    now = report_rules.iso_utc(report_rules.now_utc())
    project_id = (uuid.uuid5(uuid.NAMESPACE_URL, f"aduan:project:{region.region_id}:{actor.sub}:{key}").hex
                  if key else uuid.uuid4().hex)
    kecamatan_code = place[1] if place else None
    project = ProjectModel(
        id=project_id, region_id=region.region_id, sort_key=f"{draft.fiscal_year}#{now}",
        agency_key=f"{region.region_id}#{draft.agency}",
        kecamatan_key=f"{region.region_id}#{kecamatan_code or 'none'}",
        contractor_key=f"{region.region_id}#{draft.contractor_npwp}",
        title=draft.title, description=draft.description, agency=draft.agency, fiscal_year=draft.fiscal_year,
        funding_source=draft.funding_source, location=draft.location, lon=round(lon, 7), lat=round(lat, 7),
        kelurahan_code=kelurahan_code if place else None, kelurahan=place[0] if place else None,
        kecamatan_code=kecamatan_code, kecamatan=place[2] if place else None, out_of_area=area is None,
        value=draft.value, disbursed=0, progress_bp=0, contractor_name=draft.contractor_name,
        contractor_npwp=draft.contractor_npwp, contract_number=draft.contract_number,
        start_date=draft.start_date.isoformat(), end_date=draft.end_date.isoformat(),
        created_by=actor.sub, created_at=now, updated_at=now, version=1,
        history=[_history("registered", actor, now, value=draft.value)],
    )
    fig = figures(project, today(region))
    flags = rules.red_flags(fig, region.project_rules)
    project.flags = [f.code for f in flags]
    project.fingerprint = rules.fingerprint(msgspec.to_builtins(body))
    for _ in range(ATTEMPTS):
        try:
            store.insert(project, _scopes(project), rules.totals_delta(None, _state(fig, bool(flags))))
            return project, region
        except store.Busy:
            _back_off()
        except store.ConditionFailed:
            existing = store.get(project_id)
            if existing is None or existing.fingerprint != project.fingerprint:
                raise Unprocessable("idempotency_key_reused") from None
            return existing, region
    raise Conflict("project_busy")


def _back_off() -> None:
    """A short random pause before retrying a transaction DynamoDB
    cancelled for a conflict with another one."""
    time.sleep(random.uniform(0.02, 0.1))  # noqa: S311 - jitter, not a secret


def _history(action: str, actor: Identity | None, at: str, **detail: Any) -> dict[str, Any]:
    return {"action": action, "actor": actor.sub if actor else "system", "actor_role": actor.role if actor else "system",
            "at": at, "detail": detail}


# --- changes ----------------------------------------------------------------------

def _change(project_id: str, decide: Callable[[ProjectModel, RegionConfig, date], tuple[list[Any], dict[str, Any], Any]],
            report: Callable[[ProjectModel], tuple[ReportModel, list[Any], Any] | None] | None = None,
            reload: bool = True) -> tuple[ProjectModel, RegionConfig]:
    """Read, decide, write under the version read; on a concurrent change,
    read again and decide again (the decision may now be a refusal).  With
    ``reload`` the project is read back for the caller's reply; workers,
    which reply to nobody, skip that read and get the project as it was.

    ``decide`` returns the update actions, the figures that change (fields
    of ``domain.projects.Figures``) and an extra condition; the red flags
    and the totals' deltas follow from the figures before and after."""
    for _ in range(ATTEMPTS):
        project = load(project_id)
        region = regions.get_region(project.region_id)
        on = today(region)
        try:
            actions, after, condition = decide(project, region, on)
        except Replayed:
            return project, region
        before = figures(project, on)
        new = dataclasses.replace(before, **after)
        flags = rules.red_flags(new, region.project_rules)
        actions += [ProjectModel.flags.set([f.code for f in flags]),
                    ProjectModel.updated_at.set(report_rules.iso_utc(report_rules.now_utc()))]
        delta = rules.totals_delta(_state(before, bool(project.flags)), _state(new, bool(flags)))
        try:
            store.change(project, actions, _scopes(project), delta, condition,
                         report(project) if report else None)
        except store.ConditionFailed:
            continue
        except store.Busy:
            _back_off()
            continue
        return (load(project_id) if reload else project), region
    raise Conflict("project_busy")


class Replayed(Exception):
    """The request was already applied (same Idempotency-Key)."""


def _entry_id(project_id: str, actor: Identity, idempotency_key: str | None) -> str:
    """A progress report's or disbursement's id: derived from the
    ``Idempotency-Key`` (per account), so a retry over a flaky connection is
    recognised and answered with the project as it is, not applied twice."""
    key = report_rules.check_idempotency_key(idempotency_key)
    if key is None:
        return uuid.uuid4().hex
    return uuid.uuid5(uuid.NAMESPACE_URL, f"aduan:project-entry:{project_id}:{actor.sub}:{key}").hex


def report_progress(project_id: str, body: contract.ProgressRequest, actor: Identity,
                    idempotency_key: str | None = None) -> tuple[ProjectModel, RegionConfig]:
    """The project's contractor reports physical progress with photos; a
    region admin may correct it (down too) with a reason."""
    entry_id = _entry_id(project_id, actor, idempotency_key)

    def decide(project: ProjectModel, region: RegionConfig, on: date) -> tuple[list[Any], dict[str, Any], Any]:
        admin = actor.role in ("region_admin", "platform_admin") and actor.in_region(project.region_id)
        if not admin and (actor.role != "contractor" or not actor.in_region(project.region_id)
                          or actor.contractor != project.contractor_npwp):
            raise Forbidden("not_project_contractor")
        if any(e["id"] == entry_id for e in project.progress):
            raise Replayed()
        last_on = date.fromisoformat(project.last_report_on) if project.last_report_on else None
        progress = rules.check_progress(body, on, date.fromisoformat(project.start_date), last_on,
                                        int(project.progress_bp or 0), may_correct=admin)
        accepted = {p["id"] for p in project.photos}
        used = {pid for entry in project.progress for pid in entry.get("photo_ids") or []}
        for photo_id in progress.photo_ids:
            if photo_id not in accepted or photo_id in used:
                raise Conflict("photo_not_ready", photo_id=photo_id)
        now = report_rules.iso_utc(report_rules.now_utc())
        entry = {"id": entry_id, "percent_bp": progress.percent_bp, "date": progress.on.isoformat(),
                 "note": progress.note, "photo_ids": list(progress.photo_ids),
                 "correction_reason": progress.correction_reason, "actor": actor.sub, "actor_role": actor.role,
                 "at": now}
        history = _history("correction" if progress.correction_reason else "progress", actor, now,
                           percent=rules.percent(progress.percent_bp),
                           previous=rules.percent(int(project.progress_bp or 0)), date=progress.on.isoformat(),
                           reason=progress.correction_reason)
        last_report_on = max(progress.on, last_on) if last_on else progress.on
        actions = [ProjectModel.progress_bp.set(progress.percent_bp),
                   ProjectModel.last_report_on.set(last_report_on.isoformat()),
                   ProjectModel.progress.set(ProjectModel.progress.append([entry])),
                   ProjectModel.history.set(ProjectModel.history.append([history]))]
        return actions, {"progress_bp": progress.percent_bp, "last_report_on": last_report_on}, None

    return _change(project_id, decide)


def record_disbursement(project_id: str, body: contract.DisbursementRequest, actor: Identity,
                        idempotency_key: str | None = None) -> tuple[ProjectModel, RegionConfig]:
    """The finance officer records a payment (termin).  The sum can never
    exceed the contract value: the write is conditional on the disbursed
    total still leaving room for this amount."""
    entry_id = _entry_id(project_id, actor, idempotency_key)

    def decide(project: ProjectModel, region: RegionConfig, on: date) -> tuple[list[Any], dict[str, Any], Any]:
        if actor.role != "finance" or not actor.in_region(project.region_id):
            raise Forbidden("forbidden")
        if any(d["id"] == entry_id for d in project.disbursements):
            raise Replayed()
        disbursement = rules.check_disbursement(body, on, int(project.value), int(project.disbursed or 0))
        if any(d["reference"].casefold() == disbursement.reference.casefold() for d in project.disbursements):
            raise Conflict("duplicate_reference", reference=disbursement.reference)
        now = report_rules.iso_utc(report_rules.now_utc())
        entry = {"id": entry_id, "amount": disbursement.amount, "date": disbursement.on.isoformat(),
                 "reference": disbursement.reference, "actor": actor.sub, "at": now}
        history = _history("disbursement", actor, now, amount=disbursement.amount,
                           reference=disbursement.reference, date=disbursement.on.isoformat())
        actions = [ProjectModel.disbursed.add(disbursement.amount),
                   ProjectModel.disbursements.set(ProjectModel.disbursements.append([entry])),
                   ProjectModel.history.set(ProjectModel.history.append([history]))]
        room = ProjectModel.disbursed <= int(project.value) - disbursement.amount
        return actions, {"disbursed": int(project.disbursed or 0) + disbursement.amount}, room

    return _change(project_id, decide)


# --- citizen audits -----------------------------------------------------------------

def audit_target(region: RegionConfig, project_id: str) -> ProjectModel:
    """The project a citizen's audit report names: of the same region."""
    try:
        project = load(project_id)
    except NotFound:
        raise InvalidInput("project_not_found", project_id=project_id[:64]) from None
    if project.region_id != region.region_id:
        raise InvalidInput("project_not_in_region", project_id=project_id)
    return project


def watchers(region: RegionConfig) -> list[str]:
    """Who follows every audit report besides the project's agency."""
    return [INSPECTORATE] if INSPECTORATE in region.agencies else []


def audit_state(status: str) -> str | None:
    if status in AUDIT_OPEN:
        return "open"
    if status == "done":
        return "done"
    return None


def sync_audit(report: ReportModel) -> str:
    """Count an audit report on its project as open (verified, in process)
    or done; once per state change, in one transaction with the report's
    marker, so a redelivered event counts nothing twice."""
    wanted = audit_state(report.status)
    counted = report.audit_state
    if wanted == counted or not report.project_id:
        return "unchanged"
    opened = (wanted == "open") - (counted == "open")
    done = (wanted == "done") - (counted == "done")

    def decide(project: ProjectModel, region: RegionConfig, on: date) -> tuple[list[Any], dict[str, Any], Any]:
        actions = []
        if opened:
            actions.append(ProjectModel.audits_open.add(opened))
        if done:
            actions.append(ProjectModel.audits_done.add(done))
        return actions, {"audits_open": int(project.audits_open or 0) + opened}, None

    def mark(project: ProjectModel) -> tuple[ReportModel, list[Any], Any]:
        marker = ReportModel.audit_state
        condition = marker.does_not_exist() if counted is None else marker == counted
        return report, [marker.remove() if wanted is None else marker.set(wanted)], condition

    _change(report.project_id, decide, mark, reload=False)
    return f"{counted}->{wanted}"


# --- the flag sweep -----------------------------------------------------------------

def refresh_flags(region: RegionConfig) -> int:
    """Re-evaluate the time-dependent flags (behind schedule, no recent
    progress) of a region's projects, so that the flagged counts of the
    budget totals follow the calendar.  Writes only the projects whose flags
    changed; returns how many."""
    on = today(region)
    changed = 0
    for project in store.of_region(region.region_id):
        flags = [f.code for f in rules.red_flags(figures(project, on), region.project_rules)]
        if flags == list(project.flags):
            continue
        try:
            _change(project.id, lambda p, r, d: ([], {}, None), reload=False)
            changed += 1
        except Conflict:
            log.warning("project %s changed during the flag sweep; the next sweep will see it", project.id)
    return changed


def refresh_all_flags() -> int:
    from ..store import regions as region_store

    total = 0
    for status in ("trial", "active"):
        for record in region_store.by_status(status):
            total += refresh_flags(regions.get_region(record["region_id"]))
    return total


# --- listing and totals ---------------------------------------------------------------

GEOJSON = "application/geo+json"


def list_format(query: contract.ProjectsQuery, accept: str | None) -> str:
    """``?format=geojson`` or ``Accept: application/geo+json`` for maps."""
    if query.format is not None:
        return query.format
    return "geojson" if GEOJSON in (accept or "") else "json"


def list_projects(region_id: str, query: contract.ProjectsQuery) -> tuple[list[ProjectModel], str | None, RegionConfig]:
    """One Query: on the agency, kecamatan or contractor index when that
    filter is given, else on the region's; ``year`` narrows the range key;
    ``status`` and ``red_flag`` are evaluated as of today (a page may then
    hold fewer than ``limit`` items; follow ``next_cursor``)."""
    region = regions.get_region(region_id)
    if query.agency:
        index, key = ProjectModel.by_agency, f"{region.region_id}#{query.agency}"
    elif query.kecamatan:
        index, key = ProjectModel.by_kecamatan, f"{region.region_id}#{query.kecamatan}"
    elif query.contractor:
        index, key = ProjectModel.by_contractor, f"{region.region_id}#{rules.npwp(query.contractor)}"
    else:
        index, key = ProjectModel.by_region, region.region_id
    condition = ProjectModel.sort_key.startswith(f"{query.year}#") if query.year is not None else None
    try:
        items, cursor = store.page(index, key, query.limit, query.cursor, newest_first=True,
                                   range_condition=condition)
    except store.BadCursor:
        raise InvalidInput("invalid_cursor") from None
    if query.agency and query.kecamatan:
        items = [p for p in items if p.kecamatan_code == query.kecamatan]
    status, flag = query.status, query.red_flag
    if status or flag:
        on = today(region)
        kept = []
        for project in items:
            fig = figures(project, on)
            codes = {f.code for f in rules.red_flags(fig, region.project_rules)}
            if status and fig.status != status:
                continue
            if flag == "any" and not codes or flag == "none" and codes or flag in rules.FLAG_CODES and flag not in codes:
                continue
            kept.append(project)
        items = kept
    return items, cursor, region


def budget(region_id: str, query: contract.YearQuery) -> contract.Budget:
    """Totals per region, agency and kecamatan from the pre-computed items:
    one Query, whatever the number of projects."""
    region = regions.get_region(region_id)
    year = query.year
    prefix = f"{year if year is not None else 'all'}#"
    region_total = _totals(contract.Totals, {})
    agencies, kecamatan = [], []
    kecamatan_names = {code: name for _, code, name in region.kelurahan.values()}
    for item in store.totals(region.region_id, prefix):
        raw = {name: int(getattr(item, name) or 0) for name in rules.TOTAL_FIELDS}
        if raw["projects"] == 0:
            continue
        scope = item.scope[len(prefix):]
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
                           flags_as_of=today(region).isoformat())


def _totals(model: Any, raw: dict[str, int], **extra: Any) -> Any:
    return model(**rules.total_view(raw), **extra)


# --- views --------------------------------------------------------------------------------

def audit_reports(project: ProjectModel) -> list[ReportModel]:
    """The verified citizen audits of a project (one Query, skipped when
    the project's counters say there are none)."""
    if not int(project.audits_open or 0) + int(project.audits_done or 0):
        return []
    return store.audit_reports(project.id)


def _flag_view(flag: rules.Flag) -> contract.RedFlag:
    return contract.RedFlag(code=cast(contract.FlagCode, flag.code), rule=text(i18n.both(f"flag_{flag.code}", **flag.params)),
                            values=dict(flag.params))


_LOCATIONS = {"Point": contract.PointLocation, "LineString": contract.LineStringLocation,
              "Polygon": contract.PolygonLocation}


def location_view(stored: dict[str, Any]) -> Any:
    """The stored GeoJSON geometry as its reply model."""
    return _LOCATIONS[stored["type"]](coordinates=stored["coordinates"])


def _summary_fields(project: ProjectModel, region: RegionConfig, on: date) -> dict[str, Any]:
    fig = figures(project, on)
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


def summary(project: ProjectModel, region: RegionConfig, on: date | None = None) -> contract.ProjectSummary:
    return contract.ProjectSummary(**_summary_fields(project, region, on or today(region)))


def project_view(project: ProjectModel, region: RegionConfig, url: Callable[[str], str],
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
        **_summary_fields(project, region, today(region)),
        description=project.description,
        location=location_view(project.location),
        point=contract.ProjectPoint(lon=float(project.lon), lat=float(project.lat)),
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


def file_key(project_id: str, file_id: str) -> str:
    """The S3 key of one of a project's photos or documents (public)."""
    project = load(project_id)
    for item in list(project.photos) + list(project.documents):
        if item["id"] == file_id:
            return item["key"]
    raise NotFound("file_not_found", file_id=file_id[:64])


def feature(project: ProjectModel, region: RegionConfig, on: date) -> contract.ProjectFeature:
    return contract.ProjectFeature(id=project.id, geometry=location_view(project.location),
                                   properties=summary(project, region, on))
