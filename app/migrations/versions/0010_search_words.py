"""The search column holds words only, separated by single spaces

`clients.search_text` kept the punctuation of e-mail addresses and dossier numbers
("mehmet.yilmaz@example.be", "t-2026-000218"). SQLite's full-text index split them itself, but
matching the start of a word with LIKE (a team server, and a broad query walked in order) only
sees a word after a space. The text is already folded, so splitting it into words again needs
nothing but the text.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 07:00:00

"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WORD = re.compile(r"\w+")
BATCH = 2000


def upgrade() -> None:
    conn = op.get_bind()
    clients = sa.table("clients", sa.column("id", sa.Integer), sa.column("search_text", sa.Text))
    last = 0
    while True:
        rows = conn.execute(
            sa.select(clients.c.id, clients.c.search_text)
            .where(clients.c.id > last).order_by(clients.c.id).limit(BATCH)
        ).all()  # fmt: skip
        if not rows:
            return
        changed = [{"key": row.id, "text": " ".join(_WORD.findall(row.search_text or ""))}
                   for row in rows]  # fmt: skip
        changed = [c for c, row in zip(changed, rows, strict=True) if c["text"] != row.search_text]
        if changed:
            conn.execute(
                clients.update().where(clients.c.id == sa.bindparam("key"))
                .values(search_text=sa.bindparam("text")), changed,
            )  # fmt: skip
        last = rows[-1].id


def downgrade() -> None:
    pass  # words only are still a valid search column for the older code
