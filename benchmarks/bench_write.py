"""Speed of the writing layer (movsc_toolkit._write) against plain pandas writers.

The safe writers check every text cell (formula injection, control characters, Excel's
32 767-character limit) and write atomically; this measures what that costs against
``DataFrame.to_excel`` / ``to_csv``, and how fast a zip bomb is refused by ``read_corpus``.

Usage: ``python benchmarks/bench_write.py [rows]`` (default 2 000 rows × 10 columns).
Prints the median of 3 runs for each writer.
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from movsc_toolkit import _write
from movsc_toolkit._errors import FileError
from movsc_toolkit.lexico import read_corpus


def _median(func, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _frame(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    texts = ["Nord", "Sud", "=1+1", "Centre-ville", "@SUM(A1)", "-2"]
    data = {f"texte{i}": rng.choice(texts, rows) for i in range(5)}
    data |= {f"nombre{i}": rng.normal(size=rows) for i in range(5)}
    return pd.DataFrame(data)


def _bomb(folder: Path) -> Path:
    import docx

    path = folder / "bombe.docx"
    document = docx.Document()
    document.add_paragraph("texte")
    document.save(path)
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(folder / "b.docx", "w") as zout:
        for info in zin.infolist():
            if info.filename == "word/document.xml":
                zinfo = zipfile.ZipInfo(info.filename)
                zinfo.compress_type = zipfile.ZIP_DEFLATED
                with zout.open(zinfo, "w", force_zip64=True) as stream:
                    chunk = b" " * (1 << 22)
                    for _ in range(250):  # 1 GB of spaces, about 1 MB compressed
                        stream.write(chunk)
            else:
                zout.writestr(info, zin.read(info.filename))
    return folder / "b.docx"


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000
    frame = _frame(rows)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results = [
            (
                "write_excel .xlsx",
                _median(lambda: _write.write_excel(folder / "a.xlsx", {"A": frame})),
            ),
            (
                "pandas to_excel .xlsx",
                _median(lambda: frame.to_excel(folder / "b.xlsx", index=False)),
            ),
            (
                "write_excel .ods",
                _median(lambda: _write.write_excel(folder / "a.ods", {"A": frame})),
            ),
            (
                "pandas to_excel .ods",
                _median(lambda: frame.to_excel(folder / "b.ods", index=False)),
            ),
            ("write_csv", _median(lambda: _write.write_csv(frame, folder / "a.csv"))),
            ("pandas to_csv", _median(lambda: frame.to_csv(folder / "b.csv", sep=";"))),
        ]
        print(f"{rows} lignes × {frame.shape[1]} colonnes, médiane de 3 exécutions")
        for name, seconds in results:
            print(f"  {name:<24} {seconds:8.3f} s")
        bomb = _bomb(folder)
        tracemalloc.start()

        def refuse() -> None:
            with contextlib.suppress(FileError):  # the refusal is what is measured
                read_corpus(bomb)

        seconds = _median(refuse)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        print(
            f"  read_corpus refuse une bombe .docx ({bomb.stat().st_size / 1e6:.1f} Mo, "
            f"1 Go déclaré) : {seconds:.3f} s, pic mémoire Python {peak:.1f} Mo"
        )


if __name__ == "__main__":
    main()
