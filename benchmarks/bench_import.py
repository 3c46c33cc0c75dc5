"""How long do the first imports of a lesson take? (target: ``import movsc_toolkit`` < 1 s)

Each statement runs in a fresh Python process (nothing cached in memory, like a new kernel);
the time of the statement alone is measured inside the process, and the median of several runs
is printed::

    python benchmarks/bench_import.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

STATEMENTS = [
    ("import pandas (référence)", "import pandas"),
    ("import movsc_toolkit", "import movsc_toolkit"),
    (
        "from movsc_toolkit import datasets, read_table",
        "from movsc_toolkit import datasets, read_table",
    ),
    (
        "from movsc_toolkit.exercises import verifier",
        "from movsc_toolkit.exercises import verifier",
    ),
    ("import movsc_toolkit.cli", "import movsc_toolkit.cli"),
]

PROBE = """
import sys, time
start = time.perf_counter()
exec(compile({statement!r}, "<bench>", "exec"))
elapsed = time.perf_counter() - start
print(elapsed, "spacy" in sys.modules)
"""


def measure(statement: str, runs: int) -> tuple[list[float], bool]:
    times, spacy_loaded = [], False
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", PROBE.format(statement=statement)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        times.append(float(out[0]))
        spacy_loaded = spacy_loaded or out[1] == "True"
    return times, spacy_loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    subprocess.run([sys.executable, "-c", "import movsc_toolkit"], check=True)  # warm disk cache
    width = max(len(label) for label, _ in STATEMENTS)
    print(f"{'instruction':<{width}}  médiane (s)  min (s)  max (s)  spaCy chargé")
    for label, statement in STATEMENTS:
        times, spacy_loaded = measure(statement, args.runs)
        print(
            f"{label:<{width}}  {statistics.median(times):11.3f}  {min(times):7.3f}  "
            f"{max(times):7.3f}  {'oui' if spacy_loaded else 'non'}"
        )
    print(f"({args.runs} processus neufs par ligne, Python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
