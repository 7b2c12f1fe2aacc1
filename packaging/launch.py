"""The desktop build's entry point: the same `traject` command the wheel installs."""

import os
import sys


def _utf8_without_a_locale() -> None:
    """Where no locale is set (LANG unset, or C/POSIX), the `python` program switches the
    character type to C.UTF-8 before anything runs (PEP 538); the desktop build's launcher
    does not, and Qt would then warn on every start and read file names as ASCII."""
    if sys.platform == "win32" or os.environ.get("LC_ALL"):
        return
    current = os.environ.get("LC_CTYPE") or os.environ.get("LANG") or "C"
    if current in ("C", "POSIX"):
        os.environ["LC_CTYPE"] = "C.UTF-8"


if __name__ == "__main__":
    _utf8_without_a_locale()
    from app.cli import main

    sys.exit(main())
