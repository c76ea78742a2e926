"""Review page (Streamlit): upload a jump-rope clip, get counts, technique checks and a
frame-by-frame review. Thin on purpose: every computation lives in ``analysis/``
(``pipeline`` analyses, ``render.overlay`` draws); the page's view-model (tables and
chart data) and its clip handling live beside it in ``review/``.

Run: ``streamlit run app.py``
"""

from __future__ import annotations

import os
from pathlib import Path

import altair as alt
import streamlit as st

from analysis.config import ROPES, STYLES, SURFACES, VIEWS
from analysis.pipeline import analyze_video  # imported at page load: the first analysis does not pay for it
from analysis.render.overlay import read_video_frame, thumbnails, write_annotated_video
from analysis.types import AnalysisError, Verdict
from review import viewmodel as pd_
from review.session import ClipSource, lower_thread_priority

try:  # the pose model's library, for the same reason (the analysis imports it on first use)
    import mediapipe  # noqa: F401 - loaded at page start so the first analysis does not wait for it
except ImportError:  # pragma: no cover - the analysis reports a missing model itself
    pass

ROOT = Path(__file__).resolve().parent
#: Sample clips offered for one click (JUMPROPE_SAMPLES points elsewhere, e.g. in tests).
SAMPLES = Path(os.environ.get("JUMPROPE_SAMPLES", ROOT / "sample_videos"))
STAGES = {
    "reading": (0.0, 0.03, "Reading the clip"),
    "pose": (0.03, 0.93, "Finding the pose"),
    "jumps": (0.93, 0.97, "Finding the jumps"),
    "rules": (0.97, 1.0, "Checking technique"),
    "video": (0.0, 1.0, "Drawing the annotated video"),
}
VIEW_LABELS = {"auto": "auto-detect", "front": "front", "side": "side", "oblique": "oblique (45°)"}
STYLE_LABELS = {"auto": "auto-detect", "two_foot": "two-foot bounce", "alternate": "alternate foot (jogging step)"}

st.set_page_config(page_title="Jump-rope form review", page_icon=":material/sports:", layout="wide")


# -- caches: filled after computing (no st calls inside cached functions) ----------------
@st.cache_data(show_spinner=False, max_entries=8)
def _stored_analysis(digest: str, options: tuple, _box: dict):
    return _box["value"]  # KeyError on a miss with an empty box: exceptions are not cached


@st.cache_data(show_spinner=False, max_entries=4)
def _stored_video(digest: str, options: tuple, _box: dict) -> bytes:
    return _box["value"]


@st.cache_data(show_spinner=False, max_entries=8)
def downloads(digest: str, options: tuple, _report) -> dict[str, bytes]:
    """The JSON report and CSV tables, built once per clip and options."""
    return {
        "json": _report.to_json().encode("utf-8"),
        "frames": pd_.csv_bytes(_report.frame_rows()),
        "jumps": pd_.csv_bytes(_report.jump_rows()),
    }


@st.cache_data(show_spinner=False, max_entries=512)
def review_frame(video_key: str, frame: int, _video: bytes):
    return read_video_frame(_video, frame)


def cached(store, digest: str, options: tuple, compute):
    """``store``'s cached value for (digest, options), else ``compute()`` stored there.

    The computation runs outside the cached function, so its progress bar updates are
    not recorded by ``st.cache_data`` for replay."""
    try:
        return store(digest, options, {})
    except KeyError:
        pass
    return store(digest, options, {"value": compute()})


def progress_reporter(bar):
    def report(stage: str, done: int, total: int) -> None:
        lo, hi, label = STAGES.get(stage, (0.0, 1.0, stage))
        frac = lo + (hi - lo) * min(1.0, done / max(total, 1))
        text = f"{label}: frame {done} of {total}" if stage in ("pose", "video") else f"{label}…"
        bar.progress(min(1.0, frac), text=text)

    return report


def _session_tag() -> str:
    """A short tag of this browser session, for the name of its temporary folder."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx  # noqa: PLC0415 - internal API, only for a name

        ctx = get_script_run_ctx()
        return (ctx.session_id if ctx else "nosession")[:8]
    except Exception:  # noqa: BLE001 - only a name
        return "session"


# -- state helpers -------------------------------------------------------------------
def set_frame(frame: int | None) -> None:
    if frame is not None:
        st.session_state["frame"] = int(frame)


def choose_sample(path: str) -> None:
    st.session_state["source"] = f"sample:{path}"


def sidebar_options():
    sb = st.sidebar
    sb.header("About the jumper and the clip")
    height = sb.number_input(
        "Standing height (cm)",
        min_value=100,
        max_value=230,
        value=None,
        step=1,
        placeholder=f"not given: {pd_.DEFAULT_HEIGHT_CM} ± 10 cm assumed",
        help="Turns pixels into centimetres for jump height. Leave empty if unknown.",
    )
    view = sb.selectbox(
        "Camera view",
        VIEWS,
        format_func=lambda v: VIEW_LABELS.get(v, v),
        help="Front shows elbows and both feet; side shows posture and heels.",
    )
    style = sb.selectbox("Step style", STYLES, format_func=lambda v: STYLE_LABELS.get(v, v))
    rope = sb.selectbox("Rope", ROPES, format_func=lambda v: "not given" if v == "unknown" else v)
    surface = sb.selectbox("Surface", SURFACES, format_func=lambda v: "not given" if v == "unknown" else v)
    back_pain = sb.checkbox("I have back pain", help="Adds cautions; the page never diagnoses anything.")
    sb.caption(
        f"Clips up to {pd_.MAX_UPLOAD_MB} MB; the first {pd_.MAX_MINUTES:g} minutes are analysed. "
        "Everything runs on this computer."
    )
    return pd_.make_config(height, view, style, rope, surface, back_pain)


def pick_source():
    """The clip to analyse: (name, bytes, clip) or None. Upload wins when it is new."""
    st.markdown(
        f"Upload a clip (**{', '.join(pd_.UPLOAD_TYPES)}**, up to **{pd_.MAX_UPLOAD_MB} MB**; "
        f"the first **{pd_.MAX_MINUTES:g} min** are analysed) filmed with the whole body in view, "
        "or try a sample."
    )
    up = st.file_uploader(
        "Jump-rope clip",
        type=list(pd_.UPLOAD_TYPES),
        key="upload",
        max_upload_size=pd_.MAX_UPLOAD_MB,
        help="Film the whole body from head to feet, camera still, from the front or the side.",
    )
    samples = pd_.list_samples(SAMPLES)
    if samples:
        cols = st.columns(min(4, len(samples)))
        for i, p in enumerate(samples):
            cols[i % len(cols)].button(
                f"Sample: {pd_.sample_label(p)}",
                key=f"sample_{p.name}",
                on_click=choose_sample,
                args=(str(p),),
                width="stretch",
            )
    else:
        st.caption("No sample clips in `sample_videos/` yet: upload your own.")
    if up is not None and st.session_state.get("upload_id") != up.file_id:
        st.session_state["upload_id"] = up.file_id
        st.session_state["source"] = "upload"
    src = st.session_state.get("source")
    if src == "upload" and up is not None:
        data = up.getvalue()
        return up.name, data, ClipSource(up.name, data=data, tag=_session_tag())
    if src and src.startswith("sample:"):
        p = Path(src[len("sample:") :])
        if p.is_file():
            return p.name, p.read_bytes(), ClipSource(p.name, sample=p, tag=_session_tag())
    return None


# -- sections ------------------------------------------------------------------------
def show_summary(report, thumbs: dict[int, bytes]) -> None:
    st.subheader(f"Summary · {report.meta.name}")
    st.markdown(f"**{pd_.headline(report)}**")
    ms = pd_.summary_metrics(report)
    for row in (ms[:4], ms[4:]):
        for c, m in zip(st.columns(4), row):
            c.metric(m["label"], m["value"], help=m["help"])
    st.caption(
        f"{pd_.timing_note(report)} View: {report.quality.view} ({report.quality.view_source}). "
        f"{pd_.sound_note(report)}"
    )
    if report.jumps.count == 0:
        st.warning(
            "No rope skipping was found in this clip, so there is nothing to count or judge. "
            f"{report.jumps.rope_evidence}. Film the whole body from head to feet while skipping."
        )
    ps = pd_.priorities(report)
    if ps:
        st.markdown("#### Top things to work on")
        cols = st.columns(3)
        for i, (c, p) in enumerate(zip(cols, ps), 1):
            with c.container(border=True):
                st.markdown(f"**{i}. {p['title']}**")
                st.caption(f"{p['fault_pct']}% of assessed jumps · severity {p['severity']}")
                st.write(p["advice"])
                if p["frame"] is not None and p["frame"] in thumbs:
                    st.image(thumbs[p["frame"]], caption=f"frame {p['frame']}")
                if p["frame"] is not None:
                    st.button(f"Review frame {p['frame']}", key=f"prio_{i}", on_click=set_frame, args=(p["frame"],))
    elif report.jumps.count:
        st.success("No technique rule failed on most jumps. Keep it up, and see the scores below.")
    na = pd_.not_assessable(report)
    notes = pd_.quality_notes(report)
    c2 = st.container()  # without jumps, only the capture notes (every check would be "no jumps")
    if report.jumps.count:
        st.markdown("#### Score per check")
        scores = pd_.rule_scores(report).drop(columns=["rule"])
        st.dataframe(
            scores,
            hide_index=True,
            width="stretch",
            height=_table_height(len(scores)),
            column_config={
                "score %": st.column_config.ProgressColumn("score %", min_value=0, max_value=100, format="%d%%")
            },
        )
        c1, c2 = st.columns(2)
        with c1.expander(f"Not assessable in this clip ({len(na)})", expanded=bool(na)):
            for n in na:
                st.markdown(f"- **{n['check']}**: {n['reason']}")
            if not na:
                st.write("Every check could be assessed.")
    with c2.expander(f"Capture quality notes ({len(notes)})", expanded=bool(notes)):
        for n in notes:
            st.markdown(f"- {n}")
        if not notes:
            st.write("No capture problems found.")
    advice = pd_.session_advice(report)
    if advice:
        st.markdown("#### Session advice")
        for a in advice:
            icon = {Verdict.FAULT: ":material/warning:", Verdict.PASS: ":material/check_circle:"}.get(
                a["status"], ":material/info:"
            )
            st.markdown(f"{icon} {a['message']}")
    st.info(
        report.rules.disclaimer if report.rules is not None else pd_.CAUTIONS[0], icon=":material/health_and_safety:"
    )
    st.markdown("\n".join(f"- {c}" for c in pd_.CAUTIONS))


def _table_height(rows: int, row_px: int = 35) -> int:
    """Pixel height that shows every row of a short table (no inner scrolling)."""
    return (rows + 1) * row_px + 3


def _verdict_colours(row) -> list[str]:
    colour = {"fault": "background-color: rgba(235, 40, 40, 0.18)", "ok": "background-color: rgba(40, 180, 90, 0.10)"}
    return [colour.get(str(row["verdict"]), "")] * len(row)


@st.fragment
def frame_review(report, video: bytes, video_key: str) -> None:
    n = len(report.t_s)
    jstops, fstops = pd_.jump_stops(report), pd_.fault_stops(report)
    cur = int(min(max(st.session_state.get("frame", 0), 0), n - 1))
    st.session_state["frame"] = cur
    buttons = [
        ("◀ frame", cur - 1 if cur > 0 else None),
        ("frame ▶", cur + 1 if cur < n - 1 else None),
        ("◀ jump", pd_.step(jstops, cur, -1)),
        ("jump ▶", pd_.step(jstops, cur, +1)),
        ("◀ fault", pd_.step(fstops, cur, -1)),
        ("fault ▶", pd_.step(fstops, cur, +1)),
    ]
    cols = st.columns(len(buttons))
    for c, (label, target) in zip(cols, buttons):
        c.button(
            label, key=f"nav_{label}", on_click=set_frame, args=(target,), disabled=target is None, width="stretch"
        )
    st.slider("Frame", 0, max(n - 1, 1), key="frame")
    frame = int(st.session_state["frame"])
    left, right = st.columns([2, 3])
    with left:
        try:
            img = review_frame(video_key, frame, video)
            h, w = img.shape[:2]
            if st.toggle("Zoom to the jumper", value=pd_.zoom_helps(report, w, h), key=f"zoom_{video_key}"):
                img = pd_.zoom(report, img, frame)
            st.image(img, channels="BGR", caption=pd_.frame_caption(report, frame))
        except Exception as exc:  # noqa: BLE001 - a frame that will not decode must not break the page
            st.warning(f"Frame {frame} could not be shown ({exc}).")
    with right:
        st.markdown(f"**Every check at frame {frame}**")
        checks = pd_.checks_at_frame(report, frame)
        st.dataframe(
            checks.style.apply(_verdict_colours, axis=1),
            hide_index=True,
            width="stretch",
            height=_table_height(len(checks)),
            column_config={
                "check": st.column_config.TextColumn(width="medium"),
                "value": st.column_config.TextColumn(width="small"),
                "threshold": st.column_config.TextColumn(width="medium"),
                "verdict": st.column_config.TextColumn(width="small"),
            },
        )
        st.caption("Each check is judged per jump; the verdict shown is that of the jump this frame belongs to.")


def height_chart(report):
    data = pd_.height_series(report)
    bands = pd_.fault_bands(report)
    marks = pd_.event_marks(report)
    pick = alt.selection_point(name="pick", fields=["frame"], on="click", nearest=True)
    x = alt.X("t_s:Q", title="time (s)")
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=1.5)
        .encode(
            x=x,
            y=alt.Y("value:Q", title="height above floor (cm)"),
            color=alt.Color("series:N", title=None),
            tooltip=["frame:Q", "t_s:Q", "series:N", alt.Tooltip("value:Q", format=".1f")],
        )
    )
    points = alt.Chart(data).mark_point(opacity=0, size=60).encode(x=x, y="value:Q").add_params(pick)
    layers = []
    if len(bands):
        layers.append(
            alt.Chart(bands)
            .mark_rect(opacity=0.18)
            .encode(
                x="start_s:Q",
                x2="end_s:Q",
                color=alt.Color("check:N", title="fault", scale=alt.Scale(scheme="reds")),
                tooltip=["check:N", "start_frame:Q", "end_frame:Q"],
            )
        )
    if len(marks):
        layers.append(
            alt.Chart(marks)
            .mark_rule(opacity=0.35, strokeDash=[2, 2])
            .encode(
                x="t_s:Q", strokeDash=alt.StrokeDash("event:N", title="event"), tooltip=["event:N", "jump:Q", "frame:Q"]
            )
        )
    return alt.layer(*layers, lines, points).resolve_scale(color="independent").properties(height=260)


def angle_chart(series, line, title: str, name: str):
    pick = alt.selection_point(name=name, fields=["frame"], on="click", nearest=True)
    base = alt.Chart(series)
    lines = base.mark_line(strokeWidth=1.5).encode(
        x=alt.X("t_s:Q", title="time (s)"),
        y=alt.Y("value:Q", title=f"{title} (deg)", scale=alt.Scale(zero=False)),
        color=alt.Color("series:N", title=None),
        tooltip=["frame:Q", "series:N", alt.Tooltip("value:Q", format=".0f")],
    )
    points = base.mark_point(opacity=0, size=60).encode(x="t_s:Q", y="value:Q").add_params(pick)
    rule = (
        alt.Chart(line)
        .mark_rule(color="#d62728", strokeDash=[6, 3])
        .encode(y="value:Q", tooltip=["label:N", "value:Q"])
    )
    return alt.layer(lines, points, rule).properties(height=200)


def apply_selection(key: str, frame: int | None) -> None:
    """Move the review to a frame picked on a chart or table, once per new pick."""
    last = st.session_state.get(f"_applied_{key}")
    if frame is not None and frame != last:
        set_frame(frame)
    st.session_state[f"_applied_{key}"] = frame


def show_timeline(report, tag: str) -> None:
    st.markdown("#### Timeline")
    st.caption("Click a point to move the frame review there. Shaded bands: jumps that fail a check.")
    ev = st.altair_chart(height_chart(report), on_select="rerun", key=f"chart_height_{tag}", width="stretch")
    apply_selection(f"chart_height_{tag}", pd_.selected_frame_from_chart(ev))
    lines = pd_.threshold_lines()
    c1, c2 = st.columns(2)
    with c1:
        ev = st.altair_chart(
            angle_chart(pd_.knee_series(report), lines["knee"], "knee angle", "pick_knee"),
            on_select="rerun",
            key=f"chart_knee_{tag}",
            width="stretch",
        )
        apply_selection(f"chart_knee_{tag}", pd_.selected_frame_from_chart(ev))
    with c2:
        ev = st.altair_chart(
            angle_chart(pd_.arm_series(report), lines["arm"], "elbow and upper arm", "pick_arm"),
            on_select="rerun",
            key=f"chart_arm_{tag}",
            width="stretch",
        )
        apply_selection(f"chart_arm_{tag}", pd_.selected_frame_from_chart(ev))


def show_jumps(report, tag: str) -> None:
    st.markdown("#### Every jump")
    table = pd_.jump_table(report)
    if table.empty:
        st.info("No jumps to list.")
        return
    st.caption("Sort by any column; select a row to review that jump.")
    ev = st.dataframe(
        table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row", key=f"jump_table_{tag}"
    )
    rows = list(ev.selection.rows) if ev is not None else []
    apply_selection(f"jump_table_{tag}", int(table.iloc[rows[0]]["take-off frame"]) if rows else None)


def show_downloads(report, video: bytes | None, files: dict[str, bytes]) -> None:
    st.markdown("#### Annotated video and data")
    stem = Path(report.meta.name).stem
    portrait = report.meta.height_px > report.meta.width_px
    left, right = st.columns([1, 2] if portrait else [3, 2])
    with left:
        if video:
            st.video(video, format="video/mp4")
        else:
            st.info("No annotated video for this clip.")
    with right:
        st.caption(
            "The video shows the skeleton, knee, elbow and trunk angles, and the checks failing at each "
            "frame. The JSON report holds every number on this page; the CSV files hold one row per frame "
            "and one row per jump."
        )
        if video:
            st.download_button(
                "Annotated video (MP4)", video, f"{stem}_annotated.mp4", "video/mp4", icon=":material/movie:"
            )
        st.download_button(
            "Report (JSON)", files["json"], f"{stem}_report.json", "application/json", icon=":material/data_object:"
        )
        st.download_button("Frames (CSV)", files["frames"], f"{stem}_frames.csv", "text/csv", icon=":material/table:")
        st.download_button("Jumps (CSV)", files["jumps"], f"{stem}_jumps.csv", "text/csv", icon=":material/table:")


# -- page ----------------------------------------------------------------------------
def main() -> None:
    st.title("Jump-rope form review")
    config = sidebar_options()
    src = pick_source()
    if src is None:
        st.info("Film from the front or the side, the whole body from head to feet in view, the camera still.")
        return
    name, data, clip = src
    digest = pd_.file_digest(data)
    options = tuple(sorted(config.to_dict().items()))
    try:
        status = st.status(f"Analysing {name}…", expanded=True)
        bar = status.progress(0.0, text="Starting…")
        progress = progress_reporter(bar)

        def compute():
            report = analyze_video(clip.path, config, progress=progress)
            frames = [p["frame"] for p in pd_.priorities(report) if p["frame"] is not None]
            return report, thumbnails(clip.path, frames, report) if frames else {}

        try:
            report, thumbs = cached(_stored_analysis, digest, options, compute)
        except AnalysisError as exc:
            status.update(label=f"Could not analyse {name}", state="error", expanded=False)
            st.error(str(exc), icon=":material/error:")
            return
        except Exception as exc:  # noqa: BLE001 - never a traceback on the page
            status.update(label=f"Could not analyse {name}", state="error", expanded=False)
            st.error(
                f"{name}: the analysis failed ({type(exc).__name__}: {exc}). Try re-exporting the clip as MP4 (H.264).",
                icon=":material/error:",
            )
            return
        status.update(label=f"Analysed {name}", state="complete", expanded=False)
        result_key = f"{digest}:{hash(options)}"
        if st.session_state.get("result_key") != result_key:
            st.session_state["result_key"] = result_key
            st.session_state["frame"] = pd_.start_frame(report)
        show_summary(report, thumbs)
        st.markdown("#### Frame review")
        review_slot = st.empty()
        video = None
        # The video is drawn right after the summary (one encoder thread): the numbers are
        # on the page meanwhile, and the browser paints them while the other core is free.
        try:
            video = cached(_stored_video, digest, options, lambda: _render_video(report, clip, review_slot))
        except Exception as exc:  # noqa: BLE001 - never a traceback on the page
            review_slot.warning(f"The annotated video could not be drawn ({exc}); the numbers above still hold.")
    finally:
        clip.cleanup()  # the upload's temporary folder exists only while the clip is analysed
    # Charts and the jump table come before the review is filled in, so that a point or a
    # row picked there moves the review's frame before its slider is drawn.
    tag = result_key[:8] + str(abs(hash(options)) % 10_000)  # widgets of a new result start unselected
    show_timeline(report, tag)
    show_jumps(report, tag)
    if video:
        with review_slot.container():
            frame_review(report, video, f"{digest}:{hash(options)}")
    show_downloads(report, video, downloads(digest, options, report))


def _render_video(report, clip, slot) -> bytes:
    bar = slot.progress(0.0, text="Drawing the annotated video…")
    lower_thread_priority()  # the page and its browser stay responsive meanwhile
    out = clip.scratch_path("annotated.mp4")
    try:
        write_annotated_video(report, clip.path, out, progress=progress_reporter(bar))
        return out.read_bytes()
    finally:
        out.unlink(missing_ok=True)


main()
