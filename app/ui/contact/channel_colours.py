"""The colour of each appointment channel, the same in the agenda and in today's list."""

from __future__ import annotations

from PySide6.QtGui import QColor

from app.models.agenda_enums import AppointmentChannel

CHANNEL_COLOURS = {
    AppointmentChannel.IN_PERSON: QColor("#2f6db5"),
    AppointmentChannel.PHONE: QColor("#2e8b57"),
    AppointmentChannel.VIDEO: QColor("#7a4fb0"),
    AppointmentChannel.HOME_VISIT: QColor("#c2621a"),
}
