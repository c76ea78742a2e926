"""Wider verdict columns: ``session_rules.status`` and ``corrections.action`` from 8 to 16
characters, so that "borderline" (10) fits. SQLite never enforced the length; PostgreSQL
refused the write.

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


def upgrade() -> None:
    with op.batch_alter_table("session_rules") as batch:
        batch.alter_column("status", existing_type=sa.String(8), type_=sa.String(16), existing_nullable=False)
    with op.batch_alter_table("corrections") as batch:
        batch.alter_column("action", existing_type=sa.String(8), type_=sa.String(16), existing_nullable=False)


def downgrade() -> None:
    # PostgreSQL refuses to narrow a column holding a longer value ("borderline"), so a
    # downgrade never cuts a verdict to a word that is not one.
    with op.batch_alter_table("corrections") as batch:
        batch.alter_column("action", existing_type=sa.String(16), type_=sa.String(8), existing_nullable=False)
    with op.batch_alter_table("session_rules") as batch:
        batch.alter_column("status", existing_type=sa.String(16), type_=sa.String(8), existing_nullable=False)
