"""Pure domain rules, no AWS."""
import pytest

from chalicelib.domain import i18n
from chalicelib.domain import reports as rules
from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.geo.index import AreaIndex
from chalicelib.domain.regions import RegionConfig, default_categories

SQUARE = [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]]


def polygon_contains(polygon, lon, lat):
    return AreaIndex.from_features([feature("A", "K", polygon)]).locate(lon, lat) is not None
WITH_HOLE = SQUARE + [[[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]]


@pytest.mark.parametrize("point,inside", [
    ((5, 5), True), ((0, 5), True), ((10, 10), True), ((10.0001, 5), False), ((-1, -1), False), ((5, 10.5), False),
])
def test_point_in_square(point, inside):
    assert polygon_contains(SQUARE, *point) is inside


def test_holes_are_outside():
    assert polygon_contains(WITH_HOLE, 5, 5) is False
    assert polygon_contains(WITH_HOLE, 2, 2) is True


def test_concave_polygon():
    u_shape = [[[0, 0], [9, 0], [9, 9], [6, 9], [6, 3], [3, 3], [3, 9], [0, 9], [0, 0]]]
    assert polygon_contains(u_shape, 4.5, 6) is False  # in the notch
    assert polygon_contains(u_shape, 1.5, 6) is True
    assert polygon_contains(u_shape, 7.5, 6) is True


def feature(code, kec, coordinates, kind="Polygon"):
    return {"type": "Feature", "geometry": {"type": kind, "coordinates": coordinates},
            "properties": {"kelurahan_code": code, "kelurahan": f"Desa {code}", "kecamatan_code": kec,
                           "kecamatan": f"Kec {kec}"}}


def test_area_index_multipolygon_and_shared_border():
    index = AreaIndex.from_features([
        feature("B", "K1", [[[10, 0], [20, 0], [20, 10], [10, 10], [10, 0]]]),
        feature("A", "K1", [SQUARE, [[[30, 30], [31, 30], [31, 31], [30, 31], [30, 30]]]], "MultiPolygon"),
    ])
    assert index.locate(5, 5).kelurahan_code == "A"
    assert index.locate(30.5, 30.5).kelurahan_code == "A"  # the island
    assert index.locate(15, 5).kelurahan_code == "B"
    assert index.locate(10, 5).kelurahan_code == "A"  # border: lowest code, every time
    assert index.locate(50, 50) is None


def region(**kw):
    record = {"region_id": "r", "name": "R", "kemendagri_code": "99.01", "time_zone": "WITA",
              "categories": default_categories(), "agencies": [{"code": "dlh", "name_id": "DLH", "name_en": "Env"}],
              "areas": [{"code": "99.01.01", "name": "Kec", "kelurahan": [{"code": "99.01.01.1001", "name": "Kel"}]}]}
    record.update(kw)
    return RegionConfig.from_record(record)


def parse_new_report(body, region):
    """A report body as the API reads it: shape at the edge, then the domain's rules."""
    from chalicelib.api.body import convert
    from chalicelib.contract.reports import NewReport

    return rules.check_new_report(convert(body, NewReport), region)


def test_parse_new_report_accepts_and_normalises():
    draft = parse_new_report({"category": "sampah", "description": "  bau  ", "lat": -8, "lon": 111,
                                    "kelurahan_code": "99.01.01.1001", "address": " Jl. A "}, region())
    assert draft.description == "bau" and draft.lat == -8.0 and draft.address == "Jl. A"
    assert draft.fingerprint() == parse_new_report(
        {"category": "sampah", "description": "bau", "lat": -8.00000001, "lon": 111.0, "kelurahan_code": "99.01.01.1001",
         "address": "Jl. A"}, region()).fingerprint()


def test_retired_category_is_refused_for_new_reports():
    cats = default_categories()
    cats[0]["active"] = False
    with pytest.raises(InvalidInput) as error:
        parse_new_report({"category": cats[0]["code"], "description": "x", "lat": 0, "lon": 0},
                               region(categories=cats))
    assert error.value.code == "category_retired"


def test_nan_and_infinity_are_out_of_range():
    for value in (float("nan"), float("inf")):
        with pytest.raises(InvalidInput):
            parse_new_report({"category": "sampah", "description": "x", "lat": value, "lon": 0}, region())


def test_report_ids():
    assert rules.new_report_id("r", "k") == rules.new_report_id("r", "k")
    assert rules.new_report_id("r", "k") != rules.new_report_id("other", "k")
    assert rules.new_report_id("r", None) != rules.new_report_id("r", None)
    with pytest.raises(NotFound):
        rules.check_report_id("../../etc")
    with pytest.raises(InvalidInput):
        rules.check_idempotency_key("has space")
    with pytest.raises(InvalidInput):
        rules.check_idempotency_key("k" * 129)


def test_local_time_uses_the_regions_zone():
    assert rules.local_iso("2026-11-22T01:00:00.000000Z", region()) == "2026-11-22T09:00:00+08:00"


def test_route_uses_category_table_and_polygons():
    index = AreaIndex.from_features([feature("99.01.01.1001", "99.01.01", SQUARE)])
    inside = rules.route(region(), index, "sampah", lat=5, lon=5, kelurahan_hint="99.01.01.1001")
    assert (inside.agency, inside.team, inside.kelurahan_code, inside.out_of_area) == ("dlh", "yellow", "99.01.01.1001", False)
    assert inside.hint_mismatch is False
    outside = rules.route(region(), index, "sampah", lat=50, lon=50, kelurahan_hint="99.01.01.1001")
    assert outside.out_of_area and outside.kelurahan_code is None and outside.hint_mismatch
    note = outside.history("waiting", "2026-01-01T00:00:00.000000Z", region())["note"]
    assert "luar batas wilayah" in note["id"] and "outside" in note["en"]


@pytest.mark.parametrize("header,expected", [
    (None, "id"), ("", "id"), ("en", "en"), ("en-US,en;q=0.9", "en"), ("id-ID,en;q=0.8", "id"),
    ("fr-FR,en;q=0.5", "en"), ("de", "id"), ("en;q=0.2,id;q=0.9", "id"), ("en;q=0", "id"), ("EN-gb", "en"),
])
def test_language_negotiation(header, expected):
    assert i18n.negotiate(header) == expected


def test_every_message_has_both_languages_and_fills_its_placeholders():
    for code, texts in i18n.MESSAGES.items():
        assert set(texts) == set(i18n.LANGUAGES), code
        params = {name: "x" for text in texts.values() for name in i18n.placeholders(text)}
        for language in i18n.LANGUAGES:
            assert "{" not in i18n.message(code, language, **params), code


def test_ttl_cache_expires(monkeypatch):
    from chalicelib.services.regions import TtlCache

    now = [0.0]
    cache = TtlCache(clock=lambda: now[0])
    loads = []
    monkeypatch.setenv("ADUAN_CONFIG_TTL", "60")
    value = lambda: loads.append(1) or len(loads)  # noqa: E731
    assert cache.get("k", value) == 1
    now[0] = 59
    assert cache.get("k", value) == 1
    now[0] = 61
    assert cache.get("k", value) == 2


def test_one_list_of_roles():
    """The contract's staff roles, the user pool's groups and the identity's
    precedence all come from domain/roles.py."""
    import typing

    from chalicelib import resources
    from chalicelib.contract.accounts import StaffRequest
    from chalicelib.domain import roles

    role_type = typing.get_type_hints(StaffRequest)["role"]
    assert typing.get_args(role_type) == roles.CREATED_BY_REGION_ADMIN
    assert set(resources.USER_POOL.groups) == set(roles.ROLES)
    for subset in (roles.OUTSIDE, roles.ADMINS, roles.DESK, roles.REPORT_STAFF, roles.PROJECT_MANAGERS,
                   roles.CREATED_BY_REGION_ADMIN):
        assert set(subset) <= set(roles.ROLES)


def test_indonesian_messages_write_a_decimal_comma_and_english_a_point():
    texts = i18n.both("flag_money_ahead_of_work", financial=50.5, physical=10.0, margin=25)
    assert "keuangan 50,5% melampaui fisik 10,0% lebih dari 25 poin" in texts["id"]
    assert "financial 50.5% exceeds physical 10.0% by more than 25 points" in texts["en"]
