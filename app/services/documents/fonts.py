"""The fonts Traject's PDFs use, shipped in app.resources/fonts (DejaVu: Latin, Cyrillic, Greek,
Arabic letters), so documents look the same on every machine."""

from __future__ import annotations

from app.package_data import resources

FONT_DIR = resources() / "fonts"
FONTS = {"TrajectSans": "DejaVuSans.ttf", "TrajectSans-Bold": "DejaVuSans-Bold.ttf",
         "TrajectMono": "DejaVuSansMono.ttf"}  # fmt: skip


def register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, file in FONTS.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
