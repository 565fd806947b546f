"""Photos: presigned POST policy, S3 → SQS notification, checking and
cleaning in the photo worker."""
import base64
import io
import json

import boto3
import pytest
from PIL import Image

from chalicelib import resources
from chalicelib.services.uploads import kinds
from support.data import REGION
from support.images import (
    GPS_IFD,
    bucket_keys,
    create_report,
    encoded,
    jpeg_with_gps,
    request_upload,
    upload,
)


def test_fixture_really_carries_gps():
    with Image.open(io.BytesIO(jpeg_with_gps())) as image:
        assert image.getexif().get_ifd(GPS_IFD)


def test_clean_image_removes_exif_and_keeps_orientation():
    cleaned, thumb, width, height = kinds.clean_image(jpeg_with_gps(64, 32, orientation=6), "jpg")
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()  # no EXIF at all: no GPS, no orientation tag left to misapply
        assert "exif" not in image.info
        # orientation 6 = rotate 90°: the upright image is portrait
        assert image.size == (32, 64) == (width, height)
        # the left half (blue) of the sensor image is now on top
        top, bottom = image.getpixel((16, 5)), image.getpixel((16, 60))
        assert top[2] > top[0] and bottom[0] > bottom[2]
    with Image.open(io.BytesIO(thumb)) as image:
        assert image.format == "JPEG" and max(image.size) <= 400


@pytest.mark.parametrize("fmt,ext", [("PNG", "png"), ("WEBP", "webp"), ("JPEG", "jpg")])
def test_clean_image_accepts_each_declared_type(fmt, ext):
    cleaned, _, width, height = kinds.clean_image(encoded(fmt), ext)
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == fmt and (width, height) == (40, 30)


def test_clean_image_rejects_type_mismatch_and_non_images():
    with pytest.raises(kinds.Rejected) as mismatch:
        kinds.clean_image(encoded("PNG"), "jpg")
    assert mismatch.value.code == "photo_type_mismatch"
    with pytest.raises(kinds.Rejected) as garbage:
        kinds.clean_image(b"%PDF-1.4 not an image", "jpg")
    assert garbage.value.code == "photo_not_image"
    with pytest.raises(kinds.Rejected) as truncated:
        kinds.clean_image(jpeg_with_gps()[:200], "jpg")
    assert truncated.value.code == "photo_not_image"


def test_presigned_post_restricts_type_size_and_key(api):
    report_id = create_report(api)
    response = request_upload(api, report_id, "image/png")
    assert response.status_code == 201
    upload = response.json_body["upload"]
    fields = upload["fields"]
    assert fields["key"].startswith(f"uploads/reports/{report_id}/") and fields["key"].endswith(".png")
    assert fields["Content-Type"] == "image/png"
    policy = json.loads(base64.b64decode(fields["policy"]))
    conditions = policy["conditions"]
    assert ["content-length-range", 1, resources.PHOTO_MAX_BYTES] in conditions
    assert {"Content-Type": "image/png"} in conditions
    assert {"key": fields["key"]} in conditions
    assert resources.PHOTOS_BUCKET.name in upload["url"]


def test_photo_requests_bad_input(api):
    report_id = create_report(api)
    unsupported = request_upload(api, report_id, "image/gif", **{"Accept-Language": "en"})
    assert unsupported.status_code == 400
    assert unsupported.json_body["error"]["code"] == "unsupported_photo_type"
    assert "image/gif" in unsupported.json_body["error"]["message"]
    assert request_upload(api, "0" * 32).status_code == 404
    assert request_upload(api, "nope").status_code == 404
    missing = api.post(f"/v1/reports/{report_id}/photos", {})
    assert missing.status_code == 400 and missing.json_body["error"]["code"] == "missing_field"
    not_json = api.post(f"/v1/reports/{report_id}/photos", raw="{")
    assert not_json.status_code == 400


def test_at_most_five_photos_per_report(api):
    report_id = create_report(api)
    for _ in range(resources.PHOTOS_PER_REPORT):
        assert request_upload(api, report_id).status_code == 201
    extra = request_upload(api, report_id)
    assert extra.status_code == 409 and extra.json_body["error"]["code"] == "too_many_photos"


def test_uploaded_photo_is_cleaned_thumbnailed_and_recorded(api, pipeline):
    report_id = create_report(api)
    photo_id = request_upload(api, report_id).json_body["photo_id"]
    raw_key = upload(report_id, photo_id, jpeg_with_gps())
    pipeline.run()
    report = api.get(f"/v1/reports/{report_id}", as_="citizen").json_body
    assert [p["id"] for p in report["photos"]] == [photo_id]
    photo = report["photos"][0]
    assert photo["url"].startswith("https://") and "X-Amz-Signature" in photo["url"]
    assert "X-Amz-Expires=900" in photo["url"] and "X-Amz-Expires=900" in photo["thumbnail_url"]
    keys = bucket_keys()
    assert raw_key not in keys  # the original, with its GPS, is gone
    assert f"photos/reports/{report_id}/{photo_id}.jpg" in keys
    assert f"photos/reports/{report_id}/{photo_id}.thumb.jpg" in keys
    stored = boto3.client("s3", region_name=REGION).get_object(
        Bucket=resources.PHOTOS_BUCKET.name, Key=f"photos/reports/{report_id}/{photo_id}.jpg")["Body"].read()
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif().get_ifd(GPS_IFD)


def test_redelivered_notification_records_the_photo_once(api, aws, pipeline):
    from chalicelib.services.uploads.pipeline import process_upload

    report_id = create_report(api)
    photo_id = request_upload(api, report_id).json_body["photo_id"]
    key = upload(report_id, photo_id, jpeg_with_gps())
    pipeline.run()
    assert process_upload(resources.PHOTOS_BUCKET.name, key) == "already_done"
    report = api.get(f"/v1/reports/{report_id}", as_="citizen").json_body
    assert len(report["photos"]) == 1


def test_non_image_is_deleted_and_the_reason_recorded(api, pipeline):
    report_id = create_report(api)
    photo_id = request_upload(api, report_id).json_body["photo_id"]
    key = upload(report_id, photo_id, b"MZ\x90\x00 this is an executable, not a photo")
    pipeline.run()
    report = api.get(f"/v1/reports/{report_id}", as_="citizen").json_body
    assert report["photos"] == []
    assert report["rejected_photos"][0]["reason_code"] == "photo_not_image"
    assert report["rejected_photos"][0]["reason"]["en"].startswith("Photo rejected")
    assert key not in bucket_keys()


def test_oversize_upload_is_deleted_and_the_reason_recorded(api, pipeline):
    report_id = create_report(api)
    photo_id = request_upload(api, report_id).json_body["photo_id"]
    key = upload(report_id, photo_id, b"\xff\xd8" + b"\0" * resources.PHOTO_MAX_BYTES)
    pipeline.run()
    report = api.get(f"/v1/reports/{report_id}", as_="citizen").json_body
    assert report["rejected_photos"][0]["reason_code"] == "photo_too_large"
    assert key not in bucket_keys()
    assert bucket_keys() == []


def test_upload_under_a_foreign_key_is_dropped(aws, pipeline):
    s3 = boto3.client("s3", region_name=REGION)
    s3.put_object(Bucket=resources.PHOTOS_BUCKET.name, Key="uploads/elsewhere/x.jpg", Body=b"x")
    pipeline.run()
    assert bucket_keys() == []
