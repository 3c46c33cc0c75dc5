"""Jury-ready annex of a notebook: ``movsc export`` (HTML, PDF or Word).

A student hands in the results of their notebook as an annex of their mémoire. The annex must be
safe to open (no script from an output runs), honest (a notebook whose cells failed is refused,
or the failures are shown clearly), private (no absolute path of the student's machine) and
printable (tables fit an A4 page, figures are numbered with a caption).

- :func:`sanitize_html` cleans any HTML fragment with an allowlist (``nh3``, the Python binding
  of the Rust ``ammonia`` sanitiser): no ``<script>``, ``<iframe>``, event handlers
  (``onerror=``…), ``javascript:`` URLs nor external resources; images stay as ``data:`` URIs.
- :func:`annex_html` builds the page: French (``lang="fr"``), code cells left out unless asked,
  figures numbered « Figure 1 – … » (caption from the plot title, else the Markdown heading
  above it), a print stylesheet (``@page { size: A4; margin: 2cm }``, tables shrink and wrap).
- :func:`export_annex` writes it as ``.html``, ``.pdf`` (headless Chromium's print pipeline,
  or WeasyPrint when installed) or ``.docx`` (python-docx: headings, paragraphs, Word tables,
  pictures with captions).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ._annex.collect import error_cells, notebook_title
from ._annex.docx import docx_bytes
from ._annex.page import annex_html
from ._annex.pdf import find_chromium, pdf_bytes
from ._annex.sanitize import sanitize_html, scrub_paths
from ._errors import FileError
from ._report import Report, result
from ._resources import read_notebook

__all__ = [
    "FORMATS",
    "annex_html",
    "export_annex",
    "find_chromium",
    "notebook_title",
    "sanitize_html",
    "scrub_paths",
]

FORMATS = ("html", "pdf", "docx")


# --------------------------------------------------------------------------- export


def _read_notebook(source: Path) -> Any:
    if source.suffix.lower() != ".ipynb":
        raise FileError(
            "ce fichier n'est pas un carnet Jupyter (.ipynb).",
            path=source,
            hint="indiquez le fichier .ipynb à exporter.",
        )
    return read_notebook(source)


def _target_and_format(source: Path, output: str | Path | None, fmt: str | None) -> tuple:
    if fmt is not None and fmt.lower() not in FORMATS:
        raise FileError(
            f"format « {fmt} » inconnu.",
            hint="choisissez --format html, pdf ou docx.",
        )
    if output is None:
        fmt = (fmt or "html").lower()
        return source.with_suffix(f".{fmt}"), fmt
    target = Path(output)
    suffix = target.suffix.lower().lstrip(".")
    suffix = "html" if suffix == "htm" else suffix
    if fmt is None:
        if suffix not in FORMATS:
            raise FileError(
                f"« {target.name} » n'a pas l'extension .html, .pdf ou .docx.",
                path=target,
                hint=f"indiquez par exemple --sortie {target.with_suffix('.html').name} (page "
                f"web), {target.with_suffix('.pdf').name} ou {target.with_suffix('.docx').name} "
                "(Word).",
            )
        return target, suffix
    fmt = fmt.lower()
    if suffix != fmt:
        raise FileError(
            f"« {target.name} » n'a pas l'extension .{fmt} demandée par --format {fmt}.",
            path=target,
            hint=f"indiquez --sortie {target.with_suffix('.' + fmt).name}.",
        )
    return target, fmt


def _write_bytes(target: Path, data: bytes) -> None:
    """Atomic write through the shared writing layer (French errors: locked file, folder…)."""
    from ._write import write_bytes

    write_bytes(target, data, suffixes=(target.suffix or ".html",), what="l'annexe")


@result
class AnnexReport(Report):
    """What :func:`export_annex` wrote: the file, its format, the number of figures and the
    cells in error (``errors``: cell number and message).

    Examples
    --------
    >>> from pathlib import Path
    >>> from movsc_toolkit.annex import AnnexReport
    >>> report = AnnexReport(Path("annexe.pdf"), "pdf", 3, ((4, "NameError"),), True)
    >>> print(report)
    Annexe « annexe.pdf » (PDF) : 3 figure(s).
    1 cellule(s) en erreur : cellule n° 4 (NameError).
    >>> report.to_frame()
            message
    cellule
    4       NameError
    """

    path: Path
    format: str
    n_figures: int
    errors: tuple[tuple[int, str], ...]
    has_outputs: bool

    def _lines(self) -> list[str]:
        lines = [
            f"Annexe « {self.path.name} » ({self.format.upper()}) : {self.n_figures} figure(s)."
        ]
        if not self.has_outputs:
            lines.append("Le carnet n'a pas de sorties : exécutez-le avant d'exporter l'annexe.")
        if self.errors:
            listed = " ; ".join(f"cellule n° {n} ({message})" for n, message in self.errors)
            lines.append(f"{len(self.errors)} cellule(s) en erreur : {listed}.")
        return lines

    def to_frame(self) -> pd.DataFrame:
        """The cells in error (index ``cellule``, column ``message``); empty when none."""
        frame = pd.DataFrame(
            [message for _, message in self.errors],
            index=pd.Index([n for n, _ in self.errors], name="cellule", dtype="int64"),
            columns=["message"],
        )
        return frame


def export_annex(
    notebook: str | Path,
    output: str | Path | None = None,
    *,
    format: str | None = None,
    code: bool = False,
    force: bool = False,
) -> AnnexReport:
    """Write the jury-ready annex of ``notebook`` (HTML, PDF or Word).

    Parameters
    ----------
    notebook
        The executed notebook (``.ipynb``).
    output
        File to write; by default the notebook's name with the format's extension. Its
        extension chooses the format when ``format`` is not given.
    format
        ``"html"`` (default), ``"pdf"`` (headless Chromium, else WeasyPrint) or ``"docx"``.
    code
        Include the code cells (left out by default: an annex shows results).
    force
        Export a notebook with error outputs anyway; the failed cells are announced at the top
        and shown in red boxes. Without it such a notebook is refused (French error naming
        the cells).
    """
    source = Path(notebook)
    nb = _read_notebook(source)
    target, fmt = _target_and_format(source, output, format)
    title = notebook_title(nb, source)
    page = annex_html(nb, title, code=code, force=force, source=str(source))
    if fmt == "html":
        data = page.encode("utf-8")
    elif fmt == "pdf":
        data = pdf_bytes(page)
    else:
        data = docx_bytes(page, title)[0]
    _write_bytes(target, data)
    has_outputs = any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")
    return AnnexReport(target, fmt, page.count("<figcaption>"), tuple(error_cells(nb)), has_outputs)
