"""Personal data is never world-readable: with the usual umask of 022, every file Traject writes
(exports, letters, paper forms, run sheets, hand-outs, cards, calendars, the recovery sheet,
the interface settings, the log and the crash trace) is 0600 and every folder Traject makes is
0700, while a folder the person chose keeps its mode. A writer that fails midway leaves the
earlier file as it was and no temporary file."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import cli, config, crash_report
from app.db import open_database
from app.models import Appointment, Client, Consent, Counsellor, Offer, Referral, ScriptRun
from app.services.privacy import gdpr
from app.services.privacy.access import Actor

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")

LETTER_FIELDS = ("provider", "partner_address", "referent_name", "referent_phone")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def modes(folder: Path) -> dict[str, int]:
    """Every file and folder under `folder` (temporary files included) with its mode."""
    return {str(p.relative_to(folder)): mode(p) for p in sorted(folder.rglob("*"))}


@pytest.fixture
def umask_022() -> Iterator[None]:
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    assert cli.main(["demo", "--clients", "150", "--seed", "1", "--lang", "en", "--db", url]) == 0
    return url


@pytest.fixture
def demo_session(demo_url: str) -> Iterator[Session]:
    database = open_database(demo_url)
    with database.sessions() as session:
        yield session
    database.close()


def a_letter(session: Session) -> tuple[str, str, str]:
    """Dossier, offer code and counsellor login of a referral with consent to share."""
    row = session.execute(
        select(Client.dossier, Offer.code, Counsellor.login)
        .join(Referral, Referral.client_id == Client.id)
        .join(Offer, Offer.id == Referral.offer_id)
        .join(Counsellor, Counsellor.id == Referral.counsellor_id)
        .join(Consent, Consent.client_id == Client.id)
        .order_by(Referral.id)
        .limit(1)
    ).one()
    return row[0], row[1], row[2]


def test_every_command_line_writer_makes_a_file_only_the_user_can_read(
    demo_session: Session, demo_url: str, tmp_path: Path, umask_022: None,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    dossier, offer, login = a_letter(demo_session)
    monkeypatch.setenv("TRAJECT_USER", login)
    chosen = tmp_path / "Documents"
    chosen.mkdir()  # the person's own folder: 0755 under this umask, and it stays so
    leave_out = [arg for field in LETTER_FIELDS for arg in ("--leave-out", field)]
    commands = {
        "export.json": ["export", dossier, "-o"],
        "export.pdf": ["export", dossier, "--format", "pdf", "-o"],
        "letter.pdf": ["letter", dossier, "--offer", offer, "--copy", "client", *leave_out, "-o"],
        "form.pdf": ["script", "blank", "digital-profile", "-o"],
        "agenda.ics": ["agenda", "--ics"],
    }
    for name, args in commands.items():
        assert cli.main([*args, str(chosen / name), "--lang", "en", "--db", demo_url]) == 0, (
            capsys.readouterr().err
        )
    assert modes(chosen) == dict.fromkeys(commands, 0o600)
    assert mode(chosen) == 0o755


def test_the_documents_printed_from_the_window_are_the_users_alone(
    demo_session: Session, tmp_path: Path, umask_022: None
) -> None:
    import datetime as dt

    from app.services.contact import appointment_card
    from app.services.privacy.recovery_sheet import write_recovery_sheet
    from app.services.scripts import internet_sheet, run_sheet
    from app.services.scripts.loader import load_catalogue

    run = demo_session.scalars(select(ScriptRun).where(ScriptRun.finished_at.is_not(None))).first()
    appointment = demo_session.scalars(select(Appointment)).first()
    assert run is not None and appointment is not None
    client = demo_session.get(Client, run.client_id)
    assert client is not None
    script = load_catalogue().get(run.script_id)
    run_sheet.write(demo_session, run, script, tmp_path / "run.pdf")
    internet_sheet.write(demo_session, run, client, tmp_path / "hand-out.pdf")
    card_by = Actor.load(demo_session, appointment.counsellor_id)
    appointment_card.write(demo_session, card_by, appointment.id, tmp_path / "card.pdf")
    demo_session.rollback()  # the audit entry of the print is not what this test is about
    write_recovery_sheet(tmp_path / "key.pdf", "Werkwinkel", "ABCD-" * 7 + "ABCD", dt.date.today())
    assert modes(tmp_path) == dict.fromkeys(
        ("card.pdf", "hand-out.pdf", "key.pdf", "run.pdf"), 0o600
    )


def test_the_folders_traject_makes_are_the_users_alone(umask_022: None) -> None:
    from app.ui.ui_settings import UiSettings

    folders = [config.data_dir(), config.default_backup_dir(), config.config_dir(),
               crash_report.log_dir()]  # fmt: skip
    assert [mode(folder) for folder in folders] == [0o700] * 4
    settings = UiSettings()
    settings.set("last_client_id", 7)
    settings.sync()
    assert settings.path.parent == config.config_dir() and mode(settings.path) == 0o600


@pytest.fixture
def fault_file(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(crash_report.faulthandler, "enable", lambda file: None)  # pytest's own
    monkeypatch.setattr(crash_report, "_fault_file", None)
    logger = logging.getLogger(crash_report.LOGGER)
    handlers = list(logger.handlers)
    yield
    for handler in logger.handlers[len(handlers) :]:
        handler.close()
        logger.removeHandler(handler)
    if crash_report._fault_file is not None:
        crash_report._fault_file.close()


def test_the_log_its_older_files_and_the_crash_trace_are_the_users_alone(
    tmp_path: Path, umask_022: None, fault_file: None
) -> None:
    folder = tmp_path / "state" / "log"
    log_file = crash_report.start_logging(folder)
    logger = logging.getLogger(crash_report.LOGGER)
    handler = next(h for h in logger.handlers if getattr(h, "baseFilename", "") == str(log_file))
    assert isinstance(handler, logging.handlers.RotatingFileHandler)
    handler.doRollover()
    logger.info("after the rotation")
    assert mode(folder) == 0o700
    written = (crash_report.FAULT_NAME, "traject.log", "traject.log.1")
    assert modes(folder) == dict.fromkeys(written, 0o600)


def test_a_log_left_readable_by_an_older_version_is_made_private(
    tmp_path: Path, umask_022: None, fault_file: None
) -> None:
    folder = tmp_path / "log"
    folder.mkdir(mode=0o755)
    for name in (crash_report.LOG_NAME, crash_report.FAULT_NAME):
        (folder / name).write_text("earlier\n")
        (folder / name).chmod(0o644)
    crash_report.start_logging(folder)
    assert mode(folder) == 0o700 and set(modes(folder).values()) == {0o600}
    assert (folder / crash_report.LOG_NAME).read_text().startswith("earlier\n")


def _disk_full(*_args: Any) -> bytes:
    raise OSError(28, "No space left on device")


def _export(session: Session, target: Path) -> None:
    from app.services.caseload.assignments import current_referent
    from app.services.privacy.export_pdf import write_export_pdf

    client = session.scalars(select(Client)).first()
    assert client is not None
    referent = current_referent(session, client.id)
    assert referent is not None
    data = gdpr.export_data(session, Actor.load(session, referent.counsellor_id), client.id)
    write_export_pdf(data, target, None)
    session.rollback()


def _blank(_session: Session, target: Path) -> None:
    from app.services.scripts.loader import load_catalogue
    from app.services.scripts.paper_form import write_blank

    write_blank(load_catalogue().get("digital-profile"), "en", target)


def _key(_session: Session, target: Path) -> None:
    import datetime as dt

    from app.services.privacy.recovery_sheet import write_recovery_sheet

    write_recovery_sheet(target, "Werkwinkel", "ABCD-" * 7 + "ABCD", dt.date.today())


@pytest.mark.parametrize("writer", [_export, _blank, _key], ids=["export", "paper form", "key"])
def test_a_pdf_that_fails_midway_leaves_the_earlier_file_and_no_temporary(
    writer: Any, demo_session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportlab.pdfbase.pdfdoc import PDFDocument

    target = tmp_path / "out.pdf"
    target.write_bytes(b"the earlier file")
    monkeypatch.setattr(PDFDocument, "GetPDFData", _disk_full)
    with pytest.raises(OSError, match="No space left"):
        writer(demo_session, target)
    assert target.read_bytes() == b"the earlier file"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


def test_an_export_that_cannot_be_written_fails_in_one_line_and_leaves_nothing(
    demo_session: Session, demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from reportlab.pdfbase.pdfdoc import PDFDocument

    dossier, _offer, login = a_letter(demo_session)
    monkeypatch.setenv("TRAJECT_USER", login)
    monkeypatch.setattr(PDFDocument, "GetPDFData", _disk_full)
    target = tmp_path / "export.pdf"
    args = ["export", dossier, "--format", "pdf", "-o", str(target), "--lang", "en"]
    assert cli.main([*args, "--db", demo_url]) == 1
    assert f"Cannot write {target} (No space left on device)" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
