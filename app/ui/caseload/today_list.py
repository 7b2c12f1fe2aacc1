"""Today's appointments of the working counsellor, the referrals due for a follow-up and the
action points due today or overdue in their caseload; activating one opens the client. Built with the window, filled once
the caseload is shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from app.db import SessionFactory
from app.i18n import _, format_date
from app.models.enums import AppointmentStatus
from app.services.clock import local_now
from app.services.errors import ServiceError
from app.services.privacy.access import Actor
from app.ui.contact.channel_colours import CHANNEL_COLOURS

if TYPE_CHECKING:
    from app.services.caseload.action_points import DuePoint
    from app.services.referrals.referrals import FollowUp

OVERDUE = QColor("#a33a00")  # as the file's action point list marks them


class TodayList(QListWidget):
    """Today's appointments, due referral follow-ups and due action points; activating one
    opens the client."""

    open_client = Signal(int)

    def __init__(
        self, sessions: SessionFactory, actor: Callable[[], Actor], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("today_list")
        # a narrow column: a long entry wraps between words instead of running off its edge
        # (the left edge in Arabic), and is whole in its tooltip
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self._sessions, self._actor = sessions, actor
        self.itemActivated.connect(
            lambda item: self.open_client.emit(item.data(Qt.ItemDataRole.UserRole))
        )

    def refresh(self) -> None:
        self.clear()
        self.setAccessibleName(_("Today's appointments, follow-ups and action points"))
        try:
            actor = self._actor()
        except ServiceError:
            return
        from app.services.caseload import action_points
        from app.services.contact import appointments
        from app.services.referrals import referrals

        now = local_now()
        start = dt.datetime.combine(now.date(), dt.time(), tzinfo=now.tzinfo)
        with self._sessions() as session:
            items = appointments.agenda(  # with those of the clients one covers today
                session,
                actor,
                actor.counsellor_id,
                start,
                start + dt.timedelta(days=1),
                covered=True,
            )
            follow_ups = referrals.due_follow_ups(session, actor.counsellor_id, now.date())
            points = action_points.due(session, actor, now.date())
        for item in items:
            local = item.starts_at.astimezone(now.tzinfo)
            text = f"{local:%H:%M}  {item.client_name} — {item.purpose.label}, {item.channel.label}"
            if item.status != AppointmentStatus.PLANNED:
                text += f" ({item.status.label})"
            if item.covering_for is not None:
                text += "  " + _("for {colleague}").format(colleague=item.covering_for)
            row = QListWidgetItem(text)
            row.setData(Qt.ItemDataRole.UserRole, item.client_id)
            row.setForeground(CHANNEL_COLOURS[item.channel])
            self.addItem(row)
        if not items:
            placeholder = QListWidgetItem(_("No appointments today."))
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(placeholder)
        self._add_follow_ups(follow_ups, now.date())
        self._add_action_points(points, now.date())

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

    def _add_action_points(self, points: list[DuePoint], today: dt.date) -> None:
        for point in points:
            text = _("Action point: {client} — {title}").format(
                client=point.client_name, title=point.title)  # fmt: skip
            row = QListWidgetItem(text)
            if point.due_on < today:
                row.setText(text + " · " + _("due since {date}").format(
                    date=format_date(point.due_on, "short")))  # fmt: skip
                row.setForeground(QBrush(OVERDUE))
            row.setToolTip(row.text())
            row.setData(Qt.ItemDataRole.UserRole, point.client_id)
            row.setData(Qt.ItemDataRole.AccessibleDescriptionRole, "action_point")
            self.addItem(row)
