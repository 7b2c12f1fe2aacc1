"""No silent overwrite, with real processes: two counsellors save the same client file at the
same moment, on a database file and on the team server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.db import Database
from app.services.caseload import clients
from app.services.errors import Conflict, EditConflict
from tests.helpers import actor

pytestmark = pytest.mark.both_backends


@pytest.fixture
def file(session: Session, make_counsellor, today):  # type: ignore[no-untyped-def]
    anna = make_counsellor("anna")
    made = clients.create_client(
        session, {"given_name": "Ayşe", "family_name": "Yılmaz", "phone": "0470 12 34 56",
                  "email": "ayse@example.be"}, actor=actor(anna), referent_id=anna.id, today=today,
    )  # fmt: skip
    session.commit()
    return made.id, anna.id


@pytest.fixture
def child_env(backend: str, request: pytest.FixtureRequest) -> dict[str, str]:
    env = dict(os.environ)
    if backend == "postgresql":  # the children sign in as the test's superuser, through libpq
        env["PGPASSWORD"] = request.getfixturevalue("team_server").superuser_password
    return env


def race(database: Database, env: dict[str, str], go: Path, client_id: int, counsellor_id: int,
         edits: list[tuple[str, str]]) -> list[dict[str, object]]:  # fmt: skip
    """Both processes read, then save at once; what each of them was told."""
    url = database.engine.url.render_as_string(hide_password=True)
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.unit.edit_child",
                url,
                str(client_id),
                str(counsellor_id),
                field,
                value,
                str(go),
            ],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for field, value in edits
    ]
    for child in children:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    go.touch()
    results = []
    for child in children:
        out, _err = child.communicate(timeout=60)
        assert child.returncode == 0
        results.append(json.loads(out))
    return results


def test_two_people_changing_different_fields_both_keep_their_change(
    database: Database, session: Session, file: tuple[int, int], child_env: dict[str, str],
    tmp_path: Path,
) -> None:  # fmt: skip
    client_id, anna = file
    results = race(database, child_env, tmp_path / "go", client_id, anna,
                   [("phone", "0470 99 88 77"), ("email", "nieuw@example.be")])  # fmt: skip
    assert results == [{"saved": "0470 99 88 77"}, {"saved": "nieuw@example.be"}]
    session.expire_all()
    saved = clients.get_client(session, client_id)
    assert (saved.phone, saved.email) == ("+32470998877", "nieuw@example.be")


def test_two_people_changing_the_same_field_never_overwrite_each_other(
    database: Database, session: Session, file: tuple[int, int], child_env: dict[str, str],
    tmp_path: Path,
) -> None:  # fmt: skip
    client_id, anna = file
    results = race(database, child_env, tmp_path / "go", client_id, anna,
                   [("phone", "0470 11 11 11"), ("phone", "0470 22 22 22")])  # fmt: skip
    saved = [r for r in results if "saved" in r]
    refused = [r for r in results if "conflict" in r]
    assert len(saved) == 1 and len(refused) == 1  # one won; the other was asked, not overwritten
    winner = "+32470111111" if saved[0]["saved"] == "0470 11 11 11" else "+32470222222"
    loser = "+32470222222" if winner == "+32470111111" else "+32470111111"
    assert refused[0]["conflict"] == [["phone", winner, loser]]
    session.expire_all()
    assert clients.get_client(session, client_id).phone == winner


def test_a_conflict_writes_nothing_and_the_merged_value_saves_against_the_new_version(
    session: Session, file: tuple[int, int], today
) -> None:  # fmt: skip
    client_id, anna_id = file
    from app.models import Counsellor

    anna = actor(session.get(Counsellor, anna_id))  # type: ignore[arg-type]
    read = clients.get_client(session, client_id)
    version, base = read.version, {"phone": read.phone, "email": read.email}
    clients.update_client(session, client_id, {"phone": "0470 11 11 11"}, actor=anna)
    session.commit()
    with pytest.raises(EditConflict) as asked:
        clients.update_client(session, client_id, {"phone": "0470 22 22 22", "email": "x@y.be"},
                              actor=anna, expected_version=version, base=base)  # fmt: skip
    session.rollback()
    assert [c.field for c in asked.value.fields] == ["phone"]  # e-mail alone would have merged
    assert clients.get_client(session, client_id).email == "ayse@example.be"  # nothing written
    with pytest.raises(Conflict):  # without what was read, any change since is refused
        clients.update_client(session, client_id, {"phone": "0470 33 33 33"}, actor=anna,
                              expected_version=version)  # fmt: skip
    session.rollback()
    clients.update_client(session, client_id, {"phone": "0470 22 22 22", "email": "x@y.be"},
                          actor=anna, expected_version=asked.value.version,
                          base={"phone": "+32470111111", "email": "ayse@example.be"})  # fmt: skip
    session.commit()
    assert clients.get_client(session, client_id).phone == "+32470222222"
