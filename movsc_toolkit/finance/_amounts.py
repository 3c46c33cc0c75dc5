"""Amounts in euros, read by the shared parser (:func:`movsc_toolkit._parse.to_number`).

One rule is added for money: an amount in euros never has three decimals, so ``1.250`` and
``12.500`` (and ``1,250``) are read as thousands (1 250 €, 12 500 €) whatever the rest of the
column, where the generic parser would call them ambiguous. A cell written with ``%`` is not an
amount. Used by the ledger, budget and convention readers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._parse import to_number

__all__ = ["read_amounts", "to_amount"]

_SEPARATOR = r"(?<=\d)[.,](?=\d{3}(?!\d))"


def read_amounts(values: pd.Series | Sequence[object]) -> tuple[pd.Series, pd.Series]:
    """Read a column of amounts in euros.

    Parameters
    ----------
    values : pandas.Series or sequence
        The cells of a column, as read from the file (text or numbers).

    Returns
    -------
    tuple of (pandas.Series, pandas.Series)
        ``(amounts, status)``: floats (``NaN`` where blank or unreadable) and, per cell,
        ``"vide"``, ``"ok"``, ``"point"`` (decimal point), ``"milliers"`` (thousands separator
        read) or ``"illisible"`` (not an amount: text, a percentage…).

    Examples
    --------
    >>> amounts, status = read_amounts(["1 234,56", "12.500", "", "10 %"])
    >>> amounts.tolist()
    [1234.56, 12500.0, nan, nan]
    >>> status.tolist()
    ['milliers', 'milliers', 'vide', 'illisible']
    """
    s = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    result = to_number(s)
    amounts = result.values.copy()
    status = result.status.copy()
    if result.ambiguous.any():
        amb = result.ambiguous.to_numpy()
        again = to_number(s[amb].astype(str).str.replace(_SEPARATOR, "", regex=True))
        amounts[amb] = again.values.to_numpy()
        status[amb] = np.where(again.bad.to_numpy(), "illisible", "milliers")
    if result.percent.any():
        pct = result.percent.to_numpy()
        amounts[pct] = np.nan
        status[pct] = "illisible"
    return amounts, status


def to_amount(value: object) -> float | None:
    """One amount in euros, or ``None`` when the cell is empty or not an amount.

    Parameters
    ----------
    value : object
        One cell (text or number).

    Returns
    -------
    float or None

    Examples
    --------
    >>> to_amount("12,5 €"), to_amount("")
    (12.5, None)
    """
    amounts, status = read_amounts(pd.Series([value], dtype=object))
    if status.iloc[0] in ("vide", "illisible"):
        return None
    return float(amounts.iloc[0])
