"""The photo worker's peak memory for the largest photos it accepts.

Each image is cleaned (``services.uploads.kinds.clean_image``: header check,
decode, upright, re-encode, thumbnail) in a fresh interpreter that first
imports the worker's modules, and the child's peak resident set size
(``VmHWM``) is printed next to the function's configured memory.  The
images are the worst cases the limits admit: exactly ``MAX_PIXELS`` pixels,
as an RGBA PNG (4 bytes a pixel, no reduced decoding) and as a JPEG.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The peak is VmHWM (kB) of /proc/self/status: the high-water mark of this
# process image (ru_maxrss would carry over the forking parent's peak).
CHILD = """
import sys
from chalicelib.services.uploads import kinds
import app  # what the worker's process holds besides the image

def peak():
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))

path, ext = sys.argv[1:3]
data = open(path, "rb").read()
before = peak()
kinds.clean_image(data, ext)
print(before, peak())
"""


def _largest(folder: Path) -> list[tuple[str, Path, int, int]]:
    """The worst cases the limits admit, written to files (in this process,
    so that making them does not count in the child's peak)."""
    import math

    from PIL import Image

    from chalicelib import resources
    from chalicelib.services.uploads import kinds

    made = []
    # PNG and WebP decode whole: as many pixels as MAX_DECODED_BYTES admits (4
    # bytes a pixel, twice for WebP); a JPEG may have MAX_PIXELS (it decodes at
    # a reduced scale)
    for name, mode, fmt, ext, pixels in (
            ("PNG, RGBA", "RGBA", "PNG", "png", kinds.MAX_DECODED_BYTES // 4),
            ("WebP, RGB", "RGB", "WEBP", "webp", kinds.MAX_DECODED_BYTES // 8),
            ("JPEG, RGB", "RGB", "JPEG", "jpg", kinds.MAX_PIXELS)):
        side = math.isqrt(pixels)
        size = (side, pixels // side)
        gradient = Image.linear_gradient("L").resize(size)
        path = folder / f"largest.{ext}"
        Image.merge(mode, [gradient] * len(mode)).save(path, fmt)
        assert path.stat().st_size <= resources.PHOTO_MAX_BYTES, (name, path.stat().st_size)
        made.append((name, path, *size))
    return made


def measure(memory_mb: int) -> None:
    import tempfile

    print(f"\nphoto worker peak memory (largest accepted image, {memory_mb} MB function):")
    with tempfile.TemporaryDirectory() as folder:
        for name, path, width, height in _largest(Path(folder)):
            result = subprocess.run([sys.executable, "-c", CHILD, str(path), path.suffix[1:]], cwd=ROOT,
                                    capture_output=True, text=True, check=False,
                                    env={"ADUAN_STAGE": "bench", "AWS_DEFAULT_REGION": "ap-southeast-3"})
            if result.returncode != 0:
                print(f"  {name}: failed: {result.stderr.strip().splitlines()[-1:]}")
                continue
            before_kb, peak_kb = map(int, result.stdout.split()[-2:])
            print(f"  {name} {width}x{height} ({width * height / 1e6:.1f} MP, {path.stat().st_size / 1e6:.1f} MB "
                  f"file): peak RSS {peak_kb / 1024:.0f} MB of {memory_mb} MB "
                  f"({before_kb / 1024:.0f} MB before the image)")


if __name__ == "__main__":
    measure(512)
