"""The agenda window: one counsellor's day or week (a team lead may pick a colleague), moving
by period with the keyboard, planning by keyboard or drag, opening an appointment to change it,
mark it done or missed, or print its card (Ctrl+P on the selected block, or its menu); and the
export to a calendar file. One's own agenda also shows, hatched and named, the appointments of
the clients one covers now as a colleague's backup. The header counts the blocks drawn."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _, first_week_day, format_date, ngettext
from app.language_names import INTERPRETER_NEEDED
from app.models.agenda_enums import AppointmentChannel
from app.private_files import write_bytes
from app.services.caseload import counsellors
from app.services.clock import local_now
from app.services.contact import appointments, calendar_export, contact_policy
from app.services.errors import ServiceError
from app.services.privacy.access import Actor
from app.ui.contact.agenda_blocks import INACTIVE, INTERPRETER_COLOUR
from app.ui.contact.agenda_grid import AgendaGrid
from app.ui.contact.channel_colours import CHANNEL_COLOURS
from app.ui.qt_i18n import FollowsLanguage


class AgendaWindow(FollowsLanguage, QMainWindow):
    def __init__(
        self, sessions: SessionFactory, actor: Callable[[], Actor], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("agenda_window")
        self._sessions, self._actor = sessions, actor
        self.week = True
        self.anchor = local_now().date()
        self.grid = AgendaGrid()
        self.grid.create_requested.connect(self.create_appointment)
        self.grid.open_requested.connect(self.open_appointment)
        self.grid.period_requested.connect(self.move_period)
        self.grid.card_requested.connect(self.print_card)
        self.counsellor = QComboBox()
        self.counsellor.setObjectName("agenda_counsellor")
        me = actor()
        with sessions() as session:
            choices = counsellors.counsellor_choices(session)
        for cid, name in choices:
            if me.is_team_lead or cid == me.counsellor_id:
                self.counsellor.addItem(name, cid)
        self.counsellor.setCurrentIndex(max(self.counsellor.findData(me.counsellor_id), 0))
        self.counsellor.currentIndexChanged.connect(lambda _i: self.refresh())
        self.period = QLabel()
        self.period.setObjectName("agenda_period")
        font = self.period.font()
        font.setBold(True)
        self.period.setFont(font)
        bar = QToolBar()
        bar.setMovable(False)
        self.addToolBar(bar)
        self.actions_: dict[str, QAction] = {}
        for key, shortcut, slot in (("previous", QKeySequence(QKeySequence.StandardKey.MoveToPreviousPage), lambda: self.move_period(-1)),
                                    ("today", QKeySequence("Ctrl+T"), lambda: self.move_period(0)),
                                    ("next", QKeySequence(QKeySequence.StandardKey.MoveToNextPage), lambda: self.move_period(1)),
                                    ("day", QKeySequence("Ctrl+1"), lambda: self.set_week(False)),
                                    ("week", QKeySequence("Ctrl+2"), lambda: self.set_week(True)),
                                    ("new", QKeySequence(QKeySequence.StandardKey.New), self.grid.activate),
                                    ("card", QKeySequence(QKeySequence.StandardKey.Print), self.print_focused_card),
                                    ("export", QKeySequence("Ctrl+E"), self.export)):  # fmt: skip
            action = QAction(self, shortcut=shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            bar.addAction(action)
            self.actions_[key] = action
        bar.addSeparator()
        bar.addWidget(self.counsellor)
        legend = QHBoxLayout()
        self.legend: dict[AppointmentChannel, QLabel] = {}
        for channel, colour in CHANNEL_COLOURS.items():
            label = QLabel()
            label.setStyleSheet(
                f"QLabel {{ background: {colour.name()}; color: white; padding: 2px 6px; border-radius: 3px; }}"
            )
            self.legend[channel] = label
            legend.addWidget(label)
        self.interpreter_legend = QLabel()
        self.interpreter_legend.setStyleSheet(
            f"QLabel {{ background: {INTERPRETER_COLOUR.name()}; color: #3e2723; padding: 2px 6px; border-radius: 3px; }}"
        )  # fmt: skip
        legend.addWidget(self.interpreter_legend)
        legend.addStretch(1)
        body = QWidget()
        layout = QVBoxLayout(body)
        head = QHBoxLayout()
        head.addWidget(self.period)
        head.addStretch(1)
        head.addLayout(legend)
        layout.addLayout(head)
        layout.addWidget(self.grid, 1)
        self.setCentralWidget(body)
        self.resize(1180, 760)
        self.retranslate()
        self.refresh()
        self.grid.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Agenda"))
        texts = {"previous": _("◀ &Previous"), "today": _("&Today"), "next": _("&Next ▶"), "day": _("&Day"),
                 "week": _("&Week"), "new": _("New &appointment…"), "card": _("Print appointment &card…"),
                 "export": _("&Export calendar…")}  # fmt: skip
        for key, action in self.actions_.items():
            action.setText(texts[key])
        for channel, label in self.legend.items():
            label.setText(channel.label)
        self.interpreter_legend.setText(_(INTERPRETER_NEEDED))
        self.counsellor.setAccessibleName(_("Counsellor"))
        self.grid.setAccessibleName(_("Agenda"))

    def language_changed(self) -> None:
        self.retranslate()
        if self.isVisible():  # a closed agenda is refreshed when shown again
            self.refresh()  # day names, dates and times in the new language

    def days(self, policy: contact_policy.ContactPolicy) -> list[dt.date]:
        if not self.week:
            return [self.anchor]
        # the week as the locale starts it; weekend days only when the office is open then
        first = self.anchor - dt.timedelta(days=(self.anchor.weekday() - first_week_day()) % 7)
        week = [first + dt.timedelta(days=n) for n in range(7)]
        closed_weekends = not policy.office_days & {6, 7}
        return [day for day in week if not (closed_weekends and day.isoweekday() in (6, 7))]

    def set_week(self, week: bool) -> None:
        day = self.grid.days[self.grid.focus_cell[0]] if self.grid.days else self.anchor
        self.week, self.anchor = week, day
        self.refresh()

    def move_period(self, step: int) -> None:
        self.anchor = (
            local_now().date()
            if step == 0
            else self.anchor + dt.timedelta(days=step * (7 if self.week else 1))
        )
        self.refresh()

    def refresh(self) -> None:
        refused: str | None = None
        with self._sessions() as session:
            policy = contact_policy.load(session)
            days = self.days(policy)
            zone = self.grid.zone
            start = dt.datetime.combine(days[0], dt.time(), tzinfo=zone)
            end = dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time(), tzinfo=zone)
            try:
                items = appointments.agenda(session, self._actor(), int(self.counsellor.currentData()),
                                            start, end, covered=True)  # fmt: skip
            except ServiceError as exc:
                refused, items = str(exc), []
        if refused is not None:  # shown once the session is closed: a message box waits
            QMessageBox.warning(self, _("Agenda"), refused)
        first = min([policy.office_start.hour] + [i.starts_at.astimezone(zone).hour for i in items])
        last = max([policy.office_end.hour + (1 if policy.office_end.minute else 0)]
                   + [i.ends_at.astimezone(zone).hour + 1 for i in items if i.ends_at.astimezone(zone).date() in days])  # fmt: skip
        if self.anchor in days:
            self.grid.focus_cell = (days.index(self.anchor), self.grid.focus_cell[1])
        self.grid.set_period(days, items, max(first - 1, 0) if first > 0 else 0, min(last, 24))
        label = format_date(days[0], "full") if len(days) == 1 else \
            f"{format_date(days[0], 'medium')} – {format_date(days[-1], 'medium')}"  # fmt: skip
        self.period.setText(label + "  ·  " + self.count_text())

    def count_text(self) -> str:
        """What the grid draws, counted: the appointments that take place (a backup's covered
        ones among them, said apart), and the cancelled or moved ones shown faded."""
        shown = [block.item for block in self.grid.blocks]
        live = [item for item in shown if item.status not in INACTIVE]
        covered = sum(1 for item in live if item.covering_for)
        faded = len(shown) - len(live)
        parts = [ngettext("{n} appointment", "{n} appointments", len(live)).format(n=len(live))]
        if covered:
            parts.append(ngettext("{n} of them for a colleague you cover",
                                  "{n} of them for colleagues you cover", covered).format(n=covered))  # fmt: skip
        if faded:
            parts.append(ngettext("{n} cancelled or moved", "{n} cancelled or moved", faded)
                         .format(n=faded))  # fmt: skip
        return ", ".join(parts)

    def create_appointment(self, start: dt.datetime, minutes: int) -> None:
        from app.ui.contact.appointment_dialog import AppointmentDialog, select_data

        client_id = getattr(self.parent(), "open_client_id", lambda: None)()
        dialog = AppointmentDialog(self._sessions, self._actor(), client_id=client_id, start=start,
                                   minutes=minutes, parent=self)  # fmt: skip
        select_data(dialog.counsellor, self.counsellor.currentData())
        if dialog.exec():
            self.refresh()

    def open_appointment(self, appointment_id: int) -> None:
        from app.ui.contact.appointment_status import AppointmentOpenDialog

        AppointmentOpenDialog(self._sessions, self._actor(), appointment_id, self).exec()
        if self.isVisible():  # a lock meanwhile closed the agenda with the dialog
            self.refresh()

    def print_focused_card(self) -> None:
        item = self.grid.focused_item()
        if item is None:
            self.statusBar().showMessage(
                _("Put the cursor on an appointment to print its card."), 8000
            )
            return
        self.print_card(item.id)

    def print_card(self, appointment_id: int) -> None:
        from app.ui.contact.card_printing import print_card

        written, refused = print_card(self, self._sessions, self._actor(), appointment_id)
        if refused is not None:
            QMessageBox.warning(self, _("Print appointment card"), refused)
        elif written is not None:
            self.statusBar().showMessage(
                _("Saved the appointment card as {file}.").format(file=written.name), 8000
            )

    def export(self) -> None:
        from app.services.documents.file_names import file_name

        first = self.grid.days[0] if self.grid.days else self.anchor  # the day or week shown
        name, _filter = QFileDialog.getSaveFileName(self, _("Export calendar"),
                                                    file_name("agenda_ics", day=first),
                                                    _("Calendar files (*.ics)"))  # fmt: skip
        if not name:
            return
        first = self.anchor - dt.timedelta(days=30)
        try:
            with self._sessions() as session:  # closing it unsaved rolls the installation id back
                data, count = calendar_export.export(session, self._actor(), int(self.counsellor.currentData()),
                                                     first, first + dt.timedelta(days=120))  # fmt: skip
                write_bytes(Path(name), data)
                session.commit()
        except (ServiceError, OSError) as exc:
            QMessageBox.warning(self, _("Export calendar"), str(exc))
            return
        self.statusBar().showMessage(ngettext("Exported {n} appointment.", "Exported {n} appointments.", count)
                                     .format(n=count), 8000)  # fmt: skip
