"""The offer catalogue: every partner offer by region and type, with a banner while it is still
the shipped sample. Administrators add, change and remove offers and import or export the
catalogue file; counsellors look things up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _, ngettext
from app.language_names import display_name
from app.models.enums import CounsellorRole
from app.models.practical import REGIONS, OfferType, region_label
from app.services.privacy.access import Actor
from app.services.referrals import offer_catalogue, offers
from app.services.referrals.offer_fields import COLUMNS, TEXT_LANGUAGES, field_label, offer_texts
from app.ui.fields import error_label
from app.ui.form_dialog import commit_or_report, joined
from app.ui.labels import colon
from app.ui.language_picker import LanguagesEdit

LONG = ("what_to_bring", "notes")


class TextsByLanguage(QTabWidget):
    """A text an offer gives the client, one tab per language (Dutch, French and English, and
    any other the offer has): the letter prints the one in the client's language."""

    def __init__(self, texts: dict[str, str]) -> None:
        super().__init__()
        self.edits: dict[str, QPlainTextEdit] = {}
        for code in [*TEXT_LANGUAGES, *(c for c in texts if c not in TEXT_LANGUAGES)]:
            edit = QPlainTextEdit(texts.get(code, ""))
            edit.setTabChangesFocus(True)
            edit.setObjectName(f"text_{code}")
            self.edits[code] = edit
            self.addTab(edit, display_name(code))
        self.setMaximumHeight(110)

    def texts(self) -> dict[str, str]:
        return {code: text for code, edit in self.edits.items()
                if (text := edit.toPlainText().strip())}  # fmt: skip


class OfferForm(QDialog):
    """One offer's fields (a new offer when `offer_id` is None); errors appear under the field
    they concern. The form keeps the values it showed and the version it read, not the offer."""

    def __init__(
        self, sessions: SessionFactory, actor: Actor, offer_id: int | None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._sessions, self.actor, self.offer_id = sessions, actor, offer_id
        shown: dict[str, Any] = {}
        self.version: int | None = None
        title = _("Offer")
        if offer_id is not None:
            with sessions() as session:
                offer = offers.get(session, offer_id)
                shown = {key: getattr(offer, key) for key in COLUMNS}
                shown |= {key: offer_texts(offer, key) for key in LONG}
                self.version, title = offer.version, offer.name
        self.setWindowTitle(title)
        self.inputs: dict[str, QLineEdit | QComboBox | TextsByLanguage] = {}
        self.errors = {key: error_label() for key in COLUMNS}
        form = QFormLayout()
        for key in COLUMNS:
            value = shown.get(key)
            widget: QLineEdit | QComboBox | TextsByLanguage
            if key in ("offer_type", "region"):
                widget = QComboBox()
                for member in OfferType if key == "offer_type" else REGIONS:
                    widget.addItem(member.label, member.value)
                widget.setCurrentIndex(max(0, widget.findData(value)))
            elif key == "languages":  # by name, completed as typed; saved as codes
                widget = LanguagesEdit()
                widget.set_codes(list(value or []))
            elif key in LONG:  # one text per language: a letter prints the client's
                widget = TextsByLanguage(value or {})
            else:
                text = ", ".join(value) if isinstance(value, list) else (value or "")
                widget = QLineEdit(text)
            widget.setObjectName(f"offer_{key}")
            self.inputs[key] = widget
            form.addRow(colon(field_label(key)), widget)
            form.addRow("", self.errors[key])
        self.general = error_label(hidden=False)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addWidget(buttons)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, widget in self.inputs.items():
            if isinstance(widget, LanguagesEdit):
                out[key] = ", ".join(widget.value())
            elif isinstance(widget, QComboBox):
                out[key] = widget.currentData()
            elif isinstance(widget, TextsByLanguage):
                out[key] = widget.texts()
            else:
                out[key] = widget.text()
        return out

    def _save(self) -> None:
        values = self.values()
        with self._sessions() as session:
            saved = commit_or_report(session, lambda: offers.save(session, self.actor, self.offer_id, values,
                                                                  version=self.version), self._report)  # fmt: skip
        if saved is not None:
            self.accept()

    def _report(self, errors: dict[str, str]) -> None:
        for label in self.errors.values():
            label.hide()
        rest = []
        for key, message in errors.items():
            if key in self.errors:
                self.errors[key].setText(message)
                self.errors[key].show()
            else:
                rest.append(message)
        self.general.setText(" ".join(rest))


class OfferCatalogueDialog(QDialog):
    def __init__(
        self, sessions: SessionFactory, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._sessions, self.actor = sessions, actor
        self.admin = actor.role == CounsellorRole.ADMIN
        self.setWindowTitle(_("Offer catalogue"))
        self.banner = QLabel(
            _(
                "This is the sample catalogue shipped with Traject: invented addresses and numbers. An administrator replaces it with your partners (Import…)."
            )
        )
        self.banner.setWordWrap(True)
        self.banner.setObjectName("sample_banner")
        self.banner.setStyleSheet("background: #FFF1A8; padding: 6px;")
        self.region, self.kind = QComboBox(), QComboBox()
        self.region.addItem(_("All regions"), None)
        for region in REGIONS:
            self.region.addItem(region.label, region.value)
        self.kind.addItem(_("All types"), None)
        for kind in OfferType:
            self.kind.addItem(kind.label, kind.value)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("offer_table")
        self.table.setHorizontalHeaderLabels(
            [_("Id"), _("Type"), _("Region"), _("Offer"), _("Provider")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        filters = QHBoxLayout()
        filters.addWidget(self.region)
        filters.addWidget(self.kind)
        filters.addStretch(1)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (("add", _("&Add…"), self._add), ("edit", _("&Change…"), self._edit),
                                ("remove", _("&Remove"), self._remove), ("import", _("&Import…"), self._import),
                                ("export", _("&Export…"), self._export)):  # fmt: skip
            button = QPushButton(text)
            button.clicked.connect(slot)
            button.setEnabled(self.admin or key == "export")
            self.buttons[key] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.region.currentIndexChanged.connect(self.refresh)
        self.kind.currentIndexChanged.connect(self.refresh)
        self.table.doubleClicked.connect(lambda _index: self._edit())
        self.refresh()
        self.resize(980, 600)

    def refresh(self) -> None:
        with self._sessions() as session:
            found = offers.search(
                session, region=self.region.currentData(), offer_type=self.kind.currentData()
            )
            rows = [(offer.id, offer.name, offer.is_sample, offer.offer_type, offer.region,
                     offer.provider) for offer in found]  # fmt: skip
            samples = offer_catalogue.holds_samples(session)
        self.offer_ids = [row[0] for row in rows]
        self.offer_names = [row[1] for row in rows]
        self.table.setRowCount(len(rows))
        for row, (offer_id, name, is_sample, offer_type, region, provider) in enumerate(rows):
            shown = name + ("  · " + _("sample") if is_sample else "")
            for column, text in enumerate((str(offer_id), OfferType(offer_type).label,
                                           region_label(region), shown, provider)):  # fmt: skip
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.banner.setVisible(samples)

    def _current(self) -> int | None:
        """The id of the chosen offer."""
        row = self.table.currentRow()
        return self.offer_ids[row] if 0 <= row < len(self.offer_ids) else None

    def _add(self) -> None:
        if OfferForm(self._sessions, self.actor, None, self).exec():
            self.refresh()

    def _edit(self) -> None:
        offer_id = self._current()
        if (
            offer_id is not None
            and self.admin
            and OfferForm(self._sessions, self.actor, offer_id, self).exec()
        ):
            self.refresh()

    def _remove(self) -> None:
        offer_id = self._current()
        if offer_id is None:
            return
        name = self.offer_names[self.offer_ids.index(offer_id)]
        if QMessageBox.question(self, _("Remove offer"), _("Remove “{name}” from the catalogue?").format(name=name)) \
                != QMessageBox.StandardButton.Yes:  # fmt: skip
            return
        with self._sessions() as session:

            def remove() -> bool:
                offers.delete(session, self.actor, offer_id)
                return True

            removed = commit_or_report(
                session, remove, lambda errors: self.message.setText(joined(errors))
            )
        if removed:
            self.refresh()

    def _import(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Import offers"), "", _("Catalogues (*.yaml *.yml *.json)")
        )
        if not path or not self.isVisible():  # or a lock closed the catalogue meanwhile
            return
        with self._sessions() as session:
            summary = commit_or_report(session, lambda: offer_catalogue.import_file(session, self.actor, Path(path)),
                                       lambda errors: self.message.setText(joined(errors)))  # fmt: skip
        if summary is not None:
            self.message.setText(_("Imported: {added} new, {updated} changed, {unchanged} unchanged.").format(
                added=summary.added, updated=summary.updated, unchanged=summary.unchanged))  # fmt: skip
            self.refresh()

    def _export(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export offers"), "offers.yaml", _("Catalogues (*.yaml *.json)")
        )
        if path and self.isVisible():  # not closed by a lock meanwhile
            with self._sessions() as session:
                count = commit_or_report(session, lambda: offer_catalogue.export_file(session, Path(path)),
                                         lambda errors: self.message.setText(joined(errors)))  # fmt: skip
            if count is not None:
                self.message.setText(
                    ngettext(
                        "Wrote {n} offer to {file}.", "Wrote {n} offers to {file}.", count
                    ).format(n=count, file=path)
                )
