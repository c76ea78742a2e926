"""librosa imported one process at a time (analysis/audio/librosa_import.py).

Two processes compiling librosa's Numba kernels at once can leave a cache that crashes every
later process (Numba issue 10128): these tests check the lock that prevents it, that the
audio steps import no kernel-compiling module outside it, and, on a fresh cache, that
processes importing at once leave a cache that works."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.audio.librosa_import import KERNEL_MODULES, LOCK_NAME, import_lock

REPO = Path(__file__).resolve().parents[3]

#: A soundtrack of thumps, run through every audio step that uses librosa.
_AUDIO_STEPS = (
    "import numpy as np\n"
    "from analysis.audio.onsets import impacts_of_samples\n"
    "y = np.random.default_rng(0).normal(0, 0.01, 22050 * 3).astype(np.float32)\n"
    "for k in range(0, y.size - 2000, 8000):\n"
    "    y[k:k + 300] += 0.5\n"
    "r = impacts_of_samples(y, 22050)\n"
    "assert r.usable and len(r) >= 6, (r.reason, len(r))\n"
)


def _run(code: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=timeout, env=env
    )


def test_the_audio_steps_import_no_kernel_module_outside_the_lock():
    code = (
        "import sys\n"
        "from analysis.audio.librosa_import import librosa_module\n"
        "librosa_module()\n"
        "before = {m for m in sys.modules if m.startswith('librosa')}\n"
        + _AUDIO_STEPS
        + "new = sorted(m for m in sys.modules if m.startswith('librosa') and m not in before)\n"
        "print('\\n'.join(new))\n"
    )
    r = _run(code)
    assert r.returncode == 0, r.stderr[-1500:]
    new = [m for m in r.stdout.split() if m]
    site = Path(__import__("librosa").__file__).parent
    compiled = []
    for m in new:
        rel = Path(*m.split(".")[1:])
        src = site / rel.with_suffix(".py") if (site / rel.with_suffix(".py")).exists() else site / rel / "__init__.py"
        if src.exists() and "cache=True" in src.read_text():
            compiled.append(m)
    assert not compiled, f"imported after the locked import, with Numba kernels: {compiled}; add them to KERNEL_MODULES"
    assert set(KERNEL_MODULES) >= {"librosa.util.utils", "librosa.onset"}


def test_the_lock_keeps_a_second_process_waiting_and_gives_up_after_its_wait(tmp_path):
    path = tmp_path / "lock"
    child = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from analysis.audio.librosa_import import import_lock\n"
        "t = time.monotonic()\n"
        f"with import_lock(Path({str(path)!r}), wait_s=float(sys.argv[1])) as held:\n"
        "    print(held, round(time.monotonic() - t, 2))\n"
    )
    with import_lock(path) as held:
        assert held
        r = subprocess.run([sys.executable, "-c", child, "0.5"], cwd=REPO, capture_output=True, text=True, timeout=60)
        held_child, waited = r.stdout.split()
        assert held_child == "False" and float(waited) >= 0.5  # waited its whole wait, then went on
    r = subprocess.run([sys.executable, "-c", child, "5"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert r.stdout.split()[0] == "True"  # free once the holder let go


def test_the_lock_is_released_when_its_holder_dies(tmp_path):
    path = tmp_path / "lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time\nfrom pathlib import Path\nfrom analysis.audio.librosa_import import import_lock\n"
            f"with import_lock(Path({str(path)!r})):\n    print('held', flush=True)\n    time.sleep(60)\n",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        holder.kill()
        holder.wait(timeout=30)
        t = time.monotonic()
        with import_lock(path, wait_s=10) as held:
            assert held and time.monotonic() - t < 5
    finally:
        holder.kill()


def test_a_lock_file_that_cannot_be_opened_does_not_stop_the_import(tmp_path):
    with import_lock(tmp_path / "missing-folder" / "lock") as held:
        assert held is False


@pytest.mark.slow
def test_processes_importing_librosa_at_once_leave_a_cache_that_works(tmp_path):
    """Three processes import librosa at once on an empty Numba cache (a fresh install's first
    batch), then a fourth runs the audio steps from that cache: it must not crash. Without
    the lock the crash is a matter of timing (it happened on the development machine with
    two batch workers and a third process, and not in two tries of this test), so the lock
    itself is tested by the tests above; this one checks that the whole path holds."""
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "numba-cache"))
    importer = "from analysis.audio.librosa_import import librosa_module\nlibrosa_module()\n"
    procs = [
        subprocess.Popen([sys.executable, "-c", importer], cwd=REPO, env=env, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-1500:]
    r = _run(_AUDIO_STEPS, env=env, timeout=600)
    assert r.returncode == 0, (
        f"the audio steps ended with exit code {r.returncode} (-11: a segmentation fault, the "
        f"cache left by the concurrent imports is broken): {r.stderr[-1500:]}"
    )


@pytest.mark.slow
def test_kernels_are_cached_in_the_tools_own_folder_unless_the_user_chose_one(tmp_path):
    """librosa's own cache folder may hold a cache broken before the lock existed: the kernels
    go to the user's cache folder for this tool instead, where only locked imports write."""
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    env["TMPDIR"] = str(tmp_path / "tmp")  # nothing may be left there (a page's sessions check it)
    (tmp_path / "tmp").mkdir()
    code = (
        "from analysis.audio.librosa_import import librosa_module, kernel_cache_dir\n"
        "librosa_module()\n"
        "import numba\n"
        "print(numba.config.CACHE_DIR)\n"
        "print(kernel_cache_dir())\n"
    )
    r = _run(code, env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-1500:]
    used, own = r.stdout.split()
    assert used == own == str(tmp_path / "cache" / "jumprope-form" / "numba")
    assert list(Path(own).rglob("*.nbi")), "no kernel was cached in the tool's folder"
    assert (Path(own) / LOCK_NAME).is_file() and not list((tmp_path / "tmp").iterdir())
    env["NUMBA_CACHE_DIR"] = str(tmp_path / "chosen")
    r = _run(
        "from analysis.audio.librosa_import import librosa_module\nlibrosa_module()\nimport numba\n"
        "print(numba.config.CACHE_DIR)\n",
        env=env,
        timeout=600,
    )
    assert r.returncode == 0 and r.stdout.strip() == str(tmp_path / "chosen"), r.stderr[-1500:]
