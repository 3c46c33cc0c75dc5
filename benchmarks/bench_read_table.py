"""Benchmark of :func:`movsc_toolkit.read_table` against a bare :func:`pandas.read_csv`.

Input: a generated Windows-1252 file of N lines (default 200,000) separated by ``;``, with
names, towns, amounts written ``1 234,56``, dates ``JJ/MM/AAAA`` and a free comment; a second
file identical but for one ``NC`` in the amounts (the column then stays text and a warning
names the value: the cost of that check). The reference is ``pandas.read_csv(path, sep=";",
encoding="cp1252")`` of the same file, which converts nothing French (amounts and dates stay
text). Target (issue 9): read_table ≤ 3 × read_csv. The two readers are run alternately
(interleaved), so that the load of the shared machine affects them alike; the result of
read_table is checked against read_csv's (same text cells, amounts equal to the text read
by hand, dates equal to ``pd.to_datetime(dayfirst=True)``). Printed: median of R runs,
wall-clock and CPU time of the process (the CPU time is less sensitive to other programs on
a shared machine).

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


def timed(func: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call."""
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        func()
    return time.perf_counter() - start_wall, time.process_time() - start_cpu


def check(path: Path, spoil: bool) -> None:
    """read_table gives read_csv's cells, its amounts and dates converted exactly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = read_table(path)
    bare = pd.read_csv(path, sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    assert len(ours) == len(bare)
    for col in ("Nom", "Commune", "Commentaire"):
        assert ours[col].tolist() == bare[col].tolist(), col
    dates = pd.to_datetime(bare["Date"], format="%d/%m/%Y")
    assert (ours["Date"] == dates).all()
    if spoil:
        assert ours["Montant"].tolist() == bare["Montant"].tolist()
    else:
        by_hand = [float(v.replace(" ", "").replace(",", ".")) for v in bare["Montant"]]
        assert ours["Montant"].dtype == np.float64 and ours["Montant"].tolist() == by_hand


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(
            f"read_table contre pandas.read_csv, {args.lines} lignes, médiane de {args.runs} "
            "(exécutions alternées)"
        )
        print(
            f"{'fichier':<30} {'read_csv (s)':>13} {'read_table (s)':>15} {'rapport':>8}"
            f" {'rapport CPU':>12}"
        )
        for label, spoil in (("montants corrects", False), ("un « NC » dans les montants", True)):
            path = Path(tmp) / f"{spoil}.csv"
            write_file(path, args.lines, spoil)
            check(path, spoil)
            bare, ours = [], []
            for _ in range(args.runs):
                bare.append(timed(lambda p=path: pd.read_csv(p, sep=";", encoding="cp1252")))
                ours.append(timed(lambda p=path: read_table(p)))
            bare_wall, bare_cpu = (statistics.median(x[i] for x in bare) for i in (0, 1))
            ours_wall, ours_cpu = (statistics.median(x[i] for x in ours) for i in (0, 1))
            print(
                f"{label:<30} {bare_wall:>13.2f} {ours_wall:>15.2f} "
                f"{ours_wall / bare_wall:>7.2f}× {ours_cpu / bare_cpu:>11.2f}×"
            )
        print("résultats vérifiés (cases de texte, montants, dates)")


if __name__ == "__main__":
    main()
