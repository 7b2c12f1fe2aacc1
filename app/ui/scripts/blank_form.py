"""Printing a guided conversation on paper (source 004: the client can fill it in, e.g. during
an information session): which script, in which language, saved as a PDF under a name in the
interface language. From a client's file the client's language is chosen and the dossier goes
into the file name. The form itself is `paper_form` (a fraction of a second: no thread)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.i18n import DOCUMENT_LANGUAGES, _, current_language, current_locale, document_language
from app.services.scripts.loader import Catalogue, default_catalogue
from app.services.scripts.paper_form import default_file_name, write_blank
from app.ui.fields import error_label


class BlankFormDialog(QDialog):
    """`saved` is the file written once accepted."""

    def __init__(
        self, parent: QWidget | None = None, *, catalogue: Catalogue | None = None,
        script_id: str | None = None, language: str | None = None, dossier: str | None = None,
        client_name: str | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("blank_form_dialog")
        self.catalogue = catalogue or default_catalogue()
        self.dossier = dossier
        self.saved: Path | None = None
        self.setWindowTitle(_("Print a blank questionnaire"))
        self.script = QComboBox()
        self.script.setObjectName("blank_script")
        for item in sorted(self.catalogue.scripts.values(), key=lambda s: _(s.title)):
            self.script.addItem(_(item.title), item.id)
        self.script.setCurrentIndex(max(0, self.script.findData(script_id)))
        self.language = QComboBox()
        self.language.setObjectName("blank_language")
        names = current_locale().languages
        for code in DOCUMENT_LANGUAGES:
            self.language.addItem(names.get(code, code), code)
        chosen = document_language(language, current_language())
        self.language.setCurrentIndex(max(0, self.language.findData(chosen)))
        form = QFormLayout()
        if client_name:
            form.addRow(_("For:"), QLabel(f"{client_name} ({dossier})" if dossier else client_name))
        for text, widget in (
            (_("&Script:"), self.script),
            (_("&Language of the form:"), self.language),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.error = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.addButton(
            _("&Save as PDF…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setObjectName("blank_save")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.save_button.setDefault(True)  # once in the dialog: Enter saves from any field
        self.script.setFocus()

    def file_name(self) -> str:
        script = self.catalogue.get(self.script.currentData())
        return default_file_name(script, self.language.currentData(), self.dossier)

    def save(self) -> None:
        """Ask where (the meaningful name proposed), then write the form there."""
        path, _filter = QFileDialog.getSaveFileName(
            self, self.windowTitle(), self.file_name(), _("PDF files (*.pdf)")
        )
        if not path:
            return
        target = Path(path).with_suffix(".pdf")
        try:
            write_blank(
                self.catalogue.get(self.script.currentData()), self.language.currentData(), target
            )
        except OSError as exc:  # a full disk, a folder without rights: say so, keep the choice
            self.error.setText(_("Cannot write {file} ({reason}); choose another place.").format(
                file=target, reason=exc.strerror or exc))  # fmt: skip
            self.error.show()
            return
        self.saved = target
        self.accept()
