"""Tables of the history store (SQLAlchemy 2.x). Created and changed only by the Alembic
migrations in ``migrations/versions`` (a test checks these models match them).

One row per analysed clip in ``sessions``: who (``jumper_id``), when (``recorded_at``),
which clip (``clip_sha256``), the options and the full report JSON as the analysis wrote
it (never edited), plus the figures *after* the user's corrections, kept up to date by
the store so that lists, trends and the class view are plain queries. The original
per-jump table (``session_jumps``), the corrections (``corrections``), the per-rule figures
after corrections (``session_rules``), the pose series for the frame review
(``session_pose``, one compressed blob) and kept files (``session_files``) hang off it and
go with it (ON DELETE CASCADE, and the ORM cascades the same way).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

#: Constraint names are fixed so that migrations can refer to them on every back-end.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: JSON documents, kept as written (PostgreSQL's ``json``, not ``jsonb``: jsonb would reorder
#: the report's keys, and nothing queries inside the documents).
JSONDoc = sa.JSON()


class UTCDateTime(sa.TypeDecorator):
    """Timestamps stored as naive UTC on every back-end, returned timezone-aware (UTC).

    A naive datetime handed in is taken as the machine's local time."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None:
            value = value.astimezone()  # local time
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING)


class Jumper(Base):
    __tablename__ = "jumpers"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    #: ``name`` case-folded and with inner spaces collapsed: "Alice" and " alice" are one jumper.
    name_key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    sessions: Mapped[list[Session]] = relationship(
        back_populates="jumper", cascade="all, delete-orphan", passive_deletes=True
    )


class Session(Base):
    __tablename__ = "sessions"
    #: SQLite's AUTOINCREMENT: a deleted session's id is never handed to a new one (the page
    #: may still hold it).
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable identifier of the session outside this database (kept files are named by it).
    uid: Mapped[str] = mapped_column(sa.String(32), unique=True)
    jumper_id: Mapped[int] = mapped_column(sa.ForeignKey("jumpers.id", ondelete="CASCADE"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    analysed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    clip_name: Mapped[str] = mapped_column(sa.String(255))
    clip_sha256: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    clip_size_bytes: Mapped[int | None] = mapped_column(sa.BigInteger)
    options: Mapped[dict] = mapped_column(JSONDoc)
    schema_version: Mapped[str] = mapped_column(sa.String(16))
    #: The report as the analysis wrote it (``Report.to_dict()``); corrections never edit it.
    report: Mapped[dict] = mapped_column(JSONDoc, deferred=True)
    # Figures after corrections (equal to the report's when there are none).
    jump_count: Mapped[int] = mapped_column(sa.Integer)
    jumps_per_minute: Mapped[float | None] = mapped_column(sa.Float)
    active_time_s: Mapped[float | None] = mapped_column(sa.Float)
    longest_streak: Mapped[int] = mapped_column(sa.Integer)
    n_misses: Mapped[int] = mapped_column(sa.Integer)
    n_stops: Mapped[int] = mapped_column(sa.Integer)
    mean_height_cm: Mapped[float | None] = mapped_column(sa.Float)
    mean_height_uncertainty_cm: Mapped[float | None] = mapped_column(sa.Float)
    duration_s: Mapped[float | None] = mapped_column(sa.Float)
    view: Mapped[str | None] = mapped_column(sa.String(16))
    partial: Mapped[bool] = mapped_column(sa.Boolean)
    top_fault_rule: Mapped[str | None] = mapped_column(sa.String(64))
    top_fault_title: Mapped[str | None] = mapped_column(sa.String(255))
    top_fault_share: Mapped[float | None] = mapped_column(sa.Float)
    n_corrections: Mapped[int] = mapped_column(sa.Integer, default=0)

    jumper: Mapped[Jumper] = relationship(back_populates="sessions")
    jumps: Mapped[list[SessionJump]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="SessionJump.jump_index"
    )
    rules: Mapped[list[SessionRule]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    corrections: Mapped[list[Correction]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="Correction.seq"
    )
    pose: Mapped[SessionPose | None] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    files: Mapped[list[SessionFile]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class SessionJump(Base):
    """The analysis's own per-jump table (the original detection; corrections do not edit it)."""

    __tablename__ = "session_jumps"

    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    jump_index: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    run: Mapped[int] = mapped_column(sa.Integer)
    takeoff_frame: Mapped[int] = mapped_column(sa.Integer)
    apex_frame: Mapped[int] = mapped_column(sa.Integer)
    landing_frame: Mapped[int] = mapped_column(sa.Integer)
    takeoff_s: Mapped[float] = mapped_column(sa.Float)
    apex_s: Mapped[float] = mapped_column(sa.Float)
    landing_s: Mapped[float] = mapped_column(sa.Float)
    flight_s: Mapped[float | None] = mapped_column(sa.Float)
    contact_before_s: Mapped[float | None] = mapped_column(sa.Float)
    height_cm_displacement: Mapped[float | None] = mapped_column(sa.Float)
    height_cm_flight_time: Mapped[float | None] = mapped_column(sa.Float)
    height_uncertainty_cm: Mapped[float | None] = mapped_column(sa.Float)
    foot: Mapped[str] = mapped_column(sa.String(16))
    style: Mapped[str] = mapped_column(sa.String(16))
    #: rule id -> "pass" / "fault" / "na" for this jump.
    verdicts: Mapped[dict] = mapped_column(JSONDoc)


class SessionRule(Base):
    """Each rule's figures after corrections."""

    __tablename__ = "session_rules"

    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    rule_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    area: Mapped[str] = mapped_column(sa.String(16))
    title: Mapped[str] = mapped_column(sa.String(255))
    status: Mapped[str] = mapped_column(sa.String(16))
    pass_share: Mapped[float | None] = mapped_column(sa.Float)
    n_assessed: Mapped[int] = mapped_column(sa.Integer)


class Correction(Base):
    __tablename__ = "corrections"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "seq", name="uq_corrections_session_seq"),
        sa.CheckConstraint("action IN ('remove', 'add')", name="action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(sa.Integer)
    action: Mapped[str] = mapped_column(sa.String(16))
    #: remove: the index of the jump in the original detection.
    jump_index: Mapped[int | None] = mapped_column(sa.Integer)
    #: add: where the missed jump is (frame index and its time in the clip).
    frame: Mapped[int | None] = mapped_column(sa.Integer)
    t_s: Mapped[float | None] = mapped_column(sa.Float)
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SessionPose(Base):
    """The pose series and per-frame metrics the frame review draws from (``posedata``)."""

    __tablename__ = "session_pose"

    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    format: Mapped[str] = mapped_column(sa.String(16))
    n_frames: Mapped[int] = mapped_column(sa.Integer)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)


class SessionFile(Base):
    """A file kept in the store's files folder (today: the clip, when the user keeps it)."""

    __tablename__ = "session_files"
    __table_args__ = (sa.CheckConstraint("kind IN ('clip')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    #: Path inside the files folder, always ``clips/<session uid><suffix>``.
    relpath: Mapped[str] = mapped_column(sa.String(255), unique=True)
    size_bytes: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
