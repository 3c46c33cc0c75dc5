"""``survey.freq`` on a text column against a bare ``Series.value_counts`` (issue 16).

Input: a DataFrame of N rows (default 1,000,000) whose column is text (pandas 3 ``str``
dtype, as ``read_table`` and ``pd.DataFrame`` give it), with K distinct answers (default 5,
and 1,000) and 2 % missing cells. Anchor: ``df[col].value_counts(dropna=False)``. Both are run
alternately (interleaved) so that the load of the shared machine affects them alike; the
counts of ``freq`` (``Effectif`` and the ``Non-réponse`` row) are checked equal to the
anchor's. Target: freq ≤ 2 × value_counts.

Run: python benchmarks/bench_freq.py [--rows N] [--runs R]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

from movsc_toolkit.survey import freq


def make(n: int, k: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    labels = np.array([f"réponse {i:04d}" for i in range(k)], dtype=object)
    values = labels[rng.integers(0, k, n)]
    values[rng.random(n) < 0.02] = None
    return pd.DataFrame({"q": values})


def check(df: pd.DataFrame) -> None:
    table = freq(df, "q")
    counts = df["q"].value_counts(dropna=True)
    got = table["Effectif"].drop(["Total", "Non-réponse"], errors="ignore")
    assert got.sort_index().to_dict() == counts.sort_index().to_dict(), "effectifs différents"
    assert int(table.loc["Non-réponse", "Effectif"]) == int(df["q"].isna().sum())
    assert int(table.loc["Total", "Effectif"]) == len(df)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"freq contre value_counts, {args.rows} lignes, médiane de {args.runs} (alternés)")
    print(f"{'mesure':<34} {'value_counts (s)':>17} {'freq (s)':>9} {'rapport':>8}")
    for k in (5, 1000):
        df = make(args.rows, k)
        assert str(df["q"].dtype) == "str" or df["q"].dtype == object
        check(df)
        ours, anchor = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            df["q"].value_counts(dropna=False)
            anchor.append(time.perf_counter() - start)
            start = time.perf_counter()
            freq(df, "q")
            ours.append(time.perf_counter() - start)
        a, o = statistics.median(anchor), statistics.median(ours)
        label = f"freq, texte, {k} modalités"
        print(f"{label:<34} {a:>17.3f} {o:>9.3f} {o / a:>7.2f}×")


if __name__ == "__main__":
    main()
