"""Reads and writes of public works projects and their budget totals.

Every change of a project is one ``TransactWriteItems``: the project item,
conditional on the version that was read (optimistic locking) plus whatever
condition the change needs (``disbursed`` below the remaining value), and
``ADD`` of the change's deltas to each pre-computed total it counts in.
Either all of it lands or none does, so the totals never drift from the
projects they sum.  The changes are decided by ``chalicelib.domain.projects``
as data; every expression, key and index lives here.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator

from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.expressions.condition import size
from pynamodb.transactions import TransactWrite

from ..domain.projects import GROWING_LISTS, RECENT_ENTRIES, TOTAL_FIELDS, AuditMark, Change, EntryMark, Registration
from .models import BudgetTotalModel, ContractorModel, EntryModel, ProjectModel, ReportModel, shared_connection
from .reports import BadCursor, ConditionFailed, condition_failed, page  # noqa: F401 - BadCursor is part of this module's API


class EntryRecorded(Exception):
    """A progress report or disbursement with this id was recorded before
    (a retry with the same ``Idempotency-Key``): ``entry_marker`` has its
    fingerprint."""


class Busy(Exception):
    """DynamoDB cancelled the transaction because another one was touching
    the same items (``TransactionConflict``: two changes of projects that
    share a budget total at the same moment); safe to retry."""


def _failure(error: TransactWriteError, key: str, marker_at: int | None = None) -> Exception:
    reasons = getattr(error, "cancellation_reasons", None) or []
    if marker_at is not None and len(reasons) > marker_at and reasons[marker_at] is not None \
            and reasons[marker_at].code == "ConditionalCheckFailed":
        return EntryRecorded(key)
    if condition_failed(error):
        return ConditionFailed(key)
    if any(r is not None and r.code == "TransactionConflict" for r in reasons):
        return Busy(key)
    return error


def get(project_id: str) -> ProjectModel | None:
    try:
        return ProjectModel.get(project_id, consistent_read=True)
    except DoesNotExist:
        return None


def _add_totals(transaction: TransactWrite, region_id: str, scopes: Iterable[str], delta: dict[str, int]) -> None:
    if not delta:
        return
    for scope in scopes:
        transaction.update(BudgetTotalModel(region_id=region_id, scope=scope),
                           actions=[getattr(BudgetTotalModel, name).add(amount) for name, amount in delta.items()])


def _keys(fields: dict[str, Any]) -> dict[str, str]:
    """The index keys of a project (``chalicelib.resources.PROJECTS``): the
    region's, its agency's, its kecamatan's and its contractor's, each sorted
    by fiscal year then registration time."""
    region_id = fields["region_id"]
    return {"sort_key": f"{fields['fiscal_year']}#{fields['created_at']}",
            "agency_key": f"{region_id}#{fields['agency']}",
            "kecamatan_key": f"{region_id}#{fields.get('kecamatan_code') or 'none'}",
            "contractor_key": f"{region_id}#{fields['contractor_npwp']}"}


def insert(registration: Registration) -> ProjectModel:
    """Write a new project and count it in its totals, in one transaction;
    the project as stored.  ``ConditionFailed`` if that id exists (a retry
    with the same ``Idempotency-Key``), ``Busy`` on a conflict."""
    attributes: dict[str, Any] = {**registration.fields, **_keys(registration.fields)}
    project = ProjectModel(registration.project_id, **attributes)
    try:
        with TransactWrite(connection=shared_connection()) as transaction:
            transaction.save(project, condition=ProjectModel.id.does_not_exist())
            for position, entry in enumerate(registration.fields.get("history") or []):
                transaction.save(EntryModel(parent=project.id, seq=_seq("history", entry, 0, position), entry=entry))
            _add_totals(transaction, project.region_id, registration.scopes, registration.totals)
    except TransactWriteError as error:
        raise _failure(error, project.id) from error
    return project


def apply(project: ProjectModel, change: Change) -> ProjectModel:
    """Apply a change the domain decided (``chalicelib.domain.projects``) to
    the project it was decided on, as one ``TransactWriteItems``: the project
    on the condition that it is still at ``change.version`` (and that
    ``disbursed`` leaves room, for a disbursement), ``ADD`` of the deltas to
    each of its totals, and the audit marker of a citizen report.  Returns
    the project as it now is, built from what was read and what was written
    (no read back).  ``ConditionFailed`` if anything changed meanwhile,
    ``Busy`` on a conflict with another transaction: nothing was written."""
    condition = ProjectModel.version == change.version
    if change.disbursed_at_most is not None:
        condition &= ProjectModel.disbursed <= change.disbursed_at_most
    actions: list[Any] = [_set(name, value) for name, value in change.fields.items()]
    actions += [getattr(ProjectModel, name).add(amount) for name, amount in change.add.items()]
    lists = _lists(project, change)
    for name, items in change.append.items():
        attribute = getattr(ProjectModel, name)
        if name in lists:  # the recent entries, set whole (the write is conditional on the version read)
            actions += [attribute.set(lists[name][0]), getattr(ProjectModel, f"{name}_earlier").set(lists[name][1])]
        else:
            actions.append(attribute.set(attribute.append(items)))
    actions.append(ProjectModel.version.set(ProjectModel.version + 1))
    marker_at = None
    try:
        with TransactWrite(connection=shared_connection()) as transaction:
            transaction.update(ProjectModel(id=project.id), actions=actions, condition=condition)
            if change.entry is not None:
                # PynamoDB sends condition checks, deletes, puts, then updates:
                # this first put is the transaction's first item
                marker_at = 0
                _mark_entry(transaction, project.id, change.entry)
            for name in lists:
                for position, entry in enumerate(change.append[name]):
                    transaction.save(EntryModel(parent=project.id, seq=_seq(name, entry, change.version, position),
                                                entry=entry))
            _add_totals(transaction, project.region_id, change.scopes, change.totals)
            if change.audit is not None:
                _mark_audit(transaction, change.audit)
    except TransactWriteError as error:
        raise _failure(error, project.id, marker_at) from error
    return _applied(project, change, lists)


def _seq(name: str, entry: dict[str, Any], version: int, position: int) -> str:
    """An entry's place in its list: by time, then by the change that made it."""
    return f"{name}#{entry['at']}#{version:06d}#{position}"


def _lists(project: ProjectModel, change: Change) -> dict[str, tuple[list[Any], int]]:
    """For each growing list the change appends to: the entries the item
    keeps (the most recent) and how many are no longer on it."""
    lists = {}
    for name in GROWING_LISTS:
        if name in change.append:
            combined = list(getattr(project, name) or []) + change.append[name]
            kept = combined[-RECENT_ENTRIES:]
            lists[name] = (kept, int(getattr(project, f"{name}_earlier") or 0) + len(combined) - len(kept))
    return lists


def _mark_entry(transaction: TransactWrite, project_id: str, mark: EntryMark) -> None:
    transaction.save(EntryModel(parent=project_id, seq=f"id#{mark.entry_id}",
                                entry={"kind": mark.kind, "fingerprint": mark.fingerprint}),
                     condition=EntryModel.seq.does_not_exist())


def entry_marker(project_id: str, entry_id: str) -> dict[str, Any] | None:
    """The record of a progress report's or disbursement's id (its kind and
    request fingerprint), if that id was used."""
    try:
        return EntryModel.get(project_id, f"id#{entry_id}", consistent_read=True).entry.as_dict()
    except DoesNotExist:
        return None


def whole_list(project: ProjectModel, name: str) -> list[dict[str, Any]]:
    """Every entry of a growing list (``progress``, ``history``), oldest
    first: the item's when it holds them all, else one Query (paged)."""
    if not int(getattr(project, f"{name}_earlier") or 0):
        return [dict(entry) for entry in getattr(project, name) or []]
    return [item.entry.as_dict() for item in EntryModel.query(project.id, EntryModel.seq.startswith(f"{name}#"))]


def _set(name: str, value: Any) -> Any:
    attribute = getattr(ProjectModel, name)
    return attribute.remove() if value is None else attribute.set(value)


def _mark_audit(transaction: TransactWrite, mark: AuditMark) -> None:
    marker = ReportModel.audit_state
    transaction.update(ReportModel(id=mark.report_id),
                       actions=[marker.remove() if mark.to is None else marker.set(mark.to)],
                       condition=marker.does_not_exist() if mark.counted is None else marker == mark.counted)


def _applied(project: ProjectModel, change: Change, lists: dict[str, tuple[list[Any], int]]) -> ProjectModel:
    """What the write made of the project: since it was conditional on the
    version read, exactly the item read with the change applied."""
    now = ProjectModel.from_raw_data(project.serialize(null_check=False))
    for name, value in change.fields.items():
        setattr(now, name, value)
    for name, amount in change.add.items():
        setattr(now, name, int(getattr(now, name) or 0) + amount)
    for name, items in change.append.items():
        setattr(now, name, list(getattr(now, name) or []) + items)
    for name, (kept, earlier) in lists.items():
        setattr(now, name, kept)
        setattr(now, f"{name}_earlier", earlier)
    now.version = int(project.version) + 1
    return now


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
        # the history entry joins the item's recent ones (bounded: one per
        # upload, UPLOADS_PER_PROJECT) and the entries table, like every other
        with TransactWrite(connection=shared_connection()) as transaction:
            transaction.update(ProjectModel(id=project_id), actions=[
                attribute.set(attribute.append([record])),
                ProjectModel.handled.set(ProjectModel.handled.append([upload_id])),
                ProjectModel.history.set(ProjectModel.history.append([history])),
                ProjectModel.updated_at.set(at)],
                condition=ProjectModel.id.exists() & ~ProjectModel.handled.contains(upload_id))
            transaction.save(EntryModel(parent=project_id, seq=f"history#{history['at']}#upload#{upload_id}",
                                        entry=history))
    except TransactWriteError as error:
        if condition_failed(error):
            return False
        raise
    return True


def of_region(region_id: str, year: int | None = None) -> Iterator[ProjectModel]:
    """Every project of a region, or of one fiscal year: a paged Query."""
    yield from ProjectModel.by_region.query(region_id, _of_year(year))


def _of_year(year: int | None) -> Any:
    return ProjectModel.sort_key.startswith(f"{year}#") if year is not None else None


def page_of(region_id: str, limit: int, cursor: str | None, *, agency: str | None = None,
            kecamatan: str | None = None, contractor_npwp: str | None = None,
            year: int | None = None) -> tuple[list[ProjectModel], str | None]:
    """One page of a region's projects, newest fiscal year first: one Query
    on the agency's, the kecamatan's or the contractor's index when one is
    named (in that order), else on the region's; ``year`` narrows the range
    key.  ``BadCursor`` for a cursor this Query did not hand out."""
    filters = [(ProjectModel.by_agency, ProjectModel.agency_key, agency),
               (ProjectModel.by_kecamatan, ProjectModel.kecamatan_key, kecamatan),
               (ProjectModel.by_contractor, ProjectModel.contractor_key, contractor_npwp)]
    named = [(index, attribute, f"{region_id}#{value}") for index, attribute, value in filters if value]
    if not named:
        return page(ProjectModel.by_region, region_id, limit, cursor, newest_first=True,
                    range_condition=_of_year(year))
    (index, _, key), rest = named[0], named[1:]
    # the other named filters narrow that one Query (a page may then hold fewer than `limit`)
    also = None
    for _, attribute, value in rest:
        also = (attribute == value) if also is None else (also & (attribute == value))
    return page(index, key, limit, cursor, newest_first=True, range_condition=_of_year(year), filter_condition=also)


def totals(region_id: str, year: int | None) -> dict[str, dict[str, int]]:
    """The pre-computed totals of a region for one fiscal year (None: all
    years), by scope (``region``, ``agency#<code>``, ``kecamatan#<code>``):
    one Query."""
    prefix = f"{year if year is not None else 'all'}#"
    return {item.scope[len(prefix):]: {name: int(getattr(item, name) or 0) for name in TOTAL_FIELDS}
            for item in BudgetTotalModel.query(region_id, BudgetTotalModel.scope.startswith(prefix))}


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
