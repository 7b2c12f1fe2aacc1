"""The backup's agenda and the overlap warning under the team server's row-level security:
a backup reads the covered client's appointments with the referent (the client is theirs to
see today), and is warned that the client is busy with the referent then."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from app.models.agenda_enums import AppointmentChannel, AppointmentPurpose
from app.services.caseload import assignments
from app.services.contact import appointment_overlaps, appointments
from app.services.contact.appointments import Draft
from tests.unit.test_team_server import TODAY, Team, make_client, team  # noqa: F401 (fixture)

BXL = ZoneInfo("Europe/Brussels")


def test_a_backup_reads_the_covered_clients_appointments_under_row_level_security(
    team: Team,  # noqa: F811 (the fixture imported above)
) -> None:
    annas = make_client(team, "anna")
    tomorrow = dt.datetime.combine(TODAY + dt.timedelta(days=1), dt.time(10), tzinfo=BXL)
    anna_db = team.open("anna")
    with anna_db.sessions() as session:
        anna = team.actor(anna_db, "anna")
        made = appointments.plan(session, anna, Draft(annas, anna.counsellor_id, tomorrow, 60,
                                                      AppointmentChannel.PHONE, AppointmentPurpose.FOLLOW_UP))  # fmt: skip
        session.commit()
        planned = made.id
    bert_db = team.open("bert")
    window = (tomorrow - dt.timedelta(days=1), tomorrow + dt.timedelta(days=1))
    with bert_db.sessions() as session:  # not yet his: row-level security hides it
        bert = team.actor(bert_db, "bert")
        assert appointments.agenda(session, bert, bert.counsellor_id, *window, covered=True) == []
    lea_db = team.open("lea")
    with lea_db.sessions() as session:
        assignments.set_backup(session, annas, team.ids["bert"], actor=team.actor(lea_db, "lea"),
                               until=TODAY + dt.timedelta(days=7), on=TODAY)  # fmt: skip
        session.commit()
    with bert_db.sessions() as session:
        seen = appointments.agenda(session, bert, bert.counsellor_id, *window, covered=True)
        assert [(i.id, i.covering_for) for i in seen] == [(planned, "Anna")]
        his = Draft(annas, bert.counsellor_id, tomorrow + dt.timedelta(minutes=30), 30,
                    AppointmentChannel.PHONE, AppointmentPurpose.FOLLOW_UP)  # fmt: skip
        assert [o.message for o in appointment_overlaps.overlaps(session, his, actor=bert)] == [
            "The client already has an appointment then, with Anna, from 10:00 to 11:00."
        ]
