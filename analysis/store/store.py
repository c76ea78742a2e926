"""The history store: analysed sessions per jumper, their corrections and kept clips.

    from analysis.store import open_store
    with open_store() as store:                      # JUMPROPE_DB_URL, else the default file
        sid = store.save_session(report, jumper="Alice", clip="clip.mp4", keep_clip=True)
        store.save_corrections(sid, [{"action": "remove", "jump": 12}])
        review = store.load_report(sid)              # a Report, for the frame review
        store.trend("Alice"), store.personal_bests("Alice"), store.class_rows()

Every write is one database transaction (SQLite or any server SQLAlchemy supports); a
failure or a crash in the middle leaves the store as it was, and kept files follow the
protocol in ``files.py`` (never orphaned, never referenced without existing). The schema
is created and upgraded on first use (``migrate.py``).
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import selectinload, undefer

from ..report import Report
from . import classview, migrate, posedata, trends
from .corrections import Correction, apply_corrections, parse_corrections
from .engine import make_engine, writer
from .files import FileArea, StagedFile, safe_suffix, sha256_of
from .location import StoreError, files_dir_for, parse_url, resolve_url, safe_url
from .models import Correction as CorrectionRow
from .models import (
    Jumper,
    Session,
    SessionFile,
    SessionJump,
    SessionPose,
    SessionRule,
    utcnow,
)
from .reopen import finite_or_none, report_from_dict

SCHEMA = "jumprope-form-report"
DEFAULT_JUMPER = "me"
MAX_NAME_CHARS = 120


# -- what the queries return ---------------------------------------------------------------
@dataclass(frozen=True)
class JumperInfo:
    id: int
    name: str
    n_sessions: int
    first_recorded_at: datetime | None
    last_recorded_at: datetime | None


@dataclass(frozen=True)
class SessionInfo:
    """One stored session's figures (after corrections) without its report."""

    id: int
    uid: str
    jumper: str
    recorded_at: datetime
    analysed_at: datetime
    clip_name: str
    clip_sha256: str | None
    jump_count: int
    jumps_per_minute: float | None
    active_time_s: float | None
    longest_streak: int
    n_misses: int
    n_stops: int
    mean_height_cm: float | None
    mean_height_uncertainty_cm: float | None
    duration_s: float | None
    view: str | None
    partial: bool
    top_fault_rule: str | None
    top_fault_title: str | None
    top_fault_share: float | None
    n_corrections: int
    has_pose: bool
    #: The clip was kept and its file is in this machine's files folder.
    clip_kept: bool


@dataclass(frozen=True)
class StoredSession:
    info: SessionInfo
    options: dict[str, Any]
    #: The report as analysed (never changed by corrections).
    report: dict[str, Any]
    corrections: list[Correction]
    #: The report with the corrections applied, ``corrections``, ``original_detection`` and
    #: ``streaks`` added: what the page shows and the JSON export holds.
    corrected: dict[str, Any]


@dataclass(frozen=True)
class DeleteResult:
    sessions: int
    files: int


@dataclass(frozen=True)
class ReplaceResult:
    """What became of a session's corrections when its analysis was replaced."""

    corrections_kept: int
    corrections_dropped: int


# -- helpers ---------------------------------------------------------------------------------
def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def clean_name(name: str | None) -> str:
    n = " ".join((name if name is not None else DEFAULT_JUMPER).split())
    if not n:
        raise StoreError("jumper: expected a name (e.g. 'me' or the jumper's first name), got an empty one")
    if len(n) > MAX_NAME_CHARS:
        raise StoreError(f"jumper: expected at most {MAX_NAME_CHARS} characters, got {len(n)}")
    return n


def as_datetime(when: datetime | date | str | None) -> datetime | None:
    """A recorded date: a datetime (naive = local time), a date (local midnight) or an ISO
    string of either; None stays None. Always timezone-aware."""
    if when is None:
        return None
    if isinstance(when, datetime):
        return when if when.tzinfo is not None else when.astimezone()
    if isinstance(when, date):
        return datetime.combine(when, time()).astimezone()
    if isinstance(when, str):
        try:
            return as_datetime(datetime.fromisoformat(when.strip()))
        except ValueError:
            raise StoreError(f"date: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM, got {when!r}") from None
    raise StoreError(f"date: expected a date or datetime, got {type(when).__name__}")


def same_options(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    """Whether two analyses' options are the same once stored (as JSON: tuples are lists)."""
    return json.loads(json.dumps(a or {}, sort_keys=True)) == json.loads(json.dumps(b or {}, sort_keys=True))


def _takeoffs(report: dict[str, Any]) -> list[int]:
    return [int(j["takeoff_frame"]) for j in report.get("jumps") or []]


def _figures(corrected: dict[str, Any]) -> dict[str, Any]:
    """The session columns kept up to date with the corrections."""
    s = corrected.get("summary") or {}
    st = corrected.get("streaks") or {}
    top = (corrected.get("priorities") or [None])[0]
    return {
        "jump_count": int(s.get("jump_count") or 0),
        "jumps_per_minute": finite_or_none(s.get("jumps_per_minute")),
        "active_time_s": finite_or_none(s.get("active_time_s")),
        "longest_streak": int(st.get("longest_streak") or 0),
        "n_misses": int(st.get("n_misses") or 0),
        "n_stops": int(st.get("n_stops") or 0),
        "mean_height_cm": finite_or_none(s.get("mean_height_cm")),
        "mean_height_uncertainty_cm": finite_or_none(s.get("mean_height_uncertainty_cm")),
        "duration_s": finite_or_none(s.get("duration_s")),
        "view": s.get("view"),
        "partial": bool(corrected.get("partial")),
        "top_fault_rule": top["rule"] if top else None,
        "top_fault_title": top["title"] if top else None,
        "top_fault_share": finite_or_none(top["fault_share"]) if top else None,
        "n_corrections": len(corrected.get("corrections") or []),
    }


def _rule_rows(corrected: dict[str, Any]) -> list[SessionRule]:
    return [
        SessionRule(
            rule_id=r["id"],
            area=r.get("area") or "",
            title=r.get("title") or r["id"],
            status=r.get("status") or "na",
            pass_share=finite_or_none(r.get("pass_share")),
            n_assessed=int(r.get("n_assessed") or 0),
        )
        for r in corrected.get("rules") or []
    ]


def _jump_rows(report: dict[str, Any]) -> list[SessionJump]:
    rules = report.get("rules") or []
    out = []
    for k, j in enumerate(report.get("jumps") or []):
        verdicts = {r["id"]: (r.get("jump_verdicts") or [])[k] for r in rules if k < len(r.get("jump_verdicts") or [])}
        out.append(
            SessionJump(
                jump_index=int(j["index"]),
                run=int(j["run"]),
                takeoff_frame=int(j["takeoff_frame"]),
                apex_frame=int(j["apex_frame"]),
                landing_frame=int(j["landing_frame"]),
                takeoff_s=float(j["takeoff_s"]),
                apex_s=float(j["apex_s"]),
                landing_s=float(j["landing_s"]),
                flight_s=finite_or_none(j.get("flight_s")),
                contact_before_s=finite_or_none(j.get("contact_before_s")),
                height_cm_displacement=finite_or_none(j.get("height_cm_displacement")),
                height_cm_flight_time=finite_or_none(j.get("height_cm_flight_time")),
                height_uncertainty_cm=finite_or_none(j.get("height_uncertainty_cm")),
                foot=str(j.get("foot") or "unknown"),
                style=str(j.get("style") or "unknown"),
                verdicts=verdicts,
            )
        )
    return out


def _correction_rows(corrected: dict[str, Any]) -> list[CorrectionRow]:
    return [
        CorrectionRow(
            seq=i,
            action=c["action"],
            jump_index=c.get("jump"),
            frame=c.get("frame"),
            t_s=c.get("t_s"),
            note=c.get("note") or "",
        )
        for i, c in enumerate(corrected.get("corrections") or [])
    ]


#: Report schema versions this store reads: 1.x (before slow motion and checked heights:
#: reopened as real time, with the stored figures) and 2.x.
READABLE_MAJOR_VERSIONS = ("1", "2")


def _check_report(report: dict[str, Any]) -> None:
    if not isinstance(report, dict) or report.get("schema") != SCHEMA:
        got = report.get("schema") if isinstance(report, dict) else type(report).__name__
        raise StoreError(f"save: expected a jump-rope report (schema {SCHEMA!r}), got {got!r}")
    version = str(report.get("schema_version") or "")
    if version.split(".")[0] not in READABLE_MAJOR_VERSIONS:
        raise StoreError(
            f"save: expected report schema version {' or '.join(v + '.x' for v in READABLE_MAJOR_VERSIONS)}, "
            f"got {version!r}; update the program"
        )
    if report.get("original_detection") is not None:
        raise StoreError(
            "save: expected the report as analysed, got a corrected export; pass its corrections separately"
        )


def _report_parts(
    report: Report | dict[str, Any], pose: posedata.PoseData | bytes | None, what: str
) -> tuple[dict[str, Any], bytes | None, np.ndarray | None]:
    """(report JSON, packed pose or None, frame times or None) of what is to be stored."""
    if isinstance(report, dict):
        d = report
    elif isinstance(report, Report):
        d = report.to_dict()
        if pose is None:
            pose = posedata.PoseData.from_report(report)
    else:
        raise StoreError(f"{what}: expected a Report or its JSON dict, got {type(report).__name__}")
    _check_report(d)
    if isinstance(pose, (bytes, bytearray)):
        return d, bytes(pose), posedata.frame_times(bytes(pose))
    if pose is not None:
        return d, posedata.pack(pose), np.asarray(pose.t_s, float)
    return d, None, None


# -- the store ---------------------------------------------------------------------------------
class Store:
    """A history store at ``url`` (see ``location.py``). ``files_dir`` overrides where kept
    clips go. The schema is brought up to date on opening and kept files left by a crash
    are swept. Close it (or use ``with``) to release its connections."""

    def __init__(self, url: str | None = None, *, files_dir: str | Path | None = None) -> None:
        self._url = parse_url(resolve_url(url))
        self.url = safe_url(self._url)
        root = Path(files_dir).expanduser() if files_dir is not None else files_dir_for(self._url)
        self.files = FileArea(root)
        try:
            self._engine = make_engine(self._url)
            self._writer = writer(self._engine)
            migrate.ensure_schema(self._engine)
        except ModuleNotFoundError as exc:
            raise StoreError(
                f"the store at {self.url} needs the Python package {exc.name!r}; install the "
                "requirements (pip install -r requirements.txt)"
            ) from None
        except OperationalError as exc:
            raise StoreError(f"could not open the store at {self.url}: {_reason(exc)}") from None
        except OSError as exc:
            raise StoreError(f"could not create the store at {self.url}: {exc.strerror or exc}") from None
        self.recover()

    # -- plumbing ------------------------------------------------------------------------------
    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r}, files={str(self.files.root)!r})"

    @property
    def backend(self) -> str:
        return self._engine.dialect.name

    @contextlib.contextmanager
    def _write(self) -> Iterator[OrmSession]:
        """One transaction that writes: committed at the end of the block, rolled back on any
        exception (database errors become ``StoreError`` with the reason)."""
        try:
            with OrmSession(self._writer, expire_on_commit=False) as s, s.begin():
                yield s
        except StoreError:
            raise
        except IntegrityError as exc:
            raise StoreError(f"the store refused the change: {_reason(exc)}") from None
        except OperationalError as exc:
            raise StoreError(f"could not write to the store at {self.url}: {_reason(exc)}") from None

    @contextlib.contextmanager
    def _read(self) -> Iterator[OrmSession]:
        try:
            with OrmSession(self._engine, expire_on_commit=False) as s, s.begin():
                yield s
        except OperationalError as exc:
            raise StoreError(f"could not read the store at {self.url}: {_reason(exc)}") from None

    def _uid_exists(self, uid: str) -> bool | None:
        try:
            with self._read() as s:
                return s.scalar(sa.select(sa.func.count()).where(Session.uid == uid)) == 1
        except (StoreError, SQLAlchemyError):
            return None

    def recover(self) -> list[str]:
        """Delete kept files no session references (left by a crash); returns their paths."""

        def referenced(relpaths: list[str]) -> set[str]:
            if not relpaths:
                return set()
            with self._read() as s:
                found: set[str] = set()
                for i in range(0, len(relpaths), 500):
                    chunk = relpaths[i : i + 500]
                    found |= set(s.scalars(sa.select(SessionFile.relpath).where(SessionFile.relpath.in_(chunk))))
                return found

        return self.files.sweep(referenced)

    # -- jumpers -------------------------------------------------------------------------------
    def _jumper(self, s: OrmSession, name: str | None, create: bool) -> Jumper | None:
        n = clean_name(name)
        j = s.scalar(sa.select(Jumper).where(Jumper.name_key == name_key(n)))
        if j is None and create:
            j = Jumper(name=n, name_key=name_key(n), created_at=utcnow())
            s.add(j)
            s.flush()
        return j

    def add_jumper(self, name: str) -> int:
        """A named profile (created when missing); returns its id."""
        with self._write() as s:
            j = self._jumper(s, name, create=True)
            assert j is not None
            return j.id

    def list_jumpers(self) -> list[JumperInfo]:
        q = (
            sa.select(
                Jumper.id,
                Jumper.name,
                sa.func.count(Session.id),
                sa.func.min(Session.recorded_at),
                sa.func.max(Session.recorded_at),
            )
            .outerjoin(Session, Session.jumper_id == Jumper.id)
            .group_by(Jumper.id, Jumper.name)
            .order_by(Jumper.name_key)
        )
        with self._read() as s:
            rows = s.execute(q).all()
        return [JumperInfo(i, n, int(c), _aware(a), _aware(b)) for i, n, c, a, b in rows]

    def rename_jumper(self, old: str, new: str) -> None:
        with self._write() as s:
            j = self._jumper(s, old, create=False)
            if j is None:
                raise StoreError(f"rename: no jumper called {clean_name(old)!r}")
            n = clean_name(new)
            other = self._jumper(s, n, create=False)
            if other is not None and other.id != j.id:
                raise StoreError(f"rename: a jumper called {other.name!r} already exists")
            j.name, j.name_key = n, name_key(n)

    def delete_jumper(self, name: str) -> DeleteResult:
        """Delete a profile, all its sessions and their kept files."""
        with self._write() as s:
            j = self._jumper(s, name, create=False)
            if j is None:
                raise StoreError(f"delete: no jumper called {clean_name(name)!r}")
            ids = list(s.scalars(sa.select(Session.id).where(Session.jumper_id == j.id)))
            rel = list(s.scalars(sa.select(SessionFile.relpath).where(SessionFile.session_id.in_(ids)))) if ids else []
            s.delete(j)
        return DeleteResult(len(ids), self.files.remove(rel))

    # -- writing sessions --------------------------------------------------------------------
    def save_session(
        self,
        report: Report | dict[str, Any],
        *,
        jumper: str | None = DEFAULT_JUMPER,
        recorded_at: datetime | date | str | None = None,
        clip: str | Path | bytes | None = None,
        clip_name: str | None = None,
        clip_sha256: str | None = None,
        keep_clip: bool = False,
        pose: posedata.PoseData | bytes | None = None,
        corrections: Iterable[dict[str, Any] | Correction] = (),
    ) -> int:
        """Store one analysed clip; returns the session id.

        ``report``: a ``Report`` (its pose series is stored for the frame review) or its JSON
        dict (then ``pose`` may carry the pose: ``PoseData`` or packed bytes). ``clip``: the
        clip's file or bytes, for its content hash and, with ``keep_clip``, to keep a copy
        (else ``clip_sha256`` may give the hash). ``recorded_at``: when it was filmed
        (default: now). All or nothing: on any error nothing is stored.
        """
        d, blob, times = _report_parts(report, pose, "save")
        if keep_clip and clip is None:
            raise StoreError("save: keep_clip needs the clip (its file or bytes)")
        name = clean_name(jumper)
        when = as_datetime(recorded_at)
        try:
            corrected = apply_corrections(d, corrections, t_s=times)
        except ValueError as exc:
            raise StoreError(f"save: {exc}") from None
        digest, size = sha256_of(clip) if clip is not None else (clip_sha256, None)
        if clip_sha256 is not None and digest != clip_sha256:
            raise StoreError("save: the clip's content does not match the given clip_sha256")
        cname = (
            clip_name
            or (Path(clip).name if isinstance(clip, (str, Path)) else (d.get("clip") or {}).get("name"))
            or "clip"
        )
        uid = uuid.uuid4().hex
        n_frames = int((d.get("summary") or {}).get("frames") or 0)
        staged: contextlib.AbstractContextManager[StagedFile | None] = (
            self.files.stage(clip, uid, safe_suffix(cname), lambda: self._uid_exists(uid))
            if keep_clip and clip is not None
            else contextlib.nullcontext(None)
        )
        with staged as kept, self._write() as s:
            j = self._jumper(s, name, create=True)
            now = utcnow()
            row = Session(
                uid=uid,
                jumper=j,
                recorded_at=when or now,
                analysed_at=now,
                clip_name=str(cname)[:255],
                clip_sha256=digest,
                clip_size_bytes=size,
                options=dict(d.get("config") or {}),
                schema_version=str(d.get("schema_version")),
                report=d,
                **_figures(corrected),
            )
            row.jumps = _jump_rows(d)
            row.rules = _rule_rows(corrected)
            row.corrections = _correction_rows(corrected)
            if blob is not None:
                row.pose = SessionPose(format=posedata.FORMAT, n_frames=n_frames, data=bytes(blob))
            if kept is not None:
                row.files = [
                    SessionFile(
                        kind="clip",
                        relpath=kept.relpath,
                        size_bytes=kept.size_bytes,
                        sha256=kept.sha256,
                        created_at=now,
                    )
                ]
            s.add(row)
            s.flush()
            sid = row.id
        return sid

    def save_corrections(self, session_id: int, corrections: Iterable[dict[str, Any] | Correction]) -> dict[str, Any]:
        """Replace a session's corrections (the whole list; an empty list undoes them all) and
        update its figures; returns the corrected report. Nothing changes on an error."""
        items = parse_corrections(corrections)
        with self._write() as s:
            row = s.get(Session, session_id, options=[undefer(Session.report), selectinload(Session.pose)])
            if row is None:
                raise StoreError(f"corrections: no session {session_id}")
            times = self._times(row)
            try:
                corrected = apply_corrections(row.report, items, t_s=times)
            except ValueError as exc:
                raise StoreError(f"corrections: {exc}") from None
            row.corrections = []
            row.rules = []
            s.flush()  # the old rows go before the new ones take their keys
            row.corrections = _correction_rows(corrected)
            row.rules = _rule_rows(corrected)
            for k, v in _figures(corrected).items():
                setattr(row, k, v)
        return corrected

    def set_recorded_at(self, session_id: int, when: datetime | date | str) -> None:
        with self._write() as s:
            row = s.get(Session, session_id)
            if row is None:
                raise StoreError(f"date: no session {session_id}")
            new = as_datetime(when)
            if new is None:
                raise StoreError("date: expected a date, got none")
            row.recorded_at = new

    def replace_analysis(
        self,
        session_id: int,
        report: Report | dict[str, Any],
        *,
        pose: posedata.PoseData | bytes | None = None,
    ) -> ReplaceResult:
        """The same clip analysed again under other options (the page's settings changed):
        the session's options, report, figures, per-jump table and pose are replaced; its
        jumper, date, clip name, hash and kept files stay. Its corrections are kept when the
        new detection found the same jumps (the same take-off frames, so every correction
        still means the same jump and frame), else dropped: a removed jump's index would name
        another jump. Returns how many were kept and dropped. All or nothing."""
        d, blob, times = _report_parts(report, pose, "replace")
        with self._write() as s:
            row = s.get(
                Session,
                session_id,
                options=[undefer(Session.report), selectinload(Session.corrections), selectinload(Session.pose)],
            )
            if row is None:
                raise StoreError(f"replace: no session {session_id}")
            old = [
                Correction(action=c.action, jump=c.jump_index, frame=c.frame, t_s=c.t_s, note=c.note)
                for c in row.corrections
            ]
            keep = old if _takeoffs(row.report) == _takeoffs(d) else []
            try:
                corrected = apply_corrections(d, keep, t_s=times)
            except ValueError:  # e.g. an added jump now inside a detected one's flight
                keep = []
                corrected = apply_corrections(d, [], t_s=times)
            row.corrections, row.rules, row.jumps = [], [], []
            s.flush()  # the old rows go before the new ones take their keys
            row.options = dict(d.get("config") or {})
            row.schema_version = str(d.get("schema_version"))
            row.report = d
            row.analysed_at = utcnow()
            row.jumps = _jump_rows(d)
            row.rules = _rule_rows(corrected)
            row.corrections = _correction_rows(corrected)
            for k, v in _figures(corrected).items():
                setattr(row, k, v)
            n_frames = int((d.get("summary") or {}).get("frames") or 0)
            if blob is None:
                row.pose = None  # the old pose belongs to the old analysis
            elif row.pose is None:
                row.pose = SessionPose(format=posedata.FORMAT, n_frames=n_frames, data=blob)
            else:
                row.pose.format, row.pose.n_frames, row.pose.data = posedata.FORMAT, n_frames, blob
        return ReplaceResult(len(keep), len(old) - len(keep))

    def move_session(self, session_id: int, jumper: str) -> None:
        """Give a session to another jumper (created when missing), e.g. when it was saved
        under the wrong name."""
        with self._write() as s:
            row = s.get(Session, session_id)
            if row is None:
                raise StoreError(f"move: no session {session_id}")
            j = self._jumper(s, jumper, create=True)
            assert j is not None
            row.jumper_id = j.id

    def keep_clip(self, session_id: int, clip: str | Path | bytes) -> Path:
        """Keep a copy of a stored session's clip now (its frames can then be reviewed
        again); returns the kept file. The clip must be the one analysed (same sha256) when
        the session knows its hash. A clip already kept stays as it is."""
        kept = self.clip_path(session_id)
        if kept is not None:
            return kept
        info = self.session_info(session_id)
        digest, _ = sha256_of(clip)
        if info.clip_sha256 is not None and digest != info.clip_sha256:
            raise StoreError(
                f"keep clip: this is not the clip session {session_id} was analysed from "
                f"({info.clip_name}, sha256 {info.clip_sha256[:12]}...)"
            )

        def committed() -> bool | None:
            try:
                with self._read() as s:
                    n = s.scalar(
                        sa.select(sa.func.count()).where(
                            SessionFile.session_id == session_id, SessionFile.kind == "clip"
                        )
                    )
                    return bool(n)
            except (StoreError, SQLAlchemyError):
                return None

        with self.files.stage(clip, info.uid, safe_suffix(info.clip_name), committed) as staged, self._write() as s:
            row = s.get(Session, session_id)
            if row is None:
                raise StoreError(f"keep clip: no session {session_id}")
            s.execute(sa.delete(SessionFile).where(SessionFile.session_id == session_id, SessionFile.kind == "clip"))
            s.add(
                SessionFile(
                    session_id=session_id,
                    kind="clip",
                    relpath=staged.relpath,
                    size_bytes=staged.size_bytes,
                    sha256=staged.sha256,
                    created_at=utcnow(),
                )
            )
            if row.clip_sha256 is None:
                row.clip_sha256 = staged.sha256
        return staged.path

    def delete_session(self, session_id: int) -> DeleteResult:
        """Delete a session with its corrections, pose data and kept files."""
        with self._write() as s:
            row = s.get(Session, session_id)
            if row is None:
                raise StoreError(f"delete: no session {session_id}")
            rel = list(s.scalars(sa.select(SessionFile.relpath).where(SessionFile.session_id == session_id)))
            s.delete(row)
        return DeleteResult(1, self.files.remove(rel))

    # -- reading sessions ---------------------------------------------------------------------
    def _info_query(self) -> sa.Select:
        has_pose = sa.select(SessionPose.session_id).where(SessionPose.session_id == Session.id).exists()
        clip = (
            sa.select(SessionFile.relpath)
            .where(SessionFile.session_id == Session.id, SessionFile.kind == "clip")
            .limit(1)
            .scalar_subquery()
        )
        return sa.select(Session, Jumper.name, has_pose.label("has_pose"), clip.label("clip_rel")).join(
            Jumper, Session.jumper_id == Jumper.id
        )

    def _info(self, row: Session, jumper: str, has_pose: bool, clip_rel: str | None) -> SessionInfo:
        kept = clip_rel is not None and self.files.root is not None and self.files.path(clip_rel).is_file()
        return SessionInfo(
            id=row.id,
            uid=row.uid,
            jumper=jumper,
            recorded_at=row.recorded_at,
            analysed_at=row.analysed_at,
            clip_name=row.clip_name,
            clip_sha256=row.clip_sha256,
            jump_count=row.jump_count,
            jumps_per_minute=row.jumps_per_minute,
            active_time_s=row.active_time_s,
            longest_streak=row.longest_streak,
            n_misses=row.n_misses,
            n_stops=row.n_stops,
            mean_height_cm=row.mean_height_cm,
            mean_height_uncertainty_cm=row.mean_height_uncertainty_cm,
            duration_s=row.duration_s,
            view=row.view,
            partial=row.partial,
            top_fault_rule=row.top_fault_rule,
            top_fault_title=row.top_fault_title,
            top_fault_share=row.top_fault_share,
            n_corrections=row.n_corrections,
            has_pose=bool(has_pose),
            clip_kept=kept,
        )

    def list_sessions(self, jumper: str | None = None, *, sha256: str | None = None) -> list[SessionInfo]:
        """Sessions, oldest first: of one jumper, or all; optionally only those of one clip."""
        q = self._info_query().order_by(Session.recorded_at, Session.id)
        if jumper is not None:
            q = q.where(Jumper.name_key == name_key(clean_name(jumper)))
        if sha256 is not None:
            q = q.where(Session.clip_sha256 == sha256)
        with self._read() as s:
            return [self._info(*r) for r in s.execute(q).all()]

    def find_session(self, jumper: str, sha256: str, options: dict[str, Any]) -> SessionInfo | None:
        """The jumper's session of this clip content analysed with these options, the most
        recently analysed if several (the store's rule for not saving a clip twice: same
        jumper, same content, same options); None when there is none."""
        q = (
            self._info_query()
            .where(Jumper.name_key == name_key(clean_name(jumper)), Session.clip_sha256 == sha256)
            .order_by(Session.analysed_at.desc(), Session.id.desc())
        )
        with self._read() as s:
            for r in s.execute(q).all():
                if same_options(r[0].options, options):
                    return self._info(*r)
        return None

    def session_info(self, session_id: int) -> SessionInfo:
        with self._read() as s:
            r = s.execute(self._info_query().where(Session.id == session_id)).first()
        if r is None:
            raise StoreError(f"no session {session_id} in the store")
        return self._info(*r)

    def session(self, session_id: int) -> StoredSession:
        """Everything about one session (no pose data: see :meth:`load_report`)."""
        info = self.session_info(session_id)
        with self._read() as s:
            row = s.get(Session, session_id, options=[undefer(Session.report), selectinload(Session.corrections)])
            if row is None:
                raise StoreError(f"no session {session_id} in the store")
            report, options = row.report, row.options
            items = [
                Correction(action=c.action, jump=c.jump_index, frame=c.frame, t_s=c.t_s, note=c.note)
                for c in row.corrections
            ]
            times = self._times(row) if any(c.action == "add" for c in items) else None
        corrected = apply_corrections(report, items, t_s=times)
        return StoredSession(info, options, report, items, corrected)

    def _times(self, row: Session) -> np.ndarray | None:
        pose = row.pose
        return posedata.frame_times(pose.data) if pose is not None else None

    def pose_data(self, session_id: int) -> posedata.PoseData:
        with self._read() as s:
            blob = s.scalar(sa.select(SessionPose.data).where(SessionPose.session_id == session_id))
        if blob is None:
            raise StoreError(
                f"session {session_id} has no pose data stored; analyse the clip again to review its frames"
            )
        return posedata.unpack(blob)

    def load_report(self, session_id: int, *, corrected: bool = True) -> Report:
        """The session as a ``Report`` for the full review (no analysis is run): with its
        corrections applied (``corrected``), else as the detection found it."""
        stored = self.session(session_id)
        return report_from_dict(stored.corrected if corrected else stored.report, self.pose_data(session_id))

    def export(self, session_id: int) -> dict[str, Any]:
        """The JSON export: the corrected report with ``corrections``, ``original_detection``,
        ``streaks`` and ``stored_session`` (jumper, date, clip hash)."""
        st = self.session(session_id)
        i = st.info
        return st.corrected | {
            "stored_session": {
                "id": i.id,
                "uid": i.uid,
                "jumper": i.jumper,
                "recorded_at": i.recorded_at.isoformat(),
                "analysed_at": i.analysed_at.isoformat(),
                "clip_sha256": i.clip_sha256,
            }
        }

    def clip_path(self, session_id: int) -> Path | None:
        """The kept clip's file (None when the clip was not kept or is not on this machine)."""
        with self._read() as s:
            rel = s.scalar(
                sa.select(SessionFile.relpath).where(SessionFile.session_id == session_id, SessionFile.kind == "clip")
            )
        if rel is None or self.files.root is None:
            return None
        p = self.files.path(rel)
        return p if p.is_file() else None

    # -- figures, trends, class view ------------------------------------------------------------
    def figures(self, jumper: str | None = None, session_ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
        """Per-session figure rows (see ``trends.py``), oldest first."""
        q = (
            sa.select(
                Session.id,
                Jumper.name,
                Session.recorded_at,
                Session.jump_count,
                Session.jumps_per_minute,
                Session.active_time_s,
                Session.longest_streak,
                Session.n_misses,
                Session.n_stops,
                Session.mean_height_cm,
                Session.mean_height_uncertainty_cm,
                Session.top_fault_rule,
                Session.top_fault_title,
                Session.top_fault_share,
                Session.clip_name,
                Session.n_corrections,
                Session.partial,
            )
            .join(Jumper, Session.jumper_id == Jumper.id)
            .order_by(Session.recorded_at, Session.id)
        )
        if jumper is not None:
            q = q.where(Jumper.name_key == name_key(clean_name(jumper)))
        if session_ids is not None:
            q = q.where(Session.id.in_(list(session_ids)))
        with self._read() as s:
            rows = [dict(r._mapping) for r in s.execute(q)]
            ids = [r["id"] for r in rows]
            rules: dict[int, dict[str, Any]] = {i: {} for i in ids}
            for i in range(0, len(ids), 500):
                for rr in s.scalars(sa.select(SessionRule).where(SessionRule.session_id.in_(ids[i : i + 500]))):
                    rules[rr.session_id][rr.rule_id] = {
                        "title": rr.title,
                        "area": rr.area,
                        "status": rr.status,
                        "pass_share": rr.pass_share,
                        "n_assessed": rr.n_assessed,
                    }
        out = []
        for r in rows:
            r["session_id"], r["jumper"] = r.pop("id"), r.pop("name")
            r["rules"] = rules[r["session_id"]]
            out.append(r)
        return out

    def trend(self, jumper: str) -> list[dict[str, Any]]:
        """One flat row per session of ``jumper``, oldest first (``trends.trend_table``)."""
        return trends.trend_table(self.figures(jumper))

    def personal_bests(self, jumper: str) -> dict[str, Any]:
        return trends.personal_bests(self.figures(jumper))

    def compare(self, a_id: int, b_id: int) -> dict[str, Any]:
        """Session ``b_id`` against ``a_id``: per-rule figures side by side and what changed."""
        rows = {r["session_id"]: r for r in self.figures(session_ids=[a_id, b_id])}
        for i in (a_id, b_id):
            if i not in rows:
                raise StoreError(f"compare: no session {i}")
        return trends.compare(rows[a_id], rows[b_id])

    def class_rows(
        self,
        jumpers: Iterable[str] | None = None,
        *,
        since: datetime | date | str | None = None,
        until: datetime | date | str | None = None,
        sort_by: str = "recorded_at",
        descending: bool = False,
    ) -> list[dict[str, Any]]:
        """The coach's table: one row per session (``classview.COLUMNS``), sorted."""
        keys = None if jumpers is None else {name_key(clean_name(n)) for n in jumpers}
        lo, hi = as_datetime(since), as_datetime(until)
        rows = []
        for r in self.figures():
            if keys is not None and name_key(r["jumper"]) not in keys:
                continue
            if (lo is not None and r["recorded_at"] < lo) or (hi is not None and r["recorded_at"] > hi):
                continue
            rows.append(
                {
                    "session_id": r["session_id"],
                    "jumper": r["jumper"],
                    "recorded_at": r["recorded_at"],
                    "clip_name": r["clip_name"],
                    "jump_count": r["jump_count"],
                    "jumps_per_minute": r["jumps_per_minute"],
                    "mean_height_cm": r["mean_height_cm"],
                    "mean_height_uncertainty_cm": r["mean_height_uncertainty_cm"],
                    "longest_streak": r["longest_streak"],
                    "n_misses": r["n_misses"],
                    "top_fault": r["top_fault_title"] or "",
                    "top_fault_share": r["top_fault_share"],
                    "n_corrections": r["n_corrections"],
                    "partial": r["partial"],
                }
            )
        return classview.sort_rows(rows, sort_by, descending)

    def class_csv(self, **kw: Any) -> str:
        return classview.to_csv(self.class_rows(**kw))

    def printable_report(self, session_id: int, *, stills: bool = True) -> str:
        """A one-page HTML report of a session (``printable.py``), with annotated stills of
        the priorities' frames when the clip was kept and ``stills`` is true."""
        from .printable import render_session, session_stills  # noqa: PLC0415 - OpenCV and the drawing only for the printable page

        st = self.session(session_id)
        figs = self.figures(st.info.jumper)
        this = next(r for r in figs if r["session_id"] == session_id)
        before = [r for r in figs if (r["recorded_at"], r["session_id"]) < (this["recorded_at"], this["session_id"])]
        images: dict[int, bytes] = {}
        clip = self.clip_path(session_id) if stills else None
        note = None
        if clip is not None:
            try:
                images = session_stills(st.corrected, self.pose_data(session_id), clip)
            except Exception as exc:  # noqa: BLE001 - the report still prints without pictures
                note = f"The frames could not be drawn from the kept clip ({type(exc).__name__}: {exc})."
        elif stills:
            note = "The clip was not kept, so the frames are named without pictures."
        return render_session(
            st.corrected,
            jumper=st.info.jumper,
            recorded_at=st.info.recorded_at,
            trend=trends.against_previous(this, before),
            stills=images,
            stills_note=note,
        )


def open_store(url: str | None = None, *, files_dir: str | Path | None = None) -> Store:
    """The store at ``url`` (else ``JUMPROPE_DB_URL``, else the default SQLite file in the
    user's data folder), created and migrated on first use."""
    return Store(url, files_dir=files_dir)


def _reason(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def _aware(v: datetime | str | None) -> datetime | None:
    """An aggregate's timestamp as stored (naive UTC, or text on SQLite) made aware."""
    if v is None:
        return None
    if isinstance(v, str):
        v = datetime.fromisoformat(v)
    return v if v.tzinfo is not None else v.replace(tzinfo=timezone.utc)
