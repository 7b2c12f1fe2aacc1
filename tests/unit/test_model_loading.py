"""The model package: the caseload's tables at import, the rest when first asked for."""

from __future__ import annotations

import subprocess
import sys

import pytest

import app.models
from app.models import load_all


def _fresh_interpreter(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_importing_the_package_leaves_the_other_tables_for_later() -> None:
    out = _fresh_interpreter(
        "import sys, app.models as m; print(sorted(m.Base.metadata.tables));"
        "print('app.models.activity' in sys.modules)"
    )
    tables, activity_loaded = out.splitlines()
    assert tables == "['assignments', 'clients', 'counsellors', 'org_settings']"
    assert activity_loaded == "False"


def test_a_class_asked_for_is_loaded_with_what_its_keys_point_at() -> None:
    out = _fresh_interpreter(
        "from app.models import ActionPoint, Base; print(sorted(Base.metadata.tables))"
    )
    assert "action_points" in out and "script_runs" in out  # ActionPoint.script_run_id


def test_load_all_gives_every_table() -> None:
    tables = set(load_all().metadata.tables)
    expected = {"clients", "counsellors", "assignments", "contacts", "appointments", "notes",
                "action_points", "script_runs", "script_answers", "offers", "referrals",
                "referral_events", "audit_entries", "org_settings", "consents"}  # fmt: skip
    assert expected <= tables


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="Contacts"):
        app.models.Contacts  # noqa: B018
