"""Every AWS resource the code uses, declared once.

The PynamoDB models (``chalicelib.store.models``), the local stack
(``infra.local``) and the AWS deployment (``infra/``) all read these
declarations; ``tests/test_resources.py`` fails if a model and its declaration
ever disagree.  Nothing here imports boto3: it is plain data.

Physical names are ``aduan-<stage>-<logical name>``; the stage comes from the
``ADUAN_STAGE`` environment variable (``local`` by default).
"""
from __future__ import annotations

import os

import msgspec

APP_NAME = "aduan"


def stage() -> str:
    return os.environ.get("ADUAN_STAGE", "local")


def physical_name(logical: str) -> str:
    return f"{APP_NAME}-{stage()}-{logical}"


class Index(msgspec.Struct, frozen=True):
    name: str
    hash_key: str
    range_key: str | None = None


class Table(msgspec.Struct, frozen=True):
    logical: str
    hash_key: str
    range_key: str | None = None
    indexes: tuple[Index, ...] = ()
    ttl_attribute: str | None = None
    # a DynamoDB stream of every write, with the item before and after (NEW_AND_OLD_IMAGES)
    stream: bool = False
    # Every key attribute is a string: ids, composite keys and ISO-8601 UTC
    # timestamps (which sort lexicographically in time order).

    @property
    def name(self) -> str:
        return physical_name(self.logical)

    def key_attributes(self) -> list[str]:
        names = [self.hash_key] + ([self.range_key] if self.range_key else [])
        for index in self.indexes:
            names += [index.hash_key] + ([index.range_key] if index.range_key else [])
        return list(dict.fromkeys(names))


class Queue(msgspec.Struct, frozen=True):
    logical: str
    # Lambda's function timeout for the consumer, in seconds; the queue's
    # visibility timeout is six times it, as AWS recommends for SQS sources.
    consumer_timeout: int = 30
    batch_size: int = 10
    # Lambda memory of the consumer in MB (None: the stage's default).
    consumer_memory: int | None = None
    # Receives before a message is moved to the dead-letter queue.
    max_receive_count: int = 5
    dlq_retention_seconds: int = 14 * 24 * 3600
    # The consumer sets a failed message's visibility itself (an exponential
    # backoff, ChangeMessageVisibility): pollers leave it as it is.
    own_backoff: bool = False
    # FIFO: messages of one group (``MessageGroupId``) are delivered in order,
    # one at a time, and a message waiting for its retry holds back the later
    # ones of its group; a message id (``MessageDeduplicationId``) sent twice
    # within 5 minutes is queued once.  Its dead-letter queue is FIFO too.
    fifo: bool = False

    @property
    def name(self) -> str:
        return physical_name(self.logical) + (".fifo" if self.fifo else "")

    @property
    def dlq_name(self) -> str:
        return physical_name(f"{self.logical}-dlq") + (".fifo" if self.fifo else "")

    @property
    def visibility_timeout(self) -> int:
        return 6 * self.consumer_timeout


class Notification(msgspec.Struct, frozen=True):
    """Object-created events under ``prefix`` go to the queue ``queue``."""

    prefix: str
    queue: str


class Cors(msgspec.Struct, frozen=True):
    """A bucket's CORS rule for the web console: the browser POSTs a file
    straight to the bucket (a presigned POST, ``multipart/form-data``) and
    reads it back.  The allowed origins are the deployment's, not declared
    here: the console distribution's ``https://`` domain on AWS
    (``infra/stack.py``, plus ``Stage.console_origins``), the local console's
    ``http://127.0.0.1:<port>`` and ``http://localhost:<port>`` locally
    (``infra/local.py``)."""

    methods: tuple[str, ...]
    allowed_headers: tuple[str, ...]
    exposed_headers: tuple[str, ...] = ()
    max_age_seconds: int = 3600


class Bucket(msgspec.Struct, frozen=True):
    logical: str
    notifications: tuple[Notification, ...] = ()
    layout: dict[str, str] = msgspec.field(default_factory=dict)
    cors: Cors | None = None

    @property
    def name(self) -> str:
        return physical_name(self.logical)


# --- tables ---------------------------------------------------------------

REPORTS = Table(
    logical="reports",
    hash_key="id",
    stream=True,
    indexes=(
        # Sparse: only reports not yet routed carry ``unrouted_shard``; the
        # sweep queries each shard for reports older than N minutes.  Spread
        # over a few shards so no single partition takes every new report.
        Index("unrouted", hash_key="unrouted_shard", range_key="created_at"),
        # Verification queue: ``<region>#waiting`` (and ``<region>#review`` for
        # closures a low rating sent back), oldest first; sparse: a report
        # leaves it when verified, rejected, reopened or confirmed.
        Index("queue", hash_key="queue_key", range_key="created_at"),
        #
        # The inboxes' hash keys hold what a transition does not change, so
        # that it never needs to read them (``chalicelib.domain.workflow``):
        # ``<region>#<agency>`` / ``<region>#<kelurahan>``, set by the routing
        # worker and by a verifier's correction.  Their range key holds what
        # it changes: ``<status>#<due time>`` (``done#<closing time>``), set
        # only on dispatched reports.  "An agency's reports in a status, by
        # due time" is one Query with ``begins_with(inbox_at, "<status>#")``.
        Index("agency_inbox", hash_key="agency_key", range_key="inbox_at"),
        Index("kelurahan_inbox", hash_key="kelurahan_key", range_key="inbox_at"),
        # "My work": reports an officer has taken, most recently changed first.
        Index("assignee", hash_key="assignee", range_key="updated_at"),
        # "My reports": a citizen's reports, newest first.
        Index("reporter", hash_key="reporter_id", range_key="created_at"),
        # SLA sweep: open reports with a running clock, sharded, by deadline.
        Index("due", hash_key="due_shard", range_key="due_at"),
        # Escalations: overdue open reports per ``<region>#<agency>`` (or
        # ``<region>#verification`` while unverified), by deadline.
        Index("overdue", hash_key="overdue_key", range_key="due_at"),
        # Citizen audits: the reports that name a public works project, on
        # the project's page, newest first.
        Index("project", hash_key="project_id", range_key="created_at"),
        # The inspectorate's audit inbox: ``<region>#<watching agency>``,
        # every citizen audit of the region's projects, newest first.
        Index("audits", hash_key="audit_key", range_key="created_at"),
        # The public map: ``map_key`` (the region) is set when a report is
        # verified, so rejected and duplicate reports never show; by
        # creation time, newest first (one Query a page).
        Index("map", hash_key="map_key", range_key="created_at"),
        # Every report of a region by creation time: the staff's CSV export.
        Index("created", hash_key="region_id", range_key="created_at"),
    ),
)

REGIONS = Table(
    logical="regions",
    hash_key="region_id",
    indexes=(
        # The pilot sweep: regions in ``trial`` by the end of their trial.
        Index("lifecycle", hash_key="status", range_key="trial_ends_at"),
    ),
)

# A region's boundary uploads (the polygons themselves are files in the
# bucket, under ``boundaries/``: no item holds geometry): hash key the region,
# range key the upload id; its status, progress and first problems.  The
# region item names the active version and its files, so a new upload
# switches atomically and only once it is whole.
BOUNDARY_UPLOADS = Table(logical="boundary_uploads", hash_key="region_id", range_key="upload_id")

# Monthly usage counters: hash key ``<region_id>#<YYYY-MM>``, range key
# ``count#<metric>`` (``count#reports_received``, ``count#agency#dpupr#received``)
# or ``seen#<citizen|staff>#<sub>``, the marker that makes "active accounts"
# a count of distinct accounts without scanning anything.
# Rate limits live here too: ``limit#<what>#<keyed hash of the subject>``,
# range key the time window, expiring (``expires_at``, TTL) after the window.
COUNTERS = Table(logical="counters", hash_key="scope", range_key="metric", ttl_attribute="expires_at")

# Public works projects (QlueWork): one item per project with its photos,
# documents, disbursements (at most 100) and its 20 most recent progress
# reports and history entries (the project page is one GetItem); every
# progress report and history entry is also an item of ENTRIES.
# ``sort_key`` is ``<fiscal year>#<created_at>``, so "a region's projects of
# a year" is a ``begins_with`` Query, newest first.
PROJECTS = Table(
    logical="projects",
    hash_key="id",
    indexes=(
        Index("region", hash_key="region_id", range_key="sort_key"),
        Index("agency", hash_key="agency_key", range_key="sort_key"),  # <region>#<agency>
        Index("kecamatan", hash_key="kecamatan_key", range_key="sort_key"),  # <region>#<kecamatan code>
        Index("contractor", hash_key="contractor_key", range_key="sort_key"),  # <region>#<npwp>
    ),
)

# Pre-computed budget totals, updated in the same transaction as each project
# change: hash key the region, range key ``<year|all>#region``,
# ``<year|all>#agency#<code>`` or ``<year|all>#kecamatan#<code>``.  The
# budget page is one Query.
BUDGET = Table(logical="budget", hash_key="region_id", range_key="scope")

# The contractors of a region that have an account: one per NPWP per region
# (claimed with a conditional put before the Cognito account is created).
CONTRACTORS = Table(logical="contractors", hash_key="region_id", range_key="npwp")

# The lists that grow with use, one item per entry so that no report or
# project item grows toward DynamoDB's 400 KB: a report's older history
# entries and a project's progress reports, disbursements and history.
# ``parent`` is the report's or project's id, ``seq`` is ``<list>#<position
# or time>``; "the entries of one list" is one Query (``begins_with``).
ENTRIES = Table(logical="entries", hash_key="parent", range_key="seq")

# The staff directory of each region, written with the Cognito account
# (Cognito cannot list or search a region's staff: custom attributes are not
# searchable).  ``account`` finds an entry by the account's sub.
STAFF = Table(logical="staff", hash_key="region_id", range_key="username",
              indexes=(Index("account", hash_key="sub"),))

# Data-rights requests (UU PDP 27/2022): one item per request, by region,
# range key ``<requested_at>#<id>``; the person is named only by a one-way
# keyed hash of their account id.
PRIVACY = Table(logical="privacy", hash_key="region_id", range_key="request_key")

# Partner systems of a region (LAPOR!, PSC 119, BPBD, the call centre, the
# SMS gateway, Open311 clients): one item per API key, ``partner_id`` the
# key's public id; the secret is kept only as its hash.
PARTNERS = Table(logical="partners", hash_key="region_id", range_key="partner_id")

# Performance tallies (``chalicelib.store.stats``): per region, level and
# month, the units' month and creation-day tallies, sharded for busy units;
# the status gauges; and the markers that make each stream record count once
# (they expire after three days).
STATS = Table(logical="stats", hash_key="pk", range_key="sk", ttl_attribute="expires_at")

TABLES: tuple[Table, ...] = (REPORTS, REGIONS, BOUNDARY_UPLOADS, COUNTERS, PROJECTS, BUDGET, CONTRACTORS, ENTRIES, STAFF,
                             PRIVACY, STATS, PARTNERS)

# The reports table's stream feeds the performance tallies.  Chalice needs an
# ARN when the app is imported: the deployment replaces this one with the
# table's real stream (infra/stack.py), the local stack and the tests read the
# stream by table name.
REPORTS_STREAM_ARN = (f"arn:aws:dynamodb:ap-southeast-3:123456789012:table/{physical_name('reports')}"
                      "/stream/replaced-at-deployment")
REPORTS_STREAM_BATCH = 100


def stream_failures_queue() -> str:
    """Where a stream batch that still fails after its retries is recorded
    (its position, kept 14 days)."""
    return physical_name("stream-failures")


# --- queues ---------------------------------------------------------------

ROUTING_QUEUE = Queue(logical="routing")
PHOTOS_QUEUE = Queue(logical="photos", consumer_timeout=60, batch_size=5)
# One dispatch queue for every agency, the agency and region travelling as
# message attributes: agencies are data (each region edits its own list), so a
# queue per agency would mean a deployment per new agency.
DISPATCH_QUEUE = Queue(logical="dispatch")

# A region's boundary file: read, reprojected, checked, simplified and
# published by one invocation (tens of MB of pure-Python geometry: Lambda's
# longest timeout and more memory, which also buys CPU); never retried more
# than twice, since a file that crashes the worker will crash it again.
BOUNDARIES_QUEUE = Queue(logical="boundaries", consumer_timeout=900, batch_size=1, max_receive_count=2,
                         consumer_memory=3008)

# A CSV export of reports too large to answer at once, written to the bucket.
EXPORTS_QUEUE = Queue(logical="exports", consumer_timeout=900, batch_size=1, max_receive_count=2,
                      consumer_memory=1024)

# Signed webhooks to partner systems (chalicelib/workers/webhooks.py): one
# message per event, fed by the reports stream; a failed delivery waits an
# exponential backoff (1, 2, 4 … 60 minutes) and is dead-lettered after 8 attempts.
# FIFO, one group per partner and report: a partner receives a report's
# events in the order they happened, a retry included (the group waits for
# it).  One message a batch: a later event of the group taken in the same
# batch as a failing one would be returned unsent, and each such return
# counts a receive towards the 8, so a long outage could dead-letter events
# never attempted.  Other reports' groups are delivered meanwhile.
PARTNER_WEBHOOKS_QUEUE = Queue(logical="partner_webhooks", consumer_timeout=60, max_receive_count=8,
                               own_backoff=True, fifo=True, batch_size=1)

QUEUES: tuple[Queue, ...] = (ROUTING_QUEUE, PHOTOS_QUEUE, DISPATCH_QUEUE, BOUNDARIES_QUEUE, EXPORTS_QUEUE,
                             PARTNER_WEBHOOKS_QUEUE)

# --- buckets --------------------------------------------------------------

UPLOAD_PREFIX = "uploads/"
BOUNDARY_UPLOAD_PREFIX = "boundary-uploads/"
BOUNDARIES_PREFIX = "boundaries/"
PHOTOS_BUCKET = Bucket(
    logical="photos",
    notifications=(Notification(UPLOAD_PREFIX, PHOTOS_QUEUE.logical),
                   Notification(BOUNDARY_UPLOAD_PREFIX, BOUNDARIES_QUEUE.logical)),
    layout={
        "uploads/reports/<report_id>/<photo_id>.<ext>": "raw upload from a presigned POST; deleted once processed",
        "photos/reports/<report_id>/<photo_id>.<ext>": "the cleaned image (metadata removed)",
        "photos/reports/<report_id>/<photo_id>.thumb.jpg": "thumbnail",
        "uploads/projects/<project_id>/<photo_id>.<ext>": "raw progress photo of a public works project",
        "photos/projects/<project_id>/<photo_id>.<ext>": "the cleaned progress photo (and .thumb.jpg)",
        "uploads/projects/<project_id>/docs/<document_id>.pdf": "raw contract document",
        "documents/projects/<project_id>/<document_id>.pdf": "the checked contract document",
        "boundary-uploads/<region_id>/<upload_id>.<geojson|zip>": "a region's boundary file from a presigned POST; "
                                                                   "deleted once processed",
        "boundaries/<region_id>/<upload_id>/index.bin": "the full-precision polygons in the compact routing format "
                                                        "(domain.geo.index)",
        "boundaries/<region_id>/<upload_id>/full.geojson": "the full-precision polygons (WGS84), for download",
        "boundaries/<region_id>/<upload_id>/display-<metres>m.geojson": "simplified for maps, shared borders kept",
        "boundaries/<region_id>/<upload_id>/problems.json": "every problem of a refused upload",
        "exports/reports/<region_id>/<job_id>.csv": "a staff CSV export of reports, written in the background "
                                                     "(kept EXPORT_DAYS)",
    },
    # The console uploads photos and boundary files with the presigned POST
    # (the browser sets the form's Content-Type, S3 answers 204 with an ETag)
    # and may read presigned photo URLs with fetch().
    cors=Cors(methods=("POST", "GET", "HEAD"), allowed_headers=("Content-Type",), exposed_headers=("ETag",),
              max_age_seconds=3600),
)

# The web console's built files (web/dist/: index.html and assets/; not build.json),
# uploaded by the deployment and served only through the console's CloudFront
# distribution (Origin Access Control): a private bucket, never the photo one.
# Not created locally: the local stack serves web/dist/ itself.
CONSOLE_BUCKET = Bucket(
    logical="console",
    layout={
        "index.html": "the console's page (revalidated on every load: it names the current bundles)",
        "assets/<name>-<hash>.<js|css|png|svg>": "hashed bundles, cached for a year",
    },
)


class OriginSecret(msgspec.Struct, frozen=True):
    """A value only a CloudFront distribution and the functions know: the
    distribution adds it as ``header`` to every request it sends the API,
    and the API believes the viewer's address CloudFront sends with it
    (``VIEWER_ADDRESS_HEADER``) only on a request that carries it
    (``chalicelib/api/source.py``).  The deployment generates it per stage
    in Secrets Manager (``name``) and gives it to the functions as
    ``environment``; unset (the local stack), the viewer header is never
    believed."""
    logical: str
    header: str
    environment: str

    @property
    def name(self) -> str:
        return physical_name(self.logical)


# The console distribution in front of the API (its /v1/* behaviour, infra/stack.py).
CONSOLE_ORIGIN_SECRET = OriginSecret(logical="console-origin-secret", header="X-Aduan-Origin-Secret",
                                     environment="ADUAN_ORIGIN_SECRET")
# CloudFront's header with the viewer's IP address and port ("198.51.100.7:46532", "2001:db8::1:443")
VIEWER_ADDRESS_HEADER = "CloudFront-Viewer-Address"

# A citizen's photo export (``GET /v1/me/data?photos=zip``) lives under this
# prefix for EXPORT_DAYS; an overwritten or deleted object survives as a
# noncurrent version for NONCURRENT_VERSION_DAYS (the bucket is versioned).
EXPORT_PREFIX = "exports/"
EXPORT_DAYS = 1
NONCURRENT_VERSION_DAYS = 30

# --- accounts and notifications ------------------------------------------

# Roles are Cognito groups; an account's region, agency and kelurahan are
# custom attributes carried in its ID token.
# ``contractor``: one account per winning contractor per region, carrying its
# NPWP; ``finance``: the budget officer who records disbursements.
ROLES = ("citizen", "verifier", "officer", "agency_head", "region_admin", "platform_admin", "contractor", "finance")


class UserPool(msgspec.Struct, frozen=True):
    logical: str
    groups: tuple[str, ...]
    custom_attributes: tuple[str, ...]
    # App client for the mobile app and the dashboards: USER_PASSWORD_AUTH and
    # refresh tokens, no client secret (public clients).
    client_name: str

    @property
    def name(self) -> str:
        return physical_name(self.logical)


USER_POOL = UserPool(
    logical="users",
    groups=ROLES,
    # consent: "<privacy notice version>@<UTC time>", recorded at sign-up
    custom_attributes=("region_id", "agency", "kelurahan_code", "contractor", "consent"),
    client_name="app",
)

# One SNS topic per region, created when the region is created, named
# ``aduan-<stage>-notify-<region_id>``; reporters' SMS go out by direct publish.
NOTIFY_TOPIC_PREFIX = "notify-"


def notify_topic_name(region_id: str) -> str:
    return physical_name(f"{NOTIFY_TOPIC_PREFIX}{region_id}")


# --- limits shared by the API and the workers -------------------------------

PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_CONTENT_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
PHOTOS_PER_REPORT = 5
EVIDENCE_PHOTOS_PER_REPORT = 5
UPLOAD_URL_SECONDS = 600
VIEW_URL_SECONDS = 900
# progress photos and contract documents together, per project
UPLOADS_PER_PROJECT = 450
# A region's boundary file (a .geojson, or a .zip holding a Shapefile)
BOUNDARY_MAX_BYTES = 200 * 1024 * 1024
BOUNDARY_CONTENT_TYPES = {"application/geo+json": "geojson", "application/zip": "zip"}
