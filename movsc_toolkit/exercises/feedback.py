"""What the correction writes: the gradebook ``notes.xlsx`` and one French feedback page per
student.
"""

from __future__ import annotations

import datetime as _dt
import html
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .registry import get_exercise

if TYPE_CHECKING:
    from .grading import Scale, StudentResult


def mark_out_of(total: float, scale: Scale, ids: Sequence[str]) -> float:
    maximum = sum(scale.points[id] for id in ids)
    return round(total / maximum * scale.out_of, 2) if maximum else 0.0


def gradebook_frame(
    students: list[StudentResult], ids: Sequence[str], scale: Scale
) -> pd.DataFrame:
    rows = []
    for s in students:
        row: dict[str, Any] = {"Élève": s.submission.student, "Fichier": s.submission.path.name}
        row.update({id: s.points[id] for id in ids})
        row["Total"] = s.total
        row[f"Note /{format_out_of(scale.out_of)}"] = mark_out_of(s.total, scale, ids)
        row["Exécution"] = s.run.status + (f" ({s.run.errors[0]})" if s.run.errors else "")
        row["Alerte"] = " ; ".join(s.alerts)
        rows.append(row)
    return pd.DataFrame(rows)


def format_out_of(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


def write_gradebook(
    table: pd.DataFrame,
    students: list[StudentResult],
    ids: Sequence[str],
    scale: Scale,
    path: Path,
) -> None:
    """``notes.xlsx`` through the shared writing layer (text cells never formulas, atomic)."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    from .._write import new_workbook, save_workbook, set_cell

    wb = new_workbook()
    ws = wb.active
    ws.title = "Notes"

    def put(sheet: Any, row: int, col: int, value: Any) -> Any:
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, float) and math.isnan(value):
            value = None
        return set_cell(sheet, row, col, value)

    for c, name in enumerate(table.columns, start=1):
        put(ws, 1, c, str(name)).font = Font(bold=True)
    flagged = PatternFill("solid", fgColor="F4CCCC")
    for r, (_, row) in enumerate(table.iterrows(), start=2):
        for c, value in enumerate(row.tolist(), start=1):
            put(ws, r, c, value)
        if row["Alerte"]:
            for c in range(1, len(table.columns) + 1):
                ws.cell(row=r, column=c).fill = flagged
    for c, name in enumerate(table.columns, start=1):
        width = max(10, min(45, len(str(name)) + 2))
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "C2"

    stats = wb.create_sheet("Questions")
    headers = ["Question", "Énoncé", "Points", "Réussite (%)", "Non vérifiée (copies)"]
    for c, name in enumerate(headers, start=1):
        put(stats, 1, c, name).font = Font(bold=True)
    n = len(students) or 1
    for r, id in enumerate(ids, start=2):
        passed = sum(1 for s in students if s.results[id] is not None and s.results[id].ok)
        unchecked = sum(1 for s in students if s.results[id] is None)
        for c, value in enumerate(
            [
                id,
                get_exercise(id).question,
                scale.points[id],
                round(100 * passed / n, 1),
                unchecked,
            ],
            start=1,
        ):
            put(stats, r, c, value)
    stats.column_dimensions["A"].width = 36
    stats.column_dimensions["B"].width = 80
    save_workbook(wb, path, what="le carnet de notes")


_STYLE = """
body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;color:#222}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:4px 8px;
vertical-align:top;text-align:left}.juste{color:#1b7837}.faux{color:#b2182b}.vide{color:#6a6a6a}
pre{background:#f6f6f6;padding:4px;white-space:pre-wrap}
"""


def feedback_html(student: StudentResult, ids: Sequence[str], scale: Scale, show: bool) -> str:
    from .._format import format_number

    e = html.escape
    sub = student.submission
    mark = mark_out_of(student.total, scale, ids)
    maximum = sum(scale.points[id] for id in ids)
    rows = []
    for number, id in enumerate(ids, start=1):
        ex = get_exercise(id)
        result = student.results[id]
        if result is None:
            verdict, css = "non vérifiée", "vide"
            detail = (
                "Cette question n'a pas été vérifiée lors de l'exécution de votre carnet "
                "(cellule non exécutée, erreur avant elle, ou réponse laissée vide)."
            )
        else:
            verdict = {"juste": "juste", "faux": "à revoir", "vide": "sans réponse"}[result.status]
            css = result.status
            detail = e(result.message)
            if result.details:
                detail += "<ul>" + "".join(f"<li>{e(d)}</li>" for d in result.details) + "</ul>"
            if result.hint and not result.ok:
                detail += f"<br><em>Indice :</em> {e(result.hint)}"
        if show and (result is None or not result.ok):
            detail += f"<br><em>Corrigé :</em><pre>{e(ex.model_answer())}</pre>"
        rows.append(
            f"<tr><td>{number}</td><td>{e(ex.question)}</td>"
            f'<td class="{css}">{e(verdict)}</td>'
            f"<td>{format_number(student.points[id], 2).rstrip('0').rstrip(',')} / "
            f"{format_number(scale.points[id], 2).rstrip('0').rstrip(',')}</td>"
            f"<td>{detail}</td></tr>"
        )
    run = student.run
    notes = []
    if run.status != "terminé":
        notes.append(
            {
                "délai dépassé": "Votre carnet n'a pas fini de s'exécuter dans le temps imparti "
                "(une boucle sans fin ?) : les questions suivantes n'ont pas été vérifiées.",
                "illisible": "Votre fichier n'a pas pu être ouvert comme un carnet Jupyter.",
                "noyau arrêté": "Le noyau Python s'est arrêté pendant l'exécution de votre carnet.",
            }.get(run.status, "L'exécution de votre carnet a échoué.")
        )
    if run.errors:
        notes.append(
            "Erreurs pendant l'exécution (de haut en bas) : "
            + " ; ".join(e(x) for x in run.errors[:5])
            + ". Relancez votre carnet de haut en bas (« Redémarrer le noyau et tout exécuter ») "
            "avant de le rendre."
        )
    if student.alerts:
        notes.append("Votre copie sera examinée par votre enseignant·e.")
    note_html = "".join(f"<p>{n}</p>" for n in notes)
    today = _dt.date.today().strftime("%d/%m/%Y")
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Correction — {e(sub.student)}</title>
<style>{_STYLE}</style></head><body>
<h1>Correction — {e(sub.assignment)}</h1>
<p><strong>{e(sub.student)}</strong> · fichier {e(sub.path.name)} · corrigé le {today}</p>
<p><strong>Note : {format_number(mark, 2).rstrip("0").rstrip(",")} / {format_out_of(scale.out_of)}</strong>
({format_number(student.total, 2).rstrip("0").rstrip(",")} point(s) sur
{format_number(maximum, 2).rstrip("0").rstrip(",")})</p>
{note_html}
<table><thead><tr><th>n°</th><th>Question</th><th>Résultat</th><th>Points</th>
<th>Commentaire</th></tr></thead><tbody>
{"".join(rows)}
</tbody></table></body></html>
"""
