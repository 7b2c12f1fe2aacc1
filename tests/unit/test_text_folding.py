"""Folding makes search blind to case and diacritics, including undecomposed letters."""

import pytest

from app.models.text import digits, fold, words


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("yilmaz", "Yılmaz"),
        ("yilmaz", "YILMAZ"),
        ("ibrahim", "İbrahim"),
        ("lukasz", "Łukasz"),
        ("ayse", "Ayşe"),
        ("ozturk", "Öztürk"),
        ("soren", "Søren"),
        ("strasse", "Straße"),
        ("nguyen", "Nguyễn"),
        ("dhondt", "D'Hondt"),
        ("chloe", "Chloé"),
    ],
)
def test_fold_matches_what_people_type(typed: str, stored: str) -> None:
    assert fold(stored) == typed


def test_fold_keeps_other_scripts_and_strips_arabic_marks() -> None:
    assert fold("Олена") == "олена"
    assert fold("نُور") == "نور"
    assert fold("أحمد") == fold("احمد")


def test_words_and_digits() -> None:
    assert words("El-Amrani, Nour") == ["el", "amrani", "nour"]
    assert digits("+32 470/12.34.56") == "32470123456"
    assert fold(None) == "" and words("") == []
