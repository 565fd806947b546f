"""Citizens' data rights under UU PDP 27/2022: a person takes everything the
system holds about them (``export``) or erases themselves (``erase``).
Each request is recorded with the person named only by a keyed one-way
hash of their account id.

Both run within the request: a citizen's reports are read one page (100) at
a time from the ``reporter`` index, each erased with one conditional write,
so a citizen with 1,000 reports is erased in well under API Gateway's 29 s.
Staff accounts are not erased this way: the region admin deactivates them,
keeping who did what in the reports' histories.
"""
from __future__ import annotations

import io
import uuid
import zipfile
from typing import Any, Iterator

from .. import resources
from ..adapters import aws
from ..auth import verifier
from ..auth.identity import Identity
from ..contract import privacy as contract
from ..contract.common import PageQuery
from ..domain import reports as rules
from ..domain import roles
from ..domain.errors import Forbidden, InvalidInput
from ..store import privacy as store
from ..store import reports as report_store
from ..store.models import PrivacyRequestModel, ReportModel
from . import pseudonyms, regions

EXPORT_PREFIX = resources.EXPORT_PREFIX
PAGE = 100


def _own_reports(sub: str) -> Iterator[ReportModel]:
    cursor = None
    while True:
        items, cursor = report_store.reported_by(sub, PAGE, cursor)
        yield from items
        if not cursor:
            return


def _subject(actor: Identity) -> str:
    return pseudonyms.of(actor.sub, "privacy")


def _record(actor: Identity, kind: str, requested_at: str, **detail: int) -> PrivacyRequestModel:
    request_id = uuid.uuid4().hex
    return store.record(actor.region_id, f"{requested_at}#{request_id}", {
        "subject": _subject(actor), "kind": kind, "status": "done", "requested_at": requested_at,
        "finished_at": rules.iso_utc(rules.now_utc()), "detail": detail})


def _history(report: ReportModel, region: Any) -> list[contract.HistoryData]:
    return [contract.HistoryData(status=entry["status"], at=rules.local_iso(entry["at"], region),
                                 note=(entry.get("note") or {}).get("id", ""))
            for entry in report_store.whole_history(report)]


def export(actor: Identity, query: contract.DataQuery) -> contract.PersonalData:
    """Everything held about the signed-in person; nothing about anyone else
    (other reporters, officers: the history says what happened, not who)."""
    from .reports import view_url

    requested_at = rules.iso_utc(rules.now_utc())
    reports, photos = [], []
    for report in _own_reports(actor.sub):
        region = regions.get_region(report.region_id)
        own_photos = [p for p in report.photos or [] if p.get("kind", "report") == "report"]
        photos += [(report.id, p) for p in own_photos]
        contact = report.reporter.as_dict() if hasattr(report.reporter, "as_dict") else (report.reporter or {})
        reports.append(contract.ReportData(
            id=report.id, region_id=report.region_id, status=report.status, category=report.category,
            description=report.description, lat=float(report.lat), lon=float(report.lon), address=report.address,
            anonymous=bool(report.anonymous), contact_phone=contact.get("phone"), kelurahan=report.kelurahan,
            kecamatan=report.kecamatan, agency=report.agency, duplicate_of=report.duplicate_of,
            created_at=rules.local_iso(report.created_at, region), updated_at=rules.local_iso(report.updated_at, region),
            history=_history(report, region),
            ratings=[contract.RatingData(stars=int(r["stars"]), comment=r.get("comment"),
                                         at=rules.local_iso(r["at"], region)) for r in report.ratings or []],
            photos=[contract.PhotoData(id=p["id"], url=view_url(p["key"]), content_type=p["content_type"])
                    for p in own_photos]))
    account = contract.AccountData(username=actor.username, name=actor.name, phone=actor.phone, email=actor.email,
                                   role=actor.role, region_id=actor.region_id)
    link = _photos_zip(actor, photos) if query.photos == "zip" else None
    recorded = _record(actor, "export", requested_at, reports=len(reports), photos=len(photos) if link else 0)
    return contract.PersonalData(account=account, reports=reports, photos_zip=link,
                                 request_id=recorded.request_key.split("#")[-1])


def _photos_zip(actor: Identity, photos: list[tuple[str, dict[str, Any]]]) -> str:
    """The person's photos in one zip under ``exports/`` (the bucket deletes
    it after a day), as a presigned link: never streamed through the API,
    whose replies are limited to 6 MB."""
    s3, bucket = aws.client("s3"), aws.bucket()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for report_id, photo in photos:
            body = s3.get_object(Bucket=bucket, Key=photo["key"])["Body"].read()
            archive.writestr(f"{report_id}/{photo['key'].rsplit('/', 1)[-1]}", body)
    key = f"{EXPORT_PREFIX}{_subject(actor)}/{uuid.uuid4().hex}.zip"
    s3.put_object(Bucket=bucket, Key=key, Body=buffer.getvalue(), ContentType="application/zip")
    return str(s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key},
                                         ExpiresIn=resources.VIEW_URL_SECONDS))


def erase(actor: Identity) -> contract.PrivacyRequest:
    """Erase the signed-in citizen: their reports stay (they describe public
    problems) without contact, account id or rating comments, marked as from
    a deleted account; their photo exports are deleted; the Cognito account
    is deleted last, so that a failure midway can be retried with the same
    token.  Nothing can notify them afterwards: no report holds a contact."""
    if actor.role != "citizen":
        raise Forbidden("staff_erased_by_admin" if actor.role in roles.ROLES else "forbidden")
    requested_at = rules.iso_utc(rules.now_utc())
    erased = 0
    for report in _own_reports(actor.sub):
        for _ in range(4):  # a report changed meanwhile: read it again
            if store.erase_reporter(report, actor.sub):
                erased += 1
                break
            fresh = report_store.get(report.id)
            if fresh is None or fresh.reporter_id != actor.sub:
                break
            report = fresh
    s3, bucket = aws.client("s3"), aws.bucket()
    for listed in s3.list_objects_v2(Bucket=bucket, Prefix=f"{EXPORT_PREFIX}{_subject(actor)}/").get("Contents", []):
        s3.delete_object(Bucket=bucket, Key=listed["Key"])
    cognito = aws.client("cognito-idp")
    try:
        cognito.admin_delete_user(UserPoolId=verifier.pool_id(), Username=actor.username)
    except cognito.exceptions.UserNotFoundException:
        pass  # erased by an earlier attempt
    return view(_record(actor, "erasure", requested_at, reports=erased))


def view(item: PrivacyRequestModel) -> contract.PrivacyRequest:
    detail = item.detail.as_dict() if hasattr(item.detail, "as_dict") else dict(item.detail or {})
    region = regions.get_region(item.region_id)
    return contract.PrivacyRequest(
        id=item.request_key.split("#")[-1], kind=item.kind, status="done", subject=item.subject,  # type: ignore[arg-type]
        requested_at=rules.local_iso(item.requested_at, region),
        finished_at=rules.local_iso(item.finished_at, region) if item.finished_at else None,
        reports=int(detail.get("reports", 0)), photos=int(detail.get("photos", 0)))


def requests(region_id: str, actor: Identity, page: PageQuery) -> tuple[list[contract.PrivacyRequest], str | None]:
    """A region's data-rights requests, newest first (its administrators)."""
    region = regions.get_region(region_id)
    if actor.role not in roles.ADMINS or not actor.in_region(region.region_id):
        raise Forbidden("forbidden")
    try:
        items, cursor = store.page(region.region_id, page.limit, page.cursor)
    except report_store.BadCursor:
        raise InvalidInput("invalid_cursor") from None
    return [view(item) for item in items], cursor
