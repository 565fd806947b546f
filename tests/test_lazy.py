"""The capabilities only rare requests need are imported on first use
(``chalicelib/lazy.py``), not by every cold start; and a lazy module is the
real module to its callers (a monkeypatch of the real one is seen)."""
import subprocess
import sys

RARE = ("chalicelib.services.boundaries.uploads", "chalicelib.services.exports", "chalicelib.services.privacy",
        "chalicelib.services.projects.ocds", "chalicelib.domain.boundaries", "shapefile",
        "chalicelib.services.open311", "chalicelib.services.sms", "chalicelib.services.intake",
        "chalicelib.services.webhooks", "chalicelib.services.forwarding", "chalicelib.adapters.webhook_http")


def test_a_cold_start_imports_none_of_the_rare_capabilities():
    code = "import sys, app; print(' '.join(m for m in %r if m in sys.modules))" % (RARE,)
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={"ADUAN_STAGE": "test", "AWS_DEFAULT_REGION": "ap-southeast-3", "PATH": ""}).stdout
    assert loaded.split() == []


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
