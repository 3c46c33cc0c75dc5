"""French display of a DataFrame in a notebook vs pandas' own display (median of 5 runs).

Run: ``python benchmarks/bench_display.py``. The French display formats only the rows pandas
shows (head and tail), so its cost must not grow with the number of rows.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import pandas as pd

from movsc_toolkit._format import display_html, display_text


def frame(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "montant": rng.normal(1000, 300, n),
            "effectif": rng.integers(0, 5000, n),
            "payé": rng.random(n) < 0.5,
            "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), "D"),
            "quartier": rng.choice(["Nord", "Sud", None], n),
            "taux": np.where(rng.random(n) < 0.1, np.nan, rng.random(n)),
        }
    )


def median_ms(function, *args, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main() -> None:
    print(f"{'lignes':>10} {'pandas HTML':>12} {'français HTML':>14} {'français texte':>15}  (ms)")
    for n in (100, 10_000, 1_000_000):
        df = frame(n)
        print(
            f"{n:>10} {median_ms(df._repr_html_):>12.1f} {median_ms(display_html, df):>14.1f} "
            f"{median_ms(display_text, df):>15.1f}"
        )


if __name__ == "__main__":
    main()
