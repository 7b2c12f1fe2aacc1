"""Traject finds its data, catalogs and migrations as packages of the installed Traject, from
any current folder; a catalog that is missing is logged, never silently English."""

from __future__ import annotations

import gettext
import logging
from pathlib import Path

import pytest

from app import i18n, package_data


def test_found_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert (package_data.resources() / "scripts" / "digital-profile.yaml").is_file()
    assert (package_data.resources() / "fonts" / "LICENSE-DejaVu.txt").is_file()
    assert (package_data.resources() / "icons" / "traject.svg").is_file()
    assert (package_data.translations() / "nl" / "LC_MESSAGES").is_dir()
    assert (package_data.migrations() / "env.py").is_file()


def test_a_package_that_is_not_installed_says_so() -> None:
    with pytest.raises(package_data.MissingPackageData, match="reinstall Traject"):
        package_data.folder("app.not_installed")


def test_a_missing_catalog_is_logged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(package_data, "translations", lambda: tmp_path)
    with caplog.at_level(logging.WARNING, logger="traject.i18n"):
        found = i18n._load("nl")
    assert type(found) is gettext.NullTranslations
    assert "No messages catalog for language 'nl'" in caplog.text


def test_every_shipped_catalog_is_found(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="traject.i18n"):
        for language in i18n.DOCUMENT_LANGUAGES:
            i18n._load(language, i18n.DOCUMENTS_DOMAIN)
        for language in i18n.LANGUAGES:
            assert type(i18n._load(language)) is not gettext.NullTranslations
    assert caplog.text == ""
