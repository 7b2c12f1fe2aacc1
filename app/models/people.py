"""Counsellors and clients: the people in a caseload."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, Date, Index, Integer, String, Text, event, false
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from app.models.base import Base, Versioned, utcnow
from app.models.enums import (
    ClientStatus,
    CounsellorRole,
    DiplomaRecognition,
    DutchLevel,
    EducationLevel,
    EmailStatus,
    EmploymentSituation,
    Province,
    ReferredBy,
)
from app.models.stored_enum import StoredEnum
from app.models.text import digits, fold, words

if TYPE_CHECKING:
    from app.models.assignment import Assignment


class Counsellor(Versioned, Base):
    __tablename__ = "counsellors"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    office: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[CounsellorRole] = mapped_column(
        StoredEnum(CounsellorRole), default=CounsellorRole.COUNSELLOR
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Client(Versioned, Base):
    __tablename__ = "clients"
    __table_args__ = (
        Index("ix_clients_sort_name", "sort_name"),
        # covering indexes: the caseload walk and the lookup of search matches read index pages
        # only, never the wide client rows (on an encrypted file every page read is decrypted)
        Index(
            "ix_clients_status_sort_name_id_search_text", "status", "sort_name", "id", "search_text"
        ),
        Index("ix_clients_id_status_sort_name", "id", "status", "sort_name"),
        Index("ix_clients_province", "province"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier: Mapped[str] = mapped_column(String(20), unique=True)
    given_name: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    # BE national register number or NL BSN; only recorded where the organisation has a legal
    # basis and has switched the field on (see services.settings).
    national_number: Mapped[str | None] = mapped_column(String(16))
    national_number_country: Mapped[str | None] = mapped_column(String(2))
    phone: Mapped[str | None] = mapped_column(String(32))
    phone_alt: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    email_status: Mapped[EmailStatus] = mapped_column(
        StoredEnum(EmailStatus), default=EmailStatus.UNKNOWN
    )
    street: Mapped[str | None] = mapped_column(String(200))
    house_number: Mapped[str | None] = mapped_column(String(20))
    postal_code: Mapped[str | None] = mapped_column(String(10))
    municipality: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2), default="BE")
    province: Mapped[Province | None] = mapped_column(StoredEnum(Province))
    contact_language: Mapped[str | None] = mapped_column(String(12))
    other_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    dutch_level: Mapped[DutchLevel] = mapped_column(
        StoredEnum(DutchLevel), default=DutchLevel.UNKNOWN
    )
    education_level: Mapped[EducationLevel] = mapped_column(
        StoredEnum(EducationLevel), default=EducationLevel.UNKNOWN
    )
    diploma_recognition: Mapped[DiplomaRecognition] = mapped_column(
        StoredEnum(DiplomaRecognition), default=DiplomaRecognition.NOT_APPLICABLE
    )
    profession: Mapped[str | None] = mapped_column(String(200))
    desired_occupation: Mapped[str | None] = mapped_column(String(200))
    # the office the client prefers to be followed from (source 003: "referentie-agentschap")
    preferred_office: Mapped[str | None] = mapped_column(String(200))
    employment_situation: Mapped[EmploymentSituation] = mapped_column(
        StoredEnum(EmploymentSituation), default=EmploymentSituation.UNKNOWN
    )
    # how to reach the client and what they can manage for work (source 002)
    contact_channels: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    key_person: Mapped[str | None] = mapped_column(String(300))
    driving_licence: Mapped[bool | None] = mapped_column(Boolean)
    transport: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    max_travel_minutes: Mapped[int | None] = mapped_column(Integer)
    working_hours: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # served in a language the counsellor does not speak: plan an interpreter (source 002)
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # who sent the client (source 001), and which service or person precisely
    referred_by: Mapped[ReferredBy | None] = mapped_column(StoredEnum(ReferredBy))
    referred_by_detail: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[ClientStatus] = mapped_column(
        StoredEnum(ClientStatus), default=ClientStatus.ACTIVE
    )
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Derived columns, kept in sync below: folded name for sorting, folded text for search.
    sort_name: Mapped[str] = mapped_column(String(400), default="")
    search_text: Mapped[str] = mapped_column(Text, default="")

    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="client", order_by="Assignment.starts_on", cascade="all, delete-orphan"
    )

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


def client_sort_name(family_name: str | None, given_name: str | None) -> str:
    return f"{fold(family_name)}\x1f{fold(given_name)}"


def client_search_text(
    *,
    dossier: str,
    given_name: str | None,
    family_name: str | None,
    email: str | None,
    phones: list[str | None],
) -> str:
    """Folded words the search index holds for one client, separated by single spaces.

    Phone numbers are indexed as digits both ways round ("r" + reversed digits), so that a
    prefix query on the reversed form finds the client by the last digits of a number. Only
    words are kept ("mehmet.yilmaz@example.be" is four): SQLite's full-text index splits them so
    itself, and a server finds the start of a word as " " + prefix (`caseload.search`).
    """
    parts = [fold(given_name), fold(family_name), fold(dossier), digits(dossier), fold(email)]
    for phone in phones:
        for number in _dialled_forms(phone):
            parts += [number, "r" + number[::-1]]
    return " ".join(words(" ".join(parts)))


def _dialled_forms(phone: str | None) -> list[str]:
    """Digits of an E.164 number, plus the national form (0470…) for Belgium and the Netherlands."""
    number = digits(phone)
    if not number:
        return []
    if phone and phone.startswith(("+32", "+31")):
        return [number, "0" + number[2:]]
    return [number]


@event.listens_for(Client, "before_insert")
@event.listens_for(Client, "before_update")
def _sync_derived_columns(mapper: Mapper[Any], connection: Any, target: Client) -> None:
    target.sort_name = client_sort_name(target.family_name, target.given_name)
    target.search_text = client_search_text(
        dossier=target.dossier,
        given_name=target.given_name,
        family_name=target.family_name,
        email=target.email,
        phones=[target.phone, target.phone_alt],
    )
