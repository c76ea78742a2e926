"""librosa, imported by one process at a time.

librosa compiles its Numba kernels as its modules are imported (each kernel lists its
signatures, so Numba compiles it at once) and keeps them in a cache on disk
(``cache=True``). A ``guvectorize`` kernel is cached as two files written one after the
other; when two processes compile the same kernels at the same time, the cache can end up
with the two halves from different processes (Numba issue 10128, open at numba 0.68). From
then on every process that loads that cache dies with a segmentation fault the first time
it picks onsets, with no Python error to catch, until the cache is deleted.

The analysis imports librosa in several processes at once: the pose stage's helper
processes, a batch's workers, Ray workers on one machine, a page serving two uploads. The
first compile takes 10-30 s on a fresh install (2-core machine), which leaves a wide
window. So the first import of librosa in each process holds an exclusive lock on one file
in the tool's cache folder (:func:`lock_path`; the system's temporary folder where that
cannot be made): the first process compiles and writes the cache, the others wait and then
load what it wrote (about 2 s). Later imports in the same process take no lock.

librosa's own cache folder (``__pycache__`` inside the installed package) may already hold
such a broken cache, written before this lock or by another program importing librosa
unlocked, and it is not writable on a read-only install. So, unless the user chose a
folder (``NUMBA_CACHE_DIR``), Numba's cache is pointed at the user's cache folder for this
tool (:func:`kernel_cache_dir`), which only imports under the lock write. The first
analysis after installing compiles the kernels there once.

The lock is POSIX ``flock``: released by the system when its holder exits or crashes, so a
dead holder never blocks the others. Where it cannot be taken (no ``fcntl``, the file not
writable) the import goes ahead unlocked, as before; a holder that keeps it longer than
:data:`LOCK_WAIT_S` is waited for no longer.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

#: The lock file, shared by every process of the user that imports librosa through here.
LOCK_NAME = "jumprope-librosa-import.lock"
#: Longest wait for another process's import (s): a cold compile of librosa's kernels took
#: 27 s on the 2-core development machine with both cores busy; four times that.
LOCK_WAIT_S = 120.0
#: The librosa modules the audio steps reach, with every module among them that compiles
#: kernels (``cache=True``): imported under the lock. librosa loads its submodules lazily,
#: on first use, so they are named here rather than left to the first call.
KERNEL_MODULES = (
    "librosa.util.utils",
    "librosa.core.audio",
    "librosa.core.spectrum",
    "librosa.core.pitch",
    "librosa.core.constantq",
    "librosa.core.notation",
    "librosa.sequence",
    "librosa.filters",
    "librosa.feature.spectral",
    "librosa.onset",
)
#: How often a waiting process tries the lock again (s).
LOCK_POLL_S = 0.05

_module: ModuleType | None = None  # librosa, once imported under the lock
_thread_lock = threading.Lock()


def lock_path() -> Path:
    """The lock file: beside the kernels in the tool's cache folder (it lasts as they do),
    or in the system's temporary folder where that folder cannot be made."""
    folder = _own_cache_folder()
    return (folder if folder is not None else Path(tempfile.gettempdir())) / LOCK_NAME


@contextmanager
def import_lock(path: Path | None = None, wait_s: float = LOCK_WAIT_S) -> Iterator[bool]:
    """Hold the import lock (yields whether it is held; see the module docstring for when it
    is not)."""
    try:
        import fcntl  # noqa: PLC0415 - POSIX only
    except ImportError:  # pragma: no cover - Windows: no flock
        yield False
        return
    try:
        fd = os.open(str(path or lock_path()), os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:  # another user's file, a read-only temporary folder
        yield False
        return
    try:
        deadline = time.monotonic() + wait_s
        held = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held = True
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    break
                time.sleep(LOCK_POLL_S)
            except OSError:  # a file system without locks
                break
        try:
            yield held
        finally:
            if held:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def kernel_cache_dir() -> Path:
    """Where librosa's compiled kernels are kept unless ``NUMBA_CACHE_DIR`` says otherwise: the
    user's cache folder for this tool (``$XDG_CACHE_HOME/jumprope-form/numba`` on Linux)."""
    import platformdirs  # noqa: PLC0415 - only when librosa is first imported

    return platformdirs.user_cache_path("jumprope-form", appauthor=False) / "numba"


def _own_cache_folder() -> Path | None:
    """:func:`kernel_cache_dir`, made if missing; None where it cannot be made."""
    try:
        folder = kernel_cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def _use_own_kernel_cache() -> None:
    """Point Numba's cache at :func:`kernel_cache_dir` before librosa's kernels are made (see
    the module docstring). Left alone when the user set ``NUMBA_CACHE_DIR``, or when Numba
    is already imported (its configuration is then read; another part of the program chose
    its cache), or when the folder cannot be made."""
    if "NUMBA_CACHE_DIR" in os.environ or "numba" in sys.modules:
        return
    folder = _own_cache_folder()
    if folder is not None:
        os.environ["NUMBA_CACHE_DIR"] = str(folder)


def librosa_module() -> ModuleType:
    """librosa, with every module the analysis uses imported (and its kernels compiled or
    loaded) under the import lock on the first call in this process."""
    global _module
    if _module is None:
        with _thread_lock:
            if _module is None:
                _use_own_kernel_cache()
                with import_lock():
                    # librosa loads its submodules lazily: import the ones the audio steps
                    # reach (and what they import) here, under the lock, not at first use.
                    # (tests/analysis/audio/test_librosa_import.py checks that the audio
                    # steps import no module with compiled kernels after this).
                    import librosa  # noqa: PLC0415 - ~2 s: only when a soundtrack is analysed

                    for name in KERNEL_MODULES:
                        importlib.import_module(name)
                _module = librosa
    return _module
