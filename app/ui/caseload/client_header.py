"""The top of the client file, above its sections and never scrolled away: the name, an
"Interpreter needed" badge, the dossier, and why a file stays closed with the way to open it
with a reason."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.i18n import _

BADGE_STYLE = (
    "QLabel { background: #fff1c2; color: #6b4100; border: 1px solid #d9a520;"
    " border-radius: 4px; padding: 1px 8px; font-weight: bold; }"
)


class ClientHeader(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("client_title")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.interpreter = QLabel()
        self.interpreter.setObjectName("interpreter_badge")
        self.interpreter.setStyleSheet(BADGE_STYLE)
        self.interpreter.hide()
        self.subtitle = QLabel()
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("color: #8a4b00;")
        self.banner.hide()
        self.open_anyway = QPushButton()
        self.open_anyway.setObjectName("open_with_reason")
        self.open_anyway.hide()
        dossier_row = QHBoxLayout()  # right under the name, whatever its length or direction
        dossier_row.setContentsMargins(0, 0, 0, 0)
        dossier_row.addWidget(self.subtitle)
        dossier_row.addSpacing(12)
        dossier_row.addWidget(self.interpreter, 0, Qt.AlignmentFlag.AlignVCenter)
        dossier_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 2)
        layout.addWidget(self.title)
        layout.addLayout(dossier_row)
        layout.addWidget(self.banner)
        layout.addWidget(self.open_anyway, alignment=Qt.AlignmentFlag.AlignLeft)

    def retranslate(self) -> None:
        # a name in Latin letters starts where the interface starts, also right to left
        start = Qt.AlignmentFlag.AlignRight if self.isRightToLeft() else Qt.AlignmentFlag.AlignLeft
        self.title.setAlignment(
            start | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter
        )
        self.interpreter.setText(_("Interpreter needed"))
        self.interpreter.setToolTip(_("Plan an interpreter for conversations with this client"))
        self.open_anyway.setText(_("Open with a reason…"))

    def show_nobody(self) -> None:
        self.title.setText(_("No client selected"))
        self.subtitle.setText(_("Choose a client in the list, or create one with Ctrl+N."))
        self.interpreter.hide()

    def show_message(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    def hide_message(self) -> None:
        self.banner.hide()
        self.open_anyway.hide()
