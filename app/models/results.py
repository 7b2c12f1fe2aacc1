"""Test results (source 000): cognitive skills, reading and writing, entry tests and certified
language tests, with their outcome, so scripts and letters can use a level that was measured."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.i18n import N_
from app.models.base import Base, Versioned, utcnow
from app.models.enums import LabelledEnum, _labelled
from app.models.stored_enum import StoredEnum


class TestKind(LabelledEnum):
    __test__ = False  # not a pytest class, whatever its name

    COGNITIVE = "cognitive"
    READING_WRITING = "reading_writing"
    ENTRY = "entry"
    CERTIFIED_LANGUAGE = "certified_language"

    @property
    def is_language_test(self) -> bool:
        return self in (TestKind.ENTRY, TestKind.CERTIFIED_LANGUAGE)


_labelled(
    TestKind,
    {
        "cognitive": N_("Cognitive skills test"),
        "reading_writing": N_("Reading and writing test"),
        "entry": N_("Language entry test"),
        "certified_language": N_("Certified language test"),
    },
)

#: The levels of the Common European Framework, as tests report them.
CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")


class TestResult(Versioned, Base):
    """One test taken: its kind, the language tested, the level reached and/or pass or fail,
    when, who administered it, and who recorded it."""

    __test__ = False
    __tablename__ = "test_results"
    __table_args__ = (Index("ix_test_results_client_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    kind: Mapped[TestKind] = mapped_column(StoredEnum(TestKind))
    language: Mapped[str | None] = mapped_column(String(12))  # a code; for language tests
    level: Mapped[str | None] = mapped_column(String(8))  # a CEFR level: A1 … C2
    passed: Mapped[bool | None] = mapped_column(Boolean)
    taken_on: Mapped[dt.date] = mapped_column(Date)
    taken_by: Mapped[str | None] = mapped_column(String(200))  # the centre or tester
    note: Mapped[str | None] = mapped_column(Text)
    counsellor_id: Mapped[int | None] = mapped_column(ForeignKey("counsellors.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
