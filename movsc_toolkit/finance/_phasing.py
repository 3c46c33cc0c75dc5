"""Monthly phasing of a budget: the months, the phasing table, the CERFA line of a code.

Internal helpers shared by :mod:`~movsc_toolkit.finance.monitoring` (the monthly follow-up) and
:mod:`~movsc_toolkit.finance.forecast` (the year-end forecast).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from .._errors import DataError, column_error
from .._parse import fold
from .cerfa import BY_CODE, UNKNOWN_LINE, code_of

#: French month names, January first (the columns of a phasing table).
MONTHS: tuple[str, ...] = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
_MONTH_LOOKUP = {fold(m): i for i, m in enumerate(MONTHS, start=1)}
_MONTH_LOOKUP.update({fold(m)[:3]: i for i, m in enumerate(MONTHS, start=1)})
_MONTH_LOOKUP.update({"juil": 7, "janv": 1, "fevr": 2, "sept": 9})


def line_section(code: str) -> str:
    """The CERFA section of a line code (``"604"`` → ``"Charges"``)."""
    return (BY_CODE.get(code) or UNKNOWN_LINE).section


def line_label(code: str) -> str:
    """The CERFA label of a line code."""
    return (BY_CODE.get(code) or UNKNOWN_LINE).label


def month_columns(columns: pd.Index) -> dict[int, Any]:
    found: dict[int, Any] = {}
    for col in columns:
        if isinstance(col, int | np.integer) and 1 <= int(col) <= 12:
            found[int(col)] = col
            continue
        key = fold(str(col)).strip(". ")
        if key.isdigit() and 1 <= int(key) <= 12:
            found[int(key)] = col
        elif key in _MONTH_LOOKUP:
            found[_MONTH_LOOKUP[key]] = col
    return found


def phasing_shares(
    phasing: pd.DataFrame | None, pairs: list[tuple[str, str]]
) -> dict[tuple[str, str], np.ndarray]:
    """Monthly shares (summing to 1) for each (project, line code)."""
    flat = np.full(12, 1 / 12)
    if phasing is None:
        return {p: flat for p in pairs}
    if not isinstance(phasing, pd.DataFrame):
        raise DataError(
            "le phasage doit être un tableau (colonnes Projet, Code et les douze mois).",
            hint="lisez-le avec movsc.read_table('phasage.csv').",
        )
    months = month_columns(phasing.columns)
    if len(months) != 12:
        missing = [m for i, m in enumerate(MONTHS, start=1) if i not in months]
        raise column_error(missing[0], phasing.columns)
    by_norm = {fold(str(c)): c for c in phasing.columns}
    project_col = by_norm.get("projet") or by_norm.get("code analytique")
    code_col = by_norm.get("code") or by_norm.get("ligne")
    lines = phasing.attrs.get("lines")
    line_of = list(lines) if lines is not None and len(lines) == len(phasing) else None
    table: dict[tuple[str, str], np.ndarray] = {}
    for i, (_, row) in enumerate(phasing.iterrows()):
        project = str(row[project_col]).strip() if project_col else "*"
        raw = row[code_col] if code_col else "*"
        code = "*" if str(raw).strip() in ("*", "", "nan") else code_of(raw)
        if code is None:  # "604 Prestations de services": the code, then the line's label
            head = re.match(r"^\s*(\d+)\b", str(raw))
            code = code_of(head.group(1)) if head else None
        if code is None:
            raise DataError(
                f"le code de ligne « {raw} » du phasage n'est pas une ligne du budget CERFA.",
                line=line_of[i] if line_of else i + 2,
                column=str(code_col),
                hint="reprenez les codes du budget (604, 641, 74 Commune…) ou « * » pour "
                "toutes les lignes du projet.",
            )
        values = pd.to_numeric(pd.Series([row[months[m]] for m in range(1, 13)]), errors="coerce")
        values = values.to_numpy(dtype=float)
        if np.isnan(values).any() or (values < 0).any() or values.sum() <= 0:
            raise DataError(
                f"le phasage de « {project} / {code} » contient une part vide, négative ou "
                "nulle partout.",
                line=line_of[i] if line_of else i + 2,
                hint="écrivez pour chaque mois une part positive ou nulle (en %), non toutes "
                "nulles.",
            )
        table[(project, code)] = values / values.sum()
    out = {}
    for project, code in pairs:
        for candidate in ((project, code), (project, "*"), ("*", code), ("*", "*")):
            if candidate in table:
                out[(project, code)] = table[candidate]
                break
        else:
            out[(project, code)] = flat
    return out
