"""What a counsellor sees of referrals: a new referral with consent from the client's
referrals, the letter preview with missing fields marked and saving held back until they are
left out, and due follow-ups in today's list."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import Referral
from app.models.enums import ReferralStatus
from app.services.caseload import clients
from app.services.clock import local_today
from app.services.referrals import offer_catalogue, referrals
from app.ui.caseload.today_list import TodayList
from app.ui.referrals.letter_dialog import LetterDialog
from app.ui.referrals.referral_dialog import ReferralDialog
from tests.helpers import actor
from tests.unit.letter_fixtures import LUKASZ, referral_for


def test_a_new_referral_suggests_the_province_s_offer_and_records_consent(
    qtbot: QtBot, database: Database, session: Session, make_counsellor
) -> None:  # type: ignore[no-untyped-def]
    anna = actor(make_counsellor("anna"))
    offer_catalogue.load_sample(session)
    client = clients.create_client(session, {"given_name": "Olena", "family_name": "Kovalenko", "postal_code": "3500"},
                                   referent_id=anna.counsellor_id, actor=anna)  # fmt: skip
    session.commit()
    dialog = ReferralDialog(database.sessions, anna, client.id)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("dutch_second_language"))
    assert (
        "Huis van het Nederlands Hasselt" in dialog.offers.item(0).text()
    )  # Limburg's, marked sample
    assert dialog.offers.item(0).text().endswith("sample")
    dialog._save()  # no reason yet: the field says so, nothing is made
    assert "Reason" in dialog.errors["reason"].text() and session.scalar(select(Referral)) is None
    dialog.reason.setPlainText("Wil Nederlands leren voor een job in de zorg.")
    dialog.consent.setChecked(True)
    dialog._save()
    session.expire_all()  # the dialog wrote in a session of its own
    referral = session.scalar(select(Referral))
    assert referral is not None and referral.consent_at is not None
    assert referral.follow_up_on == local_today() + dt.timedelta(
        days=referrals.DEFAULT_FOLLOW_UP_DAYS
    )


def test_the_preview_marks_missing_fields_and_holds_back_saving(
    qtbot: QtBot, database: Database, session: Session, make_counsellor
) -> None:  # type: ignore[no-untyped-def]
    person = make_counsellor("anna")
    person.phone, person.email = "+3292101010", "anna@example.be"
    anna = actor(person)
    referral = referral_for(session, anna, {**LUKASZ, "street": None, "house_number": None,
                                            "postal_code": None, "municipality": None, "email": None})  # fmt: skip
    dialog = LetterDialog(database.sessions, anna, referral.id)
    qtbot.addWidget(dialog)
    assert dialog.language.currentData() == "nl"  # the Digipunt's language
    assert sorted(dialog.left_out) == ["address", "email"]
    assert not dialog.save.isEnabled() and not dialog.print.isEnabled()
    assert "Adres" in dialog.status.text() and "E-mail" in dialog.status.text()
    assert dialog.pages.count() == 1  # the page as an image
    dialog.left_out["address"].setChecked(True)
    assert not dialog.save.isEnabled()
    dialog.left_out["email"].setChecked(True)
    assert dialog.save.isEnabled() and dialog.status.text() == "The letter is ready."
    dialog.copy.setCurrentIndex(dialog.copy.findData("client"))
    assert dialog.language.currentData() == "nl" and dialog.large.isEnabled()


def test_due_follow_ups_show_in_today_s_list(
    qtbot: QtBot, database: Database, session: Session, make_counsellor
) -> None:  # type: ignore[no-untyped-def]
    anna = actor(make_counsellor("anna"))
    referral = referral_for(session, anna, LUKASZ)
    referrals.move(session, anna, referral.id, ReferralStatus.SENT)
    referral.follow_up_on = local_today() - dt.timedelta(days=1)
    session.commit()
    today = TodayList(database.sessions, lambda: anna)
    qtbot.addWidget(today)
    today.refresh()
    texts = [today.item(i).text() for i in range(today.count())]
    assert any(
        t.startswith("Follow up: Łukasz Wiśniewski — Digipunt Gent (Sent) · due since")
        for t in texts
    ), texts
