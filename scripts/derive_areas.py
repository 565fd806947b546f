"""Derive one regency's or city's official kecamatan and desa/kelurahan list
from the npm package ``idn-area-data`` (version 4.0.1, ODbL 1.0).

    npm pack idn-area-data@4.0.1 && tar xzf idn-area-data-4.0.1.tgz
    python scripts/derive_areas.py --package-dir package --regency 35.03 \
        --out chalicelib/data/areas/35.03.json

Stdlib only.  Codes keep the Kemendagri dotted form (35.03.01.2001); a
village code whose fifth segment starts with 1 is a kelurahan, with 2 a desa.
"""
from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

PACKAGE = "idn-area-data@4.0.1"
ATTRIBUTION = ("Contains data from idn-area-data (https://github.com/fityannugroho/idn-area-data) by "
               "Muhammad Fityan and contributors, made available under the Open Database License (ODbL) 1.0, "
               "compiled from Kemendagri's official administrative area codes.")


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def title(name: str) -> str:
    return name.title() if name.isupper() else name


def derive(package_dir: Path, regency_code: str) -> dict:
    data = package_dir / "data"
    regencies = {r["code"]: r for r in read(data / "regencies.csv")}
    if regency_code not in regencies:
        raise SystemExit(f"unknown regency/city code {regency_code}")
    regency = regencies[regency_code]
    provinces = {p["code"]: p for p in read(data / "provinces.csv")}
    districts = sorted((d for d in read(data / "districts.csv") if d["regency_code"] == regency_code),
                       key=lambda d: d["code"])
    villages: dict[str, list[dict[str, str]]] = {}
    for village in read(data / "villages.csv"):
        villages.setdefault(village["district_code"], []).append(village)
    return {
        "source": f"{PACKAGE} (npm), derived by scripts/derive_areas.py",
        "license": "ODbL-1.0",
        "attribution": ATTRIBUTION,
        "code": regency_code,
        "name": title(regency["name"]),
        "province_code": regency["province_code"],
        "province": title(provinces[regency["province_code"]]["name"]),
        "kecamatan": [
            {
                "code": district["code"],
                "name": title(district["name"]),
                "kelurahan": [
                    {"code": v["code"], "name": title(v["name"]),
                     "type": "kelurahan" if v["code"].split(".")[3].startswith("1") else "desa"}
                    for v in sorted(villages.get(district["code"], []), key=lambda v: v["code"])
                ],
            }
            for district in districts
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--package-dir", type=Path, required=True)
    parser.add_argument("--regency", required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    result = derive(args.package_dir, args.regency)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    villages = sum(len(k["kelurahan"]) for k in result["kecamatan"])
    print(f"{result['name']}: {len(result['kecamatan'])} kecamatan, {villages} desa/kelurahan -> {args.out}")


if __name__ == "__main__":
    main()
