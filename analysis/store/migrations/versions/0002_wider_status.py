"""Wider text columns for a rule's status and a correction's action: "borderline" (10
characters) became a verdict, and PostgreSQL refuses it in ``varchar(8)``
(StringDataRightTruncation). Both become ``varchar(16)``.

Revision ID: 0002_wider_status
Revises: 0001_initial
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_wider_status"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

#: (table, column) widened from 8 to 16 characters.
COLUMNS = (("session_rules", "status"), ("corrections", "action"))


def _set_length(old: int, new: int) -> None:
    for table, column in COLUMNS:
        # Batch mode: PostgreSQL alters the column in place; SQLite rebuilds the table
        # (with its keys, foreign keys and CHECK constraint).
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, existing_type=sa.String(old), type_=sa.String(new), existing_nullable=False)


def upgrade() -> None:
    _set_length(8, 16)


def downgrade() -> None:
    """Refused, on every back-end, while a value would not fit: nothing is cut short."""
    bind = op.get_bind()
    for table, column in COLUMNS:
        longest = bind.execute(sa.text(f"SELECT MAX(LENGTH({column})) FROM {table}")).scalar()
        if longest is not None and longest > 8:
            raise RuntimeError(
                f"cannot narrow {table}.{column} back to 8 characters: it holds values of {longest} "
                "(e.g. 'borderline'); delete those sessions first, or stay at revision 0002_wider_status"
            )
    _set_length(16, 8)
