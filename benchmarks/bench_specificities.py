"""Benchmark of Lafon's specificities (movsc_toolkit.lexico.specificities).

Target (issue 4): 20,000 forms × 20 parts in under 2 s. The table has Zipf-like word
frequencies (1 to 200,000 occurrences) spread over the parts by Dirichlet proportions, so it
contains very specific words whose tail probabilities underflow double precision (the exact
log-sum-exp path is exercised too).

Run: ``/work/venv/bin/python benchmarks/bench_specificities.py``.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import pandas as pd

from movsc_toolkit.lexico.specificities import specificities


def synthetic(n_forms: int, n_parts: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    freqs = (200_000 / np.arange(1, n_forms + 1)).astype(int) + 1
    shares = rng.dirichlet(np.full(n_parts, 2.0), n_forms)
    counts = np.array([rng.multinomial(f, p) for f, p in zip(freqs, shares, strict=True)])
    return pd.DataFrame(
        counts,
        index=[f"forme{i}" for i in range(n_forms)],
        columns=[f"partie{j}" for j in range(n_parts)],
    )


def main() -> None:
    print(
        f"{'formes':>7} {'parties':>8} {'occurrences':>12} {'médiane (s)':>12} {'cible (s)':>10}"
        f" {'score max':>10}"
    )
    for n_forms, n_parts, target in [(2_000, 10, None), (20_000, 20, 2.0)]:
        table = synthetic(n_forms, n_parts)
        times = []
        for _ in range(5):
            start = time.perf_counter()
            res = specificities(table)
            times.append(time.perf_counter() - start)
        print(
            f"{n_forms:>7} {n_parts:>8} {int(table.to_numpy().sum()):>12} "
            f"{statistics.median(times):>12.3f} {target if target else '–':>10} "
            f"{res.scores.to_numpy().max():>10.1f}"
        )


if __name__ == "__main__":
    main()
