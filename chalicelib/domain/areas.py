"""Indonesia's official administrative areas (Kemendagri codes), bundled in
``chalicelib/data/areas/indonesia.csv.xz`` (from ``idn-area-data`` 4.0.1,
ODbL 1.0: see the README beside it).

A regency or city (``35.03``, ``53.71``) has kecamatan (``35.03.01``), each
with its desa/kelurahan (``35.03.01.2001``: a fifth segment starting with 1
is a kelurahan, with 2 a desa).
"""
from __future__ import annotations

import csv
import io
import lzma
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import msgspec

DATA = Path(__file__).resolve().parent.parent / "data" / "areas" / "indonesia.csv.xz"
SOURCE = "idn-area-data@4.0.1 (npm, ODbL 1.0)"
ATTRIBUTION = ("Contains information from idn-area-data (https://github.com/fityannugroho/idn-area-data), "
               "which is made available under the Open Database License (ODbL) 1.0.")
REGENCY_CODE = re.compile(r"^[0-9]{2}\.[0-9]{2}$")

# Time zone by province code: WITA from Bali and Nusa Tenggara, southern and
# eastern Kalimantan and Sulawesi; WIT for Maluku and Papua; WIB elsewhere.
WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96"}


def time_zone_of(province_code: str) -> str:
    if province_code in WIT_PROVINCES:
        return "WIT"
    if province_code in WITA_PROVINCES:
        return "WITA"
    return "WIB"


class Regency(msgspec.Struct, frozen=True):
    code: str
    name: str
    province_code: str
    province: str
    kecamatan: tuple[dict[str, Any], ...]

    @property
    def time_zone(self) -> str:
        return time_zone_of(self.province_code)

    def areas(self) -> list[dict[str, Any]]:
        return [dict(k, kelurahan=[dict(v) for v in k["kelurahan"]]) for k in self.kecamatan]

    @property
    def village_count(self) -> int:
        return sum(len(k["kelurahan"]) for k in self.kecamatan)


LEVELS = ("province", "regency", "kecamatan", "village")  # by the number of the code's segments


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[str, str, str, str], ...]:
    """(level, code, parent code, name) of every area: the file keeps the
    code and the name, the code's segments say the rest."""
    with lzma.open(DATA, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(io.StringIO(handle.read()))
        next(reader)
        return tuple((LEVELS[code.count(".")], code, code.rpartition(".")[0], name) for code, name in reader)


# A province onboarded whole, its regencies and cities (kota administrasi)
# a level between the region and its kecamatan: DKI Jakarta, whose kota and
# kabupaten administrasi are not autonomous (Jakarta's rankings ran staff →
# kelurahan → kecamatan → kota → dinas).  Other provinces are onboarded
# regency by regency.
PROVINCE_REGIONS = {"31"}


def regency(code: str) -> Regency | None:
    """The regency or city with this Kemendagri code, with all its areas; or
    a province of ``PROVINCE_REGIONS``, each kecamatan naming its kota."""
    if code in PROVINCE_REGIONS:
        return _province(code)
    if not REGENCY_CODE.match(code or ""):
        return None
    rows = _rows()
    provinces = {c: n for level, c, _, n in rows if level == "province"}
    head = next(((c, p, n) for level, c, p, n in rows if level == "regency" and c == code), None)
    if head is None:
        return None
    prefix = code + "."
    kecamatan: dict[str, dict[str, Any]] = {}
    for level, c, parent, name in rows:
        if not c.startswith(prefix):
            continue
        if level == "kecamatan":
            kecamatan[c] = {"code": c, "name": name, "kelurahan": []}
        elif level == "village" and parent in kecamatan:
            kind = "kelurahan" if c.split(".")[3].startswith("1") else "desa"
            kecamatan[parent]["kelurahan"].append({"code": c, "name": name, "type": kind})
    return Regency(code=code, name=head[2], province_code=head[1], province=provinces.get(head[1], ""),
                   kecamatan=tuple(kecamatan[k] for k in sorted(kecamatan)))


def _province(code: str) -> Regency | None:
    rows = _rows()
    name = next((n for level, c, _, n in rows if level == "province" and c == code), None)
    if name is None:
        return None
    kecamatan: list[dict[str, Any]] = []
    for level, c, parent, kota_name in rows:
        if level == "regency" and parent == code:
            part = regency(c)
            if part is not None:
                kecamatan += [dict(k, kota_code=c, kota=kota_name) for k in part.kecamatan]
    return Regency(code=code, name=name, province_code=code, province=name,
                   kecamatan=tuple(sorted(kecamatan, key=lambda k: str(k["code"]))))


def regencies() -> list[tuple[str, str]]:
    return [(c, n) for level, c, _, n in _rows() if level == "regency"]
