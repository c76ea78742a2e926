"""Where pose helpers come from: a fork server that has imported the pose code once.

A light module (the standard library only), so that the command line can start the server
before it imports anything heavy itself (:func:`start_early`). The server's own start is a
fresh interpreter importing MediaPipe, about 1.2-1.6 s here; started when the pose stage
begins, it made the helper start that much after this process, and the clip's two halves end
that much apart. Started at the command line's start, it imports while this process imports
its own modules and reads the clip's header (about a second), each on its own core.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from multiprocessing import forkserver

#: What the fork server imports once for the life of the program; each helper is then forked
#: from it in milliseconds.
PRELOAD = ("analysis.pose.parallel", "mediapipe")


def context(method: str | None = None):
    """``forkserver`` with the pose code preloaded, ``spawn`` where there is no forkserver.
    Never a plain ``fork`` of this process: MediaPipe's native state does not survive it
    (measured here: heap corruption in the child)."""
    if method:
        return mp.get_context(method)
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(list(PRELOAD))
        return ctx
    return mp.get_context("spawn")


def start_early() -> bool:
    """Start the fork server now, on a thread, where helpers may be used (a forkserver and two
    cores or more); whether it was started. Its imports then run beside this process's. If no
    helper is used after all (a short clip, busy cores), the idle server costs its imports on
    the other core and ends with this process."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    if cores < 2 or "forkserver" not in mp.get_all_start_methods():
        return False
    context()  # the preload list, before the server starts
    threading.Thread(target=forkserver.ensure_running, name="pose-forkserver-start", daemon=True).start()
    return True


def server_cpu_s() -> float:
    """CPU seconds the fork server has used so far (its own, not its helpers'); 0 where none
    runs or where ``/proc`` cannot tell. The server is this program's own: a meter of the load
    that other programs put on the machine must not count it (``parallel.CpuMeter``), or the
    server's imports would read as a busy core and keep the clip in one process."""
    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)  # the standard library's record
    if not pid:
        return 0.0
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()  # after the command name: state, ppid, ...
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    except (OSError, ValueError, IndexError):
        return 0.0
