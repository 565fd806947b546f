"""Partner systems' API keys: created and revoked by the region admin,
shown once, kept only as a hash, limited per key; a bad, unknown, foreign
and revoked key are answered alike."""
import pytest

from chalicelib.domain.errors import Forbidden, TooManyRequests

PARTNERS = "/v1/regions/trenggalek/partners"


def create(api, **body):
    reply = api.post(PARTNERS, {"name": "LAPOR! SP4N", "channel": "lapor", **body}, as_="region_admin")
    assert reply.status_code == 201, reply.json_body
    return reply.json_body


def test_a_key_is_shown_once_and_kept_only_as_its_hash(api, world):
    from chalicelib.store.models import PartnerModel

    made = create(api, webhook_url="https://lapor.example.go.id/hooks/aduan")
    key, secret = made["api_key"], made["webhook_secret"]
    assert key.startswith("aduan_trenggalek_" + made["id"] + "_") and secret and made["active"] is True
    listed = api.get(PARTNERS, as_="region_admin").json_body["items"]
    assert [p["id"] for p in listed] == [made["id"]]
    assert "api_key" not in listed[0] and "webhook_secret" not in listed[0] and key not in str(listed)
    assert listed[0]["key_hint"] == f"aduan_…_{made['id']}_…"
    stored = PartnerModel.get("trenggalek", made["id"]).attribute_values
    assert key.rsplit("_", 1)[-1] not in str(stored)  # the key's secret is nowhere in the item


def test_authentication_accepts_its_key_and_answers_every_bad_one_alike(api):
    from chalicelib.services import partners

    made = create(api)
    key = made["api_key"]
    found = partners.authenticate(key)
    assert (found.region_id, found.partner_id, found.channel) == ("trenggalek", made["id"], "lapor")
    assert partners.authenticate(key, region_id="trenggalek", channels=("lapor",)).partner_id == made["id"]
    other = create(api, name="Call centre", channel="call_centre")["api_key"]
    wrong_secret = key[:-1] + ("A" if key[-1] != "A" else "B")
    hostile = [None, "", "x", key + "x", wrong_secret, key.replace("trenggalek", "kupang"), "aduan_" + "a" * 300,
               key.upper(), "\ud800" * 10, key.replace(made["id"], "0" * 16), "' OR 1=1 --", "aduan_trenggalek__"]
    for bad in hostile:
        with pytest.raises(Forbidden) as raised:
            partners.authenticate(bad)
        assert raised.value.code == "invalid_api_key", bad
    with pytest.raises(Forbidden):
        partners.authenticate(key, region_id="kupang")  # the caller names another region
    with pytest.raises(Forbidden):
        partners.authenticate(other, channels=("lapor", "open311"))  # a key of another channel
    assert api.post(f"{PARTNERS}/{made['id']}/revoke", as_="region_admin").json_body["active"] is False
    with pytest.raises(Forbidden):
        partners.authenticate(key)
    # revoking twice answers the same; an unknown partner is 404
    again = api.post(f"{PARTNERS}/{made['id']}/revoke", as_="region_admin")
    assert again.status_code == 200 and again.json_body["active"] is False
    assert api.post(f"{PARTNERS}/{'f' * 16}/revoke", as_="region_admin").status_code == 404


def test_a_key_is_limited_per_minute(api):
    from chalicelib.services import partners

    key = create(api, rate_per_minute=2)["api_key"]
    partners.authenticate(key)
    partners.authenticate(key)
    with pytest.raises(TooManyRequests) as raised:
        partners.authenticate(key)
    assert 1 <= raised.value.retry_after <= 60
    partners.authenticate(key, count=False)  # a lookup that is not a request is not counted


@pytest.mark.parametrize("body", [
    {"name": "X", "channel": "fax"},
    {"name": "", "channel": "sms"},
    {"name": "X", "channel": "sms", "webhook_url": "http://plain.example.id/hook"},
    {"name": "X", "channel": "sms", "webhook_url": "https://user:pw@evil.example/hook"},
    {"name": "X", "channel": "sms", "webhook_url": "https://ok.example.id/a b"},
    {"name": "X", "channel": "sms", "webhook_url": "javascript:alert(1)"},
    {"name": "X", "channel": "sms", "rate_per_minute": 0},
    {"name": "X", "channel": "sms", "rate_per_minute": 10 ** 30},
    {"name": "X", "channel": "sms", "api_key": "aduan_mine"},
    {"name": "X" * 121, "channel": "sms"},
])
def test_hostile_partner_bodies_are_400_and_store_nothing(api, body):
    reply = api.post(PARTNERS, body, as_="region_admin")
    assert reply.status_code == 400 and reply.json_body["error"]["code"], body
    assert api.get(PARTNERS, as_="region_admin").json_body["items"] == []


def test_only_the_region_admin_manages_keys(api):
    for role in ("verifier", "officer", "agency_head", "citizen", None):
        assert api.post(PARTNERS, {"name": "X", "channel": "sms"}, as_=role).status_code in (401, 403), role
        assert api.get(PARTNERS, as_=role).status_code in (401, 403), role
    assert api.get(PARTNERS, as_="region_admin").json_body["items"] == []
