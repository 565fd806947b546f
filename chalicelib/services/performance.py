"""Performance figures: kept up to date from the reports table's stream,
read by the rankings and stats endpoints.

Every write of a report reaches ``record`` once or more (a stream redelivers
a batch that failed); ``domain.performance.changes`` decides what it adds
and ``store.stats.apply`` adds it once, with the record's marker.
"""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

import msgspec

from ..auth.identity import Identity
from ..contract import performance as contract
from ..domain import lifecycle, roles
from ..domain import performance as rules
from ..domain.errors import Forbidden, InvalidInput
from ..domain.performance import Tally
from ..domain.regions import TIME_ZONES, RegionConfig
from ..domain.reports import iso_utc, local_iso, now_utc
from ..store import reports as report_store
from ..store import stats as store
from . import regions, reports

log = logging.getLogger(__name__)


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def snapshot(image: dict[str, Any]) -> rules.Snapshot:
    """What the figures need of a report, from a stream image (plain
    values, as ``TypeDeserializer`` gives them)."""
    history = image.get("history") or []
    ratings = image.get("ratings") or []
    taken_at = _time(image.get("taken_at"))
    if taken_at is None and image.get("status") in ("in_process", "done"):
        taken = [entry.get("at") for entry in history if isinstance(entry, dict) and entry.get("status") == "in_process"]
        taken_at = _time(taken[-1]) if taken else _time(image.get("verified_at"))
    stars = ratings[-1].get("stars") if ratings and isinstance(ratings[-1], dict) else None
    return rules.Snapshot(
        region_id=str(image["region_id"]), status=str(image["status"]),
        at=_time(image.get("updated_at")) or _time(image["created_at"]),  # type: ignore[arg-type]
        created_at=_time(image["created_at"]),  # type: ignore[arg-type]
        category=image.get("category"), channel=image.get("channel") or "app",
        verified_at=_time(image.get("verified_at")), held_since=_time(image.get("held_since")), taken_at=taken_at,
        reopened_at=_time(image.get("reopened_at")),
        agency=image.get("agency"), kelurahan_code=image.get("kelurahan_code"),
        kecamatan_code=image.get("kecamatan_code"), assignee=image.get("assignee"),
        assignee_name=image.get("assignee_name"), assignee_agency=image.get("assignee_agency"),
        assignee_kelurahan=image.get("assignee_kelurahan"),
        rejection_reason=image.get("rejection_reason"),
        ratings=len(ratings), last_stars=int(stars) if stars is not None else None,
        overdue_count=int(image.get("overdue_count") or 0), overdue=bool(image.get("overdue")), emergency=bool(image.get("emergency")))


def in_kota(report: rules.Snapshot, region: RegionConfig) -> rules.Snapshot:
    """A province region's report in the kota of its kecamatan."""
    place = region.kota.get(report.kecamatan_code or "")
    return msgspec.structs.replace(report, kota_code=place[0]) if place else report


def sla_days(region: RegionConfig) -> dict[str, int]:
    return {"verify": region.sla.verify, "respond": region.sla.respond, "resolve": region.sla.resolve}


def record(old_image: dict[str, Any] | None, new_image: dict[str, Any] | None, sequence: str) -> int:
    """Count one write of a report (a stream record); the items written.
    A removal (an erased test report) and a redelivery count nothing."""
    if new_image is None or "status" not in new_image:
        return 0
    region = regions.get_region(str(new_image["region_id"]))
    new = in_kota(snapshot(new_image), region)
    old = in_kota(snapshot(old_image), region) if old_image else None
    changes = rules.changes(old, new, region.tz, sla_days(region))
    if not changes:
        return 0
    try:
        return store.apply(new.region_id, str(new_image["id"]), sequence, changes, region.name)
    except store.AlreadyApplied:
        log.info("stream record %s of %s already counted", sequence, new_image["id"])
        return 0


# --- reading ------------------------------------------------------------------------

def _name(region: RegionConfig, level: str, unit: str, about: dict[str, str]) -> str | None:
    if level == "officer":
        return about.get("label")
    if level == "agency":
        return region.agency_names(unit)[0]
    if level == "kelurahan":
        place = region.kelurahan.get(unit)
        return place[0] if place else None
    if level == "kecamatan":
        return next((kec_name for _n, kec, kec_name in region.kelurahan.values() if kec == unit), None)
    if level == "kota":
        return next((name for code, name in region.kota.values() if code == unit), None)
    if level == "category":
        category = region.categories.get(unit)
        return category.name_id if category else None
    return None


def _this_month(region: RegionConfig) -> str:
    return now_utc().astimezone(region.tz).strftime("%Y-%m")


def rankings(region_id: str, level: str, month: str | None, actor: Identity | None) -> contract.Rankings:
    """One month's ranking of one level (one Query).  The officer level is
    for the region's admins and its agency heads (their own agency)."""
    region = regions.get_region(region_id)
    agency_only = None
    if level == "officer":
        if actor is None or not actor.in_region(region.region_id):
            raise Forbidden("forbidden")
        if actor.role == "agency_head":
            agency_only = actor.agency
        elif actor.role not in roles.ADMINS:
            raise Forbidden("forbidden")
    month = month or _this_month(region)
    tallies = store.month_tallies(region.region_id, level, month)
    units = {unit: tally for unit, tally in tallies.items()
             if agency_only is None or tallies.about.get(unit, {}).get("agency") == agency_only}
    rows = [_row(row, units[row.unit], _name(region, level, row.unit, tallies.about.get(row.unit, {})))
            for row in rules.rank(units)]
    return contract.Rankings(region_id=region.region_id, level=level, month=month, score=contract.SCORE_DOCUMENTATION,
                             min_volume=rules.MIN_VOLUME, prior_weight=rules.PRIOR_WEIGHT, rows=rows)


def platform_rankings(month: str | None, actor: Identity) -> contract.Rankings:
    """Every region's month side by side (platform admin; one Query)."""
    if actor.role != "platform_admin":
        raise Forbidden("forbidden")
    month = month or now_utc().astimezone(TIME_ZONES["WIB"]).strftime("%Y-%m")  # the platform's clock: WIB
    tallies = store.platform_tallies(month)
    rows = [_row(row, tallies[row.unit], tallies.about.get(row.unit, {}).get("label"))
            for row in rules.rank(dict(tallies))]
    return contract.Rankings(region_id="*", level="region", month=month, score=contract.SCORE_DOCUMENTATION,
                             min_volume=rules.MIN_VOLUME, prior_weight=rules.PRIOR_WEIGHT, rows=rows)


def _row(row: rules.Ranked, tally: Tally, name: str | None) -> contract.RankingRow:
    return contract.RankingRow(
        rank=row.rank, unit=row.unit, name=name, score=row.score,
        components=row.components,
        volume={key: int(tally.get(key, 0)) for key in ("received", "verified", "taken", "done", "reopened")},
        median_days={stage: _round(rules.percentile(tally, stage, 0.5)) for stage in rules.STAGES},
        not_ranked_reason=row.reason)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


GROUP_LEVEL = {"status": "region", "month": "region", "category": "category", "agency": "agency",
               "kota": "kota", "kecamatan": "kecamatan", "kelurahan": "kelurahan", "channel": "channel"}
MAX_RANGE_DAYS = 366


def _months(first: date, last: date) -> list[tuple[str, str]]:
    """The (first, last) days of each calendar month of the range."""
    spans = []
    start = first
    while start <= last:
        following = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
        end = min(last, following - timedelta(days=1))
        spans.append((start.isoformat(), end.isoformat()))
        start = following
    return spans


def stats(region_id: str, query: contract.StatsQuery, actor: Identity | None) -> contract.Stats:
    """Counts of the reports created in a range, grouped (public), with SLA
    figures for the region's staff; and the region's three numbers now.
    One Query per calendar month of the range, plus one for the numbers."""
    region = regions.get_region(region_id)
    today = now_utc().astimezone(region.tz).date()
    first, last = rules.day_range(query.from_, query.to, today, today.replace(day=1), MAX_RANGE_DAYS)
    staff = actor is not None and actor.in_region(region.region_id) and actor.role in roles.REPORT_STAFF
    level = GROUP_LEVEL[query.group_by]
    groups: dict[str, Tally] = {}
    spans = _months(first, last)
    for span_first, span_last in spans:
        tallies = store.cohort_tallies(region.region_id, level, span_first, span_last)
        for unit, tally in tallies.items():
            key = span_first[:7] if query.group_by == "month" else unit
            groups[key] = rules.combine([groups.get(key, {}), tally])
    total = _group(region, "total", "total", rules.combine(groups.values()), staff)
    if query.group_by == "status":
        rows = [contract.StatsGroup(key=status, name=label["id"], count=total_tally_now(groups, status))
                for status, label in lifecycle.STATUS_LABELS.items()]
    else:
        rows = [_group(region, query.group_by, key, tally, staff) for key, tally in sorted(groups.items())]
    gauges = store.gauges(region.region_id)
    now = contract.Now(waiting=gauges.get("waiting", 0) + gauges.get("verified", 0),
                       in_process=gauges.get("in_process", 0), done=gauges.get("done", 0),
                       overdue=gauges.get(rules.OVERDUE, 0))
    return contract.Stats(region_id=region.region_id, from_=first.isoformat(), to=last.isoformat(),
                          group_by=query.group_by, now=now, total=total, groups=rows, queries=len(spans) + 1)


def total_tally_now(groups: dict[str, Tally], status: str) -> int:
    return sum(tally.get(f"now_{status}", 0) for tally in groups.values())


def _group(region: RegionConfig, group_by: str, key: str, tally: Tally, staff: bool) -> contract.StatsGroup:
    open_now = sum(tally.get(f"now_{status}", 0) for status in lifecycle.OPEN_STATUSES)
    level = GROUP_LEVEL.get(group_by, "")
    name = _name(region, level, key, {}) if level in ("category", "agency", "kota", "kecamatan", "kelurahan") else None
    row = contract.StatsGroup(
        key=key, name=name, count=tally.get("received", 0), received=tally.get("received", 0),
        verified=tally.get("verified", 0), rejected=tally.get("rejected", 0), duplicates=tally.get("duplicates", 0),
        taken=tally.get("taken", 0), done=tally.get("done", 0), reopened=tally.get("reopened", 0), open=open_now,
        ratings=tally.get("ratings", 0),
        rating=_round(tally["rating_sum"] / tally["ratings"]) if tally.get("ratings") else None,
        low_rating_share=_round(tally.get("ratings_low", 0) / tally["ratings"], 3) if tally.get("ratings") else None)
    if not staff:
        return row
    verified = tally.get("verified", 0)
    return msgspec.structs.replace(
        row,
        sla={stage: _round(tally.get(f"{stage}_within", 0) / tally[f"{stage}_n"], 3) if tally.get(f"{stage}_n")
             else None for stage in rules.STAGES},
        median_days={stage: _round(rules.percentile(tally, stage, 0.5)) for stage in rules.STAGES},
        p90_days={stage: _round(rules.percentile(tally, stage, 0.9)) for stage in rules.STAGES},
        response_rate=_round(min(tally.get("taken", 0), verified) / verified, 3) if verified else None)


# --- the rebuild (an offline command) ---------------------------------------------

def rebuild(region_id: str) -> dict[str, int]:
    """Recompute every tally of a region from its reports (their whole
    histories), replacing what the stream produced: what the command
    ``python -m tools.rebuild_stats`` runs.  A report's writes are replayed
    through the same ``changes`` the stream consumer uses."""
    region = regions.get_region(region_id, fresh=True)
    removed = store.clear_region(region.region_id)
    run = now_utc().strftime("%Y%m%dT%H%M%S%f")
    reports = items = 0
    for report in report_store.every_report_of(region.region_id):
        image = report.attribute_values
        snapshots = [in_kota(s, region) for s in rules.replay(image, report_store.whole_history(report), _time)]
        previous: rules.Snapshot | None = None
        for number, current in enumerate(snapshots):
            changes = rules.changes(previous, current, region.tz, sla_days(region))
            if changes:
                items += store.apply(region.region_id, report.id, f"rebuild-{run}-{number}", changes, region.name) - 1
            previous = current
        reports += 1
    return {"reports": reports, "items_written": items, "items_removed": removed}


# --- the public map ---------------------------------------------------------------

MAP_DAYS = 90


def reports_map(region_id: str, query: contract.MapQuery) -> contract.ReportsMap:
    """A page of the region's verified reports for maps (one Query), with
    only what is public: no reporter, no contact, no description; the free
    text address only when the reporter did not ask for anonymity."""
    region = regions.get_region(region_id)
    today = now_utc().astimezone(region.tz).date()
    first, last = rules.day_range(query.from_, query.to, today, today - timedelta(days=MAP_DAYS))
    box = None
    if query.bbox:
        west, south, east, north = (float(v) for v in query.bbox.split(","))
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise InvalidInput("invalid_pattern", field="bbox")
        box = (west, south, east, north)
    start, end = rules.local_bounds(first, last, region.tz)
    try:
        items, cursor = report_store.on_map(region.region_id, iso_utc(start), iso_utc(end - timedelta(microseconds=1)),
                                            query.limit, query.cursor)
    except report_store.BadCursor:
        raise InvalidInput("invalid_cursor") from None
    features = []
    for report in items:
        if report.lat is None or report.lon is None or report.confidential:  # kept off the map (``off_map``)
            continue
        lon, lat = float(report.lon), float(report.lat)
        if box and not (box[0] <= lon <= box[2] and box[1] <= lat <= box[3]):
            continue
        if (query.status and report.status != query.status) or (query.category and report.category != query.category):
            continue
        category = region.categories.get(report.category)
        features.append(contract.MapFeature(type="Feature", geometry=contract.Point(type="Point", coordinates=[lon, lat]),
                                            properties=contract.MapProperties(
            id=report.id, status=report.status, status_label=reports.status_label(report.status), category=report.category,
            category_name=category.name_id if category else None, created_at=local_iso(report.created_at, region),
            kelurahan_code=report.kelurahan_code, kelurahan=report.kelurahan, kecamatan=report.kecamatan,
            address=None if report.anonymous else report.address)))
    choropleth = (f"/v1/regions/{region.region_id}/stats?group_by=kelurahan&from={first.isoformat()}"
                  f"&to={last.isoformat()}")
    return contract.ReportsMap(type="FeatureCollection", features=features, next_cursor=cursor,
                               choropleth_url=choropleth)
