"""read_fec against a bare ``pandas.read_csv(sep="\\t", dtype=str)`` of the same FEC.

Target (issue 9): ``read_fec`` on 1,000,000 lines takes at most twice the time of a bare
``pandas.read_csv(path, sep="\\t", dtype=str)`` of the same file.

Run: /work/venv/bin/python benchmarks/bench_read_fec.py [--lines 1000000] [--repeat 3]

The synthetic FEC is the one of ``bench_finance.py`` (balanced two-line entries, 40 accounts,
decimal commas, one financial year). Each measure runs in a fresh subprocess (no warm cache of
parsed values from a previous run); both readers are timed alternately so that the load of the
machine affects them alike. Prints the median wall-clock and CPU times and the ratio.

Measured on the 2-core sandbox (shared, load 7–13), 1,000,000 lines, median of 5 runs:
read_csv 5.34 s (CPU 1.75 s), read_fec 7.78 s (CPU 2.67 s): ratio 1.46 (CPU 1.52).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_finance import write_fec

CHILD = r"""
import json, resource, sys, time
import pandas as pd
from movsc_toolkit.finance import read_fec
path, what = sys.argv[1], sys.argv[2]
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
t0, c0 = time.perf_counter(), cpu()
if what == "pandas":
    n = len(pd.read_csv(path, sep="\t", dtype=str))
    problems = 0
else:
    ledger = read_fec(path)
    n, problems = len(ledger.entries), len(ledger.problems)
print(json.dumps({"wall": time.perf_counter() - t0, "cpu": cpu() - c0, "lines": n,
                  "problems": problems}))
"""


def run(path: Path, what: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), what], capture_output=True, text=True, check=True
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, nargs="*", default=[1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{'lignes':>10} | {'read_csv (s)':>12} | {'read_fec (s)':>12} | {'ratio':>6} | "
        f"{'CPU read_csv':>12} | {'CPU read_fec':>12} | {'ratio CPU':>9}"
    )
    print("-" * 92)
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.lines:
            path = Path(tmp) / "123456789FEC20241231.txt"
            write_fec(path, n)
            base, fec = [], []
            for _ in range(args.repeat):
                base.append(run(path, "pandas"))
                fec.append(run(path, "fec"))
            assert fec[0]["lines"] == n and fec[0]["problems"] == 0, fec[0]
            b = statistics.median(r["wall"] for r in base)
            f = statistics.median(r["wall"] for r in fec)
            bc = statistics.median(r["cpu"] for r in base)
            fc = statistics.median(r["cpu"] for r in fec)
            row = (
                f"{n:>10,} | {b:>12.2f} | {f:>12.2f} | {f / b:>6.2f} | {bc:>12.2f} | "
                f"{fc:>12.2f} | {fc / bc:>9.2f}"
            )
            print(row.replace(",", " "))


if __name__ == "__main__":
    main()
