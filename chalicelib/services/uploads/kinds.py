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
from dataclasses import dataclass, field
from typing import Mapping

from ... import resources
from ...domain import projects as project_rules
from ...domain.errors import InvalidInput
from .base import Cleaned, File, Rejected

THUMBNAIL_SIZE = (400, 400)
MAX_PIXELS = 50_000_000
_FORMATS = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}
_CONTENT_TYPES = {ext: content_type for content_type, ext in resources.PHOTO_CONTENT_TYPES.items()}

__all__ = ["DOCUMENT", "PHOTO", "Rejected", "check_pdf", "clean_image"]


def clean_image(data: bytes, extension: str) -> tuple[bytes, bytes, int, int]:
    """Return (cleaned image, JPEG thumbnail, width, height) or raise
    ``Rejected``."""
    # Pillow is imported here, not at the top: only the worker needs it, and
    # it would add to the cold start of every API request.
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    pillow_format, content_type = _FORMATS[extension], _CONTENT_TYPES[extension]
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        actual = image.format
        if actual != pillow_format:
            actual_type = Image.MIME.get(actual or "", actual or "?")
            raise Rejected("photo_type_mismatch", actual=actual_type, declared=content_type)
        image.load()
    except Image.DecompressionBombError:
        raise Rejected("photo_too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise Rejected("photo_not_image") from None

    upright = ImageOps.exif_transpose(image)
    # Rebuild from pixels only: nothing of the original's metadata travels.
    clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    palette = upright.getpalette()
    if upright.mode == "P" and palette:
        clean.putpalette(palette)
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


@dataclass(frozen=True)
class Photo:
    folder: str = "photos"
    max_bytes: int = resources.PHOTO_MAX_BYTES
    too_large: str = "photo_too_large"
    extensions: Mapping[str, str] = field(default_factory=lambda: dict(resources.PHOTO_CONTENT_TYPES))

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


@dataclass(frozen=True)
class Document:
    folder: str = "documents"
    max_bytes: int = project_rules.DOCUMENT_MAX_BYTES
    too_large: str = "document_too_large"
    extensions: Mapping[str, str] = field(default_factory=lambda: dict(project_rules.DOCUMENT_CONTENT_TYPES))

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
