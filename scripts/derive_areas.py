"""Derive the bundled official list of Indonesia's provinces, regencies and
cities, kecamatan and desa/kelurahan from the npm package ``idn-area-data``
(version 4.0.1, data under the ODbL 1.0).

    npm pack idn-area-data@4.0.1 && tar xzf idn-area-data-4.0.1.tgz
    python scripts/derive_areas.py --package-dir package --out chalicelib/data/areas/indonesia.csv.xz

Output: one xz-compressed CSV, ``code,name``, ordered province, regency,
kecamatan, village and by code within each; codes keep the dotted Kemendagri
form (35.03.01.2001), whose number of segments is the level and whose prefix
is the parent.  xz (not gzip) and no derivable columns: 0.49 MB instead of
0.81 MB in every Lambda zip.  Deterministic (xz writes no timestamp), so
regenerating gives the same bytes.  Stdlib only.
"""
from __future__ import annotations

import argparse
import csv
import io
import lzma
from pathlib import Path

PACKAGE = "idn-area-data@4.0.1"
LEVELS = ("province", "regency", "kecamatan", "village")  # by the number of the code's segments
FILES = (("province", "provinces.csv", None), ("regency", "regencies.csv", "province_code"),
         ("kecamatan", "districts.csv", "regency_code"), ("village", "villages.csv", "district_code"))


def derive(package_dir: Path) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "name"])
    for level, filename, parent_column in FILES:
        with (package_dir / "data" / filename).open(encoding="utf-8", newline="") as handle:
            rows = sorted(csv.DictReader(handle), key=lambda r: r["code"])
        for row in rows:
            code = row["code"]
            if len(code.split(".")) != LEVELS.index(level) + 1 or (
                    parent_column and code.rsplit(".", 1)[0] != row[parent_column]):
                raise ValueError(f"{code}: not a {level} code under {row.get(parent_column or '', '')}")
            writer.writerow([code, row["name"]])
    return lzma.compress(out.getvalue().encode("utf-8"), format=lzma.FORMAT_XZ, preset=9 | lzma.PRESET_EXTREME)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--package-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    data = derive(args.package_dir)
    args.out.write_bytes(data)
    print(f"{PACKAGE} -> {args.out} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
