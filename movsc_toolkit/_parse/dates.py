"""French and ISO dates, ``AAAAMMJJ`` and Excel serials (:func:`to_date`, :func:`parse_date`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from .._errors import DataError
from .text import blank_scalar, fold

__all__ = ["DateResult", "date_table", "parse_date", "to_date"]


# ------------------------------------------------------------------------------------ dates

_MIN_YEAR, _MAX_YEAR = 1678, 2261  # what datetime64[ns] holds whole years of
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_EXCEL_MAX = 2958465  # 31/12/9999
_SERIAL_TEXT = re.compile(r"^\d+([.,]\d+)?$")
_TIME = r"(?:[ T](?P<H>\d{1,2})[:h](?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?)?"
_TZ = r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT|CET|CEST))?"
_DATE_PATTERNS = (
    # 31/12/2024, 31-12-2024, 31.12.2024, 1/2/2024 (day first, as in France)
    re.compile(r"^(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})" + _TIME + "$"),
    # 2024-12-31, 2024/12/31, 2024-12-31T10:30:00+01:00
    re.compile(
        r"^(?P<y>\d{4})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})" + _TIME + _TZ + "$"
    ),
    # 20241231 (FEC, accounting software)
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
)
_MONTHS = {
    "janvier": 1,
    "janv": 1,
    "jan": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "mar": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "sep": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}
_TEXT_DATE = re.compile(
    r"^(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
    r"(?P<d>\d{1,2})(?:er)?\s+(?P<mon>[a-z]+)\.?\s+(?P<y>\d{4})$"
)


@dataclass(frozen=True, eq=False)
class DateResult:
    """What :func:`to_date` read from a column.

    Attributes
    ----------
    values
        ``datetime64[ns]`` Series on the input's index; ``NaT`` where blank, unreadable or
        out of range.
    bad
        Boolean Series: a non-blank cell that is not a date (``"32/01/2024"``, ``"bientôt"``).
    out_of_range
        Boolean Series: a real calendar date whose year is before 1678 or after 2261
        (``30240105``, ``99991231``), which pandas cannot hold; report it on its line.
    """

    values: pd.Series
    bad: pd.Series
    out_of_range: pd.Series

    @property
    def all_dates(self) -> bool:
        """True when every non-blank cell is a date (out-of-range ones included)."""
        return not bool(self.bad.any())


def _valid_day(y: int, m: int, d: int) -> bool:
    if not (1 <= m <= 12 and 1 <= d <= 31) or y < 1:
        return False
    if m == 2:
        leap = (y % 4 == 0 and y % 100 != 0) or y % 400 == 0
        return d <= (29 if leap else 28)
    return d <= (30 if m in (4, 6, 9, 11) else 31)


def _parse_date_text(text: str, compact: bool) -> tuple[str, Any]:
    """``("ok", Timestamp)``, ``("range", None)``, ``("bad", None)`` or ``("blank", None)``."""
    t = text.strip()
    if not t:
        return "blank", None
    parts = None
    for i, pattern in enumerate(_DATE_PATTERNS):
        if i == 2 and not compact:
            continue
        match = pattern.match(t)
        if match:
            parts = match.groupdict()
            break
    if parts is None:
        match = _TEXT_DATE.match(fold(t).replace("1er", "1"))
        if not match:
            return "bad", None
        month = _MONTHS.get(match["mon"])
        if month is None:
            return "bad", None
        parts = {"y": match["y"], "m": str(month), "d": match["d"]}
    y, m, d = int(parts["y"]), int(parts["m"]), int(parts["d"])
    if not _valid_day(y, m, d):
        return "bad", None
    hour = int(parts.get("H") or 0)
    minute = int(parts.get("M") or 0)
    second = int(parts.get("S") or 0)
    if hour > 23 or minute > 59 or second > 59:
        return "bad", None
    if not _MIN_YEAR <= y <= _MAX_YEAR:
        return "range", None
    frac = parts.get("f") or ""
    nanos = int(frac.ljust(9, "0")) if frac else 0
    stamp = pd.Timestamp(
        year=y, month=m, day=d, hour=hour, minute=minute, second=second, nanosecond=nanos % 1000
    )
    if nanos >= 1000:
        stamp += pd.Timedelta(microseconds=nanos // 1000)
    return "ok", stamp


def _from_serial(value: float) -> tuple[str, Any]:
    if not 1 <= value <= _EXCEL_MAX:
        return "bad", None
    stamp = _EXCEL_EPOCH + pd.Timedelta(days=float(value))
    return "ok", stamp.round("s")


def to_date(
    values: pd.Series | Sequence[object],
    *,
    excel_serial: bool = False,
    compact: bool = True,
) -> DateResult:
    """Read a column of dates.

    Accepted: ``31/12/2024``, ``31-12-2024``, ``31.12.2024`` (day first, as in France, with
    an optional time ``14:30`` or ``14:30:15``), ISO ``2024-12-31`` and ``2024/12/31``
    (optional time ``T10:30:00``, fractions of a second; a time-zone suffix such as ``Z`` or
    ``+01:00`` is dropped, keeping the local wall time), ``AAAAMMJJ`` (``20241231``, unless
    ``compact=False``), French month names (``1er janvier 2024``, ``31 déc. 2024``), Python
    and pandas dates, and with ``excel_serial=True`` Excel serial numbers (``45657`` is
    31/12/2024; days since 30/12/1899, fractions are times).

    A valid calendar date whose year is before 1678 or after 2261 (``30240105``,
    ``99991231``) is marked ``out_of_range`` (pandas' nanosecond dates cannot hold it), never
    an exception: the caller reports it on its line.
    """
    s = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    index = s.index
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        out = s
        if getattr(s.dtype, "tz", None) is not None:
            out = s.dt.tz_localize(None)
        out = out.astype("datetime64[ns]")
        false = pd.Series(np.zeros(len(s), dtype=bool), index=index)
        return DateResult(out, false, false.copy())
    codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=True)
    stamps, bad_u, range_u = date_table(np.asarray(uniques, dtype=object), excel_serial, compact)
    full_stamps = np.append(stamps, np.datetime64("NaT", "ns"))
    out = pd.Series(full_stamps[codes], index=index, dtype="datetime64[ns]")
    return DateResult(
        values=out,
        bad=pd.Series(np.append(bad_u, False)[codes], index=index, dtype=bool),
        out_of_range=pd.Series(np.append(range_u, False)[codes], index=index, dtype=bool),
    )


def date_table(
    uniques: np.ndarray, excel_serial: bool = False, compact: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`to_date` on distinct values: ``(datetime64[ns] values, bad, out_of_range)``."""
    m = len(uniques)
    state = np.empty(m, dtype=object)
    stamps = np.full(m, np.datetime64("NaT", "ns"))
    for i, u in enumerate(uniques):
        if isinstance(u, str):
            st, ts = _parse_date_text(u, compact)
            if st == "bad" and excel_serial and _SERIAL_TEXT.match(u.strip()):
                st, ts = _from_serial(float(u.strip().replace(",", ".")))
        elif isinstance(u, pd.Timestamp | datetime):
            if _MIN_YEAR <= u.year <= _MAX_YEAR:
                ts = pd.Timestamp(u)
                st, ts = "ok", ts.tz_localize(None) if ts.tzinfo is not None else ts
            else:
                st, ts = "range", None
        elif isinstance(u, date):
            if _MIN_YEAR <= u.year <= _MAX_YEAR:
                st, ts = "ok", pd.Timestamp(u)
            else:
                st, ts = "range", None
        elif isinstance(u, np.datetime64):
            st, ts = ("blank", None) if np.isnat(u) else ("ok", pd.Timestamp(u))
        elif isinstance(u, bool | np.bool_):
            st, ts = "bad", None
        elif isinstance(u, int | float | np.integer | np.floating):
            if np.isnan(float(u)):
                st, ts = "blank", None
            elif excel_serial:
                st, ts = _from_serial(float(u))
            elif compact and float(u).is_integer() and 10_000_000 <= float(u) <= 99_999_999:
                st, ts = _parse_date_text(str(int(u)), compact)
            else:
                st, ts = "bad", None
        elif blank_scalar(u):
            st, ts = "blank", None
        else:
            st, ts = "bad", None
        state[i] = st
        if ts is not None:
            stamps[i] = np.datetime64(pd.Timestamp(ts).as_unit("ns").asm8, "ns")
    return stamps, state == "bad", state == "range"


def parse_date(value: str | date | datetime | pd.Timestamp, what: str = "as_of") -> pd.Timestamp:
    """Read one date given by the user (``"31/03/2026"``, ``"2026-03-31"``, a ``date``…).

    Returns the day (time dropped). Raises :class:`~movsc_toolkit._errors.DataError` in French
    naming ``what`` (the parameter or field) when the value is not a date or is out of range.
    """
    result = to_date(pd.Series([value], dtype=object))
    if result.out_of_range.iloc[0]:
        raise DataError(
            f"{what} = « {value} » : l'année est hors des limites prises en charge "
            f"({_MIN_YEAR}–{_MAX_YEAR}).",
            hint="vérifiez l'année (une faute de frappe comme 3024 pour 2024 ?).",
        )
    stamp = result.values.iloc[0]
    if pd.isna(stamp):
        raise DataError(
            f"{what} = « {value} » n'est pas une date.",
            hint="écrivez la date sous la forme '31/03/2026' ou '2026-03-31'.",
        )
    return pd.Timestamp(stamp).normalize()
