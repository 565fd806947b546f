"""The local server's console files (devstack/console.py): the API's paths
stay the API's, nothing outside web/dist is served, and the security
headers the deployed distribution sets are set locally too."""
from devstack import console


def _dist(tmp_path):
    (tmp_path / "assets").mkdir(parents=True)
    (tmp_path / "index.html").write_text("<!doctype html><title>x</title>")
    (tmp_path / "assets" / "app-ABC.js").write_text("console.log(1)")
    (tmp_path / "build.json").write_text("{}")
    (tmp_path.parent / "secret.txt").write_text("no")
    return tmp_path


def test_api_paths_are_left_to_the_api():
    for path in ("/v1/regions/x", "/v1/client-config?x=1", "/openapi.json", "/health"):
        assert console.is_api(path)
    for path in ("/", "/assets/app.js", "/index.html", "/v1x"):
        assert not console.is_api(path)


def test_index_and_hashed_assets_with_their_cache_lifetimes_and_security_headers(tmp_path):
    dist = _dist(tmp_path / "dist")
    status, headers, body = console.response("/?lang=en", "http://127.0.0.1:9", dist)
    assert status == 200 and body.startswith(b"<!doctype") and headers["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "connect-src 'self' http://127.0.0.1:9" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    status, headers, _ = console.response("/assets/app-ABC.js", "", dist)
    assert status == 200 and "immutable" in headers["Cache-Control"] and headers["Content-Type"].startswith("text/javascript")


def test_nothing_outside_the_build_and_not_its_manifest(tmp_path):
    dist = _dist(tmp_path / "dist")
    for path in ("/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/build.json", "/nope.js"):
        status, _, body = console.response(path, "", dist)
        assert status == 404 and b"no" != body


def test_an_unbuilt_console_says_how_to_build_it(tmp_path):
    status, _, body = console.response("/", "", tmp_path)
    assert status == 503 and b"make console" in body
