"""PynamoDB models: the only place that knows how items are laid out.

Table names, keys and indexes come from ``chalicelib.resources``;
``tests/test_resources.py`` checks the two agree.

Layout, from the questions in ACCESS-PATTERNS.md:

* ``reports``: one item per report, key ``id``; its photos and its recent
  history (at most 40 entries: older ones move to ``entries`` items) live
  inside the item, so "a report by id with its history and photos" is one
  ``GetItem``.  The sparse ``unrouted``
  index answers "reports left unrouted longer than N minutes".
* ``regions``: one item per region with its category table, agencies and
  areas: one ``GetItem``, cached by the services.
* ``boundaries``: one item per kelurahan polygon and boundary version; the
  routing worker and the boundaries endpoint read a region's polygons with
  one ``Query`` (paged) and cache them.
* ``counters``: monthly counters per region, one item per metric.
"""
from __future__ import annotations

import os
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
)
from pynamodb.connection import Connection, TableConnection
from pynamodb.exceptions import TableError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from .. import resources


def _region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "ap-southeast-3"


class _Meta:
    region = _region()
    billing_mode = "PAY_PER_REQUEST"


_connection: Connection | None = None


def shared_connection() -> Connection:
    """The process's one DynamoDB connection, for every table and every
    transaction (see ``_Model``)."""
    global _connection
    if _connection is None:
        _connection = Connection(region=_Meta.region)
    return _connection


class _Model(Model):
    """Every table through the process's one connection.  PynamoDB gives each
    model its own, and each builds its own botocore session and client on
    first use (the DynamoDB service model parsed again, 50-70 ms of a cold
    start): a request that reads a report and its region paid that twice."""

    @classmethod
    def _get_connection(cls) -> TableConnection:
        table = super()._get_connection()
        shared = shared_connection()
        if table.connection is not shared:
            try:
                shared.get_meta_table(table.table_name)
            except TableError:
                shared.add_meta_table(table.get_meta_table())
            table.connection = shared
        return table


def _index(table: resources.Table, name: str) -> GlobalSecondaryIndex:
    """A PynamoDB index built from its declaration, so the two cannot differ."""
    declared = next(i for i in table.indexes if i.name == name)
    body: dict = {"Meta": type("Meta", (), {"index_name": declared.name, "projection": AllProjection()}),
                  declared.hash_key: UnicodeAttribute(hash_key=True)}
    if declared.range_key:
        body[declared.range_key] = UnicodeAttribute(range_key=True)
    return type(f"{name.title().replace('_', '')}Index", (GlobalSecondaryIndex,), body)()


class HistoryAttribute(ListAttribute[Any]):
    """A report's history, oldest first: ``[{status, at, actor, note_code,
    note: {id, en}, …}]``.

    Each entry is appended by one conditional write that does not read the
    report first, so an entry stores only what its writer knew; the rest is
    implied by the entries before it and filled in here, when read:

    * an entry without ``status`` (a staff note) was written in the status
      of the entry before it: every status change appends an entry;
    * an entry without ``note`` takes the note an earlier entry prepared for
      its ``note_code`` (``prepared``): the routing entry prepares the note of
      a verification that keeps the proposed agency, which names it.
    """

    def deserialize(self, values: Any) -> Any:
        entries = super().deserialize(values)
        status: Any = None
        prepared: dict[str, Any] = {}
        for entry in entries:
            if isinstance(entry, dict):
                status = entry.setdefault("status", status)
                if "note" not in entry:
                    code = entry.get("note_code", "")
                    entry["note"] = prepared.get(code) or {"id": code, "en": code}
                prepared.update(entry.get("prepared") or {})
        return entries


class ReportModel(_Model):
    class Meta(_Meta):
        table_name = resources.REPORTS.name

    id = UnicodeAttribute(hash_key=True)
    region_id = UnicodeAttribute()
    category = UnicodeAttribute()
    description = UnicodeAttribute()
    # no point: a partner's report placed by its desa/kelurahan code only (``kelurahan_hint``)
    lat = NumberAttribute(null=True)
    lon = NumberAttribute(null=True)
    address = UnicodeAttribute(null=True)
    kelurahan_hint = UnicodeAttribute(null=True)
    anonymous = BooleanAttribute(default=False)
    # a partner system's report (``services.intake``): the partner, its own tracking id, the
    # category's answers, a link to a big file; ``confidential`` (rahasia): in no public view
    partner_id = UnicodeAttribute(null=True)
    partner_ref = UnicodeAttribute(null=True)
    attributes: MapAttribute[str, Any] = MapAttribute(null=True)
    media_url = UnicodeAttribute(null=True)
    confidential = BooleanAttribute(null=True)
    # set on a report kept off the public map (confidential, or with no point): the map index
    # key it gets instead of its region at verification (``domain.workflow``)
    off_map = UnicodeAttribute(null=True)
    # Contact details: stored, never shown to anyone but the reporter.
    reporter: MapAttribute[str, Any] = MapAttribute(null=True)
    status = UnicodeAttribute()
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    fingerprint = UnicodeAttribute(null=True)
    channel = UnicodeAttribute(default="app")
    unrouted_shard = UnicodeAttribute(null=True)
    # who reported it (Cognito sub); never shown to anyone but the reporter
    reporter_id = UnicodeAttribute(null=True)
    # the reporter erased their account (UU PDP): contact and account id removed
    reporter_erased = BooleanAttribute(null=True)
    version = NumberAttribute(default=1)
    # index keys (see chalicelib.resources.REPORTS and chalicelib.domain.workflow)
    queue_key = UnicodeAttribute(null=True)  # <region>#waiting | <region>#review
    agency_key = UnicodeAttribute(null=True)  # <region>#<agency>
    kelurahan_key = UnicodeAttribute(null=True)  # <region>#<kelurahan code>
    inbox_at = UnicodeAttribute(null=True)  # <status>#<due or closing time>, once dispatched
    assignee = UnicodeAttribute(null=True)
    assignee_name = UnicodeAttribute(null=True)
    due_shard = UnicodeAttribute(null=True)
    due_at = UnicodeAttribute(null=True)
    due_stage = UnicodeAttribute(null=True)
    # the resolution deadline, fixed at verification, and the inbox position
    # it gives the report once taken (taking copies both: no read first)
    resolve_due_at = UnicodeAttribute(null=True)
    resolve_inbox_at = UnicodeAttribute(null=True)
    overdue_key = UnicodeAttribute(null=True)
    overdue = BooleanAttribute(default=False)
    overdue_count = NumberAttribute(default=0)
    unrouted = _index(resources.REPORTS, "unrouted")
    queue = _index(resources.REPORTS, "queue")
    agency_inbox = _index(resources.REPORTS, "agency_inbox")
    kelurahan_inbox = _index(resources.REPORTS, "kelurahan_inbox")
    by_assignee = _index(resources.REPORTS, "assignee")
    by_reporter = _index(resources.REPORTS, "reporter")
    due = _index(resources.REPORTS, "due")
    overdue_index = _index(resources.REPORTS, "overdue")
    # a citizen audit of a public works project: the project, whether it is
    # counted as an open or a done audit on the project (``open``/``done``),
    # and the agencies that follow it besides its own (the inspectorate)
    project_id = UnicodeAttribute(null=True)
    audit_state = UnicodeAttribute(null=True)
    watchers: ListAttribute[Any] = ListAttribute(null=True)
    audit_key = UnicodeAttribute(null=True)
    by_project = _index(resources.REPORTS, "project")
    audits = _index(resources.REPORTS, "audits")
    map_key = UnicodeAttribute(null=True)  # the region, once verified: on the public map
    on_map = _index(resources.REPORTS, "map")
    by_creation = _index(resources.REPORTS, "created")
    # workflow
    verified_at = UnicodeAttribute(null=True)
    taken_at = UnicodeAttribute(null=True)  # taken: the finishing clock's start
    reopened_at = UnicodeAttribute(null=True)  # reopened after a low rating: the finishing clock restarts
    done_at = UnicodeAttribute(null=True)  # finished (the last time)
    held_since = UnicodeAttribute(null=True)  # handed over (disposisi): the new holder's taking clock's start
    # the agency or desa of the officer who took it: whose work the figures charge
    assignee_agency = UnicodeAttribute(null=True)
    assignee_kelurahan = UnicodeAttribute(null=True)
    rejection_reason = UnicodeAttribute(null=True)
    duplicate_of = UnicodeAttribute(null=True)
    reopen_count = NumberAttribute(default=0)
    review_pending = BooleanAttribute(default=False)
    # [{stars, comment, at, cycle}]
    ratings: ListAttribute[Any] = ListAttribute(default=list)
    # ids of accepted evidence photos, and uploads granted as evidence
    evidence_ids: ListAttribute[Any] = ListAttribute(default=list)
    evidence_upload_ids: ListAttribute[Any] = ListAttribute(default=list)
    # notification events already sent (idempotency of the event worker)
    notified: ListAttribute[Any] = ListAttribute(default=list)
    # routing
    agency = UnicodeAttribute(null=True)
    team = UnicodeAttribute(null=True)
    kelurahan_code = UnicodeAttribute(null=True)
    kelurahan = UnicodeAttribute(null=True)
    kecamatan_code = UnicodeAttribute(null=True)
    kecamatan = UnicodeAttribute(null=True)
    out_of_area = BooleanAttribute(null=True)
    hint_mismatch = BooleanAttribute(null=True)
    routed_at = UnicodeAttribute(null=True)
    dispatched_at = UnicodeAttribute(null=True)
    # an emergency category's report: dispatched at once at routing, clocks in hours, charged to no one
    emergency = BooleanAttribute(null=True)
    # "not our authority": the partner (of the region's partners) it was forwarded to, and when
    forwarded_to = UnicodeAttribute(null=True)
    forwarded_at = UnicodeAttribute(null=True)
    history = HistoryAttribute(default=list)
    # accepted photos: [{id, key, thumb_key, content_type, width, height, bytes, at}]
    photos: ListAttribute[Any] = ListAttribute(default=list)
    # uploads the photo worker refused: [{id, reason_code, reason: {id, en}, at}]
    rejected_photos: ListAttribute[Any] = ListAttribute(default=list)
    # ids of every upload handled (accepted or refused), for idempotency
    photo_ids: ListAttribute[Any] = ListAttribute(default=list)
    # ids handed out by presigned POSTs, to bound photos per report
    upload_ids: ListAttribute[Any] = ListAttribute(default=list)
    # photos a verifier hid from public views (staff and the reporter still see them)
    hidden_photos = UnicodeSetAttribute(null=True)
    # history entries moved to their own items (``EntryModel``), oldest first
    history_archived = NumberAttribute(default=0)


class RegionModel(_Model):
    class Meta(_Meta):
        table_name = resources.REGIONS.name

    region_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    kemendagri_code = UnicodeAttribute()
    time_zone = UnicodeAttribute()
    status = UnicodeAttribute()
    categories: ListAttribute[Any] = ListAttribute(default=list)
    agencies: ListAttribute[Any] = ListAttribute(default=list)
    # [{code, name, kelurahan: [{code, name, type}]}]
    areas: ListAttribute[Any] = ListAttribute(default=list)
    areas_source = UnicodeAttribute(null=True)
    boundaries_version = NumberAttribute(default=0)
    boundaries_note = UnicodeAttribute(null=True)
    # the active version's files: {id (their folder), levels: [metres], bytes: {name: size}}
    boundaries_files: MapAttribute[str, Any] = MapAttribute(null=True)
    # working days per SLA stage: {verify, respond, resolve}
    sla: MapAttribute[str, Any] = MapAttribute(null=True)
    # red-flag thresholds of public works projects (domain.projects.Rules)
    project_rules: MapAttribute[str, Any] = MapAttribute(null=True)
    # the region's registered OCDS prefix (``ocds-xxxxxx``)
    ocid_prefix = UnicodeAttribute(null=True)
    # the console's map tiles: {url, attribution, max_zoom}; none: the boundaries are the base layer
    map_tiles: MapAttribute[str, Any] = MapAttribute(null=True)
    notify_topic_arn = UnicodeAttribute(null=True)
    # the pilot
    trial_started_at = UnicodeAttribute(null=True)
    trial_ends_at = UnicodeAttribute(null=True)
    activated_at = UnicodeAttribute(null=True)
    reminders_sent: ListAttribute[Any] = ListAttribute(default=list)
    # [{action, actor, at, from, to, note}]
    audit: ListAttribute[Any] = ListAttribute(default=list)
    lifecycle = _index(resources.REGIONS, "lifecycle")
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class BoundaryUploadModel(_Model):
    """One boundary upload of a region: granted, processing, then accepted
    (with the version it became) or rejected (with its problems: the first
    ones here, every one in the bucket)."""

    class Meta(_Meta):
        table_name = resources.BOUNDARY_UPLOADS.name

    region_id = UnicodeAttribute(hash_key=True)
    upload_id = UnicodeAttribute(range_key=True)
    status = UnicodeAttribute()  # waiting_for_file | processing | accepted | rejected
    file_format = UnicodeAttribute()  # geojson | shapefile
    code_field = UnicodeAttribute(null=True)
    note = UnicodeAttribute(null=True)
    requested_by = UnicodeAttribute()
    # {step, done, total} while processing
    progress: MapAttribute[str, Any] = MapAttribute(null=True)
    problems: ListAttribute[Any] = ListAttribute(default=list)
    problems_total = NumberAttribute(default=0)
    problems_key = UnicodeAttribute(null=True)
    # what was read and made: features, vertices, projection, file sizes, seconds per step
    summary: MapAttribute[str, Any] = MapAttribute(null=True)
    version = NumberAttribute(null=True)
    attempts = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    finished_at = UnicodeAttribute(null=True)


class CounterModel(_Model):
    class Meta(_Meta):
        table_name = resources.COUNTERS.name

    scope = UnicodeAttribute(hash_key=True)
    metric = UnicodeAttribute(range_key=True)
    value = NumberAttribute(default=0)
    # epoch seconds after which DynamoDB deletes the item (rate-limit windows)
    expires_at = NumberAttribute(null=True)


class ProjectModel(_Model):
    """A public works project; amounts are whole rupiah, progress is basis
    points (see ``chalicelib.domain.projects``)."""

    class Meta(_Meta):
        table_name = resources.PROJECTS.name

    id = UnicodeAttribute(hash_key=True)
    region_id = UnicodeAttribute()
    sort_key = UnicodeAttribute()
    agency_key = UnicodeAttribute()
    kecamatan_key = UnicodeAttribute()
    contractor_key = UnicodeAttribute()
    title = UnicodeAttribute()
    description = UnicodeAttribute(null=True)
    agency = UnicodeAttribute()
    fiscal_year = NumberAttribute()
    funding_source = UnicodeAttribute()
    location = JSONAttribute()
    lon = NumberAttribute()
    lat = NumberAttribute()
    kelurahan_code = UnicodeAttribute(null=True)
    kelurahan = UnicodeAttribute(null=True)
    kecamatan_code = UnicodeAttribute(null=True)
    kecamatan = UnicodeAttribute(null=True)
    out_of_area = BooleanAttribute(default=False)
    value = NumberAttribute()
    disbursed = NumberAttribute(default=0)
    progress_bp = NumberAttribute(default=0)
    contractor_name = UnicodeAttribute()
    contractor_npwp = UnicodeAttribute()
    contract_number = UnicodeAttribute()
    start_date = UnicodeAttribute()
    end_date = UnicodeAttribute()
    last_report_on = UnicodeAttribute(null=True)
    audits_open = NumberAttribute(default=0)
    audits_done = NumberAttribute(default=0)
    # red-flag codes as last evaluated (on each change and by the flag sweep);
    # a project with any counts as flagged in the budget totals
    flags: ListAttribute[Any] = ListAttribute(default=list)
    # the most recent progress reports and history entries (domain.projects.
    # RECENT_ENTRIES); every one is also an item of the entries table, and
    # ``<list>_earlier`` counts those no longer on this item
    # [{id, percent_bp, date, note, photo_ids, correction_reason, actor, actor_role, at, fingerprint}]
    progress: ListAttribute[Any] = ListAttribute(default=list)
    progress_earlier = NumberAttribute(default=0)
    history_earlier = NumberAttribute(default=0)
    # photos some progress report used (each backs one report only)
    used_photos: ListAttribute[Any] = ListAttribute(default=list)
    # [{id, amount, date, reference, actor, at}]
    disbursements: ListAttribute[Any] = ListAttribute(default=list)
    # [{id, key, thumb_key, content_type, width, height, bytes, at, progress_id}]
    photos: ListAttribute[Any] = ListAttribute(default=list)
    # [{id, key, title, document_type, content_type, bytes, at}]
    documents: ListAttribute[Any] = ListAttribute(default=list)
    # uploads handed out by presigned POSTs: [{id, kind, document_type, title}]
    uploads: ListAttribute[Any] = ListAttribute(default=list)
    # ids of uploads the worker has handled (accepted or refused)
    handled: ListAttribute[Any] = ListAttribute(default=list)
    # uploads the worker refused: [{id, reason_code, reason, at}]
    rejected_uploads: ListAttribute[Any] = ListAttribute(default=list)
    # [{action, actor, actor_role, at, detail}]
    history: ListAttribute[Any] = ListAttribute(default=list)
    created_by = UnicodeAttribute()
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    version = NumberAttribute(default=1)
    # the registration request's content, to recognise a retry
    fingerprint = UnicodeAttribute(null=True)
    by_region = _index(resources.PROJECTS, "region")
    by_agency = _index(resources.PROJECTS, "agency")
    by_kecamatan = _index(resources.PROJECTS, "kecamatan")
    by_contractor = _index(resources.PROJECTS, "contractor")


class BudgetTotalModel(_Model):
    class Meta(_Meta):
        table_name = resources.BUDGET.name

    region_id = UnicodeAttribute(hash_key=True)
    scope = UnicodeAttribute(range_key=True)
    projects = NumberAttribute(default=0)
    value = NumberAttribute(default=0)
    disbursed = NumberAttribute(default=0)
    progress_value = NumberAttribute(default=0)
    flagged = NumberAttribute(default=0)


class ContractorModel(_Model):
    class Meta(_Meta):
        table_name = resources.CONTRACTORS.name

    region_id = UnicodeAttribute(hash_key=True)
    npwp = UnicodeAttribute(range_key=True)
    name = UnicodeAttribute()
    username = UnicodeAttribute()
    created_by = UnicodeAttribute()
    created_at = UnicodeAttribute()


class EntryModel(_Model):
    """One entry of a list that grows with use (``resources.ENTRIES``)."""

    class Meta(_Meta):
        table_name = resources.ENTRIES.name

    parent = UnicodeAttribute(hash_key=True)
    seq = UnicodeAttribute(range_key=True)
    entry: MapAttribute[str, Any] = MapAttribute(default=dict)


class StaffModel(_Model):
    """A staff account in its region's directory (``resources.STAFF``)."""

    class Meta(_Meta):
        table_name = resources.STAFF.name

    region_id = UnicodeAttribute(hash_key=True)
    username = UnicodeAttribute(range_key=True)
    sub = UnicodeAttribute()
    name = UnicodeAttribute()
    # lower-cased name, for the admin's search
    search_name = UnicodeAttribute()
    role = UnicodeAttribute()
    agency = UnicodeAttribute(null=True)
    kelurahan_code = UnicodeAttribute(null=True)
    contractor = UnicodeAttribute(null=True)
    active = BooleanAttribute(default=True)
    # True while the account may still be in Cognito's FORCE_CHANGE_PASSWORD (the invitation not yet used);
    # False once Cognito said otherwise; absent on entries written before it existed (unknown)
    awaiting_first_sign_in = BooleanAttribute(null=True)
    created_by = UnicodeAttribute()
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    by_account = _index(resources.STAFF, "account")


class PrivacyRequestModel(_Model):
    """A data-rights request (``resources.PRIVACY``)."""

    class Meta(_Meta):
        table_name = resources.PRIVACY.name

    region_id = UnicodeAttribute(hash_key=True)
    request_key = UnicodeAttribute(range_key=True)
    subject = UnicodeAttribute()  # keyed one-way hash of the account id
    kind = UnicodeAttribute()  # export | erasure
    status = UnicodeAttribute()
    requested_at = UnicodeAttribute()
    finished_at = UnicodeAttribute(null=True)
    detail: MapAttribute[str, Any] = MapAttribute(null=True)


class PartnerModel(_Model):
    """A partner system's API key (``resources.PARTNERS``)."""

    class Meta(_Meta):
        table_name = resources.PARTNERS.name

    region_id = UnicodeAttribute(hash_key=True)
    partner_id = UnicodeAttribute(range_key=True)
    name = UnicodeAttribute()
    channel = UnicodeAttribute()
    secret_hash = UnicodeAttribute()  # sha256 of the key's secret part (hex)
    webhook_url = UnicodeAttribute(null=True)
    webhook_secret = UnicodeAttribute(null=True)  # signs the status pushed to the partner (HMAC-SHA256)
    # an SMS gateway on Twilio: its auth token, which signs Twilio's requests (X-Twilio-Signature); never shown
    twilio_auth_token = UnicodeAttribute(null=True)
    rate_per_minute = NumberAttribute()
    created_by = UnicodeAttribute()
    created_at = UnicodeAttribute()
    revoked_at = UnicodeAttribute(null=True)
    revoked_by = UnicodeAttribute(null=True)


class StatsModel(_Model):
    """The keys of the performance tallies; their counters are top-level
    numbers named by ``chalicelib.domain.performance`` and written by
    ``chalicelib.store.stats`` with ``ADD`` (names a model cannot declare)."""
    class Meta(_Meta):
        table_name = resources.STATS.name

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)


MODELS = {
    resources.REPORTS.logical: ReportModel,
    resources.PARTNERS.logical: PartnerModel,
    resources.REGIONS.logical: RegionModel,
    resources.BOUNDARY_UPLOADS.logical: BoundaryUploadModel,
    resources.COUNTERS.logical: CounterModel,
    resources.PROJECTS.logical: ProjectModel,
    resources.BUDGET.logical: BudgetTotalModel,
    resources.CONTRACTORS.logical: ContractorModel,
    resources.ENTRIES.logical: EntryModel,
    resources.STAFF.logical: StaffModel,
    resources.PRIVACY.logical: PrivacyRequestModel,
    resources.STATS.logical: StatsModel,
}
