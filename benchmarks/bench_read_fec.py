"""read_fec against a bare ``pandas.read_csv(sep="\\t", dtype=str)`` and polars (issues 9, 16).

Targets: ``read_fec`` on 1,000,000 lines, with all its checks, takes at most the time of a bare
``pandas.read_csv(path, sep="\\t", dtype=str)`` of the same file (issue 16; issue 9 asked ≤ 2×),
at most 2.5 × ``polars.read_csv`` of the file as text (when polars is installed: it is not a
dependency of the toolkit, ``pip install polars`` to compare), and a peak memory ≤ 600 Mo.

Run: python benchmarks/bench_read_fec.py [--lines 1000000] [--runs 5] [--baseline DIR]

``--baseline DIR``: a folder holding an older copy of the package (for instance
``git archive <commit> movsc_toolkit | tar -x -C DIR``), timed as one more reader, alternately
with the others: the before/after of a change under the same load.

pyarrow is a dependency of the toolkit (issue 16): ``read_fec`` reads a conforming UTF-8 FEC
with Arrow's CSV reader (text kept in Arrow buffers, amounts read with the decimal comma, dates
converted once per distinct value); a FEC that deviates from the norm goes to pandas' C parser
(text also into Arrow buffers), which reports each deviation. ``--pandas-path`` also times that
second reader on the same (conforming) file. The header line printed first says which reader
ran. pyarrow also makes pandas' own ``str`` columns Arrow-backed, and ``read_csv(dtype=str)``
then builds a Python string per cell before converting it (slower than without pyarrow): to
compare with the anchor of an install without pyarrow, ``--sans-arrow`` also times
``read_csv(dtype=str)`` in a process where pyarrow cannot be imported (the anchor the issue
measured).

The synthetic FEC is the one of ``bench_finance.py`` (balanced two-line entries, 40 accounts,
decimal commas, one financial year). Each measure runs in a fresh subprocess (no warm cache,
its own peak memory: ``ru_maxrss``, the modules imported included, which the table also
gives alone); the readers are run alternately (interleaved) so that the load of the shared
machine affects them alike. Each run checks its result against the file: number of lines,
totals of debits and credits, distinct entry numbers, first and last account; the three
readers must agree. Prints the medians (wall-clock and CPU) and the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_finance import write_fec

CHILD = r"""
import json, resource, sys, time
what = sys.argv[2]
if what == "polars":
    import polars as pl
import pandas as pd
if what in ("fec", "fec-pandas"):
    from movsc_toolkit.finance import fec, read_fec
if what == "fec-pandas":  # the reader of the files that deviate from the norm
    fec.read_arrow = lambda *args, **kwargs: None
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
path = sys.argv[1]
base = rss()
t0, c0 = time.perf_counter(), cpu()
if what == "pandas":
    df = pd.read_csv(path, sep="\t", dtype=str)
elif what == "polars":
    df = pl.read_csv(path, separator="\t", infer_schema=False, quote_char=None)
else:
    ledger = read_fec(path)
wall, used = time.perf_counter() - t0, cpu() - c0
peak = rss()
# result check (not timed)
if what in ("fec", "fec-pandas"):
    e = ledger.entries
    debit, credit = float(e["Debit"].sum()), float(e["Credit"].sum())
    nums, accounts = e["EcritureNum"], e["CompteNum"]
    extra = {"problems": len(ledger.problems)}
elif what == "polars":
    amount = lambda c: df[c].str.replace(",", ".", literal=True).cast(pl.Float64).sum()
    debit, credit = float(amount("Debit")), float(amount("Credit"))
    nums, accounts = df["EcritureNum"], df["CompteNum"]
    extra = {}
    check = [len(nums), round(debit, 2), round(credit, 2), int(nums.n_unique()),
             str(accounts[0]), str(accounts[-1])]
else:
    amount = lambda c: pd.to_numeric(df[c].str.replace(",", ".", regex=False)).sum()
    debit, credit = float(amount("Debit")), float(amount("Credit"))
    nums, accounts = df["EcritureNum"], df["CompteNum"]
    extra = {}
if what != "polars":
    check = [len(nums), round(debit, 2), round(credit, 2), int(nums.nunique()),
             str(accounts.iloc[0]), str(accounts.iloc[-1])]
print(json.dumps({"wall": wall, "cpu": used, "peak": peak, "base": base, "check": check, **extra}))
"""


def run(path: Path, what: str, baseline: str | None = None, hidden: str = "") -> dict:
    env = None
    if what == "pandas-no-arrow":  # pandas as installed without pyarrow
        paths = [hidden, os.environ.get("PYTHONPATH", "")]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
        what = "pandas"
    elif what == "baseline":
        # the older package first; the rest of PYTHONPATH (a pyarrow kept apart…) after it
        paths = [baseline or "", os.environ.get("PYTHONPATH", "")]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
        what = "fec"
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), what],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=path.parent,  # not the repository: PYTHONPATH decides which package is imported
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, nargs="*", default=[1_000_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", help="dossier d'une version antérieure du paquet")
    parser.add_argument(
        "--pandas-path",
        action="store_true",
        help="mesurer aussi le lecteur pandas de read_fec (celui des FEC non conformes)",
    )
    parser.add_argument(
        "--sans-arrow",
        dest="no_arrow_anchor",
        action="store_true",
        help="mesurer aussi pandas.read_csv(dtype=str) d'une installation sans pyarrow",
    )
    args = parser.parse_args()
    try:
        import polars  # noqa: F401

        readers = ["pandas", "polars", "fec"]
    except ImportError:
        readers = ["pandas", "fec"]
        print("(polars n'est pas installé : pas de comparaison avec polars)")
    if args.pandas_path:
        readers.append("fec-pandas")
    if args.no_arrow_anchor:
        readers.append("pandas-no-arrow")
    if args.baseline:
        readers.append("baseline")
    labels = {
        "baseline": "read_fec (version de base)",
        "pandas": "pandas.read_csv(dtype=str)",
        "polars": "polars.read_csv (texte)",
        "fec": "read_fec (avec contrôles)",
        "fec-pandas": "read_fec, lecteur pandas",
        "pandas-no-arrow": "pandas.read_csv sans pyarrow",
    }
    try:
        import pyarrow

        print(f"pyarrow {pyarrow.__version__} : read_fec lit un FEC conforme par Arrow")
    except ImportError:
        print("pyarrow absent : read_fec lit le FEC par pandas (moteur C)")
    with tempfile.TemporaryDirectory() as tmp:
        hidden = Path(tmp) / "sans_pyarrow"  # a pyarrow that cannot be imported
        (hidden / "pyarrow").mkdir(parents=True)
        (hidden / "pyarrow" / "__init__.py").write_text(
            'raise ModuleNotFoundError("pyarrow masqué", name="pyarrow")\n'
        )
        for n in args.lines:
            path = Path(tmp) / "123456789FEC20241231.txt"
            write_fec(path, n)
            results: dict[str, list[dict]] = {r: [] for r in readers}
            for _ in range(args.runs):
                for r in readers:
                    results[r].append(run(path, r, args.baseline, str(hidden)))
            checks = {r: results[r][0]["check"] for r in readers}
            assert len({json.dumps(c) for c in checks.values()}) == 1, checks
            assert checks["fec"][0] == n and results["fec"][0]["problems"] == 0
            med = {
                r: {k: statistics.median(x[k] for x in results[r]) for k in ("wall", "cpu", "peak")}
                for r in readers
            }
            base = {r: statistics.median(x["base"] for x in results[r]) for r in readers}
            print(
                f"\n{n:,} lignes".replace(",", " ")
                + f", médiane de {args.runs} exécutions alternées"
            )
            print(
                f"{'lecteur':<28} {'durée (s)':>9} {'CPU (s)':>8} {'pic (Mo)':>9} "
                f"{'dont import':>11} {'read_fec / lecteur':>19} {'CPU':>6}"
            )
            for r in readers:
                m = med[r]
                ratio = med["fec"]["wall"] / m["wall"]
                ratio_cpu = med["fec"]["cpu"] / m["cpu"]
                print(
                    f"{labels[r]:<28} {m['wall']:>9.2f} {m['cpu']:>8.2f} {m['peak']:>9.0f} "
                    f"{base[r]:>11.0f} {ratio:>18.2f}× {ratio_cpu:>5.2f}×"
                )
            print("résultats identiques (lignes, totaux débit/crédit, n° d'écritures, comptes)")


if __name__ == "__main__":
    main()
