"""Helpers of the page tests: where the real clips are, and how to treat their absence."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_VIDEOS = REPO.parent / "shared" / "videos"
SIDE_CLIP = SHARED_VIDEOS / "side_girl_basic_bounce_studio_portrait_crop_25fps.mp4"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def need(path: Path, what: str) -> Path:
    """Return ``path`` if it exists; otherwise fail in CI (it must be there) or skip."""
    if path.exists():
        return path
    msg = f"{what} not found at {path}"
    if in_ci():
        pytest.fail(f"{msg} (CI=true: the shared clips must be beside the repository)")
    pytest.skip(msg)
    return path


@pytest.fixture
def side_clip() -> Path:
    return need(SIDE_CLIP, "real clip")


@contextmanager
def streamlit_server(log_path: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """``streamlit run app.py`` on a free localhost port; yields its URL and always stops it.
    Its history store is a SQLite file beside the log unless ``extra_env`` names one."""
    port = _free_port()
    store = f"sqlite:///{log_path.parent / 'history.sqlite3'}"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "JUMPROPE_DB_URL": store, **(extra_env or {})}
    exe = Path(sys.executable).with_name("streamlit")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "streamlit"]
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [*cmd, "run", "app.py", "--server.headless", "true", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            _wait_http(port, proc)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(port: int, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    import urllib.request  # noqa: PLC0415

    t0 = time.time()
    while time.time() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("streamlit did not answer its health check")
