"""The top of the client file, above its sections and never scrolled away: the name, an
"Interpreter needed" badge, the dossier, whose client one covers as backup and until when,
and why a file stays closed with the way to open it with a reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _, format_date
from app.services.privacy.access import Actor

# a notice, not a selection: amber like a notice, a clear edge, room around the words
COVER_STYLE = (
    "QFrame#cover_banner { background: #fff4d6; border: 1px solid #d9a520;"
    " border-radius: 4px; }"
    " QFrame#cover_banner QLabel { background: transparent; border: none; color: #4d3200; }"
)
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
        self.cover = self._cover_banner()
        self._cover: tuple[str, dt.date] | None = None  # the referent's name, the last day
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
        layout.addWidget(self.cover)
        layout.addWidget(self.banner)
        layout.addWidget(self.open_anyway, alignment=Qt.AlignmentFlag.AlignLeft)

    def _cover_banner(self) -> QFrame:
        banner = QFrame()
        banner.setObjectName("cover_banner")
        banner.setStyleSheet(COVER_STYLE)
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(size, size))  # fmt: skip
        self.cover_text = QLabel()
        self.cover_text.setWordWrap(True)
        font = self.cover_text.font()
        font.setBold(True)
        self.cover_text.setFont(font)
        row = QHBoxLayout(banner)
        row.setContentsMargins(10, 6, 10, 6)
        row.setSpacing(8)
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.cover_text, 1)
        banner.hide()
        return banner

    def retranslate(self) -> None:
        # a name in Latin letters starts where the interface starts, also right to left
        start = Qt.AlignmentFlag.AlignRight if self.isRightToLeft() else Qt.AlignmentFlag.AlignLeft
        self.title.setAlignment(
            start | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter
        )
        self.interpreter.setText(_("Interpreter needed"))
        self.interpreter.setToolTip(_("Plan an interpreter for conversations with this client"))
        self.open_anyway.setText(_("Open with a reason…"))
        self._cover_text()

    def show_cover(
        self, sessions: SessionFactory, actor: Callable[[], Actor], client_id: int | None
    ) -> None:
        """ "Backup for …'s client until …" when the acting counsellor covers this client today."""
        from app.services.clock import local_today
        from app.services.team import absence

        self._cover = None
        if client_id is not None:
            with sessions() as session:
                self._cover = absence.covered_by(session, client_id, actor().counsellor_id,
                                                 local_today())  # fmt: skip
        self._cover_text()

    def _cover_text(self) -> None:
        if self._cover is None:
            self.cover.hide()
            return
        name, last = self._cover
        text = _("Backup for {name}’s client until {day} (included)").format(
            name=name, day=format_date(last, "full"))  # fmt: skip
        self.cover_text.setText(text)
        self.cover.setAccessibleName(text)
        self.cover.setAccessibleDescription(
            _("You open this file as backup while its referent is away.")
        )
        self.cover.show()

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
