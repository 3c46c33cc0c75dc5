"""The rows of a budget table (a user's sheet or a DataFrame) read into CERFA lines.

The internal API of :func:`movsc_toolkit.finance.read_budget` and
:func:`movsc_toolkit.finance.make_budget`: :func:`budget_rows`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .._errors import DataError, closest, column_error
from .._format import format_euro
from .._problems import ProblemLog, ProblemTable
from ._cells import cell_amount
from .cerfa import BY_CODE, CERFA_LINES, ORDER, code_of, fold_label

__all__ = ["budget_rows"]

_META_COLUMNS = {"section", "poste", "code", "ligne", "libelle", "precision", "precisions"}


def budget_rows(
    data: pd.DataFrame,
    *,
    projects: Sequence[str] | None,
    path: Path | None,
    formulas: Mapping[tuple[int, str], tuple[str, float | None]] | None = None,
) -> tuple[pd.DataFrame, tuple[str, ...], ProblemTable | None]:
    """Read the rows of a budget table into the lines of a :class:`~movsc_toolkit.finance.Budget`.

    Each row's ``Code`` is recognised (:func:`~movsc_toolkit.finance.cerfa.code_of`), its
    amounts read in euros (:func:`~movsc_toolkit.finance._cells.cell_amount`); a formula cell
    saved without its value (``formulas``, from
    :func:`~movsc_toolkit.finance._cells.uncached_formulas`) is recomputed when it can be, else
    counted 0 with an error. Blank template rows are skipped; an unknown code or an amount that
    is not a number raises a :class:`~movsc_toolkit._errors.DataError` naming its line.

    Returns ``(lines, projects, problems)``: the lines in the form's order (``Section``,
    ``Code``, ``Ligne``, ``Précision`` and one column per project), the project columns, and
    the problems found (``None`` when there is none).
    """
    by_norm = {fold_label(c): c for c in data.columns}
    if "code" not in by_norm:
        raise column_error("Code", data.columns, path=path)
    code_col = by_norm["code"]
    precision_col = by_norm.get("precision") or by_norm.get("precisions")
    if projects is None:
        projects = [
            c
            for c in data.columns
            if fold_label(c) not in _META_COLUMNS and not fold_label(c).startswith("total")
        ]
    else:
        for p in projects:
            if p not in data.columns:
                raise column_error(p, data.columns, path=path)
    projects = [str(p) for p in projects]
    if not projects:
        raise DataError(
            "le budget n'a aucune colonne de montants.",
            path=path,
            hint="ajoutez une colonne par projet (par exemple « Association ») à côté des "
            "colonnes Code, Ligne et Précision.",
        )
    file_lines = data.attrs.get("lines") or [i + 2 for i in range(len(data))]
    formulas = formulas or {}
    log = ProblemLog(fichier=None)
    records = []
    for i, (_, row) in enumerate(data.iterrows()):
        raw_code = row[code_col]
        code = code_of(raw_code)
        values = {}
        for p in projects:
            key = (int(file_lines[i]), p)
            if code is not None and key in formulas:
                formula, computed = formulas[key]
                if computed is None:
                    log.add(
                        "erreur",
                        f"la cellule contient la formule {formula} mais aucune valeur calculée "
                        "n'a été enregistrée avec le classeur (fichier produit par un programme, "
                        "jamais ouvert dans un tableur) : montant non lu, compté 0 €. Ouvrez le "
                        "classeur dans Excel ou LibreOffice, enregistrez-le, puis relisez-le.",
                        élément=p,
                        ligne=key[0],
                        colonne=p,
                        valeur=formula,
                    )
                    values[p] = 0.0
                else:
                    log.add(
                        "alerte",
                        f"la formule {formula} n'avait pas de valeur enregistrée : recalculée "
                        f"ici ({format_euro(computed, 2)}) à partir des cellules qu'elle "
                        "additionne.",
                        élément=p,
                        ligne=key[0],
                        colonne=p,
                        valeur=formula,
                    )
                    values[p] = float(computed)
                continue
            amount = cell_amount(row[p])
            if amount is None:
                raise DataError(
                    f"le montant « {row[p]} » n'est pas un nombre.",
                    path=path,
                    line=file_lines[i],
                    column=p,
                    hint="écrivez un nombre (par exemple 12 500 ou 12500,50), sans texte.",
                )
            values[p] = amount
        if code is None:
            empty_code = raw_code is None or (
                (isinstance(raw_code, float) and np.isnan(raw_code)) or str(raw_code).strip() == ""
            )
            if empty_code and all(v == 0 for v in values.values()):
                continue  # a blank row of the template: nothing to keep
            known = [line.code for line in CERFA_LINES]
            near = closest(str(raw_code), known)
            hint = (
                f"vouliez-vous dire « {near[0]} » ?"
                if near
                else "les codes sont ceux du modèle (604, 641, 645, 74 Commune, 756, "
                "87 Bénévolat…) : voir budget_template()."
            )
            raise DataError(
                f"le code de ligne « {raw_code} » n'est pas une ligne du budget CERFA.",
                path=path,
                line=file_lines[i],
                column=code_col,
                hint=hint,
            )
        line = BY_CODE[code]
        precision = row[precision_col] if precision_col else None
        precision = "" if precision is None or pd.isna(precision) else str(precision).strip()
        records.append(
            {
                "Section": line.section,
                "Code": code,
                "Ligne": line.label,
                "Précision": precision,
                **values,
            }
        )
    lines = pd.DataFrame(records, columns=["Section", "Code", "Ligne", "Précision", *projects])
    lines = lines.sort_values("Code", key=lambda s: s.map(ORDER), kind="stable")
    lines = lines.reset_index(drop=True)
    for p in projects:
        lines[p] = lines[p].astype(float)
    read_problems = log.frame() if len(log) else None
    return lines, tuple(projects), read_problems
