"""The caseload filters beside the table: whose clients, overdue action points, which status,
e-mail, contract, province, and who referred the client."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QVBoxLayout, QWidget

from app.i18n import _
from app.models.enums import ClientStatus, Province, ReferredBy
from app.services.caseload.listing import CaseloadFilter


class FilterPanel(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mine = QCheckBox()
        self.backup_for_me = QCheckBox()
        self.no_email = QCheckBox()
        self.zero_hours = QCheckBox()
        self.overdue_actions = QCheckBox()
        self.status = QComboBox()
        self.province = QComboBox()
        self.referred_by = QComboBox()
        self.status_label = QLabel()
        self.province_label = QLabel()
        self.referred_by_label = QLabel()
        self.status_label.setBuddy(self.status)
        self.province_label.setBuddy(self.province)
        self.referred_by_label.setBuddy(self.referred_by)
        # long names ("Public employment service (VDAB, Actiris, Forem, UWV)") must not widen
        # the filters: the box elides, its open list shows them whole
        self.referred_by.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.referred_by.setMinimumContentsLength(14)
        self.heading = QLabel()
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        for box in (self.mine, self.backup_for_me, self.overdue_actions, self.no_email,
                    self.zero_hours):  # fmt: skip
            box.toggled.connect(self.changed)
            layout.addWidget(box)
        layout.addSpacing(8)
        for label, combo in (
            (self.status_label, self.status),
            (self.province_label, self.province),
            (self.referred_by_label, self.referred_by),
        ):
            combo.currentIndexChanged.connect(self.changed)
            layout.addWidget(label)
            layout.addWidget(combo)
        layout.addStretch(1)
        self.mine.setObjectName("filter_mine")
        self.backup_for_me.setObjectName("filter_backup")
        self.no_email.setObjectName("filter_no_email")
        self.zero_hours.setObjectName("filter_zero_hours")
        self.status.setObjectName("filter_status")
        self.province.setObjectName("filter_province")
        self.overdue_actions.setObjectName("filter_overdue_actions")
        self.referred_by.setObjectName("filter_referred_by")
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Filters"))
        self.mine.setText(_("&My clients (referent)"))
        self.backup_for_me.setText(_("&Backup for me"))
        self.no_email.setText(_("Without &e-mail address"))
        self.zero_hours.setText(_("&Zero-hours contract"))
        self.overdue_actions.setText(_("O&verdue action points"))
        self.overdue_actions.setToolTip(
            _("Clients with an open action point whose due date has passed")
        )
        self.status_label.setText(_("&Status:"))
        self.province_label.setText(_("&Province:"))
        self._refill(self.status, [("", _("All statuses"))] + [(s.value, s.label) for s in ClientStatus],
                     default=ClientStatus.ACTIVE.value)  # fmt: skip
        provinces = sorted(((p.value, p.label) for p in Province), key=lambda item: item[1])
        self._refill(self.province, [("", _("All provinces")), *provinces], default="")
        self.referred_by_label.setText(_("Referred &by:"))
        self._refill(self.referred_by, [("", _("Anyone")), *((r.value, r.label) for r in ReferredBy)],
                     default="")  # fmt: skip
        view = self.referred_by.view()
        view.setMinimumWidth(
            view.sizeHintForColumn(0) + view.verticalScrollBar().sizeHint().width()
        )

    @staticmethod
    def _refill(combo: QComboBox, items: list[tuple[str, str]], default: str) -> None:
        current = combo.currentData() if combo.count() else default
        combo.blockSignals(True)
        combo.clear()
        for value, label in items:
            combo.addItem(label, value)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def caseload_filter(self, search: str, counsellor_id: int | None) -> CaseloadFilter:
        status = self.status.currentData()
        province = self.province.currentData()
        referred_by = self.referred_by.currentData()
        return CaseloadFilter(
            search=search,
            counsellor_id=counsellor_id,
            mine=self.mine.isChecked(),
            backup_for_me=self.backup_for_me.isChecked(),
            statuses=frozenset({ClientStatus(status)}) if status else frozenset(),
            no_email=self.no_email.isChecked(),
            zero_hours=self.zero_hours.isChecked(),
            province=Province(province) if province else None,
            referred_by=ReferredBy(referred_by) if referred_by else None,
            overdue_actions=self.overdue_actions.isChecked(),
        )

    def state(self) -> dict[str, object]:
        return {"mine": self.mine.isChecked(), "backup": self.backup_for_me.isChecked(),
                "no_email": self.no_email.isChecked(), "zero_hours": self.zero_hours.isChecked(),
                "status": self.status.currentData() or "", "province": self.province.currentData() or "",
                "overdue_actions": self.overdue_actions.isChecked(),
                "referred_by": self.referred_by.currentData() or ""}  # fmt: skip

    def restore(self, state: dict[str, object]) -> None:
        self.blockSignals(True)
        self.mine.setChecked(state.get("mine") in (True, "true"))
        self.backup_for_me.setChecked(state.get("backup") in (True, "true"))
        self.no_email.setChecked(state.get("no_email") in (True, "true"))
        self.zero_hours.setChecked(state.get("zero_hours") in (True, "true"))
        if "status" in state:
            self.status.setCurrentIndex(max(0, self.status.findData(state["status"])))
        if "province" in state:
            self.province.setCurrentIndex(max(0, self.province.findData(state["province"])))
        self.overdue_actions.setChecked(state.get("overdue_actions") in (True, "true"))
        if "referred_by" in state:
            self.referred_by.setCurrentIndex(
                max(0, self.referred_by.findData(state["referred_by"]))
            )
        self.blockSignals(False)
