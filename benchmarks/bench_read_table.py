"""Benchmark of :func:`movsc_toolkit.read_table` against a bare :func:`pandas.read_csv`.

Input: a generated Windows-1252 file of N lines (default 200,000) separated by ``;``, with
names, towns, amounts written ``1 234,56``, dates ``JJ/MM/AAAA`` and a free comment; a second
file identical but for one ``NC`` in the amounts (the column then stays text and a warning
names the value: the cost of that check). The reference is ``pandas.read_csv(path, sep=";",
encoding="cp1252")`` of the same file, which converts nothing French (amounts and dates stay
text). Target (issue 9): read_table ≤ 3 × read_csv. Printed: median of R runs, wall-clock and
CPU time of the process (the CPU time is less sensitive to other programs on a shared machine).

Run: python benchmarks/bench_read_table.py [--lines N] [--runs R]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from movsc_toolkit import read_table


def write_file(path: Path, n: int, spoil: bool) -> None:
    rng = np.random.default_rng(0)
    names = rng.choice(["Hélène Dupré", "Noël Garçon", "Zoé Lefèvre", "Étienne Brûlé"], n)
    towns = rng.choice(["Bourg-en-Bresse", "Péronnas", "Viriat", "Saint-Denis-lès-Bourg"], n)
    cents = rng.integers(0, 10_000_000, n)
    days = rng.integers(1, 29, n)
    lines = ["Nom;Commune;Montant;Date;Commentaire"]
    for i in range(n):
        amount = f"{cents[i] // 100:,}".replace(",", " ") + f",{cents[i] % 100:02d}"
        if spoil and i == n // 2:
            amount = "NC"
        lines.append(f"{names[i]};{towns[i]};{amount};{days[i]:02d}/03/2024;remarque n° {i}")
    path.write_bytes("\r\n".join(lines).encode("cp1252"))


def measure(func: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of ``runs`` calls."""
    wall, cpu = [], []
    for _ in range(runs):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            func()
        wall.append(time.perf_counter() - start_wall)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"read_table contre pandas.read_csv, {args.lines} lignes, médiane de {args.runs}")
        print(
            f"{'fichier':<30} {'read_csv (s)':>13} {'read_table (s)':>15} {'rapport':>8}"
            f" {'rapport CPU':>12}"
        )
        for label, spoil in (("montants corrects", False), ("un « NC » dans les montants", True)):
            path = Path(tmp) / f"{spoil}.csv"
            write_file(path, args.lines, spoil)
            df = read_table(path)
            assert len(df) == args.lines
            assert (df["Montant"].dtype == np.float64) is not spoil
            bare_wall, bare_cpu = measure(
                lambda p=path: pd.read_csv(p, sep=";", encoding="cp1252"), args.runs
            )
            ours_wall, ours_cpu = measure(lambda p=path: read_table(p), args.runs)
            print(
                f"{label:<30} {bare_wall:>13.2f} {ours_wall:>15.2f} "
                f"{ours_wall / bare_wall:>7.1f}× {ours_cpu / bare_cpu:>11.1f}×"
            )


if __name__ == "__main__":
    main()
