"""Benchmark of survey.read_responses on growing Kobo exports (the bundled survey, repeated).

Run: ``python benchmarks/bench_responses.py``. Prints the median of several runs.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from movsc_toolkit import datasets
from movsc_toolkit.survey import read_responses, read_xlsform


def main() -> None:
    source = datasets.path("enquete_usagers", "reponses.csv")
    form = read_xlsform(datasets.path("enquete_usagers", "formulaire.xlsx"))
    header, *rows = source.read_text(encoding="utf-8").splitlines()
    print(f"{'répondants':>12} {'colonnes':>9} {'médiane (s)':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (500, 5_000, 50_000):
            path = Path(tmp) / f"export_{n}.csv"
            body = (rows * (n // len(rows) + 1))[:n]
            path.write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
            times = []
            for _ in range(3 if n < 50_000 else 2):
                start = time.perf_counter()
                data = read_responses(path, form=form, nonresponse=["nsp"])
                times.append(time.perf_counter() - start)
            print(f"{n:>12} {data.shape[1]:>9} {statistics.median(times):>12.2f}")


if __name__ == "__main__":
    main()
