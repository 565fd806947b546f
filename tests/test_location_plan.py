"""The desk setting a report's point, decided in the domain
(``workflow.plan_location``) on the report as read: no AWS."""
from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from chalicelib.domain import workflow as plans
from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, Unprocessable
from chalicelib.domain.geo.index import AreaIndex, Place
from chalicelib.domain.regions import RegionConfig, default_categories
from support.actors import Actor

VERIFIER, ADMIN, PLATFORM = Actor("v", "verifier"), Actor("a", "region_admin"), Actor("p", "platform_admin", "*")
OFFICER, HEAD = Actor("o", "officer", agency="dpupr"), Actor("h", "agency_head", agency="dpupr")
KELURAHAN, CITIZEN = Actor("k", "officer", kelurahan_code="99.01.01.1001"), Actor("c", "citizen")


def region():
    return RegionConfig.from_record({
        "region_id": "r", "name": "R", "kemendagri_code": "99.01", "time_zone": "WIB",
        "categories": default_categories(),
        "agencies": [{"code": "dpupr", "name_id": "Dinas PUPR", "name_en": "Public Works"}],
        "areas": [{"code": "99.01.01", "name": "Kec", "kelurahan": [{"code": "99.01.01.1001", "name": "Kel"},
                                                                     {"code": "99.01.01.1002", "name": "Lain"}]}]})

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
AT = "2026-11-23T02:00:00.000000Z"
KEL, OTHER = "99.01.01.1001", "99.01.01.1002"
# two desa side by side: KEL on [111.0, 111.1], OTHER on [111.1, 111.2] (lat -8.1 .. -8.0)
AREAS = AreaIndex.build([
    (Place(KEL, "Kel", "99.01.01", "Kec"), [[[[111.0, -8.1], [111.1, -8.1], [111.1, -8.0], [111.0, -8.0], [111.0, -8.1]]]]),
    (Place(OTHER, "Lain", "99.01.01", "Kec"),
     [[[[111.1, -8.1], [111.2, -8.1], [111.2, -8.0], [111.1, -8.0], [111.1, -8.1]]]]),
])
IN_KEL, IN_OTHER = (-8.05, 111.05), (-8.05, 111.15)


def report(**fields):
    base = {"id": "a" * 32, "region_id": "r", "status": "waiting", "version": 3, "routed_at": AT, "lat": None,
            "lon": None, "kelurahan_code": KEL, "kelurahan": "Kel", "confidential": None, "agency": "dpupr"}
    return SimpleNamespace(**{**base, **fields})


def plan(current, point=IN_KEL, actor=VERIFIER, note=None):
    return plans.plan_location(current, point[0], point[1], note, actor, region(), AREAS, NOW)


def test_a_waiting_report_gets_its_point_and_its_desa_from_it():
    change = plan(report(kelurahan_code=None, kelurahan=None), IN_OTHER, note="ditelepon")
    f = change.fields
    assert (f["lat"], f["lon"], f["updated_at"]) == (-8.05, 111.15, AT)
    assert (f["kelurahan_code"], f["kelurahan"], f["kecamatan_code"], f["out_of_area"]) == (OTHER, "Lain", "99.01.01",
                                                                                            False)
    assert f["kelurahan_key"] == f"r#{OTHER}" and f["hint_mismatch"] is False
    assert "agency" not in f and "agency_key" not in f  # routing by category is unchanged
    assert f["off_map"] is None and "map_key" not in f  # verification gives it its region's map key
    c = change.condition
    assert (c.region_id, c.statuses, c.version) == ("r", ("waiting",), 3)
    [entry] = change.append["history"]
    assert "status" not in entry and entry["comment"] == "ditelepon" and entry["actor_role"] == "verifier"
    assert entry["note_code"] == "history_located" and "Lain" in entry["note"]["id"]
    assert change.event is None  # no change of status: no message


@pytest.mark.parametrize("status", ["verified", "in_process"])
def test_a_verified_report_joins_the_map_in_its_own_desa(status):
    change = plan(report(status=status), IN_KEL, actor=ADMIN)
    f = change.fields
    assert f["map_key"] == "r" and f["off_map"] is None and "kelurahan_code" not in f
    assert change.condition.statuses == (status,)
    with pytest.raises(Unprocessable) as error:
        plan(report(status=status), IN_OTHER)
    assert error.value.code == "point_in_other_kelurahan"


def test_a_confidential_report_keeps_off_the_map():
    for status in ("waiting", "verified"):
        f = plan(report(status=status, confidential=True)).fields
        assert "off_map" not in f and "map_key" not in f and f["lat"] == -8.05


@pytest.mark.parametrize("status", ["done", "rejected", "duplicate", "forwarded"])
def test_a_closed_report_is_not_moved(status):
    with pytest.raises(Conflict) as error:
        plan(report(status=status))
    assert error.value.code == "location_closed"


def test_an_unrouted_report_waits_for_its_routing():
    with pytest.raises(Conflict) as error:
        plan(report(routed_at=None))
    assert error.value.code == "location_not_routed"


@pytest.mark.parametrize("point", [(-6.2, 106.8), (0.0, 0.0), (-8.05, 111.25), (-90.0, 180.0)])
def test_a_point_outside_every_desa_is_422(point):
    with pytest.raises(Unprocessable) as error:
        plan(report(), point)
    assert error.value.code == "point_outside_region"


@pytest.mark.parametrize("point", [(float("nan"), 111.05), (-8.05, float("inf")), (-91.0, 111.05), (-8.05, 181.0),
                                   (float("-inf"), 0.0)])
def test_a_point_that_is_no_wgs84_position_is_400(point):
    with pytest.raises(InvalidInput) as error:
        plan(report(), point)
    assert error.value.code == "out_of_range"


def test_who_may_set_a_point():
    assert plan(report(), actor=PLATFORM).fields["lat"] == -8.05
    for actor in (OFFICER, HEAD, KELURAHAN):
        with pytest.raises(Forbidden):
            plan(report(), actor=actor)
    for actor in (CITIZEN, Actor("x", "verifier", region_id="other")):
        with pytest.raises(NotFound):
            plan(report(), actor=actor)


def test_coordinates_are_stored_to_seven_decimals():
    f = plan(report(), (-8.050000000049, 111.05000000001)).fields
    assert (f["lat"], f["lon"]) == (-8.05, 111.05)
