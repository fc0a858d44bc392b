"""The outbox holds one row per ingest batch instead of one per event.

Ingest then writes one small row for a batch of 500 signals instead of 500 upserts, and the
catch-up reads and deletes a few rows instead of thousands. Pending entries carry over: the old
rows of one batch (they share its received time) become that batch's row.

Revision ID: 0007
Revises: 0006
"""

from collections import defaultdict

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")
KINDS = ("interaction", "touch", "outcome")


def _old_table() -> sa.TableClause:
    return sa.table("outbox", sa.column("project_id"), sa.column("kind"), sa.column("ref"), sa.column("marked_at"))


def upgrade() -> None:
    old = _old_table()
    pending = (
        op.get_bind()
        .execute(
            sa.select(old.c.project_id, old.c.kind, old.c.ref, old.c.marked_at).order_by(
                old.c.marked_at, old.c.project_id, old.c.kind, old.c.ref
            )
        )
        .all()
    )
    op.drop_index("ix_outbox_marked", "outbox")
    op.drop_table("outbox")
    new = op.create_table(
        "outbox",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("project_id", sa.String(128), nullable=False),
        sa.Column("marked_at", sa.Double, nullable=False),
        sa.Column("entries", sa.Integer, nullable=False),
        sa.Column("refs", JSONType, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_outbox_project", "outbox", ["project_id", "seq"])
    batches: dict[tuple[str, float], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for project_id, kind, ref, marked_at in pending:
        if kind in KINDS:
            batches[(project_id, marked_at)][kind].append(ref)
    if batches:
        op.bulk_insert(
            new,
            [
                {
                    "project_id": project_id,
                    "marked_at": marked_at,
                    "entries": sum(map(len, refs.values())),
                    "refs": dict(refs),
                }
                for (project_id, marked_at), refs in batches.items()
            ],
        )


def downgrade() -> None:
    new = sa.table("outbox", sa.column("project_id"), sa.column("marked_at"), sa.column("refs", JSONType))
    rows = op.get_bind().execute(sa.select(new.c.project_id, new.c.marked_at, new.c.refs)).all()
    op.drop_index("ix_outbox_project", "outbox")
    op.drop_table("outbox")
    old = op.create_table(
        "outbox",
        sa.Column("project_id", sa.String(128), primary_key=True),
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("ref", sa.String(128), primary_key=True),
        sa.Column("marked_at", sa.Double, nullable=False),
    )
    op.create_index("ix_outbox_marked", "outbox", ["project_id", "marked_at"])
    newest: dict[tuple[str, str, str], float] = {}
    for project_id, marked_at, refs in rows:
        for kind, ids in refs.items():
            for ref in ids:
                key = (project_id, kind, ref)
                newest[key] = max(marked_at, newest.get(key, marked_at))
    if newest:
        op.bulk_insert(old, [{"project_id": p, "kind": k, "ref": r, "marked_at": m} for (p, k, r), m in newest.items()])
