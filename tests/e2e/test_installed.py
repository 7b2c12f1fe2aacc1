"""What an organisation installs: the wheel in a fresh environment, and the one-folder desktop
app frozen from it, each run from a folder outside the checkout, as a new user would."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.models import Client, Counsellor, Offer, Referral

ROOT = Path(__file__).resolve().parents[2]
WINDOWS = sys.platform == "win32"
BIN = "Scripts" if WINDOWS else "bin"
#: the command to type: on Windows `traject` opens the window without a console (a GUI
#: program), so the command line is `traject-cli`, in the wheel and in the desktop build
CLI = "traject-cli" if WINDOWS else "traject"
pytestmark = pytest.mark.slow


class Installed:
    """A Traject command (the wheel's or the frozen app's) run like a user runs it: from an
    empty folder, with its own data folders and no trace of the checkout."""

    def __init__(self, command: Path, home: Path) -> None:
        self.command, self.home = command, home
        self.cwd = home / "work"
        self.cwd.mkdir(parents=True, exist_ok=True)

    def __call__(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        clean = {k: v for k, v in os.environ.items()
                 if not k.startswith(("TRAJECT_", "PYTHON", "VIRTUAL_ENV", "XDG_", "LC_", "LANG"))}  # fmt: skip
        clean.update(HOME=str(self.home), XDG_DATA_HOME=str(self.home / "data"),
                     XDG_CONFIG_HOME=str(self.home / "config"),
                     XDG_STATE_HOME=str(self.home / "state"), QT_QPA_PLATFORM="offscreen", **env)  # fmt: skip
        return subprocess.run([str(self.command), *args], cwd=self.cwd, env=clean,
                              capture_output=True, text=True, timeout=300, check=False)  # fmt: skip


def _run(*command: str | Path) -> None:
    subprocess.run([str(c) for c in command], check=True, capture_output=True, timeout=900)


@pytest.fixture(scope="module")
def wheel_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """The wheel that `make dist` builds, installed in a new virtual environment."""
    base = tmp_path_factory.mktemp("installed")
    _run(sys.executable, ROOT / "packaging" / "build.py", "--wheel-only", "--dist", base / "dist",
         "--work", base / "build")  # fmt: skip
    (wheel,) = (base / "dist").glob("traject-*-py3-none-any.whl")
    _run(sys.executable, "-m", "venv", base / "venv")
    _run(base / "venv" / BIN / "python", "-m", "pip", "install", "--quiet",
         "--disable-pip-version-check", wheel)  # fmt: skip
    yield wheel, base / "venv"


def _referral(url: str) -> tuple[str, str, str]:
    engine = create_engine(url)
    with Session(engine) as session:
        found = session.execute(
            select(Client.dossier, Offer.code, Counsellor.login)
            .join(Referral, Referral.client_id == Client.id).join(Offer, Offer.id == Referral.offer_id)
            .join(Counsellor, Counsellor.id == Referral.counsellor_id).limit(1)).one()  # fmt: skip
    engine.dispose()
    return found[0], found[1], found[2]


def _pdf_text_and_fonts(path: Path) -> tuple[str, dict[str, bool]]:
    """The text of every page, and each font that draws any of it by whether the font's file
    is embedded in the PDF."""
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    fonts: dict[str, bool] = {}

    def seen(
        text: str, _cm: object, _tm: object, font: DictionaryObject | None, _size: float
    ) -> None:
        if text.strip() and font is not None:
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts[str(font["/BaseFont"])] = embedded

    text = "\n".join(page.extract_text(visitor_text=seen) for page in reader.pages)
    return text, fonts


def _checks_of_an_installed_traject(traject: Installed, pdf_words: str) -> None:
    """What both installed forms must do: speak the chosen language, print the paper form
    with its fonts, take a screenshot of the caseload."""
    form = traject.cwd / "form.pdf"
    made = traject("script", "blank", "digital-profile", "--lang", "nl", "-o", str(form))
    assert made.returncode == 0, made.stderr
    text, fonts = _pdf_text_and_fonts(form)
    assert pdf_words in text and "Heb je een e-mailadres?" in text
    assert fonts and all(fonts.values()), fonts
    anna = {
        "TRAJECT_USER": "anna",
        "TRAJECT_PASSWORD": "anna's long password",
        "TRAJECT_LANG": "en",
    }
    # a new user's caseload in their data folder (platformdirs follows XDG_DATA_HOME on Linux
    # only: elsewhere the test names the file, and does not touch the real user folders)
    caseload = traject.home / "data" / "Traject" / "traject.db"
    where = [] if sys.platform.startswith("linux") else ["--db", str(caseload)]
    made = traject("init", "--org", "OCMW Sint-Gillis", "--name", "Anna Aerts", *where, **anna)
    assert made.returncode == 0, made.stderr  # SQLCipher, Argon2id and the key slots
    checked = traject("check", *where, **anna)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("Encrypted database (SQLCipher)")
    assert checked.stdout.strip().endswith("Check: ok")
    assert caseload.is_file()
    url = f"sqlite:///{traject.cwd / 'demo.db'}"
    demo = traject("demo", "--clients", "200", "--db", url, TRAJECT_LANG="en")
    assert demo.returncode == 0, demo.stderr
    assert "Created 200 clients" in demo.stdout
    shot = traject.cwd / "caseload.png"
    taken = traject("--screenshot", str(shot), "--db", url, "--lang", "ar")
    assert taken.returncode == 0, taken.stderr
    assert "Detected locale" not in taken.stderr  # no locale set: UTF-8 all the same
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_the_installed_wheel_carries_everything(
    wheel_env: tuple[Path, Path], tmp_path: Path
) -> None:
    _wheel, venv = wheel_env
    traject = Installed(venv / BIN / CLI, tmp_path)
    helped = traject("--lang", "nl", "--help")
    assert helped.returncode == 0, helped.stderr
    assert helped.stdout.startswith("gebruik: traject")
    assert "consulenten" in helped.stdout and "deze hulptekst tonen en stoppen" in helped.stdout
    where = traject.command.parent / "python"
    located = subprocess.run([str(where), "-c", "import app; print(app.__file__)"],
                             cwd=traject.cwd, capture_output=True, text=True, check=True)  # fmt: skip
    assert str(ROOT) not in located.stdout  # the installed package, not the checkout
    _checks_of_an_installed_traject(traject, "Digitaal profiel")

    url = f"sqlite:///{traject.cwd / 'demo.db'}"
    dossier, offer, login = _referral(url)
    letter = traject.cwd / "partner.pdf"
    written = traject("letter", dossier, "--offer", offer, "--leave-out", "email",
                      "--leave-out", "agreed", "--lang", "fr", "-o", str(letter), "--db", url,
                      TRAJECT_USER=login)  # fmt: skip
    assert written.returncode == 0, written.stderr
    text, fonts = _pdf_text_and_fonts(letter)
    assert "Veuillez agréer nos salutations distinguées" in text  # the French letter
    assert fonts and all(fonts.values()), fonts


def test_the_frozen_desktop_app(wheel_env: tuple[Path, Path], tmp_path: Path) -> None:
    """The one-folder app that `make dist` freezes with PyInstaller from the wheel."""
    wheel, venv = wheel_env
    python = venv / BIN / "python"
    got = subprocess.run([str(python), "-m", "pip", "install", "--quiet",
                          "--disable-pip-version-check", f"{wheel}[freeze]"],
                         capture_output=True, text=True, timeout=900, check=False)  # fmt: skip
    if got.returncode != 0:
        pytest.skip(f"PyInstaller cannot be installed here: {got.stderr.strip()[-300:]}")
    runs = subprocess.run([str(python), "-m", "PyInstaller", "--version"], capture_output=True,
                          text=True, timeout=300, check=False)  # fmt: skip
    if runs.returncode != 0:
        pytest.skip(f"PyInstaller cannot run here: {runs.stderr.strip()[-300:]}")
    dist, work = tmp_path / "dist", tmp_path / "build"
    _run(
        python, ROOT / "packaging" / "build.py", "--dist", dist, "--work", work, "--python", python
    )
    suffix = ".exe" if WINDOWS else ""
    assert (dist / "traject" / f"traject{suffix}").is_file()
    traject = Installed(dist / "traject" / f"{CLI}{suffix}", tmp_path / "home")
    version = traject("--version")
    assert version.returncode == 0 and version.stdout.startswith("Traject ")
    helped = traject("--lang", "fr", "--help")
    assert helped.returncode == 0, helped.stderr
    assert helped.stdout.startswith("utilisation\u202f: traject")  # French typography
    assert "afficher cette aide et quitter" in helped.stdout
    _checks_of_an_installed_traject(traject, "Digitaal profiel")
    internal = dist / "traject" / "_internal"
    locales = {p.stem for p in (internal / "babel" / "locale-data").glob("*.dat")}
    assert locales == {"root", "en", "en_001", "en_GB", "nl", "nl_BE", "fr", "fr_BE", "de",
                       "de_BE", "ar", "tr", "uk"}  # fmt: skip
    assert list(internal.rglob("*qsvgicon*")), "the window icon is an SVG: its engine is kept"
    # ReportLab 5 is pure Python; the images it draws go through Pillow's binaries
    for binary in ("sqlcipher3/_sqlite3*", "pypdfium2_raw/*pdfium*", "PIL/_imaging*"):
        assert list(internal.glob(binary)), binary
    qt_catalogs = {p.name for p in internal.rglob("*.qm")}
    assert qt_catalogs == {f"qtbase_{code}.qm" for code in ("nl", "fr", "de", "ar")}
