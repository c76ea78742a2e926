"""A per-session temporary workspace for uploaded clips and their results (no Streamlit here).

The review page opens a :class:`SessionWorkspace` when a clip must go to disk (``review/
session.py``) and closes it once the clip is analysed. It owns a private folder
``<tempdir>/jumprope-[tag-]<random>`` (mode 0700) where uploads are stored under safe names
(:func:`analysis.io.safepath.safe_stem`), with a size limit enforced while the bytes are
copied; the folder and everything in it is removed on :meth:`SessionWorkspace.close`, on
leaving a ``with`` block, when the object is garbage-collected, or at interpreter exit.
Nothing is ever written outside it.

Typical use (see the README of the page for the Streamlit side)::

    ws = SessionWorkspace()                              # limit: config.MAX_UPLOAD_MB
    clip = ws.save_upload(uploaded.name, uploaded)       # file-like or bytes
    report = analyze_video(clip, config)
    report.write(ws.output_dir(uploaded.name))
    ws.remove(clip)                                      # once the clip is no longer shown
    ws.close()                                           # or let the session end
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import time
import weakref
from pathlib import Path
from typing import BinaryIO

from ..config import MAX_UPLOAD_MB
from ..types import AnalysisError
from .safepath import safe_output_dir, safe_stem

#: Extensions kept on stored uploads (FFmpeg probes the content; the extension only helps people).
VIDEO_EXTENSIONS = (".mp4", ".mov", ".m4v", ".avi", ".webm", ".mkv", ".3gp", ".mpg", ".mpeg", ".gif")
PREFIX = "jumprope-"
_CHUNK = 1 << 20


class UploadError(AnalysisError):
    """An upload cannot be stored (too large, empty, or the workspace is closed)."""


def _rmtree(path: str) -> None:
    shutil.rmtree(path, ignore_errors=True)


class SessionWorkspace:
    """A private temporary folder for one user session; removed on close/exit/GC."""

    def __init__(self, max_mb: float = MAX_UPLOAD_MB, base: str | os.PathLike | None = None, tag: str = ""):
        """``max_mb``: the upload limit (``config.MAX_UPLOAD_MB`` by default); ``base``: where
        the folder is made (the system's temporary folder by default); ``tag``: a few
        characters in the folder's name (e.g. the browser session), made safe."""
        if not max_mb > 0:
            raise ValueError(f"max_mb: expected a positive size, got {max_mb!r}")
        self.max_bytes = int(max_mb * 1024 * 1024)
        root = Path(base) if base is not None else Path(tempfile.gettempdir())
        label = safe_stem(tag)[:16] + "-" if tag else ""
        self.path = Path(tempfile.mkdtemp(prefix=PREFIX + label + secrets.token_hex(4) + "-", dir=root))
        self._finalizer = weakref.finalize(self, _rmtree, str(self.path))

    # -- life cycle ------------------------------------------------------------------
    @property
    def closed(self) -> bool:
        return not self._finalizer.alive

    def close(self) -> None:
        """Remove the folder and everything in it (idempotent)."""
        self._finalizer()

    def __enter__(self) -> SessionWorkspace:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SessionWorkspace({str(self.path)!r}{', closed' if self.closed else ''})"

    def _check_open(self) -> None:
        if self.closed:
            raise UploadError("the session's workspace was closed; upload the clip again")

    # -- files -----------------------------------------------------------------------
    def _unique(self, stem: str, suffix: str) -> Path:
        p = self.path / f"{stem}{suffix}"
        k = 1
        while p.exists():
            p = self.path / f"{stem}-{k}{suffix}"
            k += 1
        return p

    def save_upload(
        self, name: str | None, data: bytes | bytearray | memoryview | BinaryIO, size: int | None = None
    ) -> Path:
        """Store an upload under a safe name inside the workspace and return its path.

        ``data`` is bytes or a binary file-like object (Streamlit's ``UploadedFile``);
        ``size`` (or ``data.size``) lets an oversized upload be refused before any byte is
        copied; otherwise the copy stops as soon as it passes the limit.

        Raises:
            UploadError: too large (the message gives the limit), empty, or workspace closed.
        """
        self._check_open()
        display = safe_stem(name) if name else "upload"
        suffix = Path(str(name or "")).suffix.lower()
        suffix = suffix if suffix in VIDEO_EXTENSIONS else ".video"
        limit_mb = self.max_bytes / (1024 * 1024)
        declared = size if size is not None else getattr(data, "size", None)
        if isinstance(data, (bytes, bytearray, memoryview)):
            declared = len(data)
        if isinstance(declared, int) and declared > self.max_bytes:
            raise UploadError(
                f"{display}: the file is {declared / (1024 * 1024):.0f} MB; the limit is {limit_mb:.0f} MB. "
                "Trim the clip or export it at a lower resolution and upload it again."
            )
        dest = self._unique(safe_stem(name), suffix)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(dest, flags, 0o600)
        written = 0
        try:
            with os.fdopen(fd, "wb") as out:
                if isinstance(data, (bytes, bytearray, memoryview)):
                    out.write(data)
                    written = len(data)
                else:
                    if hasattr(data, "seek"):
                        try:
                            data.seek(0)
                        except (OSError, ValueError):
                            pass
                    while True:
                        chunk = data.read(_CHUNK)
                        if not chunk:
                            break
                        written += len(chunk)
                        if written > self.max_bytes:
                            raise UploadError(
                                f"{display}: the file is larger than the {limit_mb:.0f} MB limit. "
                                "Trim the clip or export it at a lower resolution and upload it again."
                            )
                        out.write(chunk)
        except BaseException:
            dest.unlink(missing_ok=True)
            raise
        if written == 0:
            dest.unlink(missing_ok=True)
            raise UploadError(f"{display}: the uploaded file is empty (0 bytes). Upload the clip again.")
        return dest

    def output_dir(self, name: str | None) -> Path:
        """A fresh folder for one analysis' outputs (report.json, CSVs, annotated video)."""
        self._check_open()
        base = self.path / "out"
        base.mkdir(exist_ok=True, mode=0o700)
        out = safe_output_dir(base, name)
        k, cand = 1, out
        while cand.exists():
            cand = out.with_name(f"{out.name}-{k}")
            k += 1
        cand.mkdir(mode=0o700)
        return cand

    def remove(self, path: str | os.PathLike) -> None:
        """Delete one stored file or output folder early (only inside the workspace)."""
        p = Path(path).resolve()
        root = self.path.resolve()
        if root not in p.parents:
            raise ValueError(f"{path} is not inside this session's workspace")
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)

    def files(self) -> list[Path]:
        """Every file currently held (for tests and a 'storage used' note)."""
        return sorted(p for p in self.path.rglob("*") if p.is_file()) if not self.closed else []

    def used_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.files())


def sweep_stale_workspaces(max_age_s: float = 24 * 3600, base: str | os.PathLike | None = None) -> list[Path]:
    """Remove workspaces older than ``max_age_s`` left behind by a process that was killed
    (no finaliser ran). Only folders named ``jumprope-*`` owned by this user are touched.
    Call once at page start-up."""
    root = Path(base) if base is not None else Path(tempfile.gettempdir())
    now = time.time()
    removed = []
    uid = os.getuid() if hasattr(os, "getuid") else None
    for p in root.glob(PREFIX + "*"):
        try:
            st = p.lstat()
        except OSError:
            continue
        if not p.is_dir() or p.is_symlink() or (uid is not None and st.st_uid != uid):
            continue
        if now - st.st_mtime > max_age_s:
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    return removed


def describe_error(exc: BaseException, name: str | None = None) -> tuple[str, bool]:
    """(one sentence for the user, whether it is the input's fault) for an exception raised
    while storing or analysing an upload. ``AnalysisError``/``ValueError`` messages already
    say what was wrong and what to do; anything else is a bug, worded without internals
    (no traceback, no server paths)."""
    label = safe_stem(name) if name else "the clip"
    if isinstance(exc, (AnalysisError, ValueError)):
        return str(exc), True
    if isinstance(exc, MemoryError):
        return f"{label}: ran out of memory. Try a shorter or lower-resolution clip.", True
    return (
        f"{label}: the analysis failed unexpectedly ({type(exc).__name__}). This is a bug on our side, not a problem "
        "with your clip; please report it.",
        False,
    )
