"""`traject agenda --ics` on a demo database: the file parses, every appointment of the
counsellor in the period appears once at its local time (the demo period crosses the end of
summer time on 25 October 2026), a second export gives the same UIDs, and no client's name
is in the file unless the organisation allows names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.models import Appointment, Client, Counsellor
from tests.e2e.test_cli import traject

pytestmark = pytest.mark.slow
BXL = ZoneInfo("Europe/Brussels")


def test_agenda_export_of_the_demo(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    made = traject("demo", "--clients", "1500", "--seed", "4", "--as-of", "2026-11-05", "--db", url)
    assert made.returncode == 0, made.stderr
    engine = create_engine(url)
    with Session(engine) as session:
        login, counsellor_id = session.execute(
            select(Counsellor.login, Counsellor.id).join(Appointment, Appointment.counsellor_id == Counsellor.id)
            .group_by(Counsellor.id).order_by(Counsellor.id).limit(1)).one()  # fmt: skip
        expected = {a.id: a.starts_at.astimezone(BXL) for a in session.scalars(
            select(Appointment).where(Appointment.counsellor_id == counsellor_id))}  # fmt: skip
        names = [f"{c.given_name} {c.family_name}" for c in session.scalars(select(Client))]
    engine.dispose()
    assert any(t.utcoffset() == dt.timedelta(hours=2) for t in expected.values())  # summer time
    assert any(t.utcoffset() == dt.timedelta(hours=1) for t in expected.values())  # winter time
    out = tmp_path / "out.ics"
    args = ("agenda", "--from", "2026-06-01", "--to", "2026-12-31", "--ics", str(out), "--db", url)
    result = traject(*args, env={"TRAJECT_USER": login})
    assert result.returncode == 0, result.stderr
    assert f"Wrote {len(expected)} appointment" in result.stdout
    events = list(icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    uids = [str(e["uid"]) for e in events]
    assert len(uids) == len(set(uids)) == len(expected)
    by_id = {
        int(uid.split("@")[0].removeprefix("appointment-")): e
        for uid, e in zip(uids, events, strict=True)
    }
    for appointment_id, start in expected.items():
        shown = by_id[appointment_id].decoded("dtstart")
        assert (shown.hour, shown.minute, shown.utcoffset()) == (
            start.hour,
            start.minute,
            start.utcoffset(),
        )
    text = out.read_text(encoding="utf-8")
    assert not [name for name in names if name in text]
    again = tmp_path / "again.ics"
    assert (
        traject(
            *args[:-4], "--ics", str(again), "--db", url, env={"TRAJECT_USER": login}
        ).returncode
        == 0
    )
    assert [
        str(e["uid"]) for e in icalendar.Calendar.from_ical(again.read_bytes()).walk("VEVENT")
    ] == uids
    refused = traject("agenda", "--from", "2026-13-01", "--ics", str(tmp_path / "x.ics"), "--db", url,
                      env={"TRAJECT_USER": login})  # fmt: skip
    assert refused.returncode == 1 and "--from: type the date as yyyy-mm-dd" in refused.stderr
    assert not (tmp_path / "x.ics").exists()
