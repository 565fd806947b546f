"""The caller's address for the per-source limits (``chalicelib/api/source.py``):
CloudFront's ``CloudFront-Viewer-Address`` is believed only with the console
distribution's origin secret; anything else falls back to API Gateway's
``sourceIp``, never to an error."""
from types import SimpleNamespace

import pytest
from chalice.app import CaseInsensitiveMapping, Request

from chalicelib import resources
from chalicelib.api import source

SECRET = "s3cretFromSecretsManager0123456789abcdefghijklmnopqrstuvwxyzABCD"
EDGE = "130.176.1.1"  # a CloudFront edge server, as API Gateway sees it


def request(headers=None, source_ip=EDGE):
    context = {"identity": {"sourceIp": source_ip}} if source_ip is not None else {}
    return SimpleNamespace(headers=CaseInsensitiveMapping(headers or {}), context=context)


def through_cloudfront(viewer, secret=SECRET):
    headers = {"CloudFront-Viewer-Address": viewer}
    if secret is not None:
        headers[resources.CONSOLE_ORIGIN_SECRET.header] = secret
    return request(headers)


@pytest.fixture
def configured(monkeypatch):
    monkeypatch.setenv(resources.CONSOLE_ORIGIN_SECRET.environment, SECRET)


@pytest.mark.parametrize("value, address", [
    ("198.51.100.7:46532", "198.51.100.7"),
    ("203.0.113.250:0", "203.0.113.250"),
    ("2001:db8::1:443", "2001:db8::1"),
    ("2001:0db8:0000:0000:0000:0000:0000:0001:65535", "2001:db8::1"),  # canonical form: one bucket per address
    ("2406:2d40:728d:fa10::c4a:42838", "2406:2d40:728d:fa10::c4a"),
    ("[2001:db8::7]:443", "2001:db8::7"),
    ("::ffff:198.51.100.7:443", "198.51.100.7"),  # IPv4-mapped: the IPv4 address's bucket
    (" 198.51.100.7:46532 ", "198.51.100.7"),
])
def test_a_viewer_address_is_ip_and_port(value, address):
    assert source.viewer_address(value) == address


@pytest.mark.parametrize("value", [
    None, "", ":", ":443", "garbage", "garbage:443", "198.51.100.7",  # no port
    "198.51.100.7:", "198.51.100.7:http", "198.51.100.7:65536", "198.51.100.7:123456", "198.51.100.7:-1",
    "198.51.100.7:４４３",  # full-width digits
    "2001:db8::1",  # no port: read as 2001:db8: and 1, not an address
    "256.1.1.1:443", "01.2.3.4:443", "1.2.3:443", "fe80::1%eth0:443", "[2001:db8::1:443",
    "198.51.100.7:443, 203.0.113.9:443",  # two values joined
    "1" * 200 + ":443", "ünïcode:443", "198.51.100.7\x00:443",
])
def test_anything_else_is_no_address(value):
    assert source.viewer_address(value) is None


def test_without_a_configured_secret_the_viewer_header_is_never_believed(monkeypatch):
    monkeypatch.delenv(resources.CONSOLE_ORIGIN_SECRET.environment, raising=False)
    assert source.address(through_cloudfront("198.51.100.7:46532")) == EDGE
    monkeypatch.setenv(resources.CONSOLE_ORIGIN_SECRET.environment, "")  # set but empty: the same
    assert source.address(through_cloudfront("198.51.100.7:46532", secret="")) == EDGE


def test_a_forged_viewer_header_without_the_secret_is_ignored(configured):
    assert source.address(through_cloudfront("198.51.100.7:46532", secret=None)) == EDGE
    assert source.address(request({"CloudFront-Viewer-Address": "198.51.100.7:1"}, source_ip="192.0.2.44")) == \
        "192.0.2.44"


@pytest.mark.parametrize("wrong", ["", "wrong", SECRET[:-1], SECRET + "x", SECRET.lower(), " " + SECRET,
                                   "ünïcode-sëcret", "\ud800"])
def test_a_wrong_secret_is_ignored(configured, wrong):
    assert source.address(through_cloudfront("198.51.100.7:46532", secret=wrong)) == EDGE


def test_the_right_secret_makes_the_viewer_the_caller(configured):
    assert source.address(through_cloudfront("198.51.100.7:46532")) == "198.51.100.7"
    assert source.address(through_cloudfront("2001:db8::1:443")) == "2001:db8::1"
    # header names in any case, as API Gateway passes them on
    lower = request({"cloudfront-viewer-address": "198.51.100.8:1",
                     resources.CONSOLE_ORIGIN_SECRET.header.lower(): SECRET})
    assert source.address(lower) == "198.51.100.8"


@pytest.mark.parametrize("viewer", [None, "", "garbage", "198.51.100.7", "2001:db8::1", "1.2.3.4:99999"])
def test_a_malformed_or_missing_viewer_address_falls_back_to_the_connection(configured, viewer):
    headers = {resources.CONSOLE_ORIGIN_SECRET.header: SECRET}
    if viewer is not None:
        headers["CloudFront-Viewer-Address"] = viewer
    assert source.address(request(headers)) == EDGE


def test_the_connection_address_is_api_gateways_source_ip():
    assert source.address(request(source_ip="203.0.113.7")) == "203.0.113.7"
    assert source.address(request(source_ip="2001:0db8::0001")) == "2001:db8::1"
    assert source.address(request(source_ip=None)) is None
    assert source.address(SimpleNamespace(headers=CaseInsensitiveMapping({}), context=None)) is None
    assert source.address(request(source_ip="test-invoke-source-ip")) == "test-invoke-source-ip"  # console test calls


def test_a_viewer_header_sent_twice_is_not_believed(configured):
    """A viewer's own CloudFront-Viewer-Address next to CloudFront's: API
    Gateway keeps one in ``headers``, both in ``multiValueHeaders``."""
    def event(values):
        headers = {resources.CONSOLE_ORIGIN_SECRET.header: SECRET, "CloudFront-Viewer-Address": values[-1]}
        multi = {resources.CONSOLE_ORIGIN_SECRET.header: [SECRET], "CloudFront-Viewer-Address": values}
        return Request({"multiValueQueryStringParameters": None, "headers": headers, "multiValueHeaders": multi,
                        "pathParameters": None, "body": None, "stageVariables": None,
                        "requestContext": {"httpMethod": "POST", "resourcePath": "/", "identity": {"sourceIp": EDGE}}})

    assert source.address(event(["198.51.100.7:46532"])) == "198.51.100.7"
    assert source.address(event(["192.0.2.1:1", "198.51.100.7:46532"])) == EDGE
