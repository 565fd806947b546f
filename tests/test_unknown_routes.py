"""A path no route matches answers 404 in our error shape, in the caller's
language (API Gateway's default would be ``403 {"message": "Missing
Authentication Token"}``; see ``devstack/gateway.py`` and the gateway responses
in ``infra/stack.py``); a known path with an unknown method answers 405."""
import pytest

from chalicelib.domain import i18n

LANGUAGES = [({}, "id"), ({"Accept-Language": "en-US,en;q=0.9"}, "en")]


def assert_error(response, status, code, lang):
    assert response.status_code == status, response.body
    assert response.json_body == {"error": {"code": code, "message": i18n.message(code, lang)}}
    assert response.headers["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("headers,lang", LANGUAGES)
@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE", "OPTIONS"])
def test_unknown_path_is_404_not_found(api, method, headers, lang):
    response = api.client.http.request(method, "/v1/nope", headers=headers, body=b"{}")
    assert_error(response, 404, "not_found", lang)
    assert response.headers["Content-Language"] == lang


@pytest.mark.parametrize("headers,lang", LANGUAGES)
def test_unknown_path_with_a_bearer_token_is_404_too(api, headers, lang):
    # API Gateway (and Chalice's imitation) answers this one with a 403 about
    # SigV4 credentials instead.
    response = api.get("/v1/nope/deeper", headers=headers, as_="citizen")
    assert_error(response, 404, "not_found", lang)


@pytest.mark.parametrize("headers,lang", LANGUAGES)
def test_known_path_unknown_method_is_405(api, headers, lang):
    response = api.client.http.request("DELETE", "/v1/reports/" + "a" * 32, headers=headers)
    assert_error(response, 405, "method_not_allowed", lang)
    assert "GET" in response.headers["Allow"]


def test_known_routes_are_untouched(api):
    assert api.get("/health").status_code == 200
    response = api.get("/v1/reports/" + "a" * 32)
    assert response.status_code in (401, 404) and "error" in response.json_body
