"""The reach monitor — "did we reach everyone?": the reach rate of the caseload and of each
counsellor by digital profile, and the active clients nobody reached in the last N days,
longest silence first, with their last attempts. Opening a row opens the client's file."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _, format_date, format_number, format_percent, ngettext
from app.services.clock import local_now
from app.services.contact import reach
from app.services.privacy.access import Actor
from app.services.scripts.loader import default_catalogue

LISTED = 300  # the longest silences; the count says how many more
PROFILE_ORDER = ("low_literate", "basic_skills", "self_reliant", reach.UNKNOWN)


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
        self.rates = QTableWidget()
        self.rates.setObjectName("reach_rates")
        self.rates.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.rates.verticalHeader().hide()
        self.silent = QTableWidget(0, 6)
        self.silent.setObjectName("reach_silent")
        self.silent.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.silent.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.silent.verticalHeader().hide()
        self.silent.horizontalHeader().setStretchLastSection(True)
        self.silent.setHorizontalHeaderLabels([_("Dossier"), _("Client"), _("Referent"), _("Digital profile"),
                                               _("Last reached"), _("Last attempts")])  # fmt: skip
        self.silent.itemActivated.connect(self._activated)
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
        profiles = [p for p in PROFILE_ORDER if total.by_profile[p]]
        self.rates.setColumnCount(2 + len(profiles))
        self.rates.setHorizontalHeaderLabels(
            [_("Counsellor"), _("All")] + [profile_label(p) for p in profiles]
        )
        rows = [(_("Everyone"), total), *result.by_counsellor.items()]
        self.rates.setRowCount(len(rows))
        for row, (name, rate) in enumerate(rows):
            cells = [name, rate_text(rate.reached, rate.clients)] + [
                rate_text(rate.reached_by_profile[p], rate.by_profile[p]) for p in profiles]  # fmt: skip
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if row == 0:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.rates.setItem(row, column, item)
        self.rates.resizeColumnsToContents()
        header = self.rates.horizontalHeader().height() + 4
        self.rates.setMaximumHeight(
            header + sum(self.rates.rowHeight(r) for r in range(min(len(rows), 12)))
        )
        self.silent_title.setText(ngettext("{n} active client not reached, longest silence first",
                                           "{n} active clients not reached, longest silence first",
                                           result.silent_count).format(n=format_number(result.silent_count))
                                  + (" " + _("(the first {shown} are listed)").format(shown=len(result.silent))
                                     if result.silent_count > len(result.silent) else ""))  # fmt: skip
        self.silent.setRowCount(len(result.silent))
        for row, person in enumerate(result.silent):
            attempts = "; ".join(f"{format_date(a.at.date(), 'short')} {a.channel.label}: {a.outcome.label}"
                                 for a in person.last_attempts)  # fmt: skip
            cells = [person.dossier, person.name, person.referent, profile_label(person.profile),
                     format_date(person.last_reached.date(), "short") if person.last_reached else _("never"), attempts]  # fmt: skip
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, person.client_id)
                self.silent.setItem(row, column, item)
        self.silent.resizeColumnsToContents()

    def _activated(self, item: QTableWidgetItem) -> None:
        self.open_client.emit(int(item.data(Qt.ItemDataRole.UserRole)))
