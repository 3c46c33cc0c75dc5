"""Time ``movsc correction`` on a fixture class of 30 submissions (issue 11: under 5 minutes).

The class (tests/data/grading/make_class.py): 10 correct, 8 partly wrong, 4 empty, 3 crashing
(kernel killed), 2 infinite loops, 3 cheating copies of exercises/00_prise_en_main.ipynb, in
the three naming layouts (JupyterHub folders, flat names, Moodle export). Each run grades the
whole class with the default time limit (120 s per notebook, two notebooks at a time) and
checks the marks; the median wall time of the runs is printed.

Usage: ``python benchmarks/bench_correction.py [RUNS] [DELAI]`` (defaults: 3 runs, 120 s).
"""

from __future__ import annotations

import importlib.util
import os
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def _make_class():
    path = ROOT / "tests" / "data" / "grading" / "make_class.py"
    spec = importlib.util.spec_from_file_location("make_class", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    delai = float(sys.argv[2]) if len(sys.argv) > 2 else 120
    from movsc_toolkit.exercises.grading import grade_class

    make_class = _make_class()
    times = []
    for run in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "copies"
            make_class.make_class(folder, make_class.CLASS_30)
            load = os.getloadavg()[0]
            cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            report = grade_class(folder, Path(tmp) / "sortie", timeout=delai)
            elapsed = time.perf_counter() - start
            cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (
                cpu_before.ru_utime + cpu_before.ru_stime
            )
            table = report.gradebook
            wrong = []
            for _, row in table.iterrows():
                kind = re.fullmatch(r"[ée]l[èe]ve\d\d[- ](.+)", row["Élève"], re.I)[1].lower()
                if abs(row["Note /20"] - make_class.EXPECTED_MARK[kind]) > 0.01:
                    wrong.append((row["Élève"], row["Note /20"], row["Exécution"]))
            times.append(elapsed)
            print(
                f"passage {run + 1} : {elapsed:6.1f} s pour {len(table)} copies "
                f"(CPU des carnets : {cpu:.0f} s ; charge de la machine au départ : {load:.1f})"
                + (f" — NOTES INATTENDUES : {wrong}" if wrong else " — notes conformes")
            )
            per_copy = pd.Series([s.run.seconds for s in report.students])
            print(
                f"  durée par copie : médiane {per_copy.median():.1f} s, max {per_copy.max():.1f} s"
            )
    print(
        f"médiane : {statistics.median(times):.1f} s pour 30 copies "
        f"(délai {delai:.0f} s par carnet, 2 à la fois ; objectif < 300 s)"
    )


if __name__ == "__main__":
    main()
