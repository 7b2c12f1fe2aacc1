"""The sections of the client file, in the order they are read, and the section bar that
reaches each at once (Alt+1, Alt+2, …, in this order).

Adding a section is one line in `SECTIONS`, where it should appear. A section shows field
groups (`client_fields.GROUPS`) and the file's own boxes (see `ClientPanel.BUILT_IN`), or a box
of its own given as "module:Class": the file imports it when first built, makes it with
`Class(sessions, actor)` and calls its `show_client(client_id | None)` when another client is
opened and its `retranslate()` when the language changes (the `FileBox` protocol). For example:

    Section("action_points", N_("Action points"),
            box="app.ui.caseload.action_points_box:ActionPointsBox"),

The box is then `panel.boxes["action_points"]`. This module imports no widgets of the file: the
window builds its menu from it before any file is opened.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from app.i18n import N_, _

if TYPE_CHECKING:
    from app.db import SessionFactory
    from app.services.privacy.access import Actor

#: Alt+1 … Alt+9, then Alt+0 for a tenth section.
TEXT_WIDTH = 120  # pixels of a title's line in the section bar
SHORTCUT_DIGITS = "1234567890"


@dataclass(frozen=True)
class Section:
    key: str
    title: str  # marked with N_(), shown translated
    parts: tuple[str, ...] = ()  # field groups and built-in boxes, top to bottom
    box: str | None = None  # "module:Class" of a box of its own, shown after `parts`


SECTIONS: list[Section] = [
    Section("identity", N_("Identity"), ("identity", "intake", "assignments")),
    Section("contact", N_("Contact"), ("contact", "address", "reach")),
    Section("work", N_("Work"), ("work", "conditions")),
    Section("conversations", N_("Conversations"), ("scripts",)),
    Section("timeline", N_("Contacts and timeline"), ("timeline",)),
    Section("referrals", N_("Referrals"), ("referrals",)),
    Section("action_points", N_("Action points"),
            box="app.ui.caseload.action_points_box:ActionPointsBox"),
    Section("tests", N_("Test results"), box="app.ui.caseload.test_results_box:TestResultsBox"),
    Section("privacy", N_("Privacy"), ("looked", "privacy")),
]  # fmt: skip


def shortcut(position: int) -> str | None:
    """The key that jumps to the section at `position` (0-based), if it has one."""
    return f"Alt+{SHORTCUT_DIGITS[position]}" if position < len(SHORTCUT_DIGITS) else None


class FileBox(Protocol):
    def show_client(self, client_id: int | None) -> None: ...

    def retranslate(self) -> None: ...


def make_box(path: str, sessions: SessionFactory, actor: Callable[[], Actor]) -> QWidget:
    """A section's own box from its "module:Class"."""
    module, _sep, name = path.partition(":")
    made: QWidget = getattr(importlib.import_module(module), name)(sessions, actor)
    return made


class SectionBar(QListWidget):
    """The file's sections as a narrow list beside it: choosing one (a click, the arrow keys
    and Enter, or its Alt+digit) shows it; scrolling the file marks the section in view."""

    chosen = Signal(str)

    def __init__(self, sections: list[Section], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("section_bar")
        self._sections = sections
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizeAdjustPolicy(QListWidget.SizeAdjustPolicy.AdjustToContents)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)  # a long title takes two lines
        self.setFrameShape(QListWidget.Shape.NoFrame)
        self.setStyleSheet(
            "QListWidget { background: transparent; }"
            " QListWidget::item { padding: 5px 6px; border-radius: 3px; }"
            " QListWidget::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }"
        )
        for section in sections:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, section.key)
            self.addItem(item)
        self.itemActivated.connect(self._activated)
        self.itemClicked.connect(self._activated)
        self.retranslate()

    def retranslate(self) -> None:
        self.setAccessibleName(_("Sections of the client file"))
        for position, section in enumerate(self._sections):
            item = self.item(position)
            item.setText(self._wrapped(_(section.title)))
            key = shortcut(position)
            item.setToolTip(f"{_(section.title)} ({key})" if key else _(section.title))
        self.updateGeometry()

    def _wrapped(self, title: str) -> str:
        """The title on lines no wider than the bar, broken between words."""
        metrics, lines = self.fontMetrics(), [""]
        for word in title.split():
            joined = f"{lines[-1]} {word}".strip()
            if lines[-1] and metrics.horizontalAdvance(joined) > TEXT_WIDTH:
                lines.append(word)
            else:
                lines[-1] = joined
        return "\n".join(lines)

    def sizeHint(self) -> QSize:
        """As wide as the longest line of a title, never as wide as a form column."""
        metrics = self.fontMetrics()
        longest = max((metrics.horizontalAdvance(line) for i in range(self.count())
                       for line in self.item(i).text().split("\n")), default=80)  # fmt: skip
        return QSize(max(longest, 80) + 28, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self.sizeHint().width(), 60)

    def mark(self, key: str) -> None:
        """Show `key` as the current section without moving the file."""
        for position in range(self.count()):
            item = self.item(position)
            if item.data(Qt.ItemDataRole.UserRole) == key:
                self.blockSignals(True)
                self.setCurrentItem(item)
                self.blockSignals(False)
                return

    def current_key(self) -> str | None:
        item = self.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _activated(self, item: QListWidgetItem) -> None:
        self.chosen.emit(str(item.data(Qt.ItemDataRole.UserRole)))
