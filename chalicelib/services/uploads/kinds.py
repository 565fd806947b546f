"""What an upload's bytes must be: a photo (JPEG, PNG or WebP) or a PDF
document.  Pure: no AWS, so both are tested on bytes alone.

A photo is accepted only if its bytes really are an image of the declared
type; the kept copy is re-encoded from the pixels, rotated upright by its
EXIF orientation, with no EXIF (GPS included), XMP or comments carried
over, and a JPEG thumbnail is written beside it.  A document is kept only
if its bytes really are a PDF.
"""
from __future__ import annotations

import io
from typing import Mapping

import msgspec

from ... import resources
from ...domain import projects as project_rules
from ...domain.errors import InvalidInput
from .base import Cleaned, File, Rejected

THUMBNAIL_SIZE = (400, 400)
# A photo's size, read from its header before anything is decoded, bounds
# what decoding it costs (a 258 KB PNG can declare 9000 x 9000 pixels and
# take 1.7 GB to decode): at most MAX_PIXELS pixels, and — for PNG and WebP,
# which decode at full size — at most MAX_DECODED_BYTES once decoded (Pillow
# keeps 4 bytes a pixel for any multi-band image: 25 MP of RGB or RGBA as a
# PNG, half that as a WebP, which libwebp decodes into a buffer of its own).  A
# JPEG is decoded directly at a reduced scale (``draft``: 1/2, 1/4, 1/8).
# What is kept is at most MAX_SIDE pixels on its long side.  ``make bench``
# prints the worker's peak memory for the largest photos accepted, against
# the function's 512 MB.
MAX_PIXELS = 50_000_000
MAX_DECODED_BYTES = 100_000_000
MAX_SIDE = 3072


def decoded_bytes(width: int, height: int, mode: str, image_format: str | None) -> int:
    """What decoding an image of this size, mode and format holds: Pillow's
    pixels (libwebp decodes into a buffer of its own first: twice that)."""
    per_pixel = 1 if mode in ("1", "L", "P") else 2 if mode.startswith("I;16") else 4
    return width * height * per_pixel * (2 if image_format == "WEBP" else 1)
_FORMATS = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}
_CONTENT_TYPES = {ext: content_type for content_type, ext in resources.PHOTO_CONTENT_TYPES.items()}

__all__ = ["DOCUMENT", "PHOTO", "Rejected", "check_pdf", "clean_image"]


def clean_image(data: bytes, extension: str) -> tuple[bytes, bytes, int, int]:
    """Return (cleaned image, JPEG thumbnail, width, height) or raise
    ``Rejected``."""
    # Pillow is imported here, not at the top: only the worker needs it, and
    # it would add to the cold start of every API request.
    from PIL import Image, ImageOps, UnidentifiedImageError

    # Pillow's own guard only raises above twice its limit (and warns
    # between): ours is checked from the header, before any decoding.
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    pillow_format, content_type = _FORMATS[extension], _CONTENT_TYPES[extension]
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size  # from the header: nothing decoded yet
            if width * height > MAX_PIXELS or (
                    probe.format != "JPEG"
                    and decoded_bytes(width, height, probe.mode, probe.format) > MAX_DECODED_BYTES):
                raise Rejected("photo_too_many_pixels")
            probe.verify()
        image = Image.open(io.BytesIO(data))
        actual = image.format
        if actual != pillow_format:
            actual_type = Image.MIME.get(actual or "", actual or "?")
            raise Rejected("photo_type_mismatch", actual=actual_type, declared=content_type)
        if actual == "JPEG":
            image.draft(None, (MAX_SIDE, MAX_SIDE))  # decode at a reduced scale (1/2, 1/4, 1/8)
        image.load()
    except Image.DecompressionBombError:
        raise Rejected("photo_too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise Rejected("photo_not_image") from None

    # Every step works on the one decoded image, in place: a copy of a 25 MP
    # image is another 100 MB.
    ImageOps.exif_transpose(image, in_place=True)
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    # Nothing of the original's metadata travels: the encoders below are
    # given none, and what they would fall back on (EXIF, XMP, ICC, text
    # chunks, comments in ``info``) is dropped.
    clean: Image.Image = image
    clean.info = {}
    clean._exif = None  # Pillow's cached EXIF, which some encoders read
    out = io.BytesIO()
    if pillow_format == "JPEG":
        if clean.mode not in ("RGB", "L", "CMYK"):
            clean = clean.convert("RGB")
        clean.save(out, "JPEG", quality=88, optimize=True)
    elif pillow_format == "PNG":
        clean.save(out, "PNG", optimize=True)
    else:
        clean.save(out, "WEBP", quality=85)
    thumb = clean.convert("RGB") if clean.mode != "RGB" else clean.copy()
    thumb.thumbnail(THUMBNAIL_SIZE)
    thumb_out = io.BytesIO()
    thumb.save(thumb_out, "JPEG", quality=80)
    return out.getvalue(), thumb_out.getvalue(), clean.width, clean.height


def check_pdf(data: bytes) -> None:
    """``Rejected`` unless the bytes look like a whole PDF (its header, and
    its end-of-file marker near the end)."""
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise Rejected("document_not_pdf")


class Photo(msgspec.Struct, frozen=True):
    folder: str = "photos"
    max_bytes: int = resources.PHOTO_MAX_BYTES
    too_large: str = "photo_too_large"
    extensions: Mapping[str, str] = msgspec.field(default_factory=lambda: dict(resources.PHOTO_CONTENT_TYPES))

    def extension(self, content_type: str) -> str:
        extension = self.extensions.get(content_type)
        if extension is None:
            raise InvalidInput("unsupported_photo_type", content_type=content_type)
        return extension

    def clean(self, data: bytes, extension: str, base: str) -> Cleaned:
        image, thumbnail, width, height = clean_image(data, extension)
        content_type = _CONTENT_TYPES[extension]
        photo = File(f"{base}.{extension}", image, content_type)
        thumb = File(f"{base}.thumb.jpg", thumbnail, "image/jpeg")
        return Cleaned([photo, thumb], {"key": photo.key, "thumb_key": thumb.key, "content_type": content_type,
                                        "width": width, "height": height, "bytes": len(image)})


class Document(msgspec.Struct, frozen=True):
    folder: str = "documents"
    max_bytes: int = project_rules.DOCUMENT_MAX_BYTES
    too_large: str = "document_too_large"
    extensions: Mapping[str, str] = msgspec.field(default_factory=lambda: dict(project_rules.DOCUMENT_CONTENT_TYPES))

    def extension(self, content_type: str) -> str:
        extension = self.extensions.get(content_type)
        if extension is None:
            raise InvalidInput("unsupported_document_type")
        return extension

    def clean(self, data: bytes, extension: str, base: str) -> Cleaned:
        check_pdf(data)
        name = base.rsplit("/", 1)[-1]
        document = File(f"{base}.{extension}", data, "application/pdf",
                        disposition=f'inline; filename="{name}.{extension}"')
        return Cleaned([document], {"key": document.key, "content_type": "application/pdf", "bytes": len(data)})


PHOTO = Photo()
DOCUMENT = Document()
