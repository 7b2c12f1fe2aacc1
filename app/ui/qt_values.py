"""Qt values as Python types, where PySide6's stubs leave them loose (`QDate.toPython()` is an
`object`, `QWidget.layout()` any `QLayout | None`): one checked conversion each, instead of a
cast at every use."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QBoxLayout, QDateEdit, QWidget


def python_date(value: QDate) -> dt.date:
    """The day a date edit shows (a QDate) as a `datetime.date`."""
    day = value.toPython()
    if not isinstance(day, dt.date):  # an invalid QDate: the edit never holds one
        raise ValueError(f"not a date: {value!r}")
    return day


def box_layout(widget: QWidget) -> QBoxLayout:
    """The vertical or horizontal layout a dialog was built with, to insert a row into it."""
    layout = widget.layout()
    if not isinstance(layout, QBoxLayout):
        raise TypeError(f"{type(widget).__name__} has no box layout")
    return layout


def qt_date(day: dt.date) -> QDate:
    """A `datetime.date` as the QDate a date edit takes (every PySide6 release builds it from
    the three numbers; not all of their stubs accept a date)."""
    return QDate(day.year, day.month, day.day)


def full_year(edit: QDateEdit) -> QDateEdit:
    """The date edit in the language's short form with the year in full ("23/12/2026", never
    "23/12/26"): a two-digit year is a guess about the century, as on a date of birth."""
    short = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    edit.setDisplayFormat(re.sub(r"(?<!y)y{1,2}(?!y)", "yyyy", short))
    return edit
