"""The OpenAPI document is generated, valid, and describes exactly the app's routes."""
from openapi_spec_validator import validate

from chalicelib.api.openapi import document


def test_openapi_document_is_valid():
    from app import app  # noqa: F401 - registers every operation

    validate(document())


def test_openapi_describes_every_route_and_method():
    from app import app

    described = {(path, method.upper()) for path, item in document()["paths"].items() for method in item}
    served = {(path, method) for path, methods in app.routes.items() for method in methods}
    assert described == served


def test_security_comes_from_each_operation_declared_auth():
    from app import app  # noqa: F401
    from chalicelib.api.endpoint import OPERATIONS

    paths = document()["paths"]
    for op in OPERATIONS:
        described = paths[op.path][op.method]
        if op.auth == "required":
            assert described["security"] == [{"cognito": []}] and "401" in described["responses"]
        elif op.auth == "optional":
            assert {} in described["security"] and "401" in described["responses"]
        else:
            assert "security" not in described
        if op.roles:
            assert described["x-roles"] == list(op.roles) and "403" in described["responses"]


def test_no_hand_written_schemas_are_left():
    """Every schema in the document is a component generated from a model."""
    doc = document()
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                for media_type, media in response.get("content", {}).items():
                    schema = media["schema"]
                    generated = _generated(schema) or (media_type in ("text/csv", "text/xml")
                                                       and schema == {"type": "string"})
                    assert generated or path == "/openapi.json", (path, method, status, schema)


def _generated(schema):
    """A component, a list of one (Open311's top-level arrays) or one of several (its documents)."""
    if "$ref" in schema:
        return True
    if schema.get("type") == "array":
        return "$ref" in schema.get("items", {})
    return bool(schema.get("anyOf")) and all(_generated(option) for option in schema["anyOf"])


def test_openapi_is_served(api):
    response = api.get("/openapi.json")
    assert response.status_code == 200
    assert response.json_body["openapi"] == "3.1.0"


def test_every_number_a_client_sends_is_bounded():
    """``1e400`` parses as infinity and a 400-digit integer overflows a float:
    a bounded field refuses both (``out_of_range``); an unbounded one would
    let them reach DynamoDB."""
    import msgspec.inspect as mi

    from app import app  # noqa: F401
    from chalicelib.api.endpoint import OPERATIONS

    unbounded = []

    def walk(kind, where, seen):
        while isinstance(kind, mi.Metadata):
            kind = kind.type
        if isinstance(kind, (mi.IntType, mi.FloatType)):
            if (kind.ge, kind.gt) == (None, None) or (kind.le, kind.lt) == (None, None):
                unbounded.append(where)
        elif isinstance(kind, mi.StructType):
            if kind.cls in seen:
                return
            for field in kind.fields:
                walk(field.type, f"{kind.cls.__name__}.{field.name}", seen | {kind.cls})
        elif isinstance(kind, mi.UnionType):
            for member in kind.types:
                walk(member, where, seen)
        elif isinstance(kind, (mi.ListType, mi.VarTupleType, mi.SetType, mi.FrozenSetType)):
            walk(kind.item_type, f"{where}[]", seen)
        elif isinstance(kind, mi.TupleType):
            for member in kind.item_types:
                walk(member, f"{where}[]", seen)
        elif isinstance(kind, mi.DictType):
            walk(kind.value_type, f"{where}{{}}", seen)

    for op in OPERATIONS:
        for model in (op.body, op.query):
            if model is not None:
                walk(mi.type_info(model), model.__name__, frozenset())
    assert not unbounded, unbounded
