"""Merge the labels, privacy and datasets branches into one line again.

The three were written side by side from the foundation; later revisions build on this one.

Revision ID: 0005
Revises: 0002, 0003, 0004
"""

revision = "0005"
down_revision = ("0002", "0003", "0004")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
