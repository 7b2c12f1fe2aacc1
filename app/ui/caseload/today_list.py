"""Today's appointments of the working counsellor and the referrals due for a follow-up, under
the caseload's filters; activating one opens the client. Built with the window, filled once
the caseload is shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from app.db import SessionFactory
from app.i18n import _, format_date
from app.models.enums import AppointmentStatus
from app.services.clock import local_now
from app.services.errors import ServiceError
from app.services.privacy.access import Actor
from app.ui.contact.channel_colours import CHANNEL_COLOURS

if TYPE_CHECKING:
    from app.services.referrals.referrals import FollowUp


class TodayList(QListWidget):
    """Today's appointments and due referral follow-ups; activating one opens the client."""

    open_client = Signal(int)

    def __init__(
        self, sessions: SessionFactory, actor: Callable[[], Actor], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("today_list")
        self._sessions, self._actor = sessions, actor
        self.itemActivated.connect(
            lambda item: self.open_client.emit(item.data(Qt.ItemDataRole.UserRole))
        )

    def refresh(self) -> None:
        self.clear()
        self.setAccessibleName(_("Today's appointments and follow-ups"))
        try:
            actor = self._actor()
        except ServiceError:
            return
        from app.services.contact import appointments
        from app.services.referrals import referrals

        now = local_now()
        start = dt.datetime.combine(now.date(), dt.time(), tzinfo=now.tzinfo)
        with self._sessions() as session:
            items = appointments.agenda(
                session, actor, actor.counsellor_id, start, start + dt.timedelta(days=1)
            )
            follow_ups = referrals.due_follow_ups(session, actor.counsellor_id, now.date())
        for item in items:
            local = item.starts_at.astimezone(now.tzinfo)
            text = f"{local:%H:%M}  {item.client_name} — {item.purpose.label}, {item.channel.label}"
            if item.status != AppointmentStatus.PLANNED:
                text += f" ({item.status.label})"
            row = QListWidgetItem(text)
            row.setData(Qt.ItemDataRole.UserRole, item.client_id)
            row.setForeground(CHANNEL_COLOURS[item.channel])
            self.addItem(row)
        if not items:
            placeholder = QListWidgetItem(_("No appointments today."))
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(placeholder)
        self._add_follow_ups(follow_ups, now.date())

    def _add_follow_ups(self, follow_ups: list[FollowUp], today: dt.date) -> None:
        for due in follow_ups:
            text = _("Follow up: {client} — {offer} ({status})").format(
                client=due.client_name, offer=due.offer_name, status=due.status.label)  # fmt: skip
            if due.due_on < today:
                text += " · " + _("due since {date}").format(date=format_date(due.due_on, "short"))
            row = QListWidgetItem(text)
            row.setToolTip(text)
            row.setData(Qt.ItemDataRole.UserRole, due.client_id)
            row.setData(Qt.ItemDataRole.AccessibleDescriptionRole, "follow_up")
            self.addItem(row)
