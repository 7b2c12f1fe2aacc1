"""The collector is paused only while Traject starts: every way out of `main` resumes it."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from app import cli


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    yield
    gc.unfreeze()
    gc.enable()


def test_a_headless_command_runs_with_the_collector_on(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.cli import caseload_commands as commands

    seen: list[bool] = []

    def check(_url: str, _args: object) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(commands, "check", check)
    assert cli.main(["--db", db_url, "check"]) == 0
    assert seen == [True] and gc.isenabled()


def test_bad_arguments_and_failures_resume_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit):
        cli.main(["--no-such-option"])
    assert gc.isenabled()
    missing = f"sqlite:///{tmp_path / 'absent' / 'deeper' / 'x.db'}"
    assert cli.main(["--db", missing, "clients"]) == 1
    assert gc.isenabled()
