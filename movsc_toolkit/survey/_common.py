"""Survey's shared kernel: checks of the data, columns and weights, natural category order,
codes and counts, used by every survey table, test and analysis.

A private module with public names: the sibling modules of :mod:`movsc_toolkit.survey` import
them; they are not part of the package's public API.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from .._cores import arrow_value_counts
from .._errors import DataError, column_error
from .._parse import check_weights, fold

__all__ = [
    "ENSEMBLE",
    "NON_REPONSE",
    "TOTAL",
    "all_missing_error",
    "check_data",
    "column_of",
    "count_codes",
    "counted",
    "cross_counts",
    "encode",
    "shown",
    "sort_key",
    "weight_values",
]

NON_REPONSE = "Non-réponse"
TOTAL = "Total"
ENSEMBLE = "Ensemble"

# --------------------------------------------------------------------------- shared helpers


def check_data(data: object) -> pd.DataFrame:
    """The data must be a non-empty DataFrame."""
    if not isinstance(data, pd.DataFrame):
        raise DataError(
            f"les données doivent être un tableau pandas (DataFrame), pas {type(data).__name__}.",
            hint="chargez d'abord le fichier, par exemple avec movsc_toolkit.read_table(…).",
        )
    if len(data) == 0:
        raise DataError(
            "le tableau de données est vide (aucune ligne).",
            hint="vérifiez le fichier chargé ou le filtre appliqué avant l'analyse.",
        )
    return data


def column_of(data: pd.DataFrame, column: object) -> pd.Series:
    """The column, or a French error naming the closest column."""
    if not isinstance(column, str | int) or column not in data.columns:
        raise column_error(column, data.columns)
    return data[column]


def weight_values(data: pd.DataFrame, weights: object) -> np.ndarray | None:
    """Validate the weights (a column name or one number per row); None when not weighted.

    The shared rule of the toolkit: :func:`movsc_toolkit._parse.check_weights`.
    """
    return check_weights(data, weights)


@functools.lru_cache(maxsize=8192)
def _folded(text: str) -> str:
    """:func:`fold` of a label, remembered: the same answers are sorted by every table."""
    return fold(text)


def sort_key(value: object) -> tuple[int, object]:
    if isinstance(value, bool | np.bool_):
        return (0, int(value))
    if isinstance(value, int | float | np.number):
        return (0, float(value))
    if type(value) is str:
        return (1, _folded(value))
    return (1, fold(value))


def _natural_order(values: list[object]) -> list[int]:
    """Positions of ``values`` in their natural order (:func:`sort_key`, stable)."""
    keys = [sort_key(v) for v in values]
    return sorted(range(len(values)), key=keys.__getitem__)


def encode(series: pd.Series) -> tuple[np.ndarray, list[object]]:
    """Integer codes (−1 = missing) and the categories in their natural order.

    Categoricals keep their categories (unobserved ones included) in their order; other
    columns are sorted (numbers numerically, text alphabetically ignoring case and accents).
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy(dtype=np.int64), list(series.cat.categories)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    # Index.tolist: the Python scalars list() gives, without an Arrow scalar per value
    uniques = uniques.tolist() if isinstance(uniques, pd.Index) else list(uniques)
    order = _natural_order(uniques)
    remap = np.empty(len(uniques) + 1, dtype=np.int64)
    remap[-1] = -1
    remap[np.asarray(order, dtype=np.int64)] = np.arange(len(uniques))
    codes = np.asarray(codes, dtype=np.int64)
    return remap[codes], [uniques[i] for i in order]


def _arrow_text(dtype: object) -> bool:
    """Whether a column's cells are Arrow strings (pandas ``str`` with pyarrow, or Arrow)."""
    if isinstance(dtype, pd.StringDtype):
        return dtype.storage == "pyarrow"
    if isinstance(dtype, pd.ArrowDtype):
        import pyarrow as pa

        kind = dtype.pyarrow_dtype
        return pa.types.is_string(kind) or pa.types.is_large_string(kind)
    return False


def counted(series: pd.Series) -> tuple[list[object], np.ndarray]:
    """Categories in the natural order of :func:`encode` and their counts (missing left out).

    Same grouping of values as :func:`pandas.factorize` (both hash with pandas' tables, or
    both with Arrow's for Arrow strings), but without a code per row.
    """
    if _arrow_text(series.dtype):
        # Arrow's own count, split over the usable cores for a long column
        found, counts = arrow_value_counts(series.array.__arrow_array__())
        every = found.to_pylist()
        present = np.array([v is not None for v in every], dtype=bool)
        uniques = [v for v in every if v is not None]
        values = np.asarray(counts, dtype=np.int64)[present]
    else:
        # dropna=False is pandas' fast path (dropna=True first masks every row); the missing
        # values' entries are then left out here
        counted = series.value_counts(dropna=False, sort=False)
        present = ~pd.isna(counted.index)
        uniques = counted.index[present].tolist()  # tolist: no Arrow scalar per value
        values = counted.to_numpy(dtype=np.int64)[present]
    order = _natural_order(uniques)
    return [uniques[i] for i in order], values[np.asarray(order, dtype=np.int64)]


def count_codes(codes: np.ndarray, size: int, w: np.ndarray | None) -> np.ndarray:
    """Counts (or sums of weights) of codes 0..size−1; code −1 (missing) is ignored."""
    valid = codes >= 0
    if w is None:
        return np.bincount(codes[valid], minlength=size).astype(np.int64)
    return np.bincount(codes[valid], weights=w[valid], minlength=size)


def all_missing_error(column: str | int) -> DataError:
    return DataError(
        f"la colonne « {column} » ne contient que des valeurs manquantes.",
        column=column,
        hint="vérifiez le nom de la colonne ou l'import du fichier (séparateur, en-tête).",
    )


def shown(table: pd.DataFrame, decimals: int | None) -> pd.DataFrame:
    """Keep the values exact; ``decimals`` is the display precision (read by ``_format``)."""
    table.attrs["decimals"] = decimals
    return table


def cross_counts(
    data: pd.DataFrame,
    row: str,
    col: str,
    w: np.ndarray | None,
    dropna: bool,
) -> tuple[np.ndarray, list[object], list[object], float]:
    """Counts matrix, row and column labels, and the count left out for missing answers."""
    rcodes, rcats = encode(column_of(data, row))
    ccodes, ccats = encode(column_of(data, col))
    missing = (rcodes < 0) | (ccodes < 0)
    if not dropna:
        if (rcodes < 0).any():
            rcats = [*rcats, NON_REPONSE]
            rcodes = np.where(rcodes < 0, len(rcats) - 1, rcodes)
        if (ccodes < 0).any():
            ccats = [*ccats, NON_REPONSE]
            ccodes = np.where(ccodes < 0, len(ccats) - 1, ccodes)
        missing = np.zeros(len(rcodes), dtype=bool)
    left_out = float(missing.sum()) if w is None else float(w[missing].sum())
    keep = ~missing
    flat = rcodes[keep] * len(ccats) + ccodes[keep]
    size = len(rcats) * len(ccats)
    if w is None:
        counts = np.bincount(flat, minlength=size).astype(float)
    else:
        counts = np.bincount(flat, weights=w[keep], minlength=size)
    counts = counts.reshape(len(rcats), len(ccats))
    if counts.sum() == 0:
        raise DataError(
            f"aucune ligne n'a de réponse à la fois pour « {row} » et pour « {col} ».",
            hint="vérifiez les deux colonnes (valeurs manquantes, filtre appliqué).",
        )
    return counts, rcats, ccats, left_out
