"""What goes into a cell: the formula-injection guard (OWASP CSV injection), XML-safe text,
Excel's length limit, and DataFrame values as spreadsheet values.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import decimal
import math
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import MovscWarning

#: Excel's limit of characters in one cell.
EXCEL_MAX_CHARS = 32_767

# Characters XML 1.0 forbids (openpyxl raises IllegalCharacterError on the C0 ones).
_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile("[\x0b\x0c]")
# OWASP CSV injection: first characters that make a spreadsheet read a formula.
_DANGEROUS_FIRST = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


class Formula(str):
    """A formula the toolkit writes on purpose (``Formula("=SUM(F2:H2)")``).

    Only values of this type are ever written as formulas; every other text is written as text.
    """

    __slots__ = ()


# --------------------------------------------------------------------------- text cells


def is_dangerous(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (OWASP "CSV injection").

    ``True`` for text starting with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or
    their full-width forms, unless the text is a plain number (``-2``, ``+33``, ``-1,5``).

    Parameters
    ----------
    text
        A cell's text.

    Returns
    -------
    bool
        ``True`` when the text must be neutralised (CSV) or written as text (xlsx, ods).

    References
    ----------
    OWASP, *CSV Injection* (https://owasp.org/www-community/attacks/CSV_Injection): the
    characters that start a formula; tested in ``tests/core/test_write.py``
    (``test_is_dangerous_follows_owasp``).

    Examples
    --------
    >>> is_dangerous("=SOMME(A1:A3)"), is_dangerous("-2"), is_dangerous("Dupont")
    (True, False, False)
    """
    return bool(text) and text[0] in _DANGEROUS_FIRST and not _PLAIN_NUMBER.fullmatch(text)


def neutralise_csv(text: str) -> str:
    """The CSV treatment of formula injection: a leading ``'`` on dangerous text only.

    Parameters
    ----------
    text
        A cell's text.

    Returns
    -------
    str
        The text, with a leading ``'`` when a spreadsheet would read it as a formula.

    References
    ----------
    OWASP, *CSV Injection* (prefix the cell with a single quote); tested in
    ``tests/core/test_write.py`` (``test_write_csv_neutralises_only_dangerous_text``).

    Examples
    --------
    >>> neutralise_csv("@SUM(1+1)"), neutralise_csv("+33 6 12 34 56 78"), neutralise_csv("12")
    ("'@SUM(1+1)", "'+33 6 12 34 56 78", '12')
    """
    return "'" + text if is_dangerous(text) else text


def xml_text(text: object) -> str:
    """``text`` as a string XML documents accept (python-docx, odfpy, openpyxl).

    Vertical tabs and form feeds (Word's manual line and page breaks) become line breaks; other
    control characters XML forbids, lone surrogates, ``\\ufffe`` and ``\\uffff`` are removed.
    """
    value = str(text)
    if _BREAKS.search(value):
        value = _BREAKS.sub("\n", value)
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    return value


@dataclass
class Notes:
    """Alerts gathered while writing one file, reported as one warning each."""

    what: str
    path: Path
    cleaned: list[str] = field(default_factory=list)
    cut: list[str] = field(default_factory=list)

    def text(self, value: str, where: Callable[[], str], limit: int | None) -> str:
        clean = xml_text(value)
        if clean != value:
            self.cleaned.append(where())
        if limit is not None and len(clean) > limit:
            self.cut.append(where())
            mark = f"… [texte coupé : {len(clean)} caractères au total]"
            clean = clean[: limit - len(mark)] + mark
        return clean

    def report(self) -> None:
        def places(items: list[str]) -> str:
            shown = ", ".join(items[:5])
            return shown + (f" et {len(items) - 5} autre(s)" if len(items) > 5 else "")

        if self.cleaned:
            warnings.warn(
                f"{self.what} « {self.path.name} » : {len(self.cleaned)} cellule(s) contenaient "
                "des caractères de contrôle invisibles, refusés par Excel/Calc : ils ont été "
                f"retirés (sauts de ligne ou de page de Word changés en sauts de ligne) "
                f"({places(self.cleaned)}).\nQue faire : rien si le texte vous convient ; "
                "sinon corrigez-le dans les données d'origine.",
                MovscWarning,
                stacklevel=4,
            )
        if self.cut:
            warnings.warn(
                f"{self.what} « {self.path.name} » : {len(self.cut)} cellule(s) dépassaient "
                f"la limite d'Excel de {EXCEL_MAX_CHARS} caractères et ont été coupées ; la "
                f"fin de chaque cellule coupée l'indique ({places(self.cut)}).\nQue faire : "
                "gardez le texte complet dans un fichier .txt ou .docx, ou exportez au format "
                ".ods ou .csv.",
                MovscWarning,
                stacklevel=4,
            )


def cell_value(value: Any) -> Any:
    """A DataFrame value as a spreadsheet value (None for missing, Python scalars)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, Formula):
        return value
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return "Oui" if value else "Non"  # as the toolkit displays them (not VRAI/FAUX)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float | np.floating | decimal.Decimal):
        number = float(value)
        if math.isnan(number):
            return None
        if math.isinf(number):
            return "+∞" if number > 0 else "−∞"
        return number
    if isinstance(value, pd.Timestamp):
        if value.tzinfo is not None:
            value = value.tz_localize(None)
        return value.to_pydatetime()
    if isinstance(value, _dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is not None else value
    if isinstance(value, _dt.date | _dt.time):
        return value
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).to_pydatetime()
    if isinstance(value, pd.Timedelta | _dt.timedelta):
        return str(value)
    with contextlib.suppress(TypeError, ValueError):
        if pd.isna(value):
            return None
    return str(value)
