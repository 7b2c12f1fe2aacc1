"""The agenda's time grid: a column per day, half-hour rows through office hours, appointments
as blocks coloured by channel; blocks that overlap stand side by side (`agenda_layout`), so
none hides another. Right to left (Arabic) the days run from the right and the hours stand at
the right. Keyboard: arrows move the cursor slot (Left/Right first through the blocks side by
side, then to the next day), Shift+Up/Down stretch it, Enter plans an appointment there (or
opens the one under the cursor), the menu key offers the block's actions, Page Up/Down change
the period, Home goes to today. Mouse: drag over free time to plan, double-click to open,
right-click a block for its actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QMenu, QSizePolicy, QToolTip, QWidget

from app.i18n import _, current_locale, format_time
from app.services.clock import DEFAULT_TIME_ZONE, local_today
from app.services.contact.appointments import AgendaItem
from app.ui.contact.agenda_blocks import INACTIVE, INTERPRETER_COLOUR, paint_block, tooltip
from app.ui.contact.agenda_layout import Slot, columns

__all__ = ["INTERPRETER_COLOUR", "AgendaGrid", "Block", "tooltip"]

SLOT = dt.timedelta(minutes=30)
HEADER_HEIGHT = 34
MIN_GUTTER = 44
ROW_HEIGHT = 24


@dataclass(frozen=True)
class Block:
    """An appointment as drawn: its day's index and its place among the blocks it overlaps."""

    item: AgendaItem
    day: int
    place: Slot


class AgendaGrid(QWidget):
    create_requested = Signal(object, int)  # start (aware), minutes
    open_requested = Signal(int)  # appointment id
    card_requested = Signal(int)  # appointment id: print its card
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
        self.blocks: list[Block] = []
        self.focus_cell: tuple[int, int] = (0, 4)  # day index, slot index
        self.focus_column = 0  # which of the blocks side by side under the cursor
        self.span = 2  # slots under the cursor
        self._drag_from: tuple[int, int] | None = None
        self._gutter: tuple[tuple[str, str, int, int], float] | None = (
            None  # measured for these labels
        )

    # --- content ------------------------------------------------------------------------
    def set_period(
        self, days: list[dt.date], items: list[AgendaItem], first_hour: int, last_hour: int
    ) -> None:
        self.days, self.items = days, items
        self.first_hour, self.last_hour = first_hour, last_hour
        self.blocks = self._lay_out()
        day = min(self.focus_cell[0], len(days) - 1)
        self.focus_cell = (day, min(self.focus_cell[1], self.slots - 1))
        self._describe_focus()
        self.update()

    def _lay_out(self) -> list[Block]:
        """The blocks of each day shown, each with its column among those it overlaps."""
        blocks: list[Block] = []
        for day, date in enumerate(self.days):
            todays = [i for i in self.items if i.starts_at.astimezone(self.zone).date() == date]
            places = columns([(i.starts_at, i.ends_at) for i in todays])
            blocks += [Block(item, day, place) for item, place in zip(todays, places, strict=True)]
        return blocks

    def _describe_focus(self) -> None:
        """What a screen reader (and the keyboard user) hears of the block under the cursor:
        the tooltip's text, the interpreter and whose appointment it is included."""
        item = self.focused_item()
        self.setAccessibleDescription(tooltip(item, self.zone) if item is not None else "")

    @property
    def slots(self) -> int:
        return (self.last_hour - self.first_hour) * 2

    def slot_start(self, day: int, slot: int) -> dt.datetime:
        start = dt.datetime.combine(self.days[day], dt.time(self.first_hour), tzinfo=self.zone)
        return start + slot * SLOT

    def sizeHint(self) -> QSize:
        return QSize(
            int(self.gutter()) + 140 * len(self.days), HEADER_HEIGHT + ROW_HEIGHT * self.slots
        )

    def minimumSizeHint(self) -> QSize:
        return QSize(int(self.gutter()) + 90 * len(self.days), HEADER_HEIGHT + 14 * self.slots)

    # --- geometry (logical day order; mirrored on screen right to left) --------------------
    def gutter(self) -> float:
        """The hours' column: as wide as the widest hour label in this language, and some."""
        key = (self.font().toString(), str(current_locale()), self.first_hour, self.last_hour)
        if self._gutter is None or self._gutter[0] != key:
            metrics = QFontMetricsF(self.font())
            hours = range(self.first_hour, max(self.last_hour, self.first_hour + 1))
            widest = max(metrics.horizontalAdvance(format_time(dt.time(h))) for h in hours)
            self._gutter = (key, max(float(MIN_GUTTER), widest + 12))
        return self._gutter[1]

    def _column_width(self) -> float:
        return (self.width() - self.gutter()) / max(len(self.days), 1)

    def _row_height(self) -> float:
        return (self.height() - HEADER_HEIGHT) / max(self.slots, 1)

    def day_left(self, day: int) -> float:
        """Where day `day` (in date order) starts on screen: from the right when right to left."""
        if self.isRightToLeft():
            return self.width() - self.gutter() - (day + 1) * self._column_width()
        return self.gutter() + day * self._column_width()

    def _cell(self, point: QPointF) -> tuple[int, int] | None:
        if point.y() < HEADER_HEIGHT:
            return None
        width = self._column_width()
        x = (
            self.width() - self.gutter() - point.x()
            if self.isRightToLeft()
            else point.x() - self.gutter()
        )
        if x < 0:
            return None
        day, slot = int(x / width), int((point.y() - HEADER_HEIGHT) / self._row_height())
        return (day, slot) if 0 <= day < len(self.days) and 0 <= slot < self.slots else None

    def _rect(
        self, day: int, start: dt.datetime, end: dt.datetime, place: Slot | None = None
    ) -> QRectF:
        origin = dt.datetime.combine(self.days[day], dt.time(self.first_hour), tzinfo=self.zone)
        top, bottom = max((start - origin) / SLOT, 0), min((end - origin) / SLOT, self.slots)
        width = self._column_width()
        left = self.day_left(day)
        if place is not None and place.columns > 1:  # its share of the day, mirrored when RTL
            width /= place.columns
            column = place.columns - 1 - place.column if self.isRightToLeft() else place.column
            left += column * width
        return QRectF(left + 2, HEADER_HEIGHT + top * self._row_height() + 1, width - 4,
                      max((bottom - top) * self._row_height() - 2, 6))  # fmt: skip

    def block_rect(self, block: Block) -> QRectF:
        item = block.item
        return self._rect(block.day, item.starts_at.astimezone(self.zone),
                          item.ends_at.astimezone(self.zone), block.place)  # fmt: skip

    def blocks_at(self, day: int, slot: int) -> list[Block]:
        """The live blocks under a slot's start, left to right in column order."""
        start = self.slot_start(day, slot)
        found = [b for b in self.blocks if b.day == day and b.item.status not in INACTIVE
                 and b.item.starts_at <= start < b.item.ends_at]  # fmt: skip
        return sorted(found, key=lambda b: b.place.column)

    def focused_block(self) -> Block | None:
        if not self.days:
            return None
        here = self.blocks_at(*self.focus_cell)
        same = [b for b in here if b.place.column == self.focus_column]
        return (same or here)[0] if here else None

    def focused_item(self) -> AgendaItem | None:
        block = self.focused_block()
        return block.item if block is not None else None

    def item_at(self, day: int, slot: int) -> AgendaItem | None:
        here = self.blocks_at(day, slot)
        return here[0].item if here else None

    # --- painting -----------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        from babel.dates import format_date

        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.base())
        width, height, gutter = self._column_width(), self._row_height(), self.gutter()
        rtl = self.isRightToLeft()
        today = dt.datetime.now(self.zone).date()
        grid = QPen(QColor("#d8d8d8"))
        metrics = QFontMetricsF(self.font())
        for day, date in enumerate(self.days):
            x = self.day_left(day)
            if date == today:
                painter.fillRect(QRectF(x, 0, width, self.height()), QColor("#fff8e1"))
            painter.setPen(palette.text().color())
            bold = QFont(self.font())
            bold.setBold(date == today)
            painter.setFont(bold)
            label = format_date(date, "EEE d MMM", locale=current_locale())
            label = QFontMetricsF(bold).elidedText(label, Qt.TextElideMode.ElideRight, width - 4)
            painter.drawText(
                QRectF(x, 0, width, HEADER_HEIGHT), Qt.AlignmentFlag.AlignCenter, label
            )
        painter.setFont(self.font())
        hours_x = self.width() - gutter if rtl else 0.0
        lines_from, lines_to = (
            (0.0, self.width() - gutter) if rtl else (gutter, float(self.width()))
        )
        for slot in range(self.slots + 1):
            y = HEADER_HEIGHT + slot * height
            painter.setPen(grid if slot % 2 else QPen(QColor("#b0b0b0")))
            painter.drawLine(QPointF(lines_from, y), QPointF(lines_to, y))
            if slot % 2 == 0 and slot < self.slots:
                painter.setPen(palette.text().color())
                # next to the grid: the painter mirrors AlignRight to the left when RTL
                align = Qt.AlignmentFlag.AlignRight
                painter.drawText(QRectF(hours_x + 6, y, gutter - 12, max(height * 2, metrics.height())),
                                 align | Qt.AlignmentFlag.AlignTop, format_time(dt.time(self.first_hour + slot // 2)))  # fmt: skip
        painter.setPen(grid)
        for day in range(len(self.days) + 1):  # the lines between days, and at both ends
            x = self.width() - gutter - day * width if rtl else gutter + day * width
            painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        focused = self.focused_block() if self.hasFocus() else None
        for block in self.blocks:
            paint_block(painter, block.item, self.block_rect(block), self.zone, base_font=self.font(),
                        text_colour=palette.text().color(), focused=block is focused,
                        highlight=palette.highlight().color(), right_to_left=rtl)  # fmt: skip
        day, slot = self.focus_cell
        cursor = self._rect(day, self.slot_start(day, slot), self.slot_start(day, slot + self.span))
        painter.setPen(QPen(palette.highlight().color(), 2.5 if self.hasFocus() else 1.2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(cursor)
        painter.end()

    # --- tooltips and the block's menu --------------------------------------------------------
    def block_under(self, point: QPointF) -> Block | None:
        """The block drawn at `point`, cancelled or moved ones included."""
        return next((b for b in reversed(self.blocks) if self.block_rect(b).contains(point)), None)

    def item_under(self, point: QPointF) -> AgendaItem | None:
        block = self.block_under(point)
        return block.item if block is not None else None

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

    def block_menu(self, block: Block) -> QMenu:
        """Open the appointment, or print its card."""
        menu = QMenu(self)
        menu.setObjectName("agenda_block_menu")
        appointment_id = block.item.id
        menu.addAction(_("&Open…"), lambda: self.open_requested.emit(appointment_id))
        menu.addAction(
            _("Print appointment &card…"), lambda: self.card_requested.emit(appointment_id)
        )
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            block = self.block_under(QPointF(event.pos()))
            if block is not None:
                self._focus_block(block)
            at = event.globalPos()
        else:  # the menu key or Shift+F10: the block under the cursor
            block = self.focused_block()
            at = self.mapToGlobal(self.block_rect(block).center().toPoint()) if block else QPoint()
        if block is not None:
            self.block_menu(block).exec(at)

    def _focus_block(self, block: Block) -> None:
        origin = dt.datetime.combine(
            self.days[block.day], dt.time(self.first_hour), tzinfo=self.zone
        )
        slot = int(max((block.item.starts_at.astimezone(self.zone) - origin) / SLOT, 0))
        self.focus_cell, self.focus_column, self.span = (
            (block.day, min(slot, self.slots - 1)),
            block.place.column,
            1,
        )
        self._describe_focus()
        self.update()

    # --- keyboard and mouse ---------------------------------------------------------------
    def _step(self, forward: bool) -> tuple[int, int]:
        """Left/Right as the eye reads them: through the blocks side by side, then a day on."""
        day, slot = self.focus_cell
        here = [b.place.column for b in self.blocks_at(day, slot)]
        current = self.focused_block()
        column = current.place.column if current is not None else None
        if column is not None:
            beyond = [c for c in here if (c > column if forward else c < column)]
            if beyond:
                self.focus_column = min(beyond) if forward else max(beyond)
                return day, slot
        day = min(day + 1, len(self.days) - 1) if forward else max(day - 1, 0)
        there = [b.place.column for b in self.blocks_at(day, slot)]
        self.focus_column = (min(there) if forward else max(there)) if there else 0
        return day, slot

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, shift = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        day, slot = self.focus_cell
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            day, slot = self._step((key == Qt.Key.Key_Right) != self.isRightToLeft())
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
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Home):
            self.period_requested.emit(
                -1 if key == Qt.Key.Key_PageUp else int(key == Qt.Key.Key_PageDown)
            )
            return
        else:
            super().keyPressEvent(event)
            return
        self.focus_cell = (day, slot)
        self._describe_focus()
        self.update()

    def activate(self) -> None:
        item = self.focused_item()
        if item is not None:
            self.open_requested.emit(item.id)
        else:
            day, slot = self.focus_cell
            self.create_requested.emit(self.slot_start(day, slot), self.span * 30)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        cell = self._cell(event.position())
        if cell is None:
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.focus_cell, self.span = cell, 1
        block = self.block_under(event.position())
        if block is not None and block.item.status not in INACTIVE:
            self.focus_column = block.place.column
        self._drag_from = cell if self.item_at(*cell) is None else None
        self._describe_focus()
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
        block = self.block_under(event.position())
        if block is not None and block.item.status not in INACTIVE:
            self._focus_block(block)
            self.activate()
            return
        cell = self._cell(event.position())
        if cell is not None:
            self.focus_cell = cell
            self.activate()
