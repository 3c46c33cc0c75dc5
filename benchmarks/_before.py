"""Load one module of the toolkit as it was at an older commit, beside today's code.

Used by the benchmarks that time the code before a change and after it in interleaved runs of
the same process (``bench_reinert.py``, ``bench_specificities.py``).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def module_at(commit: str, dotted: str) -> types.ModuleType | None:
    """``movsc_toolkit.<dotted>`` at ``commit`` as a separate module, or ``None`` without git.

    The old module is registered as ``<package>._<name>_before``, so its relative imports
    resolve to today's package (the sibling modules it uses must still exist).
    """
    package, _, name = f"movsc_toolkit.{dotted}".rpartition(".")
    path = f"{package.replace('.', '/')}/{name}.py"
    try:
        source = subprocess.run(
            ["git", "show", f"{commit}:{path}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    importlib.import_module(package)
    module = types.ModuleType(f"{package}._{name}_before")
    module.__package__ = package
    sys.modules[module.__name__] = module
    exec(compile(source, f"<git {commit}>", "exec"), module.__dict__)
    return module
