"""The Open Contracting (OCDS 1.1) export: the mapping, and the package
validated by libcoveocds against OCDS 1.1.5 with the Location extension,
offline.

Offline: the standard comes from the vendored ZIP (libcoveocds's
``standard_zip`` option).  The extension is declared in the package by its
public URL; ocdsextensionregistry (which libcoveocds uses) turns that URL
into the GitHub archive of the tag and downloads it with its own
``requests`` session.  A transport adapter mounted on that session serves
the archive built from the vendored copy, so the extension is really
fetched, patched into the schema and its codelists read.  Sockets are
blocked: any other fetch fails the test.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import requests

from chalicelib.domain import ocds
from support.ocds import NetworkBlocked, no_network, validate

REGION = {"region_id": "trenggalek", "name": "Kabupaten Trenggalek", "kemendagri_code": "35.03"}
PUBLISHED = "2026-11-23T09:00:00+07:00"
URI = "https://api.aduan.example/v1/regions/trenggalek/projects/ocds.json"
ROAD = [[111.70, -8.05], [111.705, -8.052], [111.712, -8.051], [111.72, -8.056]]


# --- offline plumbing (tests/support/ocds.py) ---------------------------------

@pytest.fixture(autouse=True)
def offline():
    with no_network() as adapter:
        yield adapter


# --- data -------------------------------------------------------------------

def project(n: int, **changes) -> dict:
    pid = f"{n:032x}"
    base = {
        "id": pid, "region_id": "trenggalek",
        "title": "Rehabilitasi Jalan Desa Ngantru", "description": "Pengaspalan 1,2 km jalan desa.",
        "agency": "dpupr",
        "agency_name": {"id": "Dinas Pekerjaan Umum dan Penataan Ruang", "en": "Public Works and Spatial Planning"},
        "fiscal_year": 2026, "funding_source": "apbd",
        "location": {"type": "Point", "coordinates": [111.71, -8.05]},
        "kelurahan_code": "35.03.01.2001", "kelurahan": "Ngantru",
        "kecamatan_code": "35.03.01", "kecamatan": "Trenggalek",
        "value": 1_250_000_000,
        "contractor": {"name": "CV Maju Jaya", "npwp": "01.234.567.8-901.000"},
        "contract_number": "027/123/406.011/2026",
        "start_date": "2026-03-01", "end_date": "2026-09-30",
        "status": "active", "progress_percent": 45.5, "disbursed": 500_000_000,
        "progress": [
            {"id": f"{n:02x}" + "a1" * 15, "percent": 10.0, "date": "2026-04-01", "note": "Pembersihan lahan",
             "at": "2026-04-01T10:00:00+07:00", "photo_ids": [f"{n:02x}" + "f1" * 15], "correction_reason": None},
            {"id": f"{n:02x}" + "a2" * 15, "percent": 45.5, "date": "2026-06-01", "note": None,
             "at": "2026-06-01T15:30:00+07:00", "photo_ids": [f"{n:02x}" + "f2" * 15], "correction_reason": None},
        ],
        "disbursements": [
            {"id": f"{n:02x}" + "d1" * 15, "amount": 250_000_000, "date": "2026-04-05",
             "reference": "SP2D 123/2026", "at": "2026-04-05T09:00:00+07:00"},
            {"id": f"{n:02x}" + "d2" * 15, "amount": 250_000_000, "date": "2026-06-10",
             "reference": "SP2D 456/2026", "at": "2026-06-10T09:00:00+07:00"},
        ],
        "documents": [
            {"id": f"{n:02x}" + "c1" * 15, "title": "Kontrak", "document_type": "contractSigned",
             "url": "https://files.aduan.example/p/contract.pdf?X-Amz-Signature=abc",
             "content_type": "application/pdf", "at": "2026-02-20T08:00:00+07:00"},
            {"id": f"{n:02x}" + "c2" * 15, "title": "RAB", "document_type": "billOfQuantity",
             "url": "https://files.aduan.example/p/rab.pdf", "content_type": "application/pdf",
             "at": "2026-02-20T08:05:00+07:00"},
        ],
        "photos": [
            {"id": f"{n:02x}" + "f1" * 15, "url": "https://files.aduan.example/p/f1.jpg",
             "progress_id": f"{n:02x}" + "a1" * 15, "at": "2026-04-01T10:00:00+07:00"},
            {"id": f"{n:02x}" + "f2" * 15, "url": "https://files.aduan.example/p/f2.jpg",
             "progress_id": None, "at": "2026-06-01T15:30:00+07:00"},  # linked by the report's photo_ids
        ],
        "created_at": "2026-02-15T09:00:00+07:00", "updated_at": "2026-06-10T09:00:00+07:00",
    }
    base.update(changes)
    return base


def export() -> list[dict]:
    """A realistic region: a point, a road, one not started, one finished."""
    point = project(1)
    road = project(2, title="Peningkatan Jalan Kecamatan Pogalan", funding_source="apbn",
                   location={"type": "LineString", "coordinates": ROAD}, kelurahan_code="35.03.02.2003",
                   kelurahan="Ngadirejo", kecamatan_code="35.03.02", kecamatan="Pogalan",
                   contractor={"name": "PT Karya Jalan", "npwp": "0123456789012345"})
    planned = project(3, title="Pembangunan Drainase Desa Sumberdadi", status="planned", progress_percent=0.0,
                      disbursed=0, progress=[], disbursements=[], photos=[], documents=[], description=None,
                      funding_source="dana_desa", start_date="2026-12-01", end_date="2027-03-31",
                      location={"type": "Polygon", "coordinates": [[[111.6, -8.1], [111.61, -8.1],
                                                                    [111.61, -8.09], [111.6, -8.1]]]})
    done = project(4, title="Rehabilitasi Jembatan Kali Ngasinan", status="completed", progress_percent=100.0,
                   disbursed=1_250_000_000, updated_at="2026-10-01T11:00:00+07:00")
    done["progress"].append({"id": "04" + "a3" * 15, "percent": 100.0, "date": "2026-09-28", "note": "Selesai",
                             "at": "2026-09-28T16:00:00+07:00", "photo_ids": [], "correction_reason": None})
    done["disbursements"].append({"id": "04" + "d3" * 15, "amount": 750_000_000, "date": "2026-10-01",
                                  "reference": "SP2D 789/2026", "at": "2026-10-01T11:00:00+07:00"})
    done["documents"].append({"id": "04" + "c3" * 15, "title": "Berita Acara Serah Terima",
                              "document_type": "completionCertificate",
                              "url": "https://files.aduan.example/p/bast.pdf", "content_type": "application/pdf",
                              "at": "2026-10-01T11:00:00+07:00"})
    return [point, road, planned, done]


def package(projects=None) -> dict:
    return ocds.release_package(REGION, export() if projects is None else projects, PUBLISHED, URI)


def release_of(pkg: dict, n: int) -> dict:
    return next(r for r in pkg["releases"] if r["ocid"].endswith(f"{n:032x}"))


# --- validation -------------------------------------------------------------

def test_export_is_valid_ocds_with_the_location_extension(tmp_path, offline):
    result = validate(package(), tmp_path, offline)
    assert result["validation_errors"] == []
    assert result["additional_closed_codelist_values"] == {}
    # the extension was applied (deliveryLocation is known, not an additional field)
    assert result["extensions"]["is_extended_schema"] is True
    assert result["extensions"]["invalid_extension"] == {}
    assert [e["url"] for e in result["extensions"]["extensions"]] == [ocds.LOCATION_EXTENSION]
    assert result["additional_fields"] == []
    # open codelists: only the Kemendagri gazetteer is our own code
    assert {v["codelist"] for v in result["additional_open_codelist_values"].values()} == {
        "locationGazetteers.csv"}
    assert all(v["extension_codelist"] and v["values"] == ["ID-KEMENDAGRI"]
               for v in result["additional_open_codelist_values"].values())
    assert result["version_used"] == "1.1"
    assert result["count"] == result["unique_ocids_count"] == 4
    assert result["deprecated_fields"] == []
    assert result["additional_checks"] == {}  # e.g. no empty fields


def test_milestone_status_outside_the_closed_codelist_is_reported(tmp_path, offline):
    pkg = package()
    pkg["releases"][0]["contracts"][0]["implementation"]["milestones"][0]["status"] = "onTrack"
    result = validate(pkg, tmp_path, offline)
    reported = result["additional_closed_codelist_values"]
    assert list(reported) == ["releases/contracts/implementation/milestones/status"]
    assert reported["releases/contracts/implementation/milestones/status"]["codelist"] == "milestoneStatus.csv"
    assert reported["releases/contracts/implementation/milestones/status"]["values"] == ["onTrack"]
    # ... and only there: a schema-only check would pass this package
    assert result["validation_errors"] == []


def test_amount_as_string_is_a_validation_error(tmp_path, offline):
    pkg = package()
    pkg["releases"][1]["contracts"][0]["value"]["amount"] = "1250000000"
    result = validate(pkg, tmp_path, offline)
    errors = {(e["path"], e["type"]) for e in result["validation_errors"]}
    assert ("releases/1/contracts/0/value/amount", "number") in errors, result["validation_errors"]


def test_missing_required_field_is_a_validation_error(tmp_path, offline):
    pkg = package()
    del pkg["releases"][0]["contracts"][0]["awardID"]
    result = validate(pkg, tmp_path, offline)
    assert [(e["type"], e["field"]) for e in result["validation_errors"]] == [("required", "releases/contracts")]


def test_bad_location_is_caught_by_the_extension_schema(tmp_path, offline):
    pkg = package()
    location = pkg["releases"][0]["tender"]["items"][0]["deliveryLocation"]
    location["geometry"] = {"type": "Circle", "coordinates": "111.71,-8.05"}
    result = validate(pkg, tmp_path, offline)
    assert [(e["path"], e["type"]) for e in result["validation_errors"]] == [
        ("releases/0/tender/items/0/deliveryLocation/geometry/coordinates", "array")]
    # the geometry type is the extension's closed codelist
    reported = result["additional_closed_codelist_values"]
    assert list(reported) == ["releases/tender/items/deliveryLocation/geometry/type"]
    assert reported["releases/tender/items/deliveryLocation/geometry/type"]["values"] == ["Circle"]
    assert reported["releases/tender/items/deliveryLocation/geometry/type"]["extension_codelist"] is True

    # Without the extension declared, the same data is no error at all, only
    # unknown fields: it is the extension's schema that catches it.
    del pkg["extensions"]
    result = validate(pkg, tmp_path, offline)
    assert result["validation_errors"] == []
    assert any(f["path"].endswith("/items") and f["field"] == "deliveryLocation"
               for f in result["additional_fields"])


# --- mapping ----------------------------------------------------------------

def test_package_metadata():
    pkg = package()
    assert pkg["uri"] == URI and pkg["version"] == "1.1"
    assert pkg["publishedDate"] == PUBLISHED
    assert pkg["publisher"] == {"name": "Kabupaten Trenggalek"}
    assert pkg["extensions"] == [ocds.LOCATION_EXTENSION]
    assert len(pkg["releases"]) == 4


def test_release_identity():
    pkg = package()
    release = release_of(pkg, 1)
    assert release["ocid"] == f"ocds-aduan0-trenggalek-{1:032x}"
    assert release["initiationType"] == "tender"
    assert release["date"] == "2026-06-10T09:00:00+07:00"
    assert release["tag"] == ["planning", "tender", "award", "contract", "implementation"]
    assert release_of(pkg, 3)["tag"] == ["planning", "tender", "award", "contract"]
    assert release_of(pkg, 4)["tag"][-2:] == ["implementation", "contractTermination"]
    # the release id changes with the project
    later = package([project(1, updated_at="2026-06-11T08:00:00+07:00")])["releases"][0]
    assert later["ocid"] == release["ocid"] and later["id"] != release["id"]
    assert "#" not in release["id"]
    assert len({r["id"] for r in pkg["releases"]}) == 4


def test_registered_prefix_is_used_and_a_malformed_one_refused():
    region = dict(REGION, ocid_prefix="ocds-b5fd17")
    pkg = ocds.release_package(region, [project(1)], PUBLISHED, URI)
    assert pkg["releases"][0]["ocid"] == f"ocds-b5fd17-trenggalek-{1:032x}"
    with pytest.raises(ValueError):
        ocds.release_package(dict(REGION, ocid_prefix="trenggalek"), [project(1)], PUBLISHED, URI)


def test_parties_buyer_and_supplier():
    release = release_of(package(), 1)
    buyer, supplier = release["parties"]
    assert buyer["id"] == "trenggalek-dpupr"
    assert buyer["name"] == "Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Trenggalek"
    assert buyer["roles"] == ["buyer", "procuringEntity", "payer"]
    assert release["buyer"] == {"id": buyer["id"], "name": buyer["name"]}
    assert release["tender"]["procuringEntity"] == release["buyer"]
    assert supplier["id"] == "ID-NPWP-012345678901000"
    assert supplier["identifier"] == {"scheme": "ID-NPWP", "id": "012345678901000", "legalName": "CV Maju Jaya"}
    assert supplier["roles"] == ["supplier", "payee"]
    assert release["awards"][0]["suppliers"] == [{"id": supplier["id"], "name": "CV Maju Jaya"}]
    # the 16-digit NPWP (since 2024) is kept whole
    assert release_of(package(), 2)["parties"][1]["identifier"]["id"] == "0123456789012345"
    # no transactions yet: no payer/payee roles
    assert [p["roles"] for p in release_of(package(), 3)["parties"]] == [["buyer", "procuringEntity"],
                                                                        ["supplier"]]


def test_amounts_are_whole_rupiah_in_idr():
    release = release_of(package(), 1)
    contract = release["contracts"][0]
    for value in (contract["value"], release["awards"][0]["value"], release["planning"]["budget"]["amount"]):
        assert value == {"amount": 1_250_000_000, "currency": "IDR"}
        assert type(value["amount"]) is int
    for transaction in contract["implementation"]["transactions"]:
        assert type(transaction["value"]["amount"]) is int and transaction["value"]["currency"] == "IDR"
    with pytest.raises(ValueError):
        package([project(1, value=1.5e9 + 0.5)])
    with pytest.raises(ValueError):
        package([project(1, value="1250000000")])


def test_transactions_are_the_disbursements():
    pkg = package()
    for n, p in enumerate(export(), start=1):
        release = release_of(pkg, n)
        implementation = release["contracts"][0].get("implementation", {})
        transactions = implementation.get("transactions", [])
        assert sum(t["value"]["amount"] for t in transactions) == p["disbursed"]
        assert [t["id"] for t in transactions] == [d["id"] for d in p["disbursements"]]
        buyer, supplier = release["parties"]
        for t in transactions:
            assert t["payer"] == {"id": buyer["id"], "name": buyer["name"]}
            assert t["payee"] == {"id": supplier["id"], "name": supplier["name"]}
    first = release_of(package(), 1)["contracts"][0]["implementation"]["transactions"][0]
    assert first["date"] == "2026-04-05T00:00:00+07:00"


def test_one_milestone_per_progress_report():
    pkg = package()
    milestones = release_of(pkg, 1)["contracts"][0]["implementation"]["milestones"]
    assert [m["id"] for m in milestones] == [p["id"] for p in project(1)["progress"]]
    assert {m["type"] for m in milestones} == {"delivery"}
    assert [m["status"] for m in milestones] == ["partiallyMet", "partiallyMet"]
    assert milestones[1]["title"] == "Progres fisik 45,5%"
    assert "45,5%" in milestones[1]["description"] and "2026-06-01" in milestones[1]["description"]
    assert milestones[1]["dateModified"] == "2026-06-01T15:30:00+07:00"
    assert "dateMet" not in milestones[1]
    done = release_of(pkg, 4)["contracts"][0]["implementation"]["milestones"]
    assert done[-1]["status"] == "met" and done[-1]["title"] == "Progres fisik 100%"
    assert done[-1]["dateMet"] == "2026-09-28T00:00:00+07:00"
    assert "implementation" not in release_of(pkg, 3)["contracts"][0]


def test_a_correction_and_a_zero_report():
    p = project(1)
    p["progress"].append({"id": "01" + "a9" * 15, "percent": 40.0, "date": "2026-06-05", "note": None,
                          "at": "2026-06-05T08:00:00+07:00", "photo_ids": [],
                          "correction_reason": "Salah ketik volume"})
    p["progress"].insert(0, {"id": "01" + "a0" * 15, "percent": 0, "date": "2026-03-02", "note": None,
                             "at": "2026-03-02T08:00:00+07:00", "photo_ids": [], "correction_reason": None})
    milestones = package([p])["releases"][0]["contracts"][0]["implementation"]["milestones"]
    assert milestones[0]["status"] == "notMet"
    assert milestones[-1]["status"] == "partiallyMet"
    assert "Salah ketik volume" in milestones[-1]["description"]


def test_documents_and_progress_photos():
    release = release_of(package(), 4)
    contract = release["contracts"][0]
    assert [(d["documentType"], d["format"]) for d in contract["documents"]] == [
        ("contractSigned", "application/pdf")]
    assert contract["documents"][0]["datePublished"] == "2026-02-20T08:00:00+07:00"
    assert [d["documentType"] for d in release["tender"]["documents"]] == ["billOfQuantity"]
    implementation_docs = contract["implementation"]["documents"]
    assert [d["documentType"] for d in implementation_docs] == [
        "completionCertificate", "physicalProgressReport", "physicalProgressReport"]
    photos = implementation_docs[1:]
    assert [d["url"] for d in photos] == [ph["url"] for ph in project(4)["photos"]]
    assert photos[0]["title"] == "Foto progres fisik 10% (2026-04-01)"
    # the second photo is found through the report's photo_ids
    assert photos[1]["title"] == "Foto progres fisik 45,5% (2026-06-01)"


def test_budget_and_funding_source():
    pkg = package()
    budget = release_of(pkg, 1)["planning"]["budget"]
    assert budget["description"] == "APBD Kabupaten Trenggalek Tahun Anggaran 2026"
    assert budget["projectID"] == f"{1:032x}" and budget["project"] == "Rehabilitasi Jalan Desa Ngantru"
    assert release_of(pkg, 2)["planning"]["budget"]["description"] == "APBN Tahun Anggaran 2026"
    assert release_of(pkg, 3)["planning"]["budget"]["description"] == "Dana Desa Tahun Anggaran 2026"
    # the budget ceiling (pagu) when known
    budget = package([project(1, budget_amount=1_300_000_000)])["releases"][0]["planning"]["budget"]
    assert budget["amount"] == {"amount": 1_300_000_000, "currency": "IDR"}


def test_location_point_line_polygon():
    pkg = package()
    point = release_of(pkg, 1)["tender"]["items"][0]
    assert point["deliveryLocation"] == {
        "description": "Ngantru, Kecamatan Trenggalek, Kabupaten Trenggalek",
        "geometry": {"type": "Point", "coordinates": [111.71, -8.05]},
        "gazetteer": {"scheme": "ID-KEMENDAGRI", "identifiers": ["35.03.01.2001"]},
    }
    assert point["deliveryAddress"] == {"locality": "Ngantru, Kecamatan Trenggalek",
                                        "region": "Kabupaten Trenggalek", "countryName": "Indonesia"}
    assert release_of(pkg, 1)["contracts"][0]["items"] == [point]
    # no object is shared between two places of the package
    point["deliveryLocation"]["geometry"]["type"] = "Circle"
    assert release_of(pkg, 1)["contracts"][0]["items"][0]["deliveryLocation"]["geometry"]["type"] == "Point"
    road = release_of(pkg, 2)["tender"]["items"][0]["deliveryLocation"]["geometry"]
    assert road == {"type": "LineString", "coordinates": ROAD}
    assert release_of(pkg, 3)["tender"]["items"][0]["deliveryLocation"]["geometry"]["type"] == "Polygon"
    # outside every kelurahan: the kecamatan's, else the regency's code
    lone = package([project(1, kelurahan_code=None, kelurahan=None, kecamatan_code=None, kecamatan=None)])
    location = lone["releases"][0]["tender"]["items"][0]["deliveryLocation"]
    assert location["gazetteer"]["identifiers"] == ["35.03"]
    with pytest.raises(ValueError):
        package([project(1, location={"type": "GeometryCollection", "geometries": []})])


def test_dates_take_the_offset_of_published_at():
    pkg = package()
    period = release_of(pkg, 1)["contracts"][0]["period"]
    assert period == {"startDate": "2026-03-01T00:00:00+07:00", "endDate": "2026-09-30T23:59:59+07:00"}
    wita = ocds.release_package(REGION, [project(1)], "2026-11-23T10:00:00+08:00", URI)
    assert wita["releases"][0]["contracts"][0]["period"]["startDate"] == "2026-03-01T00:00:00+08:00"
    with pytest.raises(ValueError):
        ocds.release_package(REGION, [project(1)], "2026-11-23T09:00:00", URI)


def test_statuses():
    pkg = package()
    def statuses(n):
        release = release_of(pkg, n)
        return release["tender"]["status"], release["awards"][0]["status"], release["contracts"][0]["status"]
    assert statuses(1) == ("complete", "active", "active")
    assert statuses(3) == ("complete", "active", "active")  # signed, works not started
    assert statuses(4) == ("complete", "active", "terminated")
    cancelled = package([project(1, status="cancelled", contract_number=None)])["releases"][0]
    assert cancelled["contracts"][0]["status"] == "cancelled" and cancelled["awards"][0]["status"] == "cancelled"


def test_a_project_of_another_region_is_refused():
    with pytest.raises(ValueError):
        package([project(1, region_id="pacitan")])


def test_the_module_is_pure():
    source = Path(ocds.__file__).read_text()
    assert "boto3" not in source and "pynamodb" not in source


def test_network_is_blocked(offline):
    with pytest.raises(NetworkBlocked):
        requests.get("https://example.org/", timeout=1)
    assert offline.attempts  # the fixture fails any other test that tries
    offline.attempts.clear()


# --- the export the API serves ---------------------------------------------------

def test_the_api_export_of_a_real_flow_is_valid_ocds(api, pipeline, tmp_path, offline):
    """Register → progress with a photo → disbursement → contract PDF, then
    ``GET /v1/regions/{id}/ocds`` validated offline; its file links are
    stable API routes that redirect to fresh presigned URLs."""
    import boto3

    from chalicelib import resources
    from support.data import REGION as AWS_REGION
    from support.projects import day, progress_photo, register

    project = register(api, location={"type": "LineString", "coordinates": ROAD})
    pid = project["id"]
    photo_id = progress_photo(api, pipeline, pid)
    assert api.post(f"/v1/projects/{pid}/progress", {"percent": 35.5, "date": day(0), "photo_ids": [photo_id]},
                    as_="contractor").status_code == 201
    assert api.post(f"/v1/projects/{pid}/disbursements",
                    {"amount": 300_000_000, "date": day(0), "reference": "SP2D 7/2026"}, as_="finance").status_code == 201
    grant = api.post(f"/v1/projects/{pid}/documents", {"content_type": "application/pdf", "title": "Kontrak"},
                     as_="region_admin").json_body
    boto3.client("s3", region_name=AWS_REGION).put_object(
        Bucket=resources.PHOTOS_BUCKET.name, Key=f"uploads/projects/{pid}/docs/{grant['document_id']}.pdf",
        Body=b"%PDF-1.4\n%%EOF\n")
    pipeline.run()

    response = api.get("/v1/regions/trenggalek/ocds")
    assert response.status_code == 200, response.json_body
    pkg = response.json_body
    # the reply's top level is the domain's package, key for key
    assert set(pkg) == set(package())
    result = validate(pkg, tmp_path, offline)
    assert result["validation_errors"] == []
    assert result["additional_closed_codelist_values"] == {}
    [release] = pkg["releases"]
    [contract] = release["contracts"]
    assert contract["value"] == {"amount": 1_000_000_000, "currency": "IDR"}
    assert [t["value"]["amount"] for t in contract["implementation"]["transactions"]] == [300_000_000]
    assert [m["status"] for m in contract["implementation"]["milestones"]] == ["partiallyMet"]
    links = [d["url"] for d in contract["implementation"].get("documents", []) + contract.get("documents", [])]
    assert len(links) == 2 and all(f"/v1/projects/{pid}/files/" in link for link in links)
    for link in links:
        redirect = api.get(link.split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
        assert redirect.status_code == 302 and "X-Amz-Signature" in redirect.headers["Location"]
    assert api.get(f"/v1/projects/{pid}/files/{'f' * 32}").status_code == 404
    assert api.get("/v1/regions/trenggalek/ocds?year=20x6").status_code == 400
