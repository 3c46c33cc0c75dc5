"""Export of survey tables to one formatted workbook (``.xlsx``, or ``.ods`` for LibreOffice).

One sheet per table, headers in bold, column widths fitted to the content, French-looking number
formats (the spreadsheet displays ``1 234,5`` with a French locale): whole numbers without
decimals, percentages (columns whose name contains ``%``) with one decimal, other numbers with
two (every cell of a percentage table from ``crosstab(..., percent=…)`` with one). Results
with a ``to_frame()`` method (``chi2_test``, ``mca``, ``cronbach_alpha``…) are accepted
directly. The file is written by the toolkit's writing layer (:mod:`movsc_toolkit._write`):
missing folder created, atomic write, French error when the file is open in Excel, answers
starting with ``=``, ``+``, ``-`` or ``@`` written as text, never as formulas.
"""

from __future__ import annotations

from collections.abc import Mapping
from os import PathLike
from pathlib import Path

import pandas as pd

from .._errors import DataError
from .._write import write_excel

__all__ = ["to_excel"]


def _as_frame(name: str, table: object, labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    if isinstance(table, pd.DataFrame):
        frame = table
    elif isinstance(table, pd.Series) or hasattr(table, "to_frame"):
        frame = table.to_frame()
    else:
        raise DataError(
            f"la feuille « {name} » reçoit un objet {type(table).__name__} qui n'est pas un "
            "tableau.",
            hint="donnez un DataFrame ou un résultat de la boîte à outils (chi2_test, mca…).",
        )
    percent = bool(frame.attrs.get("pourcentages"))
    frame = frame.copy()
    if labels and not (isinstance(frame.index, pd.RangeIndex) and frame.index.name is None):
        frame.index = frame.index.set_names(
            [None if n is None else str(labels.get(str(n), n)) for n in frame.index.names]
        )
    frame.attrs = {"pourcentages": percent}
    return frame


def to_excel(
    tables: Mapping[str, object],
    path: str | PathLike[str],
    *,
    labels: Mapping[str, str] | None = None,
) -> Path:
    """Write several tables to one workbook, one formatted sheet per table.

    Parameters
    ----------
    tables
        ``{"Nom de la feuille": table, …}`` — DataFrames, Series, or results with a
        ``to_frame()`` method. Sheet names are shortened to 31 characters and the characters
        ``[ ] : * ? / \\`` replaced (spreadsheet rules).
    path
        ``.xlsx`` (Excel, formatted) or ``.ods`` (LibreOffice Calc).
    labels
        ``{variable: "question label"}``: the header of a table's first column (the variable's
        name, such as ``quartier``) becomes the question, e.g.
        ``labels=reponses.attrs["labels"]`` for answers read by
        :func:`~movsc_toolkit.survey.read_responses`.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> import os, tempfile
    >>> from movsc_toolkit import datasets, survey
    >>> reponses = datasets.load("enquete_usagers")
    >>> tables = {"Tri à plat quartier": survey.freq(reponses, "quartier"),
    ...           "Khi-deux": survey.chi2_test(reponses, "tranche_age", "benevolat")}
    >>> to_excel(tables, os.path.join(tempfile.mkdtemp(), "annexes.xlsx")).name
    'annexes.xlsx'
    """
    if not tables:
        raise DataError(
            "aucun tableau à exporter.",
            hint='donnez un dictionnaire {"Nom de la feuille": tableau, …}.',
        )
    frames = {n: _as_frame(n, t, labels) for n, t in tables.items()}
    return write_excel(path, frames, what="l'export", freeze="B2")
