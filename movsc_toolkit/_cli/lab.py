"""``movsc lab``: JupyterLab on the course folder, with the toolkit's French settings."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

from .._errors import FileError, MovscError
from .course import (
    DEFAULT_COURSE_DIR,
    FIRST_NOTEBOOK,
    MANIFEST,
    report_sync,
    sync_course,
    teacher_root,
)

#: JupyterLab settings shipped with the toolkit: French interface, no "Jupyter news" pop-up.
#: The wheel installs them as ``<app_dir>/settings/overrides.d/movsc-toolkit.json``, where every
#: JupyterLab of the environment reads them (the user's own settings are never touched).
LAB_OVERRIDES = Path(__file__).resolve().parent.parent / "_jupyterlab" / "overrides.json"
LAB_OVERRIDES_NAME = "movsc-toolkit.json"


def lab_settings_dir() -> Path | None:
    """JupyterLab application-settings folder for ``movsc lab``; ``None`` if the default is fine.

    When the installed copy of the toolkit's overrides is missing or stale (a ``--user`` install,
    a source checkout), a folder holding the default application settings plus the toolkit's
    overrides is prepared under ``~/.cache/movsc-toolkit`` and given to JupyterLab with
    ``--LabApp.app_settings_dir``. The administrator's ``overrides.json`` still wins.
    """
    from jupyterlab.commands import get_app_dir

    ours = LAB_OVERRIDES.read_bytes()
    default = Path(get_app_dir()) / "settings"
    installed = default / "overrides.d" / LAB_OVERRIDES_NAME
    if installed.is_file() and installed.read_bytes() == ours:
        return None
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    target = cache / "movsc-toolkit" / "jupyterlab-settings"
    if default.is_dir():
        shutil.copytree(default, target, dirs_exist_ok=True)
    (target / "overrides.d").mkdir(parents=True, exist_ok=True)
    (target / "overrides.d" / LAB_OVERRIDES_NAME).write_bytes(ours)
    return target


def lab_command(
    dossier: str | None = None,
    *,
    port: int | None = None,
    no_browser: bool = False,
    teacher: bool = False,
) -> tuple[list[str], Path]:
    """Prepare ``movsc lab``: the JupyterLab command line and the folder it opens.

    By default the student workspace ``~/movsc-cours`` is created or updated with
    :func:`sync_course` (course notebooks and student exercises, never overwriting a file the
    student changed) and opened. ``dossier`` opens another folder: a new or empty folder, or a
    workspace made by this command, is created or updated the same way; any other folder (a
    mémoire folder…) is opened as it is. ``teacher=True`` opens the teacher material (the
    repository's or the bundled ``notebooks/`` and ``exercises/``, solutions included).
    """
    if teacher:
        if dossier is not None:
            raise MovscError(
                "--enseignant ouvre le matériel enseignant : il ne va pas avec --dossier.",
                hint="lancez « movsc lab --enseignant » seul.",
            )
        root = teacher_root()
    else:
        root = DEFAULT_COURSE_DIR if dossier is None else Path(dossier).expanduser()
        if root.exists() and not root.is_dir():
            raise FileError(
                f"« {root} » est un fichier, pas un dossier.",
                hint="indiquez un dossier avec --dossier.",
            )
        if (
            dossier is None
            or not root.exists()
            or not any(root.iterdir())
            or (root / MANIFEST).is_file()
        ):
            report_sync(root, *sync_course(root))
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={root.resolve()}",
    ]
    if (root / FIRST_NOTEBOOK).is_file():
        command.append(f"--LabApp.default_url=/lab/tree/{FIRST_NOTEBOOK}")
    if port is not None:
        command.append(f"--ServerApp.port={port}")
    if no_browser:
        command.append("--ServerApp.open_browser=False")
    settings = lab_settings_dir()
    if settings is not None:
        command.append(f"--LabApp.app_settings_dir={settings}")
    if running_as_root():
        # containers and some class servers run as root; JupyterLab refuses without this
        command.append("--ServerApp.allow_root=True")
    return command, root


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def launch(command: list[str], cwd: Path) -> int:
    """Run JupyterLab until the user stops it.

    A termination signal sent to ``movsc`` (``kill``, closing the terminal) is passed on to
    JupyterLab, so that the server never keeps running alone; Ctrl+C stops it too.
    """
    process = subprocess.Popen(command, cwd=cwd)
    previous = {}

    def forward(signum: int, _frame: object) -> None:
        process.send_signal(signum)

    for name in ("SIGTERM", "SIGHUP"):  # no SIGHUP on Windows
        sig = getattr(signal, name, None)
        if sig is not None and threading.current_thread() is threading.main_thread():
            previous[sig] = signal.signal(sig, forward)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def cmd_lab(args: argparse.Namespace) -> int:
    command, root = lab_command(
        args.dossier, port=args.port, no_browser=args.no_browser, teacher=args.enseignant
    )
    print(f"Ouverture de JupyterLab sur le dossier « {root} ».")
    print("Pour arrêter JupyterLab : Ctrl+C dans cette fenêtre.")
    return launch(command, root)
