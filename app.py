"""Review page (Streamlit): upload a jump-rope clip, get counts, technique checks and a
frame-by-frame review. Thin on purpose: every computation lives in ``analysis/``
(``pipeline`` analyses, ``render`` draws); the page's view-model (tables, chart data,
sentences), its HTML pieces, charts and clip handling live beside it in ``review/``.

Stages are cached by what they depend on: the pose stage (and the undrawn review video)
by the clip's content and the pose options only; the report by those plus every other
option (recomputed from the stored pose in a fraction of a second); the annotated video
by the options that change the drawing. A change of height, view, style, rope, surface,
back pain or slow motion therefore never runs the pose model again.

Four tabs share one jumper selector (a profile; "me" by default; a new name makes a new
profile): *Analyse a clip* (the review; each result is saved in the history store for the
chosen jumper, ``review/library.py`` says when), *History* (trends, personal bests, every
session reopened in the full review without analysing again, deletion), *Side by side*
(two sessions aligned on a jump) and *Class view* (many clips at once, a sortable table).
Corrections are made in the frame review of a stored session. The tab, the jumper and an
open session are in the page's address, so a reload comes back to them.

Run: ``streamlit run app.py``
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from analysis.config import ROPES, STYLES, SURFACES, VIEWS
from analysis.io.video import read_meta
from analysis.pipeline import PoseStage, analyze_pose, frame_limit, pose_options, reanalyze, run_pose_stage
from analysis.pose.forkserver import start_early
from analysis.pose.partial import PartialResult
from analysis.render.draw import FormAnnotator
from analysis.render.overlay import review_image, review_video_bytes, stills, write_annotated_video, zoom_helps
from analysis.store import DEFAULT_JUMPER, SessionInfo, Store, StoreError, resolve_url
from analysis.store.classview import to_csv as class_csv
from analysis.store.reopen import report_from_dict
from analysis.store.trends import personal_bests
from analysis.types import AnalysisError
from review import charts, library
from review import corrections as rc
from review import history as hist
from review import html as page_html
from review import viewmodel as vm
from review.session import JOBS, ClipSource, lower_thread_priority

try:  # the pose model's library, loaded at page start so the first analysis does not wait for it
    import mediapipe  # noqa: F401 - imported for its side effect (load time), not used here
except ImportError:  # pragma: no cover - the analysis reports a missing model itself
    pass

ROOT = Path(__file__).resolve().parent
#: Sample clips offered for one click (JUMPROPE_SAMPLES points elsewhere, e.g. in tests).
SAMPLES = Path(os.environ.get("JUMPROPE_SAMPLES", ROOT / "sample_videos"))
STAGES = {
    "reading": (0.0, 0.03, "Reading the clip"),
    "pose": (0.03, 1.0, "Finding the pose"),
    "video": (0.0, 1.0, "Drawing the annotated video"),
}
VIEW_LABELS = {"auto": "auto-detect", "front": "front", "side": "side", "oblique": "oblique (45°)"}
STYLE_LABELS = {"auto": "auto-detect", "two_foot": "two-foot bounce", "alternate": "alternate foot (jogging step)"}
#: The frame review's image is at most this tall (px): with the step bar above it, it fits
#: a laptop's window and a phone's screen.
REVIEW_MAX_HEIGHT_PX = 540
#: Priority stills are small: no text on them (the card says what fails).
STILL_ANNOTATOR = FormAnnotator(show_header=False, show_angles=False, show_faults=False)
#: One line in the server's log per pose stage run (operations, and the page tests count them).
LOG = logging.getLogger("jumprope.page")
if not LOG.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
    LOG.addHandler(_handler)
    LOG.setLevel(logging.INFO)
    LOG.propagate = False

st.set_page_config(page_title="Jump-rope form review", page_icon=":material/sports:", layout="wide")


# -- caches: filled after computing (no st calls inside cached functions) ----------------
@st.cache_data(show_spinner=False, max_entries=4)
def _stored_pose(digest: str, pose_key: tuple, _box: dict) -> PoseStage:
    return _box["value"]  # KeyError on a miss with an empty box: exceptions are not cached


@st.cache_data(show_spinner=False, max_entries=4)
def _stored_review_video(digest: str, pose_key: tuple, _box: dict) -> bytes | None:
    return _box["value"]


# Sizes for a 5-minute clip (the page's longest): a pose stage ~55 MB (landmarks raw and
# cleaned, the soundtrack at 22 kHz), a review video ~10 MB (32-36 kB per second measured), a report ~15 MB.
@st.cache_data(show_spinner=False, max_entries=8)
def _stored_report(digest: str, options: tuple, _box: dict):
    return _box["value"]


@st.cache_data(show_spinner=False, max_entries=4)
def _stored_video(draw_id: tuple, _box: dict) -> bytes:
    return _box["value"]


@st.cache_data(show_spinner=False, max_entries=32)
def priority_stills(draw_id: tuple, frames: tuple[int, ...], _video: bytes, _report) -> dict[int, bytes]:
    # A small still: the skeleton with the failing body part in red; the card says the rest.
    return stills(_video, _report, frames, max_side=280, annotator=STILL_ANNOTATOR)


def cached(store, key: tuple, compute):
    """``store``'s cached value for ``key``, else ``compute()`` stored there.

    The computation runs outside the cached function, so its progress bar updates are
    not recorded by ``st.cache_data`` for replay."""
    try:
        return store(*key, {})
    except KeyError:
        pass
    return store(*key, {"value": compute()})


# -- the history store ----------------------------------------------------------------
class _Unavailable(Exception):
    def __init__(self, opened: library.Opened) -> None:
        super().__init__(opened.error)
        self.opened = opened


@st.cache_resource(show_spinner=False)
def _pose_helpers_ready() -> bool:
    # The pose helpers' fork server, started once per server process as the page first loads,
    # not as the first clip's pose begins: that clip's helper then starts at once.
    return start_early()


@st.cache_resource(show_spinner=False)
def _open_history(url: str) -> library.Opened:
    # One store (engine and connection pool) per address for the server process; a store
    # that cannot be opened is not cached (an exception), so the next run tries again.
    opened = library.open_history(url)
    if opened.store is None:
        raise _Unavailable(opened)
    return opened


def history_store() -> library.Opened:
    """The history store, or why it is unavailable (never raises)."""
    try:
        return _open_history(resolve_url())
    except _Unavailable as exc:
        return exc.opened


@dataclasses.dataclass(frozen=True)
class StoredView:
    """A stored session as the page shows it: its corrected report (None without pose data,
    ``error`` says why), the corrected JSON and the session's figures."""

    info: SessionInfo
    report: Any
    corrected: dict
    error: str | None


def stored_view(store: Store, session_id: int) -> StoredView:
    """A stored session rebuilt for the review (no analysis), kept for this browser session
    until its corrections change (``forget_view``). Raises ``StoreError``."""
    views = st.session_state.setdefault("_views", {})
    key = (store.url, session_id)
    if key not in views:
        stored = store.session(session_id)
        try:
            report, error = report_from_dict(stored.corrected, store.pose_data(session_id)), None
        except (StoreError, ValueError) as exc:
            report, error = None, str(exc)
        while len(views) >= 4:  # two side by side, the open one, the analysed one
            views.pop(next(iter(views)))
        views[key] = StoredView(stored.info, report, stored.corrected, error)
    return views[key]


def forget_view(store: Store, session_id: int) -> None:
    st.session_state.get("_views", {}).pop((store.url, session_id), None)


@dataclasses.dataclass(frozen=True)
class Correctable:
    """A stored session whose detection can be corrected in the frame review."""

    store: Store
    session_id: int
    #: The corrected JSON (None while the session has no corrections) and its corrections.
    corrected: dict | None
    corrections: list[dict]


def flash(kind: str, text: str) -> None:
    """A message shown once at the top of the next run (callbacks cannot draw)."""
    st.session_state["_flash"] = (kind, text)


def show_flash() -> None:
    held = st.session_state.pop("_flash", None)
    if held:
        kind, text = held
        {"error": st.error, "warning": st.warning}.get(kind, st.success)(text)


def save_corrections(ctx: Correctable, items: list[dict], done: str) -> None:
    try:
        corrected = ctx.store.save_corrections(ctx.session_id, items)
    except StoreError as exc:
        flash("error", f"The correction was not saved: {exc}")
        return
    forget_view(ctx.store, ctx.session_id)
    n = (corrected.get("summary") or {}).get("jump_count")
    st.toast(f"{done}: {n} jumps now. Counts, cadence, streaks and scores are recomputed.", icon=":material/edit:")


def progress_reporter(bar):
    def report(stage: str, done: int, total: int) -> None:
        lo, hi, label = STAGES.get(stage, (0.0, 1.0, stage))
        frac = lo + (hi - lo) * min(1.0, done / max(total, 1))
        if stage in ("pose", "video"):
            text = f"{label}: frame {done} of {'about ' if done < total else ''}{total}"
        else:
            text = f"{label}…"
        bar.progress(min(1.0, frac), text=text)

    return report


def partial_reporter(slot):
    """Shows the first answer (jumps so far) while the pose stage runs."""

    def show(p: PartialResult) -> None:
        slot.markdown(vm.partial_text(p))

    return show


def _session_tag() -> str:
    """A short tag of this browser session, for the name of its temporary folder."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx  # noqa: PLC0415 - internal API, only for a name

        ctx = get_script_run_ctx()
        return (ctx.session_id if ctx else "nosession")[:8]
    except Exception:  # noqa: BLE001 - only a name
        return "session"


# -- state helpers -------------------------------------------------------------------
def set_frame(frame: int | None, scroll: bool = False) -> None:
    """Move the frame review; ``scroll`` brings it into view (for clicks elsewhere on the page)."""
    if frame is None:
        return
    st.session_state["frame"] = int(frame)
    if scroll:
        st.session_state["_scroll_review"] = st.session_state.get("_scroll_review", 0) + 1


def on_chart_pick(key: str) -> None:
    set_frame(vm.selected_frame_from_chart(st.session_state.get(key)), scroll=True)


def on_jump_pick(key: str) -> None:
    row = vm.selected_row(st.session_state.get(key))
    frames = st.session_state.get("_jump_frames", [])
    if row is not None and 0 <= row < len(frames):
        set_frame(frames[row], scroll=True)


def choose_sample(path: str) -> None:
    st.session_state["source"] = f"sample:{path}"


# -- inputs --------------------------------------------------------------------------
def settings():
    """What the analysis needs to know, beside the uploader: height and back pain in view,
    the rest one click away. Every change is applied to the stored pose at once."""
    with st.container(border=True, key="settings"):
        st.markdown("**About the jumper** (change any time: the results update at once)")
        height = st.number_input(
            "Standing height (cm)",
            min_value=100,
            max_value=230,
            value=None,
            step=1,
            key="height_cm",
            placeholder=f"not given: {vm.DEFAULT_HEIGHT_CM} ± 10 cm assumed",
            help="Turns pixels into centimetres for jump height. Leave empty if unknown.",
        )
        back_pain = st.checkbox(
            "I have back pain", key="back_pain", help="Adds cautions to the advice; the page never diagnoses anything."
        )
        with st.expander("Camera, step style, rope, surface, slow motion"):
            view = st.selectbox(
                "Camera view",
                VIEWS,
                key="view",
                format_func=lambda v: VIEW_LABELS.get(v, v),
                help="Front shows elbows and both feet; side shows posture and heels.",
            )
            style = st.selectbox("Step style", STYLES, key="style", format_func=lambda v: STYLE_LABELS.get(v, v))
            rope = st.selectbox("Rope", ROPES, key="rope", format_func=lambda v: "not given" if v == "unknown" else v)
            rope_turning = st.checkbox(
                "A rope was turning",
                key="rope_turning",
                help="The count needs to see a rope turning (the hands' rhythm, the rope over the head). Tick this "
                "when the clip cannot show it (hands hidden, rope out of frame, only a few jumps): the jumps are "
                "then counted on your word, and the report says so. Hands above the shoulders, pumping arms or "
                "feet opening still mean no rope.",
            )
            surface = st.selectbox(
                "Surface", SURFACES, key="surface", format_func=lambda v: "not given" if v == "unknown" else v
            )
            slowmo = None
            if vm.supports_slowmo():
                slowmo = st.number_input(
                    "Slow motion: the clip plays N× slower than real time",
                    min_value=1.0,
                    max_value=32.0,
                    value=None,
                    step=0.5,
                    key="slowmo",
                    placeholder="detect from the clip",
                    help="Phones film slow motion at 120 or 240 fps and play it at 30: that is 4× or 8×. "
                    "Leave empty to let the analysis detect it.",
                )
    return vm.make_config(
        height, view, style, rope, surface, back_pain, slowmo_factor=slowmo, rope_turning=rope_turning
    )


def pick_source():
    """The clip to analyse: (name, content hash, clip) or None. Upload wins when it is new."""
    st.markdown(
        f"Upload a clip (**{', '.join(vm.UPLOAD_TYPES)}**, up to **{vm.MAX_UPLOAD_MB} MB**; "
        f"the first **{vm.MAX_MINUTES:g} min** are analysed) filmed with the whole body in view, "
        "or try a sample."
    )
    up = st.file_uploader(
        "Jump-rope clip",
        type=list(vm.UPLOAD_TYPES),
        key="upload",
        max_upload_size=vm.MAX_UPLOAD_MB,
        help="Film the whole body from head to feet, camera still, from the front or the side.",
    )
    samples = vm.list_samples(SAMPLES)
    if samples:
        with st.container(horizontal=True, gap="xsmall"):
            for p in samples:
                st.button(
                    f"Sample: {vm.sample_label(p)}",
                    key=f"sample_{p.name}",
                    on_click=choose_sample,
                    args=(str(p),),
                    width="content",
                )
    else:
        st.caption("No sample clips in `sample_videos/` yet: upload your own.")
    st.caption(
        "Your clip is analysed on the server that runs this page (your own computer if you started it yourself); "
        "it is not sent anywhere else, and its temporary copy is deleted after the analysis."
    )
    if up is not None and st.session_state.get("upload_id") != up.file_id:
        st.session_state["upload_id"] = up.file_id
        st.session_state["source"] = "upload"
    src = st.session_state.get("source")
    if src == "upload" and up is not None:
        data = up.getvalue()
        return up.name, _digest(("upload", up.file_id), data), ClipSource(up.name, data=data, tag=_session_tag())
    if src and src.startswith("sample:"):
        p = Path(src[len("sample:") :])
        if p.is_file():
            stat = p.stat()
            digest = _digest(("sample", str(p), stat.st_size, stat.st_mtime_ns), None, p)
            return p.name, digest, ClipSource(p.name, sample=p, tag=_session_tag())
    return None


def _digest(identity: tuple, data: bytes | None, path: Path | None = None) -> str:
    """The clip's content hash, computed once per upload or sample file in this session
    (hashing a large upload on every rerun would cost a noticeable part of a second)."""
    held = st.session_state.get("_digest")
    if held is None or held[0] != identity:
        held = (identity, vm.file_digest(data if data is not None else path.read_bytes() if path else b""))
        st.session_state["_digest"] = held
    return held[1]


# -- the expensive part --------------------------------------------------------------
def _review_video_job(clip: ClipSource, stop: int) -> bytes | None:
    """The undrawn review video, in the background at low priority (the results never wait
    for it); its own copy of the clip, removed when done."""
    lower_thread_priority()
    with clip:
        try:
            path = clip.path
            return review_video_bytes(path, read_meta(path), stop=stop)
        except Exception:  # noqa: BLE001 - the review video is a convenience; the analysis reports bad input
            return None


def review_video(clip: ClipSource, stop: Callable[[], int], digest: str, pose_key: tuple) -> tuple[bytes | None, bool]:
    """(the review video or None, whether it is settled): stored, just finished in the
    background, or started now (then (None, False) until it is done). ``stop()``: the
    number of frames the review needs (asked only when the video is made)."""
    try:
        return _stored_review_video(digest, pose_key, {}), True
    except KeyError:
        pass
    key = ("review-video", digest, pose_key)
    done, video = JOBS.take(key)
    if done:
        return _stored_review_video(digest, pose_key, {"value": video}), True
    if not JOBS.running(key):
        JOBS.submit(key, _review_video_job, clip.detached(), stop())
    return None, False


def clip_stop(clip: ClipSource, config) -> Callable[[], int]:
    return lambda: frame_limit(read_meta(clip.path), config)


def pose_stage(name: str, clip: ClipSource, config, digest: str, pose_key: tuple) -> tuple[PoseStage, bool]:
    """The pose stage of this clip and whether it was stored already; computed now (with a
    progress bar and the count so far) when it was not, the review video meanwhile in the
    background."""
    try:
        return _stored_pose(digest, pose_key, {}), True
    except KeyError:
        pass
    status = st.status(f"Analysing {name}…", expanded=True)
    bar = status.progress(0.0, text="Starting…")
    first = status.empty()
    try:
        review_video(clip, clip_stop(clip, config), digest, pose_key)  # starts it
        t0 = time.perf_counter()
        stage = run_pose_stage(clip.path, config, progress=progress_reporter(bar), on_partial=partial_reporter(first))
        LOG.info("pose stage ran: %s, %d frames, %.1f s", name, len(stage.pose), time.perf_counter() - t0)
    except Exception:
        status.update(label=f"Could not analyse {name}", state="error", expanded=False)
        raise
    status.update(label=f"Analysed {name}", state="complete", expanded=False)
    return _stored_pose(digest, pose_key, {"value": stage}), False


# -- sections ------------------------------------------------------------------------
def show_summary(report, rerun_s: float | None) -> None:
    note = vm.time_scale_note(report)
    if note:
        st.warning(note, icon=":material/slow_motion_video:")
    st.subheader("Summary")
    st.markdown(f"**{vm.headline(report)}**  \n{report.meta.name}")
    if report.jumps.count:  # without jumps every figure would be a dash
        with st.container(horizontal=True, gap="small", key="metrics"):
            for m in vm.summary_metrics(report):
                st.metric(m["label"], m["value"], help=m["help"])
    timing = vm.timing_note(report)
    if rerun_s is not None:
        timing += f" Updated for your settings in {rerun_s:.2f} s from the stored pose."
    st.caption(" ".join(p for p in (timing, vm.view_note(report) + ".", vm.sound_note(report)) if p))


def show_no_skipping(report) -> None:
    info = vm.no_skipping(report)
    if info is None:
        return
    st.warning(info["text"], icon=":material/info:")
    for r in info["reasons"]:
        st.markdown(f"- Also: {r}.")
    st.markdown("**What to try**\n" + "\n".join(f"- {t}" for t in info["tips"]))
    show_run_evidence(report)
    notes = vm.quality_notes(report)
    notes = [n for n in notes if "rope skipping" not in n.lower()]
    if notes:
        with st.expander(f"Capture quality notes ({len(notes)})"):
            st.markdown("\n".join(f"- {n}" for n in notes))


def show_priorities(report, pics: dict[int, bytes]) -> None:
    ps = vm.priorities(report)
    if not ps:
        st.success("No technique check failed on most jumps. Keep it up, and see the scores below.")
        return
    st.markdown("#### Top things to work on")
    # One card per thing, the example still beside the words (under them on a phone).
    for i, (c, p) in enumerate(zip(st.columns(min(3, max(2, len(ps)))), ps), 1):
        with c.container(border=True):
            words, still = st.columns([3, 2]) if p["frame"] in pics else (st.container(), None)
            with words:
                st.markdown(f"**{i}. {p['title']}**")
                st.caption(f"{p['score']} · severity {p['severity']}")
                st.write(p["advice"])
                if p["frame"] is not None:
                    st.button(
                        f"Review frame {p['frame']}",
                        key=f"prio_{i}",
                        on_click=set_frame,
                        args=(p["frame"], True),
                        icon=":material/center_focus_strong:",
                    )
            if still is not None:
                still.image(pics[p["frame"]], caption=f"frame {p['frame']}: the clearest example")


@st.fragment
def frame_review(report, video: bytes | None, result_key: str, correct: Correctable | None, no_frames: str) -> None:
    with st.container(key="frame_review"):
        st.markdown("#### Frame review")
        n = len(report.t_s)
        jstops, fstops = vm.jump_stops(report), vm.fault_stops(report)
        if "frame" not in st.session_state:  # the slider was not drawn for a while (another tab)
            st.session_state["frame"] = st.session_state.get("_frame_of", {}).get(result_key, vm.start_frame(report))
        cur = int(min(max(st.session_state.get("frame", 0), 0), n - 1))
        st.session_state["frame"] = cur
        buttons = [
            ("◀ frame", cur - 1 if cur > 0 else None),
            ("frame ▶", cur + 1 if cur < n - 1 else None),
            ("◀ jump", vm.step(jstops, cur, -1)),
            ("jump ▶", vm.step(jstops, cur, +1)),
            ("◀ fault", vm.step(fstops, cur, -1)),
            ("fault ▶", vm.step(fstops, cur, +1)),
        ]
        with st.container(horizontal=True, gap="xxsmall", key="stepbar"):
            for label, target in buttons:
                st.button(
                    label,
                    key=f"nav_{label}",
                    on_click=set_frame,
                    args=(target,),
                    disabled=target is None,
                    width="content",
                    type="secondary",
                )
        st.slider("Frame", 0, max(n - 1, 1), key="frame")
        frame = int(st.session_state["frame"])
        st.session_state["_frame_of"] = {result_key: frame}
        left, right = st.columns([2, 3], gap="medium")
        with left:
            if video is None:
                st.info(no_frames, icon=":material/hide_image:")
            else:
                zoom = False
                if zoom_helps(report):
                    zoom = st.toggle("Zoom to the jumper", value=True, key=f"zoom_{result_key[:16]}")
                try:
                    img = review_image(video, report, frame, zoom=zoom, annotator=_annotator(report, result_key))
                    h, w = img.shape[:2]
                    st.image(img, channels="BGR", width=int(min(900, REVIEW_MAX_HEIGHT_PX * w / h)))
                except Exception as exc:  # noqa: BLE001 - a frame that will not decode must not break the page
                    st.warning(f"Frame {frame} could not be shown ({exc}).")
            details = vm.frame_details(report, frame)
            st.markdown(f"**{details['caption']}**")
            if details["height"]:
                st.caption(f"Jump height: {details['height']}")
            if correct is not None:
                correction_bar(report, correct, frame)
        with right:
            checks = vm.checks_at_frame(report, frame)
            st.html(page_html.checks_table(checks.to_dict("records")))
        nonce = st.session_state.get("_scroll_review", 0)
        if nonce and st.session_state.get("_scrolled", 0) != nonce:
            st.session_state["_scrolled"] = nonce
            st.html(page_html.scroll_into_view("st-key-frame_review", nonce), unsafe_allow_javascript=True)


def correction_bar(report, ctx: Correctable, frame: int) -> None:
    """ "Not a jump" and "Add a missed jump here" at this frame, and the corrections so far
    with an undo each. A change is stored at once and the whole page recomputed."""
    acts = rc.frame_actions(report, ctx.corrected, ctx.corrections, frame)
    with st.container(horizontal=True, gap="xsmall", key="correct_bar"):
        if st.button(
            acts.remove_label,
            key="correct_remove",
            disabled=acts.remove is None,
            help=acts.remove_why or "The detection counted a jump that is not one: take it out of every figure.",
            icon=":material/remove_circle:",
        ):
            assert acts.remove is not None
            save_corrections(ctx, acts.remove, "Marked as not a jump")
            st.rerun()
        if st.button(
            acts.add_label,
            key="correct_add",
            disabled=acts.add is None,
            help=acts.add_why or "The detection missed a jump here: count it (it has no measurements of its own).",
            icon=":material/add_circle:",
        ):
            assert acts.add is not None
            save_corrections(ctx, acts.add, "Missed jump added")
            st.rerun()
    if ctx.corrections:
        with st.expander(f"Corrections ({len(ctx.corrections)})", expanded=True):
            for i, text in enumerate(rc.describe(ctx.corrections, ctx.corrected, report)):
                c1, c2 = st.columns([5, 1], vertical_alignment="center")
                c1.markdown(text)
                if c2.button("Undo", key=f"correct_undo_{i}", icon=":material/undo:"):
                    save_corrections(ctx, rc.undo(ctx.corrections, i), "Correction undone")
                    st.rerun()


@st.fragment(run_every=1.0)
def wait_for_frames(key: tuple) -> None:
    """Stands in for the frame review while its video is made; reloads the page when done."""
    with st.container(key="frame_review"):
        st.markdown("#### Frame review")
        if not JOBS.running(key):
            st.rerun()
        st.info("Preparing the frames for the review…", icon=":material/hourglass_top:")


def _annotator(report, result_key: str) -> FormAnnotator:
    """One annotator per result (it keeps the per-frame faults of its report)."""
    held = st.session_state.get("_annotator")
    if held is None or held[0] != result_key:
        held = (result_key, FormAnnotator(show_header=False, show_faults=True))
        st.session_state["_annotator"] = held
    return held[1]


def show_scores(report) -> None:
    st.markdown("#### Score per check")
    st.html(page_html.scores_table(vm.rule_scores(report).to_dict("records")))


@st.cache_data(show_spinner=False, max_entries=16)
def chart_specs(draw_id: tuple, _report) -> dict[str, dict]:
    return charts.page_specs(_report)


def show_timeline(report, tag: str, specs: dict[str, dict]) -> None:
    st.markdown("#### Timeline")
    st.caption(
        "Foot clearance with the 2–5 cm aim; a tick per jump (red: it fails a check); under it, each run of "
        "skipping (the longest unbroken streak in green) and how it ended (✕ a miss, ■ a stop), then where each "
        "check fails. Click anywhere to move the frame review there."
    )
    streaks = vm.streak_text(report)
    if streaks:
        st.markdown(f"**{streaks}**")
    for name in ("clearance", "streaks", "lanes"):
        if name in specs:
            key = f"chart_{name}_{tag}"
            st.vega_lite_chart(specs[name], on_select=lambda k=key: on_chart_pick(k), key=key, width="stretch")
    for col, name in zip(st.columns(2), ("knee", "arm")):
        with col:
            key = f"chart_{name}_{tag}"
            st.vega_lite_chart(specs[name], on_select=lambda k=key: on_chart_pick(k), key=key, width="stretch")


def show_jumps(report, tag: str) -> None:
    st.markdown("#### Every jump")
    table = vm.jump_table(report)
    st.session_state["_jump_frames"] = [int(f) for f in table["take-off frame"]]
    st.caption(
        "Height: the best estimate with its range (±1 standard uncertainty), and the two ways it is measured. "
        "Sort by any column; select a row to review that jump."
    )
    key = f"jump_table_{tag}"
    shown = vm.jump_table_shown(table)
    numbers = {c: f for c, f in vm.jump_table_formats(shown).items() if shown[c].dtype.kind in "if"}
    styled = shown.style.format(numbers)
    st.dataframe(
        styled,
        hide_index=True,
        width="stretch",
        height=min(420, 36 * (len(table) + 1) + 3),
        on_select=lambda k=key: on_jump_pick(k),
        selection_mode="single-row",
        key=key,
        column_config={
            "failed checks": st.column_config.TextColumn(width="large"),
            "height note": st.column_config.TextColumn(help=vm.height_note_help()),
        },
    )


def show_run_evidence(report) -> None:
    rows = vm.run_evidence_rows(report)
    if not rows:
        return
    marks = {"for": "✓", "against": "✗", "none": "–", "unknown": "?"}
    with st.expander(f"Was it rope skipping? The evidence per stretch of jumping ({len(rows)})"):
        for r in rows:
            st.markdown(f"**{r['when']}: {'counted' if r['counted'] else 'not counted'}**: {r['reason']}")
            st.markdown(
                "\n".join(
                    f"- {marks.get(c['verdict'], '?')} {c['name']}" + (f": {c['detail']}" if c["detail"] else "")
                    for c in r["cues"]
                )
            )


def show_notes(report) -> None:
    na, notes = vm.not_assessable(report), vm.quality_notes(report)
    c1, c2 = st.columns(2)
    with c1.expander(f"Not assessable in this clip ({len(na)})", expanded=False):
        st.markdown("\n".join(f"- **{n['check']}**: {n['reason']}" for n in na) or "Every check could be assessed.")
    with c2.expander(f"Capture quality notes ({len(notes)})", expanded=bool(notes)):
        st.markdown("\n".join(f"- {n}" for n in notes) or "No capture problems found.")


def show_advice(report) -> None:
    advice = vm.session_advice(report)
    if advice:
        st.markdown("#### Session advice")
        icons = {"fault": ":material/warning:", "pass": ":material/check_circle:"}
        st.markdown(
            "\n\n".join(f"{icons.get(vm.verdict_key(a['status']), ':material/info:')} {a['message']}" for a in advice)
        )
    st.info(
        report.rules.disclaimer if report.rules is not None else vm.CAUTIONS[0], icon=":material/health_and_safety:"
    )


def show_cautions() -> None:
    st.markdown("\n".join(f"- {c}" for c in vm.CAUTIONS))


def show_downloads(report, clip: ClipSource | None, draw_id: tuple, stored: Correctable | None) -> None:
    st.markdown("#### Annotated video and data")
    stem = Path(report.meta.name).stem
    portrait = report.meta.height_px > report.meta.width_px
    left, right = st.columns([1, 2] if portrait else [3, 2])
    with right:
        st.caption(
            "The video shows the skeleton, knee, elbow and trunk angles, and the checks failing at each "
            "frame. The JSON report holds every number on this page (with any corrections, and the original "
            "detection beside them); the CSV files hold one row per frame and one row per jump. The printable "
            "report is one page: the summary, the top three things to work on, every check and the trend."
        )
        # The files are built when asked for (a click), not on every change of a setting.
        if stored is not None:
            store, sid = stored.store, stored.session_id
            st.download_button(
                "Report (JSON)",
                lambda: json.dumps(store.export(sid), indent=1, ensure_ascii=False).encode("utf-8"),
                f"{stem}_report.json",
                "application/json",
                icon=":material/data_object:",
            )
        else:
            st.download_button(
                "Report (JSON)",
                lambda: report.to_json().encode("utf-8"),
                f"{stem}_report.json",
                "application/json",
                icon=":material/data_object:",
            )
        st.download_button(
            "Frames (CSV)",
            lambda: vm.csv_bytes(report.frame_rows()),
            f"{stem}_frames.csv",
            "text/csv",
            icon=":material/table:",
        )
        st.download_button(
            "Jumps (CSV)",
            lambda: vm.csv_bytes(report.jump_rows()),
            f"{stem}_jumps.csv",
            "text/csv",
            icon=":material/table:",
        )
        if stored is not None:
            printable_button(stored.store, stored.session_id, stem)
        video_button = st.empty()
    with left:
        if clip is None:
            st.caption("The annotated video needs the clip, and this session's clip was not kept.")
            return
        video: bytes
        try:
            video = _stored_video(draw_id, {})
        except KeyError:  # drawn when asked: a whole clip is seconds to minutes of work
            asked = st.button(
                f"Draw the annotated video ({len(report.t_s)} frames)", key="draw_video", icon=":material/movie:"
            )
            if not asked:
                st.caption(
                    "Every frame with the skeleton, the angles and the failing checks drawn on it, to play or keep."
                )
                return
            slot = st.empty()
            try:
                video = cached(_stored_video, (draw_id,), lambda: _render_video(report, clip, slot))
            except Exception as exc:  # noqa: BLE001 - never a traceback on the page
                slot.warning(f"The annotated video could not be drawn ({exc}); the numbers above still hold.")
                return
            slot.empty()
        st.video(video, format="video/mp4")
    video_button.download_button(
        "Annotated video (MP4)", video, f"{stem}_annotated.mp4", "video/mp4", icon=":material/movie:"
    )


def printable_button(store: Store, session_id: int, stem: str, key: str = "printable") -> None:
    """The store's one-page printable report (HTML with print styles), built on click."""

    def page() -> bytes:
        try:
            return store.printable_report(session_id).encode("utf-8")
        except StoreError as exc:  # a download cannot show an error: the file says it
            return f"<!DOCTYPE html><p>The printable report could not be made: {exc}</p>".encode()

    st.download_button(
        "Printable report (HTML)",
        page,
        f"{stem}_printable.html",
        "text/html",
        key=key,
        icon=":material/print:",
        help="One page to print or save as PDF from the browser: figures, the top three things to work on "
        "with their frames (pictures when the clip was kept), every check, the trend against earlier sessions.",
    )


def _render_video(report, clip: ClipSource, slot) -> bytes:
    bar = slot.progress(0.0, text="Drawing the annotated video…")
    lower_thread_priority()  # the page and its browser stay responsive meanwhile
    out = clip.scratch_path("annotated.mp4")
    try:
        write_annotated_video(report, clip.path, out, progress=progress_reporter(bar))
        return out.read_bytes()
    finally:
        out.unlink(missing_ok=True)


# -- one result, analysed now or reopened from the history -----------------------------
@dataclasses.dataclass(frozen=True)
class ResultSpec:
    """How one result is shown: its keys, where its frames come from, what can be corrected."""

    #: This result (its options and corrections): the frame review's own state.
    result_key: str
    #: Caches of what is drawn from the result (stills, charts, the annotated video).
    draw_id: tuple
    #: The review video and whether it is settled (called only when there are jumps).
    video: Callable[[], tuple[bytes | None, bool]]
    wait_key: tuple
    #: The clip, for the annotated video (None: not available, e.g. a session without its clip).
    clip: ClipSource | None
    rerun_s: float | None
    correct: Correctable | None
    #: What the frame review says in place of the picture when there is no video.
    no_frames: str
    #: Charts and the jump table of a new result start unselected.
    tag: str


def show_result(report, r: ResultSpec, note: Callable[[], None]) -> None:
    show_summary(report, r.rerun_s)
    note()
    if report.jumps.count == 0:  # one plain explanation and what to try; nothing to judge
        show_no_skipping(report)
        return
    video, settled = r.video()
    frames = tuple(p["frame"] for p in vm.priorities(report) if p["frame"] is not None)
    pics = priority_stills(r.draw_id, frames, video, report) if frames and video else {}
    show_priorities(report, pics)
    show_advice(report)
    if settled:
        frame_review(report, video, r.result_key, r.correct, r.no_frames)
    else:
        wait_for_frames(r.wait_key)
    show_scores(report)
    show_timeline(report, r.tag, chart_specs(r.draw_id, report))
    show_jumps(report, r.tag)
    show_run_evidence(report)
    show_notes(report)
    show_cautions()
    show_downloads(report, r.clip, r.draw_id, r.correct)


def open_at_first_jump(identity: str, report) -> None:
    """A new result (another clip or session) opens its frame review at its first jump."""
    if st.session_state.get("clip_key") != identity:
        st.session_state["clip_key"] = identity
        st.session_state["frame"] = vm.start_frame(report)


def revision(corrections: list[dict]) -> str:
    return json.dumps(corrections, sort_keys=True) if corrections else ""


def correctable(store: Store, session_id: int, fallback) -> tuple[Correctable, Any]:
    """The session's corrections and the report to show: the corrected one when it has
    corrections, else ``fallback`` (the analysed report, identical without corrections)."""
    info = store.session_info(session_id)
    if info.n_corrections:
        view = stored_view(store, session_id)
        if view.report is not None:
            items = [dict(c) for c in view.corrected.get("corrections") or []]
            return Correctable(store, session_id, view.corrected, items), view.report
    return Correctable(store, session_id, None, []), fallback


def corrections_note(ctx: Correctable | None) -> None:
    text = rc.summary_change(ctx.corrected if ctx is not None else None)
    if text:
        st.caption(f":material/edit: {text}")


# -- page ----------------------------------------------------------------------------
TABS = {"analyse": "Analyse a clip", "history": "History", "compare": "Side by side", "class": "Class view"}
TAB_SLUG = {label: slug for slug, label in TABS.items()}


def main() -> None:
    _pose_helpers_ready()
    st.html(page_html.CSS)
    st.title("Jump-rope form review")
    opened = history_store()
    if "_address_read" not in st.session_state:  # a reload or a shared link: the open session
        st.session_state["_address_read"] = True
        sid = st.query_params.get("session", "")
        if sid.isdigit():
            st.session_state["_open_session"] = int(sid)
    jumper = jumper_bar(opened)
    show_flash()
    # The tab of the address, read once: a default that changed would make a new widget.
    start = st.session_state.setdefault("_tab_start", TABS.get(st.query_params.get("tab", ""), TABS["analyse"]))
    tabs = st.tabs(list(TABS.values()), key="tab", on_change="rerun", default=start)
    current = next((slug for slug, tab in zip(TABS, tabs) if tab.open), "analyse")
    sync_address(current)
    with tabs[0]:
        analyse_tab(opened, jumper, current == "analyse")
    with tabs[1]:
        if current == "history":
            history_tab(opened, jumper)
    with tabs[2]:
        if current == "compare":
            compare_tab(opened, jumper)
    with tabs[3]:
        if current == "class":
            class_tab(opened)


def sync_address(tab: str) -> None:
    """The tab and the open session in the page's address (the jumper is bound by its selector)."""
    sid = st.session_state.get("_open_session")
    want = {"tab": None if tab == "analyse" else tab, "session": str(sid) if tab == "history" and sid else None}
    for k, v in want.items():
        if v is None:
            if k in st.query_params:
                del st.query_params[k]
        elif st.query_params.get(k) != v:
            st.query_params[k] = v


def jumper_bar(opened: library.Opened) -> str:
    """Whose clips these are: a profile from the history, or a new name typed in."""
    jumpers = []
    if opened.store is not None:
        try:
            jumpers = opened.store.list_jumpers()
        except StoreError as exc:
            opened = library.Opened(None, opened.url, library.store_error_text(exc))
    current = st.session_state.get("jumper") or DEFAULT_JUMPER
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small", key="jumper_bar"):
        name = st.selectbox(
            "Jumper",
            hist.jumper_options(jumpers, current),
            key="jumper",
            accept_new_options=True,
            bind="query-params",
            on_change=on_jumper_change,
            args=(opened.store,),
            width=280,
            help="Whose clips these are. Type a new name to make a profile: each jumper's sessions, trends and "
            f"personal bests are kept apart. '{DEFAULT_JUMPER}' is the default.",
        )
        name = name or DEFAULT_JUMPER
        if opened.store is not None:
            st.caption(hist.jumper_caption(name, jumpers))
    if opened.error:
        st.warning(opened.error, icon=":material/database:")
    return name


def on_jumper_change(store: Store | None) -> None:
    name = " ".join(str(st.session_state.get("jumper") or "").split())
    st.session_state["_open_session"] = None
    if store is None or not name:
        return
    try:
        known = {" ".join(j.name.split()).casefold() for j in store.list_jumpers()}
        if name.casefold() not in known and name.casefold() != DEFAULT_JUMPER:
            store.add_jumper(name)
            flash("success", f"New profile: {name}. Analyse a clip to start {name}'s history.")
    except StoreError as exc:
        flash("error", f"The profile {name!r} could not be made: {exc}")


# -- tab: analyse a clip --------------------------------------------------------------
def analyse_tab(opened: library.Opened, jumper: str, is_open: bool) -> None:
    """The uploader and settings are drawn even when the tab is hidden (so an upload and
    the settings survive a visit to another tab); the results only when it is shown."""
    upload_col, settings_col = st.columns([3, 2], gap="medium")
    with settings_col:
        config = settings()
    with upload_col:
        src = pick_source()
        keep = st.checkbox(
            "Keep the clip in the history",
            key="keep_clip",
            disabled=opened.store is None,
            help=library.disk_cost_text(src[2].size_bytes if src else None) + " Off unless you tick it.",
        )
    if not is_open:
        if src is not None:
            src[2].cleanup()
        return
    if src is None:
        st.info("Film from the front or the side, the whole body from head to feet in view, the camera still.")
        return
    name, digest, clip = src
    try:
        _results(name, digest, clip, config, opened, jumper, keep)
    finally:
        clip.cleanup()  # the upload's temporary folder exists only while this run needs it


def _results(name: str, digest: str, clip: ClipSource, config, opened: library.Opened, jumper: str, keep: bool) -> None:
    pose_key = vm.options_key(config, exclude=[k for k in config.to_dict() if k not in pose_options(config)])
    options = vm.options_key(config)
    draw_key = vm.options_key(config, exclude=vm.SESSION_ONLY_OPTIONS)
    rerun_s: float | None = None
    try:
        stage, stored = pose_stage(name, clip, config, digest, pose_key)
        if stage.meta.name != clip.safe_name:  # the same content analysed before under another name
            stage = dataclasses.replace(stage, meta=dataclasses.replace(stage.meta, path=clip.safe_name))

        def analyse():
            nonlocal rerun_s
            t0 = time.perf_counter()
            last = st.session_state.get("_last_report")
            if last is not None and last[0] == (digest, pose_key):
                report = reanalyze(last[1], stage, config)  # advice only, when only advice options changed
            else:
                report = analyze_pose(stage, config)
            rerun_s = time.perf_counter() - t0 if stored else None
            return report

        report = cached(_stored_report, (digest, options), analyse)
        st.session_state["_last_report"] = ((digest, pose_key), report)
    except AnalysisError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    except Exception as exc:  # noqa: BLE001 - never a traceback on the page
        st.error(
            f"{name}: the analysis failed ({type(exc).__name__}: {exc}). Try re-exporting the clip as MP4 (H.264).",
            icon=":material/error:",
        )
        return
    store = opened.store
    held, pending, problem = remember_result(store, report, jumper, digest, name, clip, keep)
    shown, ctx = report, None
    if store is not None and held is not None:
        try:
            if pending:  # replaced after drawing; its corrections (if any) come back on the rerun
                ctx = Correctable(store, held.session_id, None, [])
            else:
                ctx, shown = correctable(store, held.session_id, report)
        except StoreError as exc:
            problem = f"The history could not be read: {exc}"
    rev = revision(ctx.corrections if ctx else [])
    open_at_first_jump(digest, shown)
    spec = ResultSpec(
        result_key=f"{digest}:{hash(options)}:{hash(rev)}",
        draw_id=(digest, draw_key, rev),
        video=lambda: review_video(clip, clip_stop(clip, config), digest, pose_key),
        wait_key=("review-video", digest, pose_key),
        clip=clip,
        rerun_s=rerun_s,
        correct=ctx,
        no_frames="Frames cannot be shown for this clip (its frames could not be re-read); the numbers hold.",
        tag=digest[:8] + str(abs(hash((draw_key, rev))) % 10_000),
    )
    show_result(shown, spec, lambda: saved_note(store, held, problem, jumper, clip, ctx))
    if pending and store is not None and held is not None:
        finish_replace(store, held, report)


def remember_result(
    store: Store | None, report, jumper: str, digest: str, name: str, clip: ClipSource, keep: bool
) -> tuple[library.Held | None, bool, str | None]:
    """(the stored session of this result, whether its analysis is replaced after the page
    is drawn, a problem to say): saved now when it is new (``review/library.py``)."""
    if store is None:
        return None, False, None
    if digest in st.session_state.get("_forgotten", set()):
        return None, False, "forgotten"
    held = st.session_state.get("_held")
    options = report.config.to_dict()
    try:
        found = library.lookup(store, held, jumper=jumper, sha256=digest, options=options)
        pending = False
        if found is None and library.will_replace(store, held, digest):
            found, pending = held, True
        elif found is None:
            found = library.remember(
                store,
                report,
                jumper=jumper,
                sha256=digest,
                held=held,
                clip=clip.content if keep else None,
                clip_name=name,
                keep_clip=keep,
            ).held
    except (StoreError, ValueError) as exc:
        return None, False, f"This result is not saved in the history: {exc}"
    st.session_state["_held"] = found
    return found, pending, None


def finish_replace(store: Store, held: library.Held, report) -> None:
    """After the page is drawn: the session this visit saved for the clip takes the result
    of the new settings (its corrections stay when the jumps are the same)."""
    try:
        had = store.session_info(held.session_id).n_corrections
        rem = library.remember(store, report, jumper=held.jumper, sha256=held.sha256, held=held)
    except (StoreError, ValueError) as exc:
        st.warning(f"The history keeps this clip's earlier analysis: the new one could not be saved ({exc}).")
        return
    st.session_state["_held"] = rem.held
    forget_view(store, held.session_id)
    if rem.corrections_dropped:
        n = rem.corrections_dropped
        flash(
            "warning",
            f"Your {n} correction{'s' if n != 1 else ''} of this clip no longer fit{'s' if n == 1 else ''}: the new "
            "settings found other jumps, so the history keeps the new detection without them.",
        )
    if had:
        st.rerun()  # show the corrections on the new analysis (or say they were dropped)


def saved_note(
    store: Store | None, held: library.Held | None, problem: str | None, jumper: str, clip: ClipSource, ctx
) -> None:
    """Where this result is kept, and what can be done about it (move, keep the clip)."""
    if problem == "forgotten":
        with st.container(horizontal=True, vertical_alignment="center"):
            st.info("This clip's session was deleted from the history, so it is not saved again.")
            st.button("Save it again", key="save_again", on_click=unforget)
        return
    if problem:
        st.warning(problem, icon=":material/database:")
        return
    if store is None or held is None:
        st.caption(":material/database: Not saved: the history is unavailable (see the message at the top).")
        return
    try:
        info = store.session_info(held.session_id)
    except StoreError as exc:
        st.warning(f"The history could not be read: {exc}")
        return
    where = f"**{info.jumper}**'s history (session of {hist.when(info.recorded_at)})"
    text = (
        f":material/history: Saved in {where}."
        if held.created
        else f":material/history: Already in {where} with the same settings: not saved twice."
    )
    with st.container(horizontal=True, vertical_alignment="center", gap="small", key="saved_note"):
        st.markdown(text)
        if " ".join(jumper.split()).casefold() != " ".join(info.jumper.split()).casefold():
            st.button(
                f"Move it to {jumper}'s history",
                key="move_session",
                on_click=move_session,
                args=(store, info.id, jumper),
                icon=":material/drive_file_move:",
            )
        if not info.clip_kept:
            st.button(
                f"Keep the clip too ({clip.size_bytes / 1e6:.1f} MB)",
                key="keep_now",
                on_click=keep_clip_now,
                args=(store, info.id, clip.content),
                help=library.disk_cost_text(clip.size_bytes, info.duration_s),
                icon=":material/save:",
            )
        else:
            st.caption("The clip is kept: its frames can be reviewed from the history.")
    corrections_note(ctx)


def unforget() -> None:
    st.session_state["_forgotten"] = set()
    st.session_state.pop("_held", None)


def move_session(store: Store, session_id: int, jumper: str) -> None:
    try:
        store.move_session(session_id, jumper)
    except StoreError as exc:
        flash("error", f"The session was not moved: {exc}")
        return
    held = st.session_state.get("_held")
    if held is not None and held.session_id == session_id:
        st.session_state["_held"] = dataclasses.replace(held, jumper=jumper)
    forget_view(store, session_id)
    flash("success", f"Moved to {jumper}'s history.")


def keep_clip_now(store: Store, session_id: int, content) -> None:
    try:
        store.keep_clip(session_id, content)
    except (StoreError, ValueError, OSError) as exc:
        flash("error", f"The clip was not kept: {exc}")
        return
    flash("success", "The clip is kept: its frames can be reviewed from the history.")


# -- tab: history ---------------------------------------------------------------------
def history_tab(opened: library.Opened, jumper: str) -> None:
    store = opened.store
    if store is None:
        st.error(opened.error or "The history is unavailable.", icon=":material/database:")
        return
    sid = st.session_state.get("_open_session")
    if sid is not None:
        show_stored_session(store, int(sid))
        return
    try:
        infos = store.list_sessions(jumper)
        figs = store.figures(jumper) if infos else []
    except StoreError as exc:
        st.error(library.store_error_text(exc), icon=":material/database:")
        return
    st.subheader(f"{jumper}'s history")
    if not infos:
        st.info(hist.empty_history_text(jumper), icon=":material/history:")
        delete_profile_section(store, jumper, infos)
        return
    show_bests(figs)
    show_trends(figs, jumper)
    show_session_list(store, infos, jumper)
    delete_profile_section(store, jumper, infos)


def show_bests(figs: list[dict]) -> None:
    with st.container(horizontal=True, gap="small", key="bests"):
        for card in hist.best_cards(personal_bests(figs)):
            st.metric(
                f"Best: {card['label'].lower()}", card["value"], card["when"], delta_color="off", help=card["help"]
            )


@st.cache_data(show_spinner=False, max_entries=16)
def history_specs(signature: tuple, checks: tuple[str, ...], _frames: dict) -> dict[str, dict]:
    return charts.history_specs(_frames, list(checks), hist.height_band())


def on_history_pick(key: str) -> None:
    sid = charts.selected_session(st.session_state.get(key))
    if sid is not None:
        open_session(sid)


def show_trends(figs: list[dict], jumper: str) -> None:
    frames = hist.trend_frames(figs)
    st.markdown("#### Trends")
    if len(figs) == 1:
        st.caption("One session so far: the trend lines start with the next one.")
    else:
        st.caption(
            f"{len(figs)} sessions, oldest to newest (after corrections). ◆ marks a personal best; the height "
            "shows its ± uncertainty and the 2–5 cm aim. Click a point to open that session."
        )
    checks_all = sorted(frames["rules"]["check"].unique()) if len(frames["rules"]) else []
    chosen = st.multiselect(
        "Checks in the chart",
        checks_all,
        default=[c for c in hist.default_checks(frames["rules"]) if c in checks_all],
        key=f"hist_checks_{jumper}",
        help="The share of passing jumps of each check over the sessions; those that failed most are chosen first.",
    )
    signature = tuple((f["session_id"], f["n_corrections"], f["recorded_at"].isoformat()) for f in figs)
    specs = history_specs((jumper, *signature), tuple(chosen), frames)
    names = [k for k, _, _ in hist.TREND_FIGURES if k in specs]
    for row in range(0, len(names), 2):
        for col, name in zip(st.columns(2), names[row : row + 2]):
            with col:
                key = f"trend_{name}_{jumper}"
                st.vega_lite_chart(specs[name], on_select=lambda k=key: on_history_pick(k), key=key, width="stretch")
    if "rules" in specs:
        key = f"trend_rules_{jumper}"
        st.vega_lite_chart(specs["rules"], on_select=lambda k=key: on_history_pick(k), key=key, width="stretch")


def show_session_list(store: Store, infos: list[SessionInfo], jumper: str) -> None:
    st.markdown("#### Sessions")
    table = hist.sessions_table(infos)
    ids = [int(i) for i in table["session"]]
    pick_key = f"hist_pick_{jumper}"

    def on_row(key: str) -> None:
        row = vm.selected_row(st.session_state.get(key))
        if row is not None and 0 <= row < len(ids):
            st.session_state[pick_key] = ids[row]

    table_key = f"hist_table_{jumper}_{len(ids)}"
    st.dataframe(
        table.drop(columns=["session"]),
        hide_index=True,
        width="stretch",
        on_select=lambda: on_row(table_key),
        selection_mode="single-row",
        key=table_key,
    )
    by_id = {i.id: i for i in infos}
    if st.session_state.get(pick_key) not in by_id:
        st.session_state[pick_key] = ids[0]
    pick = st.selectbox("Session", ids, format_func=lambda i: hist.session_label(by_id[i]), key=pick_key)
    info = by_id[int(pick)]
    with st.container(horizontal=True, gap="small", key="session_actions"):
        st.button(
            "Open in the review",
            key="open_session",
            on_click=open_session,
            args=(info.id,),
            type="primary",
            icon=":material/play_circle:",
        )
        printable_button(store, info.id, Path(info.clip_name).stem, key=f"printable_{info.id}")
        st.button(
            "Delete this session…", key="ask_delete", on_click=ask_delete, args=(info.id,), icon=":material/delete:"
        )
    if st.session_state.get("_confirm_delete") == info.id:
        with st.container(border=True, key="confirm_delete"):
            st.warning(hist.delete_session_text(info), icon=":material/warning:")
            with st.container(horizontal=True, gap="small"):
                st.button(
                    "Delete for good",
                    key="delete_session",
                    type="primary",
                    on_click=delete_session,
                    args=(store, info.id),
                )
                st.button("Cancel", key="cancel_delete", on_click=ask_delete, args=(None,))


def open_session(session_id: int, jumper: str | None = None) -> None:
    st.session_state["_open_session"] = int(session_id)
    if jumper is not None:
        st.session_state["jumper"] = jumper
    st.session_state["tab"] = TABS["history"]


def close_session() -> None:
    st.session_state["_open_session"] = None


def ask_delete(session_id: int | None) -> None:
    st.session_state["_confirm_delete"] = session_id


def _forget_held(store: Store, session_ids: set[int]) -> None:
    """The analyse tab's clip whose session was deleted is not saved again by itself."""
    held = st.session_state.get("_held")
    if held is not None and held.session_id in session_ids:
        st.session_state.setdefault("_forgotten", set()).add(held.sha256)
        st.session_state["_held"] = None
    for sid in session_ids:
        forget_view(store, sid)
    if st.session_state.get("_open_session") in session_ids:
        st.session_state["_open_session"] = None


def delete_session(store: Store, session_id: int) -> None:
    st.session_state["_confirm_delete"] = None
    try:
        res = store.delete_session(session_id)
    except StoreError as exc:
        flash("error", f"Nothing was deleted: {exc}")
        return
    _forget_held(store, {session_id})
    flash("success", f"Deleted the session ({res.files} kept file{'s' if res.files != 1 else ''} removed).")


def delete_profile_section(store: Store, jumper: str, infos: list[SessionInfo]) -> None:
    key = " ".join(jumper.split()).casefold()
    if not any(" ".join(j.name.split()).casefold() == key for j in store.list_jumpers()):
        return  # nothing stored under this name
    with st.expander(f"Delete {jumper}'s profile", icon=":material/person_remove:"):
        st.markdown(hist.delete_profile_text(jumper, infos))
        sure = st.checkbox(f"Yes, delete {jumper} and everything kept for them", key=f"sure_{key}")
        st.button(
            "Delete the profile",
            key="delete_profile",
            type="primary",
            disabled=not sure,
            on_click=delete_profile,
            args=(store, jumper, [i.id for i in infos]),
        )


def delete_profile(store: Store, jumper: str, ids: list[int]) -> None:
    try:
        res = store.delete_jumper(jumper)
    except StoreError as exc:
        flash("error", f"Nothing was deleted: {exc}")
        return
    _forget_held(store, set(ids))
    st.session_state["jumper"] = DEFAULT_JUMPER
    flash(
        "success",
        f"Deleted {jumper}'s profile: {res.sessions} session{'s' if res.sessions != 1 else ''}, "
        f"{res.files} kept file{'s' if res.files != 1 else ''}.",
    )


def stored_clip(store: Store, info: SessionInfo) -> ClipSource | None:
    path = store.clip_path(info.id)
    return ClipSource(info.clip_name, sample=path, tag=_session_tag()) if path is not None else None


def stored_video(clip: ClipSource | None, info: SessionInfo, n_frames: int) -> tuple[bytes | None, bool]:
    """A stored session's review video, made in the background from its kept clip."""
    if clip is None:
        return None, True
    return review_video(clip, lambda: n_frames, info.clip_sha256 or info.uid, ("stored", n_frames))


NOT_KEPT = (
    "The frame stills are unavailable: this session's clip was not kept (tick “Keep the clip in the history” "
    "when analysing, to review the frames later). Everything else is here: step through the frames to see each "
    "check, and correct the detection."
)


def show_stored_session(store: Store, session_id: int) -> None:
    """A session reopened from the history in the full review: nothing is analysed again."""
    st.button("◀ Back to the sessions", key="close_session", on_click=close_session)
    try:
        view = stored_view(store, session_id)
    except StoreError as exc:
        st.error(f"{exc}. It may have been deleted; go back to the sessions.", icon=":material/error:")
        return
    info = view.info
    st.subheader(f"{info.jumper} · {hist.when(info.recorded_at)} · {info.clip_name}")
    st.date_input(
        "Filmed on",
        value=info.recorded_at.astimezone().date(),
        key=f"filmed_{session_id}",
        on_change=set_filmed,
        args=(store, session_id),
        help="The day the clip was filmed (trends are in this order); by default, the day it was analysed.",
        width=200,
    )
    if view.report is None:
        st.warning(view.error or "This session cannot be reviewed.", icon=":material/warning:")
        printable_button(store, session_id, Path(info.clip_name).stem)
        return
    report = view.report
    items = [dict(c) for c in view.corrected.get("corrections") or []]
    ctx = Correctable(store, session_id, view.corrected if items else None, items)
    rev = revision(items)
    clip = stored_clip(store, info)
    identity = f"session:{store.url}:{session_id}"
    open_at_first_jump(identity, report)
    n = len(report.t_s)
    spec = ResultSpec(
        result_key=f"{identity}:{hash(rev)}",
        draw_id=(identity, rev),
        video=lambda: stored_video(clip, info, n),
        wait_key=("review-video", info.clip_sha256 or info.uid, ("stored", n)),
        clip=clip,
        rerun_s=None,
        correct=ctx,
        no_frames=NOT_KEPT,
        tag=f"s{session_id}_{abs(hash(rev)) % 10_000}",
    )

    def note() -> None:
        analysed = hist.when(info.analysed_at)
        frames = "its clip is kept" if clip is not None else "its clip was not kept (no frame pictures)"
        st.caption(
            f":material/history: Reopened from the history, nothing analysed again: analysed {analysed}; {frames}."
        )
        corrections_note(ctx)

    try:
        show_result(report, spec, note)
    finally:
        if clip is not None:
            clip.cleanup()


def set_filmed(store: Store, session_id: int) -> None:
    day = st.session_state.get(f"filmed_{session_id}")
    if not isinstance(day, dt.date):
        return
    try:
        store.set_recorded_at(session_id, day)
    except StoreError as exc:
        flash("error", f"The date was not changed: {exc}")
        return
    forget_view(store, session_id)


# -- tab: side by side ----------------------------------------------------------------
def compare_tab(opened: library.Opened, jumper: str) -> None:
    store = opened.store
    if store is None:
        st.error(opened.error or "The history is unavailable.", icon=":material/database:")
        return
    try:
        infos = store.list_sessions()
    except StoreError as exc:
        st.error(library.store_error_text(exc), icon=":material/database:")
        return
    if len(infos) < 2:
        st.info(
            f"Side by side needs two sessions in the history; it holds {len(infos)}. Analyse another clip (the "
            "same jumper weeks apart, or a reference clip) and come back.",
            icon=":material/compare:",
        )
        return
    key = " ".join(jumper.split()).casefold()
    mine = [i for i in infos if " ".join(i.jumper.split()).casefold() == key]
    others = [i for i in infos if i not in mine]
    ordered = sorted(mine, key=lambda i: (i.recorded_at, i.id), reverse=True) + sorted(
        others, key=lambda i: (i.recorded_at, i.id), reverse=True
    )
    by_id = {i.id: i for i in ordered}
    ids = [i.id for i in ordered]
    st.caption(
        f"Two sessions, {jumper}'s first (newest first): the same jumper weeks apart, or a jumper and a reference "
        "clip. Both frame reviews are aligned on the chosen jump; the slider moves both."
    )
    c1, c2 = st.columns(2)
    for k, default in (("cmp_a", ids[1]), ("cmp_b", ids[0])):
        if st.session_state.get(k) not in by_id:
            st.session_state[k] = default
    a = c1.selectbox("A: earlier", ids, key="cmp_a", format_func=lambda i: hist.session_label(by_id[i], True))
    b = c2.selectbox("B: later", ids, key="cmp_b", format_func=lambda i: hist.session_label(by_id[i], True))
    if a == b:
        st.warning("Choose two different sessions.")
        return
    try:
        va, vb = stored_view(store, int(a)), stored_view(store, int(b))
        cmp = store.compare(int(a), int(b))
    except StoreError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    side_by_side(store, va, vb)
    st.markdown("#### What changed from A to B")
    st.markdown("\n".join(f"- {line}" for line in hist.changed_text(cmp)))
    left, right = st.columns([2, 3], gap="medium")
    with left:
        st.dataframe(hist.compare_summary(cmp), hide_index=True, width="stretch")
    with right:
        st.dataframe(
            hist.compare_rules(cmp),
            hide_index=True,
            width="stretch",
            column_config={"check": st.column_config.TextColumn(width="large")},
        )
    st.caption(
        "A check's change counts when Fisher's exact test on the two sessions' pass/fail counts gives p < 0.05 "
        "(with few jumps no change can count); a height change only beyond the two measurements' combined "
        "uncertainty. Counts, cadence and streaks are counted, not estimated."
    )


@st.fragment
def side_by_side(store: Store, va: StoredView, vb: StoredView) -> None:
    with st.container(key="side_by_side"):
        if va.report is None or vb.report is None:
            st.warning((va.error or vb.error) or "A session cannot be reviewed.", icon=":material/warning:")
            return
        n = min(va.report.jumps.count, vb.report.jumps.count)
        if n == 0:
            st.info("One of the two sessions has no jumps to align on; the figures below still compare them.")
            return
        if n > 1:
            if st.session_state.get("cmp_jump", 1) > n:
                st.session_state["cmp_jump"] = 1
            jump = st.slider(
                "Align on jump", 1, n, key="cmp_jump", help="Both reviews show this jump of their session."
            )
        else:
            jump = 1
        step = hist.align_step_s(va.report, vb.report)
        reach = round(hist.ALIGN_REACH_S, 3)
        offset = st.slider(
            "Seconds from that jump's take-off (both sessions)",
            -reach,
            reach,
            0.0,
            step,
            key="cmp_offset",
            format="%.2f",
            help="Moves both reviews together, in real seconds (a slow-motion clip is scaled).",
        )
        waiting = []
        for col, view, tag in zip(st.columns(2, gap="medium"), (va, vb), ("A", "B")):
            with col:
                report = view.report
                frame = hist.aligned_frame(report, int(jump) - 1, float(offset))
                st.markdown(f"**{tag}: {hist.session_label(view.info, True)}**")
                clip = stored_clip(store, view.info)
                try:
                    video, settled = stored_video(clip, view.info, len(report.t_s))
                finally:
                    if clip is not None:
                        clip.cleanup()
                if frame is None:
                    st.info("No such jump in this session.")
                    continue
                if video is not None:
                    try:
                        img = review_image(video, report, frame, annotator=_annotator(report, f"cmp{view.info.id}"))
                        h, w = img.shape[:2]
                        st.image(img, channels="BGR", width=int(min(700, 0.8 * REVIEW_MAX_HEIGHT_PX * w / h)))
                    except Exception as exc:  # noqa: BLE001 - a frame that will not decode must not break the page
                        st.warning(f"Frame {frame} could not be shown ({exc}).")
                elif not settled:
                    waiting.append(
                        ("review-video", view.info.clip_sha256 or view.info.uid, ("stored", len(report.t_s)))
                    )
                    st.info("Preparing the frames…", icon=":material/hourglass_top:")
                else:
                    st.info(
                        "The frame stills are unavailable: this session's clip was not kept.",
                        icon=":material/hide_image:",
                    )
                details = vm.frame_details(report, frame)
                st.caption(details["caption"])
                failing = details["failing"]
                st.markdown(
                    "Failing here: " + ", ".join(f"**{f['check']}**" for f in failing)
                    if failing
                    else "No check fails here."
                )
        if waiting:
            wait_for_jobs(tuple(waiting))


@st.fragment(run_every=1.0)
def wait_for_jobs(keys: tuple) -> None:
    """Reloads the page when the background jobs it waits for are done."""
    if not any(JOBS.running(k) for k in keys):
        st.rerun()


# -- tab: class view ------------------------------------------------------------------
def class_tab(opened: library.Opened) -> None:
    store = opened.store
    if store is None:
        st.error(opened.error or "The history is unavailable.", icon=":material/database:")
        return
    st.markdown("#### Analyse a class's clips")
    st.caption(
        "Upload several clips at once, give each its jumper (an existing profile, or type a new name), and they are "
        "analysed one after another with the default settings (height not given: 170 ± 10 cm assumed; camera view "
        "and step style detected). A clip already in that jumper's history is not analysed again. Clips from "
        "`python -m analysis batch ... --store` appear in the table below too."
    )
    ups = st.file_uploader(
        "Clips of the class",
        type=list(vm.UPLOAD_TYPES),
        accept_multiple_files=True,
        key="class_upload",
        max_upload_size=vm.MAX_UPLOAD_MB,
    )
    if ups:
        class_assignments(store, list(ups))
    outcomes = st.session_state.get("_class_outcomes")
    if outcomes:
        marks = {"saved": ":material/check_circle:", "already": ":material/history:", "failed": ":material/error:"}
        st.markdown("\n".join(f"- {marks.get(k, '')} {line}" for k, line in hist.class_outcome_lines(outcomes)))
    class_table(store)


def class_assignments(store: Store, ups: list) -> None:
    try:
        names = [j.name for j in store.list_jumpers()]
    except StoreError as exc:
        st.error(library.store_error_text(exc))
        return
    today = dt.date.today()
    clips = []
    for up in ups:
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        who = c1.selectbox(
            f"Jumper in {up.name}",
            names,
            index=None,
            key=f"class_jumper_{up.file_id}",
            accept_new_options=True,
            placeholder="choose, or type a new name",
        )
        day = c2.date_input("Filmed on", value=today, key=f"class_date_{up.file_id}")
        clips.append(library.ClassClip(up.name, up.getvalue(), who or "", None if day == today else day))
    total = sum(len(c.data) for c in clips)
    keep = st.checkbox(
        f"Keep the clips in the history ({total / 1e6:.1f} MB)",
        key="class_keep",
        help=library.disk_cost_text(total) + " Off unless you tick it.",
    )
    problems = library.check_assignments(clips)
    if problems:
        st.caption("Before analysing: " + "; ".join(problems) + ".")
    if st.button(
        f"Analyse {len(clips)} clip{'s' if len(clips) != 1 else ''}",
        key="class_go",
        type="primary",
        disabled=bool(problems),
        icon=":material/play_arrow:",
    ):
        bar = st.progress(0.0, text="Starting…")
        config = vm.make_config()
        st.session_state["_class_outcomes"] = library.analyse_class(
            store,
            clips,
            config,
            keep_clips=keep,
            progress=lambda frac, text: bar.progress(min(1.0, frac), text=text),
            tag=_session_tag(),
        )
        bar.empty()


def class_table(store: Store) -> None:
    st.markdown("#### The class")
    try:
        rows = store.class_rows()
        names = [j.name for j in store.list_jumpers()]
    except StoreError as exc:
        st.error(library.store_error_text(exc))
        return
    if not rows:
        st.info(
            "No sessions in the history yet. Upload the class's clips above, or run "
            "`python -m analysis batch CLIPS/ --store --jumper-from-folder` (one folder per jumper).",
            icon=":material/groups:",
        )
        return
    headings = [h for h, _ in hist.CLASS_COLUMNS]
    with st.container(horizontal=True, gap="small", vertical_alignment="bottom"):
        chosen = st.multiselect("Jumpers", names, key="class_jumpers", placeholder="every jumper", width=360)
        by = st.selectbox("Sort by", headings, index=headings.index("date"), key="class_sort", width=200)
        desc = st.toggle("Largest / newest first", value=True, key="class_desc")
    keys = {" ".join(n.split()).casefold() for n in chosen}
    if keys:
        rows = [r for r in rows if " ".join(r["jumper"].split()).casefold() in keys]
    rows = hist.sort_class_rows(rows, by, desc)
    table = hist.class_table(rows)
    ids = [int(i) for i in table["session"]]
    st.dataframe(
        table.drop(columns=["session"]),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="class_grid",
        column_config={
            "jumps / min": st.column_config.NumberColumn(format="%.0f"),
            "top fault": st.column_config.TextColumn(width="large"),
        },
    )
    st.caption("Click a column's heading to sort by it too; select a row to open that session.")
    with st.container(horizontal=True, gap="small"):
        st.download_button(
            "Class table (CSV)",
            class_csv(rows).encode("utf-8"),
            "class.csv",
            "text/csv",
            icon=":material/table:",
            key="class_csv",
        )
        row = vm.selected_row(st.session_state.get("class_grid"))
        if row is not None and 0 <= row < len(rows):
            r = rows[row]
            st.button(
                f"Open {r['jumper']}'s session of {hist.when(r['recorded_at'])}",
                key="class_open",
                on_click=open_session,
                args=(ids[row], r["jumper"]),
                icon=":material/play_circle:",
            )


main()
