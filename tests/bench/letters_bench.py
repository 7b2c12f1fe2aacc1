"""Referral letters in `make bench`: one letter (prepared from the database and rendered) against
a bare ReportLab one-page document of similar length in the same run, then 1,000 letters
written to files by the week's batch (`batch.write_letters`: worker processes on every core,
progress after each letter, a cancel asked before each), timed from the call to the last file."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

ROUNDS = 100
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


def _median_ms(*actions: Any) -> list[float]:
    """The median time of each action, taken in turns, so a slow moment of a shared machine
    weighs on all of them alike (a ratio of two medians taken one after the other is not)."""
    times: list[list[float]] = [[] for _ in actions]
    for _ in range(ROUNDS):
        for action, spent in zip(actions, times, strict=True):
            start = time.perf_counter()
            action()
            spent.append((time.perf_counter() - start) * 1000)
    return [statistics.median(spent) for spent in times]


def run(url: str) -> dict[str, float]:
    from sqlalchemy import select

    from app.db import open_database
    from app.i18n import set_language
    from app.models import Referral
    from app.models.enums import CounsellorRole
    from app.services.privacy.access import Actor
    from app.services.referrals import letters
    from app.services.referrals.letters import batch

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
        arabic = letters.prepare(session, actor, first_id, "client", "ar")
        bare_ms, letter_ms, arabic_ms = _median_ms(_bare_document, one_letter, arabic.preview)
        # the demo leaves these empty in most referrals: left out, as the single letter above
        # leaves out what it misses, so the batch writes every letter rather than skip them
        chosen, left_out = [rid for rid, _cid in rows][: BATCH // 2], {"agreed", "email"}
        steps: list[tuple[int, int]] = []
        lead = Actor(actor.counsellor_id, CounsellorRole.TEAM_LEAD, None)  # sees every file
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            result = batch.write_letters(session, lead, Path(folder), chosen,
                                         lambda done, total: steps.append((done, total)), lambda: False,
                                         left_out=left_out)  # fmt: skip
            batch_s = time.perf_counter() - start
            written = len(result.written)
            assert steps[-1] == (2 * len(chosen),) * 2 and written == len(
                list(Path(folder).glob("*.pdf"))
            )
            if result.skipped:
                print(f"skipped: {len(result.skipped)}, e.g. {result.skipped[0][2]}")
            workers = batch.workers_for(len(steps))
        session.rollback()  # the audit entries of a measurement are not kept
    database.close()
    return {"bare_pdf_ms": bare_ms, "letter_ms": letter_ms, "arabic_copy_render_ms": arabic_ms,
            "letters_written": written, "letters_batch_s": batch_s, "letters_workers": workers}  # fmt: skip


def report(figures: dict[str, float]) -> None:
    print(f"one referral letter (read from the database and rendered): median {figures['letter_ms']:.1f} ms"
          f" (target ≤ 20) vs a bare ReportLab page {figures['bare_pdf_ms']:.1f} ms"
          f" = {figures['letter_ms'] / figures['bare_pdf_ms']:.2f}× (goal ≤ 2×); Arabic client copy rendered: "
          f"{figures['arabic_copy_render_ms']:.1f} ms")  # fmt: skip
    print(
        f"{figures['letters_written']:.0f} letters written to files by the batch ({figures['letters_workers']:.0f} worker"
        f" processes): {figures['letters_batch_s']:.1f} s (goal ≤ 15 s)"
    )
