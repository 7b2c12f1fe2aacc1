"""The comparison shown when a colleague saved the same field of a client file first.

One row per field both people changed: the value when I read it, my colleague's (saved now),
mine (not saved), and the merged value to keep, which starts as mine and can be edited or set
to theirs with one key. Saving writes the merged values against the colleague's version;
"Keep theirs" writes nothing. Nothing typed is lost until the person decides.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, format_date
from app.services.errors import FieldConflict
from app.services.validation import display_phone, field_label

PHONE_FIELDS = {"phone", "phone_alt"}
MERGED_CHARS = 24  # the value to keep is read whole: a phone number, a municipality


def shown(field: str, value: Any) -> str:
    """A stored value as the file shows it."""
    if value in (None, "", []):
        return "—"
    if field in PHONE_FIELDS:  # isolated left to right: in Arabic its groups keep their order
        return "\u202a" + display_phone(value) + "\u202c"
    if isinstance(value, dt.date):
        return format_date(value, "short")
    if isinstance(value, enum.Enum):
        return str(getattr(value, "label", value.value))
    if isinstance(value, list):
        return ", ".join(shown(field, item) for item in value)
    return str(value)


class EditConflictDialog(QDialog):
    """Theirs, mine, merged — for the fields both people changed."""

    def __init__(self, message: str, fields: list[FieldConflict],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(_("A colleague changed this file"))
        self.conflicts = fields
        self.merged: dict[str, QLineEdit] = {}
        self._editable: dict[str, bool] = {}
        intro = QLabel(message)
        intro.setWordWrap(True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        for column, title in enumerate((_("Field"), _("When you opened it"), _("Theirs (saved)"),
                                        _("Yours"), _("Keep"))):  # fmt: skip
            header = QLabel(f"<b>{title}</b>")
            grid.addWidget(header, 0, column)
        for row, conflict in enumerate(fields, start=1):
            name = field_label(conflict.field)
            grid.addWidget(QLabel(name), row, 0)
            for column, value in enumerate((conflict.base, conflict.theirs, conflict.mine), 1):
                label = QLabel(shown(conflict.field, value))
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                grid.addWidget(label, row, column)
            # text can be merged by hand; a choice (a date, a list) is theirs or mine
            editable = isinstance(conflict.mine, str) and conflict.field not in PHONE_FIELDS
            merged = QLineEdit(self._text_of(conflict, conflict.mine))
            merged.setObjectName(f"merged_{conflict.field}")
            merged.setAccessibleName(_("Keep: {field}").format(field=name))
            merged.setReadOnly(not editable)
            merged.setMinimumWidth(merged.fontMetrics().horizontalAdvance("0") * MERGED_CHARS)
            self.merged[conflict.field] = merged
            self._editable[conflict.field] = editable
            theirs = QPushButton(_("Theirs"))
            theirs.setObjectName(f"theirs_{conflict.field}")
            theirs.clicked.connect(lambda _c=False, c=conflict: self.take(c, theirs=True))
            mine = QPushButton(_("Mine"))
            mine.setObjectName(f"mine_{conflict.field}")
            mine.clicked.connect(lambda _c=False, c=conflict: self.take(c, theirs=False))
            grid.addWidget(merged, row, 4)
            grid.addWidget(theirs, row, 5)
            grid.addWidget(mine, row, 6)
        self.buttons = QDialogButtonBox()
        self.save = self.buttons.addButton(_("Save what I keep"),
                                           QDialogButtonBox.ButtonRole.AcceptRole)  # fmt: skip
        self.keep_theirs = self.buttons.addButton(_("Keep theirs"),
                                                  QDialogButtonBox.ButtonRole.RejectRole)  # fmt: skip
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.buttons)
        self._chosen: dict[str, Any] = {c.field: c.mine for c in fields}

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.conflicts:  # the value to keep, ready to be edited or confirmed with Enter
            self.merged[self.conflicts[0].field].setFocus()

    @staticmethod
    def _text_of(conflict: FieldConflict, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, str) and conflict.field not in PHONE_FIELDS:
            return value
        return shown(conflict.field, value)

    def take(self, conflict: FieldConflict, *, theirs: bool) -> None:
        value = conflict.theirs if theirs else conflict.mine
        self._chosen[conflict.field] = value
        self.merged[conflict.field].setText(self._text_of(conflict, value))

    def values(self) -> dict[str, Any]:
        """What to save, field by field (a text field as edited in its merged box)."""
        chosen = dict(self._chosen)
        for field, editor in self.merged.items():
            if self._editable[field]:
                chosen[field] = editor.text()
        return chosen
