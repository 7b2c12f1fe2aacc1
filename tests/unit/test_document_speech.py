"""A client document is written in its own language through a `DocumentSpeech`, never by
switching the interface language of the process: while an Arabic document is being written on
one thread, `_()` and an error built on another thread stay in the interface language."""

from __future__ import annotations

import datetime as dt
import gettext
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from app import i18n
from app.i18n import (
    _,
    current_language,
    document_translations,
    for_document,
    format_date,
    interface_speech,
    set_language,
)
from app.models.agenda_enums import AppointmentChannel, AppointmentPurpose
from app.models.enums import DutchLevel
from app.services import validation
from app.services.errors import ValidationFailed
from tests.helpers import actor
from tests.unit.letter_fixtures import NOUR, referral_for

APP = Path(__file__).resolve().parents[2] / "app"
WAIT = 20.0  # seconds; only reached when something is wrong


def test_a_speech_writes_its_language_and_leaves_the_interface_alone() -> None:
    set_language("fr")
    arabic = for_document("ar")
    assert (arabic.language, arabic.is_right_to_left) == ("ar", True)
    assert arabic.gettext("Your appointment") == document_translations("ar").gettext(
        "Your appointment"
    )
    assert arabic.gettext("Your appointment") != "Your appointment"
    assert arabic.format_date(dt.date(2026, 3, 5), "long") == "5 مارس 2026"
    assert DutchLevel.NATIVE.label_in(arabic) == arabic.gettext("Native speaker")
    turkish = for_document("tr-TR")
    assert (turkish.language, turkish.is_right_to_left) == ("tr", False)
    assert turkish.format_date(dt.date(2026, 3, 5), "long") == "5 Mart 2026"
    assert turkish.format_list(["a", "b", "c"]) == "a, b ve c"
    # the interface is as it was: French texts, French dates
    assert current_language() == "fr" and _("Family name") == "Nom"
    assert format_date(dt.date(2026, 3, 5), "long") == "5 mars 2026"


def test_a_speech_falls_back_as_documents_do() -> None:
    set_language("de")
    assert for_document(None).language == "de"  # the interface language
    assert for_document("pl").language == "de"  # Polish: no documents catalog
    assert for_document("pl", "uk").language == "uk"  # the next candidate first
    set_language("xx")  # the pseudo-language is for screens: a document is in the default
    assert for_document(None).language == "nl"
    # the letter's labels from the interface catalogs: an interface language, else the default
    assert interface_speech("fr").gettext("Family name") == "Nom"
    assert interface_speech(None).language == "nl"
    assert interface_speech("fr").format_date(dt.date(2026, 3, 5), "long") == "5 mars 2026"


def test_services_never_switch_the_interface_language() -> None:
    """Services and models take a `DocumentSpeech`; switching the process-wide language is for
    the interface (the UI and the command line) and tests alone."""
    switches = re.compile(r"\b(set_language|in_language|in_document_language|_then_back)\b")
    found = [
        f"{path.relative_to(APP)}:{number}"
        for folder in ("services", "models")
        for path in sorted((APP / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if switches.search(line)
    ]
    assert found == []


class Pausing(gettext.NullTranslations):
    """A documents catalog that, at every text the document asks for, notes what the interface
    shows at that moment; at the first one it lets another thread look, and waits for it."""

    def __init__(self, real: gettext.NullTranslations, at_text: Callable[[], None]) -> None:
        super().__init__()
        self.real, self.at_text = real, at_text

    def gettext(self, message: str) -> str:
        self.at_text()
        return self.real.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        self.at_text()
        return self.real.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        self.at_text()
        return self.real.pgettext(context, message)


def interface_now() -> tuple[str, str, str, str]:
    """What the interface shows: its language, a text, a date and a service's refusal."""
    try:
        validation.required_text("family_name", "")
    except ValidationFailed as refused:
        error = str(refused)
    return current_language(), _("Family name"), format_date(dt.date(2026, 3, 5), "long"), error


@pytest.fixture
def paused(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """While a document is written (on this thread), another thread reads the interface at
    the document's first text; every text of the document notes the interface too."""
    set_language("fr")
    expected = interface_now()
    assert expected[:3] == ("fr", "Nom", "5 mars 2026") and expected[3].startswith("Nom")
    writing, looked = threading.Event(), threading.Event()
    seen: dict[str, Any] = {"during": set(), "other thread": None}

    noting = threading.local()  # a text asked for while noting is not noted again

    def at_text() -> None:
        if getattr(noting, "now", False):
            return
        noting.now = True
        try:
            seen["during"].add(interface_now())
        finally:
            noting.now = False
        if not writing.is_set():
            writing.set()
            assert looked.wait(WAIT), "the other thread did not look"

    def look() -> None:
        if writing.wait(WAIT):
            seen["other thread"] = interface_now()
        looked.set()

    monkeypatch.setattr(i18n, "document_translations",
                        lambda code: Pausing(document_translations(code), at_text))  # fmt: skip
    other = threading.Thread(target=look, name="interface", daemon=True)
    other.start()
    yield seen
    other.join(WAIT)
    assert not other.is_alive()
    assert writing.is_set(), "the document asked for no text"
    assert seen["other thread"] == expected  # the other thread: French, mid-document
    assert seen["during"] == {expected}  # and so at every text of the document
    assert interface_now() == expected  # and after it


def test_an_arabic_paper_form_leaves_the_interface_alone(
    paused: dict[str, Any], tmp_path: Path
) -> None:
    from app.services.scripts.loader import default_catalogue
    from app.services.scripts.paper_form import write_blank

    assert write_blank(default_catalogue().get("digital-profile"), "ar", tmp_path / "f.pdf") >= 1


def test_an_arabic_letter_leaves_the_interface_alone(
    paused: dict[str, Any], session: Session, make_counsellor: Any
) -> None:
    from app.services.referrals import letters

    anna = actor(make_counsellor("anna", "Anna Aerts"))
    referral = referral_for(session, anna, NOUR)
    draft = letters.prepare(session, anna, referral.id, "client", "ar")
    assert draft.language == "ar"
    assert letters.finalise(session, anna, draft, left_out=draft.missing()).startswith(b"%PDF")


def test_an_arabic_export_hand_out_and_card_leave_the_interface_alone(
    paused: dict[str, Any], session: Session, make_counsellor: Any, tmp_path: Path
) -> None:
    from app.models import ScriptRun
    from app.models.enums import ScriptChannel
    from app.services.caseload import clients
    from app.services.contact import appointment_card, appointments
    from app.services.privacy import gdpr
    from app.services.privacy.export_pdf import write_export_pdf
    from app.services.scripts import internet_sheet, runs
    from app.services.scripts.loader import default_catalogue

    anna = actor(make_counsellor("anna", "Anna Aerts"))
    client = clients.create_client(session, {"given_name": "Nour", "family_name": "El Amrani",
                                             "contact_language": "ar"},
                                   referent_id=anna.counsellor_id, actor=anna)  # fmt: skip
    start = dt.datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("Europe/Brussels"))
    appointment = appointments.plan(session, anna, appointments.Draft(
        client.id, anna.counsellor_id, start, 60, AppointmentChannel.PHONE,
        AppointmentPurpose.INTAKE))  # fmt: skip
    run = runs.start(session, anna, client.id, default_catalogue().get("resistance-to-email"),
                     ScriptChannel.IN_PERSON)  # fmt: skip
    assert isinstance(run, ScriptRun)
    session.commit()
    assert appointment_card.write(session, anna, appointment.id, tmp_path / "card.pdf") == "ar"
    assert internet_sheet.write(session, run, client, tmp_path / "places.pdf") == "ar"
    data = gdpr.export_data(session, anna, client.id)
    assert write_export_pdf(data, tmp_path / "export.pdf", "ar") == "ar"
