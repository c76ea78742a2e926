"""Review page (Streamlit): upload a jump-rope clip, get counts, technique checks and a
frame-by-frame review. Thin on purpose: every computation lives in ``analysis/``
(``pipeline`` analyses, ``render`` draws); the page's view-model (tables, chart data,
sentences), its HTML pieces, charts and clip handling live beside it in ``review/``.

Stages are cached by what they depend on: the pose stage (and the undrawn review video)
by the clip's content and the pose options only; the report by those plus every other
option (recomputed from the stored pose in a fraction of a second); the annotated video
by the options that change the drawing. A change of height, view, style, rope, surface,
back pain or slow motion therefore never runs the pose model again.

Run: ``streamlit run app.py``
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from pathlib import Path

import streamlit as st

from analysis.config import ROPES, STYLES, SURFACES, VIEWS
from analysis.io.video import read_meta
from analysis.pipeline import PoseStage, analyze_pose, frame_limit, pose_options, reanalyze, run_pose_stage
from analysis.pose.partial import PartialResult
from analysis.render.draw import FormAnnotator
from analysis.render.overlay import review_image, review_video_bytes, stills, write_annotated_video, zoom_helps
from analysis.types import AnalysisError
from review import charts
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
def _stored_video(digest: str, draw_key: tuple, _box: dict) -> bytes:
    return _box["value"]


@st.cache_data(show_spinner=False, max_entries=32)
def priority_stills(digest: str, draw_key: tuple, frames: tuple[int, ...], _video: bytes, _report) -> dict[int, bytes]:
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
    return vm.make_config(height, view, style, rope, surface, back_pain, slowmo_factor=slowmo)


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


def review_video(clip: ClipSource, config, digest: str, pose_key: tuple) -> tuple[bytes | None, bool]:
    """(the review video or None, whether it is settled): stored, just finished in the
    background, or started now (then (None, False) until it is done)."""
    try:
        return _stored_review_video(digest, pose_key, {}), True
    except KeyError:
        pass
    key = ("review-video", digest, pose_key)
    done, video = JOBS.take(key)
    if done:
        return _stored_review_video(digest, pose_key, {"value": video}), True
    if not JOBS.running(key):
        stop = frame_limit(read_meta(clip.path), config)
        JOBS.submit(key, _review_video_job, clip.detached(), stop)
    return None, False


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
        review_video(clip, config, digest, pose_key)  # starts it
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
def frame_review(report, video: bytes | None, result_key: str) -> None:
    with st.container(key="frame_review"):
        st.markdown("#### Frame review")
        n = len(report.t_s)
        if video is None:
            st.info("Frames cannot be shown for this clip (its frames could not be re-read); the numbers hold.")
            return
        jstops, fstops = vm.jump_stops(report), vm.fault_stops(report)
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
        left, right = st.columns([2, 3], gap="medium")
        with left:
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
        with right:
            checks = vm.checks_at_frame(report, frame)
            st.html(page_html.checks_table(checks.to_dict("records")))
        nonce = st.session_state.get("_scroll_review", 0)
        if nonce and st.session_state.get("_scrolled", 0) != nonce:
            st.session_state["_scrolled"] = nonce
            st.html(page_html.scroll_into_view("st-key-frame_review", nonce), unsafe_allow_javascript=True)


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
def chart_specs(digest: str, draw_key: tuple, _report) -> dict[str, dict]:
    return charts.page_specs(_report)


def show_timeline(report, tag: str, specs: dict[str, dict]) -> None:
    st.markdown("#### Timeline")
    st.caption(
        "Foot clearance with the 2–5 cm aim; a tick per jump (red: it fails a check); under it, where each check "
        "fails. Click anywhere to move the frame review there."
    )
    for name in ("clearance", "lanes"):
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
        column_config={"failed checks": st.column_config.TextColumn(width="large")},
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


def show_downloads(report, clip: ClipSource, digest: str, draw_key: tuple) -> None:
    st.markdown("#### Annotated video and data")
    stem = Path(report.meta.name).stem
    portrait = report.meta.height_px > report.meta.width_px
    left, right = st.columns([1, 2] if portrait else [3, 2])
    with right:
        st.caption(
            "The video shows the skeleton, knee, elbow and trunk angles, and the checks failing at each "
            "frame. The JSON report holds every number on this page; the CSV files hold one row per frame "
            "and one row per jump."
        )
        # The files are built when asked for (a click), not on every change of a setting.
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
        video_button = st.empty()
    with left:
        video: bytes
        try:
            video = _stored_video(digest, draw_key, {})
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
                video = cached(_stored_video, (digest, draw_key), lambda: _render_video(report, clip, slot))
            except Exception as exc:  # noqa: BLE001 - never a traceback on the page
                slot.warning(f"The annotated video could not be drawn ({exc}); the numbers above still hold.")
                return
            slot.empty()
        st.video(video, format="video/mp4")
    video_button.download_button(
        "Annotated video (MP4)", video, f"{stem}_annotated.mp4", "video/mp4", icon=":material/movie:"
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


# -- page ----------------------------------------------------------------------------
def main() -> None:
    st.html(page_html.CSS)
    st.title("Jump-rope form review")
    upload_col, settings_col = st.columns([3, 2], gap="medium")
    with settings_col:
        config = settings()
    with upload_col:
        src = pick_source()
    if src is None:
        st.info("Film from the front or the side, the whole body from head to feet in view, the camera still.")
        return
    name, digest, clip = src
    try:
        _results(name, digest, clip, config)
    finally:
        clip.cleanup()  # the upload's temporary folder exists only while this run needs it


def _results(name: str, digest: str, clip: ClipSource, config) -> None:
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
    result_key = f"{digest}:{hash(options)}"
    if st.session_state.get("clip_key") != digest:  # a new clip opens at its first jump
        st.session_state["clip_key"] = digest
        st.session_state["frame"] = vm.start_frame(report)
    show_summary(report, rerun_s)
    if report.jumps.count == 0:  # one plain explanation and what to try; nothing to judge
        show_no_skipping(report)
        return
    video, settled = review_video(clip, config, digest, pose_key)
    frames = tuple(p["frame"] for p in vm.priorities(report) if p["frame"] is not None)
    pics = priority_stills(digest, draw_key, frames, video, report) if frames and video else {}
    show_priorities(report, pics)
    show_advice(report)
    if settled:
        frame_review(report, video, result_key)
    else:
        wait_for_frames(("review-video", digest, pose_key))
    show_scores(report)
    tag = digest[:8] + str(abs(hash(draw_key)) % 10_000)  # charts and table of a new result start unselected
    show_timeline(report, tag, chart_specs(digest, draw_key, report))
    show_jumps(report, tag)
    show_run_evidence(report)
    show_notes(report)
    show_cautions()
    show_downloads(report, clip, digest, draw_key)


main()
