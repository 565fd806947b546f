"""``make package-size``: the Lambda deployment zip of the stage's
architecture, its size, and the cold import time of the packaged app from the
unzipped package, with and without the compiled bytecode.

Import timing runs on this machine's architecture (a package built for it),
in fresh interpreters with ``-S`` (no site-packages): the package directory
plus boto3/botocore & co. only, as in the Lambda runtime, with
PYTHONDONTWRITEBYTECODE=1 since /var/task is read-only."""
from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNTIME = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py")


# ``import app``, then what ordinary requests import on first use (``chalicelib.lazy.common()``)
_CODE = """import sys, time; sys.path[:0] = [%r, %r]; t = time.perf_counter(); import app; a = time.perf_counter() - t
import importlib; from chalicelib.lazy import common; [importlib.import_module(m) for m in common()]
print(a, time.perf_counter() - t)"""


def import_time(package_dir: Path, runtime_dir: Path, runs: int) -> tuple[float, float]:
    code = _CODE % (str(package_dir), str(runtime_dir))
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONDONTWRITEBYTECODE": "1", "ADUAN_STAGE": "dev",
           "AWS_DEFAULT_REGION": "ap-southeast-3"}
    subprocess.run([sys.executable, "-S", "-c", code], env=env, check=True, capture_output=True)
    samples = [[float(x) for x in subprocess.run([sys.executable, "-S", "-c", code], env=env, check=True,
                                                 capture_output=True, text=True).stdout.split()] for _ in range(runs)]
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def main() -> int:
    from infra import package, stages

    stage = stages.get(os.environ.get("STAGE", "dev"))
    work = Path(tempfile.mkdtemp(prefix="aduan-package-"))
    deployed = package.package(stage.architecture, work / "deployed", stage.name)
    size = deployed.stat().st_size
    with zipfile.ZipFile(deployed) as z:
        names = z.namelist()
        unzipped = sum(i.file_size for i in z.infolist())
    forbidden = sorted({n.split("/")[0] for n in names if n.split("/")[0] in
                        ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3")})
    print(f"deployment package ({stage.architecture}, stage {stage.name}): {size / 1e6:.2f} MB zipped "
          f"({size / 2**20:.2f} MiB), {unzipped / 1e6:.1f} MB unzipped, {len(names)} files; "
          f"target <= 5 MB: {'met' if size <= 5e6 else 'NOT met'}")
    print(f"runtime-provided packages in the zip: {forbidden or 'none'}")

    host = "arm64" if platform.machine() in ("aarch64", "arm64") else "x86_64"
    runtime = work / "runtime"
    runtime.mkdir()
    import botocore

    site = Path(botocore.__file__).parent.parent
    for name in RUNTIME:
        if (site / name).exists():
            (runtime / name).symlink_to(site / name)
    runs = int(os.environ.get("IMPORT_RUNS", "7"))
    results = {}
    for bytecode in (True, False):
        zip_path = package.package(host, work / f"host-{bytecode}", stage.name, bytecode=bytecode)
        target = work / f"unzipped-{bytecode}"
        with zipfile.ZipFile(zip_path) as z:
            z.extractall(target)
        results[bytecode] = import_time(target, runtime, runs), zip_path.stat().st_size
    ((with_app, with_all), with_size), ((without_app, without_all), without_size) = results[True], results[False]
    print(f"cold import from the unzipped {host} package (median of {runs} fresh interpreters), `import app` / "
          f"with what ordinary requests import on first use: with bytecode {with_app * 1000:.0f} / "
          f"{with_all * 1000:.0f} ms ({with_size / 1e6:.2f} MB zip), without {without_app * 1000:.0f} / "
          f"{without_all * 1000:.0f} ms ({without_size / 1e6:.2f} MB zip)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
