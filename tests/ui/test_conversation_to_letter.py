"""From the last question of a guided conversation to the two referral letters, by keyboard
alone: Enter finishes, Enter takes the suggested referral, the form is pre-filled (the
province's offer, the reason from the result's reasons) and asks the client's consent, Enter
saves, and the letter preview opens with the client's known-missing e-mail already left out;
the partner's letter and the client's copy are saved as PDFs."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import Offer, Referral, ScriptRun
from app.models.enums import EmailStatus
from app.services.caseload import clients
from app.services.referrals import offer_catalogue
from app.ui.main_window import MainWindow
from app.ui.referrals.letter_dialog import LetterDialog
from app.ui.referrals.referral_dialog import ReferralDialog
from tests.helpers import actor
from tests.ui.modal import Modal
from tests.ui.test_script_wizard import focused, key, named, open_wizard

AMINA = {"given_name": "Amina", "family_name": "El Idrissi", "birth_date": dt.date(1988, 5, 3),
         "street": "Sleepstraat", "house_number": "12", "postal_code": "9000",
         "municipality": "Gent", "phone": "0470 12 34 56", "contact_language": "nl"}  # fmt: skip


def tab_until(qtbot: QtBot, wanted: Callable[[QWidget], bool]) -> QWidget:
    for _press in range(30):
        widget = focused()
        if widget is not None and wanted(widget):
            return widget
        assert widget is not None, "nothing has the focus"
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached the widget; focus is on {focused()!r}")


def pdf_text(path: Path) -> str:
    return " ".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages
    )


@pytest.fixture
def amina(session, caseload):  # type: ignore[no-untyped-def]
    """A client in Ghent registered without an e-mail address; Anna can be reached."""
    _made, anna, _bart = caseload
    anna.phone, anna.email = "+3292101010", "anna@example.be"
    offer_catalogue.load_sample(session)
    client = clients.create_client(session, {**AMINA, "email_status": EmailStatus.WITHOUT_EMAIL_UNABLE},
                                   referent_id=anna.id, actor=actor(anna))  # fmt: skip
    session.commit()
    return client.id


def test_from_the_last_answer_to_two_letters_by_keyboard(
    qtbot: QtBot, window: MainWindow, amina: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = [tmp_path / "partner.pdf", tmp_path / "client.pdf"]
    targets = iter(saved)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_a, **_k: (str(next(targets)), "PDF files (*.pdf)"))  # fmt: skip
    wizard = open_wizard(qtbot, window, amina)
    key(qtbot, Qt.Key.Key_Down)  # e-mail address: no
    key(qtbot, Qt.Key.Key_Space)
    key(qtbot, Qt.Key.Key_Return)
    key(qtbot, Qt.Key.Key_Return)  # the starter pack left open
    tab_until(qtbot, named("answer_internet_uses_none"))
    key(qtbot, Qt.Key.Key_Space)
    key(qtbot, Qt.Key.Key_Return)
    key(qtbot, Qt.Key.Key_Down)  # no internet at home
    key(qtbot, Qt.Key.Key_Space)
    tab_until(qtbot, named("answer_other_places_yes"))
    key(qtbot, Qt.Key.Key_Down)  # and nowhere else
    key(qtbot, Qt.Key.Key_Space)
    tab_until(qtbot, named("answer_own_device_yes"))
    key(qtbot, Qt.Key.Key_Space)
    key(qtbot, Qt.Key.Key_Return)  # the last answer: finish

    page = wizard.result_page
    assert page.result.text() == "Result: Digitally low-literate"
    assert focused() is page.action_buttons["refer_digitally_low_literate"]  # Enter takes it

    def fill_in(form: ReferralDialog) -> None:
        qtbot.waitUntil(lambda: focused() is form.reason)
        assert form.kind.currentData() == "digitally_low_literate"
        assert form.offers.currentItem().text().startswith("Digitaal oefenatelier")  # Gent's
        assert form.reason.toPlainText() == (
            "Digitaal profiel: Digitaal laaggeletterd. Heeft geen e-mailadres. Gebruikt internet "
            "voor geen enkele van de bevraagde activiteiten."
        )
        assert "in Dutch, the language of the partner's letter" in form.drafted.text()
        assert "Digipunt" not in form.consent_question.text()  # the partner chosen is named
        assert "may the data listed in the letter be shared with" in form.consent_question.text()
        key(qtbot, Qt.Key.Key_Tab)
        assert focused() is form.agreed
        qtbot.keyClicks(form.agreed, "Gaat dinsdag naar het oefenatelier.")
        tab_until(qtbot, lambda w: w is form.consent)
        key(qtbot, Qt.Key.Key_Space)  # the client agrees
        assert form.consent.isChecked()
        key(qtbot, Qt.Key.Key_Return)  # Save, the default button

    def save_both(letters: LetterDialog) -> None:
        assert letters.copy.currentData() == "partner"
        assert letters.left_out["email"].isChecked()  # registered without: not asked again
        assert letters.status.text() == "The letter is ready." and letters.save.isEnabled()
        qtbot.waitUntil(lambda: focused() is not None and letters.isAncestorOf(focused()))
        tab_until(qtbot, lambda w: w is letters.save)
        key(qtbot, Qt.Key.Key_Space)
        tab_until(qtbot, lambda w: w is letters.copy)
        key(qtbot, Qt.Key.Key_Down)  # the client's copy
        assert letters.copy.currentData() == "client"
        tab_until(qtbot, lambda w: w is letters.save)
        key(qtbot, Qt.Key.Key_Space)
        key(qtbot, Qt.Key.Key_Escape)

    form, preview = Modal(ReferralDialog, fill_in), Modal(LetterDialog, save_both)
    key(qtbot, Qt.Key.Key_Return)
    form.check()
    preview.check()
    assert page.done.text().startswith("Referral saved: Digitaal oefenatelier")
    with window.sessions() as session:
        referral = session.scalars(select(Referral)).one()
        offer = session.get(Offer, referral.offer_id)
        run = session.get(ScriptRun, wizard.run_id)
        assert offer is not None and run is not None
        assert (offer.offer_type, offer.region) == ("digitally_low_literate", "east_flanders")
        assert referral.script_run_id == run.id and referral.consent_at is not None
        assert referral.agreed == "Gaat dinsdag naar het oefenatelier."
        assert run.actions_taken[-1]["action"] == "refer_digitally_low_literate"
    partner, client_copy = (pdf_text(path) for path in saved)
    assert "Amina El Idrissi" in partner and "Digitaal profiel: Digitaal laaggeletterd." in partner
    assert "oefenatelier" in partner and "anna@example.be" in partner
    assert partner.count("Heeft geen e-mailadres") == 1  # the drafted reason says it, once
    assert "Amina El Idrissi" in client_copy and offer.provider in client_copy
    assert page.action_buttons["refer_digitally_low_literate"].text().startswith("✓ ")
    wizard.activateWindow()  # as the window manager does when the preview closes
    qtbot.waitUntil(lambda: focused() is page.action_buttons["refer_welfare"])  # the next one
