"""The dispatch rules page of the organisation settings: which office serves which postal codes
and municipalities, each counsellor's specialisms, languages and own maximum, the maximum open
caseload, the order in which the criteria weigh, and whether a client stays in their office.
The page reads and writes `dispatch_rules`; `org_settings.update` checks what it gives."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _
from app.language_names import display_name
from app.services.team import dispatch_rules as dr
from app.ui.fields import error_label
from app.ui.labels import colon

ROLE = Qt.ItemDataRole.UserRole
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter
Mode = QHeaderView.ResizeMode


class LeftToRight(QStyledItemDelegate):
    """Postal codes as typed: "2000, 20*" stays in that order in a right-to-left interface
    (the bidi algorithm would show "*20 ,2000"), when shown and while edited."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.direction = Qt.LayoutDirection.LeftToRight
        option.displayAlignment = LEFT

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:  # fmt: skip
        editor = super().createEditor(parent, option, index)
        editor.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        if isinstance(editor, QLineEdit):
            editor.setAlignment(LEFT)
        return editor


class DispatchRulesPage(QWidget):
    def __init__(self, sessions: SessionFactory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dispatch_rules")
        with sessions() as session:
            rules, problem = dr.load_checked(session)
            people = dr.counsellor_logins(session)
        about = QLabel(_("New dossiers without a referent go to a counsellor of the client's "
                         "preferred office, else of the office that serves their postal code or "
                         "municipality; then the criteria below weigh in their order."))  # fmt: skip
        about.setWordWrap(True)
        self.offices = QTableWidget(0, 2)
        self.offices.setObjectName("dispatch_offices")
        self.offices.setAccessibleName(_("Offices"))
        self.offices.setHorizontalHeaderLabels([_("Office"), _("Postal codes and municipalities")])
        self.offices.horizontalHeader().setSectionResizeMode(0, Mode.ResizeToContents)
        self.offices.horizontalHeader().setSectionResizeMode(1, Mode.Stretch)
        self.offices.verticalHeader().hide()
        self.offices.setWordWrap(False)
        self.areas_delegate = LeftToRight(self.offices)
        self.offices.setItemDelegateForColumn(1, self.areas_delegate)
        for office, areas in rules.offices.items():
            self._add_office(office, ", ".join(areas))
        add = QPushButton(_("&Add an office"))
        add.clicked.connect(lambda: self._add_office("", "", edit=True))
        remove = QPushButton(_("&Remove the office"))
        remove.clicked.connect(lambda: self.offices.removeRow(self.offices.currentRow()))
        self.people = QTableWidget(len(people), 4)
        self.people.setObjectName("dispatch_counsellors")
        self.people.setAccessibleName(_("Counsellors"))
        self.people.setHorizontalHeaderLabels([_("Counsellor"), _("Specialisms (keywords)"),
                                               _("Languages"), _("Own maximum")])  # fmt: skip
        self.people.verticalHeader().hide()
        self.people.setWordWrap(False)
        self.own_maximum: dict[str, QSpinBox] = {}
        for row, (login, name) in enumerate(people):
            who = QTableWidgetItem(name)
            who.setData(ROLE, login)
            who.setFlags(who.flags() & ~Qt.ItemFlag.ItemIsEditable)
            who.setToolTip(login)
            self.people.setItem(row, 0, who)
            self.people.setItem(
                row, 1, QTableWidgetItem(", ".join(rules.specialisms.get(login, ())))
            )
            spoken = ", ".join(display_name(c) for c in rules.languages.get(login, ()))
            self.people.setItem(row, 2, QTableWidgetItem(spoken))
            spin = QSpinBox(minimum=0, maximum=dr.MAXIMUM_RANGE[-1])
            spin.setSpecialValueText(_("as everyone"))
            spin.setValue(rules.maximum_by_login.get(login, 0))
            spin.setAccessibleName(_("Own maximum of {name}").format(name=name))
            self.own_maximum[login] = spin
            self.people.setCellWidget(row, 3, spin)
        header = self.people.horizontalHeader()
        for column, mode in enumerate(
            (Mode.ResizeToContents, Mode.Stretch, Mode.Stretch, Mode.Fixed)
        ):
            header.setSectionResizeMode(column, mode)
        # the spin boxes are cell widgets, which the header does not measure: their own width
        spin_width = max((s.sizeHint().width() for s in self.own_maximum.values()), default=0)
        header.resizeSection(3, max(spin_width, header.sectionSizeHint(3)))
        self.maximum = QSpinBox(minimum=dr.MAXIMUM_RANGE[0], maximum=dr.MAXIMUM_RANGE[-1],
                                value=rules.maximum)  # fmt: skip
        self.maximum.setAccessibleName(_("Maximum open caseload per counsellor"))
        self.order = QListWidget()
        self.order.setObjectName("dispatch_order")
        self.order.setAccessibleName(_("Order in which the criteria weigh"))
        self.order.setMaximumHeight(96)
        for criterion in rules.order:
            item = QListWidgetItem(dr.criterion_label(criterion))
            item.setData(ROLE, criterion)
            self.order.addItem(item)
        self.order.setCurrentRow(0)
        up, down = QPushButton(_("Move &up")), QPushButton(_("Move &down"))
        up.clicked.connect(lambda: self._move(-1))
        down.clicked.connect(lambda: self._move(1))
        self.office_only = QCheckBox(_("A client whose office is known stays in that office"))
        self.office_only.setChecked(rules.office_only)
        self.error = error_label()
        office_buttons = QHBoxLayout()
        office_buttons.addWidget(add)
        office_buttons.addWidget(remove)
        office_buttons.addStretch()
        order_buttons = QVBoxLayout()
        order_buttons.addWidget(up)
        order_buttons.addWidget(down)
        order_buttons.addStretch()
        order_row = QHBoxLayout()
        order_row.addWidget(self.order, 1)
        order_row.addLayout(order_buttons)
        form = QFormLayout()
        form.addRow(colon(_("Maximum open caseload per counsellor")), self.maximum)
        form.addRow(colon(_("Order in which the criteria weigh")), order_row)
        form.addRow(self.office_only)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        offices_label = QLabel(colon(_("Offices and the places they serve")))
        offices_label.setBuddy(self.offices)
        layout.addWidget(offices_label)
        layout.addWidget(self.offices, 1)
        layout.addLayout(office_buttons)
        people_label = QLabel(colon(_("What each counsellor brings")))
        people_label.setBuddy(self.people)
        layout.addWidget(people_label)
        layout.addWidget(self.people, 2)
        layout.addLayout(form)
        layout.addWidget(self.error)
        if problem:  # the stored rules are broken: the page shows the defaults, and says so
            self.show_errors({dr.DISPATCH_RULES: problem})

    def _add_office(self, office: str, areas: str, *, edit: bool = False) -> None:
        row = self.offices.rowCount()
        self.offices.insertRow(row)
        self.offices.setItem(row, 0, QTableWidgetItem(office))
        places = QTableWidgetItem(areas)
        places.setTextAlignment(LEFT)
        self.offices.setItem(row, 1, places)
        if edit:
            first = self.offices.item(row, 0)
            assert first is not None
            self.offices.setCurrentCell(row, 0)
            self.offices.setFocus()
            self.offices.editItem(first)

    def _move(self, step: int) -> None:
        row = self.order.currentRow()
        if 0 <= row + step < self.order.count():
            item = self.order.takeItem(row)
            self.order.insertItem(row + step, item)
            self.order.setCurrentRow(row + step)

    @staticmethod
    def _text(table: QTableWidget, row: int, column: int) -> str:
        item = table.item(row, column)
        return item.text().strip() if item is not None else ""

    def changes(self) -> dict[str, Any]:
        offices = {}
        for row in range(self.offices.rowCount()):
            name, areas = self._text(self.offices, row, 0), self._text(self.offices, row, 1)
            if name or areas:
                offices[name] = [a.strip() for a in areas.split(",") if a.strip()]
        specialisms, languages, own = {}, {}, {}
        for row in range(self.people.rowCount()):
            who = self.people.item(row, 0)
            assert who is not None
            login = who.data(ROLE)
            if words := self._text(self.people, row, 1):
                specialisms[login] = words
            if spoken := self._text(self.people, row, 2):
                languages[login] = spoken
            if self.own_maximum[login].value():
                own[login] = self.own_maximum[login].value()
        order = [self.order.item(n).data(ROLE) for n in range(self.order.count())]
        return {dr.DISPATCH_RULES: {
            "offices": offices, "specialisms": specialisms, "languages": languages,
            "maximum": self.maximum.value(), "maximum_by_login": own, "order": order,
            "office_only": self.office_only.isChecked()}}  # fmt: skip

    def show_errors(self, errors: dict[str, str]) -> None:
        self.error.setText(errors.get(dr.DISPATCH_RULES, ""))
        self.error.setVisible(dr.DISPATCH_RULES in errors)
