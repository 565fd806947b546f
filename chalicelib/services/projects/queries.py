"""Reading projects: one project, a page of a region's projects, the
region's budget totals and a project's citizen audits.

AWS calls: a project is one ``GetItem``; a page one ``Query`` on the index
its filter names; the budget one ``Query`` of pre-computed totals, whatever
the number of projects.
"""
from __future__ import annotations

from ...contract import projects as contract
from ...domain import projects as rules
from ...domain.errors import InvalidInput, NotFound
from ...domain.regions import RegionConfig
from ...store import projects as store
from ...store.models import ProjectModel, ReportModel
from .. import regions
from . import views
from .clock import today


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


def list_projects(region_id: str, query: contract.ProjectsQuery) -> tuple[list[ProjectModel], str | None, RegionConfig]:
    """One Query: on the agency, kecamatan or contractor index (the first
    named), the others narrowing it, else on the region's; ``year`` narrows
    the range key; ``status`` and ``red_flag`` are evaluated as of today (a
    page may then hold fewer than ``limit`` items; follow ``next_cursor``)."""
    region = regions.get_region(region_id)
    contractor = rules.npwp(query.contractor) if query.contractor else None
    if contractor is not None and rules.public_npwp(contractor) is None:
        # a person's NIK: answered exactly as a contractor with no projects,
        # so that a filter cannot confirm whose projects these are
        if query.cursor:
            raise InvalidInput("invalid_cursor")
        return [], None, region
    try:
        items, cursor = store.page_of(
            region.region_id, query.limit, query.cursor, agency=query.agency, kecamatan=query.kecamatan,
            contractor_npwp=contractor, year=query.year)
    except store.BadCursor:
        raise InvalidInput("invalid_cursor") from None
    if query.status or query.red_flag:
        on = today(region)
        items = [p for p in items
                 if rules.listed(rules.figures_of(p, on), region.project_rules, query.status, query.red_flag)]
    return items, cursor, region


def budget(region_id: str, query: contract.YearQuery) -> contract.Budget:
    """Totals per region, agency and kecamatan from the pre-computed items:
    one Query, whatever the number of projects."""
    region = regions.get_region(region_id)
    return views.budget_view(region, query.year, store.totals(region.region_id, query.year), today(region))


def audit_reports(project: ProjectModel) -> list[ReportModel]:
    """The verified citizen audits of a project (one Query, skipped when
    the project's counters say there are none)."""
    if not int(project.audits_open or 0) + int(project.audits_done or 0):
        return []
    return store.audit_reports(project.id)
