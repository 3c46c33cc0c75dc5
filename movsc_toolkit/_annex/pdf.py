"""The annex as PDF: Chromium (headless) or WeasyPrint, and the check that nothing overflows
an A4 page.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .._errors import FileError

# --------------------------------------------------------------------------- PDF


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome executable, or ``None``."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--mute-audio",
)


def run_chromium(args: list[str], *, timeout: int = 120) -> subprocess.CompletedProcess:
    """Run headless Chromium with a throw-away profile (no network, no first-run prompts)."""
    chromium = find_chromium()
    if chromium is None:
        raise FileNotFoundError("chromium")
    with tempfile.TemporaryDirectory(prefix="movsc-chromium-") as profile:
        return subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def pdf_bytes(page: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="movsc-annexe-") as folder:
        source = Path(folder) / "annexe.html"
        source.write_text(page, encoding="utf-8")
        target = Path(folder) / "annexe.pdf"
        if find_chromium():
            result = run_chromium(
                [
                    "--no-pdf-header-footer",
                    "--virtual-time-budget=5000",
                    f"--print-to-pdf={target}",
                    source.as_uri(),
                ]
            )
            if target.is_file() and target.stat().st_size > 0:
                return target.read_bytes()
            raise FileError(
                "Chromium n'a pas pu imprimer l'annexe en PDF"
                + (f" ({result.stderr.strip().splitlines()[-1]})" if result.stderr.strip() else "")
                + ".",
                hint="exportez en HTML (--format html) puis ouvrez la page dans votre navigateur "
                "et choisissez Imprimer > Enregistrer au format PDF.",
            )
        try:
            from weasyprint import HTML  # optional
        except Exception:  # not installed, or its system libraries are missing
            raise FileError(
                "aucun outil pour fabriquer le PDF n'est installé.",
                hint="installez Chromium (sous Debian/Ubuntu : sudo apt-get install chromium) ou "
                "WeasyPrint (pip install weasyprint) ; ou exportez en HTML (--format html), "
                "ouvrez la page dans votre navigateur et choisissez Imprimer > Enregistrer au "
                "format PDF.",
            ) from None
        return HTML(string=page, base_url=folder).write_pdf()


# --------------------------------------------------------------------------- A4 check

A4_WIDTH_PX = 794  # 210 mm at 96 px per inch, the width Chromium prints an A4 page with
_MEASURE = """
<script>
window.addEventListener("load", function () {
  var body = document.body.getBoundingClientRect();
  var worst = 0, culprit = "";
  document.querySelectorAll("body *").forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width === 0) { return; }
    var over = Math.max(r.right - body.right, body.left - r.left);
    if (el.clientWidth > 0) { over = Math.max(over, el.scrollWidth - el.clientWidth); }
    if (over > worst) { worst = over; culprit = el.tagName + "." + (el.className || ""); }
  });
  var result = {
    bodyWidth: body.width,
    pageScrollWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    overflow: worst,
    culprit: culprit,
    tables: document.querySelectorAll("table").length
  };
  document.title = "MESURE " + JSON.stringify(result);
});
</script>
"""


def a4_overflow(page: str, *, screenshot: str | Path | None = None) -> dict:
    """Lay ``page`` out in headless Chromium at the width of an A4 page and measure overflow.

    Returns ``bodyWidth`` (the text column, 17 cm), ``pageScrollWidth`` (wider than the
    viewport when something runs off the page), ``overflow`` (largest number of pixels any
    element sticks out of the text column), ``culprit`` and ``tables``. ``screenshot`` also
    saves a PNG of the first screen. Raises :class:`FileNotFoundError` without Chromium.
    """
    import json

    with tempfile.TemporaryDirectory(prefix="movsc-a4-") as folder:
        path = Path(folder) / "annexe.html"
        path.write_text(page.replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
        result = run_chromium(
            [
                f"--window-size={A4_WIDTH_PX},1123",
                "--virtual-time-budget=10000",
                "--dump-dom",
                path.as_uri(),
            ]
        )
        if screenshot is not None:
            shot = Path(screenshot).resolve()
            run_chromium(
                [
                    f"--window-size={A4_WIDTH_PX},1123",
                    "--hide-scrollbars",
                    f"--screenshot={shot}",
                    path.as_uri(),
                ]
            )
    match = re.search(r"<title>MESURE (\{.*?\})</title>", html.unescape(result.stdout), re.S)
    if not match:
        raise RuntimeError(f"mesure impossible : {result.stderr[-500:]}")
    return json.loads(match.group(1))
