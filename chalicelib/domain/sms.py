"""Reports by SMS: what a citizen's text says, and what we answer.

The commands (keywords in any case, followed by a space, ``#`` or ``:``):

- ``LAPOR <kategori> <desa> <uraian>`` reports a problem.  The category is
  one word: a category code (``jalan-rusak``), the code without its
  hyphens (``jalanrusak``), a one-word name in Indonesian or English
  (``sampah``, ``banjir``, ``fire``), or the first part of exactly one code
  (``jalan`` for ``jalan-rusak``, ``parkir`` for ``parkir-liar``).  The desa
  or kelurahan is one word, a hyphenated or quoted name (``"Sungai Raya"``,
  ``Sungai-Raya``), or up to four words read as one name when they match
  one; case, accents, spaces and hyphens do not matter, and a leading
  ``desa``/``kel.`` is skipped.  ``<desa>/<kecamatan>`` (or
  ``<desa>.<kecamatan>``) says which one when the name repeats across
  kecamatan (ten of Trenggalek's do).
- An **ambiguous** desa name is answered with its kecamatan to choose from,
  and no report is made: the citizen knows where the problem is, and one
  more SMS settles it where a verifier could only guess.
- An **unknown** desa makes the report anyway, without a place: the whole
  text after the category is kept as its description and the verifier
  places it; the reply says so.
- ``CEK <nomor>`` answers the status of one of the sender's own reports.
- ``INFO``, ``BANTUAN``, ``HELP`` and anything else answer with help; no
  report is made.

The tracking number a citizen gets is the first eight characters of the
report id (hexadecimal), the same number the status SMS already print
(``Laporan Anda #1a2b3c4d``).  Replies are Indonesian (the region's
language) and fit one SMS (160 characters) but for help, which takes two.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import unicodedata

import msgspec

from . import lifecycle, phones
from .regions import RegionConfig

MAX_TEXT = 1600             # ten concatenated SMS; longer is not an SMS
REPORTS_PER_HOUR = 10       # reports one number may make in an hour
ONE_SMS = 160
CODE_LENGTH = 8
HELP_KEYWORDS = ("INFO", "BANTUAN", "HELP", "MENU")
_MAX_NAME_WORDS = 4
_KEYWORD = re.compile(r"^\s*([A-Za-z]+)\s*(?:[#:]\s*|\s+|$)(.*)$", re.S)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_QUOTES = {'"': '"', "'": "'", "“": "”", "‘": "’"}
_CODE = re.compile(r"^#?([0-9a-f]{8})(?:[0-9a-f]{24})?[.,!]?$")
_PLACE_PREFIXES = ("desa", "ds", "kel", "kelurahan", "kalurahan")


# --- what a message asks ---------------------------------------------------------------

class NewReport(msgspec.Struct, frozen=True, kw_only=True):
    category: str
    description: str
    kelurahan_code: str | None = None
    unknown_place: str | None = None  # the desa as written, when it names none of the region's


class Check(msgspec.Struct, frozen=True, kw_only=True):
    code: str | None  # None: not a tracking number


class Ambiguous(msgspec.Struct, frozen=True, kw_only=True):
    category: str
    name: str                                   # as the region writes it
    written: str                                # as the citizen wrote it
    kecamatan: tuple[str, ...]                  # the candidates' kecamatan names


class Help(msgspec.Struct, frozen=True, kw_only=True):
    reason: str  # help | unknown_category | no_description | no_category | too_long
    word: str = ""


Command = NewReport | Check | Ambiguous | Help


def clean(text: str) -> str:
    """The text as stored: NFC, control characters (but newlines and tabs)
    removed, trimmed."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """What names are compared on: lower case, no accents, letters and
    digits only (``Sumber-Gedong`` = ``sumber gedong`` = ``Sumbergedong``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def parse(text: str, region: RegionConfig) -> Command:
    text = clean(text)
    if len(text) > MAX_TEXT:
        return Help(reason="too_long")
    found = _KEYWORD.match(text)
    if not found:
        return Help(reason="help")
    keyword, rest = found.group(1).upper(), found.group(2).strip()
    if keyword == "LAPOR":
        return _report(rest.replace("#", " ", 2) if rest.count("#") else rest, region)
    if keyword == "CEK":
        word = rest.split(maxsplit=1)[0].lower() if rest else ""
        code = _CODE.match(word)
        return Check(code=code.group(1) if code else None)
    return Help(reason="help")


def _report(rest: str, region: RegionConfig) -> Command:
    words = rest.split(maxsplit=1)
    if not words:
        return Help(reason="no_category")
    category = match_category(words[0], region)
    if category is None:
        return Help(reason="unknown_category", word=words[0][:30])
    after = words[1].strip() if len(words) > 1 else ""
    place = _place(after, region)
    if isinstance(place, Ambiguous):
        return Ambiguous(category=category, name=place.name, written=place.written, kecamatan=place.kecamatan)
    code, description, unknown = place
    if not description:
        return Help(reason="no_description")
    return NewReport(category=category, description=description, kelurahan_code=code, unknown_place=unknown)


def match_category(word: str, region: RegionConfig) -> str | None:
    """The active category a one-word token names (see the module's rules)."""
    token = fold(word)
    if not token:
        return None
    active = [c for c in region.categories.values() if c.active]
    for rule in (lambda c: fold(c.code) == token,
                 lambda c: fold(c.name_id) == token or fold(c.name_en) == token):
        hits = [c.code for c in active if rule(c)]
        if len(hits) == 1:
            return hits[0]
    prefixed = [c.code for c in active if fold(c.code.split("-", 1)[0]) == token]
    return prefixed[0] if len(prefixed) == 1 else None


def _desa_index(region: RegionConfig) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for code, (name, _kec_code, _kec_name) in sorted(region.kelurahan.items()):
        index.setdefault(fold(name), []).append(code)
    return index


def _place(after: str, region: RegionConfig) -> Ambiguous | tuple[str | None, str, str | None]:
    """(kelurahan code, description, the unknown name as written) or an
    ambiguity, from the text after the category."""
    if not after:
        return None, "", None
    index = _desa_index(region)
    for written, name, kecamatan, description in _candidates(after):
        codes = index.get(fold(name), [])
        if not codes:
            continue
        if len(codes) > 1 and kecamatan:
            chosen = [c for c in codes if fold(region.kelurahan[c][2]) == fold(kecamatan)]
            codes = chosen or codes
        if len(codes) == 1:
            return codes[0], description, None
        return Ambiguous(category="", name=region.kelurahan[codes[0]][0], written=written,
                         kecamatan=tuple(sorted(region.kelurahan[c][2] for c in codes)))
    first = after.split(maxsplit=1)[0]
    if fold(first) in _PLACE_PREFIXES and len(after.split()) > 1:
        first = after.split()[1]
    return None, after, first.strip("\"'“”‘’")[:40]


def _split_kecamatan(word: str) -> tuple[str, str | None]:
    for separator in ("/", "."):
        head, sep, tail = word.partition(separator)
        if sep and head and fold(tail):
            return head, tail
    return word.rstrip("./,"), None


def _candidates(after: str) -> list[tuple[str, str, str | None, str]]:
    """Readings of the text after the category, most specific first:
    (desa as written, its name, the kecamatan named, the description)."""
    text = after
    words = text.split()
    if len(words) > 1 and fold(words[0]) in _PLACE_PREFIXES:
        text = text.split(maxsplit=1)[1]
    found: list[tuple[str, str, str | None, str]] = []
    close = _QUOTES.get(text[0])
    if close and close in text[1:]:
        quoted, _, rest = text[1:].partition(close)
        kecamatan = None
        if rest[:1] in ("/", ".") and rest[1:2].strip():
            tail = rest[1:].split(maxsplit=1)
            kecamatan, rest = tail[0], tail[1] if len(tail) > 1 else ""
        name, inner_kecamatan = _split_kecamatan(quoted) if "/" in quoted else (quoted, None)
        found.append((quoted, name, kecamatan or inner_kecamatan, rest.strip()))
    words = text.split()
    for n in range(min(_MAX_NAME_WORDS, len(words)), 0, -1):
        head = words[:n]
        if n > 1 and not all(fold(word) for word in head):
            continue  # "Besuki 🙂 …": an emoji is not part of a name
        last, kecamatan = _split_kecamatan(head[-1])
        name = " ".join(head[:-1] + [last])
        found.append((" ".join(head), name, kecamatan, " ".join(words[n:])))
    return found


# --- replies ----------------------------------------------------------------------------

def tracking_code(report_id: str) -> str:
    return report_id[:CODE_LENGTH]


def fit(text: str, limit: int = ONE_SMS) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _examples(region: RegionConfig, n: int = 4) -> str:
    preferred = [c for c in ("sampah", "jalan-rusak", "banjir", "parkir-liar") if c in region.categories
                 and region.categories[c].active]
    others = [c.code for c in region.categories.values() if c.active and c.code not in preferred]
    return ", ".join((preferred + others)[:n])


def help_text(region: RegionConfig, reason: str = "help", word: str = "") -> str:
    lead = {
        "unknown_category": f"Kategori '{word}' tidak dikenal. ",
        "no_category": "Kategori belum disebut. ",
        "no_description": "Uraian masalah belum ditulis. ",
        "too_long": f"Pesan terlalu panjang (maks {MAX_TEXT} huruf). ",
    }.get(reason, "")
    names = sorted(name for name, _, _ in region.kelurahan.values())
    example = next((n for n in names if names.count(n) == 1 and " " not in n), "Besuki")
    return fit(f"{lead}Format: LAPOR <kategori> <desa> <uraian>, mis. LAPOR sampah {example} tumpukan di pasar. "
                f"Kategori: {_examples(region)}. Status: CEK <nomor>", 2 * 153)


def created_text(code: str, region: RegionConfig, kelurahan_code: str | None, unknown_place: str | None,
                 emergency: bool = False) -> str:
    if kelurahan_code and kelurahan_code in region.kelurahan:
        name, _, kecamatan = region.kelurahan[kelurahan_code]
        where = f" Lokasi: {name}, kec. {kecamatan}."
    elif unknown_place:
        where = f" Desa '{unknown_place[:20]}' tidak dikenal; lokasi ditentukan petugas."
    else:
        where = " Lokasi ditentukan petugas."
    urgent = " Darurat: hubungi juga 112." if emergency else ""
    return fit(f"Laporan diterima, nomor {code}.{where}{urgent} Cek status: CEK {code}")


def unplaced_text(unknown_place: str | None) -> str:
    """When a report cannot be made without a place: ask for the desa."""
    return fit(f"Desa '{(unknown_place or '')[:20]}' tidak dikenal. Kirim lagi dengan nama desa/kelurahan Anda: "
               "LAPOR <kategori> <desa> <uraian>")


def ambiguous_text(found: Ambiguous, category: str) -> str:
    choices = ", ".join(f"kec. {k}" for k in found.kecamatan)
    first = found.kecamatan[0].replace(" ", "-")
    return fit(f"Ada {len(found.kecamatan)} desa {found.name}: {choices}. Kirim: "
                f"LAPOR {category} {found.name.replace(' ', '-')}/{first} <uraian>")


def status_text(code: str, status: str, agency_name: str | None) -> str:
    label = lifecycle.STATUS_LABELS.get(status, {"id": status})["id"]
    held = f" Ditangani: {agency_name}." if agency_name and status in ("verified", "in_process", "done") else ""
    return fit(f"Laporan {code}: {label}.{held}")


def not_found_text(code: str | None) -> str:
    if code is None:
        return "Nomor laporan tidak dikenal. Kirim: CEK <nomor>, nomor 8 huruf/angka dari SMS balasan laporan Anda."
    return fit(f"Laporan {code} tidak ditemukan untuk nomor ini. Periksa nomornya di SMS balasan laporan Anda.")


def too_many_text() -> str:
    return f"Batas {REPORTS_PER_HOUR} laporan per jam dari nomor ini tercapai. Silakan kirim lagi nanti."


# --- signatures -------------------------------------------------------------------------

def twilio_signature(auth_token: str, url: str, params: dict[str, list[str]]) -> str:
    """Twilio's ``X-Twilio-Signature``: base64 of HMAC-SHA1 under the auth
    token of the full URL followed by every POST parameter, sorted by name,
    as name + value (https://www.twilio.com/docs/usage/security)."""
    payload = url + "".join(name + value for name in sorted(params) for value in sorted(set(params[name])))
    digest = hmac.new(auth_token.encode(), payload.encode("utf-8", "surrogatepass"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def twilio_valid(auth_token: str | None, header: str | None, urls: tuple[str, ...],
                 params: dict[str, list[str]]) -> bool:
    """Whether ``header`` signs ``params`` for one of the URLs the request
    may have been addressed to (behind API Gateway the stage may or may not
    be part of the URL Twilio was given)."""
    if not auth_token or not header:
        return False
    return any(hmac.compare_digest(twilio_signature(auth_token, url, params), header) for url in urls)


_DIGITS = re.compile(r"^\+?[0-9]{6,15}$")


def sender_number(raw: str | None) -> str | None:
    """The sender in E.164: an Indonesian mobile number as ``domain.phones``
    reads it, another country's as its digits; None for an alphanumeric
    sender id or anything else (no report is made for it)."""
    textable = phones.textable(raw)
    if textable:
        return textable
    digits = re.sub(r"[\s\-().]", "", raw or "")
    return "+" + digits.lstrip("+") if _DIGITS.match(digits) else None
