"""How long do the first imports of a lesson take, next to ``import pandas``?

Each statement runs in a fresh Python process (nothing cached in memory, like a new kernel); the
time of the statement alone is measured inside the process. Runs are interleaved (one round =
every statement once, the anchor ``import pandas`` first) so that the load of the shared machine
weighs on all of them alike; the median of the rounds is printed with its ratio to the anchor.
Targets (issue 16): ``from movsc_toolkit import survey`` then a first ``survey.freq`` ≤ 1.5×
``import pandas``; no heavy library (scipy.stats, matplotlib.pyplot, networkx, spaCy) loaded by
importing a capability. The row "tous leurs noms publics chargés" imports every module of the four
capabilities (what their ``__init__`` did before names were loaded lazily): it measures what the
modules themselves still load at import time.

The frequency table is checked against ``value_counts`` (computed after the timer stops)::

    python benchmarks/bench_import.py [--runs 9] [--src DIR]

``--src DIR`` measures another copy of the package (a folder holding ``movsc_toolkit/``, e.g. an
older commit extracted with ``git archive <commit> movsc_toolkit | tar -x -C DIR``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HEAVY = ("spacy", "scipy.stats", "matplotlib.pyplot", "networkx", "statsmodels")

ANCHOR = "import pandas"
SMALL = "['Nord', 'Sud', 'Est', 'Nord', None, 'Ouest', 'Nord', 'Sud'] * 25"  # 200 answers
FREQ = (
    "import pandas as pd\n"
    "from movsc_toolkit import survey\n"
    f"_data = pd.DataFrame({{'quartier': {SMALL}}})\n"
    "_table = survey.freq(_data, 'quartier')"
)
# (label, statement, code run after the timer to print a result that must be right)
STATEMENTS = [
    ("import pandas (référence)", ANCHOR, "_result = 'ok'"),
    (
        "survey : import + premier freq (200 réponses)",
        FREQ,
        "_result = {str(k): int(v) for k, v in _table['Effectif'].items() if k != 'Total'}\n"
        "_expected = {str(k): int(v) for k, v in _data['quartier'].value_counts().items()}\n"
        "_result = 'ok' if all(_result.get(k) == v for k, v in _expected.items()) "
        "else repr((_result, _expected))",
    ),
    (
        "from movsc_toolkit import survey, lexico, finance, kpi",
        "from movsc_toolkit import survey, lexico, finance, kpi",
        "_result = 'ok' if callable(survey.freq) and callable(finance.read_fec) else 'ko'",
    ),
    (
        "mêmes capacités, tous leurs noms publics chargés",
        "from movsc_toolkit import survey, lexico, finance, kpi\n"
        "for _m in (survey, lexico, finance, kpi):\n"
        "    for _n in _m.__all__:\n"
        "        getattr(_m, _n)",
        "_result = 'ok'",
    ),
    ("import movsc_toolkit", "import movsc_toolkit", "_result = 'ok'"),
    (
        "from movsc_toolkit import datasets, read_table",
        "from movsc_toolkit import datasets, read_table",
        "_result = 'ok' if callable(read_table) else 'ko'",
    ),
    (
        "from movsc_toolkit.exercises import verifier",
        "from movsc_toolkit.exercises import verifier",
        "_result = 'ok' if callable(verifier) else 'ko'",
    ),
    ("import movsc_toolkit.cli", "import movsc_toolkit.cli", "_result = 'ok'"),
]

PROBE = """
import sys, time, json
_start = time.perf_counter()
exec(compile({statement!r}, "<bench>", "exec"))
_elapsed = time.perf_counter() - _start
_heavy = [m for m in {heavy!r} if m in sys.modules]
exec(compile({check!r}, "<check>", "exec"))
print(json.dumps([_elapsed, _heavy, _result]))
"""


def run_once(statement: str, check: str, env: dict[str, str]) -> tuple[float, list[str], str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(statement=statement, heavy=HEAVY, check=check)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=tempfile.gettempdir(),  # not the repository: "" in sys.path would pick it first
    ).stdout
    elapsed, heavy, result = json.loads(out.strip().splitlines()[-1])
    return elapsed, heavy, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="rounds (médiane), 9 par défaut")
    parser.add_argument("--src", help="dossier contenant une autre copie de movsc_toolkit/")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.src:
        env["PYTHONPATH"] = os.path.abspath(args.src) + os.pathsep + env.get("PYTHONPATH", "")
    where = subprocess.run(
        [sys.executable, "-c", "import movsc_toolkit; print(movsc_toolkit.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=tempfile.gettempdir(),
    ).stdout.strip()  # also warms the disk cache
    times: dict[str, list[float]] = {label: [] for label, _, _ in STATEMENTS}
    heavy: dict[str, set[str]] = {label: set() for label, _, _ in STATEMENTS}
    failures = []
    for _ in range(args.runs):
        for label, statement, check in STATEMENTS:
            elapsed, loaded, result = run_once(statement, check, env)
            times[label].append(elapsed)
            heavy[label].update(loaded)
            if result != "ok":
                failures.append(f"{label} : résultat inattendu {result}")
    anchor = statistics.median(times[STATEMENTS[0][0]])
    width = max(len(label) for label, _, _ in STATEMENTS)
    print(f"{'mesure':<{width}}  médiane (s)  ancre (s)  ratio  bibliothèques lourdes chargées")
    for label, _, _ in STATEMENTS:
        median = statistics.median(times[label])
        print(
            f"{label:<{width}}  {median:11.3f}  {anchor:9.3f}  {median / anchor:5.2f}  "
            f"{', '.join(sorted(heavy[label])) or 'aucune'}"
        )
    print(
        f"({args.runs} tours alternés de processus neufs, Python {sys.version.split()[0]}, "
        f"paquet : {where})"
    )
    if failures:
        sys.exit("\n".join(failures))
    print("résultats vérifiés : freq identique à value_counts")


if __name__ == "__main__":
    main()
