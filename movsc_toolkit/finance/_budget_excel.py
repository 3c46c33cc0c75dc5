"""The budget's Excel workbook (the toolkit's template): sheets Budget, Contrôles, CERFA,
Lisez-moi.

Written by :meth:`movsc_toolkit.finance.Budget.to_excel` and
:func:`movsc_toolkit.finance.budget_template`; the ``Budget`` sheet is the one
:func:`movsc_toolkit.finance.read_budget` reads back. The totals of the ``Contrôles`` sheet are
Excel formulas, so that they follow the user's edits.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import FileError
from .._write import Formula, append_row, new_workbook, output_path, save_workbook, set_cell
from .cerfa import CERFA_LINES, CHARGES, EMPLOIS_CVN, POSTES, PRODUITS, RESSOURCES_CVN

if TYPE_CHECKING:
    from .budget import Budget

__all__ = ["write_budget"]


def write_budget(budget: Budget, path: Path) -> Path:
    """Write ``budget`` to ``path`` (an ``.xlsx``) and return the path written."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    if path.suffix.lower() != ".xlsx":
        raise FileError(
            "le budget s'exporte au format Excel (.xlsx).",
            path=path,
            hint="donnez un nom de fichier terminé par .xlsx.",
        )
    path = output_path(path, (".xlsx",), "le budget")
    euro = '#,##0 "€";-#,##0 "€";"–"'
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    section_fill = {
        CHARGES: "FCE4D6",
        PRODUITS: "E2EFDA",
        EMPLOIS_CVN: "FFF2CC",
        RESSOURCES_CVN: "FFF2CC",
    }
    wb = new_workbook()
    ws = wb.active
    ws.title = "Budget"
    projects = list(budget.projects)
    header = ["Section", "Poste", "Code", "Ligne", "Précision", *projects, "Total"]
    append_row(ws, header)
    for cell in ws[1]:
        cell.font = bold
        cell.fill = head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    # every CERFA line, with the budget's rows where it has some
    present = budget.lines.groupby("Code", sort=False)
    first_amount = get_column_letter(6)
    last_amount = get_column_letter(5 + len(projects))
    r = 1
    for line in CERFA_LINES:
        if line.code in present.groups:
            rows = present.get_group(line.code)
            records = [(row["Précision"], [row[p] for p in projects]) for _, row in rows.iterrows()]
        else:
            records = [("", [None] * len(projects))]
        for precision, values in records:
            r += 1
            row_values = [line.section, POSTES[line.poste], line.code, line.label, precision]
            for c, value in enumerate([*row_values, *values], start=1):
                set_cell(ws, r, c, value)
            set_cell(ws, r, 6 + len(projects), Formula(f"=SUM({first_amount}{r}:{last_amount}{r})"))
            fill = PatternFill("solid", fgColor=section_fill[line.section])
            for c in range(1, 4):
                ws.cell(r, c).fill = fill
            for c in range(6, 7 + len(projects)):
                ws.cell(r, c).number_format = euro
            ws.cell(r, 6 + len(projects)).font = bold
    last = r
    widths = [22, 30, 24, 48, 28, *[16] * len(projects), 16]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "F2"

    # Contrôles: totals as formulas, so they follow the user's edits
    ctl = wb.create_sheet("Contrôles")
    append_row(ctl, ["Contrôle", *projects, "Total"])
    for cell in ctl[1]:
        cell.font = bold
        cell.fill = head_fill
    checks = [
        ("Total des charges", CHARGES),
        ("Total des produits", PRODUITS),
        ("Écart produits − charges (doit être nul)", None),
        ("Emplois des contributions volontaires (86)", EMPLOIS_CVN),
        ("Contributions volontaires en nature (87)", RESSOURCES_CVN),
        ("Écart 87 − 86 (doit être nul)", None),
    ]
    for i, (label, section) in enumerate(checks, start=2):
        row: list[Any] = [label]
        for j in range(len(projects) + 1):
            col = get_column_letter(6 + j)
            target = get_column_letter(2 + j)
            if section is not None:
                row.append(
                    Formula(
                        f'=SUMIF(Budget!$A$2:$A${last},"{section}",Budget!{col}$2:{col}${last})'
                    )
                )
            else:
                row.append(Formula(f"={target}{i - 1}-{target}{i - 2}"))
        append_row(ctl, row)
        for j in range(len(projects) + 1):
            ctl.cell(i, 2 + j).number_format = euro
        if section is None:
            for c in ctl[i]:
                c.font = bold
    ctl.column_dimensions["A"].width = 44
    for j in range(len(projects) + 1):
        ctl.column_dimensions[get_column_letter(2 + j)].width = 16

    # CERFA: the association's budget laid out like the form (values computed at export)
    cerfa = wb.create_sheet("CERFA")
    layout = budget.cerfa()
    append_row(cerfa, ["Rubrique", "Montant (€)"])
    for cell in cerfa[1]:
        cell.font = bold
        cell.fill = head_fill
    for kind, label, amount in zip(
        layout["Type"], layout["Rubrique"], layout.iloc[:, 3], strict=True
    ):
        append_row(cerfa, [label, float(amount)])
        current = cerfa.max_row
        cerfa.cell(current, 2).number_format = euro
        if kind in {"poste", "total"}:
            cerfa.cell(current, 1).font = bold
            cerfa.cell(current, 2).font = bold
    cerfa.column_dimensions["A"].width = 80
    cerfa.column_dimensions["B"].width = 18

    info = wb.create_sheet("Lisez-moi")
    notes = [
        ("Association", budget.name),
        ("Exercice", budget.year if budget.year is not None else ""),
        ("Modèle", "Budget prévisionnel au format du CERFA n° 12156 (demande de subvention)."),
        (
            "Mode d'emploi",
            "Remplissez la feuille « Budget » : une colonne de montants par projet (ajoutez ou "
            "renommez des colonnes avant « Total »). Dupliquez une ligne pour détailler une "
            "subvention (par exemple deux communes) et indiquez le financeur dans « Précision ». "
            "Ne modifiez pas la colonne « Code ».",
        ),
        (
            "Contrôles",
            "Le total des charges doit être égal au total des produits, pour chaque projet et "
            "pour l'association ; les emplois (86) doivent égaler les contributions (87).",
        ),
        (
            "Numérotation 87",
            "Le CERFA numérote 870 le bénévolat et 875 les dons en nature ; le plan comptable "
            "associatif (ANC 2018-06) fait l'inverse. Les lignes 87 sont donc nommées par leur "
            "sens.",
        ),
    ]
    for key, value in notes:
        append_row(info, [key, value])
        info.cell(info.max_row, 1).font = bold
        info.cell(info.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 100
    return save_workbook(wb, path, what="le budget")
