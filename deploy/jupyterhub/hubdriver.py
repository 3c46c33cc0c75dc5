"""Drive a class hub from Python: start it, create students, start their servers, run notebooks.

Used by ``tests/core/test_hub.py`` (end-to-end test) and ``benchmarks/bench_hub.py`` (capacity), and
usable by an administrator for a load test before term. Everything goes through the hub's REST
API and the Jupyter server API of each student (contents, sessions, kernel websocket), as a
browser would; nothing reaches into the hub's internals.

The hub is the real one: ``jupyterhub -f deploy/jupyterhub/jupyterhub_config.py`` with the
``simple`` spawner (every server runs as the current OS user, one folder per student), the
NativeAuthenticator, the idle culler and a service token (``movsc-admin``) for the calls.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG = Path(__file__).resolve().parent / "jupyterhub_config.py"
#: Where the README's ``npm install --prefix`` puts configurable-http-proxy.
DEFAULT_NODE_PREFIX = Path("/opt/movsc-hub/node")


def find_proxy() -> str | None:
    """Path of ``configurable-http-proxy`` (PATH, then MOVSC_HUB_NODE_PREFIX), or ``None``."""
    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    prefix = Path(os.environ.get("MOVSC_HUB_NODE_PREFIX") or DEFAULT_NODE_PREFIX)
    candidate = prefix / "node_modules" / ".bin" / "configurable-http-proxy"
    return str(candidate) if candidate.is_file() and shutil.which("node") else None


def missing_requirements() -> str | None:
    """Why a hub cannot run here (French), or ``None`` when everything is installed."""
    if sys.platform == "win32":
        return "JupyterHub ne fonctionne que sous Linux ou macOS"
    if shutil.which("node") is None:
        return "Node.js est absent (apt-get install nodejs npm)"
    if find_proxy() is None:
        return (
            "configurable-http-proxy est absent (npm install --prefix /opt/movsc-hub/node "
            "configurable-http-proxy@5)"
        )
    for module, package in [
        ("jupyterhub", "jupyterhub"),
        ("nativeauthenticator", "jupyterhub-nativeauthenticator"),
        ("jupyterhub_idle_culler", "jupyterhub-idle-culler"),
        ("websocket", "websocket-client"),
        ("requests", "requests"),
        ("psutil", "psutil"),
    ]:
        try:
            __import__(module)
        except ImportError:
            return f"{package} n'est pas installé (pip install -e '.[hub]')"
    return None


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class NotebookRun:
    """One notebook executed in a student's kernel."""

    student: str
    path: str
    seconds: float
    cells: int
    error: str | None = None
    peak_rss: int = 0  # bytes: server + kernels of the student, sampled while it ran
    cpu_seconds: float = 0.0  # CPU time of the student's kernel(s) when the last cell ended
    end_pss: int = 0  # bytes: PSS of server + kernel after the last cell (with ``measure=True``)
    outputs: list[str] = field(default_factory=list)


class Hub:
    """A running class hub in ``workdir`` (database, homes, log), on free localhost ports."""

    def __init__(
        self,
        workdir: str | os.PathLike[str],
        *,
        cull_timeout: int = 3600,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        import requests

        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.homes = self.workdir / "home"
        self.log_path = self.workdir / "jupyterhub.log"
        self.token = secrets.token_hex(32)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.cull_timeout = cull_timeout
        self.extra_env = dict(extra_env or {})
        self.process: subprocess.Popen[bytes] | None = None
        self._pids: dict[str, int] = {}
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {self.token}"

    # ------------------------------------------------------------------ lifecycle

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        proxy = find_proxy()
        path = [str(Path(sys.executable).parent)]
        if proxy:
            path.append(str(Path(proxy).parent))
        env["PATH"] = os.pathsep.join([*path, env.get("PATH", "")])
        env.update(
            {
                "MOVSC_HUB_DIR": str(self.workdir),
                "MOVSC_HUB_SPAWNER": "simple",
                "MOVSC_HUB_AUTH": "native",
                "MOVSC_HUB_HOMES": str(self.homes / "{username}"),
                "MOVSC_HUB_BIND_URL": self.base,
                "MOVSC_HUB_HUB_PORT": str(free_port()),
                "MOVSC_HUB_PROXY_API_PORT": str(free_port()),
                "MOVSC_HUB_SERVICE_TOKEN": self.token,
                "MOVSC_HUB_CULL_TIMEOUT": str(self.cull_timeout),
            }
        )
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 90) -> None:
        """Start the hub and wait until its API answers."""
        log = open(self.log_path, "ab")  # noqa: SIM115 (kept open for the hub's lifetime)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)],
            cwd=self.workdir,
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"le hub s'est arrêté au démarrage :\n{self.log_tail()}")
            with contextlib.suppress(Exception):
                if self.session.get(f"{self.base}/hub/api/", timeout=2).ok:
                    return
            time.sleep(0.5)
        raise TimeoutError(f"le hub ne répond pas après {timeout:.0f} s :\n{self.log_tail()}")

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = 30) -> None:
        """Stop the hub (SIGTERM: it stops the servers and the proxy), then any leftover."""
        import psutil

        if self.process is None:
            return
        try:
            parent = psutil.Process(self.process.pid)
            family = parent.children(recursive=True)
        except psutil.NoSuchProcess:
            family = []
        self.process.send_signal(signal.SIGTERM)
        # the idle culler ignores the hub's SIGINT for ~25 s: end it at once
        for proc in family:
            with contextlib.suppress(psutil.Error):
                if "jupyterhub_idle_culler" in " ".join(proc.cmdline()):
                    proc.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for proc in family:  # servers, kernels, proxy
            with contextlib.suppress(psutil.Error):
                proc.kill()
        psutil.wait_procs(family, timeout=10)
        self.process = None

    def __enter__(self) -> Hub:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ REST API

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.session.request(method, f"{self.base}/hub/api{path}", timeout=60, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def create_students(self, names: list[str]) -> None:
        self.api("POST", "/users", json={"usernames": names})

    def start_server(self, name: str) -> None:
        self.api("POST", f"/users/{name}/server")

    def server(self, name: str) -> dict[str, Any]:
        return self.api("GET", f"/users/{name}")["servers"].get("", {})

    def wait_ready(self, names: list[str], timeout: float = 180) -> dict[str, float]:
        """Seconds from now until each server is ready (raises after ``timeout``)."""
        start = time.monotonic()
        ready: dict[str, float] = {}
        while len(ready) < len(names):
            for name in names:
                if name not in ready and self.server(name).get("ready"):
                    ready[name] = time.monotonic() - start
            if time.monotonic() - start > timeout:
                late = sorted(set(names) - set(ready))
                raise TimeoutError(
                    f"serveurs pas prêts après {timeout:.0f} s : {late}\n{self.log_tail()}"
                )
            time.sleep(0.5)
        return ready

    def stop_server(self, name: str, timeout: float = 60) -> None:
        self._pids.pop(name, None)
        self.api("DELETE", f"/users/{name}/server")
        deadline = time.monotonic() + timeout
        while self.server(name) and time.monotonic() < deadline:
            time.sleep(0.5)

    def server_pid(self, name: str) -> int | None:
        """Process id of the student's server (local spawners; cached while it runs)."""
        pid = self._pids.get(name)
        if pid is None:
            pid = (self.server(name).get("state") or {}).get("pid")
            if pid is not None:
                self._pids[name] = pid
        return pid

    def processes(self, name: str) -> list[Any]:
        """The student's server and its kernels (psutil processes; empty when stopped)."""
        import psutil

        pid = self.server_pid(name)
        if pid is None:
            return []
        try:
            proc = psutil.Process(pid)
            return [proc, *proc.children(recursive=True)]
        except psutil.NoSuchProcess:
            self._pids.pop(name, None)
            return []

    def memory(self, name: str, kind: str = "rss") -> int:
        """Memory (bytes) of the student's server and kernels: ``rss``, or ``pss``/``uss``.

        RSS counts pages shared between processes (libraries) once per process; PSS shares them
        out, so the PSS of all students adds up to the memory they really take.
        """
        import psutil

        total = 0
        for p in self.processes(name):
            with contextlib.suppress(psutil.Error):
                info = p.memory_info() if kind == "rss" else p.memory_full_info()
                total += getattr(info, kind)
        return total

    def rss(self, name: str) -> int:
        """Resident memory (bytes) of the student's server and all its kernels."""
        return self.memory(name, "rss")

    def kernels_cpu(self, name: str) -> float:
        """CPU seconds (user + system) used so far by the student's running kernels."""
        import psutil

        total = 0.0
        for p in self.processes(name)[1:]:
            with contextlib.suppress(psutil.Error):
                times = p.cpu_times()
                total += times.user + times.system
        return total

    # ------------------------------------------------------------------ Jupyter server API

    def user_url(self, name: str) -> str:
        return f"{self.base}/user/{name}/"

    def contents(self, name: str, path: str, *, content: bool = True) -> dict[str, Any]:
        response = self.session.get(
            f"{self.user_url(name)}api/contents/{path}",
            params={"content": int(content)},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    def save_notebook(self, name: str, path: str, notebook: dict[str, Any]) -> None:
        response = self.session.put(
            f"{self.user_url(name)}api/contents/{path}",
            json={"type": "notebook", "format": "json", "content": notebook},
            timeout=60,
        )
        response.raise_for_status()

    def lab_locale(self, name: str) -> str | None:
        """The JupyterLab interface language a student gets by default."""
        response = self.session.get(
            f"{self.user_url(name)}lab/api/settings/@jupyterlab/translation-extension:plugin",
            timeout=60,
        )
        response.raise_for_status()
        return response.json()["schema"]["properties"]["locale"].get("default")

    def run_notebook(
        self,
        name: str,
        path: str,
        *,
        timeout: float = 600,
        sample: bool = False,
        measure: bool = False,
    ) -> NotebookRun:
        """Execute every code cell of the student's notebook ``path`` in a new kernel.

        The kernel is started like JupyterLab does (a session on the notebook, so its working
        folder is the notebook's); the cells run in order until the first error (cells tagged
        ``raises-exception`` may fail, as with nbval and nbclient). With
        ``sample=True`` the student's memory is sampled every 0.5 s while it runs; with
        ``measure=True`` the PSS of the server and kernel is read after the last cell, before
        the kernel is shut down.
        """
        import threading

        import websocket

        notebook = self.contents(name, path)["content"]
        cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        response = self.session.post(
            f"{self.user_url(name)}api/sessions",
            json={"path": path, "type": "notebook", "name": "", "kernel": {"name": "python3"}},
            timeout=120,
        )
        response.raise_for_status()
        session = response.json()
        kernel = session["kernel"]["id"]
        run = NotebookRun(name, path, 0.0, len(cells))
        stop = threading.Event()

        def sampler() -> None:
            while not stop.is_set():
                run.peak_rss = max(run.peak_rss, self.rss(name))
                stop.wait(0.5)

        thread = threading.Thread(target=sampler, daemon=True)
        ws_url = self.user_url(name).replace("http://", "ws://") + (
            f"api/kernels/{kernel}/channels?session_id={uuid.uuid4().hex}"
        )
        started = time.monotonic()
        if sample:
            thread.start()
        ws = websocket.create_connection(
            ws_url, header=[f"Authorization: token {self.token}"], timeout=timeout
        )
        try:
            for index, cell in enumerate(cells, 1):
                code = (
                    cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                )
                left = timeout - (time.monotonic() - started)
                error = _execute(ws, code, left, run.outputs)
                if error and "raises-exception" not in cell.get("metadata", {}).get("tags", []):
                    run.error = f"cellule de code n° {index} : {error}"
                    break
        except Exception as exc:  # timeout, closed socket: reported as the run's failure
            run.error = f"{type(exc).__name__}: {exc}"
        finally:
            run.seconds = time.monotonic() - started
            run.cpu_seconds = self.kernels_cpu(name)
            if measure:
                run.end_pss = self.memory(name, "pss")
            stop.set()
            if sample:
                thread.join()
            with contextlib.suppress(Exception):
                ws.close()
            with contextlib.suppress(Exception):
                self.session.delete(
                    f"{self.user_url(name)}api/sessions/{session['id']}", timeout=60
                )
        return run

    def run_notebook_code(self, name: str, code: str, *, timeout: float = 120) -> str:
        """Run ``code`` in a new kernel of a session on the student's course notebook 00."""
        import websocket

        response = self.session.post(
            f"{self.user_url(name)}api/sessions",
            json={
                "path": "movsc-cours/notebooks/00_prise_en_main.ipynb",
                "type": "notebook",
                "name": "",
                "kernel": {"name": "python3"},
            },
            timeout=120,
        )
        response.raise_for_status()
        session = response.json()
        ws = websocket.create_connection(
            self.user_url(name).replace("http://", "ws://")
            + f"api/kernels/{session['kernel']['id']}/channels",
            header=[f"Authorization: token {self.token}"],
            timeout=timeout,
        )
        outputs: list[str] = []
        try:
            error = _execute(ws, code, timeout, outputs)
        finally:
            ws.close()
            self.session.delete(f"{self.user_url(name)}api/sessions/{session['id']}", timeout=60)
        if error:
            raise RuntimeError(error)
        return "".join(outputs)


def _execute(ws: Any, code: str, timeout: float, outputs: list[str]) -> str | None:
    """Run ``code`` through the kernel websocket; the error text, or ``None`` when it worked."""
    msg_id = uuid.uuid4().hex
    ws.settimeout(max(1.0, timeout))
    ws.send(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "msg_type": "execute_request",
                    "session": uuid.uuid4().hex,
                    "username": "movsc",
                    "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "channel": "shell",
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": True,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
            }
        )
    )
    error = None
    deadline = time.monotonic() + timeout
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError(f"cellule non terminée après {timeout:.0f} s")
        message = json.loads(ws.recv())
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = message["msg_type"]
        content = message.get("content", {})
        if kind == "stream" and content.get("name") == "stdout":
            outputs.append(content.get("text", ""))
        elif kind == "execute_result":
            outputs.append(content.get("data", {}).get("text/plain", ""))
        elif kind == "error":
            error = f"{content.get('ename')}: {content.get('evalue')}"
        elif kind == "status" and content.get("execution_state") == "idle":
            return error
