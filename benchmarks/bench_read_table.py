"""Benchmark of :func:`movsc_toolkit.read_table` on a large French CSV.

Input: a generated Windows-1252 file of N lines (default 200,000) separated by ``;``, with
names, towns, amounts written ``1 234,56``, dates ``JJ/MM/AAAA`` and a free comment; a second
file identical but for one ``NC`` in the amounts (the column then stays text and a warning
names the value: the cost of that check). Printed: median of several runs, wall-clock time.

Run: python benchmarks/bench_read_table.py [--lines N] [--runs R]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"read_table, {args.lines} lignes, médiane de {args.runs} essais")
        print(f"{'fichier':<32} {'temps (s)':>10}")
        for label, spoil in (("montants corrects", False), ("un « NC » dans les montants", True)):
            path = Path(tmp) / f"{spoil}.csv"
            write_file(path, args.lines, spoil)
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    df = read_table(path)
                times.append(time.perf_counter() - start)
            assert len(df) == args.lines
            print(f"{label:<32} {statistics.median(times):>10.2f}")


if __name__ == "__main__":
    main()
