"""Survey weights (:func:`check_weights`): one rule for every capability."""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike

import numpy as np
import pandas as pd

from .._errors import DataError, check_columns
from .numbers import to_number

__all__ = ["check_weights"]


# ---------------------------------------------------------------------------------- weights


def _row_lines(data: pd.DataFrame, positions: np.ndarray) -> str:
    """File line numbers of the first rows (``attrs['lines']`` from read_table, else 1-based
    row numbers), as text."""
    lines = data.attrs.get("lines")
    if lines is not None and len(lines) == len(data):
        lines = list(lines)
        shown = [str(lines[i]) for i in positions[:5]]
    else:
        shown = [str(int(i) + 1) for i in positions[:5]]
    return ", ".join(shown) + (" …" if len(positions) > 5 else "")


def check_weights(
    data: pd.DataFrame,
    weights: str | Sequence[float] | np.ndarray | pd.Series | None,
    *,
    path: str | PathLike[str] | None = None,
) -> np.ndarray | None:
    """Validate survey weights and return them as a float array (``None`` when not weighted).

    ``weights`` is a column name of ``data`` or one number per row. Text cells are read with
    :func:`to_number` (``"1,5"`` is 1.5). Missing, non-numeric or negative weights, or a zero
    sum, raise :class:`~movsc_toolkit._errors.DataError` naming the lines (``attrs["lines"]``
    when the table was read by :func:`~movsc_toolkit.read_table`).
    """
    if weights is None:
        return None
    if isinstance(weights, str):
        check_columns(data, [weights], path=path)
        raw = data[weights]
        name = weights
    else:
        raw = pd.Series(
            np.asarray(weights, dtype=object).ravel()
            if not isinstance(weights, pd.Series)
            else weights.to_numpy(dtype=object)
        )
        name = "poids"
        if len(raw) != len(data):
            raise DataError(
                f"{len(raw)} poids donnés pour {len(data)} lignes.",
                path=path,
                hint="donnez exactement un poids par ligne (ou le nom d'une colonne de poids).",
            )
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        values = raw.to_numpy(dtype=float, na_value=np.nan)
    else:
        values = to_number(pd.Series(np.asarray(raw, dtype=object))).values.to_numpy()
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise DataError(
            f"{bad.size} poids manquants ou non numériques (lignes {_row_lines(data, bad)}).",
            path=path,
            column=name,
            hint="chaque ligne doit avoir un poids numérique ; complétez ou retirez ces lignes.",
        )
    bad = np.flatnonzero(values < 0)
    if bad.size:
        raise DataError(
            f"{bad.size} poids négatifs (lignes {_row_lines(data, bad)}).",
            path=path,
            column=name,
            hint="un poids est un nombre positif ou nul ; corrigez la colonne de poids.",
        )
    if values.sum() <= 0:
        raise DataError(
            "la somme des poids est nulle.",
            path=path,
            column=name,
            hint="vérifiez la colonne de poids.",
        )
    return values
