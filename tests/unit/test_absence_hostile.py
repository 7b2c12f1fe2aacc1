"""Absences under pressure: two processes declaring one counsellor's absence at once give the
clients one backup each, not two; a start years ahead is refused by name (and never overflows
the calendar); an absence carries no note anyone could read; a notice of a kind this version
does not know is left out instead of stopping the list."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.db import Database
from app.models import Assignment
from app.models.base import utcnow
from app.models.enums import AssignmentRole
from app.models.team import Absence, NoticeKind
from app.services.errors import ValidationFailed
from app.services.team import absence, notices
from tests.unit.test_absence_cover import DAY, TODAY, office  # noqa: F401 - the fixture

pytestmark = pytest.mark.both_backends


@pytest.fixture
def child_env(backend: str, request: pytest.FixtureRequest) -> dict[str, str]:
    env = dict(os.environ)
    if backend == "postgresql":  # the children sign in as the test's superuser, through libpq
        env["PGPASSWORD"] = request.getfixturevalue("team_server").superuser_password
    return env


def _child(url: str, run: tuple[Any, ...], go: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    """One process declaring (by, away, backup, first day, last day)."""
    by, away, backup, first, last = run
    argv = [sys.executable, "-m", "tests.unit.absence_child", url, str(by), str(away),
            str(backup), first.isoformat(), last.isoformat(), str(go)]  # fmt: skip
    return subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env)


def test_two_declarations_at_once_give_each_client_one_backup(
    database: Database, session: Session, office: dict[str, Any],  # noqa: F811
    child_env: dict[str, str], tmp_path: Path,
) -> None:  # fmt: skip
    """Anna declares four days from today, her team lead five days from tomorrow, in two
    processes at the same moment: the second waits for the first, then sees the overlap."""
    url = database.engine.url.render_as_string(hide_password=True)
    anna, lea = office["anna"].counsellor_id, office["lea"].counsellor_id
    go = tmp_path / "go"
    runs = ((anna, anna, office["bert"].counsellor_id, TODAY, TODAY + 3 * DAY),
            (lea, anna, office["cas"].counsellor_id, TODAY + DAY, TODAY + 5 * DAY))  # fmt: skip
    children = [_child(url, run, go, child_env) for run in runs]
    try:
        for child in children:
            assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        go.touch()
        results = []
        for child in children:
            out, _err = child.communicate(timeout=60)
            assert child.returncode == 0
            results.append(json.loads(out))
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
            child.wait()
            if child.stdout is not None:
                child.stdout.close()
    declared = [r for r in results if "declared" in r]
    refused = [r for r in results if "refused" in r]
    assert len(declared) == 1 and len(refused) == 1
    assert "Anna Peeters is already away" in refused[0]["refused"][0]
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Absence)) == 1
    backups = session.execute(select(Assignment.client_id, func.count()).where(
        Assignment.role == AssignmentRole.BACKUP).group_by(Assignment.client_id)).all()  # fmt: skip
    assert sorted(c for c, _n in backups) == sorted(office["annas"])
    assert {n for _c, n in backups} == {1}


def test_a_start_years_ahead_is_refused_by_name(
    session: Session,
    office: dict[str, Any],  # noqa: F811
) -> None:
    anna = office["anna"]
    far = TODAY.replace(year=TODAY.year + 3)
    for first, last in ((far, far), (TODAY.max, TODAY.max)):
        with pytest.raises(ValidationFailed) as refused:
            absence.declare(session, anna, anna.counsellor_id, first, last)
        assert refused.value.errors == {"away_from": (
            "Away from: the first day is more than two years away; give a day within two years "
            "from today.")}  # fmt: skip
        with pytest.raises(ValidationFailed, match="Away from: the first day"):
            absence.plan(session, anna, anna.counsellor_id, first, last)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Absence)) == 0
    near = TODAY + 700 * DAY
    absence.declare(session, anna, anna.counsellor_id, near, near + DAY)  # within two years


def test_traject_absence_refuses_the_last_day_of_the_calendar(
    database: Database, office: dict[str, Any], backend: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from app.cli import main

    if backend == "postgresql":
        pytest.skip("the command signs in to a server with a password; the file shows the same")
    monkeypatch.setenv("TRAJECT_USER", "anna")
    code = main(["absence", "anna", "--from", "9999-12-31", "--to", "9999-12-31", "--backup",
                 "bert", "--db", str(database.engine.url), "--lang", "en"])  # fmt: skip
    said = capsys.readouterr().err
    assert code == 1 and "Away from: the first day is more than two years away" in said
    assert "Traceback" not in said and "Overflow" not in said
    with pytest.raises(SystemExit):  # no note any more: nobody writes one for all to read
        main(["absence", "anna", "--from", TODAY.isoformat(), "--to", TODAY.isoformat(),
              "--note", "sick", "--db", str(database.engine.url), "--lang", "en"])  # fmt: skip
    assert "unrecognized arguments: --note" in capsys.readouterr().err


def test_an_absence_keeps_no_note(session: Session, office: dict[str, Any]) -> None:  # noqa: F811
    anna = office["anna"]
    with pytest.raises(TypeError):
        absence.declare(session, anna, anna.counsellor_id, TODAY, TODAY, note="sick: burnout")  # type: ignore[call-arg]
    absence.declare(session, anna, anna.counsellor_id, TODAY, TODAY + DAY)
    session.commit()
    [view] = absence.current_and_coming(session)
    assert "note" not in {f.name for f in dataclasses.fields(view)}


def test_a_notice_of_an_unknown_kind_is_left_out(
    session: Session,
    office: dict[str, Any],  # noqa: F811
) -> None:
    anna, bert = office["anna"], office["bert"]
    absence.declare(session, anna, anna.counsellor_id, TODAY, TODAY + DAY,
                    backup_id=bert.counsellor_id)  # fmt: skip
    if session.get_bind().dialect.name == "postgresql":  # the server refuses such a row at all
        session.execute(text("ALTER TABLE notices DROP CONSTRAINT ck_notices_kind"))  # (0013)
    session.execute(text("INSERT INTO notices (counsellor_id, kind, from_counsellor_id, "
                         "created_at) VALUES (:to, 'zzz_bogus', :by, :at)"),
                    {"to": bert.counsellor_id, "by": anna.counsellor_id, "at": utcnow()})  # fmt: skip
    session.commit()
    assert [n.kind for n in notices.unread(session, bert)] == [NoticeKind.COVER]
    assert [n.kind for n in notices.all_for(session, bert)] == [NoticeKind.COVER]
