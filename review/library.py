"""The page's use of the history store (no Streamlit): opening it with a message that says
what to do, saving each analysis once, following a change of settings, and a class's
clips analysed one after another.

Saving follows the store's rule for not keeping a clip twice (``Store.find_session``:
the same jumper, the same clip content, the same options). The page remembers which
session it shows for the current clip (:class:`Held`):

* a result already stored (by this visit, an earlier one or ``python -m analysis batch
  --store`` with the page's options) is shown from the store, with its corrections;
* a new result is saved for the jumper chosen when the clip was analysed (choosing
  another jumper later does not move it: a coach picks the next jumper before the next
  upload; :meth:`Store.move_session` moves it on request);
* a change of settings on a clip this visit saved replaces that session's analysis
  (``Store.replace_analysis``: its corrections stay when the jumps are the same), so
  trying five heights leaves one session, not five. A session saved by an earlier visit
  is never changed by a settings change: the new result is saved beside it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from analysis.config import AnalysisConfig
from analysis.pipeline import analyze_video
from analysis.report import Report
from analysis.store import ENV_URL, Store, StoreError, default_url, open_store, resolve_url
from analysis.store.files import sha256_of
from analysis.store.location import safe_url
from analysis.store.store import clean_name, same_options
from analysis.types import AnalysisError

from .session import ClipSource

#: Pose data the store keeps for every session, per second of video (measured by
#: ``python -m bench.store``, bench/RESULTS.md: 21-25 kB/s at 25-30 fps, 50 kB/s at 60 fps).
POSE_KB_PER_S = (21, 50)


# -- opening -------------------------------------------------------------------------
@dataclass(frozen=True)
class Opened:
    """The store, or why it could not be opened (``error``: a sentence for the page)."""

    store: Store | None
    url: str
    error: str | None = None


def open_history(url: str | None = None) -> Opened:
    """The history store (``url``, else ``JUMPROPE_DB_URL``, else the default file); never
    raises: a store that cannot be opened comes back with a message saying what to do."""
    shown = safe_url(resolve_url(url))
    try:
        return Opened(open_store(url), shown)
    except StoreError as exc:
        return Opened(None, shown, store_error_text(exc))
    except Exception as exc:  # noqa: BLE001 - a driver's own error: the page says it, never a traceback
        reason = f"could not open the store at {shown}: {type(exc).__name__}: {exc}"
        return Opened(None, shown, store_error_text(reason))


def store_error_text(reason: object) -> str:
    """What the page says when the history is unavailable: why, and what to do."""
    why = str(reason).rstrip(".")
    return (
        f"The history is unavailable: {why}. Analysing a clip still works, but it is not saved. "
        f"To fix it, check the address in {ENV_URL} (for a server: that it is running and the user "
        f"name and password are right), or unset {ENV_URL} to use the default file "
        f"({default_url().removeprefix('sqlite:///')}); then reload the page."
    )


def disk_cost_text(clip_bytes: int | None, duration_s: float | None = None) -> str:
    """What keeping a clip costs, beside what the history keeps anyway."""
    pose = ""
    if duration_s:
        lo, hi = (round(k * duration_s) for k in POSE_KB_PER_S)
        pose = f" (about {lo}–{hi} kB for this clip)"
    size = f"{clip_bytes / 1e6:.1f} MB" if clip_bytes is not None else "the clip's size"
    return (
        f"Keeping the clip stores a copy of it ({size}) in the history's folder, so its frames can be "
        "reviewed again later. Without it the history keeps every figure, the corrections and the "
        f"pose{pose}, but no pictures."
    )


# -- the session of the current clip ----------------------------------------------------
@dataclass(frozen=True)
class Held:
    """The stored session the page shows for the current clip."""

    session_id: int
    sha256: str
    jumper: str
    options: dict[str, Any]
    #: Saved by this visit of the page (a settings change may then replace its analysis).
    created: bool


@dataclass(frozen=True)
class Remembered:
    held: Held
    #: "saved" (new), "reused" (already stored), "replaced" (this visit's session, new
    #: settings), "unchanged" (nothing to do).
    action: str
    corrections_dropped: int = 0


def _exists(store: Store, session_id: int) -> bool:
    try:
        store.session_info(session_id)
        return True
    except StoreError:
        return False


def lookup(store: Store, held: Held | None, *, jumper: str, sha256: str, options: dict[str, Any]) -> Held | None:
    """The stored session of this result, if it is stored already (a quick query, run
    before the page is drawn): this visit's session under these options, else the store's
    match (same jumper, content and options; the jumper is the one the clip was first
    saved for in this visit)."""
    same_clip = held is not None and held.sha256 == sha256
    if held is not None and same_clip and same_options(held.options, options) and _exists(store, held.session_id):
        return held
    who = held.jumper if held is not None and same_clip else jumper
    info = store.find_session(who, sha256, options)
    if info is None:
        return None
    created = held is not None and same_clip and held.session_id == info.id and held.created
    return Held(info.id, sha256, info.jumper, options, created)


def will_replace(store: Store, held: Held | None, sha256: str) -> bool:
    """Whether a new result of this clip replaces the analysis of the session this visit
    saved for it (a settings change), rather than being saved as a new session."""
    return held is not None and held.sha256 == sha256 and held.created and _exists(store, held.session_id)


def remember(
    store: Store,
    report: Report,
    *,
    jumper: str,
    sha256: str,
    held: Held | None,
    clip: str | Path | bytes | None = None,
    clip_name: str | None = None,
    keep_clip: bool = False,
) -> Remembered:
    """Store the page's result once (see the module's docstring). ``clip`` is needed only
    to keep a copy of it (``keep_clip``). Raises ``StoreError`` when the store refuses."""
    options = report.config.to_dict()
    found = lookup(store, held, jumper=jumper, sha256=sha256, options=options)
    if found is not None:
        return Remembered(found, "unchanged" if found == held else "reused")
    same_clip = held is not None and held.sha256 == sha256
    if held is not None and will_replace(store, held, sha256):
        res = store.replace_analysis(held.session_id, report)
        return Remembered(dataclasses.replace(held, options=options), "replaced", res.corrections_dropped)
    who = held.jumper if held is not None and same_clip else jumper
    sid = store.save_session(
        report,
        jumper=who,
        clip=clip if keep_clip else None,
        clip_sha256=sha256,
        clip_name=clip_name,
        keep_clip=keep_clip,
    )
    return Remembered(Held(sid, sha256, store.session_info(sid).jumper, options, True), "saved")


# -- a class's clips ---------------------------------------------------------------------
@dataclass(frozen=True)
class ClassClip:
    """One uploaded clip of the class view and who it belongs to."""

    name: str
    data: bytes
    jumper: str
    recorded_at: date | datetime | None = None


@dataclass(frozen=True)
class ClassOutcome:
    name: str
    jumper: str
    #: "saved", "already" (the store has it: same jumper, content and options) or "failed".
    status: str
    session_id: int | None
    message: str


Progress = Callable[[float, str], None]
Analyse = Callable[..., Report]


def check_assignments(clips: Sequence[ClassClip]) -> list[str]:
    """Problems that stop a class's analysis before it starts (a clip without a jumper,
    a name the store would refuse), one sentence each."""
    out = []
    for c in clips:
        if not c.jumper.strip():
            out.append(f"{c.name}: choose or type its jumper's name")
            continue
        try:
            clean_name(c.jumper)
        except StoreError as exc:
            out.append(f"{c.name}: {exc}")
    return out


def analyse_class(
    store: Store,
    clips: Sequence[ClassClip],
    config: AnalysisConfig,
    *,
    keep_clips: bool = False,
    progress: Progress | None = None,
    analyse: Analyse = analyze_video,
    tag: str = "",
) -> list[ClassOutcome]:
    """Analyse the clips one after another and save each as a session of its jumper; a
    clip the store already holds (same jumper, content, options) is not analysed again. A
    clip that cannot be analysed or saved gets its reason; the others go on."""
    report_progress = progress or (lambda frac, text: None)
    options = config.to_dict()
    out: list[ClassOutcome] = []
    n = len(clips)
    for i, c in enumerate(clips):
        head = f"Clip {i + 1} of {n}: {c.name}"
        report_progress(i / max(n, 1), f"{head}…")
        digest, _ = sha256_of(c.data)
        try:
            found = store.find_session(c.jumper, digest, options)
        except StoreError as exc:
            out.append(ClassOutcome(c.name, c.jumper, "failed", None, f"could not read the history: {exc}"))
            continue
        if found is not None:
            when = found.recorded_at.astimezone().strftime("%Y-%m-%d")
            out.append(
                ClassOutcome(c.name, found.jumper, "already", found.id, f"already in {found.jumper}'s history ({when})")
            )
            continue

        def frames(stage: str, done: int, total: int, i: int = i, head: str = head) -> None:
            if stage == "pose":
                frac = (i + min(1.0, done / max(total, 1))) / max(n, 1)
                report_progress(frac, f"{head}: finding the pose, frame {done} of {total}")

        with ClipSource(c.name, data=c.data, tag=tag) as src:
            try:
                report = analyse(src.path, config, progress=frames)
            except AnalysisError as exc:
                out.append(ClassOutcome(c.name, c.jumper, "failed", None, str(exc)))
                continue
            except Exception as exc:  # noqa: BLE001 - one clip's failure must not stop the class
                out.append(
                    ClassOutcome(c.name, c.jumper, "failed", None, f"the analysis failed ({type(exc).__name__}: {exc})")
                )
                continue
            try:
                sid = store.save_session(
                    report,
                    jumper=c.jumper,
                    recorded_at=c.recorded_at,
                    clip=src.path if keep_clips else None,
                    clip_sha256=digest,
                    clip_name=c.name,
                    keep_clip=keep_clips,
                )
            except (StoreError, ValueError) as exc:
                out.append(ClassOutcome(c.name, c.jumper, "failed", None, f"could not be saved: {exc}"))
                continue
        info = store.session_info(sid)
        out.append(
            ClassOutcome(
                c.name, info.jumper, "saved", sid, f"{info.jump_count} jumps, saved in {info.jumper}'s history"
            )
        )
    report_progress(1.0, f"{n} clip{'s' if n != 1 else ''} done")
    return out
