"""The one upload pipeline: each channel's keys (no AWS), and a grant made
through the pipeline's one granting function for a report (in-memory AWS),
processed by the worker like any other upload."""
from __future__ import annotations

import base64
import json

import pytest

from chalicelib import resources
from chalicelib.domain.errors import Conflict, InvalidInput
from chalicelib.services.uploads import pipeline as uploads
from chalicelib.services.uploads.kinds import DOCUMENT, PHOTO
from chalicelib.services.uploads.projects import PROJECT_DOCUMENTS, PROJECT_PHOTOS
from chalicelib.services.uploads.reports import REPORT_PHOTOS
from support.images import bucket_keys, create_report, encoded, upload

OWNER, UPLOAD = "a" * 32, "b" * 32


@pytest.mark.parametrize("channel,key", [
    (REPORT_PHOTOS, f"uploads/reports/{OWNER}/{UPLOAD}.jpg"),
    (PROJECT_PHOTOS, f"uploads/projects/{OWNER}/{UPLOAD}.webp"),
    (PROJECT_DOCUMENTS, f"uploads/projects/{OWNER}/docs/{UPLOAD}.pdf"),
])
def test_each_key_belongs_to_one_channel_and_round_trips(channel, key):
    found = uploads.channel_of(key)
    assert found is not None and found[0] is channel
    owner_id, upload_id, extension = found[1]
    assert (owner_id, upload_id) == (OWNER, UPLOAD)
    assert channel.layout.key(owner_id, upload_id, extension) == key


@pytest.mark.parametrize("key", [
    "uploads/elsewhere/x.jpg",
    f"uploads/reports/{OWNER}/{UPLOAD}.pdf",  # a document is not a report photo
    f"uploads/projects/{OWNER}/docs/{UPLOAD}.jpg",  # nor a photo a document
    f"uploads/projects/{OWNER}/{UPLOAD}.pdf",
    f"uploads/reports/{OWNER}/{UPLOAD}.jpg.exe",
    f"uploads/reports/{OWNER.upper()}/{UPLOAD}.jpg",
    f"photos/reports/{OWNER}/{UPLOAD}.jpg",
])
def test_a_key_no_channel_granted_is_nobodys(key):
    assert uploads.channel_of(key) is None


def test_each_kind_admits_its_content_types_only():
    assert PHOTO.extension("image/png") == "png" and DOCUMENT.extension("application/pdf") == "pdf"
    with pytest.raises(InvalidInput) as photo:
        PHOTO.extension("application/pdf")
    assert photo.value.code == "unsupported_photo_type"
    with pytest.raises(InvalidInput) as document:
        DOCUMENT.extension("image/png")
    assert document.value.code == "unsupported_document_type"


def test_a_report_photo_granted_through_the_pipeline_is_processed_like_any_upload(api, pipeline):
    from chalicelib.services.uploads import grants

    report_id = create_report(api)
    granted = grants.grant(REPORT_PHOTOS, report_id, "image/png", {"evidence": False})
    fields = granted.form.fields
    assert fields["key"] == f"uploads/reports/{report_id}/{granted.upload_id}.png"
    conditions = json.loads(base64.b64decode(fields["policy"]))["conditions"]
    assert ["content-length-range", 1, resources.PHOTO_MAX_BYTES] in conditions
    assert {"Content-Type": "image/png"} in conditions
    assert granted.max_bytes == resources.PHOTO_MAX_BYTES and granted.expires_in == resources.UPLOAD_URL_SECONDS

    upload(report_id, granted.upload_id, encoded("PNG"), ext="png")
    pipeline.run()
    report = api.get(f"/v1/reports/{report_id}", as_="citizen").json_body
    assert [(p["id"], p["kind"]) for p in report["photos"]] == [(granted.upload_id, "report")]
    assert f"photos/reports/{report_id}/{granted.upload_id}.png" in bucket_keys()
    assert f"uploads/reports/{report_id}/{granted.upload_id}.png" not in bucket_keys()

    for _ in range(resources.PHOTOS_PER_REPORT - 1):
        grants.grant(REPORT_PHOTOS, report_id, "image/jpeg", {})
    with pytest.raises(Conflict) as full:
        grants.grant(REPORT_PHOTOS, report_id, "image/jpeg", {})
    assert full.value.code == "too_many_photos"
