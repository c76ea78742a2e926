"""The first schema: jumpers, sessions, the per-jump table, per-rule figures, corrections,
the pose series for the frame review and kept files.

Revision ID: 0001_initial
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

JSONDoc = sa.JSON()  # json, not jsonb, on PostgreSQL: documents are kept exactly as written


def upgrade() -> None:
    op.create_table(
        "jumpers",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("name_key", sa.String(120), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_jumpers"),
        sa.UniqueConstraint("name_key", name="uq_jumpers_name_key"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("uid", sa.String(32), nullable=False),
        sa.Column("jumper_id", sa.Integer, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("analysed_at", sa.DateTime, nullable=False),
        sa.Column("clip_name", sa.String(255), nullable=False),
        sa.Column("clip_sha256", sa.String(64)),
        sa.Column("clip_size_bytes", sa.BigInteger),
        sa.Column("options", JSONDoc, nullable=False),
        sa.Column("schema_version", sa.String(16), nullable=False),
        sa.Column("report", JSONDoc, nullable=False),
        sa.Column("jump_count", sa.Integer, nullable=False),
        sa.Column("jumps_per_minute", sa.Float),
        sa.Column("active_time_s", sa.Float),
        sa.Column("longest_streak", sa.Integer, nullable=False),
        sa.Column("n_misses", sa.Integer, nullable=False),
        sa.Column("n_stops", sa.Integer, nullable=False),
        sa.Column("mean_height_cm", sa.Float),
        sa.Column("mean_height_uncertainty_cm", sa.Float),
        sa.Column("duration_s", sa.Float),
        sa.Column("view", sa.String(16)),
        sa.Column("partial", sa.Boolean, nullable=False),
        sa.Column("top_fault_rule", sa.String(64)),
        sa.Column("top_fault_title", sa.String(255)),
        sa.Column("top_fault_share", sa.Float),
        sa.Column("n_corrections", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
        sa.UniqueConstraint("uid", name="uq_sessions_uid"),
        sa.ForeignKeyConstraint(
            ["jumper_id"], ["jumpers.id"], ondelete="CASCADE", name="fk_sessions_jumper_id_jumpers"
        ),
        sqlite_autoincrement=True,  # a deleted session's id is never handed to a new one
    )
    op.create_index("ix_sessions_jumper_id", "sessions", ["jumper_id"])
    op.create_index("ix_sessions_recorded_at", "sessions", ["recorded_at"])
    op.create_index("ix_sessions_clip_sha256", "sessions", ["clip_sha256"])
    op.create_table(
        "session_jumps",
        sa.Column("session_id", sa.Integer, nullable=False),
        sa.Column("jump_index", sa.Integer, nullable=False),
        sa.Column("run", sa.Integer, nullable=False),
        sa.Column("takeoff_frame", sa.Integer, nullable=False),
        sa.Column("apex_frame", sa.Integer, nullable=False),
        sa.Column("landing_frame", sa.Integer, nullable=False),
        sa.Column("takeoff_s", sa.Float, nullable=False),
        sa.Column("apex_s", sa.Float, nullable=False),
        sa.Column("landing_s", sa.Float, nullable=False),
        sa.Column("flight_s", sa.Float),
        sa.Column("contact_before_s", sa.Float),
        sa.Column("height_cm_displacement", sa.Float),
        sa.Column("height_cm_flight_time", sa.Float),
        sa.Column("height_uncertainty_cm", sa.Float),
        sa.Column("foot", sa.String(16), nullable=False),
        sa.Column("style", sa.String(16), nullable=False),
        sa.Column("verdicts", JSONDoc, nullable=False),
        sa.PrimaryKeyConstraint("session_id", "jump_index", name="pk_session_jumps"),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], ondelete="CASCADE", name="fk_session_jumps_session_id_sessions"
        ),
    )
    op.create_table(
        "session_rules",
        sa.Column("session_id", sa.Integer, nullable=False),
        sa.Column("rule_id", sa.String(64), nullable=False),
        sa.Column("area", sa.String(16), nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("pass_share", sa.Float),
        sa.Column("n_assessed", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("session_id", "rule_id", name="pk_session_rules"),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], ondelete="CASCADE", name="fk_session_rules_session_id_sessions"
        ),
    )
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("session_id", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("jump_index", sa.Integer),
        sa.Column("frame", sa.Integer),
        sa.Column("t_s", sa.Float),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_corrections"),
        sa.UniqueConstraint("session_id", "seq", name="uq_corrections_session_seq"),
        sa.CheckConstraint("action IN ('remove', 'add')", name="ck_corrections_action"),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], ondelete="CASCADE", name="fk_corrections_session_id_sessions"
        ),
    )
    op.create_index("ix_corrections_session_id", "corrections", ["session_id"])
    op.create_table(
        "session_pose",
        sa.Column("session_id", sa.Integer, nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("n_frames", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("session_id", name="pk_session_pose"),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], ondelete="CASCADE", name="fk_session_pose_session_id_sessions"
        ),
    )
    op.create_table(
        "session_files",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("session_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("relpath", sa.String(255), nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_session_files"),
        sa.UniqueConstraint("relpath", name="uq_session_files_relpath"),
        sa.CheckConstraint("kind IN ('clip')", name="ck_session_files_kind"),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], ondelete="CASCADE", name="fk_session_files_session_id_sessions"
        ),
    )
    op.create_index("ix_session_files_session_id", "session_files", ["session_id"])


def downgrade() -> None:
    op.drop_index("ix_session_files_session_id", table_name="session_files")
    op.drop_table("session_files")
    op.drop_table("session_pose")
    op.drop_index("ix_corrections_session_id", table_name="corrections")
    op.drop_table("corrections")
    op.drop_table("session_rules")
    op.drop_table("session_jumps")
    op.drop_index("ix_sessions_clip_sha256", table_name="sessions")
    op.drop_index("ix_sessions_recorded_at", table_name="sessions")
    op.drop_index("ix_sessions_jumper_id", table_name="sessions")
    op.drop_table("sessions")
    op.drop_table("jumpers")
