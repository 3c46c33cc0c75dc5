"""French display of values and tables: the one formatting rule of the toolkit.

Values stay exact; this module only *writes* them, the French way, for reprs, HTML, exports and
plots:

* numbers with a decimal comma and a narrow no-break space between thousands: ``1 234,56``;
  ``decimals`` is always a display precision (half away from zero, as a spreadsheet shows it);
* units after a no-break space: ``12,3 %``, ``1 235 €``; a true minus sign ``−``;
* booleans ``Oui`` / ``Non``; dates ``31/12/2024``; p-values ``< 0,001``;
* missing values (``None``, ``NaN``, ``NaT``, ``pd.NA``) as « — ».

Notebook outputs are compared from run to run (nbval), so HTML tables carry no random
identifiers. :func:`afficher` shows any DataFrame this way; in IPython, importing the toolkit
makes it the display of every DataFrame and Series (``movsc_toolkit.options.french_display``).
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "MISSING",
    "NBSP",
    "FrenchTable",
    "afficher",
    "format_bool",
    "format_date",
    "format_euro",
    "format_number",
    "format_percent",
    "format_pvalue",
    "format_value",
    "frame_html",
    "frame_text",
    "looks_like_years",
    "round_frame",
    "text_frame",
]

NBSP = "\u202f"  # narrow no-break space, the French thousands separator
MISSING = "—"  # what a missing value looks like (em dash)


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, Real | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    ):
        return math.isnan(float(value))
    if isinstance(value, np.datetime64 | np.timedelta64):
        return bool(np.isnat(value))
    return False


def format_number(value: object, decimals: int = 2, *, thousands: str = NBSP) -> str:
    """Write a number the French way: ``format_number(1234.5)`` → ``'1 234,50'``.

    Rounding is half away from zero, as in a spreadsheet (``format_number(0.125)`` →
    ``'0,13'``). Missing values give ``'—'``; a minus sign is the true ``−``.
    """
    if _is_missing(value):
        return MISSING
    if not isinstance(value, Real | np.integer | np.floating):
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
    return text if text == MISSING else f"{text}\u00a0%"


def format_euro(value: object, decimals: int = 0) -> str:
    """``format_euro(1234.5)`` → ``'1 235 €'``."""
    text = format_number(value, decimals)
    return text if text == MISSING else f"{text}\u00a0€"


def format_pvalue(p: float) -> str:
    """p-values as a French reader expects them: ``< 0,001`` below one per thousand."""
    if _is_missing(p):
        return MISSING
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


def text_frame(frame: pd.DataFrame, decimals: int = 0) -> pd.DataFrame:
    """Every cell as French text, for the tables of a .docx, .pptx or Markdown file.

    Numbers get ``decimals`` decimals and thousands separated (``12 500``), missing cells are
    empty, the rest is ``str``; the index labels become text too.
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            out[column] = values.map(lambda v: format_number(v, decimals))
        else:
            out[column] = values.map(lambda v: "" if v is None or pd.isna(v) else str(v))
    out.index = pd.Index([str(i) for i in out.index], name=frame.index.name)
    return out


def format_bool(value: object) -> str:
    """``True`` → ``'Oui'``, ``False`` → ``'Non'``, missing → ``'—'``."""
    if _is_missing(value):
        return MISSING
    return "Oui" if bool(value) else "Non"


def format_date(value: object) -> str:
    """``31/12/2024`` (and ``31/12/2024 08:30`` when the time of day matters)."""
    if _is_missing(value):
        return MISSING
    if isinstance(value, str):
        return value
    stamp = pd.Timestamp(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return stamp.strftime("%d/%m/%Y")
    if (stamp.hour, stamp.minute, stamp.second, stamp.microsecond) == (0, 0, 0, 0):
        return stamp.strftime("%d/%m/%Y")
    return stamp.strftime("%d/%m/%Y %H:%M")


def _auto_decimals(values: np.ndarray) -> int:
    """Display precision for floats with no stated precision: as few decimals as are exact, at
    most 2 (more for small values: 0,0042 rather than 0,00)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return 0
    for decimals in (0, 1, 2):
        if np.allclose(finite, np.round(finite, decimals), rtol=0, atol=1e-9):
            return decimals
    magnitudes = np.abs(finite)
    if float(magnitudes.max()) >= 1:
        return 2
    # values below 1 (rates, p-values): two significant digits of the smallest, at most 4
    smallest = float(magnitudes[magnitudes > 0].min())
    return min(4, max(2, 1 - math.floor(math.log10(smallest))))


def _needed(values: np.ndarray, most: int) -> int:
    """The fewest decimals (up to ``most``) that write every value exactly."""
    finite = values[np.isfinite(values)]
    for decimals in range(most):
        if np.allclose(finite, np.round(finite, decimals), rtol=0, atol=1e-9):
            return decimals
    return most


def looks_like_years(values: np.ndarray) -> bool:
    finite = values[~np.isnan(values)] if values.dtype.kind == "f" else values
    return finite.size > 0 and bool(((finite >= 1800) & (finite <= 2200)).all())


def format_value(value: object, decimals: int | None = 2) -> str:
    """Any cell, the French way: number, boolean, date, missing value or text."""
    if _is_missing(value):
        return MISSING
    if isinstance(value, bool | np.bool_):
        return format_bool(value)
    if isinstance(value, dt.date | np.datetime64):
        return format_date(value)
    if isinstance(value, Real | np.integer | np.floating):
        if isinstance(value, int | np.integer):
            return format_number(value, 0)
        if decimals is None:
            decimals = _auto_decimals(np.array([float(value)]))
        return format_number(value, decimals)
    return str(value)


_PVALUE_LABELS = {"p", "p-value", "p-valeur", "p value", "pvalue", "p.value", "pr(>chi)"}


def _cell_formatter(series: pd.Series, decimals: int | None) -> Callable[[object], str]:
    """The function that writes one value of ``series`` (per column, so digits line up)."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return format_bool
    if str(series.name).strip().casefold() in _PVALUE_LABELS and pd.api.types.is_float_dtype(
        dtype
    ):  # a p-value column: « < 0,001 », never « 0 »
        return lambda v: MISSING if _is_missing(v) else format_pvalue(float(v))  # type: ignore[arg-type]
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return format_date
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype):
        values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        # whole numbers (counts, euros without cents) are written without decimals
        if pd.api.types.is_integer_dtype(dtype) or _auto_decimals(values) == 0:
            separator = "" if looks_like_years(values) else NBSP
            return lambda v: format_number(v, 0, thousands=separator)
        # ``decimals`` is the display precision: no more digits than the values have
        # (amounts in euros keep their cents: 1 234,50 €)
        if "€" in str(series.name):
            decimals = 2 if decimals is None else decimals
        elif decimals is None:
            decimals = _auto_decimals(values)
        else:
            decimals = _needed(values, decimals)
        shown: int = decimals
        return lambda v: format_number(v, shown)
    return lambda v: format_value(v, decimals)


def _format_labels(index: pd.Index) -> pd.Index:
    """Index or column labels written the French way (only when they need it)."""
    if isinstance(index, pd.MultiIndex):
        levels = [_format_labels(index.get_level_values(i)) for i in range(index.nlevels)]
        return pd.MultiIndex.from_arrays(levels, names=index.names)
    if isinstance(index, pd.RangeIndex) or pd.api.types.is_integer_dtype(index.dtype):
        return index
    if (
        pd.api.types.is_string_dtype(index.dtype)
        and not index.hasnans
        and not any(isinstance(v, bool | np.bool_) for v in index[:1000])
    ):
        # as objects: pandas writes them faster than its str dtype (Arrow-backed with pyarrow)
        return index if index.dtype == object else index.astype(object)
    formatter = _cell_formatter(pd.Series(index, dtype=index.dtype), None)
    return pd.Index(
        [formatter(v) if not _is_missing(v) else MISSING for v in index], name=index.name
    )


def _prepare(df: pd.DataFrame, decimals: int | None) -> tuple[pd.DataFrame, list[Callable]]:
    if isinstance(df.columns.dtype, pd.StringDtype):
        # column names as objects: each column taken below looks its name up (slower in
        # pandas' str dtype, Arrow-backed with pyarrow); the data are not copied
        df = df.set_axis(df.columns.astype(object), axis=1)
    shown = df.set_axis(_format_labels(df.index), axis=0).set_axis(
        _format_labels(df.columns), axis=1
    )
    nullable = [
        i
        for i, dtype in enumerate(df.dtypes)
        if isinstance(dtype, pd.api.extensions.ExtensionDtype)
        and not isinstance(dtype, pd.CategoricalDtype | pd.DatetimeTZDtype)
        # pandas' str dtype already writes its missing values (NaN) as na_rep: left as it
        # is, only the rows shown are converted (by pandas)
        and not (isinstance(dtype, pd.StringDtype) and dtype.na_value is np.nan)
    ]
    # pandas writes <NA>, None or NaT instead of na_rep: every missing value becomes NaN
    objects = [
        i
        for i, dtype in enumerate(df.dtypes)
        if i not in nullable and pd.api.types.is_object_dtype(dtype) and df.iloc[:, i].isna().any()
    ]
    if nullable or objects:
        shown = shown.copy()

        def objects_of(values: np.ndarray) -> pd.Series:
            # kept as objects: a bare array of strings would become pandas' str dtype again
            # (Arrow-backed with pyarrow, converted back for the display)
            return pd.Series(values, index=shown.index, dtype=object, copy=False)

        for i in nullable:
            shown.isetitem(i, objects_of(df.iloc[:, i].to_numpy(dtype=object, na_value=np.nan)))
        for i in objects:
            column = df.iloc[:, i]
            shown.isetitem(
                i, objects_of(column.where(column.notna(), np.nan).to_numpy(dtype=object))
            )
    formatters = [_cell_formatter(df.iloc[:, i], decimals) for i in range(df.shape[1])]
    return shown, formatters


def frame_html(
    df: pd.DataFrame,
    *,
    decimals: int | None = 2,
    caption: str | None = None,
    index: bool = True,
) -> str:
    """A deterministic HTML table (no random ids), every cell written the French way.

    ``decimals`` is the display precision of the decimal columns: at most that many digits, no
    more than the column's values have (``83,3`` stays ``83,3``), except amounts in euros (a
    ``€`` in the column name), which keep them all (``1 234,50``); ``None``: as few as exact, at
    most 2. Whole numbers have none. Booleans show ``Oui``/``Non``, dates ``31/12/2024``,
    missing values « — ». The data are not changed.
    """
    shown, formatters = _prepare(df, decimals)
    table = shown.to_html(
        escape=True,
        border=0,
        classes="movsc-table",
        formatters=formatters,
        na_rep=MISSING,
        index=index,
    )
    if caption:
        tag = f"<caption>{html.escape(caption)}</caption>"
        table = re.sub(r"<table[^>]*>", lambda m: m.group(0) + tag, table, count=1)
    return table


def frame_text(df: pd.DataFrame, *, decimals: int | None = 2, index: bool = True) -> str:
    """The plain-text twin of :func:`frame_html` (for ``__str__`` and consoles)."""
    shown, formatters = _prepare(df, decimals)
    return shown.to_string(formatters=formatters, na_rep=MISSING, index=index)


# --------------------------------------------------------------------------- any DataFrame


def _display_options() -> dict[str, Any]:
    return {
        "max_rows": pd.get_option("display.max_rows"),
        "min_rows": pd.get_option("display.min_rows"),
        "max_cols": pd.get_option("display.max_columns"),
        "show_dimensions": pd.get_option("display.show_dimensions"),
    }


def _head_tail(df: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    """At most a few thousand rows to format (pandas truncates the display further)."""
    limit = 2000
    if len(df) > 2 * limit:
        return pd.concat([df.iloc[:limit], df.iloc[-limit:]])
    return df


def _dimensions(df: pd.DataFrame) -> str:
    rows = format_number(df.shape[0], 0)
    return f"{rows} lignes × {df.shape[1]} colonnes"


def display_html(df: pd.DataFrame, *, decimals: int | None = None) -> str:
    """HTML of any DataFrame, French, truncated like pandas' own display.

    Without ``decimals``, a table's own display precision (``attrs["decimals"]``, set by the
    survey tables) is used.
    """
    if decimals is None:
        decimals = df.attrs.get("decimals")
    options = _display_options()
    part = _head_tail(df)
    shown, formatters = _prepare(part, decimals)
    max_rows = options["max_rows"]
    truncated = max_rows is not None and len(df) > max_rows
    table = shown.to_html(
        escape=True,
        border=0,
        classes="movsc-table",
        formatters=formatters,
        na_rep=MISSING,
        # like pandas' own display: past max_rows, only min_rows rows (head and tail) are shown
        max_rows=(options["min_rows"] or max_rows) if truncated else max_rows,
        max_cols=options["max_cols"],
        show_dimensions=False,
    )
    if df.shape[0] == 0:
        table += "\n<p>Aucune ligne.</p>"
    elif truncated or options["show_dimensions"] is True:
        table += f"\n<p>{_dimensions(df)}</p>"
    return table


def _empty_text(obj: pd.DataFrame | pd.Series) -> str:
    if isinstance(obj, pd.Series):
        return "Série vide" + (f" (nom : {obj.name})" if obj.name is not None else "")
    if obj.shape[1] == 0:
        return "Tableau vide"
    columns = ", ".join(str(c) for c in obj.columns[:20])
    more = ", …" if obj.shape[1] > 20 else ""
    return f"Tableau sans ligne (colonnes : {columns}{more})"


def display_text(obj: pd.DataFrame | pd.Series, *, decimals: int | None = None) -> str:
    """Plain text of any DataFrame or Series, French, truncated like pandas' own display."""
    if decimals is None:
        decimals = obj.attrs.get("decimals")
    options = _display_options()
    if len(obj) == 0 or (isinstance(obj, pd.DataFrame) and obj.shape[1] == 0):
        return _empty_text(obj)
    if isinstance(obj, pd.Series):
        frame = _head_tail(obj).to_frame()
        shown, formatters = _prepare(frame, decimals)
        column = shown.iloc[:, 0]
        values = [formatters[0](v) if not _is_missing(v) else MISSING for v in column]
        text = pd.Series(values, index=shown.index, name=obj.name, dtype=object).to_string(
            max_rows=options["max_rows"], min_rows=options["min_rows"], name=False
        )
        footer = [f"Nom : {obj.name}"] if obj.name is not None else []
        if options["max_rows"] is not None and len(obj) > options["max_rows"]:
            footer.append(f"{format_number(len(obj), 0)} valeurs")
        return text + ("\n" + ", ".join(footer) if footer else "")
    part = _head_tail(obj)
    shown, formatters = _prepare(part, decimals)
    text = shown.to_string(
        formatters=formatters,
        na_rep=MISSING,
        max_rows=options["max_rows"],
        min_rows=options["min_rows"],
        max_cols=options["max_cols"],
        max_colwidth=pd.get_option("display.max_colwidth"),
        line_width=pd.get_option("display.width"),
    )
    max_rows = options["max_rows"]
    if (max_rows is not None and len(obj) > max_rows) or options["show_dimensions"] is True:
        text += f"\n\n[{_dimensions(obj)}]"
    return text


class FrenchTable:
    """A DataFrame shown the French way (see :func:`afficher`); ``.data`` is the table itself."""

    def __init__(
        self, data: pd.DataFrame, *, decimals: int | None = None, caption: str | None = None
    ) -> None:
        self.data = data
        self.decimals = decimals
        self.caption = caption

    def _repr_html_(self) -> str:
        if len(self.data) <= (pd.get_option("display.max_rows") or len(self.data)):
            return frame_html(self.data, decimals=self.decimals, caption=self.caption)
        table = display_html(self.data, decimals=self.decimals)
        if self.caption:
            table = f"<p><strong>{html.escape(self.caption)}</strong></p>\n{table}"
        return table

    def __repr__(self) -> str:
        text = display_text(self.data, decimals=self.decimals)
        return f"{self.caption}\n{text}" if self.caption else text

    __str__ = __repr__


def afficher(
    data: pd.DataFrame | pd.Series, decimals: int | None = None, *, title: str | None = None
) -> FrenchTable:
    """Show a table the French way: ``1 234,5``, ``Oui``/``Non``, ``31/12/2024``, « — ».

    Parameters
    ----------
    data
        A DataFrame (or a Series, shown as a one-column table).
    decimals
        Display precision of the decimal numbers; ``None`` (default) writes as few decimals as
        are exact, at most 2. The values themselves are not rounded.
    title
        A caption above the table.

    Returns
    -------
    FrenchTable
        The table with its French display (``print``, notebook HTML); the values of ``data``
        are kept as they are.

    Examples
    --------
    >>> import pandas as pd
    >>> table = afficher(pd.DataFrame({"Montant": [1234.5, None], "Payé": [True, False]}))
    >>> print(str(table).replace("\u202f", " "))  # thousands: a narrow no-break space
      Montant Payé
    0 1 234,5  Oui
    1       —  Non
    """
    if isinstance(data, pd.Series):
        data = data.to_frame()
    return FrenchTable(data, decimals=decimals, caption=title)
