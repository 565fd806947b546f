"""The OpenAPI document is valid and describes exactly the app's routes."""
from openapi_spec_validator import validate

from chalicelib.api.docs import document


def test_openapi_document_is_valid():
    validate(document())


def test_openapi_describes_every_route_and_method():
    from app import app

    described = {(path, method.upper()) for path, item in document()["paths"].items() for method in item}
    served = {(path, method) for path, methods in app.routes.items() for method in methods}
    assert described == served


def test_openapi_is_served(api):
    response = api.get("/openapi.json")
    assert response.status_code == 200
    assert response.json_body["openapi"].startswith("3.")
