"""Started by the benchmark: show a window, report when it is on screen and the peak memory.

`bare` is the yardstick (a PySide6 window with a table); `traject DB_URL` opens the caseload.
"""

from __future__ import annotations

import os
import resource
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    mode = sys.argv[1]
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv[:1])
    if mode == "bare":
        window = QMainWindow()
        model = QStandardItemModel(50, 7)
        for row in range(50):
            for col in range(7):
                model.setItem(row, col, QStandardItem(f"{row}:{col}"))
        table = QTableView()
        table.setModel(model)
        window.setCentralWidget(table)
    else:
        from pathlib import Path
        from tempfile import mkdtemp

        from app.i18n import set_language
        from app.ui.application import open_main_window
        from app.ui.ui_settings import UiSettings

        set_language("en")
        # as at a real start: the last client is reopened after the window is up
        window = open_main_window(sys.argv[2], UiSettings(Path(mkdtemp()) / "ui.ini"))
    window.resize(1440, 880)
    window.show()
    app.processEvents()
    window.grab()  # the first frame is really painted
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"shown {peak_kib}", flush=True)


if __name__ == "__main__":
    main()
