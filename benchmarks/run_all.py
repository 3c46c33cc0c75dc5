"""Run the whole benchmark suite and keep every script's printed table in one report.

Used to check that a change makes nothing slower elsewhere: run it on the code before the change
and on the code after, on the same quiet machine, and compare the two reports::

    python benchmarks/run_all.py --sortie apres.md
    python benchmarks/run_all.py --racine /chemin/ancienne/copie --sortie avant.md

``--racine`` points at another checkout of the project: its ``benchmarks/*.py`` scripts run with
that checkout's package first on ``PYTHONPATH``, so the old code is measured by its own scripts.
An inherited ``PYTHONPATH`` comes after it: ``PYTHONPATH=/dossier/sans_pyarrow`` (a folder whose
``pyarrow/__init__.py`` raises ``ModuleNotFoundError``) measures an install without pyarrow.
Each script runs in its own process with the arguments below (sizes kept to the issues' targets,
fewer repetitions for the slowest ones); scripts that are not listed run with their defaults.
``bench_hub.py`` (a class of up to 30 students) is left out unless named with ``--seulement``.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

# script -> candidate argument lists; the first whose options the script knows is used (an older
# copy of a script may name an option differently: ``--repeat`` before ``--runs``)
ARGUMENTS: dict[str, list[list[str]]] = {
    "bench_budget.py": [["--lines", "1000000", "--repeat", "3"]],
    "bench_correction.py": [["1"]],
    "bench_finance.py": [["--lines", "100000", "1000000", "--repeat", "3"]],
    "bench_lemmatise.py": [["--runs", "3"]],
    "bench_parsing.py": [["--quick"]],
    "bench_read_fec.py": [["--runs", "5"], ["--repeat", "5"]],
    "bench_read_table.py": [["--runs", "7"]],
}
LEFT_OUT = {"bench_hub.py"}


def scripts(root: Path, only: list[str]) -> list[Path]:
    """The benchmark scripts of ``root`` in name order, or only those named."""
    found = [
        *sorted((root / "benchmarks").glob("bench_*.py")),
        root / "benchmarks" / "annex_a4_check.py",
    ]
    found = [path for path in found if path.exists()]
    if only:
        return [path for path in found if path.name in only]
    return [path for path in found if path.name not in LEFT_OUT]


def arguments(script: Path) -> list[str]:
    """The first candidate argument list of ``script`` whose options its source declares."""
    source = script.read_text(encoding="utf-8")
    for candidate in ARGUMENTS.get(script.name, []):
        if all(f'"{option}"' in source for option in candidate if option.startswith("--")):
            return candidate
    return []


def machine() -> str:
    """A line describing the machine and its load when the suite starts."""
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{platform.node()} · {os.cpu_count()} cœurs · Python {platform.python_version()} · "
        f"charge {load}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--racine", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--sortie", type=Path, default=Path("benchmarks-rapport.md"))
    parser.add_argument("--seulement", nargs="*", default=[], help="noms de scripts")
    args = parser.parse_args()
    root = args.racine.resolve()
    # the checkout's package first; an inherited PYTHONPATH after it (for instance a folder whose
    # ``pyarrow`` cannot be imported, to measure an install without pyarrow)
    paths = [str(root), os.environ.get("PYTHONPATH", "")]
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in paths if p))
    lines = [f"# Bancs d'essai : {root}", "", machine(), ""]
    summary = ["| script | durée (s) | code de sortie |", "|---|---|---|"]
    for script in scripts(root, args.seulement):
        command = [sys.executable, str(script), *arguments(script)]
        print(f"→ {script.name}", flush=True)
        start = time.perf_counter()
        run = subprocess.run(
            command, cwd=root, env=environment, capture_output=True, text=True, check=False
        )
        elapsed = time.perf_counter() - start
        summary.append(f"| {script.name} | {elapsed:.1f} | {run.returncode} |")
        lines += [f"## {script.name} ({elapsed:.1f} s)", "", "```", run.stdout.rstrip()]
        if run.returncode:
            lines += ["", "[stderr]", run.stderr.rstrip()[-3000:]]
        lines += ["```", ""]
    args.sortie.write_text("\n".join([*lines, "## Résumé", "", *summary, ""]), encoding="utf-8")
    print(f"Rapport écrit : {args.sortie}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
