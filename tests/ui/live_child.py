"""A colleague in a process of their own, for the live update tests: reassigns a client to
another referent, or plans an appointment for today, and commits."""

from __future__ import annotations

import datetime as dt
import sys

from app.db import open_database
from app.models import Counsellor
from app.models.agenda_enums import AppointmentChannel, AppointmentPurpose
from app.services.caseload import assignments
from app.services.clock import local_today
from app.services.contact import appointments
from tests.helpers import actor


def main(url: str, action: str, client_id: int, counsellor_id: int) -> None:
    database = open_database(url)  # the password comes from PGPASSWORD, as psql reads it
    with database.sessions() as session:
        person = session.get(Counsellor, counsellor_id)
        assert person is not None
        if action == "reassign":
            assignments.start_referent(session, client_id, counsellor_id)
        else:
            start = dt.datetime.combine(local_today(), dt.time(12, 0)).astimezone()
            draft = appointments.Draft(client_id, counsellor_id, start, 30,
                                       AppointmentChannel.PHONE, AppointmentPurpose.FOLLOW_UP)  # fmt: skip
            appointments.plan(session, actor(person), draft)
        session.commit()
    database.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
