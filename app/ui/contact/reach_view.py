"""The reach monitor — "did we reach everyone?": the reach rate of the caseload and of each
counsellor by digital profile, and the active clients nobody reached in the last N days,
longest silence first, with their last attempts. Opening a row (Enter, double-click) opens the
client's file.

Both tables are models over the report: a cell is written (numbers, dates, names) when the view
paints it, and the columns are measured on their first rows, so a team lead over 600
counsellors sees the monitor as soon as the figures are counted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _, format_date, format_number, format_percent, isolated, ngettext
from app.services.clock import local_now
from app.services.contact import reach
from app.services.privacy.access import Actor
from app.services.scripts.loader import default_catalogue

LISTED = 300  # the longest silences; the count says how many more
PROFILE_ORDER = ("low_literate", "basic_skills", "self_reliant", reach.UNKNOWN)
MEASURED_ROWS = 30  # rows a column's width is measured on (every row would format them all)
RATES_SHOWN = 12  # rows of the rates table before it scrolls
_Index = QModelIndex | QPersistentModelIndex


def profile_label(profile: str) -> str:
    if profile == reach.UNKNOWN:
        return _("Not assessed")
    script = default_catalogue().scripts.get(reach.DIGITAL_PROFILE)
    result = next((r for r in script.results if r.id == profile), None) if script else None
    return _(result.label) if result is not None else profile


def rate_text(reached: int, clients: int) -> str:
    return (
        f"{format_percent(reached / clients)} ({format_number(reached)}/{format_number(clients)})"
        if clients
        else "—"
    )


class RatesModel(QAbstractTableModel):
    """Everyone first (bold), then each counsellor: all clients, then each profile present."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, reach.Rate]] = []
        self.profiles: list[str] = []
        self.bold = QFont()
        self.bold.setBold(True)

    def set_report(self, report: reach.Report) -> None:
        self.beginResetModel()
        self.rows = [(_("Everyone"), report.total), *report.by_counsellor.items()]
        self.profiles = [p for p in PROFILE_ORDER if report.total.by_profile[p]]
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2 + len(self.profiles)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        name, rate = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return isolated(name)
            if column == 1:
                return rate_text(rate.reached, rate.clients)
            profile = self.profiles[column - 2]
            return rate_text(rate.reached_by_profile[profile], rate.by_profile[profile])
        if role == Qt.ItemDataRole.FontRole and index.row() == 0:
            return self.bold
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section == 0:
            return _("Counsellor")
        return _("All") if section == 1 else profile_label(self.profiles[section - 2])


class SilentModel(QAbstractTableModel):
    """The clients not reached, longest silence first; each row holds the client's id."""

    COLUMNS = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.people: list[reach.Silent] = []

    def set_people(self, people: list[reach.Silent]) -> None:
        self.beginResetModel()
        self.people = people
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.people)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def text(self, row: int, column: int) -> str:
        person = self.people[row]
        if column == 0:
            return person.dossier
        if column == 1:
            return person.name
        if column == 2:
            return person.referent
        if column == 3:
            return profile_label(person.profile)
        if column == 4:
            reached = person.last_reached
            return format_date(reached.date(), "short") if reached else _("never")
        return "; ".join(f"{format_date(a.at.date(), 'short')} {a.channel.label}: {a.outcome.label}"
                         for a in person.last_attempts)  # fmt: skip

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return isolated(self.text(index.row(), index.column()))
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (1, 5):
            return self.text(index.row(), index.column()) or None
        if role == Qt.ItemDataRole.UserRole:
            return self.people[index.row()].client_id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return (_("Dossier"), _("Client"), _("Referent"), _("Digital profile"),
                    _("Last reached"), _("Last attempts"))[section]  # fmt: skip
        return None


def _table(name: str, model: QAbstractTableModel) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    view.horizontalHeader().setResizeContentsPrecision(MEASURED_ROWS)
    return view


class ReachDialog(QDialog):
    open_client = Signal(int)

    def __init__(
        self, sessions: SessionFactory, actor: Callable[[], Actor], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reach_monitor")
        self._sessions, self._actor = sessions, actor
        self.setWindowTitle(_("Reach monitor — did we reach everyone?"))
        self.days = QSpinBox(minimum=1, maximum=365, value=reach.DEFAULT_DAYS)
        self.days.setSuffix(" " + _("days"))
        self.days.setAccessibleName(_("Not reached in the last"))
        self.financial = QCheckBox(_("Only &zero-hours contracts and lost income"))
        self.summary = QLabel()
        self.summary.setObjectName("reach_summary")
        self.summary.setWordWrap(True)
        self.rates_model = RatesModel(self)
        self.rates = _table("reach_rates", self.rates_model)
        self.silent_model = SilentModel(self)
        self.silent = _table("reach_silent", self.silent_model)
        self.silent.horizontalHeader().setStretchLastSection(True)
        self.silent.activated.connect(self._activated)
        top = QHBoxLayout()
        label = QLabel(_("Not reached in the &last"))
        label.setBuddy(self.days)
        top.addWidget(label)
        top.addWidget(self.days)
        top.addWidget(self.financial)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.rates)
        self.silent_title = QLabel()
        layout.addWidget(self.silent_title)
        layout.addWidget(self.silent, 2)
        self.days.valueChanged.connect(lambda _v: self.refresh())
        self.financial.toggled.connect(lambda _v: self.refresh())
        self.resize(1100, 720)
        self.refresh()

    def refresh(self) -> None:
        actor = self._actor()
        with self._sessions() as session:
            result = reach.report(session, actor, days=self.days.value(),
                                  financial_only=self.financial.isChecked(), now=local_now(), limit=LISTED)  # fmt: skip
        total = result.total
        self.summary.setText(_("Reached in the last {days} days: {rate} of the active clients.").format(
            days=result.days, rate=rate_text(total.reached, total.clients)))  # fmt: skip
        self.rates_model.set_report(result)
        self.rates.resizeColumnsToContents()
        header = self.rates.horizontalHeader().height() + 4
        shown = min(self.rates_model.rowCount(), RATES_SHOWN)
        self.rates.setMaximumHeight(header + sum(self.rates.rowHeight(r) for r in range(shown)))
        self.silent_title.setText(ngettext("{n} active client not reached, longest silence first",
                                           "{n} active clients not reached, longest silence first",
                                           result.silent_count).format(n=format_number(result.silent_count))
                                  + (" " + _("(the first {shown} are listed)").format(shown=len(result.silent))
                                     if result.silent_count > len(result.silent) else ""))  # fmt: skip
        self.silent_model.set_people(result.silent)
        self.silent.resizeColumnsToContents()

    def _activated(self, index: QModelIndex) -> None:
        self.open_client.emit(int(self.silent_model.data(index, Qt.ItemDataRole.UserRole)))
