"""Tri à plat, tri croisé, tableau croisé dynamique and multiple-response tables.

The tables follow questionr's conventions (``freq``, ``cprop``, ``rprop``, ``wtd.table``,
``multi.table``: ``juba/questionr`` ``R/tables.R``, ``R/weighting.R``, ``R/table.multi.R``)
with French labels: ``Effectif``, ``%``, ``% valides``, a ``Non-réponse`` row for missing
answers (last, before ``Total``), an ``Ensemble`` margin for column / row percentages,
categories in their natural order (the order of an ordered categorical — the questionnaire's
order — otherwise sorted).
Weights are frequency weights: a weighted table sums the weights of its cells, empty cells are 0.
The returned values are exact; ``decimals`` (1 by default, as questionr prints them) is the
display precision, kept in ``table.attrs["decimals"]`` and applied by the French display.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._errors import OptionError
from ._common import (
    ENSEMBLE,
    NON_REPONSE,
    TOTAL,
    all_missing_error,
    check_data,
    column_of,
    count_codes,
    counted,
    cross_counts,
    encode,
    shown,
    weight_values,
)

__all__ = ["crosstab", "freq"]


# --------------------------------------------------------------------------- freq


def freq(
    data: pd.DataFrame,
    column: str,
    *,
    weights: str | Sequence[float] | None = None,
    dropna: bool = False,
    sort: str | None = None,
    total: bool = True,
    cum: bool = False,
    decimals: int | None = 1,
) -> pd.DataFrame:
    """Tri à plat: one row per category with ``Effectif``, ``%`` and ``% valides``.

    Parameters
    ----------
    data
        The responses, one row per respondent.
    column
        The variable to count.
    weights
        Name of a weight column, or one weight per row (sums of weights instead of counts).
    dropna
        ``False`` (default): missing answers form a ``Non-réponse`` row (last before ``Total``);
        ``%`` is computed over all rows and ``% valides`` over the answers only (SPSS
        "pourcentage valide"). ``True``: missing answers are left out and only ``%`` (over the
        answers) is given; the number left out is in ``table.attrs["non_reponses"]``.
    sort
        ``None`` (natural order: questionnaire order for ordered categories), ``"desc"`` /
        ``"décroissant"`` or ``"asc"`` / ``"croissant"`` by count. ``Non-réponse`` stays last.
    total
        Add the ``Total`` row.
    cum
        Add ``% cumulés`` (and ``% valides cumulés``) columns.
    decimals
        Display precision of the percentages (and of weighted counts); the values stay exact.

    Returns
    -------
    pandas.DataFrame
        Indexed by the categories (index name = the column).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"adhérent": ["Oui"] * 6 + ["Non"] * 3 + [None]})
    >>> freq(df, "adhérent")  # doctest: +NORMALIZE_WHITESPACE
                 Effectif      %  % valides
    adhérent
    Non                 3   30.0       33.3
    Oui                 6   60.0       66.7
    Non-réponse         1   10.0        NaN
    Total              10  100.0      100.0
    """
    data = check_data(data)
    series = column_of(data, column)
    w = weight_values(data, weights)
    if w is None and not isinstance(series.dtype, pd.CategoricalDtype):
        # counts only: one hash count, no codes per row (pd.factorize costs 9 times more)
        cats, counts = counted(series)
        n_missing: float = len(series) - int(counts.sum())
        show_any_missing = n_missing > 0
    else:
        codes, cats = encode(series)
        counts = count_codes(codes, len(cats), w)
        missing_mask = codes < 0
        n_missing = int(missing_mask.sum()) if w is None else float(w[missing_mask].sum())
        show_any_missing = bool(np.any(missing_mask))
    if counts.sum() == 0:
        raise all_missing_error(column)
    if sort is not None:
        key = str(sort).casefold()
        if key in {"desc", "dec", "décroissant", "decroissant"}:
            order = np.argsort(-counts, kind="stable")
        elif key in {"asc", "inc", "croissant"}:
            order = np.argsort(counts, kind="stable")
        else:
            raise OptionError(
                f"sort={sort!r} n'est pas reconnu.",
                hint='utilisez sort=None (ordre naturel), "desc" (décroissant) ou "asc".',
            )
        counts = counts[order]
        cats = [cats[i] for i in order]
    valid_total = counts.sum()
    show_missing = not dropna and show_any_missing
    labels: list[object] = list(cats)
    eff = counts.astype(float)
    if show_missing:
        labels.append(NON_REPONSE)
        eff = np.append(eff, n_missing)
    grand = eff.sum()
    # the columns in their final order, built at once (no row or column added to a frame)
    pct = 100 * eff / grand
    columns: dict[str, np.ndarray] = {"Effectif": eff, "%": pct}
    if cum:
        columns["% cumulés"] = np.cumsum(pct)
    if show_missing:
        valid = np.append(100 * counts / valid_total, np.nan)
        columns["% valides"] = valid
        if cum:
            columns["% valides cumulés"] = np.append(np.cumsum(valid[:-1]), np.nan)
    elif not dropna:
        # no missing answer: "% valides" equals "%", shown for a constant layout
        columns["% valides"] = pct.copy()
    total_row = {name: grand if name == "Effectif" else 100.0 for name in columns}
    replaced = total and TOTAL in labels  # a category named "Total": its row is replaced
    if total and not replaced:
        labels.append(TOTAL)
        columns = {name: np.append(values, total_row[name]) for name, values in columns.items()}
    if w is None and not replaced:
        columns["Effectif"] = columns["Effectif"].astype(np.int64)
    table = pd.DataFrame(columns, index=pd.Index(labels, name=column))
    if replaced:
        table.loc[TOTAL] = pd.Series(total_row)
        if w is None:
            table["Effectif"] = table["Effectif"].astype(np.int64)
    table.attrs["non_reponses"] = n_missing
    return shown(table, decimals)


# --------------------------------------------------------------------------- crosstab


def _column_sums(values: np.ndarray) -> np.ndarray:
    """Column sums as ``DataFrame.sum(axis=0)`` computes them (each column's own order)."""
    return np.ascontiguousarray(values.T).sum(axis=1)


def _row_sums(values: np.ndarray) -> np.ndarray:
    """Row sums as ``DataFrame.sum(axis=1)`` computes them on a frame made of ``values``."""
    return np.ascontiguousarray(values.T).sum(axis=0)


def _put(
    values: np.ndarray, labels: list[object], name: str, line: np.ndarray, axis: int
) -> np.ndarray:
    """``values`` with the row (``axis=0``) or column (``axis=1``) ``line`` named ``name``
    added at the end, or written over the existing one of that name, as pandas' ``.loc``
    and ``[]`` assignments do (a category may be named « Total »)."""
    if name in labels:
        values = values.astype(np.result_type(values, line))
        at = [i for i, label in enumerate(labels) if label == name]
        if axis == 0:
            values[at, :] = line
        else:
            values[:, at] = np.asarray(line)[:, None]
        return values
    labels.append(name)
    if axis == 0:
        return np.vstack([values, line])
    return np.column_stack([values, line])


_PERCENT = {
    None: None,
    "col": "col",
    "cols": "col",
    "column": "col",
    "colonne": "col",
    "colonnes": "col",
    "row": "row",
    "ligne": "row",
    "lignes": "row",
    "total": "total",
}


def crosstab(
    data: pd.DataFrame,
    row: str,
    col: str,
    *,
    weights: str | Sequence[float] | None = None,
    percent: str | None = None,
    margins: bool = True,
    dropna: bool = False,
    n: bool = False,
    decimals: int | None = 1,
) -> pd.DataFrame:
    """Tri croisé of ``row`` × ``col``: counts or percentages (questionr ``cprop`` / ``lprop``).

    Parameters
    ----------
    data
        The responses, one row per respondent.
    row, col
        The variables in rows and in columns.
    weights
        Name of a weight column, or one weight per row.
    percent
        ``None``: counts with ``Total`` row and column. ``"col"`` (or ``"colonne"``): column
        percentages, with an ``Ensemble`` column (distribution of ``row`` over everyone) and a
        ``Total`` row of 100. ``"row"`` (``"ligne"``): row percentages, ``Ensemble`` row and
        ``Total`` column. ``"total"``: percentages of the grand total with ``Total`` margins.
        Percentage tables leave out empty rows and columns (no 0/0).
    margins
        Add the ``Total`` / ``Ensemble`` margins.
    dropna
        ``False`` (default): missing answers form a ``Non-réponse`` row / column when there are
        any. ``True``: respondents missing either variable are left out; their number is in
        ``table.attrs["non_reponses"]``.
    n
        With percentages, add the bases: an ``Effectif`` row (column percentages), an
        ``Effectif`` column (row percentages), or both (percentages of the total).
    decimals
        Display precision of the percentages (and of weighted counts); the values stay exact.

    Returns
    -------
    pandas.DataFrame
        Counts, or percentages with an ``Ensemble`` margin, with a ``Total`` row and column;
        exact values (``decimals`` is kept in ``attrs`` for the display).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"satisf": ["oui"] * 8 + ["non"] * 2 + ["oui"] * 3 + ["non"] * 7,
    ...                    "sexe": ["F"] * 10 + ["H"] * 10})
    >>> df["satisf"] = pd.Categorical(df["satisf"], ["oui", "non"], ordered=True)
    >>> crosstab(df, "satisf", "sexe", percent="col")  # doctest: +NORMALIZE_WHITESPACE
    sexe        F      H  Ensemble
    satisf
    oui      80.0   30.0      55.0
    non      20.0   70.0      45.0
    Total   100.0  100.0     100.0

    References
    ----------
    Same layout and numbers as R ``questionr::cprop`` / ``lprop``
    (``tests/survey/test_tables.py::test_crosstab_column_percent_worked_example``, by hand).
    """
    data = check_data(data)
    key = percent.casefold() if isinstance(percent, str) else percent
    if key not in _PERCENT:
        raise OptionError(
            f"percent={percent!r} n'est pas reconnu.",
            hint='utilisez percent=None (effectifs), "col" (colonne), "row" (ligne) ou "total".',
        )
    mode = _PERCENT[key]
    w = weight_values(data, weights)
    counts, rcats, ccats, left_out = cross_counts(data, row, col, w, dropna)
    if mode is not None:
        keep_r = counts.sum(axis=1) > 0
        keep_c = counts.sum(axis=0) > 0
        counts = counts[keep_r][:, keep_c]
        rcats = [c for c, k in zip(rcats, keep_r, strict=True) if k]
        ccats = [c for c, k in zip(ccats, keep_c, strict=True) if k]
    # The whole table in numpy, then one frame; the margins are summed as pandas sums a
    # frame's columns and rows (same floating-point order as before).
    rlabels: list[object] = list(rcats)
    clabels: list[object] = list(ccats)
    if mode is None:
        values = counts
        if margins:
            values = _put(values, clabels, TOTAL, counts.sum(axis=1), axis=1)
            values = _put(values, rlabels, TOTAL, _column_sums(values), axis=0)
    elif mode == "col":
        if margins:
            counts = np.column_stack([counts, counts.sum(axis=1)])
            clabels.append(ENSEMBLE)
        values = 100 * counts / counts.sum(axis=0)
        if margins:
            values = _put(values, rlabels, TOTAL, _column_sums(values), axis=0)
    elif mode == "row":
        if margins:
            counts = np.vstack([counts, counts.sum(axis=0)])
            rlabels.append(ENSEMBLE)
        values = 100 * counts / counts.sum(axis=1, keepdims=True)
        if margins:
            values = _put(values, clabels, TOTAL, _row_sums(values), axis=1)
    else:
        values = 100 * counts / counts.sum()
        if margins:
            values = _put(values, clabels, TOTAL, _row_sums(values), axis=1)
            values = _put(values, rlabels, TOTAL, _column_sums(values), axis=0)
    if n and mode is not None:
        bases_c = counts.sum(axis=0)
        bases_r = counts.sum(axis=1)
        if mode in ("row", "total"):
            line = np.append(bases_r, bases_r.sum()) if len(rlabels) > bases_r.size else bases_r
            values = _put(values, clabels, "Effectif", line, axis=1)
        if mode in ("col", "total"):
            row_n = list(bases_c)
            row_n += [bases_c.sum()] * (len(clabels) - len(row_n))
            values = _put(values, rlabels, "Effectif", np.asarray(row_n, dtype=float), axis=0)
    if mode is None and w is None:
        values = values.astype(np.int64)
    table = pd.DataFrame(
        values, index=pd.Index(rlabels, name=row), columns=pd.Index(clabels, name=col)
    )
    table.columns.name = col
    table.index.name = row
    table.attrs["non_reponses"] = left_out
    table.attrs["pourcentages"] = mode
    return shown(table, decimals)
