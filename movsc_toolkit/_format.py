"""French number formatting and stable displays.

Notebook outputs are compared from run to run (nbval), so the toolkit owns its formatting:
numbers are rounded here, written the French way (``1 234,56``, ``12,3 %``), and HTML tables
carry no random identifiers.
"""

from __future__ import annotations

import html
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from numbers import Real

import numpy as np
import pandas as pd

__all__ = [
    "NBSP",
    "format_euro",
    "format_number",
    "format_percent",
    "format_pvalue",
    "frame_html",
    "round_frame",
]

NBSP = "\u202f"  # narrow no-break space, the French thousands separator


def format_number(value: object, decimals: int = 2, *, thousands: str = NBSP) -> str:
    """Write a number the French way: ``format_number(1234.5)`` → ``'1 234,50'``.

    Rounding is half away from zero, as in a spreadsheet (``format_number(0.125)`` →
    ``'0,13'``). Missing values give ``'–'``; a minus sign is the true ``−``.
    """
    if value is None or (isinstance(value, Real) and math.isnan(float(value))):
        return "–"
    if value is pd.NA or value is pd.NaT:
        return "–"
    if not isinstance(value, Real | np.number):
        return str(value)
    number = float(value)
    if math.isinf(number):
        return "∞" if number > 0 else "−∞"
    # Half away from zero on the decimal value the user typed, as Excel and LibreOffice display
    # it (0.125 -> 0,13; 2.675 -> 2,68), not Python's half-even on the binary value.
    rounded = Decimal(repr(abs(number))).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP
    )
    text = f"{rounded:,.{decimals}f}".replace(",", "\x00").replace(".", ",")
    text = text.replace("\x00", thousands)
    if number < 0 and rounded != 0:
        text = "−" + text  # true minus sign, and no "minus zero"
    return text


def format_percent(value: object, decimals: int = 1) -> str:
    """``format_percent(12.345)`` → ``'12,3 %'`` (the value is already a percentage)."""
    text = format_number(value, decimals)
    return text if text == "–" else f"{text}\u00a0%"


def format_euro(value: object, decimals: int = 0) -> str:
    """``format_euro(1234.5)`` → ``'1 235 €'``."""
    text = format_number(value, decimals)
    return text if text == "–" else f"{text}\u00a0€"


def format_pvalue(p: float) -> str:
    """p-values as a French reader expects them: ``< 0,001`` below one per thousand."""
    if p is None or math.isnan(p):
        return "–"
    if p < 0.001:
        return "< 0,001"
    return format_number(p, 3)


def round_frame(df: pd.DataFrame, decimals: int | dict[str, int] = 2) -> pd.DataFrame:
    """Round the float columns of a copy of ``df`` (so outputs are stable from run to run)."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            d = decimals.get(col, 2) if isinstance(decimals, dict) else decimals
            out[col] = out[col].round(d)
    return out


def frame_html(df: pd.DataFrame, *, decimals: int = 2, caption: str | None = None) -> str:
    """A deterministic HTML table (no random ids) with French number formatting."""
    body = df.copy()
    for col in body.columns:
        if pd.api.types.is_numeric_dtype(body[col]) and not pd.api.types.is_bool_dtype(body[col]):
            is_int = pd.api.types.is_integer_dtype(body[col])
            body[col] = body[col].map(lambda v, i=is_int: format_number(v, 0 if i else decimals))
    table = body.to_html(escape=True, border=0, classes="movsc-table")
    if caption:
        tag = f"<caption>{html.escape(caption)}</caption>"
        table = re.sub(r"<table[^>]*>", lambda m: m.group(0) + tag, table, count=1)
    return table
