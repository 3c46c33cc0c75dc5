"""Exporting the dashboard for a comité de pilotage: a workbook or a one-file HTML page."""

from __future__ import annotations

import base64
import html
import io
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from .._errors import FileError
from .._format import format_date, frame_html, round_frame
from .._write import write_excel, write_html
from ._cells import DateLike
from ._markdown import markdown_html
from .dashboard import (
    DASHBOARD_COLUMNS,
    STATUS_COLOURS,
    dashboard,
    plot_dashboard,
    plot_milestones,
)
from .evaluation import evaluation_summary
from .model import Project
from .tracking import disaggregate, milestones, resolve_as_of

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["export_dashboard"]


def _fig_png(fig: Figure) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def export_dashboard(
    project: Project,
    path: str | PathLike[str],
    as_of: DateLike | None = None,
    *,
    target: str = "courante",
) -> Path:
    """Export the dashboard for a comité de pilotage, to ``.xlsx``, ``.ods`` or ``.html``.

    The workbook has the sheets ``Tableau de bord``, ``Jalons``, ``Désagrégations``,
    ``Synthèse`` and ``Contrôles``; the HTML page (one file, figures included) has the
    evaluation summary, the table, the one-page figure and the Gantt chart.

    Parameters
    ----------
    project
        The project (:class:`Project`).
    path
        The file to write: ``.xlsx``, ``.ods`` or ``.html``.
    as_of
        Date of the follow-up (default: the end of the latest realised period).
    target
        ``"courante"`` or ``"finale"`` (see :func:`indicator_status`).

    Returns
    -------
    pathlib.Path
        The file written (numbers rounded to two decimals in the workbook, French numbers in
        the HTML page).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import openpyxl
    >>> from movsc_toolkit import datasets, kpi
    >>> projet = datasets.load("projet_cap_avenir")
    >>> dossier = Path(tempfile.mkdtemp())
    >>> chemin = kpi.export_dashboard(projet, dossier / "copil.xlsx", "31/12/2025")
    >>> openpyxl.load_workbook(chemin).sheetnames
    ['Tableau de bord', 'Jalons', 'Désagrégations', 'Synthèse', 'Contrôles']
    """
    p = Path(path)
    as_of = resolve_as_of(project, as_of)
    table = dashboard(project, as_of, target=target).to_frame()
    miles = milestones(project, as_of)
    summary = evaluation_summary(project, as_of, target=target)
    suffix = p.suffix.lower()
    sheets = {
        "Tableau de bord": table,
        "Jalons": miles,
        "Désagrégations": disaggregate(project, as_of, target=target),
        "Synthèse": pd.DataFrame({"Synthèse": summary.markdown.splitlines()}),
        "Contrôles": project.problems,
    }
    indexed = {"Tableau de bord", "Jalons", "Désagrégations"}
    if suffix in {".xlsx", ".ods"}:

        def colour_status(ws: Any, frame: pd.DataFrame, name: str) -> None:
            from openpyxl.styles import Font, PatternFill

            if name == "Synthèse":
                ws.column_dimensions["A"].width = 120
            if name != "Tableau de bord" or "Statut" not in frame.columns:
                return
            column = list(frame.columns).index("Statut") + 1
            for row in range(2, ws.max_row + 1):
                cell = ws.cell(row=row, column=column)
                colour = STATUS_COLOURS.get(str(cell.value), "#FFFFFF").lstrip("#")
                cell.fill = PatternFill("solid", fgColor=colour)
                cell.font = Font(color="FFFFFF", bold=True)
            ws.column_dimensions["B"].width = 50

        return write_excel(
            p,
            {name: round_frame(df, 2) for name, df in sheets.items()},
            what="le tableau de bord",
            suffixes=(".xlsx", ".ods"),
            index={name: name in indexed for name in sheets},
            bold_rows=(),
            style=colour_status,
        )
    if suffix in {".html", ".htm"}:
        shown = table[[*DASHBOARD_COLUMNS, "Projection fin de période", "Remarque"]].assign(
            Remarque=table["Remarque"].fillna("")
        )
        table_html = frame_html(shown, decimals=1, caption="Indicateurs")
        for status, colour in STATUS_COLOURS.items():
            table_html = table_html.replace(
                f"<td>{status}</td>", f'<td style="color:{colour};font-weight:bold">{status}</td>'
            )
        miles_html = frame_html(
            miles.assign(
                **{
                    c: miles[c].map(lambda d: "" if pd.isna(d) else format_date(d))
                    for c in ("Début", "Date prévue", "Date réelle")
                },
                Responsable=miles["Responsable"].fillna(""),
            ),
            caption="Jalons",
        )
        fig_png = _fig_png(plot_dashboard(project, as_of, target=target))
        gantt_png = _fig_png(cast("Figure", plot_milestones(project, as_of).figure))
        page = f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<title>{html.escape(project.name)} — comité de pilotage du {format_date(as_of)}</title>
<style>body{{font-family:sans-serif;max-width:1200px;margin:auto}}
table{{border-collapse:collapse;font-size:13px}}td,th{{padding:3px 6px;border-bottom:1px solid #ddd}}
caption{{font-weight:bold;text-align:left;padding:6px 0}}</style></head><body>
<h1>{html.escape(project.name)} — comité de pilotage du {format_date(as_of)}</h1>
{markdown_html(summary.markdown)}
{table_html}
<h2>Indicateurs dans le temps</h2>
<img alt="tableau de bord" style="max-width:100%" src="data:image/png;base64,{fig_png}">
<h2>Jalons</h2>
{miles_html}
<img alt="diagramme de Gantt" style="max-width:100%" src="data:image/png;base64,{gantt_png}">
</body></html>
"""
        return write_html(p, page, what="le tableau de bord")
    raise FileError(
        f"le format « {suffix} » n'est pas prévu pour le tableau de bord.",
        path=p,
        hint="choisissez un nom de fichier en .xlsx (Excel), .ods (Calc) ou .html (navigateur).",
    )
