"""Budgets built from a table, read from a file, or written as an empty template.

:func:`make_budget` builds a :class:`~movsc_toolkit.finance.Budget` from a DataFrame or a
``{code: amount}`` mapping; :func:`read_budget` reads the toolkit's Excel template (or a CSV or
ODS with the same columns); :func:`budget_template` writes the empty template to fill in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from .._errors import FileError
from ._budget_rows import budget_rows
from ._cells import uncached_formulas
from .budget import Budget
from .cerfa import CERFA_LINES, fold_label

__all__ = ["budget_template", "make_budget", "read_budget"]


def make_budget(
    data: pd.DataFrame | Mapping[str, Any],
    *,
    projects: Sequence[str] | None = None,
    name: str = "",
    year: int | None = None,
) -> Budget:
    """Build a :class:`Budget` from a table (or a ``{code: amount}`` mapping).

    Parameters
    ----------
    data
        A DataFrame with a ``Code`` column (CERFA line: ``"604"``, ``"641"``, ``"74 Commune"``,
        ``"87 Bénévolat"`` …), optionally ``Précision`` (funder detail), and one amount column
        per project; or a mapping ``{code: amount}`` for a single-project budget.
    projects
        The amount columns; by default every column that is not ``Section``, ``Poste``,
        ``Code``, ``Ligne``, ``Précision`` or ``Total``.
    name, year
        Association name and budgeted year, for titles.

    Returns
    -------
    Budget
        The budget, with its checks in ``problems``.

    Raises
    ------
    DataError
        For an unknown CERFA code (the closest is suggested) or an amount that is not a number.

    Examples
    --------
    >>> b = make_budget({"641": 30000, "645": 12000, "74 Commune": 42000})
    >>> b.is_balanced
    True
    >>> print(make_budget({"641": 30000, "74 Commune": 25000}))
    Budget prévisionnel
    Total des charges : 30 000 € ; total des produits : 25 000 €.
    1 problème(s) à corriger :
      – Budget : budget non équilibré : total des charges 30 000,00 €, ... (déficit de 5 000,00 €).
    """
    if isinstance(data, Mapping):
        data = pd.DataFrame({"Code": list(data), "Budget": list(data.values())})
    return _from_frame(data, projects=projects, name=name, year=year, path=None)


def _from_frame(
    data: pd.DataFrame,
    *,
    projects: Sequence[str] | None,
    name: str,
    year: int | None,
    path: Path | None,
    formulas: Mapping[tuple[int, str], tuple[str, float | None]] | None = None,
) -> Budget:
    lines, columns, read_problems = budget_rows(
        data, projects=projects, path=path, formulas=formulas
    )
    return Budget(lines, columns, name=name, year=year, read_problems=read_problems)


def read_budget(
    path: str | PathLike[str],
    sheet: str | int | None = None,
    *,
    name: str | None = None,
    year: int | None = None,
) -> Budget:
    """Read a budget prévisionnel from the Excel template (or a CSV with the same columns).

    Parameters
    ----------
    path
        An ``.xlsx``/``.ods`` workbook written by :func:`budget_template` or
        :meth:`Budget.to_excel`, or a CSV file. Required column: ``Code`` (the CERFA line);
        optional ``Précision``; one amount column per project. ``Section``, ``Poste``,
        ``Ligne`` and ``Total`` columns are recomputed, not read.
    sheet
        Sheet to read in a workbook. By default the sheet ``"Budget"``, or the first sheet
        other than ``"Lisez-moi"`` when there is none. A sheet given explicitly must exist (a
        misspelt name raises an error suggesting the closest one).
    name, year
        Association name and year (read from the ``Lisez-moi`` sheet when omitted).

    Raises
    ------
    ColumnError
        When the sheet given does not exist.
    DataError
        With the file line and column of an unknown code or a non-numeric amount.

    Returns
    -------
    Budget
        The budget, with what reading found (formulas without a saved value…) and the balance
        checks in ``problems``.

    Examples
    --------
    >>> from movsc_toolkit import datasets
    >>> folder = datasets.path("roue_libre_budget")
    >>> budget = read_budget(folder / "budget_2025.xlsx")
    >>> budget.year, budget.projects, budget.is_balanced
    (2025, ('chantier_insertion', 'autoreparation'), True)

    References
    ----------
    CERFA n° 12156*06, fiche 3: the template's codes are the lines of the form (see
    :data:`movsc_toolkit.finance.CERFA_LINES`). Reading is tested in
    ``tests/finance/test_budget.py`` (``test_excel_round_trip``, ``test_read_csv_french_numbers``,
    ``test_read_libreoffice_budget``, ``test_formula_without_saved_value_is_computed_or_reported``).
    """
    from .._io import read_table, sheet_names

    p = Path(path)
    meta: dict[str, str] = {}
    formulas: dict[tuple[int, str], tuple[str, float | None]] = {}
    if p.suffix.lower() in {".xlsx", ".xlsm", ".ods", ".xls"}:
        sheets = sheet_names(p)  # or the toolkit's error: missing, damaged…
        if sheet is None:
            data_sheets = [s for s in sheets if s != "Lisez-moi"] or sheets
            sheet = "Budget" if "Budget" in sheets else data_sheets[0]
        if "Lisez-moi" in sheets:
            info = read_table(p, "Lisez-moi", header=None, convert_numbers=False)
            for _, row in info.iterrows():
                if isinstance(row.iloc[0], str) and row.shape[0] > 1:
                    meta[fold_label(row.iloc[0])] = row.iloc[1]
        data = read_table(p, sheet, convert_numbers=False)
        if p.suffix.lower() in {".xlsx", ".xlsm"}:
            formulas = uncached_formulas(p, sheet)
    else:
        data = read_table(p, convert_numbers=False)
    if data.empty:
        raise FileError("le budget est vide.", path=p, hint="remplissez la feuille « Budget ».")
    if name is None:
        raw_name = meta.get("association")
        name = "" if raw_name is None or pd.isna(raw_name) else str(raw_name).strip()
    if year is None:
        raw = meta.get("exercice")
        year = int(float(raw)) if raw not in (None, "") and not pd.isna(raw) else None
    return _from_frame(data, projects=None, name=name, year=year, path=p, formulas=formulas)


def budget_template(
    path: str | PathLike[str],
    projects: Sequence[str] = ("Association",),
    *,
    name: str = "",
    year: int | None = None,
) -> Path:
    """Write an empty budget template (every CERFA line, one column per project).

    Parameters
    ----------
    path
        The ``.xlsx`` file to write.
    projects
        One amount column per project (analytic code).
    name, year
        Association name and budgeted year, written in the ``Lisez-moi`` sheet.

    Returns
    -------
    pathlib.Path
        The file written; fill the ``Budget`` sheet, then read it with :func:`read_budget`.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> path = budget_template(Path(tempfile.mkdtemp()) / "budget.xlsx", ["Accueil", "Jeunesse"])
    >>> read_budget(path).projects
    ('Accueil', 'Jeunesse')

    References
    ----------
    CERFA n° 12156*06, fiche 3; tested in ``tests/finance/test_budget.py``
    (``test_template_has_every_line``).
    """
    lines = pd.DataFrame(
        [
            {"Section": line.section, "Code": line.code, "Ligne": line.label, "Précision": ""}
            | dict.fromkeys(projects, 0.0)
            for line in CERFA_LINES
        ]
    )
    return Budget(lines, tuple(projects), name=name, year=year).to_excel(path)
