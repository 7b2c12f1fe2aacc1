"""The agenda's time grid: a column per day, half-hour rows through office hours, appointments
as blocks coloured by channel. Keyboard: arrows move the cursor slot, Shift+Up/Down stretch it,
Enter plans an appointment there (or opens the one under the cursor), Page Up/Down change the
period, Home goes to today. Mouse: drag over free time to plan, double-click to open."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.i18n import current_locale, format_time
from app.language_names import interpreter_note
from app.models.enums import AppointmentStatus
from app.services.clock import DEFAULT_TIME_ZONE, local_today
from app.services.contact.appointments import AgendaItem
from app.ui.contact.channel_colours import CHANNEL_COLOURS

SLOT = dt.timedelta(minutes=30)
INACTIVE = (
    AppointmentStatus.CANCELLED_BY_CLIENT,
    AppointmentStatus.CANCELLED_BY_US,
    AppointmentStatus.MOVED,
)
HEADER_HEIGHT = 34
HOUR_WIDTH = 52
ROW_HEIGHT = 24
INTERPRETER_COLOUR = QColor("#ffd54f")


def tooltip(item: AgendaItem, zone: ZoneInfo) -> str:
    """What an appointment block says in full when the pointer rests on it."""
    start, end = item.starts_at.astimezone(zone), item.ends_at.astimezone(zone)
    lines = [
        f"{format_time(start.time())}–{format_time(end.time())}",
        f"{item.client_name} — {item.dossier}",
        f"{item.purpose.label} · {item.channel.label}"
        + (f" · {item.location}" if item.location else ""),
        item.status.label,
    ]
    if item.interpreter is not None:
        lines.append("⚠ " + interpreter_note(item.interpreter.language))
    return "\n".join(lines)


class AgendaGrid(QWidget):
    create_requested = Signal(object, int)  # start (aware), minutes
    open_requested = Signal(int)  # appointment id
    period_requested = Signal(int)  # -1 previous, +1 next, 0 today

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agenda_grid")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.zone = ZoneInfo(DEFAULT_TIME_ZONE)
        self.days: list[dt.date] = [local_today()]
        self.first_hour, self.last_hour = 8, 18
        self.items: list[AgendaItem] = []
        self.focus_cell: tuple[int, int] = (0, 4)  # day index, slot index
        self.span = 2  # slots under the cursor
        self._drag_from: tuple[int, int] | None = None

    # --- content ------------------------------------------------------------------------
    def set_period(
        self, days: list[dt.date], items: list[AgendaItem], first_hour: int, last_hour: int
    ) -> None:
        self.days, self.items = days, items
        self.first_hour, self.last_hour = first_hour, last_hour
        day = min(self.focus_cell[0], len(days) - 1)
        self.focus_cell = (day, min(self.focus_cell[1], self.slots - 1))
        self._describe_focus()
        self.update()

    def _describe_focus(self) -> None:
        """What a screen reader (and the keyboard user) hears of the block under the cursor:
        the tooltip's text, the interpreter included."""
        day, slot = self.focus_cell
        item = self.item_at(day, slot) if self.days else None
        self.setAccessibleDescription(tooltip(item, self.zone) if item is not None else "")

    @property
    def slots(self) -> int:
        return (self.last_hour - self.first_hour) * 2

    def slot_start(self, day: int, slot: int) -> dt.datetime:
        start = dt.datetime.combine(self.days[day], dt.time(self.first_hour), tzinfo=self.zone)
        return start + slot * SLOT

    def sizeHint(self) -> QSize:
        return QSize(HOUR_WIDTH + 140 * len(self.days), HEADER_HEIGHT + ROW_HEIGHT * self.slots)

    def minimumSizeHint(self) -> QSize:
        return QSize(HOUR_WIDTH + 90 * len(self.days), HEADER_HEIGHT + 14 * self.slots)

    # --- geometry -----------------------------------------------------------------------
    def _column_width(self) -> float:
        return (self.width() - HOUR_WIDTH) / max(len(self.days), 1)

    def _row_height(self) -> float:
        return (self.height() - HEADER_HEIGHT) / max(self.slots, 1)

    def _cell(self, point: QPointF) -> tuple[int, int] | None:
        if point.x() < HOUR_WIDTH or point.y() < HEADER_HEIGHT:
            return None
        day = int((point.x() - HOUR_WIDTH) / self._column_width())
        slot = int((point.y() - HEADER_HEIGHT) / self._row_height())
        if 0 <= day < len(self.days) and 0 <= slot < self.slots:
            return day, slot
        return None

    def _rect(self, day: int, start: dt.datetime, end: dt.datetime) -> QRectF:
        origin = dt.datetime.combine(self.days[day], dt.time(self.first_hour), tzinfo=self.zone)
        top = (start - origin) / SLOT
        bottom = (end - origin) / SLOT
        top, bottom = max(top, 0), min(bottom, self.slots)
        x = HOUR_WIDTH + day * self._column_width()
        return QRectF(x + 2, HEADER_HEIGHT + top * self._row_height() + 1, self._column_width() - 4,
                      max((bottom - top) * self._row_height() - 2, 6))  # fmt: skip

    def item_at(self, day: int, slot: int) -> AgendaItem | None:
        start = self.slot_start(day, slot)
        for item in self.items:
            if item.status not in INACTIVE and item.starts_at <= start < item.ends_at:
                return item
        return None

    # --- painting -----------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        from babel.dates import format_date

        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.base())
        width, height = self._column_width(), self._row_height()
        today = dt.datetime.now(self.zone).date()
        grid = QPen(QColor("#d8d8d8"))
        for day, date in enumerate(self.days):
            x = HOUR_WIDTH + day * width
            if date == today:
                painter.fillRect(QRectF(x, 0, width, self.height()), QColor("#fff8e1"))
            painter.setPen(palette.text().color())
            bold = QFont(self.font())
            bold.setBold(date == today)
            painter.setFont(bold)
            label = format_date(date, "EEE d MMM", locale=current_locale())
            painter.drawText(
                QRectF(x, 0, width, HEADER_HEIGHT), Qt.AlignmentFlag.AlignCenter, label
            )
        painter.setFont(self.font())
        for slot in range(self.slots + 1):
            y = HEADER_HEIGHT + slot * height
            painter.setPen(grid if slot % 2 else QPen(QColor("#b0b0b0")))
            painter.drawLine(QPointF(HOUR_WIDTH, y), QPointF(self.width(), y))
            if slot % 2 == 0 and slot < self.slots:
                painter.setPen(palette.text().color())
                painter.drawText(QRectF(0, y, HOUR_WIDTH - 6, height), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                                 format_time(dt.time(self.first_hour + slot // 2)))  # fmt: skip
        painter.setPen(grid)
        for day in range(len(self.days) + 1):
            x = HOUR_WIDTH + day * width
            painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        for item in self.items:
            local = item.starts_at.astimezone(self.zone)
            if local.date() not in self.days:
                continue
            self._paint_item(painter, item, self.days.index(local.date()))
        day, slot = self.focus_cell
        cursor = self._rect(day, self.slot_start(day, slot), self.slot_start(day, slot + self.span))
        painter.setPen(QPen(palette.highlight().color(), 2.5 if self.hasFocus() else 1.2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(cursor)
        painter.end()

    def _paint_item(self, painter: QPainter, item: AgendaItem, day: int) -> None:
        """A block in the channel's colour: the time, the client, the purpose, and whether
        an interpreter is needed (a marker in the corner and a line)."""
        rect = self._rect(
            day, item.starts_at.astimezone(self.zone), item.ends_at.astimezone(self.zone)
        )
        colour = QColor(CHANNEL_COLOURS[item.channel])
        inactive = item.status in INACTIVE
        if inactive:
            colour.setAlpha(70)
        painter.setPen(
            QPen(QColor("#b00020"), 2)
            if item.status == AppointmentStatus.NO_SHOW
            else Qt.PenStyle.NoPen
        )
        painter.setBrush(colour)
        painter.drawRoundedRect(rect, 4, 4)
        painter.setPen(QColor("white") if not inactive else self.palette().text().color())
        font = QFont(self.font())
        font.setStrikeOut(inactive)
        font.setPointSizeF(font.pointSizeF() * 0.92)
        painter.setFont(font)
        time = format_time(item.starts_at.astimezone(self.zone).time())
        text = f"{time} {item.client_name}\n{item.purpose.label}"
        badge = 0.0
        if item.interpreter is not None:
            text += "\n" + interpreter_note(item.interpreter.language)
            badge = self._paint_interpreter_badge(painter, rect)
        painter.setPen(QColor("white") if not inactive else self.palette().text().color())
        painter.drawText(
            rect.adjusted(4, 2, -3 - badge, -2),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
            text,
        )
        painter.setFont(self.font())

    @staticmethod
    def _paint_interpreter_badge(painter: QPainter, rect: QRectF) -> float:
        """The interpreter marker in the block's corner: two speech bubbles on amber, seen
        before the text is read; returns the width it takes."""
        size = min(16.0, rect.height() - 4, rect.width() / 3)
        if size < 8:
            return 0.0
        badge = QRectF(rect.right() - size - 3, rect.top() + 3, size, size)
        painter.save()
        painter.setPen(QPen(QColor("#5d4037"), 1))
        painter.setBrush(INTERPRETER_COLOUR)
        painter.drawEllipse(badge)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#5d4037"))
        unit = size / 10
        painter.drawRoundedRect(QRectF(badge.left() + 2 * unit, badge.top() + 2.2 * unit,
                                       4 * unit, 3 * unit), unit, unit)  # fmt: skip
        painter.drawRoundedRect(QRectF(badge.left() + 4.2 * unit, badge.top() + 4.8 * unit,
                                       4 * unit, 3 * unit), unit, unit)  # fmt: skip
        painter.restore()
        return size + 3

    # --- tooltips -----------------------------------------------------------------------
    def item_under(self, point: QPointF) -> AgendaItem | None:
        """The appointment drawn at `point`, cancelled or moved ones included."""
        for item in reversed(self.items):
            local = item.starts_at.astimezone(self.zone)
            if local.date() not in self.days:
                continue
            day = self.days.index(local.date())
            if self._rect(day, local, item.ends_at.astimezone(self.zone)).contains(point):
                return item
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            item = self.item_under(QPointF(event.pos()))
            if item is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), tooltip(item, self.zone), self)
            return True
        return super().event(event)

    # --- keyboard and mouse ---------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, shift = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        day, slot = self.focus_cell
        if key == Qt.Key.Key_Left:
            day = max(day - 1, 0)
        elif key == Qt.Key.Key_Right:
            day = min(day + 1, len(self.days) - 1)
        elif key == Qt.Key.Key_Up and shift:
            self.span = max(self.span - 1, 1)
        elif key == Qt.Key.Key_Down and shift:
            self.span = min(self.span + 1, self.slots - slot)
        elif key == Qt.Key.Key_Up:
            slot = max(slot - 1, 0)
        elif key == Qt.Key.Key_Down:
            slot = min(slot + 1, self.slots - self.span)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activate()
            return
        elif key == Qt.Key.Key_PageUp:
            self.period_requested.emit(-1)
            return
        elif key == Qt.Key.Key_PageDown:
            self.period_requested.emit(1)
            return
        elif key == Qt.Key.Key_Home:
            self.period_requested.emit(0)
            return
        else:
            super().keyPressEvent(event)
            return
        self.focus_cell = (day, slot)
        self._describe_focus()
        self.update()

    def activate(self) -> None:
        day, slot = self.focus_cell
        item = self.item_at(day, slot)
        if item is not None:
            self.open_requested.emit(item.id)
        else:
            self.create_requested.emit(self.slot_start(day, slot), self.span * 30)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        cell = self._cell(event.position())
        if cell is None:
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.focus_cell, self.span = cell, 1
        self._drag_from = cell if self.item_at(*cell) is None else None
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self._cell(event.position())
        if self._drag_from is None or cell is None or cell[0] != self._drag_from[0]:
            return
        first, last = sorted((self._drag_from[1], cell[1]))
        self.focus_cell, self.span = (cell[0], first), last - first + 1
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        dragged = self._drag_from is not None and self.span > 1
        self._drag_from = None
        if dragged:
            self.activate()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        cell = self._cell(event.position())
        if cell is not None:
            self.focus_cell = cell
            self.activate()
