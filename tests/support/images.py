"""Images for the upload tests, and uploading them as a phone would."""
from __future__ import annotations

import io

import boto3
from PIL import Image

from chalicelib import resources
from support.data import REGION, new_report

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(width=64, height=32, orientation=6) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((20, 20, 220), (0, 0, width // 2, height))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(GPS_IFD).update({1: "S", 2: (8.0, 5.0, 30.0), 3: "E", 4: (111.0, 42.0, 10.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def encoded(fmt: str, size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 128, 0)).save(out, fmt)
    return out.getvalue()


def create_report(api):
    return api.post("/v1/regions/trenggalek/reports", new_report()).json_body["id"]


def request_upload(api, report_id, content_type="image/jpeg", **headers):
    return api.post(f"/v1/reports/{report_id}/photos", {"content_type": content_type}, headers=headers)


def upload(report_id, photo_id, data, ext="jpg"):
    s3 = boto3.client("s3", region_name=REGION)
    key = f"uploads/reports/{report_id}/{photo_id}.{ext}"
    s3.put_object(Bucket=resources.PHOTOS_BUCKET.name, Key=key, Body=data)
    return key


def bucket_keys():
    """The bucket's keys, less the seeded region's published boundary files."""
    s3 = boto3.client("s3", region_name=REGION)
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=resources.PHOTOS_BUCKET.name).get("Contents", [])
                  if not o["Key"].startswith(resources.BOUNDARIES_PREFIX))
