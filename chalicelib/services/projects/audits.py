"""Citizen reports that audit a project: the project they name, who follows
them, and their count on the project (open while verified or in process,
then done), moved once per state change."""
from __future__ import annotations

from ...domain import projects as rules
from ...domain.errors import InvalidInput, NotFound
from ...domain.regions import RegionConfig
from ...store.models import ProjectModel, ReportModel
from . import commands
from .clock import stamp, today
from .queries import load


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
    return rules.watchers(region.agencies)


def sync_audit(report: ReportModel) -> str:
    """Count an audit report on its project as its status now says, in one
    transaction with the report's marker, so a redelivered event counts
    nothing twice."""
    wanted, counted = rules.audit_state(report.status), report.audit_state
    if wanted == counted or not report.project_id:
        return "unchanged"
    commands.change(report.project_id, lambda project, region: rules.plan_audit(
        project, report.id, counted, wanted, region, today(region), stamp()))
    return f"{counted}->{wanted}"
