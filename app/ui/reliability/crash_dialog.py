"""The dialog a counsellor sees when Traject meets an error it did not expect: a calm message,
the crash report (no personal data, see `app.crash_report`) to copy for support, and the log
folder. Built only when needed (see `app.ui.crash_shower`)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.ui.clipboard import copy_text


class CrashDialog(QDialog):
    def __init__(self, report: str, log_folder: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crash_dialog")
        self.setWindowTitle(_("Traject ran into a problem"))
        self._log_folder = log_folder
        intro = QLabel(
            _("Something went wrong that Traject did not expect, and what you were doing was "
              "not finished. Everything saved before is safe. If it happens again, copy this "
              "report and send it to whoever supports Traject in your organisation; it names "
              "no clients.")
        )  # fmt: skip
        intro.setWordWrap(True)
        self.report = QPlainTextEdit(report)
        self.report.setObjectName("crash_report")
        self.report.setReadOnly(True)
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.report.setAccessibleName(_("Crash report"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(_("&Copy report"))
        self.copy_button.clicked.connect(self.copy)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        if log_folder is not None:
            folder = QPushButton(_("Open the &log folder"))
            folder.clicked.connect(self.open_log_folder)
            buttons.addButton(folder, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.report, 1)
        layout.addWidget(buttons)
        self.resize(720, 420)

    def copy(self) -> None:
        copy_text(self.report.toPlainText())
        self.copy_button.setText(_("Copied"))

    def open_log_folder(self) -> None:
        if self._log_folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._log_folder)))
