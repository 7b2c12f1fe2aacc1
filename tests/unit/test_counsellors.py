"""Counsellor lists for pick lists and the first-start question."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from app.services.caseload import counsellors

pytestmark = pytest.mark.both_backends


def test_choices_are_active_counsellors_by_name(session: Session, make_counsellor) -> None:  # type: ignore[no-untyped-def]
    assert not counsellors.any_active(session)
    zoe = make_counsellor("zoe", "Zoë Zeghers")
    anna = make_counsellor("anna", "Anna Aerts")
    gone = make_counsellor("gone", "Bert Bosmans")
    gone.active = False
    session.flush()
    assert counsellors.counsellor_choices(session) == [
        (anna.id, "Anna Aerts"),
        (zoe.id, "Zoë Zeghers"),
    ]
    assert counsellors.any_active(session)


def test_the_cli_offers_every_role() -> None:
    from app.cli.account_parsers import ROLES
    from app.models.enums import CounsellorRole

    assert [role.value for role in CounsellorRole] == ROLES


def test_the_names_version_changes_with_every_account_added_or_renamed(
    session: Session, make_counsellor
) -> None:  # type: ignore[no-untyped-def]
    anna = make_counsellor("anna", "Anna Peeters")
    session.commit()
    first = counsellors.names_version(session)
    assert counsellors.told_apart(session) == {}
    other = make_counsellor("apeeters2", "Anna  peeters")  # the same name, spaces and case aside
    session.commit()
    second = counsellors.names_version(session)
    assert second != first and set(counsellors.told_apart(session)) == {anna.id, other.id}
    other.full_name = "Anna Vermeulen"
    session.commit()
    assert counsellors.names_version(session) != second
    assert counsellors.told_apart(session) == {}
