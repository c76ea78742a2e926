"""``analyze_video``: the only place that wires the stages together.

clip -> frames with timestamps (``io``) -> pose series (``pose``) -> cleaned series,
scale, per-frame metrics, jump events, view and quality (``measure``), sound evidence
(``audio``) -> rule findings (``rules``) -> one :class:`~analysis.report.Report`, built
once from the stage results.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import numpy as np

from .audio.evidence import sound_evidence
from .audio.onsets import Impacts, impacts_of_samples
from .config import AnalysisConfig
from .io.soundtrack import AudioError, AudioTrack, spool_audio
from .io.video import read_meta
from .measure.jumps import TORSO_LANDMARKS, detect_jumps
from .measure.jumps.physics import possibly_slowed
from .measure.jumps.rope import RUNNING_ARMS_ALIKE, statement_would_count
from .measure.jumps.signals import hands_fore_aft_cm
from .measure.kinematics import frame_metrics
from .measure.scale import estimate_scale
from .measure.signals import (
    LOW_CONFIDENCE_MIN_VISIBILITY,
    clean_pose,
    clean_xy,
    feet_bottom_y_raw,
    unsmoothed_xy,
)
from .measure.view import assess_quality, estimate_view, feet_visible, stated_view
from .pose.camera_motion import shake_matters, stabilised_xy, vertical_shake_rms_px
from .pose.estimators import PoseEstimator
from .pose.landmarks import Landmark
from .pose.parallel import CpuMeter, PoseRunner, choose_threads, choose_workers, usable_cores
from .pose.partial import PartialCounter, PartialResult
from .pose.people import OtherPersonProbe, PeopleInfo, follow_main_jumper, people_message
from .pose.stage import FrameSampler, PrefixFeed, Progress, median_samples, pose_of_range
from .report import Report
from .rules import evaluate_rules
from .rules.session import session_advice
from .types import AnalysisError, JumpAnalysis, Notice, NoticeKind, PoseSeries, RunEvidence, Scale, VideoMeta

#: The wrists' landmarks (left, right), as jump detection's low-confidence wrists list them.
_WRISTS = (Landmark.LEFT_WRIST, Landmark.RIGHT_WRIST)
#: A clip where a person is found in fewer frames than this share has nothing to analyse.
MIN_POSE_SHARE = 0.05
#: Below this share of frames with a person, the results say they cover only those frames.
FULL_POSE_SHARE = 0.8
#: Fewer decoded frames than this cannot show a jump (about half a second of video).
MIN_FRAMES = 12
#: A stretch without a person longer than this (s) is reported with its times.
ABSENCE_MIN_S = 1.0


class NoPersonError(AnalysisError):
    pass


@dataclass(frozen=True)
class PreparedPose:
    """What every analysis of a pose series starts from, whatever the options: the main
    jumper followed (``followed``: others' frames dropped; ``people``: what was seen) and
    the cleaned series (``clean``; None when a person is in under ``MIN_POSE_SHARE`` of
    the frames, which no analysis can use)."""

    followed: PoseSeries
    people: PeopleInfo
    clean: PoseSeries | None


def prepare_pose(pose: PoseSeries) -> PreparedPose:
    followed, people = follow_main_jumper(pose)
    found_share = float(followed.found.mean()) if len(followed) else 0.0
    return PreparedPose(followed, people, clean_pose(followed) if found_share >= MIN_POSE_SHARE else None)


#: The options the pose stage depends on; every other option changes only what follows it,
#: so a clip analysed again under other options reuses its :class:`PoseStage`.
POSE_OPTIONS = ("model_path", "max_minutes")


def pose_options(config: AnalysisConfig) -> dict[str, object]:
    """The part of ``config`` the pose stage depends on (a cache key, with the clip's content)."""
    return {name: getattr(config, name) for name in POSE_OPTIONS}


@dataclass(frozen=True)
class PoseStage:
    """Everything the pose stage gives, from its one decoding pass of the clip: all that
    the later stages need from the video. :func:`analyze_pose` turns it into a Report under
    any options (height, view, style, rope, surface ...) without decoding a frame again.

    ``quality_samples``: (mean luma, Laplacian variance) of every
    ``stage.QUALITY_SAMPLE_EVERY``-th frame. ``other_person``: (frames probed, frames where
    another person was found) from ``people.OtherPersonProbe``, None where not probed.
    ``rope_band``: [T] motion energy in a band above the head, when measured in the same
    pass. ``camera_shift_px``: [T, 2] how far the scene moved in the image since the frame
    before (``pose.camera_motion``; NaN where not measured), None where not measured at all:
    jump detection reads the landmarks with the camera's motion taken out.
    ``audio_impacts``: the soundtrack's impacts (None without a soundtrack, or one that
    could not be read), all the later stages need of the sound; ``audio_track``: its samples,
    only when a caller gives them instead (``run_pose_stage`` keeps the impacts alone: a
    soundtrack's samples take 5 MB a minute). ``notices``: what the reading and decoding
    found wrong with the input. ``timings_s``: "read_meta" and "pose"; ``elapsed_s``: the
    whole stage (sound and probe included).
    ``options``: :func:`pose_options` of the config it was made with (empty: unknown).
    ``prepared``: :func:`prepare_pose` of ``pose`` (computed by :func:`analyze_pose` when
    None), the part of the analysis that no option changes, kept so a re-analysis skips it.
    """

    pose: PoseSeries
    meta: VideoMeta
    pose_model: str = ""
    quality_samples: tuple[tuple[float, float], ...] = ()
    other_person: tuple[int, int] | None = None
    audio_track: AudioTrack | None = None
    audio_impacts: Impacts | None = None
    rope_band: np.ndarray | None = None
    camera_shift_px: np.ndarray | None = None
    notices: tuple[Notice, ...] = ()
    timings_s: Mapping[str, float] = field(default_factory=dict)
    elapsed_s: float = 0.0
    options: Mapping[str, object] = field(default_factory=dict)
    prepared: PreparedPose | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "quality_samples", tuple((float(a), float(b)) for a, b in self.quality_samples))
        object.__setattr__(self, "notices", tuple(self.notices))
        object.__setattr__(self, "timings_s", dict(self.timings_s))
        object.__setattr__(self, "options", dict(self.options))
        if self.rope_band is not None:
            band = np.asarray(self.rope_band, float)
            if band.shape != (len(self.pose),):
                raise ValueError(f"PoseStage.rope_band: expected shape [{len(self.pose)}], got {list(band.shape)}")
            band.setflags(write=False)
            object.__setattr__(self, "rope_band", band)
        if self.camera_shift_px is not None:
            shift = np.asarray(self.camera_shift_px, float)
            if shift.shape != (len(self.pose), 2):
                raise ValueError(
                    f"PoseStage.camera_shift_px: expected shape [{len(self.pose)}, 2], got {list(shift.shape)}"
                )
            shift.setflags(write=False)
            object.__setattr__(self, "camera_shift_px", shift)


def _absences(found: np.ndarray, t_s: np.ndarray) -> list[tuple[float, float]]:
    """(start, end) seconds of each stretch without a person longer than ABSENCE_MIN_S."""
    out = []
    n = len(found)
    i = 0
    while i < n:
        if found[i]:
            i += 1
            continue
        j = i
        while j < n and not found[j]:
            j += 1
        a, b = float(t_s[i]), float(t_s[j - 1])
        if b - a >= ABSENCE_MIN_S:
            out.append((a, b))
        i = j
    return out


def _read_soundtrack(path: str | os.PathLike, max_duration_s: float) -> Impacts | None:
    """The soundtrack's Impacts (None without one): the part of the sound work that needs no
    video. The samples go through a temporary file, read back a block at a time, so a long
    soundtrack is never held in memory; the later stages need only its impacts."""
    spooled = spool_audio(path, max_duration_s=max_duration_s)
    if spooled is None:
        return None
    with spooled:
        return impacts_of_samples(spooled.samples, spooled.sample_rate_hz, spooled.start_s)


def analyze_pose(stage: PoseStage, config: AnalysisConfig | None = None, *, progress: Progress | None = None) -> Report:
    """Everything after pose estimation, from the pose stage's result (pure: no video
    needed; a fraction of a second): scale, jumps, view and quality, sound evidence, rules.

    ``config`` must have the pose options the stage was made with (``POSE_OPTIONS``); the
    others (height, view, style, rope, surface, back pain ...) are free. The report's
    ``timings_s["total"]`` is the stage's time plus this one's.
    """
    config = config or AnalysisConfig()
    wanted = pose_options(config)
    made = {k: v for k, v in stage.options.items() if k in wanted}
    if made and made != {k: wanted[k] for k in made}:
        raise ValueError(
            f"analyze_pose: the pose stage was made with {made}, the config asks for {wanted}; "
            "run the pose stage again for these options"
        )
    pose, meta = stage.pose, stage.meta
    audio_track, audio_impacts, other_person = stage.audio_track, stage.audio_impacts, stage.other_person
    rope_band = stage.rope_band
    luma, sharpness = median_samples(list(stage.quality_samples))
    found_notices = list(stage.notices)
    timings: dict[str, float] = dict(stage.timings_s)
    t0 = time.perf_counter()
    prepared = stage.prepared or prepare_pose(pose)
    pose, people = prepared.followed, prepared.people
    if other_person is not None:
        people = replace(people, probed=other_person[0], other_seen=other_person[1])
    people_note = people_message(people)
    found_share = float(pose.found.mean()) if len(pose) else 0.0
    if prepared.clean is None:
        raise NoPersonError(
            f"{meta.name}: no person was found in the clip ({100 * found_share:.0f}% of frames). "
            "Film the whole body from head to feet, well lit, with the jumper alone in view."
        )
    clean = prepared.clean
    scale, cm_per_px, floor_y = estimate_scale(clean.xy_px, meta.fps, config.standing_height_cm)
    view_estimate = estimate_view(clean.xy_px, clean.world_m)
    view_angle = stated_view(config.view) if config.view != "auto" else view_estimate
    view = view_angle.label
    metrics = frame_metrics(clean.xy_px, clean.world_m, cm_per_px, floor_y, view=view)
    timings["clean_kinematics"] = time.perf_counter() - t0
    if progress:
        progress("jumps", 0, 1)
    t1 = time.perf_counter()
    impacts_s = audio_impacts.times_s if audio_impacts is not None and audio_impacts.usable else None
    jumps = _detect_jumps(
        pose, clean, meta, config, scale, cm_per_px, rope_band, impacts_s, view_angle.yaw_deg, stage.camera_shift_px
    )
    timings["jumps"] = time.perf_counter() - t1
    if progress:
        progress("jumps", 1, 1)
    quality = assess_quality(
        clean.xy_px,
        pose.visibility,
        pose.frame_size_px,
        meta.fps,
        scale.body_height_px,
        luma,
        sharpness,
        config.view,
        view_estimate,
        several_people=people.multiple,
    )
    if people_note:
        found_notices.append(Notice(NoticeKind.SEVERAL_PEOPLE, people_note))
    feet_out = quality.feet_in_frame_pct < 50
    if shake_matters(stage.camera_shift_px, meta.fps, scale.body_height_px):
        rms_px = vertical_shake_rms_px(stage.camera_shift_px, meta.fps)
        rms_cm = rms_px * float(np.nanmedian(cm_per_px))
        found_notices.append(
            Notice(
                NoticeKind.CAMERA_SHAKE,
                f"The camera shook (up and down by about {rms_cm:.1f} cm at the jumper, RMS): the jumps were "
                "read against the scene with the shake taken out. A phone propped up or on a tripod gives "
                "steadier heights.",
            )
        )
    if jumps.time_scale.slowed:
        found_notices.append(Notice(NoticeKind.SLOW_MOTION, _sentence(jumps.time_scale.note)))
    elif possibly_slowed(jumps.time_scale):
        found_notices.append(Notice(NoticeKind.MAYBE_SLOW_MOTION, _sentence(jumps.time_scale.note)))
    refused = [ev for ev in jumps.run_evidence if not ev.accepted]
    # Stretches whose rope evidence held but which gave no jump (``RunEvidence.uncounted``).
    uncounted = [ev for ev in jumps.run_evidence if ev.accepted and ev.uncounted]
    slow_hint = jumps.time_scale.rhythm_hint
    if not jumps.jumps:
        if np.isfinite(slow_hint):
            # A rope turned with the jumps, too slowly for real time (``TimeScale.rhythm_hint``):
            # not "no skipping", and not "no rhythm" either.
            found_notices.append(
                Notice(
                    NoticeKind.NO_JUMPS_FEET_OUT if feet_out else NoticeKind.NO_SKIPPING,
                    "No jumps were counted in real time: a rope turns with the jumps, but they are further apart "
                    f"than real skipping allows, as if the clip were slowed down at least {slow_hint:.1f}x"
                    + (
                        ", and with the feet out of frame, at its very edge or hidden in "
                        f"{100 - quality.feet_in_frame_pct:.0f}% of the frames their flights cannot show it"
                        if feet_out
                        else ""
                    )
                    + ". If it was filmed in slow motion, state the factor (--slowmo, or 'Slow motion' on the page) "
                    "to have them counted.",
                )
            )
        elif refused or uncounted:
            # The longest stretch of rhythmic jumping, with or without a rope's evidence.
            ev = max(refused + uncounted, key=lambda e: e.end_s - e.start_s)
            text = _rope_but_uncounted(ev) if ev.accepted else _not_counted(ev, config.rope_turning)
            found_notices.append(Notice(NoticeKind.NO_SKIPPING, text))
        elif jumps.time_scale.slow_beat_note:
            # A steady beat slower than any skipping, no rope on it (``TimeScale.slow_beat_s``):
            # a movement without a rope, or skipping slowed down the clip cannot tell as such.
            found_notices.append(
                Notice(
                    NoticeKind.NO_SKIPPING,
                    f"No rope skipping was counted: {jumps.time_scale.slow_beat_note}. If the clip was filmed in "
                    "slow motion, state the factor (--slowmo, or 'Slow motion' on the page) to have it read at "
                    "real speed; jumping without a rope is not counted.",
                )
            )
        elif feet_out:
            found_notices.append(
                Notice(
                    NoticeKind.NO_JUMPS_FEET_OUT,
                    "No jumps could be counted: the feet are out of frame, at its very edge or hidden in "
                    f"{100 - quality.feet_in_frame_pct:.0f}% of the frames with a person, and the body's bounce alone "
                    "did not show a steady rhythm. Film the whole body, with a little floor below the feet.",
                )
            )
        else:
            found_notices.append(
                Notice(
                    NoticeKind.NO_SKIPPING,
                    "No rope skipping was found: there is no steady rhythm of jumps in the clip. Film the whole body "
                    "while skipping, with the hands and the rope in view.",
                )
            )
    else:
        # Not where the user said a rope was turning.
        weak = [
            ev
            for ev in jumps.run_evidence
            if ev.counted and _rests_on_running_arms_alike(ev) and not config.rope_turning
        ]
        if weak:
            where = ", ".join(f"{ev.start_s:.1f}-{ev.end_s:.1f} s" for ev in weak[:3])
            found_notices.append(
                Notice(
                    NoticeKind.ROPE_UNCONFIRMED,
                    f"The rope is not confirmed at {where}: the jumps there are counted on the hands alone, which "
                    "rise and fall together at each jump, and from near the front or back arms swinging fore and aft "
                    "(jogging or high knees in place) look the same. Check that a rope was turning; filmed from the "
                    "side, or with the rope in view, the clip can confirm it.",
                )
            )
        if refused or uncounted:
            spans = "; ".join(
                f"{ev.start_s:.1f}-{ev.end_s:.1f} s: {ev.reason}" + (f", but {ev.uncounted}" if ev.accepted else "")
                for ev in sorted(refused + uncounted, key=lambda e: e.start_s)[:3]
            )
            hint = ""
            if not config.rope_turning and any(statement_would_count(ev) for ev in refused):
                hint = " If a rope was turning there too, say so (--rope-turning, or 'A rope was turning' on the page)."
            found_notices.append(Notice(NoticeKind.NOT_COUNTED, f"Not counted as skipping: {spans}.{hint}"))
        if feet_out:
            found_notices.append(
                Notice(
                    NoticeKind.FEET_OUT_OF_FRAME,
                    "The feet are out of frame, at its very edge or hidden in "
                    f"{100 - quality.feet_in_frame_pct:.0f}% of the frames with a person: the jumps are counted "
                    "from the body's bounce, but jump heights are not measured and landing checks are not assessed. "
                    "Keep the feet in view, with a little floor below them.",
                )
            )
    gaps = _absences(pose.found, pose.t_s)
    if gaps:
        spans = ", ".join(f"{a:.1f}-{b:.1f} s" for a, b in gaps[:5]) + (" and more" if len(gaps) > 5 else "")
        found_notices.append(
            Notice(
                NoticeKind.JUMPER_ABSENT,
                f"No one was in view at {spans} (the jumper left the frame or was hidden); those seconds are left out "
                "and the results cover the rest.",
            )
        )
    t_audio = time.perf_counter()
    sound = sound_evidence(audio_track, [j.landing_s for j in jumps.jumps], audio_impacts)
    timings["audio"] = time.perf_counter() - t_audio
    cc = sound.count_comparison
    if cc is not None and cc.difference != 0:
        where = ", ".join(f"{t:.1f} s" for t in (list(cc.audio_only_s) + list(cc.video_only_s))[:6])
        found_notices.append(
            Notice(
                NoticeKind.COUNTS_DISAGREE,
                f"The sound counts {cc.audio_count} landings and the video {cc.video_count} jumps; "
                f"they disagree around {where}.",
            )
        )
    if found_share < FULL_POSE_SHARE:
        found_notices.append(
            Notice(
                NoticeKind.POSE_SPARSE,
                f"A person was found in only {100 * found_share:.0f}% of frames; results cover those frames.",
            )
        )
    t2 = time.perf_counter()
    if progress:
        progress("rules", 0, 1)
    rules = evaluate_rules(
        metrics=metrics,
        jumps=jumps,
        pose=clean,
        fps=meta.fps,
        view=view_angle,
        scale=scale,
        config=config,
        sound=sound.quiet_landings,
    )
    timings["rules"] = time.perf_counter() - t2
    if progress:
        progress("rules", 1, 1)
    timings["total"] = stage.elapsed_s + time.perf_counter() - t0
    return Report(
        meta=meta,
        config=config,
        pose_model=stage.pose_model,
        scale=scale,
        quality=quality,
        jumps=jumps,
        t_s=clean.t_s,
        pose_found=pose.found,
        metrics=metrics,
        pose=clean,
        rules=rules,
        sound=sound,
        notices=tuple(found_notices),
        timings_s=timings,
    )


def frame_limit(meta: VideoMeta, config: AnalysisConfig) -> int:
    """How many frames of the clip the analysis reads at most (``config.max_minutes``)."""
    return max(1, int(config.max_minutes * 60.0 * meta.fps))


def _not_counted(ev: RunEvidence, stated: bool) -> str:
    """What to tell the user when the longest stretch of rhythmic jumping was not counted:
    why, how many bounces it held, and what to do. Where the clip could not show a rope and
    nothing spoke against one (``rope.statement_would_count``), the user may say a rope was
    turning."""
    n = len(ev.rope_passes)
    seen = f"; {n} bounces in a rhythm were seen there" if n else ""
    text = f"No rope skipping was counted: {ev.reason} (from {ev.start_s:.1f} to {ev.end_s:.1f} s{seen}). "
    if statement_would_count(ev) and not stated:
        return text + (
            "If a rope was turning, say so (--rope-turning, or 'A rope was turning' on the page) and they are "
            "counted on your word; or film the whole body with the hands and the rope in view."
        )
    return text + "If you were skipping, film the whole body with the hands and the rope in view."


def _rests_on_running_arms_alike(ev: RunEvidence) -> bool:
    """The stretch's rope rests on the hands alone, and they show only what running arms show
    from this view (``rope.RUNNING_ARMS_ALIKE``)."""
    support = [c.name for c in ev.cues if c.verdict == "for"]
    return support == ["hands turning"] and ev.cue(RUNNING_ARMS_ALIKE) is not None


def _rope_but_uncounted(ev: RunEvidence) -> str:
    """What to tell the user when a stretch's rope evidence held but none of its bounces
    could be counted: not "no rhythm", and not "no rope" either."""
    return (
        f"No jumps were counted, though from {ev.start_s:.1f} to {ev.end_s:.1f} s the clip speaks for a rope "
        f"({ev.reason}): {ev.uncounted}. If you were skipping there, those jumps are missing from the count; film "
        "the whole body with the feet in view, and skip on one steady beat for a few seconds."
    )


def _sentence(text: str) -> str:
    """A note as a sentence for people: capitalised, with a full stop."""
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else text


def _video_notices(meta: VideoMeta) -> list[Notice]:
    if meta.fps_source == "assumed":
        return [
            Notice(
                NoticeKind.FPS_ASSUMED,
                "The clip's frame rate is missing or implausible in its header and its timestamps; "
                f"{meta.fps:g} fps was assumed. The jump count holds, but timing (jumps per minute, "
                "flight and contact times, height from flight time) may be off: re-export the clip with a fixed "
                "frame rate.",
            )
        ]
    if meta.fps_source == "timestamps":
        return [
            Notice(
                NoticeKind.FPS_FROM_TIMESTAMPS,
                f"The clip's header has no usable frame rate; {meta.fps:.2f} fps was taken from its frame timestamps.",
            )
        ]
    return []


def run_pose_stage(
    path: str | os.PathLike,
    config: AnalysisConfig | None = None,
    progress: Progress | None = None,
    estimator: PoseEstimator | None = None,
    workers: int = 0,
    on_partial: Callable[[PartialResult], None] | None = None,
    threads: int = 0,
) -> PoseStage:
    """The expensive part of an analysis: read the clip, find the pose in every frame (with
    the per-frame samples, the rope band, the other-person probe and the soundtrack beside
    it). Depends only on the clip and ``config``'s pose options (``POSE_OPTIONS``). Raises
    ``AnalysisError`` for a clip with too few frames to analyse.

    ``workers``: pose processes for this clip (``analysis.pose.parallel``); 0 (default)
    picks by clip length, frame size and the cores other programs leave free
    (``parallel.choose_workers``); a number forces that many. ``threads``: threads for each
    process's pose networks; 0 (default) gives them the free cores beyond two spare
    (``parallel.choose_threads``: one thread on a 2-core machine) when ``workers`` is 0, one
    thread when it is forced (the batch command's clips in parallel); a number forces that
    many (and then the processes chosen are at most the usable cores over it: threads beyond
    the cores stall each other). The result is the same whatever the numbers.
    An ``estimator`` passed in runs in this process over the whole clip (the caller keeps
    and closes it).
    ``on_partial``: called every few seconds while the pose runs with the jumps counted in
    the part analysed so far (``pose.partial``): the frames from the clip's start that this
    process has estimated (with helpers, the first segments; ``stage.PrefixFeed``)."""
    config = config or AnalysisConfig()
    t0 = time.perf_counter()
    meter = CpuMeter()  # how busy the machine is, measured while the clip's header is read
    if progress:
        progress("reading", 0, 1)
    meta = read_meta(path)
    notices = _video_notices(meta)
    limit_frames = frame_limit(meta, config)
    stop = limit_frames
    if progress:
        progress("reading", 1, 1)
    n_frames = min(stop, meta.n_frames)
    if estimator is not None:
        workers = threads = 1
    elif workers == 0:
        workers = choose_workers(meta, n_frames, meter)
        if threads:  # forced threads: no more processes than the cores can give each its threads
            workers = max(1, min(workers, usable_cores() // threads))
        threads = threads or choose_threads(workers, meter)
    threads = threads or 1
    probe = OtherPersonProbe(n_frames)
    # Pose helper processes (if any) start on entering and load while this process works.
    with PoseRunner(
        path, meta, workers, stop=stop, model_path=config.model_path, probe=probe, threads=threads
    ) as runner:
        # The soundtrack's impacts need no video: detect them in a thread while pose runs
        # (pose keeps about one of the cores busy), so sound costs no wall-clock time.
        sound_pool: ThreadPoolExecutor | None = None
        sound_job: Future[Impacts | None] | None = None
        if meta.has_audio:
            sound_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="soundtrack")
            sound_job = sound_pool.submit(_read_soundtrack, path, stop / meta.fps + 1.0)
        t1 = time.perf_counter()
        if estimator is not None:  # the caller's: one tracker over the whole clip; the caller closes it
            pose_model = getattr(estimator, "name", type(estimator).__name__)
            sampler = FrameSampler(probe=probe, fps=meta.fps)
            partial = _partial_counter(
                meta, config, stop, on_partial, lambda n: sampler.rope_band(0, n), lambda n: sampler.camera_shift(0, n)
            )
            pose = pose_of_range(path, meta, estimator, sampler, stop=stop, progress=progress, on_pose=partial)
            samples: tuple[tuple[float, float], ...] = tuple(sampler.samples)
            band = sampler.rope_band(0, len(pose))
            shift: np.ndarray | None = sampler.camera_shift(0, len(pose))
            framed, framed_from_s = int(getattr(estimator, "framed_frames", 0)), float("nan")
        else:
            feed: PrefixFeed | None = None
            partial = _partial_counter(
                meta,
                config,
                stop,
                on_partial,
                lambda n: feed.rope_band(n) if feed else None,
                lambda n: feed.camera_shift(n) if feed else None,
            )
            feed = PrefixFeed(partial) if partial is not None else None
            staged = runner.run(progress, on_pose=feed)
            pose, samples, pose_model, band = staged.pose, staged.samples, staged.model_name, staged.rope_band
            shift = staged.camera_shift_px
            framed, framed_from_s = staged.framed_frames, staged.framed_from_s
    t_pose = time.perf_counter() - t1
    if framed:
        since = f", from {framed_from_s:.1f} s" if np.isfinite(framed_from_s) else ""
        notices.append(
            Notice(
                NoticeKind.JUMPER_SMALL,
                f"The jumper is small in the frame: the pose model found them only by looking at part of it "
                f"({framed} of {len(pose)} frames{since}). Film closer, with the jumper filling half the frame's "
                "height or more, for surer landmarks.",
            )
        )
    if len(pose) == 0:
        raise AnalysisError(f"{meta.name}: no frame could be decoded. Re-export the clip as MP4 (H.264).")
    if len(pose) < MIN_FRAMES:
        raise AnalysisError(
            f"{meta.name}: only {len(pose)} frame{'s' if len(pose) != 1 else ''} could be decoded "
            f"({pose.t_s[-1] - pose.t_s[0]:.1f} s); too short to analyse. Record at least 10 seconds of skipping."
        )
    if len(pose) >= limit_frames:
        about = (
            f" ({meta.duration_s / 60:.1f} min according to its header)"
            if meta.duration_s > 60 * config.max_minutes
            else ""
        )
        notices.append(
            Notice(
                NoticeKind.CLIP_CUT,
                f"The clip is longer than {config.max_minutes:g} min{about}; "
                f"only the first {config.max_minutes:g} min were analysed. Trim the clip to analyse another part.",
            )
        )
    elif meta.n_frames > 1 and len(pose) < 0.9 * meta.n_frames:
        notices.append(
            Notice(
                NoticeKind.FRAMES_MISSING,
                f"Only {len(pose)} of the {meta.n_frames} frames the file announces could be decoded "
                "(the file may be truncated or damaged); results cover the decoded part.",
            )
        )
    impacts = None
    if sound_job is not None and sound_pool is not None:
        try:
            impacts = sound_job.result()
        except AudioError as exc:
            notices.append(
                Notice(
                    NoticeKind.SOUNDTRACK_UNREADABLE,
                    f"The soundtrack could not be read ({exc}); landing sounds are not assessed.",
                )
            )
        finally:
            sound_pool.shutdown(wait=False)
    other = probe.run(pose) if len(pose) >= MIN_FRAMES else None
    prepared = prepare_pose(pose)
    return PoseStage(
        pose,
        meta,
        pose_model=pose_model,
        quality_samples=tuple(samples),
        other_person=other,
        audio_impacts=impacts,
        notices=tuple(notices),
        timings_s={"read_meta": t1 - t0, "pose": t_pose},
        rope_band=band,
        camera_shift_px=shift,
        elapsed_s=time.perf_counter() - t0,
        options=pose_options(config),
        prepared=prepared,
    )


def analyze_video(
    path: str | os.PathLike,
    config: AnalysisConfig | None = None,
    progress: Progress | None = None,
    estimator: PoseEstimator | None = None,
    workers: int = 0,
    on_partial: Callable[[PartialResult], None] | None = None,
    threads: int = 0,
) -> Report:
    """Analyse one clip end to end: :func:`run_pose_stage`, then :func:`analyze_pose`.
    Raises ``AnalysisError`` (with a clear message) for input that cannot be analysed at
    all; otherwise returns a Report whose ``notices`` (``messages``) and ``partial`` say
    what did not hold. The arguments are :func:`run_pose_stage`'s."""
    config = config or AnalysisConfig()
    stage = run_pose_stage(path, config, progress, estimator, workers, on_partial, threads)
    return analyze_pose(stage, config, progress=progress)


#: Options that change only the session advice (surface, rope, back pain, experience): a
#: report re-made for a change of these alone keeps its jumps and verdicts (:func:`reanalyze`).
SESSION_OPTIONS = ("rope", "surface", "back_pain", "experienced")


def reanalyze(report: Report, stage: PoseStage, config: AnalysisConfig) -> Report:
    """``report`` (made from ``stage``) under ``config``: where ``config`` differs from the
    report's only in ``SESSION_OPTIONS``, only the session advice is made again (a few
    milliseconds however long the clip); otherwise :func:`analyze_pose`."""
    old, new = report.config.to_dict(), config.to_dict()
    changed = {k for k in new if old.get(k) != new[k]}
    if report.rules is None or not changed <= set(SESSION_OPTIONS):
        return analyze_pose(stage, config)
    t = report.t_s
    clip_min = float(t[-1] - t[0]) / 60.0 if len(t) > 1 else 0.0
    session = session_advice(config, clip_min, report.jumps.active_time_s / 60.0)
    return replace(report, config=config, rules=replace(report.rules, session=session))


def _detect_jumps(
    pose: PoseSeries,
    clean: PoseSeries,
    meta: VideoMeta,
    config: AnalysisConfig,
    scale: Scale,
    cm_per_px: np.ndarray,
    rope_band: np.ndarray | None,
    impacts_s: np.ndarray | None = None,
    camera_yaw_deg: float = float("nan"),
    camera_shift_px: np.ndarray | None = None,
) -> JumpAnalysis:
    """The jump detection of an analysis (and of the first answers while the pose runs):
    ``pose`` the followed series, ``clean`` the cleaned one, ``impacts_s`` the usable
    soundtrack's impact onsets (None while the pose runs, or without one), ``camera_yaw_deg``
    the view's yaw (NaN while the pose runs: only the count is wanted then),
    ``camera_shift_px`` the scene's frame-to-frame shift (None: not measured, as while the
    pose runs): the landmarks are read with the camera's motion taken out, so a shaking
    phone does not pass for the jumper's hops (``pose.camera_motion``)."""
    still_xy, followed = clean.xy_px, pose
    if camera_shift_px is not None and len(camera_shift_px) == len(pose):
        # Taken out before the cleaning, whose outlier filter would otherwise take a jolt of
        # the camera for a landmark's error and leave its inverse behind. Whether the feet
        # are in the frame is read on the landmarks where the frame saw them. (Jump
        # detection reads image landmarks only: the world landmarks are not cleaned again.)
        xy = stabilised_xy(pose.xy_px, camera_shift_px, meta.fps, scale.body_height_px)
        if xy is not pose.xy_px:
            followed = replace(pose, xy_px=xy)
            still_xy = clean_xy(followed)
    return detect_jumps(
        still_xy,
        clean.t_s,
        meta.fps,
        cm_per_px,
        style_hint=config.style,
        stature_cm=scale.standing_height_cm,
        scale_rel_uncertainty=scale.relative_uncertainty,
        feet_visible=feet_visible(clean.xy_px, pose.visibility, *pose.frame_size_px, scale.body_height_px, meta.fps),
        slowmo_factor=config.slowmo_factor,
        rope_stated=config.rope_turning,
        rope_band=rope_band if rope_band is not None and len(rope_band) == len(pose) else None,
        # The torso's landmarks alone (not a third copy of all 33 for a long clip).
        torso_xy_px_unsmoothed=unsmoothed_xy(followed, TORSO_LANDMARKS),
        impacts_s=impacts_s,
        camera_yaw_deg=camera_yaw_deg,
        # The world landmarks as the model gives them, not masked by visibility: a wrist it
        # places with low confidence is still placed in depth, and masked, the hands' swing
        # could not be read on most rope runs (one wrist half hidden; bench/RESULTS.md).
        hands_fore_aft=hands_fore_aft_cm(pose.world_m),
        feet_bottom_raw_y=feet_bottom_y_raw(followed),
        # The wrists down to a lower visibility, for the hands' cue's second, stricter look.
        wrists_xy_px_low_confidence=clean_xy(followed, _WRISTS, LOW_CONFIDENCE_MIN_VISIBILITY),
    )


def _jumps_so_far(
    pose: PoseSeries,
    meta: VideoMeta,
    config: AnalysisConfig,
    rope_band: np.ndarray | None,
    camera_shift: np.ndarray | None = None,
) -> tuple[int, float]:
    """(jumps, jumps per minute) in the pose so far, by the same steps as :func:`analyze_pose`
    (``camera_shift``: the camera's shift of those frames, None where not measured)."""
    prepared = prepare_pose(pose)
    if prepared.clean is None:
        return 0, float("nan")
    clean = prepared.clean
    scale, cm_per_px, _ = estimate_scale(clean.xy_px, meta.fps, config.standing_height_cm)
    jumps = _detect_jumps(
        prepared.followed, clean, meta, config, scale, cm_per_px, rope_band, camera_shift_px=camera_shift
    )
    return jumps.count, (jumps.jumps_per_minute if jumps.count else float("nan"))


def _partial_counter(
    meta: VideoMeta,
    config: AnalysisConfig,
    stop: int,
    on_partial: Callable[[PartialResult], None] | None,
    rope_band: Callable[[int], np.ndarray | None],
    camera_shift: Callable[[int], np.ndarray | None] = lambda n: None,
) -> PartialCounter | None:
    """``rope_band(n)``, ``camera_shift(n)``: the rope band and the camera's shift of the first
    ``n`` frames."""
    if on_partial is None:
        return None
    return PartialCounter(
        lambda pose: _jumps_so_far(pose, meta, config, rope_band(len(pose)), camera_shift(len(pose))),
        on_partial,
        frames_total=min(stop, meta.n_frames) if meta.n_frames > 0 else stop,
        frame_size_px=(meta.width_px, meta.height_px),
        fps=meta.fps,
        min_frames=MIN_FRAMES,
    )
