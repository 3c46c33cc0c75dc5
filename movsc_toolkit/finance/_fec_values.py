"""Internal API of the FEC reader: amounts, dates and the financial year of a FEC.

Used by :mod:`.fec` only. The norm (art. A47 A-1 of the Livre des procédures fiscales, VII)
writes amounts with a decimal comma, an optional sign (on the left or the right) and no
thousands separator, and dates as ``AAAAMMJJ``. :func:`parse_amounts` reads the amounts with
the shared parser and says how each one deviates; :func:`convert_amounts` gives ``Debit`` and
``Credit`` (from ``Debit``/``Credit`` or ``Montant``/``Sens``) with the problems of the amounts;
:func:`fec_dates` reads a date column once per distinct value; :func:`exercise` finds the
financial year from the file name ``SirenFECAAAAMMJJ`` and the entry dates.
"""

from __future__ import annotations

import calendar
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import DataError
from ._amounts import read_amounts
from ._books import problem_frame

__all__ = ["DATE_COLUMNS", "convert_amounts", "exercise", "fec_dates", "parse_amounts"]

DATE_COLUMNS = ["EcritureDate", "PieceDate", "DateLet", "ValidDate"]

_FEC_NAME = re.compile(r"FEC(\d{8})", re.IGNORECASE)


def parse_amounts(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse amounts with the shared parser (:func:`._amounts.read_amounts`).

    Returns ``(numbers, status)``: ``numbers`` as float (0 for empty or unreadable values) and
    ``status`` as text: ``""`` (conforming or empty), ``"point"`` (decimal point, value read),
    ``"milliers"`` (thousands separator, value read), ``"symbole"`` (a currency sign or
    parentheses, value read) or ``"illisible"`` (counted as 0). The sign may be on the right
    (``123,45-``), as the FEC norm allows.
    """
    text = values.astype(object).where(values.notna(), "")
    amounts, status = read_amounts(text)
    status = status.where(~status.isin(["vide", "ok"]), "")
    read = status.isin(["", "point", "milliers"]) & (text != "")
    if read.any():
        symbol = text[read].astype(str).str.contains(r"[€$()]|EUR", case=False, regex=True)
        status[symbol[symbol].index] = "symbole"
    return amounts.fillna(0.0).astype("float64"), status


def fec_dates(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, np.ndarray]:
    """Parse a FEC date column (``AAAAMMJJ``) once per distinct value.

    Returns ``(dates, invalid, out_of_range, empty)``: ``datetime64[ns]`` (NaT where empty,
    invalid or out of range), the non-empty cells that are not a real ``AAAAMMJJ`` date, the
    real dates whose year is outside 1900–2099 (``30240105``, ``99991231``: DGFiP's Test Compta
    Demat calls them « en dehors de la période »; pandas could not even hold most of them), and
    the empty cells (``""`` or missing). A column already read as dates (the Arrow path of
    :func:`._fec_text.read_arrow`) is returned as it is.
    """
    if isinstance(values.dtype, np.dtype) and values.dtype.kind == "M":  # read as dates
        none = pd.Series(False, index=values.index)
        return values, none, none.copy(), values.isna().to_numpy()
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    text = pd.Series(np.asarray(uniques, dtype=object), dtype=object).astype(str).str.strip()
    digits = text.str.fullmatch(r"\d{8}")
    years = pd.to_numeric(text.str[:4].where(digits), errors="coerce")
    in_period = digits & years.between(1900, 2099)
    parsed = pd.to_datetime(text.where(in_period), format="%Y%m%d", errors="coerce")
    out_of_range = np.zeros(len(text), dtype=bool)
    for i in np.flatnonzero((digits & ~in_period).to_numpy()):
        y, m, d = int(text.iloc[i][:4]), int(text.iloc[i][4:6]), int(text.iloc[i][6:])
        out_of_range[i] = 1 <= m <= 12 and 1 <= d <= calendar.monthrange(max(y, 1), m)[1]
    invalid = parsed.isna().to_numpy() & ~out_of_range & (text != "").to_numpy()
    stamps = np.append(parsed.to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT", "ns"))
    index = values.index
    empty = np.append(np.asarray(uniques, dtype=object) == "", True)[codes]
    return (
        pd.Series(stamps[codes], index=index, dtype="datetime64[ns]", copy=False),
        pd.Series(np.append(invalid, False)[codes], index=index, copy=False),
        pd.Series(np.append(out_of_range, False)[codes], index=index, copy=False),
        empty,
    )


def _amount_text(debit: pd.Series, credit: pd.Series, mask: pd.Series) -> pd.Series:
    out = pd.Series("", index=debit.index, dtype=object)
    if mask.any():
        d = debit[mask].map(lambda x: f"{x:.2f}".replace(".", ","))
        c = credit[mask].map(lambda x: f"{x:.2f}".replace(".", ","))
        out[mask] = d + " / " + c
    return out


def exercise(
    path: Path, year: int | None, dates: pd.Series
) -> tuple[int, pd.Timestamp, pd.Timestamp, str | None]:
    """The financial year of one FEC: ``(year, first day, closing day, note)``.

    ``year`` given by the user wins. Otherwise the closing date of the file name
    ``SirenFECAAAAMMJJ`` is used, unless most entry dates fall outside the year it closes: the
    year is then the one of the entries (with the same closing day), and ``note`` says so.
    Without a dated file name, the most frequent year of the entries.
    """
    match = _FEC_NAME.search(path.name)
    closing = pd.to_datetime(match.group(1), format="%Y%m%d", errors="coerce") if match else None
    if closing is not None and pd.isna(closing):
        closing = None

    def window(y: int, close: pd.Timestamp | None) -> tuple[pd.Timestamp, pd.Timestamp]:
        if close is None:
            return pd.Timestamp(y, 1, 1), pd.Timestamp(y, 12, 31)
        return close - pd.DateOffset(years=1) + pd.Timedelta(days=1), close

    if year is not None:
        if closing is not None and closing.year != int(year):
            closing = None
        return (int(year), *window(int(year), closing), None)
    valid = dates.dropna()
    if closing is None:
        if valid.empty:
            raise DataError(
                "impossible de déterminer l'exercice : aucune date d'écriture lisible et le nom "
                "du fichier ne suit pas la forme SirenFECAAAAMMJJ.",
                path=path,
                hint="indiquez l'exercice : read_fec(chemin, year=2024).",
            )
        y = int(valid.dt.year.mode().iloc[0])
        return (y, *window(y, None), None)
    start, end = window(closing.year, closing)
    if valid.empty or ((valid >= start) & (valid <= end)).mean() >= 0.5:
        return (int(closing.year), start, end, None)
    # most entries belong to another year: the year of each date, for this closing day
    after = valid.dt.month * 100 + valid.dt.day > closing.month * 100 + closing.day
    years = valid.dt.year + after.astype(int)
    y = int(years.mode().iloc[0])
    day = min(closing.day, calendar.monthrange(y, closing.month)[1])
    new_closing = pd.Timestamp(y, closing.month, day)
    share = round(100 * float((years == y).mean()))
    note = (
        f"le nom du fichier annonce l'exercice clos le {closing:%d/%m/%Y}, mais {share} % des "
        f"écritures sont datées de l'exercice clos le {new_closing:%d/%m/%Y} : exercice {y} "
        "retenu d'après les dates (corrigez le nom du fichier, ou indiquez "
        f"read_fec(chemin, year={y}))."
    )
    return (y, *window(y, new_closing), note)


def convert_amounts(
    df: pd.DataFrame,
    amount_cols: list[str],
    *,
    fast: bool,
    montant_sens: bool,
    lines: pd.Series,
) -> tuple[dict[str, Any], list[pd.DataFrame | None]]:
    """Debit and Credit of every line (from Debit/Credit or Montant/Sens), with the problems
    of the amounts: decimal point, thousands separator, unreadable, invalid Sens, a line with
    both a debit and a credit or with neither."""
    problems: list[pd.DataFrame | None] = []
    out: dict[str, Any] = {}
    statuses: dict[str, pd.Series | None] = {}
    amounts: dict[str, pd.Series] = {}
    for col in amount_cols:
        if fast:
            amounts[col] = df[col].fillna(0.0).astype("float64")
            statuses[col] = None
        else:
            amounts[col], statuses[col] = parse_amounts(df[col])
    if montant_sens:
        amount = amounts["Montant"]
        sens = df["Sens"].astype(str).str.strip().str.upper()
        debit_side = sens.isin(["D", "+1", "1"])
        credit_side = sens.isin(["C", "-1"])
        bad_sens = ~(debit_side | credit_side)
        problems.append(
            problem_frame(
                bad_sens,
                lines,
                "Sens",
                df["Sens"],
                "sens invalide : attendu D ou C (ou +1 / -1) ; montant ignoré.",
                "erreur",
            )
        )
        out["Debit"] = amount.where(debit_side, 0.0)
        out["Credit"] = amount.where(credit_side, 0.0)
    else:
        out["Debit"], out["Credit"] = amounts["Debit"], amounts["Credit"]
    amount_checks = [(c, df[c], statuses[c]) for c in amount_cols if statuses[c] is not None]
    for column, values, status in amount_checks:
        problems.append(
            problem_frame(
                status == "point",
                lines,
                column,
                values,
                "le montant utilise un point décimal : le FEC exige une virgule (valeur lue "
                "quand même).",
                "alerte",
            )
        )
        problems.append(
            problem_frame(
                status == "milliers",
                lines,
                column,
                values,
                "le montant contient un séparateur de milliers, interdit dans un FEC (valeur "
                "lue quand même).",
                "alerte",
            )
        )
        problems.append(
            problem_frame(
                status == "symbole",
                lines,
                column,
                values,
                "le montant contient un symbole (€, parenthèses…) : un FEC n'admet que des "
                "chiffres, la virgule décimale et un signe (valeur lue quand même).",
                "alerte",
            )
        )
        problems.append(
            problem_frame(
                status == "illisible",
                lines,
                column,
                values,
                "montant illisible, compté pour 0 : corrigez-le dans le logiciel comptable.",
                "erreur",
            )
        )
    debit, credit = out["Debit"], out["Credit"]
    both = (debit != 0) & (credit != 0)
    neither = (debit == 0) & (credit == 0)
    # a line already reported for an unreadable amount (or an invalid Sens) is not reported
    # a second time as a line without amount
    for status in statuses.values():
        if status is not None:
            neither &= status != "illisible"
    if montant_sens:
        neither &= ~bad_sens
    problems.append(
        problem_frame(
            both,
            lines,
            "Debit",
            _amount_text(debit, credit, both),
            "la ligne a à la fois un débit et un crédit : une ligne de FEC porte l'un ou l'autre.",
            "alerte",
        )
    )
    problems.append(
        problem_frame(
            neither,
            lines,
            "Montant" if montant_sens else "Debit",
            amounts["Montant"].map(lambda x: f"{x:.2f}".replace(".", ","))
            if montant_sens
            else _amount_text(debit, credit, neither),
            "ligne sans montant (montant nul ou vide)."
            if montant_sens
            else "ligne sans montant (débit et crédit nuls ou vides).",
            "alerte",
        )
    )
    return out, problems
