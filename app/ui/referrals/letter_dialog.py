"""The letter of a referral, previewed inside Traject: the partner's letter or the client's copy,
its language, larger type, and each required field that is empty — marked on the page and
listed with a "leave out" box. Saving as PDF and printing (the system's print dialog) are
possible once every such field is filled in the file or left out. A warning lists each offer
text that will print in another language than the letter's, or is left out because the
client reads none of the offer's languages. The file name offered is the dossier's
(`documents.file_names`), never the client's name."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import DOCUMENT_LANGUAGES, _, current_locale
from app.services.caseload import clients
from app.services.documents.file_names import file_name
from app.services.errors import ServiceError
from app.services.privacy.access import Actor
from app.services.referrals import letters
from app.services.referrals.letters.templates import fields_used

PREVIEW_DPI = 72


def page_images(data: bytes, dpi: float = PREVIEW_DPI) -> list[QImage]:
    """The PDF's pages as images (pypdfium2), for the preview and for printing."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        out = []
        for page in document:
            bitmap = page.render(scale=dpi / 72)
            image = bitmap.to_pil().convert("RGB")
            raw = image.tobytes("raw", "RGB")
            out.append(
                QImage(
                    raw, image.width, image.height, 3 * image.width, QImage.Format.Format_RGB888
                ).copy()
            )
        return out
    finally:
        document.close()


class LetterDialog(QDialog):
    def __init__(self, sessions: SessionFactory, actor: Actor, referral_id: int, copy: str = "partner",
                 parent: QWidget | None = None, left_out: Collection[str] = ()) -> None:  # fmt: skip
        """`left_out`: fields the file says are absent (a client registered without e-mail),
        ticked "leave out" in every copy and language without asking again."""
        super().__init__(parent)
        self._sessions, self.actor, self.referral_id = sessions, actor, referral_id
        self._known_absent = frozenset(left_out)
        self.setWindowTitle(_("Referral letter"))
        self.copy = QComboBox()
        self.copy.addItem(_("Letter for the partner"), "partner")
        self.copy.addItem(_("Copy for the client"), "client")
        self.copy.setCurrentIndex(self.copy.findData(copy))
        self.language = QComboBox()
        self.large = QCheckBox(_("Larger type"))
        self.left_out: dict[str, QCheckBox] = {}
        self.missing_box = QGroupBox(_("Missing in the file"))
        self.missing_layout = QVBoxLayout(self.missing_box)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.foreign = QLabel()
        self.foreign.setObjectName("foreign_warning")
        self.foreign.setWordWrap(True)
        self.foreign.setStyleSheet("background: #FFF1A8; color: #5c3b00; padding: 6px;")
        self.foreign.hide()
        self.dossier = ""
        self.pages = QVBoxLayout()
        holder = QWidget()
        holder.setLayout(self.pages)
        scroll = QScrollArea()
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        scroll.setObjectName("letter_preview")
        self.save = QPushButton(_("&Save as PDF…"))
        self.save.setDefault(True)  # Enter saves the letter shown
        self.print = QPushButton(_("&Print…"))
        close = QPushButton(_("Close"))
        self.save.clicked.connect(self._save)
        self.print.clicked.connect(self._print)
        close.clicked.connect(self.reject)
        side = QVBoxLayout()
        for label, widget in ((_("&Letter:"), self.copy), (_("La&nguage:"), self.language)):
            title = QLabel(label)
            title.setBuddy(widget)  # Alt+letter chooses the copy or the language
            side.addWidget(title)
            side.addWidget(widget)
        side.addWidget(self.large)
        side.addWidget(self.missing_box)
        side.addWidget(self.foreign)
        side.addWidget(self.status)
        side.addStretch(1)
        side.addWidget(self.save)
        side.addWidget(self.print)
        side.addWidget(close)
        layout = QHBoxLayout(self)
        layout.addLayout(side)
        layout.addWidget(scroll, 1)
        self.copy.currentIndexChanged.connect(self._copy_changed)
        self.language.currentIndexChanged.connect(self._prepare)
        self.large.toggled.connect(self._render)
        self.draft: letters.Draft | None = None
        self._copy_changed()
        self.resize(1000, 760)

    def _copy_changed(self) -> None:
        copy = self.copy.currentData()
        self.large.setEnabled(copy == "client")
        self.language.blockSignals(True)
        self.language.clear()
        from babel import Locale

        for code in letters.languages(copy):
            self.language.addItem(
                Locale.parse(DOCUMENT_LANGUAGES[code]).get_display_name(code) or code, code
            )
        self.language.setCurrentIndex(-1)
        self.language.blockSignals(False)
        self._prepare(default=True)

    def _prepare(self, *_args: object, default: bool = False) -> None:
        language = None if default else self.language.currentData()
        try:
            with self._sessions() as session:  # the draft is plain data: no session kept
                self.draft = letters.prepare(
                    session, self.actor, self.referral_id, self.copy.currentData(), language
                )
                self.dossier = clients.dossiers(session, {self.draft.client_id}).get(
                    self.draft.client_id, ""
                )
        except ServiceError as exc:
            self.draft = None
            self.status.setText(str(exc))
            self.foreign.hide()
            self._show_pages([])
            self._enable(False)
            return
        self.language.blockSignals(True)
        self.language.setCurrentIndex(self.language.findData(self.draft.language))
        self.language.blockSignals(False)
        self._fill_missing()
        self._show_foreign()
        self._render()

    def foreign_blocks(self) -> list[str]:
        """One line per block not in the letter's language: what prints instead, or that it
        is left out, with the languages the offer has it in."""
        assert self.draft is not None
        names = current_locale().languages
        used = set(fields_used(self.draft.template))
        lines = []
        for note in self.draft.content.foreign:
            if note.field not in used:
                continue
            # in the counsellor's language (the same words the offer form uses)
            label = _(self.draft.template.labels.get(note.field, note.field))
            if note.shown_in is not None:
                lines.append(_("{block}: printed in {language}, a language the client reads.")
                             .format(block=label, language=names.get(note.shown_in, note.shown_in)))  # fmt: skip
            else:
                lines.append(_("{block}: left out; the offer has it only in {languages}. Tell the client, or add the text to the offer.")
                             .format(block=label, languages=", ".join(names.get(c, c) for c in note.available)))  # fmt: skip
        return lines

    def _show_foreign(self) -> None:
        assert self.draft is not None
        lines = self.foreign_blocks()
        language = current_locale().languages.get(self.draft.language, self.draft.language)
        heading = _("Not in {language}:").format(language=language)
        self.foreign.setText("\n".join([heading, *("• " + line for line in lines)]))
        self.foreign.setAccessibleName(heading)
        self.foreign.setVisible(bool(lines))

    def default_file_name(self) -> str:
        """The name the save dialog proposes: the dossier and the copy, in the UI language."""
        copy = self.copy.currentData()
        return file_name(
            "letter_client" if copy == "client" else "letter_partner", dossier=self.dossier
        )

    def _fill_missing(self) -> None:
        assert self.draft is not None
        while self.missing_layout.count():
            item = self.missing_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.left_out = {}
        for field in self.draft.missing():
            box = QCheckBox(_("Leave out: {field}").format(field=self.draft.label(field)))
            box.setObjectName(f"leave_out_{field}")
            box.setChecked(field in self._known_absent)
            box.toggled.connect(self._render)
            self.left_out[field] = box
            self.missing_layout.addWidget(box)
        self.missing_box.setVisible(bool(self.left_out))

    def chosen_left_out(self) -> set[str]:
        return {field for field, box in self.left_out.items() if box.isChecked()}

    def _render(self) -> None:
        if self.draft is None:
            return
        data = self.draft.preview(self.chosen_left_out(), self.large.isChecked())
        self._show_pages(page_images(data))
        missing = self.draft.missing(self.chosen_left_out())
        if missing:
            self.status.setText(_("Fill in or leave out before the letter is final: {fields}.")
                                .format(fields=", ".join(self.draft.label(f) for f in missing)))  # fmt: skip
        else:
            self.status.setText(_("The letter is ready."))
        self._enable(not missing)

    def _enable(self, ready: bool) -> None:
        self.save.setEnabled(ready)
        self.print.setEnabled(ready)

    def _show_pages(self, images: list[QImage]) -> None:
        while self.pages.count():
            item = self.pages.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for n, image in enumerate(images, start=1):
            page = QLabel()
            page.setPixmap(QPixmap.fromImage(image))
            page.setAccessibleName(_("Page {n}").format(n=n))
            page.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.pages.addWidget(page)

    def final_pdf(self) -> bytes | None:
        """The final letter (audited), or None with the reason shown."""
        if self.draft is None:
            return None
        try:
            with self._sessions() as session:  # a refusal leaves nothing written
                data = letters.finalise(
                    session, self.actor, self.draft, self.chosen_left_out(), self.large.isChecked()
                )
                session.commit()
        except ServiceError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return None
        return data

    def _save(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the letter"), self.default_file_name(), _("PDF files (*.pdf)")
        )
        if not path:
            return
        data = self.final_pdf()
        if data is None:
            return
        try:
            letters.write_file(Path(path), data)
        except ServiceError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))

    def _print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        data = self.final_pdf()
        if data is not None:
            print_pages(printer, data)


def print_pages(printer: QPrinter, data: bytes) -> None:
    """Each page rendered at the printer's resolution (capped at 300 dpi) and painted to fit."""
    images = page_images(data, dpi=min(300, printer.resolution()))
    painter = QPainter(printer)
    try:
        for n, image in enumerate(images):
            if n:
                printer.newPage()
            target = painter.viewport()
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(target.x(), target.y(), image.scaled(scaled))
    finally:
        painter.end()
