"""Benchmarks of survey.read_responses on growing Kobo exports (the bundled survey, repeated)
and of the XLSForm round trip on growing questionnaires.

Run: ``python benchmarks/bench_responses.py``. Prints the median of several runs.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from movsc_toolkit import datasets
from movsc_toolkit.survey import Questionnaire, read_responses, read_xlsform


def bench_form() -> None:
    print(f"{'questions':>10} {'écriture (s)':>13} {'lecture (s)':>12} {'dictionnaire (s)':>17}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (50, 500):
            form = Questionnaire(title="Banc d'essai")
            form.add_choices("echelle", {str(i): f"Niveau {i}" for i in range(1, 6)})
            for i in range(n):
                relevant = f"${{q{i - 1}}} != '1'" if i else ""
                form.add_question("select_one echelle", f"q{i}", f"Question {i}", relevant=relevant)
            path = Path(tmp) / "form.xlsx"
            timings = {"write": [], "read": [], "codebook": []}
            for _ in range(3):
                start = time.perf_counter()
                form.to_xlsform(path)
                timings["write"].append(time.perf_counter() - start)
                start = time.perf_counter()
                read_xlsform(path)
                timings["read"].append(time.perf_counter() - start)
                start = time.perf_counter()
                form.codebook()
                timings["codebook"].append(time.perf_counter() - start)
            w, r, c = (statistics.median(timings[k]) for k in ("write", "read", "codebook"))
            print(f"{n:>10} {w:>13.2f} {r:>12.2f} {c:>17.3f}")


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
    bench_form()
