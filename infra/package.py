"""The Lambda deployment package: a staging copy of the app that Chalice
packages (``chalice package`` / its CDK construct).

* No boto3/botocore/s3transfer/jmespath/dateutil/urllib3/six in the zip: the
  Lambda Python runtime provides them.  The runtime requirements
  (``requirements.txt``) are installed into Chalice's ``vendor/`` directory
  *without dependencies*, as wheels for the functions' architecture, and every
  dependency they declare must be vendored or provided by the runtime (checked).
* Bytecode compiled into the package (``unchecked-hash`` pycs, PEP 552: valid
  whatever mtimes the zip gives the sources), so a cold start does not compile
  the app and its libraries: ``/var/task`` is read-only, nothing is cached there.
"""
from __future__ import annotations

import hashlib
import os
import platform
import py_compile
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "infra"
LAMBDA_PYTHON = (3, 11)
# Importable in the Lambda Python runtime without being packaged.
RUNTIME_PROVIDED = {"boto3", "botocore", "s3transfer", "jmespath", "python-dateutil", "urllib3", "six"}
PLATFORMS = {"x86_64": "manylinux2014_x86_64", "arm64": "manylinux2014_aarch64"}
# Where the Lambda package must differ from requirements.txt, and why.
LAMBDA_PINS = {
    # Pillow 13 ships only manylinux_2_27+ wheels for cp311; the python3.11
    # Lambda runtime is Amazon Linux 2 (glibc 2.26), where they cannot load.
    # 12.2.0 is the newest release with manylinux2014 (glibc 2.17) wheels.
    "pillow": "pillow==12.2.0",
}
# Files the functions never read.
PRUNE_DIRS = {"tests", "test", "__pycache__"}
# Pillow extensions the photo worker never loads (fonts, colour management,
# AVIF, Tk) and the bundled libraries only they link: 6.3 MB -> ~3 MB zipped.
PRUNE_GLOBS = ("PIL/_avif.*.so", "PIL/_imagingft.*.so", "PIL/_imagingcms.*.so", "PIL/_imagingtk.*.so",
               "pillow.libs/libavif-*", "pillow.libs/libfreetype-*", "pillow.libs/libharfbuzz-*",
               "pillow.libs/libbrotli*", "pillow.libs/libpng16-*", "pillow.libs/liblcms2-*")
# Pillow's image plugins and helpers the photo worker never loads: it reads
# and writes JPEG, PNG and WebP only, and ``Image.open`` skips a plugin that
# cannot be imported (so an exotic format is "not an image", as it should be).
# Kept: PIL_MODULES (below) and every PIL module they import, found by reading
# their imports (``pil_closure``).
PIL_KEEP_EXTRA = ("MpoImagePlugin",)  # phones' multi-picture JPEGs open through it
# Bump when the pruning changes: the vendored copy is cached under a key.
PRUNING = "3"


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def runtime_requirements() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    requirements = [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]
    return [LAMBDA_PINS.get(_canonical(r.split("=")[0].split("[")[0].strip()), r) for r in requirements]


def vendor(arch: str) -> Path:
    """The runtime requirements as installed for ``arch``, cached by content."""
    requirements = runtime_requirements()
    key = hashlib.sha256("\n".join([arch, PRUNING, *requirements]).encode()).hexdigest()[:16]
    target = BUILD / f"vendor-{arch}-{key}"
    if (target / ".complete").exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--no-deps", "--no-compile", "--only-binary=:all:", "--platform", PLATFORMS[arch],
                    "--python-version", "%d.%d" % LAMBDA_PYTHON, "--implementation", "cp",
                    "--target", str(target), *requirements], check=True)
    check_dependencies(target)
    for path in sorted(target.rglob("*"), reverse=True):
        if path.is_dir() and path.name in PRUNE_DIRS:
            shutil.rmtree(path)
    pil = target / "PIL"
    if pil.is_dir():
        keep = pil_closure(pil, (*PIL_MODULES, *PIL_KEEP_EXTRA))
        for path in pil.glob("*.py"):
            if path.stem not in keep:
                path.unlink()
    for pattern in PRUNE_GLOBS:
        for path in target.glob(pattern):
            path.unlink()
    # Type stubs, console scripts and install metadata (read by no import;
    # the dependency check above has used the metadata already).
    for path in [*target.rglob("*.pyi"), *target.glob("bin"), *target.glob("*.dist-info")]:
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    (target / ".complete").touch()
    return target


def pil_closure(pil: Path, roots: tuple[str, ...]) -> set[str]:
    """The PIL modules ``roots`` import, directly or not (``from . import X``,
    ``from .X import …``, ``import PIL.X``, ``from PIL import X``)."""
    pattern = re.compile(r"^\s*(?:from\s+(?:\.|PIL\.?)(\w*)\s+import\s+([\w ,()]+)|import\s+PIL\.(\w+))", re.M)
    found: set[str] = set()
    pending = [r for r in roots if (pil / f"{r}.py").exists()]
    while pending:
        name = pending.pop()
        if name in found:
            continue
        found.add(name)
        for module, names, plain in pattern.findall((pil / f"{name}.py").read_text(encoding="utf-8")):
            candidates = [module or plain] if (module or plain) else [n.strip(" ()") for n in names.split(",")]
            pending += [c for c in candidates if c and (pil / f"{c}.py").exists() and c not in found]
    return found | {"__init__"}


def check_dependencies(target: Path) -> None:
    """Every dependency a vendored distribution declares is vendored too or
    provided by the Lambda runtime."""
    try:
        from packaging.requirements import Requirement
    except ImportError:  # pragma: no cover
        from pip._vendor.packaging.requirements import Requirement
    vendored = {_canonical(p.name.split("-")[0]) for p in target.glob("*.dist-info")}
    env = {"python_version": "%d.%d" % LAMBDA_PYTHON, "python_full_version": "%d.%d.0" % LAMBDA_PYTHON,
           "sys_platform": "linux", "platform_system": "Linux", "os_name": "posix",
           "implementation_name": "cpython", "platform_python_implementation": "CPython", "extra": ""}
    missing = []
    for dist in target.glob("*.dist-info"):
        for line in (dist / "METADATA").read_text(errors="replace").splitlines():
            if not line.startswith("Requires-Dist:"):
                continue
            req = Requirement(line.split(":", 1)[1].strip())
            if req.marker and not req.marker.evaluate(env):
                continue
            name = _canonical(req.name)
            if name not in vendored and name not in RUNTIME_PROVIDED:
                missing.append(f"{dist.name}: {req}")
    if missing:
        raise SystemExit("vendored packages need dependencies neither vendored nor in the Lambda runtime:\n  "
                         + "\n  ".join(missing) + "\nadd them to requirements.txt")


def build_source(arch: str, bytecode: bool = True) -> Path:
    """A Chalice project directory ready for ``chalice package``."""
    src = BUILD / f"src-{arch}{'' if bytecode else '-nopyc'}"
    shutil.rmtree(src, ignore_errors=True)
    (src / ".chalice").mkdir(parents=True)
    shutil.copy2(ROOT / ".chalice" / "config.json", src / ".chalice" / "config.json")
    shutil.copy2(ROOT / "app.py", src / "app.py")
    shutil.copytree(ROOT / "chalicelib", src / "chalicelib", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copytree(vendor(arch), src / "vendor", ignore=shutil.ignore_patterns(".complete"))
    # No requirements.txt: Chalice's own pip step has nothing to do.
    if bytecode and sys.version_info[:2] == LAMBDA_PYTHON:
        compile_bytecode(src, arch)
    return src


# Run in the staged package to list the modules a cold start and ordinary
# requests load (``import app``, then ``chalicelib.lazy.common()``): only those
# and Pillow's image path get bytecode (the rare capabilities stay source),
# keeping the zip under 5 MB.  The probe also cleans a JPEG, a PNG and a WebP
# with the pruned Pillow, as the photo worker does.  Pillow's pure-Python part
# is compiled from a fixed list (its native part may be for another architecture).
_PROBE = """
import sys
# argv[2]: the same packages built for this machine, when the functions' differ
# (an arm64 package built on x86_64): native extensions load from there, and
# the files loaded are mapped back onto the package's own vendor/.
sys.path[:0] = [sys.argv[1]] + sys.argv[2:] + [sys.argv[1] + '/vendor']
import importlib
import app
from chalicelib.lazy import common
for name in common():
    importlib.import_module(name)
for m in list(sys.modules.values()):
    f = getattr(m, '__file__', None) or ''
    for root, target in [(sys.argv[1], sys.argv[1])] + [(d, sys.argv[1] + '/vendor') for d in sys.argv[2:]]:
        if f.startswith(root + '/'):
            print(target + f[len(root):])
import io
from PIL import Image
from chalicelib.services.uploads.kinds import clean_image
for kind, extension in (("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")):
    image = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(image, kind)
    assert clean_image(image.getvalue(), extension)[2:] == (40, 30), kind
"""


# What the photo worker loads of Pillow (JPEG/PNG/WebP in, JPEG/PNG/WebP out).
PIL_MODULES = ("__init__", "_version", "_binary", "_util", "_deprecate", "_typing", "Image", "ImageFile", "ImageOps",
               "ImageMode", "ImagePalette", "ImageColor", "ImageSequence", "ExifTags", "TiffTags", "TiffImagePlugin",
               "JpegImagePlugin", "JpegPresets", "PngImagePlugin", "WebPImagePlugin", "GifImagePlugin",
               "BmpImagePlugin", "PpmImagePlugin", "features")


def host_arch() -> str:
    return "arm64" if platform.machine() in ("aarch64", "arm64") else "x86_64"


def compile_bytecode(src: Path, arch: str) -> None:
    mode = py_compile.PycInvalidationMode.UNCHECKED_HASH
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "ADUAN_STAGE": os.environ.get("ADUAN_STAGE", "dev")}
    native = [str(vendor(host_arch()))] if arch != host_arch() else []
    loaded = subprocess.run([sys.executable, "-c", _PROBE, str(src), *native], env=env, check=True,
                            capture_output=True, text=True).stdout.split()
    files = {Path(f) for f in loaded if f.endswith(".py")}
    # the rare capabilities (``chalicelib/lazy.py``: the channels, exports, boundary uploads, data rights)
    # stay source: compiled in memory by the rare request that needs them
    files |= {src / "vendor" / "PIL" / f"{name}.py" for name in PIL_MODULES if (src / "vendor" / "PIL" / f"{name}.py").exists()}
    for file in sorted(files):
        if file == src / "app.py":
            continue
        py_compile.compile(str(file), invalidation_mode=mode, doraise=True,
                           dfile=str(file.relative_to(src / "vendor" if "vendor" in file.parts else src)))
    tag = sys.implementation.cache_tag
    # app.py and Chalice's runtime (chalice/app.py, chalice/__init__.py) sit at
    # the zip's root; their pycs travel in vendor/, which Chalice copies there.
    py_compile.compile(str(src / "app.py"), cfile=str(src / "vendor" / "__pycache__" / f"app.{tag}.pyc"),
                       dfile="app.py", invalidation_mode=mode, doraise=True)
    import chalice
    import chalice.app

    for module, name in ((chalice.app, "app"), (chalice, "__init__")):
        source = module.__file__[:-1] if module.__file__.endswith(".pyc") else module.__file__
        py_compile.compile(source, cfile=str(src / "vendor" / "chalice" / "__pycache__" / f"{name}.{tag}.pyc"),
                           dfile=f"chalice/{name}.py", invalidation_mode=mode, doraise=True)


def package(arch: str, out: Path, stage: str = "dev", bytecode: bool = True) -> Path:
    """``chalice package`` of the staged app; returns the deployment zip."""
    from chalice import api

    os.environ["ADUAN_STAGE"] = stage
    os.environ.setdefault("AWS_DEFAULT_REGION", "ap-southeast-3")
    src = build_source(arch, bytecode)
    shutil.rmtree(out, ignore_errors=True)
    api.package_app(project_dir=str(src), output_dir=str(out), stage=stage,
                    chalice_config={"lambda_architecture": arch})
    return out / "deployment.zip"
