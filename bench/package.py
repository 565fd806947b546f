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


def import_time(package_dir: Path, runtime_dir: Path, runs: int) -> float:
    code = ("import sys, time; sys.path[:0] = [%r, %r]; t = time.perf_counter(); import app; "
            "print(time.perf_counter() - t)" % (str(package_dir), str(runtime_dir)))
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONDONTWRITEBYTECODE": "1", "ADUAN_STAGE": "dev",
           "AWS_DEFAULT_REGION": "ap-southeast-3"}
    subprocess.run([sys.executable, "-S", "-c", code], env=env, check=True, capture_output=True)
    return statistics.median(float(subprocess.run([sys.executable, "-S", "-c", code], env=env, check=True,
                                                  capture_output=True, text=True).stdout) for _ in range(runs))


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
    (with_s, with_size), (without_s, without_size) = results[True], results[False]
    print(f"cold `import app` from the unzipped {host} package (median of {runs} fresh interpreters): "
          f"with bytecode {with_s * 1000:.0f} ms ({with_size / 1e6:.2f} MB zip), "
          f"without {without_s * 1000:.0f} ms ({without_size / 1e6:.2f} MB zip)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
