"""A region's configuration: its agencies, its category table and its areas.

The default agency list follows Kota Kupang's (NTT Terkini, 8 May 2019) and
the category table maps each report type to an agency and to one of
Trenggalek's colour-coded field teams (Kompas, 13 Apr 2018).  Every region
gets its own editable copy.
"""
from __future__ import annotations

from datetime import timedelta, timezone
from typing import Any

import msgspec

from .emergencies import Responder
from .projects import Rules
from .questions import Question
from .sla import SlaDays

# A region is one DynamoDB item (its tables are always read together).  Its
# worst case under these bounds: 300 categories of at most ~420 bytes
# (code 41, two names of 120, agency 64 characters) ~126 KB, 200 agencies
# (the contract's bound; two names of 160, an emergency responder's topic
# ARN of at most 300) ~145 KB, the 50 most recent audit entries ~10 KB, and
# the areas (~80 bytes a kelurahan/desa: 500 ~40 KB): about 325 KB of
# DynamoDB's 400 KB.  A category is retired, never deleted,
# so the bound counts retired ones too.
MAX_CATEGORIES = 300

TEAMS: dict[str, dict[str, str]] = {
    "pink": {"id": "Pasukan pink (sosial)", "en": "Pink team (social)"},
    "white": {"id": "Pasukan putih (kesehatan)", "en": "White team (health)"},
    "orange": {"id": "Pasukan oranye (infrastruktur dan bencana)", "en": "Orange team (infrastructure and disaster)"},
    "yellow": {"id": "Pasukan kuning (kebersihan)", "en": "Yellow team (cleanliness)"},
    "blue": {"id": "Pasukan biru (ketertiban)", "en": "Blue team (public order)"},
}

# Indonesia keeps no daylight saving time: the three zones are fixed offsets.
TIME_ZONES = {
    "WIB": timezone(timedelta(hours=7), "WIB"),
    "WITA": timezone(timedelta(hours=8), "WITA"),
    "WIT": timezone(timedelta(hours=9), "WIT"),
}

DEFAULT_AGENCIES: list[dict[str, str]] = [
    {"code": "dishub", "name_id": "Dinas Perhubungan", "name_en": "Transport Agency"},
    {"code": "dpupr", "name_id": "Dinas Pekerjaan Umum dan Penataan Ruang", "name_en": "Public Works and Spatial Planning Agency"},
    {"code": "damkar", "name_id": "Dinas Pemadam Kebakaran", "name_en": "Fire Department"},
    {"code": "dinsos", "name_id": "Dinas Sosial", "name_en": "Social Affairs Agency"},
    {"code": "bagum", "name_id": "Bagian Umum Sekretariat Daerah", "name_en": "General Affairs Bureau"},
    {"code": "dinkes", "name_id": "Dinas Kesehatan", "name_en": "Health Agency"},
    {"code": "distan", "name_id": "Dinas Pertanian", "name_en": "Agriculture Agency"},
    {"code": "dlh", "name_id": "Dinas Lingkungan Hidup dan Kebersihan", "name_en": "Environment and Cleanliness Agency"},
    {"code": "bpbd", "name_id": "Badan Penanggulangan Bencana Daerah", "name_en": "Regional Disaster Management Agency"},
    {"code": "dpmptsp", "name_id": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "name_en": "Investment and One-Stop Permit Service"},
    {"code": "bkd", "name_id": "Badan Keuangan Daerah", "name_en": "Regional Finance Agency"},
    {"code": "satpolpp", "name_id": "Satuan Polisi Pamong Praja", "name_en": "Civil Service Police (public order)"},
    {"code": "dispar", "name_id": "Dinas Pariwisata", "name_en": "Tourism Agency"},
    {"code": "inspektorat", "name_id": "Inspektorat Daerah", "name_en": "Regional Inspectorate"},
]

# (code, Indonesian, English, agency, team)
DEFAULT_CATEGORIES: list[tuple[str, str, str, str, str]] = [
    ("parkir-liar", "Parkir liar", "Illegal parking", "dishub", "blue"),
    ("lalu-lintas", "Pelanggaran lalu lintas", "Traffic violation", "dishub", "blue"),
    ("jalan-rusak", "Jalan rusak", "Damaged road", "dpupr", "orange"),
    ("saluran-air", "Saluran air tersumbat", "Blocked drain", "dpupr", "orange"),
    ("fasilitas-umum", "Fasilitas umum rusak", "Damaged public facility", "dpupr", "orange"),
    ("kebakaran", "Kebakaran", "Fire", "damkar", "orange"),
    ("banjir", "Banjir", "Flood", "bpbd", "orange"),
    ("bencana", "Bencana alam (longsor, angin kencang)", "Natural disaster (landslide, storm)", "bpbd", "orange"),
    ("gelandangan-pengemis", "Gelandangan dan pengemis", "Homeless people and beggars", "dinsos", "pink"),
    ("anak-jalanan", "Anak jalanan", "Street children", "dinsos", "pink"),
    ("odgj", "Orang dengan gangguan jiwa terlantar", "Neglected people with mental illness", "dinsos", "pink"),
    ("prostitusi", "Prostitusi", "Prostitution", "dinsos", "pink"),
    ("kematian", "Laporan kematian", "Death report", "bagum", "pink"),
    ("fogging", "Permintaan fogging (DBD)", "Fogging request (dengue)", "dinkes", "white"),
    ("kesehatan", "Masalah kesehatan", "Health problem", "dinkes", "white"),
    ("pertanian", "Masalah pertanian dan irigasi", "Farming and irrigation problem", "distan", "orange"),
    ("sampah", "Sampah", "Garbage", "dlh", "yellow"),
    ("pencemaran", "Pencemaran lingkungan", "Pollution", "dlh", "yellow"),
    ("perizinan", "Usaha tanpa izin", "Unlicensed business", "dpmptsp", "blue"),
    ("pajak-retribusi", "Pajak dan retribusi", "Taxes and levies", "bkd", "blue"),
    ("pungli", "Pungutan liar", "Illegal levies (extortion)", "inspektorat", "blue"),
    ("ketertiban", "Gangguan ketertiban umum", "Public order disturbance", "satpolpp", "blue"),
    ("pkl", "Pedagang kaki lima di tempat terlarang", "Street vendors in prohibited places", "satpolpp", "blue"),
    ("vandalisme", "Vandalisme", "Vandalism", "satpolpp", "blue"),
    ("pariwisata", "Masalah tempat wisata", "Problem at a tourist site", "dispar", "yellow"),
]


# Emergencies (``domain.emergencies``): they skip the verification queue and
# reach their agency's responder at once, on clocks in hours.  A fire, a
# flood (BPBD's: a flood disaster, not a blocked drain, which is
# ``saluran-air``) and a natural disaster; the table has no medical
# emergency (``kesehatan`` is a health problem for the health agency).
DEFAULT_EMERGENCIES = frozenset({"kebakaran", "banjir", "bencana"})


def default_categories() -> list[dict[str, Any]]:
    return [
        {"code": code, "name_id": name_id, "name_en": name_en, "agency": agency, "team": team, "active": True,
         "emergency": code in DEFAULT_EMERGENCIES}
        for code, name_id, name_en, agency, team in DEFAULT_CATEGORIES
    ]


class Category(msgspec.Struct, frozen=True):
    code: str
    name_id: str
    name_en: str
    agency: str
    team: str
    active: bool = True
    emergency: bool = False
    # what a report of the category is asked besides its description (Open311 service attributes)
    questions: tuple[Question, ...] = ()

    @classmethod
    def from_record(cls, record: Any) -> "Category":
        fields = {k: v for k, v in record.items() if k != "questions"}
        return cls(**fields, questions=tuple(Question.from_record(q) for q in record.get("questions") or []))


class Agency(msgspec.Struct, frozen=True):
    code: str
    name_id: str
    name_en: str
    # where its emergencies go at once (Damkar's duty phone, BPBD's topic, PSC 119's system)
    responder: Responder | None = None

    @classmethod
    def from_record(cls, record: Any) -> "Agency":
        return cls(code=record["code"], name_id=record["name_id"], name_en=record["name_en"],
                   responder=Responder.from_record(record.get("responder")))


class RegionConfig(msgspec.Struct, frozen=True):
    region_id: str
    name: str
    kemendagri_code: str
    time_zone: str
    status: str
    categories: dict[str, Category]
    agencies: dict[str, Agency]
    # kelurahan code -> (kelurahan name, kecamatan code, kecamatan name)
    kelurahan: dict[str, tuple[str, str, str]] = msgspec.field(default_factory=dict)
    # a province region (DKI Jakarta): kecamatan code -> (kota code, kota name)
    kota: dict[str, tuple[str, str]] = msgspec.field(default_factory=dict)
    boundaries_version: int = 0
    # the active version's files: {"id": folder, "levels": [metres], "bytes": {...}}
    boundaries_files: dict[str, Any] | None = None
    sla: SlaDays = msgspec.field(default_factory=SlaDays)
    notify_topic_arn: str | None = None
    project_rules: Rules = msgspec.field(default_factory=Rules)
    ocid_prefix: str | None = None
    # the web console's map tiles {url, attribution, max_zoom}; None: the boundaries draw the base layer
    map_tiles: dict[str, Any] | None = None

    @property
    def tz(self) -> timezone:
        return TIME_ZONES[self.time_zone]

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> "RegionConfig":
        kelurahan: dict[str, tuple[str, str, str]] = {}
        kota: dict[str, tuple[str, str]] = {}
        for kec in record.get("areas") or []:
            for kel in kec["kelurahan"]:
                kelurahan[kel["code"]] = (kel["name"], kec["code"], kec["name"])
            if kec.get("kota_code"):
                kota[kec["code"]] = (kec["kota_code"], kec.get("kota") or kec["kota_code"])
        return cls(
            region_id=record["region_id"],
            name=record["name"],
            kemendagri_code=record["kemendagri_code"],
            time_zone=record["time_zone"],
            status=record.get("status", "trial"),
            categories={c["code"]: Category.from_record(c) for c in record.get("categories") or []},
            agencies={a["code"]: Agency.from_record(a) for a in record.get("agencies") or []},
            kelurahan=kelurahan,
            kota=kota,
            boundaries_version=int(record.get("boundaries_version") or 0),
            boundaries_files=record.get("boundaries_files"),
            sla=SlaDays.from_record(record.get("sla")),
            notify_topic_arn=record.get("notify_topic_arn"),
            project_rules=Rules.from_record(record.get("project_rules")),
            ocid_prefix=record.get("ocid_prefix"),
            map_tiles=record.get("map_tiles") or None,
        )

    def agency_names(self, code: str | None) -> tuple[str, str]:
        agency = self.agencies.get(code or "")
        if agency is None:
            return (code or "-", code or "-")
        return agency.name_id, agency.name_en
