"""The batch of letters with worker processes: the same files as written in one process, each
audited once it is on disk; a cancel leaves whole letters only (no half-written or temporary
file), all of them audited; a folder that cannot be written to skips the letters with the
reason and audits none."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import AuditEntry
from app.models.enums import AuditAction
from app.services.privacy.access import Actor
from app.services.referrals.letters import batch
from tests.helpers import actor
from tests.unit.letter_fixtures import LUKASZ, NOUR, referral_for

NAMES = ("Ana", "Bo", "Cem", "Dana", "Eli", "Fatma", "Gert", "Hind", "Ilse", "Jan", "Koen", "Lina")


@pytest.fixture
def anna(make_counsellor) -> Actor:  # type: ignore[no-untyped-def]
    person = make_counsellor("anna")
    person.phone, person.email = "+3292101010", "anna@example.be"
    return actor(person)


@pytest.fixture
def referral_ids(session: Session, anna: Actor) -> list[int]:
    people = [
        {**(NOUR if n % 3 == 0 else LUKASZ), "given_name": name} for n, name in enumerate(NAMES)
    ]
    return [referral_for(session, anna, person).id for person in people]


def printed(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry)
                          .where(AuditEntry.action == AuditAction.PRINT)) or 0  # fmt: skip


def test_workers_write_what_one_process_writes(
    session: Session, anna: Actor, referral_ids: list[int], tmp_path: Path
) -> None:
    here, there = tmp_path / "here", tmp_path / "workers"
    here.mkdir(), there.mkdir()
    alone = batch.write_letters(session, anna, here, referral_ids, workers=0)
    steps: list[tuple[int, int]] = []
    pooled = batch.write_letters(session, anna, there, referral_ids,
                                 lambda done, total: steps.append((done, total)), workers=2)  # fmt: skip
    total = 2 * len(referral_ids)
    assert len(alone.written) == len(pooled.written) == total and not pooled.skipped
    assert [p.name for p in pooled.written] == [p.name for p in alone.written]  # in order
    assert all((here / p.name).read_bytes() == p.read_bytes() for p in pooled.written)
    assert steps[-1] == (total, total) and [d for d, _t in steps] == sorted(d for d, _t in steps)
    assert printed(session) == 2 * total


def test_a_cancelled_batch_leaves_whole_letters_only(
    session: Session, anna: Actor, referral_ids: list[int], tmp_path: Path
) -> None:
    folder, done = tmp_path / "letters", [0]
    folder.mkdir()

    def progress(written: int, _total: int) -> None:
        done[0] = written

    result = batch.write_letters(session, anna, folder, referral_ids, progress,
                                 cancelled=lambda: done[0] >= 3, workers=2)  # fmt: skip
    assert result.cancelled and 3 <= len(result.written) < 2 * len(referral_ids)
    on_disk = sorted(folder.iterdir())
    assert on_disk == sorted(result.written)  # no temporary (.part) file, nothing unaccounted
    for letter in on_disk:
        assert len(PdfReader(io.BytesIO(letter.read_bytes())).pages) >= 1
    assert printed(session) == len(result.written)


def test_a_folder_that_cannot_be_written_skips_the_letters(
    session: Session, anna: Actor, referral_ids: list[int], tmp_path: Path
) -> None:
    gone = tmp_path / "not there"
    result = batch.write_letters(session, anna, gone, referral_ids[:2], workers=0)
    assert not result.written and len(result.skipped) == 4
    assert all("Cannot write" in why and "not there" in why for _r, _c, why in result.skipped)
    assert printed(session) == 0 and not gone.exists()
