"""THE place a regency edits: one entry per deployment stage.

``make deploy STAGE=<name>`` deploys the entry named ``<name>``; ``make synth
STAGE=<name>`` builds its CloudFormation template offline.  Every AWS resource
is then named ``aduan-<name>-<logical>`` (see ``chalicelib/resources.py``).

To add a regency, copy the ``trenggalek`` entry, change the name and the
fields below, and run ``make deploy STAGE=<name>`` with that account's AWS
credentials (``aws configure`` or ``AWS_PROFILE=...``).  Nothing else changes.

Fields
------
region            AWS region code; ``ap-southeast-3`` is Jakarta.
account           12-digit AWS account id, or None to take the account of the
                  credentials used by ``make deploy`` (offline synth needs none).
alarm_email       receives the CloudWatch alarms (dead letters, function
                  errors, API 5xx); AWS e-mails a confirmation link once.
domain            optional custom API domain (e.g. ``lapor.trenggalekkab.go.id``)
                  with ``certificate_arn``, an ACM certificate for it in
                  ``region``; None serves on the execute-api URL.
console_origins   extra browser origins (``https://host``) the photo bucket's
                  CORS rule admits besides the console's CloudFront domain, e.g.
                  a custom console domain in front of the distribution.
memory_mb         Lambda memory of every function (more memory = more CPU).
arm64             Graviton functions: 20% cheaper per GB-second than x86_64.
production        True: tables get deletion protection, tables and the photo
                  bucket are retained when the stack is deleted.
log_retention_days  days CloudWatch keeps function and API access logs.
api_rate / api_burst  API Gateway throttling (requests/s, burst) per stage.
old_photos_after_days  photos move to S3 Standard-IA after this many days,
                  and to Glacier Instant Retrieval after ``archive_after_days``.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    name: str
    region: str = "ap-southeast-3"
    account: str | None = None
    alarm_email: str | None = None
    domain: str | None = None
    certificate_arn: str | None = None
    console_origins: tuple[str, ...] = ()
    memory_mb: int = 512
    arm64: bool = True
    production: bool = False
    log_retention_days: int = 30
    api_rate: int = 50
    api_burst: int = 100
    old_photos_after_days: int = 90
    archive_after_days: int = 365

    @property
    def architecture(self) -> str:
        return "arm64" if self.arm64 else "x86_64"


STAGES: dict[str, Stage] = {s.name: s for s in (
    Stage(name="dev", log_retention_days=7),
    Stage(name="prod", production=True, log_retention_days=90, alarm_email="ops@example.org"),
    # One regency, its own account: edit these fields.
    Stage(name="trenggalek", production=True, alarm_email="diskominfo@example.go.id",
          log_retention_days=90, api_rate=20, api_burst=40),
)}


def get(name: str) -> Stage:
    try:
        return STAGES[name]
    except KeyError:
        raise SystemExit(f"unknown stage {name!r}: add it to infra/stages.py (known: {', '.join(STAGES)})") from None
