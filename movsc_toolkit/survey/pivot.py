"""Tableau croisé dynamique (pivot table) of survey answers, as Excel's, with French
aggregation names (``effectif``, ``somme``, ``moyenne``…) and a ``Total`` margin.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._errors import DataError, OptionError, check_columns
from ._common import (
    TOTAL,
    check_data,
    encode,
    shown,
    weight_values,
)

__all__ = ["pivot"]


# --------------------------------------------------------------------------- pivot


_AGGFUNCS: dict[str, str] = {
    "effectif": "count",
    "count": "count",
    "nombre": "count",
    "somme": "sum",
    "sum": "sum",
    "moyenne": "mean",
    "mean": "mean",
    "médiane": "median",
    "mediane": "median",
    "median": "median",
    "min": "min",
    "minimum": "min",
    "max": "max",
    "maximum": "max",
    "écart-type": "std",
    "ecart-type": "std",
    "std": "std",
}


def _as_list(value: object) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Sequence):
        return [value]
    return list(value)


def _natural_categorical(series: pd.Series) -> pd.Series:
    codes, cats = encode(series)
    return pd.Series(
        pd.Categorical.from_codes(codes, categories=pd.Index(cats, dtype=object), ordered=True),
        index=series.index,
        name=series.name,
    )


def pivot(
    data: pd.DataFrame,
    index: str | Sequence[str],
    columns: str | Sequence[str] | None = None,
    values: str | Sequence[str] | None = None,
    aggfunc: str | Callable[..., Any] = "effectif",
    filters: dict[str, object] | None = None,
    *,
    weights: str | Sequence[float] | None = None,
    margins: bool = True,
    decimals: int | None = 2,
) -> pd.DataFrame:
    """Tableau croisé dynamique (Excel pivot table): group, aggregate, filter.

    Parameters
    ----------
    data
        The responses.
    index
        Variable(s) in rows.
    columns
        Variable(s) in columns (optional).
    values
        Numeric variable(s) to aggregate; not needed for counts.
    aggfunc
        ``"effectif"`` (count of rows, or sum of ``weights``), ``"somme"``, ``"moyenne"``
        (weighted mean with ``weights``), ``"médiane"``, ``"min"``, ``"max"``, ``"écart-type"``
        (English names also accepted), or any function.
    filters
        ``{"column": value}`` or ``{"column": [values…]}``: keep only the matching rows
        (Excel's filter area).
    weights
        Weights (a column name or one number per row) for ``"effectif"``, ``"somme"`` and
        ``"moyenne"``.
    margins
        Add ``Total`` row and column (computed on the underlying rows, not on the cells).
    decimals
        Rounding of the result (``None``: full precision).

    Returns
    -------
    pandas.DataFrame
        One row per value of ``index`` (one column per value of ``columns``), with ``Total``
        margins; exact values.

    Examples
    --------
    ``pivot(df, "quartier", "sexe", values="age", aggfunc="moyenne", filters={"adherent": "Oui"})``

    >>> from movsc_toolkit import datasets, survey
    >>> reponses = datasets.load("enquete_usagers")
    >>> table = survey.pivot(reponses, "quartier", values="nb_enfants", aggfunc="moyenne")
    >>> round(float(table.loc["Total", "nb_enfants"]), 3)
    2.18
    """
    data = check_data(data)
    index_cols = _as_list(index)
    column_cols = _as_list(columns)
    value_cols = _as_list(values)
    check_columns(data, [*index_cols, *column_cols, *value_cols])
    if not index_cols:
        raise DataError("indiquez au moins une variable en lignes (index=…).")
    func: Any = aggfunc
    if isinstance(aggfunc, str):
        key = aggfunc.casefold()
        if key not in _AGGFUNCS:
            raise OptionError(
                f"aggfunc={aggfunc!r} n'est pas reconnu.",
                hint="utilisez " + ", ".join(f"« {k} »" for k in list(_AGGFUNCS)[::2]) + ".",
            )
        func = _AGGFUNCS[key]
    w_all = weight_values(data, weights)  # checked on every row, then filtered with them
    frame = data
    mask = np.ones(len(data), dtype=bool)
    if filters:
        check_columns(data, list(filters))
        for name, wanted in filters.items():
            accepted = _as_list(wanted)
            mask &= data[name].isin(accepted).to_numpy()
        frame = data.loc[mask]
        if len(frame) == 0:
            raise DataError(
                "aucune ligne ne correspond aux filtres demandés.",
                hint="vérifiez les valeurs des filtres (orthographe, majuscules).",
            )
    w = None if w_all is None else w_all[mask]
    work = pd.DataFrame(index=frame.index)
    for name in dict.fromkeys([*index_cols, *column_cols]):
        work[name] = _natural_categorical(frame[name])
    options = {
        "index": index_cols,
        "columns": column_cols or None,
        "margins": margins,
        "margins_name": TOTAL,
        "observed": False,
    }
    if func == "count":
        work["Effectif"] = np.ones(len(frame)) if w is None else w
        table = pd.pivot_table(work, values="Effectif", aggfunc="sum", fill_value=0, **options)
        if w is None:
            table = table.astype(np.int64)
        return shown(table, decimals)
    if not value_cols:
        raise DataError(
            f"aggfunc={aggfunc!r} demande une variable numérique values=….",
            hint='pour compter les lignes, utilisez aggfunc="effectif".',
        )
    target = value_cols if len(value_cols) > 1 else value_cols[0]
    if w is not None and func in ("sum", "mean"):
        den = work.copy()
        for name in value_cols:
            num = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)
            work[name] = num * w
            den[name] = np.where(np.isnan(num), np.nan, w)
        table = pd.pivot_table(work, values=target, aggfunc="sum", **options)
        if func == "mean":
            table = table / pd.pivot_table(den, values=target, aggfunc="sum", **options)
    elif w is not None:
        raise DataError(
            f"la pondération n'est possible qu'avec les effectifs, la somme ou la moyenne "
            f"(aggfunc={aggfunc!r}).",
            hint='utilisez aggfunc="effectif", "somme" ou "moyenne", ou retirez weights=.',
        )
    else:
        for name in value_cols:
            work[name] = frame[name]
        table = pd.pivot_table(work, values=target, aggfunc=func, **options)
    return shown(table, decimals)
