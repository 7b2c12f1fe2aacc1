"""The contact policy part of the organisation settings: which channels counsellors may use,
the escalation rule, office hours and days, the contact points (one per line, "name | address",
address lines separated by ";") and whether exported calendars may name clients."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _
from app.services.contact import contact_policy as cp
from app.ui.fields import error_label
from app.ui.labels import colon


class PolicySettings(QGroupBox):
    def __init__(self, sessions: SessionFactory, parent: QWidget | None = None) -> None:
        super().__init__(_("Contact policy"), parent)
        self.setObjectName("contact_policy")
        with sessions() as session:
            policy = cp.load(session)
        self.channels: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        for n, channel in enumerate(cp.POLICY_CHANNELS):
            box = QCheckBox(channel.label)
            box.setChecked(policy.allows(channel))
            self.channels[channel.value] = box
            grid.addWidget(box, n // 2, n % 2)
        self.numbers: dict[str, QSpinBox] = {}
        form = QFormLayout(self)
        form.addRow(QLabel(colon(_(cp.SPECS[cp.ALLOWED_CHANNELS].label))))
        form.addRow(grid)
        for key, value, high in ((cp.ESCALATION_ATTEMPTS, policy.escalation_attempts, 20),
                                 (cp.ESCALATION_CHANNELS, policy.escalation_channels, 5),
                                 (cp.ESCALATION_DAYS, policy.escalation_days, 90),
                                 (cp.NOT_REACHED_DAYS, policy.not_reached_days, 365)):  # fmt: skip
            spin = QSpinBox(minimum=1, maximum=high, value=value)
            spin.setAccessibleName(_(cp.SPECS[key].label))
            self.numbers[key] = spin
            form.addRow(colon(_(cp.SPECS[key].label)), spin)
        self.hours = QLineEdit(f"{policy.office_start:%H:%M}-{policy.office_end:%H:%M}")
        self.days = QLineEdit(",".join(str(d) for d in sorted(policy.office_days)))
        self.days.setToolTip(_("Monday 1 to Sunday 7"))
        self.points = QPlainTextEdit("\n".join(f"{p.name} | {p.address.replace(chr(10), '; ')}"
                                               for p in policy.contact_points))  # fmt: skip
        self.points.setPlaceholderText(_("Contactpunt Gent | Kortrijksesteenweg 1; 9000 Gent"))
        self.points.setMaximumHeight(90)
        self.names = QCheckBox(_(cp.SPECS[cp.CALENDAR_CLIENT_NAMES].label))
        self.names.setChecked(policy.calendar_client_names)
        for key, widget in ((cp.OFFICE_HOURS, self.hours), (cp.OFFICE_DAYS, self.days),
                            (cp.CONTACT_POINTS, self.points)):  # fmt: skip
            widget.setAccessibleName(_(cp.SPECS[key].label))
            form.addRow(colon(_(cp.SPECS[key].label)), widget)
        form.addRow(self.names)
        self.error = error_label()
        form.addRow(self.error)

    def changes(self) -> dict[str, Any]:
        points = []
        for line in self.points.toPlainText().splitlines():
            if line.strip():
                name, _bar, address = line.partition("|")
                points.append({"name": name.strip(),
                               "address": "\n".join(p.strip() for p in address.split(";") if p.strip())})  # fmt: skip
        return {
            cp.ALLOWED_CHANNELS: [key for key, box in self.channels.items() if box.isChecked()],
            **{key: spin.value() for key, spin in self.numbers.items()},
            cp.OFFICE_HOURS: self.hours.text(),
            cp.OFFICE_DAYS: self.days.text(),
            cp.CONTACT_POINTS: json.dumps(points, ensure_ascii=False),
            cp.CALENDAR_CLIENT_NAMES: self.names.isChecked(),
        }

    def show_errors(self, errors: dict[str, str]) -> None:
        text = " ".join(message for key, message in errors.items() if key in cp.SPECS)
        self.error.setText(text)
        self.error.setVisible(bool(text))
