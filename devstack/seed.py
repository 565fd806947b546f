"""Seed the demo region into whatever the store points at."""
from __future__ import annotations

from chalicelib.store import regions as region_store

from . import demo_region


def seed_demo_region(region_id: str = demo_region.REGION_ID) -> dict[str, int]:
    """Create the demo region and its demo polygons unless they exist."""
    existing = region_store.get(region_id)
    if existing is None:
        region_store.put(demo_region.region_record(region_id, demo_region.KEMENDAGRI_CODE, "WIB"))
    record = region_store.get(region_id)
    assert record is not None
    polygons = 0
    if not record["boundaries_version"]:
        features = demo_region.demo_boundaries()["features"]
        polygons = region_store.put_boundaries(region_id, 1, features, demo_region.DEMO_NOTE)
    if not record.get("notify_topic_arn"):
        from chalicelib.services.notifications import topic_for

        topic_for(region_id)
    kelurahan = sum(len(kec["kelurahan"]) for kec in record["areas"])
    return {"kecamatan": len(record["areas"]), "kelurahan": kelurahan, "polygons_written": polygons,
            "categories": len(record["categories"]), "agencies": len(record["agencies"])}


DEMO_PASSWORD = "demo-password-1"
# role (as `make token ROLE=…` names it) -> (username, Cognito group, custom attributes, name)
DEMO_ACCOUNTS: dict[str, tuple[str, str, dict[str, str], str]] = {
    "citizen": ("+6281200000001", "citizen", {}, "Warga Demo"),
    "citizen2": ("+6281200000002", "citizen", {}, "Warga Demo Dua"),
    "verifier": ("verifikator@trenggalek.demo", "verifier", {}, "Verifikator Demo"),
    "officer": ("petugas.pupr@trenggalek.demo", "officer", {"agency": "dpupr"}, "Petugas PUPR Demo"),
    "officer2": ("petugas2.pupr@trenggalek.demo", "officer", {"agency": "dpupr"}, "Petugas PUPR Dua"),
    "kelurahan_officer": ("petugas.kelurahan@trenggalek.demo", "officer",
                          {"kelurahan_code": "35.03.01.2001"}, "Petugas Desa Demo"),
    "agency_head": ("kadis.pupr@trenggalek.demo", "agency_head", {"agency": "dpupr"}, "Kepala Dinas PUPR Demo"),
    "region_admin": ("admin@trenggalek.demo", "region_admin", {}, "Admin Trenggalek Demo"),
    "platform_admin": ("platform@aduan.demo", "platform_admin", {}, "Admin Platform Demo"),
}


def seed_demo_accounts(cognito, pool_id: str, region_id: str = demo_region.REGION_ID) -> dict[str, str]:
    """One account of each role for the demo region, with a known password
    (local only).  Safe to run again."""
    created = {}
    for key, (username, group, custom, name) in DEMO_ACCOUNTS.items():
        attributes = [{"Name": "name", "Value": name},
                      {"Name": "custom:region_id", "Value": "*" if group == "platform_admin" else region_id}]
        attributes.append({"Name": "phone_number", "Value": username} if username.startswith("+")
                          else {"Name": "email", "Value": username})
        attributes += [{"Name": f"custom:{k}", "Value": v} for k, v in custom.items()]
        try:
            cognito.admin_create_user(UserPoolId=pool_id, Username=username, UserAttributes=attributes,
                                      MessageAction="SUPPRESS")
        except cognito.exceptions.UsernameExistsException:
            pass
        cognito.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=DEMO_PASSWORD,
                                        Permanent=True)
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)
        created[key] = username
    return created


def sign_in(cognito, client_id: str, username: str, password: str = DEMO_PASSWORD) -> str:
    """The ID token, through the same USER_PASSWORD_AUTH sign-in a mobile app uses."""
    result = cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": username, "PASSWORD": password})
    return result["AuthenticationResult"]["IdToken"]
