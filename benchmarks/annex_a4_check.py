"""Check by hand that the jury-ready annexes fit an A4 page, and time ``movsc export``.

    python benchmarks/annex_a4_check.py [--dossier /tmp/annexes] [NOTEBOOK.ipynb ...]

For each notebook (default: notebooks 02 and 05), writes the HTML annex, lays it out in headless
Chromium (Debian package ``chromium``) at the width of an A4 page (794 px = 210 mm at 96 dpi),
prints the widest overflow of any element past the 17 cm text column (0 = fits), saves a
screenshot of the top of the page to look at, prints the PDF's page size (pdfinfo) and the
median time of the HTML / PDF / Word exports over 3 runs. The same measure runs in
``tests/core/test_annex.py``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from functools import partial
from pathlib import Path

from movsc_toolkit._annex.pdf import a4_overflow
from movsc_toolkit.annex import export_annex, find_chromium

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [
    ROOT / "notebooks" / "02_enquete_analyse.ipynb",
    ROOT / "notebooks" / "05_analyse_financiere.ipynb",
]


def _median_time(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("carnets", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--dossier", type=Path, default=Path(tempfile.mkdtemp(prefix="annexes-")))
    args = parser.parse_args()
    if find_chromium() is None:
        raise SystemExit("Chromium absent : sudo apt-get install chromium")
    args.dossier.mkdir(parents=True, exist_ok=True)
    print(
        f"{'carnet':32} {'tableaux':>8} {'débord. px':>10} {'HTML s':>7} {'PDF s':>7} {'Word s':>7}  page PDF"
    )
    for notebook in args.carnets:
        stem = notebook.stem
        html_path = args.dossier / f"{stem}.html"
        t_html = _median_time(partial(export_annex, notebook, html_path))
        t_pdf = _median_time(partial(export_annex, notebook, args.dossier / f"{stem}.pdf"))
        t_docx = _median_time(partial(export_annex, notebook, args.dossier / f"{stem}.docx"))
        measure = a4_overflow(
            html_path.read_text(encoding="utf-8"), screenshot=args.dossier / f"{stem}.png"
        )
        info = subprocess.run(
            ["pdfinfo", str(args.dossier / f"{stem}.pdf")], capture_output=True, text=True
        ).stdout
        size = next(
            (
                line.split(":", 1)[1].strip()
                for line in info.splitlines()
                if line.startswith("Page size")
            ),
            "?",
        )
        print(
            f"{stem:32} {measure['tables']:>8} {measure['overflow']:>10.0f} {t_html:>7.2f} "
            f"{t_pdf:>7.2f} {t_docx:>7.2f}  {size}"
        )
    print(f"Annexes et captures d'écran : {args.dossier}")


if __name__ == "__main__":
    main()
