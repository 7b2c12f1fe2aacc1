"""End-to-end: `traject init`, `user add|remove|passwd` and signed-in commands on an encrypted file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.e2e.test_cli import traject

pytestmark = pytest.mark.slow

ANNA = {"TRAJECT_USER": "anna", "TRAJECT_PASSWORD": "anna's long password"}


def _login(url: str, role: str | None = None, referent_of: str | None = None) -> str:
    """A counsellor's login in a plain demo file: the first with `role`, or the referent of
    the dossier `referent_of`."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        if referent_of is not None:
            found = conn.execute(text(
                "SELECT c.login FROM assignments a JOIN counsellors c ON c.id = a.counsellor_id "
                "JOIN clients k ON k.id = a.client_id WHERE k.dossier = :d AND a.role = 'referent' "
                "AND a.ends_on IS NULL"), {"d": referent_of}).scalar_one()  # fmt: skip
        else:
            found = conn.execute(text("SELECT login FROM counsellors WHERE role = :r ORDER BY id"),
                                 {"r": role}).scalars().first()  # fmt: skip
    engine.dispose()
    assert found is not None
    return str(found)


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("enc") / "caseload.db"
    pdf = path.with_name("recovery.pdf")
    result = traject("init", "--org", "OCMW Sint-Gillis", "--name", "Anna Aerts", "--db", str(path),
                     "--recovery-pdf", str(pdf), env=ANNA)  # fmt: skip
    assert result.returncode == 0, result.stderr
    match = re.search(r"\b([A-Z2-7]{4}(?:-[A-Z2-7]{4}){7})\b", result.stdout)
    assert match, result.stdout
    assert pdf.exists() and path.with_suffix(".keys").exists()
    return path, match.group(1)


def test_demo_on_the_encrypted_file_then_check_and_search(initialised: tuple[Path, str]) -> None:
    path, _key = initialised
    result = traject("demo", "--clients", "300", "--seed", "2", "--as-of", "2026-06-30",
                     "--db", str(path), env=ANNA)  # fmt: skip
    assert result.returncode == 0, result.stderr
    check = traject("check", "--db", str(path), env=ANNA)
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith("Encrypted database (SQLCipher); key slots: 1")
    assert check.stdout.strip().endswith("Check: ok")
    found = json.loads(traject("clients", "--format", "json", "--db", str(path), env=ANNA).stdout)
    assert 0 < len(found) < 300  # Anna's own caseload, not the whole organisation's


def test_wrong_password_is_refused_in_one_clean_line(initialised: tuple[Path, str]) -> None:
    path, _key = initialised
    result = traject("clients", "--db", str(path),
                     env={"TRAJECT_USER": "anna", "TRAJECT_PASSWORD": "guess"})  # fmt: skip
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == "traject: The login or password is not correct.\n"
    no_terminal = traject(
        "clients", "--db", str(path), env={"TRAJECT_USER": "", "TRAJECT_PASSWORD": ""}
    )
    assert no_terminal.returncode == 1
    assert "Set TRAJECT_USER and TRAJECT_PASSWORD" in no_terminal.stderr


def test_accounts_added_removed_and_reset_with_the_recovery_key(
    initialised: tuple[Path, str],
) -> None:
    path, recovery = initialised
    bart = {"TRAJECT_USER": "bart", "TRAJECT_PASSWORD": "bart's long password"}
    added = traject("user", "add", "bart", "--name", "Bart Baert", "--db", str(path),
                    env={**ANNA, "TRAJECT_NEW_PASSWORD": bart["TRAJECT_PASSWORD"]})  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert traject("check", "--db", str(path), env=bart).returncode == 0
    refused = traject("user", "add", "carla", "--db", str(path),
                      env={**bart, "TRAJECT_NEW_PASSWORD": "carla's long password"})  # fmt: skip
    assert refused.returncode == 1 and "Only an administrator" in refused.stderr
    removed = traject("user", "remove", "bart", "--db", str(path), env=ANNA)
    assert removed.returncode == 0, removed.stderr
    assert str(path) in removed.stdout and "has a new key" in removed.stdout
    renewed_key = re.search(r"\b([A-Z2-7]{4}(?:-[A-Z2-7]{4}){7})\b", removed.stdout)
    assert renewed_key, removed.stdout  # the recovery key is replaced with the removal
    recovery = renewed_key.group(1)
    assert traject("check", "--db", str(path), env=bart).returncode == 1
    reset = traject("user", "passwd", "anna", "--recovery", "--db", str(path),
                    env={"TRAJECT_RECOVERY_KEY": recovery,
                         "TRAJECT_NEW_PASSWORD": "anna's new password"})  # fmt: skip
    assert reset.returncode == 0, reset.stderr
    assert traject("check", "--db", str(path), env=ANNA).returncode == 1
    renewed = {"TRAJECT_USER": "anna", "TRAJECT_PASSWORD": "anna's new password"}
    assert traject("check", "--db", str(path), env=renewed).returncode == 0


def test_a_plain_url_is_marked_unencrypted(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plain.db'}"
    assert traject("demo", "--clients", "5", "--db", url).returncode == 0
    check = traject("check", "--db", url)
    assert check.stdout.startswith("UNENCRYPTED database: for tests and demos only")


def test_export_and_erase_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plain.db'}"
    assert traject("demo", "--clients", "20", "--seed", "4", "--db", url).returncode == 0
    listed = json.loads(traject("clients", "--format", "json", "--db", url).stdout)
    dossier = listed[0]["dossier"]
    nobody = traject("export", dossier, "--db", url, env={"TRAJECT_USER": ""})
    assert nobody.returncode == 1 and "Set TRAJECT_USER" in nobody.stderr
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:  # the referent, and a team lead for erasing
        referent = conn.execute(text(
            "SELECT c.login FROM assignments a JOIN counsellors c ON c.id = a.counsellor_id "
            "JOIN clients k ON k.id = a.client_id WHERE k.dossier = :d AND a.role = 'referent' "
            "AND a.ends_on IS NULL"), {"d": dossier}).scalar_one()  # fmt: skip
        lead = (
            conn.execute(text("SELECT login FROM counsellors WHERE role = 'team_lead'"))
            .scalars()
            .first()
        )
    engine.dispose()
    exported = traject("export", dossier, "--db", url, env={"TRAJECT_USER": referent})
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["client"]["dossier"] == dossier
    pdf = tmp_path / "export.pdf"
    assert traject("export", dossier, "--format", "pdf", "-o", str(pdf), "--db", url,
                   env={"TRAJECT_USER": referent}).returncode == 0 and pdf.stat().st_size > 1000  # fmt: skip
    refused = traject("erase", dossier, "--reason", "asked for it by letter", "--yes", "--db", url,
                      env={"TRAJECT_USER": referent})  # fmt: skip
    assert refused.returncode == 1 and "team lead" in refused.stderr
    erased = traject("erase", dossier, "--reason", "asked for it by letter", "--yes", "--db", url,
                     env={"TRAJECT_USER": lead})  # fmt: skip
    assert erased.returncode == 0, erased.stderr
    assert "removes for good" in erased.stdout
    gone = traject("export", dossier, "--db", url, env={"TRAJECT_USER": referent})
    assert gone.returncode == 1
    check = traject("check", "--db", url)
    assert "chain intact" in check.stdout and check.returncode == 0


def test_check_reports_a_removed_audit_entry_and_where(tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    url = f"sqlite:///{tmp_path / 'plain.db'}"
    assert traject("demo", "--clients", "5", "--db", url).returncode == 0
    engine = create_engine(url)
    with engine.begin() as conn:
        login = conn.execute(text("SELECT login FROM counsellors ORDER BY id LIMIT 1")).scalar_one()
    for _ in range(3):  # three exports: three audit entries
        assert traject("clients", "--db", url, env={"TRAJECT_USER": login}).returncode == 0
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entries WHERE id = 2"))
    engine.dispose()
    check = traject("check", "--db", url)
    assert check.returncode == 1
    assert "Problem: Audit trail: entries 2 to 2 are missing." in check.stdout
    assert check.stdout.strip().endswith("Check: problems found")


def test_settings_shown_and_changed_only_with_valid_values(tmp_path: Path) -> None:
    path = tmp_path / "settings.db"
    made = traject(
        "init", "--org", "Werkwinkel Gent", "--name", "Anna Aerts", "--db", str(path), env=ANNA
    )
    assert made.returncode == 0, made.stderr
    assert "retention_years=5" in traject("settings", "--db", str(path), env=ANNA).stdout
    refused = traject("settings", "retention_years=99", "--db", str(path), env=ANNA)
    assert refused.returncode == 1 and "from 1 to 30" in refused.stderr
    assert "retention_years=5" in traject("settings", "--db", str(path), env=ANNA).stdout
    changed = traject("settings", "retention_years=7", "--db", str(path), env=ANNA)
    assert changed.returncode == 0 and "retention_years=7" in changed.stdout


@pytest.mark.parametrize("where", ["before", "after"])
def test_erase_acts_on_the_database_named_by_db_and_says_which(tmp_path: Path, where: str) -> None:
    """`traject --db B erase …` erased from the default database (TRAJECT_DB) instead of B."""

    default, chosen = tmp_path / "default.db", tmp_path / "chosen.db"
    for path in (default, chosen):  # the same seed: the same dossier numbers in both
        assert (
            traject(
                "demo", "--clients", "10", "--seed", "4", "--db", f"sqlite:///{path}"
            ).returncode
            == 0
        )
    url = f"sqlite:///{chosen}"
    dossier = json.loads(traject("clients", "--format", "json", "--db", url).stdout)[0]["dossier"]
    lead = _login(url, role="team_lead")
    erase = ["erase", dossier, "--reason", "asked for it by letter", "--yes"]
    argv = ["--db", url, *erase] if where == "before" else [*erase, "--db", url]
    erased = traject(*argv, env={"TRAJECT_USER": lead, "TRAJECT_DB": f"sqlite:///{default}"})
    assert erased.returncode == 0, erased.stderr
    assert str(chosen) in erased.stdout and str(default) not in erased.stdout

    def dossiers(path: Path) -> set[str]:
        listed = traject("clients", "--format", "json", "--db", f"sqlite:///{path}")
        return {row["dossier"] for row in json.loads(listed.stdout)}

    assert dossier not in dossiers(chosen)
    assert dossier in dossiers(default)


def test_erase_refused_says_nothing_about_the_file(tmp_path: Path) -> None:
    """A counsellor who may not erase is refused before the confirmation lists what the file holds."""
    url = f"sqlite:///{tmp_path / 'plain.db'}"
    assert traject("demo", "--clients", "5", "--seed", "4", "--db", url).returncode == 0
    dossier = json.loads(traject("clients", "--format", "json", "--db", url).stdout)[0]["dossier"]
    counsellor = _login(url, role="counsellor")
    refused = traject("erase", dossier, "--reason", "asked for it by letter", "--db", url,
                      env={"TRAJECT_USER": counsellor})  # fmt: skip
    assert refused.returncode == 1 and "team lead" in refused.stderr
    assert refused.stdout == ""


def test_a_busy_caseload_is_a_sentence_and_readers_still_read(tmp_path: Path) -> None:
    """While another process holds the write lock (a long import), a command that writes waits,
    then says the caseload is busy (no `database is locked` traceback); one that reads works."""
    from tests.helpers_busy import write_lock_held

    path = tmp_path / "plain.db"
    url = f"sqlite:///{path}"
    assert traject("demo", "--clients", "5", "--seed", "4", "--db", url).returncode == 0
    dossier = json.loads(traject("clients", "--format", "json", "--db", url).stdout)[0]["dossier"]
    referent = _login(url, referent_of=dossier)
    with write_lock_held(path):
        listed = traject("clients", "--format", "json", "--db", url)
        assert listed.returncode == 0, listed.stderr
        busy = traject("export", dossier, "--db", url, env={"TRAJECT_USER": referent})
    assert busy.returncode == 1 and busy.stdout == ""
    assert (
        busy.stderr.startswith("traject: The caseload is busy") and "Traceback" not in busy.stderr
    )
    assert traject("export", dossier, "--db", url, env={"TRAJECT_USER": referent}).returncode == 0
