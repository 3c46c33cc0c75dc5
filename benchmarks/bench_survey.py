"""Benchmark of the survey tables, tests and ACM (issue 3 targets).

Targets: ``freq``, ``crosstab`` and ``chi2_test`` on 1,000,000 respondents × 20 categorical
columns under 1 s each; ``mca`` on 100,000 respondents × 10 variables (50 categories) under
10 s and 2 GB. Prints the median of several runs.

Run: ``python benchmarks/bench_survey.py`` (about one minute).
"""

from __future__ import annotations

import resource
import statistics
import time
import tracemalloc

import numpy as np
import pandas as pd

from movsc_toolkit.survey import chi2_test, crosstab, freq, mca

# pandas stores text in Arrow when pyarrow is installed
_ARROW_TEXT = getattr(pd.array(["a"], dtype="str").dtype, "storage", "") == "pyarrow"


def _rss_mb(field: str) -> float | None:
    """``VmRSS`` (now) or ``VmHWM`` (peak) of this process in MB (Linux), else None."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> bool:
    """Reset the peak resident memory (Linux ``clear_refs``); False when not possible."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def _make(n: int, n_cols: int, n_levels: int, seed: int = 0, categorical: bool = True):
    rng = np.random.default_rng(seed)
    data = {}
    base = rng.integers(0, n_levels, n)
    for j in range(n_cols):
        noise = rng.integers(0, n_levels, n)
        codes = np.where(rng.random(n) < 0.3, base, noise)  # correlated columns
        labels = [f"modalité {j}-{k}" for k in range(n_levels)]
        if categorical:
            data[f"q{j}"] = pd.Categorical.from_codes(codes, labels, ordered=True)
        elif _ARROW_TEXT:
            # the same pandas ``str`` column, built without a Python object per cell (20
            # object arrays converted to Arrow would double the peak of the benchmark itself)
            data[f"q{j}"] = pd.array(labels, dtype="str").take(codes)
        else:
            data[f"q{j}"] = np.asarray(labels, dtype=object)[codes]
    data["poids"] = rng.uniform(0.5, 2.0, n)
    return pd.DataFrame(data)


def _median_time(func, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _bench_tables(df: pd.DataFrame, kind: str) -> list[tuple[str, float]]:
    return [
        (f"freq ({kind}), 1 000 000 × 20", _median_time(lambda: freq(df, "q3"))),
        (f"freq pondéré ({kind})", _median_time(lambda: freq(df, "q3", weights="poids"))),
        (f"crosstab ({kind})", _median_time(lambda: crosstab(df, "q1", "q2", percent="col"))),
        (f"chi2_test ({kind})", _median_time(lambda: chi2_test(df, "q1", "q2"))),
        (
            f"20 × freq ({kind})",
            _median_time(lambda: [freq(df, f"q{j}") for j in range(20)], repeat=3),
        ),
    ]


def main() -> None:
    rows = []
    rows += _bench_tables(_make(1_000_000, 20, 5, categorical=True), "catégories")
    text = _make(1_000_000, 20, 5, categorical=False)
    before = _rss_mb("VmRSS")
    peak_so_far = _peak_mb()  # the reset below also resets the process' peak
    reset = _reset_peak()
    rows += _bench_tables(text, "texte")
    added = _rss_mb("VmHWM") - before if reset and before is not None else None
    del text
    small = _make(100_000, 10, 5, seed=1)
    columns = [f"q{j}" for j in range(10)]
    tracemalloc.start()
    start = time.perf_counter()
    mca(small, columns, n_components=5)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows.append(("mca, 100 000 × 10 (50 modalités), 1re exécution", elapsed))
    rows.append(
        ("mca, 100 000 × 10 (médiane)", _median_time(lambda: mca(small, columns), repeat=3))
    )
    width = max(len(name) for name, _ in rows)
    print(f"{'opération':<{width}}  durée (s)")
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:8.3f}")
    rss = max(peak_so_far, _peak_mb())
    print(f"mca : pic de mémoire allouée (tracemalloc) {peak / 2**20:.0f} Mo")
    print(f"processus entier : pic de mémoire résidente {rss:.0f} Mo")
    if added is not None:
        print(f"tableaux (texte) : pic ajouté au-dessus des données {added:.0f} Mo")


if __name__ == "__main__":
    main()
