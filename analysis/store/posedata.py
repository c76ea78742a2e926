"""The pose series of a session in one compact blob, so a stored session's frame review
opens without running pose estimation again.

What the frame review draws from (``draw.FormAnnotator``, the page's tables): the
cleaned image landmarks ``xy_px`` [T, 33, 2] and the frame size they live in, the
per-frame metrics (angles, heights), the timestamps and which frames had a pose. The
world landmarks ``world_m`` [T, 33, 3] and visibilities are kept too, so the stages after
pose (scale, jumps, rules) could be run again on a stored session without the clip.

Format ``npz-v1``: ``numpy.savez_compressed`` (zip + deflate, no pickle) of ``t_s``
float64, ``pose_found`` bool, ``xy_px`` and ``world_m`` float32 (1e-4 px at 4000 px; the
landmarks themselves scatter by whole pixels), ``visibility`` float16, ``frame_size_px``,
``fps`` and one float64 array ``metric:<name>`` per metric (exactly as analysed: a reopened
session's frames.csv is the original's). Measured: 21-25 kB per second of 25-30 fps video,
50 kB/s at 60 fps (``python -m bench.store``, bench/RESULTS.md).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..types import PoseSeries
from .location import StoreError

if TYPE_CHECKING:
    from ..report import Report

FORMAT = "npz-v1"
_METRIC = "metric:"


@dataclass(frozen=True)
class PoseData:
    """What a stored session keeps per frame. ``metrics``: name -> [T] (NaN where unknown)."""

    t_s: np.ndarray
    pose_found: np.ndarray
    pose: PoseSeries
    metrics: dict[str, np.ndarray]

    def __post_init__(self) -> None:
        n = len(self.t_s)
        if self.pose_found.shape != (n,):
            raise ValueError(f"pose_found: expected shape [{n}], got {list(self.pose_found.shape)}")
        if len(self.pose) != n:
            raise ValueError(f"pose: expected {n} frames, got {len(self.pose)}")
        for k, v in self.metrics.items():
            if v.shape != (n,):
                raise ValueError(f"metric {k}: expected shape [{n}], got {list(v.shape)}")

    @property
    def n_frames(self) -> int:
        return len(self.t_s)

    @classmethod
    def from_report(cls, report: Report) -> PoseData:
        """The per-frame data of an analysed ``Report``."""
        return cls(
            np.asarray(report.t_s, float),
            np.asarray(report.pose_found, bool),
            report.pose,
            {k: np.asarray(v, float) for k, v in report.metrics.items()},
        )


def pack(data: PoseData) -> bytes:
    p = data.pose
    arrays: dict[str, np.ndarray] = {
        "t_s": np.asarray(data.t_s, np.float64),
        "pose_found": np.asarray(data.pose_found, bool),
        "xy_px": np.asarray(p.xy_px, np.float32),
        "world_m": np.asarray(p.world_m, np.float32),
        "visibility": np.asarray(p.visibility, np.float16),
        "pose_t_s": np.asarray(p.t_s, np.float64),
        "frame_size_px": np.asarray(p.frame_size_px, np.int64),
        "fps": np.asarray(p.fps, np.float64),
    }
    for name, values in data.metrics.items():
        arrays[_METRIC + name] = np.asarray(values, np.float64)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def frame_times(blob: bytes) -> np.ndarray:
    """Only the frame times ``t_s`` of a blob (the other arrays are not decompressed)."""
    try:
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            return np.asarray(z["t_s"], float)
    except (KeyError, ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:
        raise StoreError(f"the stored pose data is unreadable ({type(exc).__name__}: {exc})") from None


def unpack(blob: bytes) -> PoseData:
    try:
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            a = {k: z[k] for k in z.files}
        fs = a["frame_size_px"]
        pose = PoseSeries(
            a["pose_t_s"],
            a["xy_px"].astype(float),
            a["world_m"].astype(float),
            a["visibility"].astype(float),
            (int(fs[0]), int(fs[1])),
            float(a["fps"]),
        )
        metrics = {k[len(_METRIC) :]: v.astype(float) for k, v in a.items() if k.startswith(_METRIC)}
        return PoseData(a["t_s"], a["pose_found"].astype(bool), pose, metrics)
    except (KeyError, ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:
        raise StoreError(
            f"the stored pose data is unreadable ({type(exc).__name__}: {exc}); "
            "analyse the clip again to review its frames"
        ) from None
