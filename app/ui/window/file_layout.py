"""How the caseload and the client file share the window, as the counsellor chooses in the View
menu (Ctrl+Shift+L switches; the choice is remembered):

- side by side: while a file is open the caseload narrows to a list of dossiers and names and
  the file gets most of the width (the widths the counsellor drags to are remembered);
- the file on a page of its own: tabs "Caseload" and the client's file; Enter in the list opens
  the file, Esc in the file or Ctrl+F goes back to the list.

The View menu also reaches each section of the file with Alt+1, Alt+2, … (client_sections).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenuBar, QSplitter, QTabBar, QVBoxLayout, QWidget

from app.i18n import _
from app.ui.caseload.client_sections import SECTIONS, shortcut
from app.ui.window.host import WindowHost

if TYPE_CHECKING:
    from app.ui.caseload.caseload_widgets import CaseloadTable
    from app.ui.caseload.client_panel import ClientPanel
    from app.ui.window.file_side import FileSide

SWITCH_KEY = "Ctrl+Shift+L"
LAYOUT_SETTING = "window/file_layout"
SIZES_SETTING = "window/file_sizes"  # side by side, with a file open
LIST_TAB, FILE_TAB = 0, 1


class FileLayout(StrEnum):
    SIDE_BY_SIDE = "side_by_side"
    OWN_TAB = "own_tab"


class LayoutHost(WindowHost, Protocol):
    splitter: QSplitter
    left: QSplitter
    table: CaseloadTable


class FileLayoutController(QObject):
    def __init__(self, host: LayoutHost, menu_bar: QMenuBar, files: FileSide) -> None:
        super().__init__(host.window())
        self._host, self._files = host, files
        stored = host.settings.text(LAYOUT_SETTING, FileLayout.SIDE_BY_SIDE)
        self.current = FileLayout(stored) if stored in set(FileLayout) else FileLayout.SIDE_BY_SIDE
        self._on_file = False  # the file's page is the one shown (own tab)
        self._compact = False  # side by side, narrowed to a list
        self._sizes = [int(s) for s in host.settings.value(SIZES_SETTING) or [] if str(s).isdigit()]
        self.menu = menu_bar.addMenu("")
        self.group = QActionGroup(self)
        self.choices: dict[FileLayout, QAction] = {}
        for layout in FileLayout:
            action = QAction(self.menu, checkable=True, checked=layout == self.current)
            action.setObjectName(f"layout_{layout.value}")
            action.triggered.connect(lambda _checked, chosen=layout: self.choose(chosen))
            self.group.addAction(action)
            self.choices[layout] = action
        self.menu.addActions(list(self.choices.values()))
        self.switch_action = QAction(self.menu, shortcut=QKeySequence(SWITCH_KEY))
        self.switch_action.triggered.connect(self.switch)
        self.menu.addAction(self.switch_action)
        self.menu.addSeparator()
        self.sections_menu = self.menu.addMenu("")
        self.section_actions: dict[str, QAction] = {}
        for position, section in enumerate(SECTIONS):
            key = shortcut(position)
            action = QAction(host.window(), shortcut=QKeySequence(key) if key else QKeySequence())
            action.triggered.connect(lambda _checked, k=section.key: self.go_to_section(k))
            self.section_actions[section.key] = action
            self.sections_menu.addAction(action)
            host.window().addAction(action)  # the keys work whether the menu was opened or not
        self.tabs = QTabBar()
        self.tabs.setObjectName("file_tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setExpanding(False)
        self.tabs.addTab("")
        self.tabs.addTab("")
        self.tabs.currentChanged.connect(self._tab_chosen)

    def page(self, splitter: QSplitter) -> QWidget:
        """The caseload and the file, with the tabs above them (shown in that layout)."""
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.tabs)
        column.addWidget(splitter, 1)
        return page

    def retranslate(self) -> None:
        self.menu.setTitle(_("&View"))
        self.choices[FileLayout.SIDE_BY_SIDE].setText(_("Caseload and file &side by side"))
        self.choices[FileLayout.OWN_TAB].setText(_("Client file in its own &tab"))
        self.switch_action.setText(_("S&witch between the two layouts"))
        self.sections_menu.setTitle(_("&Go to a section of the file"))
        for section in SECTIONS:
            self.section_actions[section.key].setText(_(section.title))
        self.tabs.setTabText(LIST_TAB, _("Caseload"))
        self.tabs.setTabToolTip(LIST_TAB, _("The list of clients (Ctrl+F, or Esc in the file)"))
        self.tabs.setAccessibleName(_("Caseload or client file"))
        self._name_file_tab()

    # --- what the counsellor does -------------------------------------------------------
    def choose(self, layout: FileLayout) -> None:
        if self._compact:
            self._sizes = self._host.splitter.sizes()
        self.current = layout
        self.choices[layout].setChecked(True)
        self._host.settings.set(LAYOUT_SETTING, layout.value)
        self._host.settings.sync()
        self._on_file = self._files.panel is not None
        self.apply()

    def switch(self) -> None:
        others = [layout for layout in FileLayout if layout != self.current]
        self.choose(others[0])

    def go_to_section(self, key: str) -> None:
        panel = self._files.panel
        if panel is None:
            self._host.show_status(_("Open a client first: choose one in the list."))
            return
        self.show_file()
        panel.go_to(key)

    def show_list(self) -> None:
        """The caseload (the whole page, when the file has a page of its own)."""
        if self._on_file:
            self._on_file = False
            self.apply()

    def show_file(self) -> None:
        if not self._on_file and self._files.panel is not None:
            self._on_file = True
            self.apply()

    def back_to_list(self) -> None:
        """Esc in the file: the list, its row of the open client current."""
        self.show_list()
        self._host.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _tab_chosen(self, index: int) -> None:
        if index == FILE_TAB:
            self.show_file()
        else:
            self.show_list()

    # --- what the window tells ----------------------------------------------------------
    def file_built(self, panel: ClientPanel) -> None:
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), panel)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.back_to_list)
        self.apply()

    def file_shown(self) -> None:
        """Another client in the file: its name on the tab."""
        self._name_file_tab()

    def apply(self) -> None:
        """Show and size the caseload and the file as the chosen layout has them."""
        host = self._host
        panel = self._files.panel
        has_file = panel is not None
        for action in self.section_actions.values():
            action.setEnabled(has_file)
        own_tab = self.current == FileLayout.OWN_TAB
        on_file = own_tab and has_file and self._on_file
        self.tabs.setVisible(own_tab)
        self.tabs.setTabEnabled(FILE_TAB, has_file)
        self.tabs.blockSignals(True)
        self.tabs.setCurrentIndex(FILE_TAB if on_file else LIST_TAB)
        self.tabs.blockSignals(False)
        host.left.setVisible(not on_file)
        host.table.setVisible(not on_file)
        self._files.widget().setVisible(not own_tab or on_file)
        compact = has_file and not own_tab
        host.table.compact(compact)
        if compact and not self._compact:
            self._size_compact()
            if not host.splitter.isVisible():  # its width is known once the window shows
                QTimer.singleShot(0, self._size_compact)
        elif self._compact and not compact:
            self._sizes = host.splitter.sizes()
        self._compact = compact
        self._name_file_tab()

    def remember(self) -> None:
        if self._compact:
            self._sizes = self._host.splitter.sizes()
        if len(self._sizes) == 3:
            self._host.settings.set(SIZES_SETTING, [str(s) for s in self._sizes])

    def _size_compact(self) -> None:
        if self._compact or self._host.table.is_compact:
            sizes = self._sizes if len(self._sizes) == 3 else self._compact_sizes()
            self._host.splitter.setSizes(sizes)

    def _compact_sizes(self) -> list[int]:
        splitter = self._host.splitter
        total = splitter.width() if splitter.isVisible() else sum(splitter.sizes())
        left = self._host.left.minimumSizeHint().width()  # the filters whole, no more
        table = self._host.table.compact_width()
        return [left, table, max(total - left - table, 0)]

    def _name_file_tab(self) -> None:
        panel = self._files.panel
        name = panel.title.text() if panel is not None else ""
        self.tabs.setTabText(FILE_TAB, name if panel is not None else _("Client file"))
        self.tabs.setTabToolTip(FILE_TAB, _("The open client file (Enter in the list)"))
