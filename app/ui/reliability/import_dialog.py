"""Importing clients from a spreadsheet: the file's columns beside the Traject field each one
goes to (recognised headers filled in, the rest chosen by the counsellor), the text encoding of
a CSV file that is not UTF-8, who follows the new clients (nobody yet: they wait in the
dispatch inbox), a check that changes nothing, the import with its progress and a
Cancel that removes what was added, the report of every refused row, and the refused rows
saved as a CSV to fix and import again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import OperationalError

from app.db import SessionFactory
from app.i18n import _, format_number, ngettext
from app.services.caseload.counsellors import counsellor_choices
from app.services.clock import local_today
from app.services.errors import ServiceError, storage_problem
from app.services.privacy.access import Actor
from app.services.reliability import client_import, spreadsheet
from app.services.reliability.whole_file import write_whole
from app.services.validation import field_label

EXAMPLES = 3  # cells shown per column, to recognise what it holds
REQUIRED = ("given_name", "family_name")
ENCODING_NAMES = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "utf-16": "UTF-16",
                  "cp1252": "Windows-1252", "iso8859-15": "ISO-8859-15"}  # fmt: skip
ENCODINGS = (None, "cp1252", "iso8859-15")  # None: UTF-8, or what the file's mark says


class _Cancelled(Exception):
    """The counsellor cancelled the import; what it added is removed on the way out."""


class ImportDialog(QDialog):
    def __init__(
        self, sessions: SessionFactory, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("import_dialog")
        self.setWindowTitle(_("Import clients"))
        self._sessions, self._actor = sessions, actor
        self.sheet: spreadsheet.Sheet | None = None
        self.path: Path | None = None
        self.report: client_import.ImportReport | None = None
        self.imported = 0
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.encoding = QComboBox()
        self.encoding.setObjectName("import_encoding")
        for code in ENCODINGS:
            self.encoding.addItem(ENCODING_NAMES[code] if code else "UTF-8", code)
        self.encoding.activated.connect(lambda _index: self._reload())
        encoding_label = QLabel(_("Text &encoding:"))
        encoding_label.setBuddy(self.encoding)
        self.referent = QComboBox()
        self.referent.setObjectName("import_referent")
        self.referent.addItem(_("Nobody yet: they wait in the dispatch inbox"), None)
        with sessions() as session:
            for counsellor_id, name in counsellor_choices(session):
                self.referent.addItem(name, counsellor_id)
        referent_label = QLabel(_("&Referent of the new clients:"))
        referent_label.setBuddy(self.referent)
        self._running = self._cancelling = False
        self.columns = QTableWidget(0, 3)
        self.columns.setObjectName("import_columns")
        self.columns.setHorizontalHeaderLabels(
            [_("Column in the file"), _("Examples"), _("Goes to")]
        )
        self.columns.verticalHeader().hide()
        self.columns.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.columns.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.progress = QProgressBar()
        self.progress.hide()
        self.result_label = QLabel()
        self.result_label.setObjectName("import_result")
        self.result_label.setWordWrap(True)
        self.refused = QTableWidget(0, 3)
        self.refused.setObjectName("import_refused")
        self.refused.setHorizontalHeaderLabels([_("Line"), _("Column"), _("Reason")])
        self.refused.verticalHeader().hide()
        self.refused.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.refused.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.refused.hide()
        self.check_button = QPushButton(_("&Check without importing"))
        self.check_button.clicked.connect(lambda: self.run(dry_run=True))
        self.import_button = QPushButton(_("&Import"))
        self.import_button.clicked.connect(lambda: self.run(dry_run=False))
        self.save_button = QPushButton(_("&Save refused rows…"))
        self.save_button.clicked.connect(self.save_refused)
        self.save_button.setEnabled(False)
        self.cancel_button = QPushButton(_("Cancel the import"))
        self.cancel_button.clicked.connect(self.reject)
        self.cancel_button.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for button in (self.check_button, self.import_button, self.save_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        encoding_row = QHBoxLayout()
        encoding_row.addWidget(encoding_label)
        encoding_row.addWidget(self.encoding)
        encoding_row.addSpacing(24)
        encoding_row.addWidget(referent_label)
        encoding_row.addWidget(self.referent)
        encoding_row.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addLayout(encoding_row)
        layout.addWidget(self.columns, 2)
        layout.addWidget(self.progress)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.result_label)
        layout.addWidget(self.refused, 2)
        layout.addWidget(buttons)
        self.resize(860, 620)

    # --- the file ------------------------------------------------------------------------
    def choose_file(self) -> bool:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Import clients"), "", _("Spreadsheets") + " (*.csv *.txt *.xlsx)"
        )
        return bool(name) and self.load(Path(name))

    def load(self, path: Path) -> bool:
        """Read `path`; False (with a message) when it cannot be imported at all. A CSV file
        that is not UTF-8 opens with the problem shown, to choose its encoding."""
        self.sheet, self.path = None, path
        try:
            sheet = spreadsheet.read(path, self.encoding.currentData())
            client_import.check_size(sheet, path.name)
        except spreadsheet.UndecodableText as exc:
            self.about.setText(str(exc) + " " + _(
                "Save the file as UTF-8 (in Excel: “CSV UTF-8”), or choose its encoding under "
                "“Text encoding”."))  # fmt: skip
            self.columns.setRowCount(0)
            self._enable(ready=False)
            return True
        except ServiceError as exc:
            QMessageBox.warning(self.parentWidget() or self, _("Import clients"), str(exc))
            return False
        self.sheet = sheet
        self.encoding.setEnabled(sheet.encoding != "xlsx")
        self._enable(ready=True)
        kind = _("Excel workbook") if sheet.encoding == "xlsx" else _(
            "text file ({encoding}, columns separated by “{delimiter}”)").format(
                encoding=ENCODING_NAMES.get(sheet.encoding, sheet.encoding),
                delimiter=_delimiter_name(sheet.delimiter))  # fmt: skip
        self.about.setText(
            ngettext("{file}: {n} row, {kind}.", "{file}: {n} rows, {kind}.", len(sheet.rows))
            .format(file=path.name, n=format_number(len(sheet.rows)), kind=kind)
            + " " + _("Check which field each column goes to; columns set to “Not imported” "
                      "are left out.")
            + "".join(" " + note for note in sheet.notes)
        )  # fmt: skip
        self._fill_columns(client_import.guess_mapping(sheet.headers))
        return True

    def _reload(self) -> None:
        if self.path is not None and not self._running:
            self.load(self.path)

    def _enable(self, *, ready: bool) -> None:
        for button in (self.check_button, self.import_button):
            button.setEnabled(ready and not self._running)

    def _fill_columns(self, guessed: dict[int, str]) -> None:
        assert self.sheet is not None
        self.columns.setRowCount(len(self.sheet.headers))
        for index, header in enumerate(self.sheet.headers):
            examples = [cells[index] for _line, cells in self.sheet.rows
                        if index < len(cells) and cells[index].strip()][:EXAMPLES]  # fmt: skip
            self.columns.setItem(index, 0, QTableWidgetItem(header))
            self.columns.setItem(index, 1, QTableWidgetItem(" · ".join(examples)))
            choice = QComboBox()
            choice.setAccessibleName(_("Field for the column “{column}”").format(column=header))
            choice.addItem(_("Not imported"), None)
            for name in client_import.IMPORTABLE:
                choice.addItem(field_label(name), name)
            choice.setCurrentIndex(max(choice.findData(guessed.get(index)), 0))
            self.columns.setCellWidget(index, 2, choice)
        self.columns.resizeColumnToContents(0)
        self.columns.setColumnWidth(2, 220)

    def choice(self, index: int) -> QComboBox:
        widget = self.columns.cellWidget(index, 2)
        assert isinstance(widget, QComboBox)
        return widget

    def mapping(self) -> dict[int, str]:
        return {
            index: self.choice(index).currentData()
            for index in range(self.columns.rowCount())
            if self.choice(index).currentData() is not None
        }

    def _mapping_problem(self, mapping: dict[int, str]) -> str | None:
        chosen = list(mapping.values())
        twice = sorted({field_label(n) for n in chosen if chosen.count(n) > 1})
        if twice:
            return _("Two columns go to {fields}; choose one column for each field.").format(
                fields=", ".join(twice))  # fmt: skip
        missing = [field_label(n) for n in REQUIRED if n not in chosen]
        if missing:
            return _("Choose the column that holds {fields}.").format(fields=" / ".join(missing))
        return None

    # --- importing -----------------------------------------------------------------------
    def run(self, dry_run: bool) -> client_import.ImportReport | None:
        if self.sheet is None:
            return None
        mapping = self.mapping()
        problem = self._mapping_problem(mapping)
        if problem is not None:
            self.result_label.setText(problem)
            return None
        self.progress.setRange(0, max(len(self.sheet.rows), 1))
        self.progress.setValue(0)
        self.progress.show()
        self._running, self._cancelling = True, False
        self._enable(ready=False)
        self.encoding.setEnabled(False)
        self.cancel_button.setVisible(not dry_run)
        try:  # the import commits its batches in this session; cancelling removes them
            with self._sessions() as session:
                report = client_import.import_sheet(
                    session, self.sheet, mapping, actor=self._actor,
                    referent_id=self.referent.currentData(), today=local_today(), dry_run=dry_run,
                    progress=self._progressed,
                )  # fmt: skip
        except _Cancelled:
            self.result_label.setText(_("Import cancelled; the clients it had added were removed."))
            return None
        except (OperationalError, OSError, ServiceError) as exc:
            message = str(exc) if isinstance(exc, ServiceError) else storage_problem(exc)
            if message is None:
                raise
            self.result_label.setText(message)
            return None
        finally:
            self._running = False
            self.progress.hide()
            self.cancel_button.hide()
            self._enable(ready=True)
            self.encoding.setEnabled(self.sheet.encoding != "xlsx")
        self.report = report
        if not dry_run:
            self.imported += len(report.imported)
        self._show(report, dry_run)
        return report

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setValue(done)
        # each batch is committed: the dialog stays usable, and Cancel undoes the batches
        QApplication.processEvents()
        if self._cancelling:
            raise _Cancelled

    def reject(self) -> None:
        """Close, or while an import runs: cancel it (Esc, Close and the window's ×)."""
        if self._running:
            self._cancelling = True
            return
        super().reject()

    def _show(self, report: client_import.ImportReport, dry_run: bool) -> None:
        count, refused = len(report.imported), len(report.rejected_lines)
        total = format_number(report.rows)
        done = (
            ngettext("Check: {n} of {total} rows can be imported; nothing was changed.",
                     "Check: {n} of {total} rows can be imported; nothing was changed.", count)
            if dry_run
            else ngettext("{n} of {total} rows imported.", "{n} of {total} rows imported.", count)
        ).format(n=format_number(count), total=total)  # fmt: skip
        if refused:
            done += " " + ngettext(
                "{n} row refused; the reasons are below.", "{n} rows refused; the reasons are below.",
                refused).format(n=format_number(refused))  # fmt: skip
        if report.warnings:
            done += " " + ngettext(
                "{n} imported cell looks like a formula; see below.",
                "{n} imported cells look like a formula; see below.",
                len(report.warnings)).format(n=format_number(len(report.warnings)))  # fmt: skip
        self.result_label.setText(" ".join([done, *report.notes]))
        listed = report.rejected + report.warnings
        self.refused.setRowCount(len(listed))
        for row, item in enumerate(listed):
            line = QTableWidgetItem(str(item.line))
            line.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for column, cell in enumerate((line, QTableWidgetItem(item.column), QTableWidgetItem(item.reason))):  # fmt: skip
                self.refused.setItem(row, column, cell)
        self.refused.setVisible(bool(listed))
        self.refused.resizeColumnToContents(0)
        self.refused.resizeColumnToContents(1)
        self.save_button.setEnabled(bool(report.rejected))
        if not dry_run:
            self.import_button.setEnabled(False)  # again would only find every row a duplicate

    def save_refused(self) -> None:
        if self.sheet is None or self.report is None or self.path is None:
            return
        suggested = self.path.with_name(self.path.stem + "-" + _("refused") + ".csv")
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save refused rows"), str(suggested), _("CSV files") + " (*.csv)"
        )
        if not name:
            return
        try:
            write_whole(Path(name), client_import.rejected_csv(self.sheet, self.report),
                        _("The refused rows could not be written to {file}: {reason}."))  # fmt: skip
        except ServiceError as exc:
            QMessageBox.warning(self, _("Save refused rows"), str(exc))
            return
        saved = _("Refused rows saved to {file}.").format(file=name)
        self.result_label.setText(self.result_label.text() + " " + saved)


def _delimiter_name(delimiter: str) -> str:
    return {"\t": _("tab"), ";": ";", ",": ","}.get(delimiter, delimiter)
