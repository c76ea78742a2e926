"""A real multi-node Ray cluster on this machine, for the batch command's cluster tests.

Each node is a ``ray start --block`` process started in its own session (``setsid``), with
its own ports, temporary folder and one CPU. Everything a node starts (GCS, raylet,
agents, the worker processes that run tasks) stays in that session, so a node is stopped,
or killed to simulate a machine failure, by signalling the processes of its session, found
by session id (never by name, and never ``ray stop``, which would stop every Ray instance of
this user on the machine). :meth:`LocalRayCluster.close` does that for every node and is
safe to call more than once.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

RAY = str(Path(sys.executable).with_name("ray"))
#: Ray's own memory floor for the object store is 75 MiB; a little above it keeps nodes small.
OBJECT_STORE_BYTES = 80 * 1024 * 1024


def ray_env() -> dict[str, str]:
    """The environment of every process of the test cluster and of its drivers: no usage
    reporting, no token authentication (a local test cluster; the token file in ~/.ray is
    shared with any other Ray instance of this user), quiet MediaPipe."""
    env = dict(os.environ)
    env.update(
        RAY_USAGE_STATS_ENABLED="0",
        RAY_AUTH_MODE="disabled",
        GLOG_minloglevel="2",
        TF_CPP_MIN_LOG_LEVEL="2",
        PYTHONPATH=os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH")])),
    )
    return env


def _free_ports(n: int) -> list[int]:
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _worker_port_range(width: int = 24) -> tuple[int, int]:
    """A range of ports, all free now, for a node's task workers."""
    rng = random.Random()
    for _ in range(200):
        lo = rng.randrange(20000, 30000)
        try:
            socks = []
            for p in range(lo, lo + width):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", p))
            return lo, lo + width - 1
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free range of ports for Ray's workers")


def session_processes(sid: int) -> list[tuple[int, str]]:
    """(pid, command line) of every live process whose session id is ``sid``."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            state, session = fields[0], int(fields[3])
            if session != sid or state == "Z":
                continue
            with open(f"/proc/{d}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
            out.append((int(d), cmd))
        except (OSError, ValueError, IndexError):
            continue
    return out


@dataclass
class Node:
    name: str
    proc: subprocess.Popen
    log: Path

    @property
    def sid(self) -> int:
        return self.proc.pid  # started with start_new_session: its pid is the session id

    def processes(self) -> list[tuple[int, str]]:
        return session_processes(self.sid)

    def kill(self, sig: int = signal.SIGKILL, timeout_s: float = 10.0) -> None:
        """Signal every process of this node's session, by pid, until none is left (a killed
        process takes a moment to exit, longer on a busy machine, and one forked just before
        its parent was signalled is signalled on the next round), or ``timeout_s`` passed."""
        end = time.monotonic() + timeout_s
        while True:
            left = self.processes()
            if not left or time.monotonic() > end:
                break
            for pid, _ in left:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            time.sleep(0.1)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass


@dataclass
class LocalRayCluster:
    """A head node and any number of worker nodes, each a separate ``ray start`` process."""

    temp_root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="rt", dir="/tmp")))
    nodes: list[Node] = field(default_factory=list)
    gcs_port: int = 0

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.gcs_port}"

    def _start(self, name: str, args: list[str]) -> Node:
        p = _free_ports(8)
        lo, hi = _worker_port_range()
        tmp = self.temp_root / name
        tmp.mkdir(parents=True, exist_ok=True)
        log = self.temp_root / f"{name}.log"
        cmd = [
            RAY, "start", *args,
            "--num-cpus=1", "--num-gpus=0", f"--object-store-memory={OBJECT_STORE_BYTES}",
            "--disable-usage-stats", "--include-log-monitor=false", "--block",
            f"--temp-dir={tmp}",
            f"--node-manager-port={p[0]}", f"--object-manager-port={p[1]}",
            f"--min-worker-port={lo}", f"--max-worker-port={hi}",
            f"--dashboard-agent-listen-port={p[2]}", f"--dashboard-agent-grpc-port={p[3]}",
            f"--metrics-export-port={p[4]}", f"--runtime-env-agent-port={p[5]}",
        ]  # fmt: skip
        with log.open("w") as f:
            proc = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, start_new_session=True, env=ray_env())
        node = Node(name, proc, log)
        self.nodes.append(node)
        return node

    def start_head(self) -> Node:
        self.gcs_port = _free_ports(1)[0]
        client = _free_ports(1)[0]
        return self._start(
            "head",
            ["--head", f"--port={self.gcs_port}", "--node-ip-address=127.0.0.1", "--include-dashboard=false",
             f"--ray-client-server-port={client}"],
        )  # fmt: skip

    def add_worker(self, name: str) -> Node:
        return self._start(name, [f"--address={self.address}", "--node-ip-address=127.0.0.1"])

    def alive_nodes(self, timeout_s: float = 60.0) -> int:
        """Nodes the cluster reports alive (asked from a separate driver process)."""
        code = (
            "import ray, sys; ray.init(address=sys.argv[1], log_to_driver=False, logging_level='ERROR'); "
            "print(sum(1 for n in ray.nodes() if n['Alive']))"
        )
        r = subprocess.run(
            [sys.executable, "-c", code, self.address], capture_output=True, text=True, env=ray_env(), timeout=timeout_s
        )
        try:
            return int(r.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            return 0

    def wait_for_nodes(self, n: int, timeout_s: float = 120.0) -> None:
        t_end = time.monotonic() + timeout_s
        while time.monotonic() < t_end:
            dead = [node.name for node in self.nodes if node.proc.poll() is not None]
            if dead:
                raise RuntimeError(f"ray node(s) {dead} exited while starting:\n{self.logs()}")
            if self.alive_nodes() >= n:
                return
            time.sleep(1.0)
        raise RuntimeError(f"the Ray cluster did not reach {n} nodes in {timeout_s:.0f} s:\n{self.logs()}")

    def logs(self, tail: int = 1500) -> str:
        return "\n".join(f"--- {n.name}\n{n.log.read_text(errors='replace')[-tail:]}" for n in self.nodes if n.log.exists())

    def close(self) -> None:
        for node in reversed(self.nodes):
            node.kill()
        self.nodes = []
        shutil.rmtree(self.temp_root, ignore_errors=True)
