"""Languages: Indonesian by default, English when the client prefers it.

Every user-facing message has both texts here; ``tests/test_i18n.py`` checks
that none is missing or has mismatched placeholders.
"""
from __future__ import annotations

import string

DEFAULT_LANGUAGE = "id"
LANGUAGES = ("id", "en")


def negotiate(accept_language: str | None) -> str:
    """Pick ``id`` or ``en`` from an ``Accept-Language`` header (RFC 9110
    quality values honoured); anything else falls back to Indonesian."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    best, best_q = DEFAULT_LANGUAGE, -1.0
    for position, part in enumerate(accept_language.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        tag = pieces[0].lower()
        q = 1.0
        for param in pieces[1:]:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        primary = tag.split("-")[0]
        if primary not in LANGUAGES or q <= 0:
            continue
        # Strictly greater: among equal weights the first listed wins.
        if q > best_q:
            best, best_q = primary, q
    return best


MESSAGES: dict[str, dict[str, str]] = {
    # request shape
    "invalid_json": {
        "id": "Isi permintaan bukan JSON yang sah.",
        "en": "The request body is not valid JSON.",
    },
    "body_not_object": {
        "id": "Isi permintaan harus berupa objek JSON.",
        "en": "The request body must be a JSON object.",
    },
    "missing_field": {
        "id": "Kolom '{field}' wajib diisi.",
        "en": "The field '{field}' is required.",
    },
    "wrong_type": {
        "id": "Kolom '{field}' harus berupa {expected}.",
        "en": "The field '{field}' must be {expected}.",
    },
    "unknown_field": {
        "id": "Kolom '{field}' tidak dikenal.",
        "en": "The field '{field}' is not recognised.",
    },
    "out_of_range": {
        "id": "Kolom '{field}' harus antara {min} dan {max}.",
        "en": "The field '{field}' must be between {min} and {max}.",
    },
    "too_long": {
        "id": "Kolom '{field}' paling banyak {max} karakter.",
        "en": "The field '{field}' may be at most {max} characters long.",
    },
    "empty_field": {
        "id": "Kolom '{field}' tidak boleh kosong.",
        "en": "The field '{field}' must not be empty.",
    },
    "invalid_idempotency_key": {
        "id": "Header Idempotency-Key harus 1 sampai 128 karakter yang terlihat.",
        "en": "The Idempotency-Key header must be 1 to 128 visible characters.",
    },
    "idempotency_key_reused": {
        "id": "Idempotency-Key ini sudah dipakai untuk laporan lain dengan isi berbeda.",
        "en": "This Idempotency-Key was already used for a different report.",
    },
    "unsupported_media_type": {
        "id": "Jenis konten permintaan tidak didukung; kirim application/json.",
        "en": "Unsupported request content type; send application/json.",
    },
    "method_not_allowed": {
        "id": "Metode HTTP ini tidak didukung untuk alamat ini.",
        "en": "This HTTP method is not supported on this path.",
    },
    "internal_error": {
        "id": "Terjadi kesalahan di server. Silakan coba lagi.",
        "en": "Something went wrong on the server. Please try again.",
    },
    # regions
    "region_not_found": {
        "id": "Wilayah '{region_id}' tidak ditemukan.",
        "en": "Region '{region_id}' was not found.",
    },
    "unknown_category": {
        "id": "Kategori '{category}' tidak dikenal di wilayah ini.",
        "en": "Category '{category}' is not known in this region.",
    },
    "category_retired": {
        "id": "Kategori '{category}' sudah tidak dipakai lagi.",
        "en": "Category '{category}' is no longer in use.",
    },
    "unknown_kelurahan": {
        "id": "Kode kelurahan/desa '{kelurahan_code}' tidak dikenal di wilayah ini.",
        "en": "Kelurahan/desa code '{kelurahan_code}' is not known in this region.",
    },
    # reports
    "report_not_found": {
        "id": "Laporan '{report_id}' tidak ditemukan.",
        "en": "Report '{report_id}' was not found.",
    },
    "unsupported_photo_type": {
        "id": "Jenis foto '{content_type}' tidak didukung; gunakan image/jpeg, image/png atau image/webp.",
        "en": "Photo type '{content_type}' is not supported; use image/jpeg, image/png or image/webp.",
    },
    "too_many_photos": {
        "id": "Satu laporan paling banyak memuat {max} foto.",
        "en": "A report can hold at most {max} photos.",
    },
    # photo processing outcomes recorded on the report
    "photo_too_large": {
        "id": "Foto ditolak: ukurannya {size} bita, melebihi batas {max} bita.",
        "en": "Photo rejected: it is {size} bytes, over the {max}-byte limit.",
    },
    "photo_not_image": {
        "id": "Foto ditolak: berkas bukan gambar yang dapat dibaca.",
        "en": "Photo rejected: the file is not a readable image.",
    },
    "photo_type_mismatch": {
        "id": "Foto ditolak: berkas berjenis {actual}, bukan {declared} seperti yang dinyatakan.",
        "en": "Photo rejected: the file is {actual}, not {declared} as declared.",
    },
    "photo_too_many_pixels": {
        "id": "Foto ditolak: resolusinya terlalu besar.",
        "en": "Photo rejected: its resolution is too large.",
    },
    # routing notes in history
    "history_received": {
        "id": "Laporan diterima dan menunggu verifikasi.",
        "en": "Report received, waiting for verification.",
    },
    "history_routed": {
        "id": "Diarahkan ke {agency}, {kelurahan}, Kecamatan {kecamatan}.",
        "en": "Routed to {agency_en}, {kelurahan}, {kecamatan} district.",
    },
    "history_out_of_area": {
        "id": "Diarahkan ke {agency}; lokasi berada di luar batas wilayah, perlu diperiksa petugas.",
        "en": "Routed to {agency_en}; the location is outside the region's boundaries and needs checking.",
    },
}


def message(code: str, language: str, **params: object) -> str:
    texts = MESSAGES.get(code)
    if texts is None:
        return code
    template = texts.get(language) or texts[DEFAULT_LANGUAGE]
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def both(code: str, **params: object) -> dict[str, str]:
    """The message in every language, for text stored with a record."""
    return {language: message(code, language, **params) for language in LANGUAGES}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
