"""The batch command writing into a store: ``python -m analysis batch DIR --store [URL]``.

Each analysed clip becomes a session of its jumper, chosen per clip, first match wins:

1. ``--jumpers MAP.csv``: a CSV with a header and columns ``clip`` and ``jumper``
   (optional ``date``, YYYY-MM-DD or YYYY-MM-DDTHH:MM, the day it was filmed). ``clip`` is
   the file name (``alice_week3.mp4``) or a path (absolute, or relative to the CSV's folder);
2. ``--jumper-from-folder``: the name of the folder holding the clip, when it is a
   sub-folder of a folder given on the command line (``class/alice/a.mp4`` -> ``alice``);
3. ``--jumper NAME`` (default ``me``).

A clip already in the store for the same jumper with the same content (sha256) and options
is not analysed again (re-running a batch adds nothing twice). The pose series comes back
from the worker with the report, so stored sessions open in the frame review; with
``--keep-clips`` the clips are copied into the store's files folder too. Only the driver
process writes to the store.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .files import sha256_of
from .location import StoreError
from .store import DEFAULT_JUMPER, Store, as_datetime, clean_name


@dataclass(frozen=True)
class Assignment:
    jumper: str
    recorded_at: datetime | None = None


def read_jumper_map(path: str | os.PathLike) -> dict[str, Assignment]:
    """``clip`` (file name, or resolved path) -> jumper and date, from a CSV file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise StoreError(f"--jumpers: could not read {p}: {exc.strerror or exc}") from None
    rows = list(csv.DictReader(text.splitlines()))
    header = {h.strip().lower() for h in (csv.DictReader(text.splitlines()).fieldnames or [])}
    if not {"clip", "jumper"} <= header:
        raise StoreError(
            f"--jumpers: expected a CSV header with 'clip' and 'jumper' (and optionally 'date'), "
            f"got {', '.join(sorted(header)) or 'none'}"
        )
    out: dict[str, Assignment] = {}
    for n, row in enumerate(rows, start=2):
        r = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if not r.get("clip"):
            continue
        try:
            a = Assignment(clean_name(r.get("jumper") or None), as_datetime(r.get("date") or None))
        except StoreError as exc:
            raise StoreError(f"--jumpers {p.name}, line {n}: {exc}") from None
        clip = r["clip"]
        key = clip if ("/" not in clip and "\\" not in clip) else str((p.parent / clip).resolve())
        out[key] = a
    return out


@dataclass
class StoreSink:
    """Where a batch's results go in the store, and who each clip belongs to."""

    store: Store
    jumper: str = DEFAULT_JUMPER
    mapping: dict[str, Assignment] = field(default_factory=dict)
    from_folder: bool = False
    input_dirs: list[Path] = field(default_factory=list)
    keep_clips: bool = False
    recorded_at: datetime | None = None
    _digests: dict[Path, str] = field(default_factory=dict)

    def assignment(self, clip: Path) -> Assignment:
        clip = Path(clip)
        hit = self.mapping.get(str(clip.resolve())) or self.mapping.get(clip.name)
        if hit is not None:
            return hit
        if self.from_folder:
            parent = clip.resolve().parent
            if any(parent != d and d in parent.parents for d in self.input_dirs):
                return Assignment(clean_name(parent.name), self.recorded_at)
        return Assignment(clean_name(self.jumper), self.recorded_at)

    def digest(self, clip: Path) -> str:
        if clip not in self._digests:
            self._digests[clip] = sha256_of(clip)[0]
        return self._digests[clip]

    def existing(self, clip: Path, options: dict[str, Any]) -> dict[str, Any] | None:
        """The stored report of this clip for its jumper with these options, if any."""
        try:
            digest = self.digest(clip)
        except OSError:
            return None  # unreadable: the analysis reports why
        info = self.store.find_session(self.assignment(clip).jumper, digest, options)
        return self.store.session(info.id).corrected if info is not None else None

    def save(self, clip: Path, report: dict[str, Any], pose_npz: bytes | None) -> int:
        a = self.assignment(clip)
        return self.store.save_session(
            report,
            jumper=a.jumper,
            recorded_at=a.recorded_at,
            clip=clip,
            clip_name=clip.name,
            keep_clip=self.keep_clips,
            pose=pose_npz,
        )

    def unmatched(self, clips: list[Path]) -> list[str]:
        """Entries of the jumper map that matched no clip (probably a typo)."""
        names = {c.name for c in clips} | {str(c.resolve()) for c in clips}
        return sorted(k for k in self.mapping if k not in names)
