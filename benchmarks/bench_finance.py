"""Speed and memory of the finance module on large FEC files.

Run: /work/venv/bin/python benchmarks/bench_finance.py [--lines 1000000] [--repeat 3]

Writes a synthetic FEC (balanced two-line entries spread over 80 accounts, amounts with a
decimal comma, one financial year) to a temporary folder, then measures, each in a fresh
subprocess so the peak memory (max RSS) is the reader's own:

- ``read_fec`` (targets: 1,000,000 lines under 10 s and under 2 GB);
- ``income_statement + balance_sheet + sig + caf + indicators`` on the loaded ledger
  (target: under 1 s).

Prints a table of medians over ``--repeat`` runs: wall-clock time, and the CPU time of the
reading process (user + system), which does not depend on the load of the machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HEADER = (
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t"
    "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"
    "ValidDate\tMontantdevise\tIdevise"
)
ACCOUNTS = [
    "6061", "6063", "6064", "6068", "6132", "6152", "616", "6226", "6251", "626", "6278",
    "6411", "6451", "6453", "6811", "6894", "7061", "7062", "7411", "742", "743", "745", "746",
    "75411", "7561", "768", "7894", "864", "875", "401", "411", "421", "431", "4417", "486",
    "487", "5121", "5122", "531", "2183",
]  # fmt: skip
COUNTER = {"6": "401", "7": "411", "8": None, "4": "5121", "5": "5121", "2": "5121"}


def write_fec(path: Path, n_lines: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    n_entries = n_lines // 2
    accounts = np.array(ACCOUNTS)[rng.integers(0, len(ACCOUNTS), n_entries)]
    counter = np.array(
        [
            COUNTER[a[0]] if a[0] != "8" else ("875" if a.startswith("86") else "864")
            for a in accounts
        ]
    )
    counter = np.where(accounts == "5121", "5122", counter)
    counter = np.where(accounts == "864", "875", counter)
    counter = np.where(accounts == "875", "864", counter)
    cents = rng.integers(100, 500_000, n_entries)
    amounts = np.char.add(
        np.char.add((cents // 100).astype(str), ","), np.char.zfill((cents % 100).astype(str), 2)
    )
    days = rng.integers(0, 365, n_entries)
    dates = (np.datetime64("2024-01-01") + days).astype("datetime64[D]").astype(str)
    dates = np.char.replace(dates, "-", "")
    order = np.argsort(dates, kind="stable")
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER + "\n")
        for start in range(0, n_entries, 50_000):
            chunk = order[start : start + 50_000]
            lines = []
            for i in chunk:
                num = f"2024-{i + 1:07d}"
                d = dates[i]
                a = amounts[i]
                common = f"OD\tOpérations diverses\t{num}\t{d}\t"
                tail = f"\tP{i + 1}\t{d}\tÉcriture de test"
                lines.append(f"{common}{accounts[i]}\tCompte\t\t{tail}\t{a}\t0,00\t\t\t{d}\t\t")
                lines.append(
                    f"{common}{counter[i]}\tContrepartie\t\t{tail}\t0,00\t{a}\t\t\t{d}\t\t"
                )
            fh.write("\n".join(lines) + "\n")


CHILD = r"""
import json, resource, sys, time
from movsc_toolkit.finance import (read_fec, income_statement, balance_sheet, sig, caf,
                                   indicators)
path, what = sys.argv[1], sys.argv[2]
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
t0, c0 = time.perf_counter(), cpu()
ledger = read_fec(path)
t_read, c_read = time.perf_counter() - t0, cpu() - c0
out = {"read": t_read, "read_cpu": c_read, "lines": len(ledger.entries),
       "problems": len(ledger.problems)}
if what == "all":
    t0 = time.perf_counter()
    income_statement(ledger); balance_sheet(ledger); sig(ledger); caf(ledger)
    caf(ledger, method="soustractive"); indicators(ledger)
    out["statements"] = time.perf_counter() - t0
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def run(path: Path, what: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), what], capture_output=True, text=True, check=True
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{'lignes':>10} | {'read_fec (s)':>12} | {'dont CPU (s)':>12} | {'mémoire max (Mo)':>16} | "
        f"{'états + indicateurs (s)':>23}"
    )
    print("-" * 87)
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.lines:
            path = Path(tmp) / "123456789FEC20241231.txt"
            write_fec(path, n)
            runs = [run(path, "all") for _ in range(args.repeat)]
            assert runs[0]["lines"] == n and runs[0]["problems"] == 0, runs[0]
            read = statistics.median(r["read"] for r in runs)
            read_cpu = statistics.median(r["read_cpu"] for r in runs)
            rss = statistics.median(r["rss_mb"] for r in runs)
            stm = statistics.median(r["statements"] for r in runs)
            row = f"{n:>10,} | {read:>12.2f} | {read_cpu:>12.2f} | {rss:>16.0f} | {stm:>23.3f}"
            print(row.replace(",", " "))


if __name__ == "__main__":
    main()
