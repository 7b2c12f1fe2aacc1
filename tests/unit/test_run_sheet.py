"""A printed run: the free-internet hand-out is for the client (their language, the places and
their counsellor, nothing of the counsellor's notes); without a sheet, the run for the file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from sqlalchemy.orm import Session

from app.models.enums import ScriptChannel
from app.services.caseload import clients
from app.services.scripts import actions, run_sheet, runs
from app.services.scripts.loader import load_catalogue
from tests.helpers import actor


def text_of(path: Path) -> str:
    reader = PdfReader(str(path))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def finished_run(session: Session, make_counsellor: Any) -> tuple[Any, Any]:
    person = make_counsellor("anna", "Anna Aerts")
    person.phone = "09 123 45 67"
    anna = actor(person)
    client = clients.create_client(session, {"given_name": "Мирослава", "family_name": "Шевченко",
                                             "postal_code": "9000", "contact_language": "fr"},
                                   referent_id=anna.counsellor_id, actor=anna)  # fmt: skip
    script = load_catalogue().get("resistance-to-email")
    run = runs.start(session, anna, client.id, script, ScriptChannel.IN_PERSON)
    runs.answer_all(session, anna, run, script, {"objections": ["refuses", "no_device"],
                    "uses_email_elsewhere": "yes", "outcomes": ["free_internet_info"]})  # fmt: skip
    runs.answer(session, anna, run, script, "name_it", "yes", "Says e-mail is for young people")
    runs.finish(session, anna, run, script)
    session.commit()
    return run, script


def test_the_hand_out_holds_the_places_in_the_clients_language_and_nothing_else(
    session: Session, make_counsellor: Any, tmp_path: Path
) -> None:
    run, script = finished_run(session, make_counsellor)
    target = tmp_path / "places.pdf"
    run_sheet.write(session, run, script, target, actions.suggested(script, "print_free_internet"))
    text = text_of(target)
    assert "Où vous pouvez aller sur internet gratuitement" in text
    assert "Pour Мирослава Шевченко" in text and "la bibliothèque publique" in text
    assert "Votre conseiller : Anna Aerts, 09 123 45 67" in text
    for private in ("unwillingness", "volonté", "young people", "Refuses", "Refuse"):
        assert private not in text
    assert (PdfReader(str(target)).metadata or {}).get("/Author", "") == ""


def test_without_a_sheet_the_run_is_printed_for_the_file(
    session: Session, make_counsellor: Any, tmp_path: Path
) -> None:
    run, script = finished_run(session, make_counsellor)
    target = tmp_path / "run.pdf"
    run_sheet.write(session, run, script, target)
    text = text_of(target)
    assert "Resistance to the mandatory e-mail address" in text  # the interface language
    assert "Suspected unwillingness" in text and "Yes — Says e-mail is for young people" in text
