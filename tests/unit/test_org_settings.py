"""Organisation settings: administrators only, every value checked before any is stored,
each change audited with its new value."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from app.models.enums import AuditAction, CounsellorRole
from app.services import org_settings
from app.services.errors import Forbidden, ValidationFailed
from app.services.privacy import audit
from tests.helpers import actor

pytestmark = pytest.mark.both_backends


@pytest.fixture
def admin(session: Session, make_counsellor):  # type: ignore[no-untyped-def]
    person = make_counsellor("ada", "Ada Admin")
    person.role = CounsellorRole.ADMIN
    session.commit()
    return actor(person)


def test_defaults_leave_national_numbers_out_and_keep_files_five_years(session: Session) -> None:
    assert org_settings.policy(session) == org_settings.Policy(False, False, 5)


def test_an_administrator_changes_settings_and_each_change_is_audited(
    session: Session, admin
) -> None:  # type: ignore[no-untyped-def]
    changed = org_settings.update(session, {"national_number_enabled": True, "export_national_number": "yes",
                                            "retention_years": "7"}, actor=admin)  # fmt: skip
    session.commit()
    assert sorted(changed) == [
        "export_national_number",
        "national_number_enabled",
        "retention_years",
    ]
    assert org_settings.policy(session) == org_settings.Policy(True, True, 7)
    logged = audit.entries(session, actions=[AuditAction.SETTING])
    assert sorted(e.detail for e in logged) == [
        "export_national_number=1", "national_number_enabled=1", "retention_years=7"]  # fmt: skip
    assert (
        org_settings.update(session, {"retention_years": 7}, actor=admin) == []
    )  # no change, no entry
    assert len(audit.entries(session, actions=[AuditAction.SETTING])) == 3
    org_settings.update(session, {"national_number_enabled": False}, actor=admin)
    assert org_settings.policy(session) == org_settings.Policy(
        False, False, 7
    )  # nothing left to export


def test_bad_values_are_all_named_and_nothing_is_stored(session: Session, admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as refused:
        org_settings.update(session, {"retention_years": "0", "export_national_number": "yes",
                                      "colour": "red"}, actor=admin)  # fmt: skip
    assert set(refused.value.errors) == {"retention_years", "export_national_number", "colour"}
    assert "from 1 to 30" in refused.value.errors["retention_years"]
    assert "Record national numbers" in refused.value.errors["export_national_number"]
    assert org_settings.policy(session) == org_settings.Policy(False, False, 5)


@pytest.mark.parametrize("role", [CounsellorRole.COUNSELLOR, CounsellorRole.TEAM_LEAD])
def test_only_an_administrator_changes_settings(session: Session, make_counsellor, role) -> None:  # type: ignore[no-untyped-def]
    person = make_counsellor("cas")
    person.role = role
    session.commit()
    with pytest.raises(Forbidden):
        org_settings.update(session, {"retention_years": 10}, actor=actor(person))
    assert org_settings.retention_years(session) == 5


def test_the_letterhead_is_checked_and_audited(session, make_counsellor, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import base64

    import pytest

    from app.models.enums import CounsellorRole
    from app.services import org_settings
    from app.services.errors import ValidationFailed
    from app.services.referrals import letterhead
    from tests.helpers import actor

    person = make_counsellor("ada")
    person.role = CounsellorRole.ADMIN
    ada = actor(person)
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    with pytest.raises(ValidationFailed) as raised:
        org_settings.update(
            session,
            {letterhead.PHONE: "12", letterhead.LOGO: b"GIF89a", letterhead.EMAIL: "x@"},
            actor=ada,
        )
    assert set(raised.value.errors) == {letterhead.PHONE, letterhead.LOGO, letterhead.EMAIL}
    assert raised.value.errors[letterhead.LOGO] == "Letterhead logo: choose a PNG or JPEG image."
    changed = org_settings.update(session, {letterhead.ADDRESS: "Kouter 1; 9000 Gent", letterhead.PHONE: "09 210 10 10",
                                            letterhead.LOGO: png}, actor=ada)  # fmt: skip
    assert sorted(changed) == sorted([letterhead.ADDRESS, letterhead.PHONE, letterhead.LOGO])
    head = letterhead.load(session)
    assert (
        head.address == ("Kouter 1", "9000 Gent")
        and head.phone == "09 210 10 10"
        and head.logo == png
    )
