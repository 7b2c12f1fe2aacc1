"""How one appointment looks in the agenda: a block in its channel's colour with the time, the
client and the purpose (each line elided to the block's width: the tooltip and the accessible
text say it all), an interpreter marker, and — for a colleague's appointment shown to their
backup — a hatching and the colleague's name."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen

from app.i18n import _, format_time
from app.language_names import interpreter_note
from app.models.enums import AppointmentStatus
from app.services.contact.appointments import AgendaItem
from app.ui.contact.channel_colours import CHANNEL_COLOURS

INACTIVE = (
    AppointmentStatus.CANCELLED_BY_CLIENT,
    AppointmentStatus.CANCELLED_BY_US,
    AppointmentStatus.MOVED,
)
INTERPRETER_COLOUR = QColor("#ffd54f")


def covering_note(item: AgendaItem) -> str:
    """Whose appointment a backup sees: "for Anna Peeters"."""
    return _("for {colleague}").format(colleague=item.covering_for) if item.covering_for else ""


def tooltip(item: AgendaItem, zone: ZoneInfo) -> str:
    """What an appointment block says in full when the pointer rests on it."""
    start, end = item.starts_at.astimezone(zone), item.ends_at.astimezone(zone)
    how = item.channel.label
    if item.video_platform is not None:
        how += f" ({item.video_platform.label})"
    lines = [
        f"{format_time(start.time())}–{format_time(end.time())}",
        f"{item.client_name} — {item.dossier}",
        f"{item.purpose.label} · {how}" + (f" · {item.location}" if item.location else ""),
        item.status.label,
    ]
    if item.covering_for:
        lines.append(_("Appointment of {colleague}, whose client you cover").format(
            colleague=item.covering_for))  # fmt: skip
    if item.interpreter is not None:
        lines.append("⚠ " + interpreter_note(item.interpreter.language))
    return "\n".join(lines)


def paint_block(
    painter: QPainter, item: AgendaItem, rect: QRectF, zone: ZoneInfo, *, base_font: QFont,
    text_colour: QColor, focused: bool, highlight: QColor, right_to_left: bool,
) -> None:  # fmt: skip
    """A block in the channel's colour: the time, the client, the purpose, whom a backup
    covers it for, and whether an interpreter is needed (a marker in the corner and a line)."""
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
    if item.covering_for:  # a colleague's: hatched, so it is not taken for one's own
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(QColor(255, 255, 255, 110), Qt.BrushStyle.BDiagPattern))
        painter.drawRoundedRect(rect, 4, 4)
    if focused:
        painter.setPen(QPen(highlight, 2.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), 4, 4)
    font = QFont(base_font)
    font.setStrikeOut(inactive)
    font.setPointSizeF(font.pointSizeF() * 0.92)
    painter.setFont(font)
    metrics = QFontMetricsF(font)
    time = format_time(item.starts_at.astimezone(zone).time())
    first = f"{time} {item.client_name}"
    # a narrow block (side by side with others) puts the name first, where it is read
    narrow = metrics.horizontalAdvance(first) > rect.width() - 6
    lines = [item.client_name, time] if narrow else [first]
    if item.covering_for:  # before the purpose: whose appointment it is matters more
        lines.append(covering_note(item))
    lines.append(item.purpose.label)
    badge = 0.0
    if item.interpreter is not None:
        lines.append(interpreter_note(item.interpreter.language))
        badge = _paint_interpreter_badge(painter, rect, right_to_left)
    painter.setPen(QColor("white") if not inactive else text_colour)
    area = rect.adjusted(3 + (badge if right_to_left else 0), 2,
                         -3 - (0 if right_to_left else badge), -2)  # fmt: skip
    align = Qt.AlignmentFlag.AlignLeft  # the painter mirrors it to the right when RTL
    y = area.top()
    for line in lines:
        if y + metrics.height() > area.bottom() + 1 and y > area.top():
            break  # no room for another whole line; the first one always shows
        shown = metrics.elidedText(line, Qt.TextElideMode.ElideRight, max(area.width(), 0))
        painter.drawText(QRectF(area.left(), y, area.width(), metrics.height()),
                         align | Qt.AlignmentFlag.AlignTop, shown)  # fmt: skip
        y += metrics.height()
    painter.setFont(base_font)


def _paint_interpreter_badge(painter: QPainter, rect: QRectF, right_to_left: bool) -> float:
    """The interpreter marker in the block's top corner at the end of the line: two speech
    bubbles on amber, seen before the text is read; returns the width it takes."""
    size = min(16.0, rect.height() - 4, rect.width() / 3)
    if size < 8:
        return 0.0
    left = rect.left() + 3 if right_to_left else rect.right() - size - 3
    badge = QRectF(left, rect.top() + 3, size, size)
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
