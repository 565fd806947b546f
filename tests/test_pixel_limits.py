"""Pixel bombs: an image's size is read from its header and refused before
anything is decoded, and what is kept is bounded (``make bench`` prints the
worker's peak memory for the largest accepted photos)."""
import io
import uuid

import pytest
from PIL import Image

from chalicelib.services.uploads import kinds
from chalicelib.services.uploads.base import Rejected
from support.images import bucket_keys, create_report, request_upload, upload

# the test itself makes images above Pillow's warning threshold
pytestmark = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")


def encode(size, mode="RGB", fmt="PNG"):
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, fmt)
    return buffer.getvalue()


def refused(data, ext):
    with pytest.raises(Rejected) as caught:
        kinds.clean_image(data, ext)
    return caught.value.code


def test_a_9000_by_9000_png_of_a_few_hundred_kb_is_refused_from_its_header(monkeypatch):
    data = encode((9000, 9000))
    assert len(data) < 400_000
    monkeypatch.setattr(Image.Image, "load", lambda self: pytest.fail("decoded a pixel bomb"))
    assert refused(data, "png") == "photo_too_many_pixels"


def test_the_limits_by_format():
    # PNG and WebP decode whole: 25 MP of RGBA for a PNG, half for a WebP; a JPEG up to 50 MP
    assert refused(encode((5001, 5000), "RGBA"), "png") == "photo_too_many_pixels"
    assert refused(encode((3600, 3600), "RGB", "WEBP"), "webp") == "photo_too_many_pixels"
    assert refused(encode((7072, 7071), "RGB", "JPEG"), "jpg") == "photo_too_many_pixels"
    # a greyscale PNG holds a byte a pixel: 50 MP would pass the bytes rule, not the pixel rule
    assert refused(encode((7072, 7071), "L"), "png") == "photo_too_many_pixels"


def test_a_large_accepted_photo_is_kept_at_most_max_side_on_its_long_side():
    cleaned, thumb, width, height = kinds.clean_image(encode((8000, 6000), "RGB", "JPEG"), "jpg")
    assert (width, height) == (kinds.MAX_SIDE, kinds.MAX_SIDE * 3 // 4)
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.size == (width, height)
    small = kinds.clean_image(encode((640, 480)), "png")
    assert small[2:] == (640, 480)


def test_the_worker_refuses_a_pixel_bomb_and_stores_nothing_of_it(api, pipeline):
    report_id = create_report(api)
    photo_id = request_upload(api, report_id, "image/png").json_body["photo_id"]
    key = upload(report_id, photo_id, encode((9000, 9000)), ext="png")
    pipeline.run()
    report = api.get(f"/v1/reports/{report_id}", as_="citizen").json_body
    assert report["photos"] == []
    assert [r["reason_code"] for r in report["rejected_photos"]] == ["photo_too_many_pixels"]
    assert not [k for k in bucket_keys() if photo_id in k]  # neither the raw upload nor a copy
    assert key not in bucket_keys()


def test_an_upload_nobody_granted_is_never_attached(api, pipeline):
    report_id = create_report(api)
    stray = uuid.uuid4().hex
    key = upload(report_id, stray, encode((64, 64), "RGB", "JPEG"))
    pipeline.run()
    report = api.get(f"/v1/reports/{report_id}", as_="citizen").json_body
    assert report["photos"] == [] and report["rejected_photos"] == []
    assert key not in bucket_keys() and not [k for k in bucket_keys() if stray in k]
