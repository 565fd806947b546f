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
        from chalicelib.domain.regions import RegionConfig
        from chalicelib.services.boundaries import uploads

        polygons = uploads.publish_seed(RegionConfig.from_record(record), demo_region.demo_boundaries(),
                                        demo_region.DEMO_NOTE)
    if not record.get("notify_topic_arn"):
        from chalicelib.services.notifications import topic_for

        topic_for(region_id)
    kelurahan = sum(len(kec["kelurahan"]) for kec in record["areas"])
    return {"kecamatan": len(record["areas"]), "kelurahan": kelurahan, "polygons_written": polygons,
            "categories": len(record["categories"]), "agencies": len(record["agencies"])}


DEMO_PASSWORD = "demo-password-1"
DEMO_CONTRACTOR_NPWP = "012345678901000"
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
    # public works (QlueWork): the winner of the seeded project, another
    # contractor, the budget officer and the inspectorate
    "contractor": ("cv.majujaya@trenggalek.demo", "contractor", {"contractor": DEMO_CONTRACTOR_NPWP},
                   "CV Maju Jaya (demo)"),
    "contractor2": ("pt.lainnya@trenggalek.demo", "contractor", {"contractor": "029876543210000"},
                    "PT Kontraktor Lain (demo)"),
    "finance": ("keuangan@trenggalek.demo", "finance", {}, "Bendahara BKD Demo"),
    "inspector": ("inspektorat@trenggalek.demo", "officer", {"agency": "inspektorat"}, "Auditor Inspektorat Demo"),
}


def seed_demo_accounts(cognito, pool_id: str, region_id: str = demo_region.REGION_ID) -> dict[str, str]:
    """One account of each role for the demo region, with a known password
    (local only).  Safe to run again."""
    created = {}
    for key, (username, group, custom, name) in DEMO_ACCOUNTS.items():
        attributes = [{"Name": "name", "Value": name},
                      {"Name": "custom:region_id", "Value": "*" if group == "platform_admin" else region_id}]
        # seeded contact details count as verified (a real account verifies them with a code)
        attributes += ([{"Name": "phone_number", "Value": username}, {"Name": "phone_number_verified", "Value": "true"}]
                       if username.startswith("+") else
                       [{"Name": "email", "Value": username}, {"Name": "email_verified", "Value": "true"}])
        attributes += [{"Name": f"custom:{k}", "Value": v} for k, v in custom.items()]
        try:
            user = cognito.admin_create_user(UserPoolId=pool_id, Username=username, UserAttributes=attributes,
                                             MessageAction="SUPPRESS")["User"]["Attributes"]
        except cognito.exceptions.UsernameExistsException:
            user = cognito.admin_get_user(UserPoolId=pool_id, Username=username)["UserAttributes"]
        cognito.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=DEMO_PASSWORD,
                                        Permanent=True)
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)
        if group == "contractor":
            from chalicelib.store import projects as project_store

            project_store.claim_contractor(region_id, custom["contractor"], name, username, "seed",
                                           "2026-01-01T00:00:00.000000Z")
        if group not in ("citizen", "platform_admin"):  # the region's staff directory
            from chalicelib.services.accounts import register_staff

            sub = next(a["Value"] for a in user if a["Name"] == "sub")
            register_staff(region_id, username, sub, name, group, custom.get("agency"), custom.get("kelurahan_code"),
                           custom.get("contractor"), "seed")
        created[key] = username
    return created


def sign_in(cognito, client_id: str, username: str, password: str = DEMO_PASSWORD) -> str:
    """The ID token, through the same USER_PASSWORD_AUTH sign-in a mobile app uses."""
    result = cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": username, "PASSWORD": password})
    return result["AuthenticationResult"]["IdToken"]


def demo_project_body() -> dict:
    """The seeded public works project: a road in the demo region, won by
    the demo contractor."""
    return {
        "title": "Rehabilitasi Jalan Poros Desa (demo)",
        "description": "Pengaspalan ulang 1,2 km jalan poros desa.",
        "agency": "dpupr", "fiscal_year": 2026, "funding_source": "apbd",
        "location": {"type": "LineString", "coordinates": [[111.695, -8.102], [111.700, -8.100], [111.706, -8.099]]},
        "value": 1_250_000_000,
        "contractor": {"name": "CV Maju Jaya", "npwp": "01.234.567.8-901.000"},
        "contract_number": "027/045/406.011/2026",
        "start_date": "2026-03-02", "end_date": "2026-12-15",
    }


def seed_demo_project(region_id: str = demo_region.REGION_ID) -> str | None:
    """Register the demo project through the same service an admin uses,
    unless the region already has projects; returns its id."""
    from chalicelib.api.body import convert
    from chalicelib.auth.identity import Identity
    from chalicelib.contract.projects import NewProject
    from chalicelib.services.projects import commands
    from chalicelib.store import projects as project_store

    if next(iter(project_store.of_region(region_id)), None) is not None:
        return None
    admin = Identity(sub="seed", username="seed", role="region_admin", region_id=region_id, name="seed")
    project, _ = commands.register(region_id, convert(demo_project_body(), NewProject), admin)
    return project.id
