"""A cold start imports the declarations and nothing a request has not
asked for (``chalicelib/lazy.py``); ordinary requests never pull in what
only rare ones need; and a lazy module is the real module to its callers (a
monkeypatch of the real one is seen)."""
import json
import subprocess
import sys

# what only rare requests need, beyond the modules their proxies name
RARE_TOO = ("chalicelib.domain.boundaries", "shapefile", "chalicelib.adapters.webhook_http")
ENV = {"ADUAN_STAGE": "test", "AWS_DEFAULT_REGION": "ap-southeast-3", "PATH": ""}


def loaded_after(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code + "; import json; from chalicelib import lazy; "
                          "print(json.dumps({'modules': sorted(sys.modules), 'deferred': lazy.DEFERRED}))"],
                         capture_output=True, text=True, check=True, env=ENV).stdout
    return json.loads(out)


def test_a_cold_start_imports_no_service_store_or_aws_sdk():
    found = loaded_after("import sys, app")
    assert [m for m in found["modules"] if m.startswith(("chalicelib.services", "chalicelib.store", "chalicelib.adapters",
                                                           "pynamodb", "botocore", "boto3"))] == []
    # every handler module defers its services: the ordinary and the rare ones are declared
    assert "chalicelib.services.reports" in found["deferred"] and found["deferred"]["chalicelib.services.sms"] is True


def test_ordinary_requests_import_none_of_the_rare_capabilities():
    found = loaded_after("import sys, importlib, app; from chalicelib.lazy import common; "
                         "[importlib.import_module(m) for m in common()]")
    rare = [name for name, is_rare in found["deferred"].items() if is_rare] + list(RARE_TOO)
    assert "chalicelib.services.reports" in found["modules"] and "pynamodb" in found["modules"]
    assert [m for m in rare if m in found["modules"]] == []


def test_a_lazy_module_forwards_to_the_real_one(monkeypatch):
    from chalicelib.lazy import lazy
    from chalicelib.services import exports

    proxy = lazy("chalicelib.services.exports")
    assert proxy.COLUMNS is exports.COLUMNS and "loaded" in repr(proxy)
    monkeypatch.setattr(exports, "SYNC_ROWS", 3)
    assert proxy.SYNC_ROWS == 3
    try:
        proxy.no_such_name  # noqa: B018
    except AttributeError:
        pass
    else:
        raise AssertionError("an unknown attribute must raise")
