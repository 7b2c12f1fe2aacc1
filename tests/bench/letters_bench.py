"""Referral letters in `make bench`: one letter (prepared from the database and rendered) against
a bare ReportLab one-page document of similar length in the same run, then 1,000 letters
written to files, as the week's batch does."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

ROUNDS = 50
BATCH = 1000


def _bare_document() -> bytes:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from app.services.documents.fonts import register_fonts

    register_fonts()
    style = ParagraphStyle("bare", fontName="TrajectSans", fontSize=10, leading=14)
    buffer = io.BytesIO()
    text = "Referral of a client to a partner's offer, with the reason and what was agreed."
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1).build(
        [Paragraph(text, style) for _ in range(30)]
    )
    return buffer.getvalue()


def _median_ms(action: Any) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(url: str) -> dict[str, float]:
    from sqlalchemy import select

    from app.db import open_database
    from app.i18n import set_language
    from app.models import Referral
    from app.models.enums import CounsellorRole
    from app.services.privacy.access import Actor
    from app.services.referrals import letters

    set_language("en")
    database = open_database(url)
    with database.sessions() as session:
        rows = session.execute(select(Referral.id, Referral.counsellor_id).where(Referral.consent_at.is_not(None))
                               .order_by(Referral.id).limit(BATCH)).all()  # fmt: skip
        # a team lead of every office sees every file; the letters are what is measured
        actors = {cid: Actor(cid, CounsellorRole.ADMIN, None) for _rid, cid in rows}
        first_id, first_counsellor = rows[0]
        actor = actors[first_counsellor]

        def one_letter() -> bytes:
            draft = letters.prepare(session, actor, first_id, "partner")
            return letters.finalise(session, actor, draft, left_out=draft.missing())

        _bare_document(), one_letter()  # fonts registered, templates and catalogs loaded
        bare_ms = _median_ms(_bare_document)
        letter_ms = _median_ms(one_letter)
        arabic = letters.prepare(session, actor, first_id, "client", "ar")
        arabic_ms = _median_ms(lambda: arabic.preview())
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            written = 0
            for n in range(BATCH):
                referral_id, counsellor_id = rows[n % len(rows)]
                copy = "partner" if n % 2 == 0 else "client"
                who = actors[counsellor_id]
                done = letters.prepare(session, who, referral_id, copy)
                data = letters.finalise(session, who, done, left_out=done.missing())
                letters.write_file(Path(folder) / f"{n}.pdf", data)
                written += 1
            batch_s = time.perf_counter() - start
        session.rollback()  # the audit entries of a measurement are not kept
    database.close()
    return {"bare_pdf_ms": bare_ms, "letter_ms": letter_ms, "arabic_copy_render_ms": arabic_ms,
            "letters_written": written, "letters_batch_s": batch_s}  # fmt: skip


def report(figures: dict[str, float]) -> None:
    print(f"one referral letter (read from the database and rendered): median {figures['letter_ms']:.1f} ms"
          f" (target ≤ 20) vs a bare ReportLab page {figures['bare_pdf_ms']:.1f} ms"
          f" = {figures['letter_ms'] / figures['bare_pdf_ms']:.1f}×; Arabic client copy rendered: "
          f"{figures['arabic_copy_render_ms']:.1f} ms")  # fmt: skip
    print(
        f"{figures['letters_written']:.0f} letters written to files: {figures['letters_batch_s']:.1f} s (target ≤ 30 s)"
    )
