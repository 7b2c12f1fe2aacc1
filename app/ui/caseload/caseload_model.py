"""The caseload as a Qt table model that fetches rows lazily, a page at a time.

For a filter it loads the first page of ordered client ids and more as the view scrolls
(Qt's canFetchMore/fetchMore); the rows the view actually paints are fetched in blocks and
cached until the next change. It never holds 100,000 clients.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.db import SessionFactory
from app.i18n import _, format_date, isolated
from app.services.caseload import counsellors
from app.services.caseload import listing as caseload
from app.services.caseload.listing import CaseloadFilter, CaseloadRow, SortKey

BLOCK = 128
FIRST_PAGE = 100  # a screenful and some: what a keystroke must wait for
PAGE = 500
_Index = QModelIndex | QPersistentModelIndex

COLUMNS: list[SortKey] = [
    SortKey.DOSSIER, SortKey.NAME, SortKey.GIVEN_NAME, SortKey.BIRTH_DATE,
    SortKey.MUNICIPALITY, SortKey.REFERENT, SortKey.STATUS,
]  # fmt: skip


_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_CLIENT_ID = Qt.ItemDataRole.UserRole.value + 1


def _cell_texts(row: CaseloadRow, referent: str | None) -> tuple[str, ...]:
    """What each column shows for a client, in COLUMNS order (a left-to-right text isolated
    in a right-to-left interface); `referent` as names are shown (two Anna Peeters told
    apart)."""
    return tuple(isolated(text) for text in (
        row.dossier, row.family_name, row.given_name, format_date(row.birth_date, "short"),
        " ".join(p for p in (row.postal_code, row.municipality) if p),
        referent or row.referent or _("(none)"), row.status.label))  # fmt: skip


def column_titles() -> list[str]:
    return [_("Dossier"), _("Family name"), _("Given name"), _("Date of birth"),
            _("Municipality"), _("Referent"), _("Status")]  # fmt: skip


class CaseloadModel(QAbstractTableModel):
    ClientIdRole = _CLIENT_ID

    def __init__(self, sessions: SessionFactory, parent: Any = None) -> None:
        super().__init__(parent)
        self._sessions = sessions
        self._filter = CaseloadFilter()
        self._sort = SortKey.NAME
        self._descending = False
        self._ids: list[int] = []
        self._more = False
        self._rows: dict[int, CaseloadRow] = {}
        self._cells: dict[int, tuple[str, ...]] = {}  # display texts per client id
        # names two counsellors share, told apart: read once per refresh; only then are the
        # referents' ids read with the rows (a name alone does not say which Anna Peeters)
        self._told_apart: dict[int, str] = {}
        self._names_version: tuple[int, int, int] | None = None
        self._referents: dict[int, int] = {}
        self._titles = column_titles()
        self._cleared = False

    # --- what the view asks -----------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._titles[section]
        return None

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        # called for every cell and role at each paint: plain int checks, cached cell texts
        if role == _DISPLAY:
            cells = self._cells_at(index.row())
            return cells[index.column()] if cells is not None else None
        if role == _TOOLTIP:  # the whole row: the list beside an open file hides columns
            cells = self._cells_at(index.row())
            if cells is None:
                return None
            return "\n".join(
                f"{title}: {text}" for title, text in zip(self._titles, cells, strict=True) if text
            )
        if role == _CLIENT_ID and index.isValid():
            return self._ids[index.row()]
        return None

    def _cells_at(self, row: int) -> tuple[str, ...] | None:
        if not 0 <= row < len(self._ids):
            return None
        cells = self._cells.get(self._ids[row])
        if cells is None:
            found = self.row_at(row)
            if found is None:
                return None
            referent = self._told_apart.get(self._referents.get(found.id, -1))
            cells = self._cells[found.id] = _cell_texts(found, referent)
        return cells

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(COLUMNS):
            self._sort = COLUMNS[column]
            self._descending = order == Qt.SortOrder.DescendingOrder
            self.refresh()

    # --- what the window asks ---------------------------------------------------------
    def clear(self) -> None:
        """No rows (while the caseload is locked) until the next `refresh` or `set_filter`."""
        self._cleared = True
        self.beginResetModel()
        self._ids, self._more = [], False
        self._rows.clear()
        self._cells.clear()
        self.endResetModel()

    def set_filter(self, flt: CaseloadFilter) -> None:
        if flt != self._filter or self._cleared:
            self._filter = flt
            self.refresh()

    def refresh(self) -> None:
        self._cleared = False
        self.beginResetModel()
        self._ids = self._page(0, FIRST_PAGE)
        self._more = len(self._ids) == FIRST_PAGE
        self._rows.clear()
        self._cells.clear()
        self._referents.clear()
        with self._sessions() as session:  # names anew only when the accounts changed
            version = counsellors.names_version(session)
            if version != self._names_version:
                self._told_apart = counsellors.told_apart(session)
                self._names_version = version
        self.endResetModel()

    def _page(self, offset: int, size: int = PAGE) -> list[int]:
        with self._sessions() as session:
            return caseload.find_ids(session, self._filter, self._sort, self._descending,
                                     offset=offset, limit=size)  # fmt: skip

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more:
            return
        page = self._page(len(self._ids))
        self._more = len(page) == PAGE
        if page:
            self.beginInsertRows(QModelIndex(), len(self._ids), len(self._ids) + len(page) - 1)
            self._ids.extend(page)
            self.endInsertRows()

    def matching_count(self) -> int:
        """How many clients the current filter selects (all pages, loaded or not)."""
        if not self._more:
            return len(self._ids)
        with self._sessions() as session:
            return caseload.count(session, self._filter)

    def retranslate(self) -> None:
        self._cells.clear()  # labels and date formats follow the language
        self._titles = column_titles()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

    def client_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, client_id: int) -> int | None:
        """The row of a client among the pages loaded so far."""
        try:
            return self._ids.index(client_id)
        except ValueError:
            return None

    def row_at(self, row: int) -> CaseloadRow | None:
        if not 0 <= row < len(self._ids):
            return None
        client_id = self._ids[row]
        cached = self._rows.get(client_id)
        if cached is None:
            start = (row // BLOCK) * BLOCK
            block = self._ids[start : start + BLOCK]
            with self._sessions() as session:
                self._rows.update(caseload.rows_for(session, block))
                if self._told_apart:
                    self._referents.update(counsellors.referents(session, block))
            cached = self._rows.get(client_id)
        return cached

    def client_changed(self, client_id: int) -> None:
        """One client was edited: re-read its row and repaint it."""
        self._rows.pop(client_id, None)
        self._cells.pop(client_id, None)
        self._referents.pop(client_id, None)
        row = self.row_of(client_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
