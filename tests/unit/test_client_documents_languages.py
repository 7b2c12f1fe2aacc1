"""The client's paper questionnaire, "go online for free" hand-out and readable data export in
every document language (nl, fr, en, de, ar, tr, uk), whatever the interface speaks: every text
they print comes from that language's `documents` catalog, none falls back to English."""

from __future__ import annotations

import datetime as dt
import gettext
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import i18n
from app.i18n import DOCUMENT_LANGUAGES, current_language, document_translations
from app.models import Client, Contact, Counsellor, ScriptRun
from app.models.enums import _LABELS, ScriptChannel
from app.models.field_labels import FIELD_LABELS
from app.services import org_settings
from app.services.caseload import assignments, clients
from app.services.demo import generator as demo
from app.services.privacy import gdpr
from app.services.privacy.access import Actor
from app.services.privacy.export_pdf import write_export_pdf
from app.services.scripts import actions, internet_sheet, runs
from app.services.scripts.loader import default_catalogue
from app.services.scripts.paper_form import write_blank
from tests.helpers import actor


class Recording(gettext.NullTranslations):
    """A documents catalog that notes every text it was asked for and did not hold (a code
    such as the level "A1" is written the same in every language)."""

    def __init__(self, real: gettext.NullTranslations, missing: set[str]) -> None:
        super().__init__()
        self.real, self.missing = real, missing

    def gettext(self, message: str) -> str:
        if message not in getattr(self.real, "_catalog", {}) and not message.isupper():
            self.missing.add(message)
        return self.real.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if (singular, 0) not in getattr(self.real, "_catalog", {}):
            self.missing.add(singular)
        return self.real.ngettext(singular, plural, n)


@pytest.fixture
def missing(monkeypatch: pytest.MonkeyPatch) -> Iterator[set[str]]:
    found: set[str] = set()
    monkeypatch.setattr(i18n, "document_translations",
                        lambda code: Recording(document_translations(code), found))  # fmt: skip
    yield found


def text_of(path: Path) -> str:
    """The words on the pages, Arabic letters back from their joined forms (NFKC)."""
    reader = PdfReader(str(path))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


@pytest.mark.parametrize("language", sorted(DOCUMENT_LANGUAGES))
def test_what_the_documents_label_is_in_every_document_catalog(language: str) -> None:
    """Field and enumeration labels and the scripts' client-facing texts (titles, questions,
    options, results), whichever a given file happens to use."""
    held = getattr(document_translations(language), "_catalog", {})
    texts = set(FIELD_LABELS.values()) | {t for labels in _LABELS.values() for t in labels.values()}
    for script in default_catalogue().scripts.values():
        texts |= {script.title} | {step.title for step in script.steps}
        texts |= {result.label for result in script.results}
        for question in script.questions():
            texts |= {question.text} | {question.option_text(v) for v in question.values()}
    # codes such as the level "A1" are written the same everywhere: not translated
    assert sorted(t for t in texts if t not in held and not t.isupper()) == []


@pytest.mark.parametrize("language", sorted(DOCUMENT_LANGUAGES))
def test_every_paper_form_prints_in_the_language_asked(
    language: str, missing: set[str], tmp_path: Path
) -> None:
    for script in default_catalogue().scripts.values():
        target = tmp_path / f"{script.id}.pdf"
        assert write_blank(script, language, target) >= 1
        text = text_of(target)
        title = document_translations(language).gettext(script.title)
        assert re.sub(r"\s+", " ", title) in text, script.id
    assert missing == set()
    assert current_language() == "en"  # the interface's language is back


@pytest.fixture
def demo_file(session: Session, today: dt.date) -> tuple[Client, Actor]:
    """The demo client with the most contacts, and their referent: a file with records of
    every kind."""
    demo.generate(session, 40, seed=5, today=today)
    org_settings.put(session, org_settings.NATIONAL_NUMBER_ENABLED, "1")
    client_id = session.scalar(select(Contact.client_id).group_by(Contact.client_id)
                               .order_by(func.count().desc()).limit(1))  # fmt: skip
    client = session.get(Client, client_id)
    referent = assignments.current_referent(session, client_id)
    assert client is not None and referent is not None
    session.commit()
    return client, actor(session.get(Counsellor, referent.counsellor_id))


def test_the_data_export_prints_in_every_document_language(
    session: Session, demo_file: tuple[Client, Actor], missing: set[str], tmp_path: Path
) -> None:
    client, lead = demo_file
    data = gdpr.export_data(session, lead, client.id)
    assert sum(len(rows) for rows in data["records"].values()) >= 10
    titles = {"tr": "Traject'te tutulan verileriniz", "uk": "Ваші дані, які зберігає Traject",
              "de": "Ihre Daten bei Traject", "nl": "Jouw gegevens in Traject"}  # fmt: skip
    for language in sorted(DOCUMENT_LANGUAGES):
        target = tmp_path / f"export-{language}.pdf"
        assert write_export_pdf(data, target, language) == language
        text = text_of(target)
        if language in titles:
            assert titles[language] in text, language
        assert client.family_name in text
    assert missing == set()


def test_the_export_is_in_the_clients_language_by_default_and_names_languages(
    session: Session, demo_file: tuple[Client, Actor], tmp_path: Path
) -> None:
    client, lead = demo_file
    client.contact_language, client.other_languages = "uk", ["tr", "fr"]
    session.commit()
    data = gdpr.export_data(session, lead, client.id)
    assert write_export_pdf(data, tmp_path / "export.pdf", client.contact_language) == "uk"
    text = text_of(tmp_path / "export.pdf")
    assert "Мова спілкування українська" in text and "турецька, французька" in text
    assert "Стан" in text and "Status" not in text


@pytest.mark.parametrize(("language", "expected"), [
    ("tr", ("Ücretsiz olarak internete girebileceğiniz yerler", "halk kütüphanesi",
            "Danışmanınız: Anna Aerts")),
    ("uk", ("Де можна безкоштовно вийти в інтернет", "публічна бібліотека",
            "Ваш консультант: Anna Aerts")),
])  # fmt: skip
def test_the_go_online_hand_out_is_in_the_clients_language(
    session: Session, make_counsellor: Any, missing: set[str], tmp_path: Path,
    language: str, expected: tuple[str, ...],
) -> None:  # fmt: skip
    anna = actor(make_counsellor("anna", "Anna Aerts"))
    client = clients.create_client(session, {"given_name": "Olena", "family_name": "Bondarenko",
                                             "contact_language": language},
                                   referent_id=anna.counsellor_id, actor=anna)  # fmt: skip
    script = default_catalogue().get("resistance-to-email")
    run = runs.start(session, anna, client.id, script, ScriptChannel.IN_PERSON)
    assert isinstance(run, ScriptRun)
    target = tmp_path / "places.pdf"
    assert actions.suggested(script, "print_free_internet").sheet == "free_internet_places"
    assert internet_sheet.write(session, run, client, target) == language
    text = text_of(target)
    for part in expected:
        assert part in text
    assert missing == set()
