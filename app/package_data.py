"""Where Traject's own files are once installed: found with importlib.resources.

The data (`app.resources`) and the catalogs (`app.translations`) are packages of the installed
Traject — in a wheel, an editable install and the frozen desktop build alike — so nothing
depends on where the source tree is or on the current folder.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

RESOURCES = "app.resources"
TRANSLATIONS = "app.translations"
MIGRATIONS = "app.migrations"


class MissingPackageData(RuntimeError):
    """Traject is installed without its data: a broken or partial installation."""


@cache
def folder(package: str) -> Path:
    """The folder on disk that holds `package`'s files.

    Traject is always installed unpacked (pip, the desktop build), so the package is a real
    folder: ReportLab, Alembic and gettext all want file names, not streams.
    """
    try:
        root = files(package)
    except ModuleNotFoundError as exc:
        raise MissingPackageData(
            f"Traject's {package} is not installed; reinstall Traject (`make run` in a checkout)"
        ) from exc
    path = Path(str(root))
    if not path.is_dir():
        raise MissingPackageData(f"Traject's {package} is not a folder on disk ({root!r})")
    return path


def resources() -> Path:
    return folder(RESOURCES)


def translations() -> Path:
    return folder(TRANSLATIONS)


def migrations() -> Path:
    return folder(MIGRATIONS)
