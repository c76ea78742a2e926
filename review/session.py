"""The clip one run of the page analyses, and the page's own runtime helpers (no Streamlit).

An upload goes to disk only when the analysis needs a path (a cache hit never writes
it), inside a :class:`~analysis.io.workspace.SessionWorkspace` (safe name, size limit,
private folder) that :meth:`ClipSource.cleanup` removes once the clip is analysed.
:data:`JOBS` runs work the page does not wait for (the review video) in the background.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

from analysis.config import MAX_UPLOAD_MB
from analysis.io.safepath import safe_stem
from analysis.io.workspace import VIDEO_EXTENSIONS, SessionWorkspace


class ClipSource:
    """A sample clip on disk (``sample``) or an upload's bytes (``data``, stored on first
    use of :attr:`path`), plus a scratch folder for the page's own files (the annotated
    video), all removed by :meth:`cleanup` or on leaving a ``with`` block."""

    def __init__(
        self,
        name: str,
        data: bytes | None = None,
        sample: str | os.PathLike | None = None,
        tag: str = "",
        max_mb: float = MAX_UPLOAD_MB,
    ) -> None:
        if (data is None) == (sample is None):
            raise ValueError("ClipSource: expected either upload data or a sample path")
        self.name = name
        self._data = data
        self._sample = Path(sample) if sample is not None else None
        self._tag = tag
        self._max_mb = max_mb
        self._workspace: SessionWorkspace | None = None
        self._stored: Path | None = None

    @property
    def safe_name(self) -> str:
        """The clip's file name as the analysis names it (a sample's own; an upload's safe
        name, as stored): a clip analysed before under another name is named this way."""
        if self._sample is not None:
            return self._sample.name
        suffix = Path(self.name).suffix.lower()
        return safe_stem(self.name) + (suffix if suffix in VIDEO_EXTENSIONS else ".video")

    @property
    def content(self) -> bytes | Path:
        """The clip itself: an upload's bytes or a sample's path (e.g. to keep a copy)."""
        if self._sample is not None:
            return self._sample
        assert self._data is not None
        return self._data

    @property
    def size_bytes(self) -> int:
        return self._sample.stat().st_size if self._sample is not None else len(self._data or b"")

    @property
    def workspace(self) -> SessionWorkspace:
        """The private folder of this run, made on first use."""
        if self._workspace is None or self._workspace.closed:
            self._workspace = SessionWorkspace(max_mb=self._max_mb, tag=self._tag)
            self._stored = None
        return self._workspace

    @property
    def path(self) -> Path:
        """Where the clip is on disk (an upload is stored now if it was not yet)."""
        if self._sample is not None:
            return self._sample
        if self._stored is None:
            assert self._data is not None
            self._stored = self.workspace.save_upload(self.name, self._data)
        return self._stored

    def scratch_path(self, filename: str) -> Path:
        """A path for a file the page writes (the annotated video), in a fresh folder of
        the workspace."""
        return self.workspace.output_dir(self.name) / Path(filename).name

    def detached(self) -> ClipSource:
        """The same clip with a workspace of its own (for a background job that outlives
        this run's :meth:`cleanup`)."""
        if self._sample is not None:
            return ClipSource(self.name, sample=self._sample, tag=self._tag, max_mb=self._max_mb)
        return ClipSource(self.name, data=self._data, tag=self._tag, max_mb=self._max_mb)

    def cleanup(self) -> None:
        if self._workspace is not None:
            self._workspace.close()
        self._workspace, self._stored = None, None

    def __enter__(self) -> ClipSource:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.cleanup()


def lower_thread_priority(niceness: int = 10) -> bool:
    """Lower the scheduling priority of the calling thread only (Linux: a thread is a
    task with its own nice value; threads it starts inherit it). Used while the page
    draws the annotated video, so the server and a browser on the same machine keep
    their share of the CPU. Returns False where the platform does not support it."""
    if not hasattr(os, "setpriority") or not sys.platform.startswith("linux"):
        return False
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + niceness))
        return True
    except OSError:
        return False


class Jobs:
    """Background work of the page by key, one job per key, shared by every session of
    the server process: a result is fetched with :meth:`take` once done. Jobs run one at
    a time (``max_workers``), so a busy server does not start many encoders at once."""

    def __init__(self, max_workers: int = 1) -> None:
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="page-job")
        self._jobs: dict[Hashable, Future[Any]] = {}
        self._lock = threading.Lock()

    def submit(self, key: Hashable, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """Start ``fn(*args)`` under ``key`` unless a job with that key exists (then that one)."""
        with self._lock:
            job = self._jobs.get(key)
            if job is None:
                job = self._pool.submit(fn, *args)
                self._jobs[key] = job
            return job

    def running(self, key: Hashable) -> bool:
        with self._lock:
            job = self._jobs.get(key)
        return job is not None and not job.done()

    def take(self, key: Hashable) -> tuple[bool, Any]:
        """(True, result) of a finished job, which is forgotten; (False, None) while it runs
        or when there is none. A job's exception is raised here."""
        with self._lock:
            job = self._jobs.get(key)
            if job is None or not job.done():
                return False, None
            del self._jobs[key]
        return True, job.result()


#: The page's background jobs (one server process, every session).
JOBS = Jobs()
