"""The notices a counsellor gets about their clients (a colleague opened a file with a reason,
covers their clients, or that cover was undone): the new ones, shown once when someone starts
working, or all of them from Team → Notices…. "Mark as read" files them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _, ngettext
from app.services.privacy.access import Actor
from app.services.team import notices
from app.services.team.notices import NoticeView
from app.ui.form_dialog import commit_or_report, joined


class NoticesDialog(QDialog):
    """`only_unread`: the new notices (at sign-in); otherwise every notice, newest first."""

    def __init__(
        self, sessions: SessionFactory, actor: Actor, *, only_unread: bool = False,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("notices_dialog")
        self._sessions, self._actor, self._only_unread = sessions, actor, only_unread
        self.setWindowTitle(_("New notices") if only_unread else _("Notices"))
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("notices_table")
        self.table.setAccessibleName(_("Notices"))
        self.table.setHorizontalHeaderLabels([_("When"), _("What"), _("Notice")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.mark_read = QPushButton(_("&Mark as read"))
        self.mark_read.setObjectName("mark_notices_read")
        self.mark_read.clicked.connect(self.mark_all_read)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.mark_read, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.shown: list[NoticeView] = []
        self.refresh()
        self.resize(860, 420)

    def refresh(self) -> None:
        with self._sessions() as session:
            self.shown = (notices.unread(session, self._actor) if self._only_unread
                          else notices.all_for(session, self._actor))  # fmt: skip
        unread = sum(1 for n in self.shown if not n.read)
        self.intro.setText(
            ngettext("{n} new notice about your clients.", "{n} new notices about your clients.",
                     unread).format(n=unread) if unread else _("No new notices."))  # fmt: skip
        self.table.setRowCount(len(self.shown))
        for row, notice in enumerate(self.shown):
            for column, text in enumerate((notice.when, notice.kind.label, notice.text)):
                item = QTableWidgetItem(text)
                if not notice.read:  # the new ones stand out
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        self.mark_read.setEnabled(unread > 0)

    def mark_all_read(self) -> None:
        ids = [n.id for n in self.shown if not n.read]
        with self._sessions() as session:
            done = commit_or_report(session, lambda: notices.mark_read(session, self._actor, ids),
                                    lambda errors: self.message.setText(joined(errors)))  # fmt: skip
        if done is None:
            return
        self.message.setText(ngettext("{n} notice marked as read.", "{n} notices marked as read.",
                                      done).format(n=done))  # fmt: skip
        self.refresh()
