"""Started by the benchmark: show a window, report when it is on screen and the peak memory.

`bare` is the yardstick (a PySide6 window with a table). `login DB_URL` times a sign-in to an
encrypted caseload until its window is painted. `traject DB_URL` starts Traject the
way the `traject` command does (`app.cli.main`, with the settings folder empty as on a first
start on this machine); only `QApplication.exec` is replaced, by a report that the caseload
window has painted its first frame.
"""

from __future__ import annotations

import os
import resource
import sys
from collections.abc import Callable
from types import ModuleType

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def report_shown(window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    window.grab()  # the first frame is really painted
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"shown {peak_kib}", flush=True)


def bare() -> None:
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    _app = QApplication(sys.argv[:1])
    window = QMainWindow()
    model = QStandardItemModel(50, 7)
    for row in range(50):
        for col in range(7):
            model.setItem(row, col, QStandardItem(f"{row}:{col}"))
    table = QTableView()
    table.setModel(model)
    window.setCentralWidget(table)
    window.resize(1440, 880)  # Traject's size on a first start
    window.show()
    report_shown(window)


def traject(url: str) -> None:
    from app import startup

    startup.pause_collector()  # what `app.cli.main` does first

    def exec_and_report(_app: object) -> int:
        from PySide6.QtWidgets import QApplication, QMainWindow

        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow)]
        report_shown(windows[0])
        return 0

    # Qt is imported when Traject imports it, not before: importing PySide6 first would make
    # its import hook inspect every module imported after it, which Traject does not pay
    _after_import("PySide6.QtWidgets", lambda qtwidgets: setattr(
        qtwidgets.QApplication, "exec", exec_and_report))  # fmt: skip
    from app import cli

    code = cli.main(["--db", url, "--lang", "en"])
    if code:
        raise SystemExit(code)


def _after_import(name: str, then: Callable[[ModuleType], None]) -> None:
    """Call `then(module)` once `name` has been imported by whoever imports it first."""
    import importlib.abc
    import importlib.util

    class Hook(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname: str, path: object = None, target: object = None) -> object:
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(fullname)
            assert spec is not None and spec.loader is not None
            load = spec.loader.exec_module

            def exec_module(module: ModuleType) -> None:
                load(module)
                then(module)

            spec.loader.exec_module = exec_module  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, Hook())


def login(url: str) -> None:
    """Seconds from the password being submitted (Argon2 included) to the caseload painted."""
    import time
    from pathlib import Path
    from tempfile import mkdtemp

    from PySide6.QtWidgets import QApplication

    from app.db import sqlite_path
    from app.i18n import set_language
    from app.services.privacy.login_throttle import LoginThrottle
    from app.services.privacy.vault import locked
    from app.ui.main_window import MainWindow
    from app.ui.ui_settings import UiSettings

    _app = QApplication(sys.argv[:1])
    set_language("en")
    path = sqlite_path(url)
    assert path is not None
    vault = locked(path)  # what the login dialog holds while the password is typed
    start = time.perf_counter()
    vault.unlock(os.environ["TRAJECT_USER"], os.environ["TRAJECT_PASSWORD"], LoginThrottle())
    unlocked = time.perf_counter() - start
    assert vault.database is not None
    window = MainWindow(vault.database, UiSettings(Path(mkdtemp()) / "ui.ini"), vault)
    window.show()
    QApplication.processEvents()
    window.grab()
    print(f"login {time.perf_counter() - start:.4f} {unlocked:.4f}", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    elif sys.argv[1] == "login":
        login(sys.argv[2])
    else:
        traject(sys.argv[2])
    os._exit(0)  # the figures are out; skip Qt's teardown
