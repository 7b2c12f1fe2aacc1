"""Finding a client by typing part of a name, a dossier number or a phone number: the first
matches drop down under the field (the agenda and the permanence desk use it)."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from app.db import SessionFactory
from app.i18n import _
from app.services.contact import permanence

SEARCH_DELAY_MS = 150


class ClientPicker(QComboBox):
    """`picked` gives the client's id (None when the text no longer names one)."""

    picked = Signal(object)

    def __init__(self, sessions: SessionFactory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sessions = sessions
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumContentsLength(28)
        editor = self.lineEdit()
        assert editor is not None  # an editable combo box always has its line edit
        editor.setPlaceholderText(_("Name, dossier number or phone"))
        self.setAccessibleName(_("Client"))
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._search)
        editor.textEdited.connect(lambda _text: self._timer.start())
        self.activated.connect(lambda index: self.picked.emit(self.itemData(index)))

    def client_id(self) -> int | None:
        index = self.currentIndex()
        if index < 0 or self.itemText(index) != self.currentText():
            return None
        data = self.itemData(index)
        return int(data) if data is not None else None

    def set_client(self, client_id: int, text: str) -> None:
        self.clear()
        self.addItem(text, client_id)
        self.setCurrentIndex(0)

    def search_now(self) -> None:
        self._timer.stop()
        self._search()

    def _search(self) -> None:
        text = self.currentText()
        with self._sessions() as session:
            rows = [(row.id, f"{row.given_name} {row.family_name} — {row.dossier}")
                    for row in permanence.find_clients(session, text)]  # fmt: skip
        self.blockSignals(True)
        self.clear()
        for client_id, label in rows:
            self.addItem(label, client_id)
        self.setCurrentIndex(-1)
        self.setEditText(text)
        self.blockSignals(False)
        if rows:
            self.showPopup()
        self.picked.emit(None)
