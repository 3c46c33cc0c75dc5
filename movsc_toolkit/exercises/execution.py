"""Running one submitted notebook in its own process, with a time limit and no network."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .journal import JOURNAL_ENV, read_journal
from .submissions import Submission

MAX_PARALLEL = 2
#: The script that executes one copy (run by path, in its own process).
_RUNNER = Path(__file__).with_name("_runner.py")


# --------------------------------------------------------------------------- execution


def _child_env(journal: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            JOURNAL_ENV: str(journal),
            "MOVSC_OFFLINE": "1",
            "HTTP_PROXY": "http://127.0.0.1:9",
            "HTTPS_PROXY": "http://127.0.0.1:9",
            "http_proxy": "http://127.0.0.1:9",
            "https_proxy": "http://127.0.0.1:9",
            "NO_PROXY": "",
            "no_proxy": "",
            "MPLBACKEND": "Agg",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
    )
    return env


def _kill_tree(pid: int) -> None:
    import psutil

    try:
        parent = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    for proc in [*parent.children(recursive=True), parent]:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()


@dataclass
class Run:
    """What happened when one copy ran."""

    status: str
    errors: list[str] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0


def run_submission(submission: Submission, timeout: float) -> Run:
    """Execute one copy in isolation and read its journal (never raises)."""
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="movsc-correction-") as tmp:
        work = Path(tmp) / "copie"
        if submission.folder is not None:
            shutil.copytree(
                submission.folder,
                work,
                ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", ".git"),
            )
            notebook = work / submission.path.relative_to(submission.folder)
        else:
            work.mkdir()
            notebook = work / submission.path.name
            shutil.copy2(submission.path, notebook)
        journal = Path(tmp) / "journal.jsonl"
        # -I: the runner imports neither the toolkit nor pandas (a light, isolated process)
        command = [sys.executable, "-I", str(_RUNNER), str(notebook), str(timeout)]
        proc = subprocess.Popen(
            command,
            cwd=str(work),
            env=_child_env(journal),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            out, err = proc.communicate(timeout=timeout + 150)
        except subprocess.TimeoutExpired:
            _kill_tree(proc.pid)
            proc.communicate()
            run = Run("délai dépassé")
        else:
            lines = [line for line in out.splitlines() if line.startswith("{")]
            try:
                info = json.loads(lines[-1])
                run = Run(info["status"], list(info.get("errors", [])))
            except (IndexError, ValueError, KeyError):
                run = Run("erreur", [err.strip().splitlines()[-1][:300] if err.strip() else "?"])
        run.records = read_journal(journal)
    run.seconds = time.monotonic() - start
    return run
