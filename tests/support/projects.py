"""Public works projects through the API, as the tests register and report on them."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import boto3

from chalicelib import resources
from support.data import REGION
from support.images import jpeg_with_gps

WIB = timezone(timedelta(hours=7))
TODAY = datetime.now(WIB).date()


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def project_body(**overrides):
    body = {
        "title": "Rehabilitasi Jalan Desa", "agency": "dpupr", "fiscal_year": TODAY.year,
        "funding_source": "apbd", "location": {"type": "Point", "coordinates": [111.70, -8.10]},
        "value": 1_000_000_000, "contractor": {"name": "CV Maju Jaya", "npwp": "01.234.567.8-901.000"},
        "contract_number": "027/045/406.011/2026", "start_date": day(-100), "end_date": day(100),
    }
    body.update(overrides)
    return body


def register(api, as_="region_admin", **overrides):
    response = api.post("/v1/regions/trenggalek/projects", project_body(**overrides), as_=as_)
    assert response.status_code == 201, response.json_body
    return response.json_body


def progress_photo(api, pipeline, project_id, as_="contractor"):
    grant = api.post(f"/v1/projects/{project_id}/photos", {"content_type": "image/jpeg"}, as_=as_)
    assert grant.status_code == 201, grant.json_body
    photo_id = grant.json_body["photo_id"]
    assert grant.json_body["upload"]["fields"]["key"] == f"uploads/projects/{project_id}/{photo_id}.jpg"
    boto3.client("s3", region_name=REGION).put_object(
        Bucket=resources.PHOTOS_BUCKET.name, Key=f"uploads/projects/{project_id}/{photo_id}.jpg",
        Body=jpeg_with_gps())
    pipeline.run()
    return photo_id
