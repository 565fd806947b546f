"""Reads and writes of public works projects and their budget totals.

Every change of a project is one ``TransactWriteItems``: the project item,
conditional on the version that was read (optimistic locking) plus whatever
condition the change needs (``disbursed`` below the remaining value), and
``ADD`` of the change's deltas to each pre-computed total it counts in.
Either all of it lands or none does, so the totals never drift from the
projects they sum.
"""
from __future__ import annotations

from typing import Any, Iterator

from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.expressions.condition import size
from pynamodb.transactions import TransactWrite

from .models import BudgetTotalModel, ContractorModel, ProjectModel, ReportModel, _Meta
from .reports import BadCursor, ConditionFailed, condition_failed, page  # noqa: F401 - BadCursor and page are part of this module's API


class Busy(Exception):
    """DynamoDB cancelled the transaction because another one was touching
    the same items (``TransactionConflict``: two changes of projects that
    share a budget total at the same moment); safe to retry."""


def _failure(error: TransactWriteError, key: str) -> Exception:
    if condition_failed(error):
        return ConditionFailed(key)
    reasons = getattr(error, "cancellation_reasons", None) or []
    if any(r is not None and r.code == "TransactionConflict" for r in reasons):
        return Busy(key)
    return error


def get(project_id: str) -> ProjectModel | None:
    try:
        return ProjectModel.get(project_id, consistent_read=True)
    except DoesNotExist:
        return None


def _add_totals(transaction: TransactWrite, region_id: str, scopes: list[str], delta: dict[str, int]) -> None:
    if not delta:
        return
    for scope in scopes:
        transaction.update(BudgetTotalModel(region_id=region_id, scope=scope),
                           actions=[getattr(BudgetTotalModel, name).add(amount) for name, amount in delta.items()])


def insert(project: ProjectModel, scopes: list[str], delta: dict[str, int]) -> None:
    try:
        with TransactWrite(connection=Connection(region=_Meta.region)) as transaction:
            transaction.save(project, condition=ProjectModel.id.does_not_exist())
            _add_totals(transaction, project.region_id, scopes, delta)
    except TransactWriteError as error:
        raise _failure(error, project.id) from error


def change(project: ProjectModel, actions: list[Any], scopes: list[str], delta: dict[str, int],
           condition: Any = None, report: tuple[ReportModel, list[Any], Any] | None = None) -> None:
    """Apply ``actions`` to the project as it was read (same ``version``),
    add ``delta`` to its totals, and optionally update a report in the same
    transaction (``(report, actions, condition)``).  ``ConditionFailed`` if
    anything changed meanwhile or ``condition`` does not hold."""
    guard = ProjectModel.version == project.version
    if condition is not None:
        guard = guard & condition
    actions = actions + [ProjectModel.version.set(ProjectModel.version + 1)]
    try:
        with TransactWrite(connection=Connection(region=_Meta.region)) as transaction:
            transaction.update(ProjectModel(id=project.id), actions=actions, condition=guard)
            _add_totals(transaction, project.region_id, scopes, delta)
            if report is not None:
                item, report_actions, report_condition = report
                transaction.update(ReportModel(id=item.id), actions=report_actions, condition=report_condition)
    except TransactWriteError as error:
        raise _failure(error, project.id) from error


def note_upload(project_id: str, upload: dict[str, Any], limit: int) -> None:
    """Reserve an upload slot (``ConditionFailed`` when the project is
    missing or its uploads are at ``limit``)."""
    try:
        ProjectModel(id=project_id).update(
            actions=[ProjectModel.uploads.set(ProjectModel.uploads.append([upload]))],
            condition=ProjectModel.id.exists() & (size(ProjectModel.uploads) < limit),
        )
    except UpdateError as error:
        if condition_failed(error):
            raise ConditionFailed(project_id) from error
        raise


def add_upload_outcome(project_id: str, upload_id: str, target: str | None, record: dict[str, Any], at: str,
                       history: dict[str, Any]) -> bool:
    """Record what the worker decided about one upload, once, with its
    history entry: ``target`` is ``photos``, ``documents`` or None
    (refused).  False if already recorded."""
    attribute = {"photos": ProjectModel.photos, "documents": ProjectModel.documents,
                 None: ProjectModel.rejected_uploads}[target]
    try:
        ProjectModel(id=project_id).update(
            actions=[attribute.set(attribute.append([record])),
                     ProjectModel.handled.set(ProjectModel.handled.append([upload_id])),
                     ProjectModel.history.set(ProjectModel.history.append([history])),
                     ProjectModel.updated_at.set(at)],
            condition=ProjectModel.id.exists() & ~ProjectModel.handled.contains(upload_id),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def of_region(region_id: str, year: str | None = None) -> Iterator[ProjectModel]:
    """Every project of a region, or of one fiscal year: a paged Query."""
    condition = ProjectModel.sort_key.startswith(f"{year}#") if year else None
    yield from ProjectModel.by_region.query(region_id, condition)


def totals(region_id: str, prefix: str) -> list[BudgetTotalModel]:
    """Every pre-computed total of a region for ``<year|all>#``: one Query."""
    return list(BudgetTotalModel.query(region_id, BudgetTotalModel.scope.startswith(prefix)))


def audit_reports(project_id: str, limit: int = 50) -> list[ReportModel]:
    return list(ReportModel.by_project.query(project_id, limit=limit, scan_index_forward=False))


def claim_contractor(region_id: str, npwp: str, name: str, username: str, by: str, at: str) -> bool:
    """Register the one account of a contractor in a region; False if that
    NPWP already has one there."""
    try:
        ContractorModel(region_id=region_id, npwp=npwp, name=name, username=username, created_by=by,
                        created_at=at).save(condition=ContractorModel.npwp.does_not_exist())
    except PutError as error:
        if getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException":
            return False
        raise
    return True


def release_contractor(region_id: str, npwp: str) -> None:
    """Undo a claim whose account could not be created."""
    ContractorModel(region_id=region_id, npwp=npwp).delete()
