"""`make dist`: the wheel, then the one-folder desktop app frozen from that very wheel.

Runs the same on Linux, Windows and macOS (the Windows installer script calls it too):

1. `dist/traject-<version>-py3-none-any.whl` (setup.py compiles the catalogs into it);
2. a clean build environment in `build/freeze-venv` with that wheel and its `freeze` extra
   (PyInstaller), so the desktop app holds exactly what the wheel installs, nothing from the
   checkout or the developer's `.venv`;
3. the icons rendered from `resources/icons/traject.svg`;
4. PyInstaller with `packaging/traject.spec`: `dist/traject/traject` (`traject.exe`).

With `--sizes` (as `make dist` runs it) prints the sizes a release note gives. Python's standard library only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WINDOWS = sys.platform == "win32"


def _run(*command: str | Path, **kwargs: object) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], check=True, **kwargs)  # type: ignore[call-overload]


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if WINDOWS else "bin/python")


#: what a build never takes from the checkout: environments, earlier builds, caches
NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", "build", "dist", ".bench", "*.mo",
                                     "__pycache__", ".*_cache", ".hypothesis", "*.egg-info")  # fmt: skip
#: what an earlier `make dist` or installer script left in dist/
ARTEFACTS = ("traject-*.whl", "traject-*-linux-*.tar.xz", "Traject-*.msi", "Traject-*.AppImage")


def build_wheel(dist: Path, work: Path) -> Path:
    """The wheel, built from a clean copy of the sources: nothing left over from an earlier
    build or a concurrent one in the checkout gets in."""
    for pattern in ARTEFACTS:  # a release folder never mixes two builds
        for old in dist.glob(pattern):
            old.unlink()
    source = work / "wheel-source"
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", dist, source)
    shutil.rmtree(source)
    (wheel,) = dist.glob("traject-*-py3-none-any.whl")
    return wheel


def build_environment(wheel: Path, venv: Path) -> Path:
    """A fresh venv with the wheel and PyInstaller (the wheel's `freeze` extra)."""
    shutil.rmtree(venv, ignore_errors=True)
    _run(sys.executable, "-m", "venv", venv)
    python = venv_python(venv)
    _run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         f"{wheel}[freeze]")  # fmt: skip
    return python


def freeze(python: Path, dist: Path, work: Path) -> Path:
    """PyInstaller, started outside the checkout: the spec and the analysis import Traject,
    and must find the installed wheel, not the source tree in the current folder."""
    icons = work / "icons"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    _run(python, ROOT / "packaging" / "icons" / "render_icons.py", icons, env=env)
    _run(python, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", dist, "--workpath", work / "pyinstaller", ROOT / "packaging" / "traject.spec",
         env={**env, "TRAJECT_ICONS": str(icons)}, cwd=work)  # fmt: skip
    return dist / "traject"


def folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def compressed_size(folder: Path, work: Path) -> int:
    """The one-folder app as a .tar.xz, as the Linux archive ships it (the MSI's LZX cabinet
    compresses about as well)."""
    archive = work / "traject-folder.tar.xz"
    with tarfile.open(archive, "w:xz", preset=6) as tar:
        tar.add(folder, arcname="traject")
    size = archive.stat().st_size
    archive.unlink()
    return size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    parser.add_argument("--wheel-only", action="store_true", help="build the wheel and stop")
    parser.add_argument("--sizes", action="store_true",
                        help="report the desktop app's size on disk and compressed")  # fmt: skip
    parser.add_argument("--python", type=Path, metavar="PYTHON",
                        help="freeze with this environment's Python, which already holds the "
                        "wheel with its freeze extra, instead of a new build environment")  # fmt: skip
    args = parser.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()
    dist.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    wheel = build_wheel(dist, work)
    print(f"wheel: {wheel.name}, {wheel.stat().st_size / 1e6:.1f} MB")
    if args.wheel_only:
        return 0
    started = time.perf_counter()
    python = args.python or build_environment(wheel, work / "freeze-venv")
    app = freeze(python, dist, work)
    print(f"desktop app: {app} built in {time.perf_counter() - started:.0f} s")
    if args.sizes:
        print(f"desktop app: {folder_size(app) / 1e6:.0f} MB on disk (goal ≤ 250 MB), "
              f"{compressed_size(app, work) / 1e6:.0f} MB as .tar.xz (goal ≤ 80 MB)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
