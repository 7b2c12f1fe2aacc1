"""The client file's side of the caseload window: the file built when a client is first opened
(in the place of the "no client" invitation), opening a client from the list (Enter, a click,
or the selection resting on a row), from Today or after creating one, and the file told of
changes made elsewhere. Where the file stands in the window is the layout's
(`file_layout.py`), which this side holds.

Opening a file is what the audit trail records as a view, so moving through the list with the
arrow keys does not open every row passed: the file follows once the selection rests
(`REST_MS`), and at once on Enter or a click."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QModelIndex, QObject, QTimer
from PySide6.QtWidgets import QMenuBar, QWidget

from app.ui.caseload.caseload_widgets import NoClientOpen
from app.ui.window.file_layout import FileLayoutController, LayoutHost

if TYPE_CHECKING:
    from app.ui.caseload.caseload_model import CaseloadModel
    from app.ui.caseload.client_panel import ClientPanel
    from app.ui.window.activity import ActivityController
    from app.ui.window.figures import StatusFigures


class FileSideHost(LayoutHost, Protocol):
    model: CaseloadModel
    figures: StatusFigures
    activity: ActivityController

    def select_row(self, row: int) -> None: ...


#: How long the selection rests on a row before its file opens (and is recorded as viewed).
REST_MS = 400


class FileSide(QObject):
    def __init__(self, host: FileSideHost, menu_bar: QMenuBar) -> None:
        super().__init__(host.window())
        self._host = host
        self.panel: ClientPanel | None = None
        self.no_client = NoClientOpen()
        self.layout = FileLayoutController(host, menu_bar, self)
        self._resting = QTimer(self, singleShot=True, interval=REST_MS)
        self._resting.timeout.connect(self._show_selected)
        host.table.clicked.connect(self._clicked)

    def built(self) -> ClientPanel:
        """The client file, built when a client is first opened."""
        if self.panel is None:
            from app.ui.caseload.client_panel import ClientPanel

            host = self._host
            self.panel = panel = ClientPanel(host.sessions, host.actor)
            panel.client_changed.connect(self._edited)
            panel.client_erased.connect(lambda _id: host.model.refresh())
            panel.assignments.changed.connect(host.figures.update_continuity)
            # a note, contact or referral added in the file: Today and the agenda
            panel.activity_changed.connect(lambda _id: host.activity.changed(None))
            host.splitter.replaceWidget(2, panel)  # keeps the placeholder's size
            self.no_client.deleteLater()
            self.layout.file_built(panel)
        return self.panel

    def _edited(self, client_id: int) -> None:
        """A field was saved: its row in the caseload, the figures."""
        self._host.model.client_changed(client_id)
        self._host.figures.later()

    def widget(self) -> QWidget:
        """The client file, or what stands in its place until one is opened."""
        return self.panel if self.panel is not None else self.no_client

    def retranslate(self) -> None:
        (self.panel or self.no_client).retranslate()

    def client_id(self) -> int | None:
        return self.panel.client_id if self.panel is not None else None

    def close(self) -> None:
        """No file (the caseload is locked or closed): the invitation in its place."""
        self._resting.stop()
        if self.panel is not None:
            self.no_client = NoClientOpen()
            self.no_client.retranslate()
            self._host.splitter.replaceWidget(2, self.no_client)
            self.panel.deleteLater()
            self.panel = None
            self.layout.apply()

    def activity_changed(self, client_id: int) -> None:
        if self.panel is not None and self.panel.client_id == client_id:
            self.panel.activity_shown_anew()

    def reload(self) -> None:
        if self.panel is not None:
            self.panel.reload()

    def row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """Moving through the list shows the client the selection rests on (the file's page
        stays where it is); the rows passed on the way are not opened."""
        if current.isValid():
            self._resting.start()
        else:
            self._resting.stop()

    def _clicked(self, index: QModelIndex) -> None:
        """A click chooses the row: its file at once."""
        if index.isValid() and index.row() == self._host.table.currentIndex().row():
            self._resting.stop()
            self._show_selected()

    def _show_selected(self) -> None:
        index = self._host.table.currentIndex()
        client_id = self._host.model.client_id(index.row()) if index.isValid() else None
        if client_id is not None and client_id not in (self.client_id(), self._closed_id()):
            self.built().show_client(client_id)
            self.layout.file_shown()
            self._remember(client_id)

    def _remember(self, client_id: int) -> None:
        """The client whose file opens next time (memory.restore)."""
        self._host.settings.set("last_client_id", client_id)

    def _closed_id(self) -> int | None:
        return self.panel.closed_client_id if self.panel is not None else None

    def open_current(self) -> None:
        """Enter in the list: the file, its first field ready (someone else's: the reason)."""
        self._resting.stop()
        index = self._host.table.currentIndex()
        if not index.isValid():
            return
        client_id = self._host.model.client_id(index.row())
        panel = self.built()
        if client_id not in (panel.client_id, panel.closed_client_id):
            panel.show_client(client_id)
            if client_id is not None:
                self._remember(client_id)
        if panel.closed_client_id == client_id:  # someone else's client: ask the reason
            panel.open_with_reason()
        self.layout.file_shown()
        self.layout.show_file()
        if panel.client_id == client_id:
            panel.focus_first_field()

    def open(self, client_id: int, *, show_file: bool = True) -> None:
        """Show a client in the file, selecting its row when the filters show it."""
        row = self._host.model.row_of(client_id)
        if row is not None:
            self._host.select_row(row)
        panel = self.built()
        if client_id not in (panel.client_id, panel.closed_client_id):
            panel.show_client(client_id)
        self._remember(client_id)
        self.layout.file_shown()
        if show_file:
            self.layout.show_file()
