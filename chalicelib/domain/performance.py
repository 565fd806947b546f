"""Performance figures and fair rankings, as pure arithmetic over tallies.

A *tally* is a flat map of counter name → integer for one unit (officer,
kelurahan, kecamatan, agency, region) and one local day: every change of a
report adds small integers to a few tallies (DynamoDB ``ADD``), so any range of
days is the sum of its days' tallies and nothing is computed from reports at
request time.  Durations are kept as histograms (``HISTOGRAM_EDGES``), so
medians and percentiles need no list of values.

Time is counted in **working days**: the part of each local calendar day that
is a working day (Monday to Friday, not a public holiday of Indonesia), a
whole working day counting 1.  A report taken on Friday at 16:00 and finished
on Monday at 16:00 took 1.0 working day; one taken on Saturday and finished on
Sunday took 0.

The score of a unit (0 to 100) is documented in the README and repeated in
every ranked row:

- ``within_sla``: the share of the stages charged to the unit that ended
  within their SLA (verify, take, finish);
- ``timeliness``: per stage, 1 − elapsed / SLA days (0 at or after the
  deadline), averaged: finishing in 1 of 10 allowed days scores 0.9, in 4 of
  10 scores 0.6;
- ``rating``: the citizens' average rating mapped to 0–1 ((avg − 1) / 4).

Each is a Bayesian average, shrunk toward the region's mean for that
component with the weight of ``PRIOR_WEIGHT`` stages (or ratings): a unit with
few reports sits near the mean whatever its luck, one with many is judged on
its own record.  The score is ``100 × (0.4 within_sla + 0.4 timeliness + 0.2
rating)``.  A unit with fewer than ``MIN_VOLUME`` charged stages in the
period is listed as not ranked ("too few reports").  Ties are ordered by more
charged stages first, then by the unit's id, so the order is stable.
"""
from __future__ import annotations

import bisect
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Callable, Iterable, Mapping

import msgspec

from .errors import InvalidInput
from .sla import is_working_day

STAGES = ("verify", "take", "finish")
# upper edges of the duration buckets, in working days (the last bucket is open)
HISTOGRAM_EDGES = (1 / 24, 2 / 24, 4 / 24, 8 / 24, 12 / 24, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 7.0, 10.0, 14.0, 20.0,
                   30.0, 60.0)
TIMELINESS_SCALE = 1000  # timeliness is summed in thousandths, as an integer counter
MIN_VOLUME = 5
PRIOR_WEIGHT = 5
WEIGHTS = {"within_sla": 0.4, "timeliness": 0.4, "rating": 0.2}
LOW_RATING = 2  # ratings 1 and 2 are low

Tally = dict[str, int]


# --- time -----------------------------------------------------------------------

def working_days_between(start: datetime, end: datetime, tz: tzinfo,
                         working: Callable[[date], bool] = is_working_day) -> float:
    """Working days from ``start`` to ``end`` in the time zone ``tz``: the
    part of each local day that is a working day; 0 if ``end`` is not after
    ``start``."""
    if end <= start:
        return 0.0
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    day, total = local_start.date(), 0.0
    while day <= local_end.date():
        if working(day):
            opens = datetime.combine(day, time(0), tzinfo=tz)
            closes = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
            overlap = min(closes, local_end) - max(opens, local_start)
            total += max(overlap.total_seconds(), 0.0) / 86_400
        day += timedelta(days=1)
    return total


def day_range(first: str | None, last: str | None, today: date, default_first: date,
              max_days: int | None = None) -> tuple[date, date]:
    """The days ``first`` to ``last`` (YYYY-MM-DD, checked: the contract's
    pattern lets 2026-02-30 through), defaulting to ``default_first`` and
    ``today``; ``InvalidInput`` when backwards or longer than ``max_days``."""
    def parse(text: str, name: str) -> date:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise InvalidInput("invalid_pattern", field=name) from None

    low = parse(first, "from") if first else default_first
    high = parse(last, "to") if last else today
    if high < low:
        raise InvalidInput("invalid_range", field="to")
    if max_days is not None and (high - low).days >= max_days:
        raise InvalidInput("range_too_long", days=max_days)
    return low, high


def local_bounds(first: date, last: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The instants the local days ``first`` to ``last`` span: from the
    start of the first to the start of the day after the last."""
    return (datetime.combine(first, time(0), tzinfo=tz),
            datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz))


def local_day(moment: datetime, tz: tzinfo) -> str:
    """The tally day (YYYY-MM-DD) a moment belongs to, in the region's zone."""
    return moment.astimezone(tz).date().isoformat()


# --- what one stage adds --------------------------------------------------------

def bucket(days: float) -> int:
    """The histogram bucket of a duration in working days."""
    return bisect.bisect_left(HISTOGRAM_EDGES, days)


def stage_delta(stage: str, elapsed_days: float, sla_days: int) -> Tally:
    """The counters a stage that ended adds to its holder's tally: one
    stage, within the SLA or not, its timeliness and its duration's bucket."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    within = elapsed_days <= sla_days
    timeliness = max(0.0, 1.0 - elapsed_days / sla_days) if sla_days > 0 else float(within)
    return {f"{stage}_n": 1, f"{stage}_within": int(within),
            f"{stage}_timeliness": round(timeliness * TIMELINESS_SCALE),
            f"{stage}_h{bucket(elapsed_days)}": 1}


def rating_delta(stars: int) -> Tally:
    if not 1 <= stars <= 5:
        raise ValueError("a rating is 1 to 5 stars")
    return {"ratings": 1, "rating_sum": stars, "ratings_low": int(stars <= LOW_RATING)}


def combine(tallies: Iterable[Mapping[str, int]]) -> Tally:
    """The tally of a range: the sum of its days' (or units') tallies."""
    total: Tally = {}
    for tally in tallies:
        for name, value in tally.items():
            total[name] = total.get(name, 0) + int(value)
    return total


# --- figures ----------------------------------------------------------------------

def percentile(tally: Mapping[str, int], stage: str, q: float) -> float | None:
    """The ``q`` quantile (0–1) of a stage's durations in working days,
    interpolated linearly inside its histogram bucket (the open last bucket
    answers its lower edge); None without any duration."""
    counts = [int(tally.get(f"{stage}_h{i}", 0)) for i in range(len(HISTOGRAM_EDGES) + 1)]
    total = sum(counts)
    if total == 0:
        return None
    rank = q * total
    seen = 0
    for i, count in enumerate(counts):
        if count and seen + count >= rank:
            low = HISTOGRAM_EDGES[i - 1] if i > 0 else 0.0
            if i == len(HISTOGRAM_EDGES):
                return low
            high = HISTOGRAM_EDGES[i]
            return low + (high - low) * max(rank - seen, 0.0) / count
        seen += count
    return HISTOGRAM_EDGES[-1]


class Components(msgspec.Struct, frozen=True):
    """A unit's raw figures and their shrunk values (0–1)."""
    stages: int
    within_sla: float | None
    timeliness: float | None
    rating: float | None
    ratings: int
    within_sla_shrunk: float
    timeliness_shrunk: float
    rating_shrunk: float


class Ranked(msgspec.Struct, frozen=True):
    unit: str
    rank: int | None  # None: not ranked
    score: float | None
    components: Components
    reason: str | None = None  # why a unit is not ranked


def _sums(tally: Mapping[str, int]) -> tuple[int, int, float, int, int]:
    stages = sum(int(tally.get(f"{s}_n", 0)) for s in STAGES)
    within = sum(int(tally.get(f"{s}_within", 0)) for s in STAGES)
    timely = sum(int(tally.get(f"{s}_timeliness", 0)) for s in STAGES) / TIMELINESS_SCALE
    return stages, within, timely, int(tally.get("ratings", 0)), int(tally.get("rating_sum", 0))


def _shrunk(total: float, count: int, prior: float) -> float:
    return (total + PRIOR_WEIGHT * prior) / (count + PRIOR_WEIGHT)


def rank(tallies: Mapping[str, Mapping[str, int]]) -> list[Ranked]:
    """Every unit's row, ranked ones first by score (ties: more stages, then
    unit id), then the units with too few stages (by stages, then id).  The
    region's means are those of all the units given."""
    region_stages, region_within, region_timely, region_ratings, region_rating_sum = _sums(combine(tallies.values()))
    prior_within = region_within / region_stages if region_stages else 1.0
    prior_timely = region_timely / region_stages if region_stages else 1.0
    prior_rating = (region_rating_sum / region_ratings - 1) / 4 if region_ratings else 0.5
    rows = []
    for unit, tally in tallies.items():
        stages, within, timely, ratings, rating_sum = _sums(tally)
        components = Components(
            stages=stages, ratings=ratings,
            within_sla=within / stages if stages else None,
            timeliness=timely / stages if stages else None,
            rating=(rating_sum / ratings - 1) / 4 if ratings else None,
            within_sla_shrunk=_shrunk(within, stages, prior_within),
            timeliness_shrunk=_shrunk(timely, stages, prior_timely),
            rating_shrunk=_shrunk((rating_sum - ratings) / 4, ratings, prior_rating))
        score = 100 * (WEIGHTS["within_sla"] * components.within_sla_shrunk
                       + WEIGHTS["timeliness"] * components.timeliness_shrunk
                       + WEIGHTS["rating"] * components.rating_shrunk)
        rows.append((unit, components, round(score, 2)))
    ranked = sorted((r for r in rows if r[1].stages >= MIN_VOLUME), key=lambda r: (-r[2], -r[1].stages, r[0]))
    unranked = sorted((r for r in rows if r[1].stages < MIN_VOLUME), key=lambda r: (-r[1].stages, r[0]))
    result = [Ranked(unit=unit, rank=position, score=score, components=components)
              for position, (unit, components, score) in enumerate(ranked, start=1)]
    result += [Ranked(unit=unit, rank=None, score=None, components=components, reason="too_few_reports")
               for unit, components, _score in unranked]
    return result



# --- what one change of a report adds ---------------------------------------------

LEVELS = ("region", "kota", "kecamatan", "kelurahan", "agency", "officer", "category", "channel")
RANKED_LEVELS = ("officer", "kelurahan", "kecamatan", "kota", "agency")
NOW = "now"  # the day of the status gauges: how many reports are in each status now


class Snapshot(msgspec.Struct, frozen=True, kw_only=True):
    """What the figures need of a report as one write left it (from the
    reports table's stream images)."""
    region_id: str
    status: str
    at: datetime  # when this write happened (updated_at)
    category: str | None = None
    channel: str | None = None
    created_at: datetime
    verified_at: datetime | None = None
    held_since: datetime | None = None  # handed over (disposisi): the new holder's taking clock
    taken_at: datetime | None = None
    reopened_at: datetime | None = None  # reopened after a low rating: the finishing clock restarts
    agency: str | None = None
    kelurahan_code: str | None = None
    kecamatan_code: str | None = None
    kota_code: str | None = None
    assignee: str | None = None  # the officer holding it
    assignee_name: str | None = None
    assignee_agency: str | None = None  # the taking officer's agency, or
    assignee_kelurahan: str | None = None  # desa
    rejection_reason: str | None = None
    ratings: int = 0
    last_stars: int | None = None
    overdue_count: int = 0
    overdue: bool = False  # past its stage's due time now (the sweep sets it; the next stage clears it)
    emergency: bool = False


class Change(msgspec.Struct, frozen=True):
    """Counters to add to one unit's tallies: of the local ``day`` the write
    happened (rankings: a month is what was done in it) and of the ``cohort``,
    the local day the report was created (stats: what became of the reports
    of a range).  ``now_<status>`` counters move a report between statuses
    in its cohort.  ``label``: a display name stored with the tally (an
    officer's), ``agency``: the agency an officer worked for."""
    level: str
    unit: str
    day: str
    cohort: str
    delta: dict[str, int]
    label: str | None = None
    agency: str | None = None


HELD = ("verified", "in_process", "done")
OPEN = ("waiting", "verified", "in_process")
OVERDUE = "overdue"  # the gauge of the open reports past their due time now


def _overdue_now(report: Snapshot | None) -> bool:
    return report is not None and report.overdue and report.status in OPEN  # statuses in which an agency and an area hold a report


def _area_units(report: Snapshot) -> list[tuple[str, str]]:
    """The units a report counts in: the region, its category and channel
    always; its agency, kelurahan, kecamatan (and kota) once verified — the
    routing only proposes them to the verifier, who may change them, and a
    rejected or duplicate report is nobody's."""
    units = [("region", report.region_id)]
    if report.category:
        units.append(("category", report.category))
    if report.channel:
        units.append(("channel", report.channel))
    if report.status not in HELD:
        return units
    if report.kota_code:
        units.append(("kota", report.kota_code))
    if report.kecamatan_code:
        units.append(("kecamatan", report.kecamatan_code))
    if report.kelurahan_code:
        units.append(("kelurahan", report.kelurahan_code))
    if report.agency:
        units.append(("agency", report.agency))
    return units


def _holders(report: Snapshot, officer: str | None) -> list[tuple[str, str]]:
    """Who is charged for taking and finishing: the region, the officer, and
    the agency or the desa (with its kecamatan) whose officer works it — so
    a desa that passes a report to an agency is not charged for the
    agency's work, nor the agency for a desa's."""
    units = [u for u in _area_units(report) if u[0] not in ("agency", "kelurahan", "kecamatan", "kota")]
    if report.assignee_agency and report.assignee_agency == report.agency:
        units.append(("agency", report.agency))
    if report.assignee_kelurahan and report.assignee_kelurahan == report.kelurahan_code:
        units.append(("kelurahan", report.assignee_kelurahan))
        if report.kecamatan_code:
            units.append(("kecamatan", report.kecamatan_code))
        if report.kota_code:
            units.append(("kota", report.kota_code))
    return units + ([("officer", officer)] if officer else [])


def changes(old: Snapshot | None, new: Snapshot, tz: tzinfo, sla_days: Mapping[str, int],
            working: Callable[[date], bool] = is_working_day) -> list[Change]:
    """The tally changes one write of a report makes (``old`` None: its
    creation).  Stages are charged to the units holding the report during
    that stage: verification to the region (its verifiers), taking to the
    agency and area it was routed to and the officer who took it, finishing
    to the same and the officer who finished.  Rejected and duplicate
    reports, and emergencies, are counted but charged to no one's time.
    ``sla_days``: verify, respond (to take), resolve (to finish, counted
    from the take)."""
    day = local_day(new.at, tz)
    out: dict[tuple[str, str], Tally] = {}

    def add(units: Iterable[tuple[str, str]], delta: Mapping[str, int]) -> None:
        for unit in units:
            tally = out.setdefault(unit, {})
            for name, value in delta.items():
                tally[name] = tally.get(name, 0) + value

    def stage(name: str, start: datetime | None, budget: int, units: Iterable[tuple[str, str]]) -> None:
        if start is None or new.emergency:
            return
        add(units, stage_delta(name, working_days_between(start, new.at, tz, working), budget))

    if old is None:
        add(_area_units(new), {"received": 1, f"now_{new.status}": 1})
    else:
        before, after = _area_units(old), _area_units(new)
        left = [u for u in before if u not in after]  # handed over (or corrected at verification)
        handed_off = old.status in HELD and new.status != "forwarded"  # forwarded: closed, not passed on here
        add(left, {f"now_{old.status}": -1, **({"handed_off": 1} if handed_off else {})})
        add([u for u in after if u not in before], {"received": 1, f"now_{new.status}": 1})  # arrives here now
        if old.status != new.status:
            add([u for u in after if u in before], {f"now_{old.status}": -1, f"now_{new.status}": 1})
            transition = (old.status, new.status)
            if transition == ("waiting", "verified"):
                add(after, {"verified": 1})
                stage("verify", new.created_at, sla_days["verify"], [("region", new.region_id)])
            elif transition == ("waiting", "rejected"):
                add(after, {"rejected": 1, f"rejected_{new.rejection_reason or 'other'}": 1})
            elif transition == ("waiting", "duplicate"):
                add(after, {"duplicates": 1})
            elif new.status == "forwarded":  # not the region's authority: closed, like a rejection
                add(after, {"forwarded": 1})
            elif transition == ("verified", "in_process"):
                add(_holders(new, new.assignee), {"taken": 1})
                stage("take", new.held_since or new.verified_at, sla_days["respond"], _holders(new, new.assignee))
            elif transition == ("in_process", "done"):
                add(_holders(new, new.assignee), {"done": 1})
                started = max((t for t in (new.taken_at, new.reopened_at) if t is not None), default=None)
                stage("finish", started, sla_days["resolve"], _holders(new, new.assignee))
            elif transition == ("done", "in_process"):
                add(_holders(new, new.assignee), {"reopened": 1})
        if new.ratings > old.ratings and new.last_stars is not None:
            add(_holders(new, new.assignee), rating_delta(new.last_stars))
        if new.overdue_count > old.overdue_count:
            add(_holders(new, new.assignee), {"overdue": new.overdue_count - old.overdue_count})
    cohort = local_day(new.created_at, tz)
    result = []
    for (level, unit), delta in out.items():
        delta = {name: value for name, value in delta.items() if value}
        if delta:
            officer = level == "officer"
            result.append(Change(level, unit, day, cohort, delta, label=new.assignee_name if officer else None,
                                 agency=new.agency if officer else None))
    if old is None or old.status != new.status:  # the gauges: one report more in its new status, one less in the old
        result.append(Change("status", new.status, NOW, NOW, {"count": 1}))
        if old is not None:
            result.append(Change("status", old.status, NOW, NOW, {"count": -1}))
    if _overdue_now(old) != _overdue_now(new):  # the overdue gauge: marked by the sweep, cleared by the next stage
        result.append(Change("status", OVERDUE, NOW, NOW, {"count": 1 if _overdue_now(new) else -1}))
    return result


def replay(report: Mapping[str, object], history: Iterable[Mapping[str, object]],
           parse: Callable[[object], datetime | None]) -> list[Snapshot]:
    """The snapshots of a report's counted writes, rebuilt from what it keeps:
    its creation, each change of status in its whole history (a verification
    sets ``verified_at``, a take ``taken_at``, a reopen ``reopened_at``; a new
    stage is no longer overdue), each overdue marking, each rating (from ``report["ratings"]``, in order).  The rebuild
    command feeds them to ``changes`` as the stream fed the writes; the
    fields a report keeps from its verification on (agency and places,
    assignee) are its final ones, which no later write changes."""
    def text(name: str) -> str | None:
        value = report.get(name)
        return str(value) if value is not None else None

    created = parse(report["created_at"])
    if created is None:
        raise ValueError("a report has a creation time")
    entries = list(history)
    handoffs: list[Mapping[str, Mapping[str, str | None]]] = [
        e["handoff"] for e in entries if isinstance(e.get("handoff"), Mapping)]  # type: ignore[misc]
    first_holder = handoffs[0]["from"] if handoffs else {}
    names = {str(h["from"].get("assignee")): h["from"].get("assignee_name") for h in handoffs}
    names[str(report.get("assignee"))] = text("assignee_name")
    current = Snapshot(
        region_id=str(report["region_id"]), status="waiting", at=created, created_at=created,
        category=text("category"), channel=text("channel") or "app",
        agency=first_holder.get("agency") if handoffs else text("agency"),
        kelurahan_code=first_holder.get("kelurahan_code") if handoffs else text("kelurahan_code"),
        kecamatan_code=first_holder.get("kecamatan_code") if handoffs else text("kecamatan_code"),
        rejection_reason=text("rejection_reason"), emergency=bool(report.get("emergency")))
    out = [current]
    ratings = [r for r in report.get("ratings") or [] if isinstance(r, Mapping)]  # type: ignore[attr-defined]
    rated = 0
    for entry in entries:
        at = parse(entry.get("at"))
        if at is None:
            continue
        status, code = entry.get("status"), entry.get("note_code")
        fields: dict[str, object] = {"at": at}
        if isinstance(status, str) and status != current.status:
            fields["status"] = status
            fields["overdue"] = False
            if status == "verified":
                fields["verified_at"] = at
            elif status == "in_process" and current.status == "done":
                fields["reopened_at"] = at
            elif status == "in_process":
                fields["taken_at"] = at
                if current.status == "verified":  # taken: by the entry's author, of an agency or a desa
                    found = entry.get("by")
                    by: Mapping[str, object] = found if isinstance(found, Mapping) else {}
                    fields["assignee"] = str(entry.get("actor"))
                    fields["assignee_name"] = names.get(str(entry.get("actor")))
                    fields["assignee_agency"] = by.get("agency")
                    fields["assignee_kelurahan"] = by.get("kelurahan_code")
        handoff = entry.get("handoff")
        if isinstance(handoff, Mapping):
            to = handoff["to"]
            fields.update(agency=to.get("agency"), kelurahan_code=to.get("kelurahan_code"),
                          kecamatan_code=to.get("kecamatan_code"), held_since=at, taken_at=None, reopened_at=None,
                          assignee=None, assignee_name=None, assignee_agency=None, assignee_kelurahan=None,
                          overdue=False)  # a fresh clock for the new holder
        if code == "history_overdue":
            fields["overdue_count"] = current.overdue_count + 1
            fields["overdue"] = True
        if code in ("history_rated", "history_rated_low") and rated < len(ratings):
            fields["ratings"], fields["last_stars"] = rated + 1, int(ratings[rated].get("stars"))  # type: ignore[arg-type]
            rated += 1
        if len(fields) > 1:
            current = msgspec.structs.replace(current, **fields)
            out.append(current)
    return out
