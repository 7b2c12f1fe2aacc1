""" "Working as" in the caseload window's toolbar: who works, chosen among the active
counsellors (remembered per computer), or fixed to whoever signed in to an encrypted caseload;
and File → New counsellor…, which adds to that list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QLabel

from app.i18n import _
from app.services.caseload import counsellors

if TYPE_CHECKING:
    from app.services.privacy.signing_in import SignInTarget as Vault
    from app.ui.window.host import WindowHost


class WorkingAs(QObject):
    """`chosen` is emitted when the counsellor picks someone else to work as, `added` when
    a counsellor was added to the list (the same one still works)."""

    chosen = Signal()
    added = Signal()

    def __init__(self, host: WindowHost, vault: Vault | None) -> None:
        super().__init__(host.window())
        self._host, self._vault = host, vault
        self.combo = QComboBox()
        self.combo.setObjectName("acting_counsellor")
        self.label = QLabel()
        self.label.setBuddy(self.combo)
        self.combo.activated.connect(self._picked)
        self.new_counsellor_action = QAction(host.window())
        self.new_counsellor_action.triggered.connect(self.new_counsellor)

    def retranslate(self) -> None:
        self.label.setText(_("&Working as:"))
        self.combo.setAccessibleName(_("Working as"))
        self.new_counsellor_action.setText(_("New &counsellor…"))

    def counsellor_id(self) -> int | None:
        data = self.combo.currentData()
        return int(data) if data is not None else None

    def fill(self) -> None:
        """The active counsellors, with the one remembered (or signed in) chosen."""
        self.combo.clear()
        with self._host.sessions() as session:
            choices = counsellors.counsellor_choices(session)
        for counsellor_id, full_name in choices:
            self.combo.addItem(full_name, counsellor_id)
        remembered = self._host.settings.integer("acting_counsellor_id")
        if self._vault is not None:  # whoever signed in works as themselves
            remembered = self._vault.counsellor_id
            self.combo.setEnabled(False)
        index = self.combo.findData(remembered) if remembered is not None else -1
        self.combo.setCurrentIndex(index if index >= 0 else 0)

    def _picked(self, _index: int) -> None:
        self._host.settings.set("acting_counsellor_id", self.counsellor_id())
        self.chosen.emit()

    def new_counsellor(self) -> None:
        from app.ui.caseload.dialogs import CounsellorDialog

        dialog = CounsellorDialog(self._host.sessions, parent=self._host.window())
        if dialog.exec():
            self.fill()
            self.added.emit()
