"""What the console and the mobile app read before signing in, and the
region's map tiles (none by default: the boundaries are the base layer)."""
import json

import pytest


def test_client_config_names_the_sign_in_endpoint_client_and_live_regions(api):
    reply = api.get("/v1/client-config")
    assert reply.status_code == 200
    body = reply.json_body
    assert body["sign_in"]["flow"] == "USER_PASSWORD_AUTH"
    assert body["sign_in"]["client_id"] and body["sign_in"]["endpoint"].startswith("http")
    assert {"region_id": "trenggalek", "name": "Kabupaten Trenggalek", "status": "trial"} in body["regions"]
    assert "public" in reply.headers["Cache-Control"]


def _patch(api, body, as_="region_admin"):
    return api.client.http.patch("/v1/regions/trenggalek", body=json.dumps(body), headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {api.tokens[as_]}"})


def test_map_tiles_are_none_by_default_then_set_and_cleared_by_the_region_admin(api):
    assert api.get("/v1/regions/trenggalek").json_body["map_tiles"] is None
    tiles = {"url": "https://tiles.trenggalekkab.go.id/{z}/{x}/{y}.png", "attribution": "© Pemkab Trenggalek",
             "max_zoom": 18}
    assert _patch(api, {"map_tiles": tiles}, as_="verifier").status_code == 403
    assert _patch(api, {"map_tiles": tiles}).status_code == 200
    assert api.get("/v1/regions/trenggalek").json_body["map_tiles"] == tiles  # the public sees them
    assert _patch(api, {"map_tiles": None}).status_code == 200
    assert api.get("/v1/regions/trenggalek").json_body["map_tiles"] is None


@pytest.mark.parametrize("tiles", [
    {"url": "http://tiles.example.com/{z}/{x}/{y}.png", "attribution": "x"},  # not https
    {"url": "https://tiles.example.com/tile.png", "attribution": "x"},  # no {z}
    {"url": "https://tiles.example.com/{z}/{x}.png", "attribution": "x"},  # no {y}
    {"url": "https://tiles.example.com/{z}/{x}/{y}.png\"><script>", "attribution": "x"},
    {"url": "https://tiles.example.com/{z}/{x}/{y}.png", "attribution": ""},
    {"url": "https://tiles.example.com/{z}/{x}/{y}.png", "attribution": "x", "max_zoom": 40},
    {"url": "https://tiles.example.com/{z}/{x}/{y}.png", "attribution": "x", "extra": 1},
])
def test_bad_map_tiles_are_refused_and_nothing_changes(api, tiles):
    reply = _patch(api, {"map_tiles": tiles})
    assert reply.status_code == 400 and set(reply.json_body["error"]) >= {"code", "message"}
    assert api.get("/v1/regions/trenggalek").json_body["map_tiles"] is None
