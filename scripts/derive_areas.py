"""Derive the bundled official list of Indonesia's provinces, regencies and
cities, kecamatan and desa/kelurahan from the npm package ``idn-area-data``
(version 4.0.1, data under the ODbL 1.0).

    npm pack idn-area-data@4.0.1 && tar xzf idn-area-data-4.0.1.tgz
    python scripts/derive_areas.py --package-dir package --out chalicelib/data/areas/indonesia.csv.gz

Output: one gzip-compressed CSV, ``level,code,parent,name``, levels
``province``, ``regency``, ``kecamatan``, ``village``; codes keep the dotted
Kemendagri form (35.03.01.2001).  Written deterministically (no timestamp in
the gzip header), so regenerating gives the same bytes.  Stdlib only.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import io
from pathlib import Path

PACKAGE = "idn-area-data@4.0.1"
FILES = (("province", "provinces.csv", None), ("regency", "regencies.csv", "province_code"),
         ("kecamatan", "districts.csv", "regency_code"), ("village", "villages.csv", "district_code"))


def derive(package_dir: Path) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["level", "code", "parent", "name"])
    for level, filename, parent_column in FILES:
        with (package_dir / "data" / filename).open(encoding="utf-8", newline="") as handle:
            rows = sorted(csv.DictReader(handle), key=lambda r: r["code"])
        for row in rows:
            writer.writerow([level, row["code"], row[parent_column] if parent_column else "", row["name"]])
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=9) as handle:
        handle.write(out.getvalue().encode("utf-8"))
    return buffer.getvalue()


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
