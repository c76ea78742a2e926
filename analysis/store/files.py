"""The store's files folder: kept clips, never orphaned and never referenced without existing.

Layout: ``<files dir>/clips/<session uid><suffix>``. A kept clip is written in three steps
around the database transaction that references it:

1. copied to ``clips/<uid><suffix>.part`` (flushed to disk), locked with ``flock`` by the
   writing process, and renamed to its final name (still locked);
2. the transaction inserting the session and its ``session_files`` row commits;
3. the lock is released.

If anything fails before the commit, the file is deleted (unless the commit's outcome is
unknown, e.g. a lost connection during COMMIT: then the file is left for the sweep below,
which keeps it if the row made it). So a committed row's file always exists. A process
killed between steps 1 and 2 leaves an unreferenced, unlocked file: :meth:`FileArea.sweep`
(run whenever a store is opened) deletes every file in ``clips/`` that no row references
and no live writer holds locked (a killed process's locks are released by the kernel).
Deleting a session commits first and removes its files after; a crash in between leaves
an orphan for the same sweep. Without ``fcntl`` (Windows) the sweep only deletes files
older than ``UNLOCKED_SWEEP_AGE_S``, far longer than any write takes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

CLIPS = "clips"
PART = ".part"
#: Without file locks, an unreferenced file younger than this may belong to a write in
#: progress; a session is written in seconds, so a day leaves a wide margin.
UNLOCKED_SWEEP_AGE_S = 24 * 3600.0
_CHUNK = 1 << 20
_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,8}$")


def safe_suffix(name: str) -> str:
    """The clip's extension if it is a plain one (``.mp4``), else ``.bin``."""
    s = Path(name).suffix.lower()
    return s if _SUFFIX.match(s) else ".bin"


def sha256_of(source: str | os.PathLike | bytes) -> tuple[str, int]:
    """(sha256 hex, size in bytes) of a file or of bytes, read in 1 MiB chunks."""
    h = hashlib.sha256()
    if isinstance(source, (bytes, bytearray, memoryview)):
        h.update(source)
        return h.hexdigest(), len(source)
    size = 0
    with open(source, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


@dataclass
class StagedFile:
    """A file placed under its final name and locked until the transaction's outcome is known."""

    relpath: str
    path: Path
    size_bytes: int
    sha256: str
    _handle: BinaryIO | None

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing drops the lock
            self._handle = None


class FileArea:
    def __init__(self, root: Path | None) -> None:
        self.root = root

    def path(self, relpath: str) -> Path:
        if self.root is None:
            raise ValueError("this store has no files folder")
        p = (self.root / relpath).resolve()
        if self.root.resolve() not in p.parents:
            raise ValueError(f"kept file path {relpath!r} is outside the store's files folder")
        return p

    @contextlib.contextmanager
    def stage(
        self, source: str | os.PathLike | bytes, uid: str, suffix: str, committed: Callable[[], bool | None]
    ) -> Iterator[StagedFile]:
        """Place ``source`` as ``clips/<uid><suffix>`` for the duration of the block (the
        block commits the transaction referencing it). On an exception the file is deleted
        when ``committed()`` says the row is not there (True: kept; None: unknown, kept for
        the sweep)."""
        if self.root is None:
            raise ValueError("keeping a clip needs a files folder (an in-memory store has none)")
        folder = self.root / CLIPS
        folder.mkdir(parents=True, exist_ok=True)
        relpath = f"{CLIPS}/{uid}{suffix}"
        final = folder / f"{uid}{suffix}"
        part = folder / f"{uid}{suffix}{PART}"
        handle = open(part, "xb")
        try:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            h = hashlib.sha256()
            size = 0
            if isinstance(source, (bytes, bytearray, memoryview)):
                handle.write(source)
                h.update(source)
                size = len(source)
            else:
                with open(source, "rb") as src:
                    while chunk := src.read(_CHUNK):
                        handle.write(chunk)
                        h.update(chunk)
                        size += len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
            os.replace(part, final)
            _fsync_dir(folder)
        except BaseException:
            handle.close()
            part.unlink(missing_ok=True)
            raise
        staged = StagedFile(relpath, final, size, h.hexdigest(), handle)
        try:
            yield staged
        except BaseException:
            try:
                outcome = committed()
            except Exception:  # noqa: BLE001 - cannot tell: leave it to the sweep
                outcome = None
            if outcome is False:
                final.unlink(missing_ok=True)
            raise
        finally:
            staged.release()

    def remove(self, relpaths: Iterable[str]) -> int:
        """Delete kept files (after their rows were deleted); returns how many were removed."""
        n = 0
        for rel in relpaths:
            try:
                self.path(rel).unlink()
                n += 1
            except FileNotFoundError:
                pass
        return n

    def sweep(self, referenced: Callable[[list[str]], set[str]]) -> list[str]:
        """Delete unreferenced files in ``clips/`` that no live writer holds; returns them.

        ``referenced(relpaths)`` answers which of the given paths a row references."""
        folder = self.root / CLIPS if self.root is not None else None
        if folder is None or not folder.is_dir():
            return []
        names = sorted(p.name for p in folder.iterdir() if p.is_file())
        if not names:
            return []
        keep = referenced([f"{CLIPS}/{n}" for n in names if not n.endswith(PART)])
        removed = []
        for n in names:
            rel = f"{CLIPS}/{n}"
            if rel in keep or _in_use(folder / n):
                continue
            with contextlib.suppress(FileNotFoundError):
                (folder / n).unlink()
                removed.append(rel)
        return removed


def _in_use(path: Path) -> bool:
    """Whether a live process holds the file's write lock (or, without locks, it is recent)."""
    if fcntl is None:  # pragma: no cover - Windows
        try:
            return time.time() - path.stat().st_mtime < UNLOCKED_SWEEP_AGE_S
        except FileNotFoundError:
            return False
    try:
        with open(path, "rb") as f:
            try:
                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)
            return False
    except FileNotFoundError:
        return False


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)
