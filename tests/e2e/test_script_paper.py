"""`traject script blank`: the paper form holds every question and follow-up of the script, in
the language asked for (any document language, Turkish and Ukrainian too), with a box for every answer; its metadata names the form only."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.i18n import for_document
from app.services.scripts.definition import QuestionType
from app.services.scripts.loader import load_catalogue
from tests.e2e.test_cli import traject


def flat(text: str) -> str:
    """Words with single spaces, Arabic letters back from their joined forms (NFKC), without
    the vowel marks the printed form leaves out, and without brackets and quotation marks
    (a right-to-left line holds their mirrored glyphs: "(لا)" is drawn as ")لا(")."""
    text = re.sub("[\u064b-\u065f\u0670()«»]", "", unicodedata.normalize("NFKC", text))
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.slow
@pytest.mark.parametrize("language", ["nl", "fr", "en", "ar", "tr", "uk"])
def test_the_blank_form_has_every_question_with_boxes(tmp_path: Path, language: str) -> None:
    target = tmp_path / f"form-{language}.pdf"
    result = traject("script", "blank", "digital-profile", "--lang", language, "-o", str(target))
    assert result.returncode == 0, result.stderr
    reader = PdfReader(str(target))
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    script = load_catalogue().get("digital-profile")
    boxes = 0
    _ = for_document(language).gettext
    assert flat(_(script.title)) in text
    for question in script.questions():
        assert flat(_(question.text)) in text, question.id
        for value in question.values():
            assert flat(_(question.option_text(value))) in text, (question.id, value)
        if question.type in (QuestionType.YES_NO, QuestionType.SINGLE_CHOICE,
                             QuestionType.MULTIPLE_CHOICE):  # fmt: skip
            boxes += len(question.values())
    assert text.count("☐") == boxes
    assert f": {len(reader.pages)} " in result.stdout  # said in the form's language
    metadata = reader.metadata or {}
    assert metadata.get("/Author", "") == "" and metadata.get("/Subject", "") == ""


def test_a_language_traject_does_not_have_is_refused(tmp_path: Path) -> None:
    result = traject(
        "script", "blank", "digital-profile", "--lang", "zz", "-o", str(tmp_path / "f.pdf")
    )
    assert result.returncode != 0 and "nl, fr" in result.stderr and "“zz”" in result.stderr
    pseudo = traject(  # the pseudo-language is for looking at screens, not for a client's form
        "script", "blank", "digital-profile", "--lang", "xx", "-o", str(tmp_path / "f.pdf")
    )
    assert pseudo.returncode != 0 and "“xx”" in pseudo.stderr
    assert not (tmp_path / "f.pdf").exists()
