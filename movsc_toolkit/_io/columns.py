"""Conversion of the cells of a table just read: numbers, dates, codes with leading zeros,
stray spaces, and the check that the header is not a data row.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import FormatError, MovscWarning
from .._parse import date_table, is_blank, missing_mask, number_table, to_date, to_number
from .._problems import ProblemLog

_LEADING_ZERO_AFTER_BREAK = re.compile(r"\n0\d")


def _has_code_with_leading_zero(values: pd.Series | np.ndarray) -> bool:
    """A value like ``01000`` or ``0612…``: postcodes, phone and account numbers stay text."""
    if isinstance(values, pd.Series):
        values = pd.unique(values.to_numpy(dtype=object))
    if pd.api.types.infer_dtype(values, skipna=True) == "string":
        texts = values[pd.notna(values)].tolist()
    else:
        texts = [u for u in values if isinstance(u, str)]
    # "^0\d" on the lines of the joined text, written with a leading literal (fast scan)
    return _LEADING_ZERO_AFTER_BREAK.search("\n" + "\n".join(texts)) is not None


def _cells_of(mask_u: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Positions of the cells whose distinct value is flagged in ``mask_u``."""
    return np.flatnonzero(np.append(mask_u, False)[keys])


def _report_cells(
    log: ProblemLog,
    where: np.ndarray,
    uniques: np.ndarray,
    keys: np.ndarray,
    lines: np.ndarray,
    column: str,
    gravité: str,
    message: str,
) -> None:
    if where.size:
        log.add_many(
            gravité,
            message,
            ligne=lines[where],
            colonne=column,
            valeur=[str(uniques[k]) for k in keys[where]],
        )


_AMBIGUOUS = (
    "séparateur ambigu : ce nombre peut se lire avec un point décimal ou un point des "
    "milliers, et la colonne ne permet pas de trancher ; il est lu avec un point décimal "
    "(1.250 = 1,25). Si c'est un point des milliers, corrigez le fichier (1250 ou 1 250)."
)
_OUT_OF_RANGE = (
    "date hors des limites prises en charge (années 1678 à 2261) : la case est laissée vide. "
    "Vérifiez l'année (une faute de frappe comme 3024 pour 2024 ?)."
)
_NOT_A_NUMBER = "valeur non numérique dans une colonne de nombres : la colonne est gardée en texte"


def _factorize(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    keys, uniques = pd.factorize(s.to_numpy(dtype=object), use_na_sentinel=True)
    return keys, np.asarray(uniques, dtype=object)


_PROBE = 1000  # leading cells looked at to tell a column of (almost) all distinct values


def _factorize_text(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(keys, values)`` of a column of strings (no missing value), factorized when useful.

    A column whose first cells are almost all different (comments, amounts, identifiers)
    gains nothing from a hash table of its values: each cell is then its own "distinct
    value" (keys ``0..n−1``, values = the cells, duplicates allowed). Every later step
    works per value and gives the same result either way; the first 200 distinct values,
    the sample that decides a column's type, are the same too (they are among the first
    1000 cells when 800 of these differ).
    """
    n = len(values)
    if n > 4 * _PROBE and len(set(values[:_PROBE].tolist())) >= 0.8 * _PROBE:
        return np.arange(n, dtype=np.intp), values
    keys, uniques = pd.factorize(values, use_na_sentinel=True)
    return keys, np.asarray(uniques, dtype=object)


def _factorize_arrow(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_factorize_text` of a column of Arrow strings (no missing value).

    Hashed by Arrow, in order of first appearance as :func:`pandas.factorize`; only the
    distinct values become Python strings (all the cells when the first ones are almost
    all different, as in :func:`_factorize_text`).
    """
    import pyarrow.compute as pc

    cells = s.array.__arrow_array__()
    n = len(cells)
    if n > 4 * _PROBE and pc.count_distinct(cells.slice(0, _PROBE)).as_py() >= 0.8 * _PROBE:
        return np.arange(n, dtype=np.intp), cells.to_numpy()
    encoded = pc.dictionary_encode(cells).combine_chunks()
    keys = encoded.indices.to_numpy().astype(np.intp, copy=False)
    return keys, encoded.dictionary.to_numpy(zero_copy_only=False)


# amounts with a decimal comma, plain spaces between groups of three digits, an optional
# leading minus, no leading zero (a code such as 01,5 is left to the general path)
_PLAIN_AMOUNT = r"^-?(?:[1-9][0-9]{0,2}(?: [0-9]{3})+|[1-9][0-9]*|0),[0-9]+$"

# per distinct value: (read here as a plain amount, the values, computed when needed)
_Known = tuple[np.ndarray, Callable[[], np.ndarray]]


def _plain_values(cells: object) -> np.ndarray:
    """The values of plain amounts (:data:`_PLAIN_AMOUNT`), read by Arrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    plain = pc.replace_substring(pc.replace_substring(cells, " ", ""), ",", ".")
    return pc.cast(plain, pa.float64()).to_numpy()


def _arrow_amounts(s: pd.Series) -> pd.Series | _Known | None:
    """Plain French amounts (``-1 234,56``) of a column of Arrow strings, read by Arrow.

    The commonest numeric column of a French export, checked and read without a Python
    string per cell; the general path (:func:`_convert_column`) reads each such cell the
    same way: a number with a decimal comma, no code with a leading zero, at most 15 digits
    (an exact reading). When every cell is one, returns the column (float64: none is
    ambiguous, and a decimal comma never gives ``Int64``). When most are (a few ``NC``),
    returns per cell whether it was read and its value, leaving out ``1,250`` (read as the
    rest of the column says): :func:`_numbers_of` reads the others. ``None`` otherwise.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    cells = s.array.__arrow_array__()
    n = len(cells)
    head = pc.match_substring_regex(cells[:100], _PLAIN_AMOUNT)
    if not n or 2 * pc.sum(head).as_py() < len(head):
        return None  # judged on the first cells: a column of text gives up at once
    length = pc.binary_length(cells)
    read = pc.and_(pc.match_substring_regex(cells, _PLAIN_AMOUNT), pc.less_equal(length, 16))
    if pc.all(read).as_py():
        return pd.Series(_plain_values(cells), index=s.index, dtype="float64", copy=False)
    # "1,250" (at most three digits, a comma, three digits): a decimal comma or an English
    # thousands comma, as the rest of the column says
    comma = pc.find_substring(cells, ",")
    digits_before = pc.subtract(comma, pc.cast(pc.starts_with(cells, "-"), pa.int64()))
    read = pc.and_not(
        read,
        pc.and_(pc.equal(pc.subtract(length, comma), 4), pc.less_equal(digits_before, 3)),
    )
    mask = read.to_numpy(zero_copy_only=False)

    def values() -> np.ndarray:  # not needed when the column stays text
        out = np.full(n, np.nan)
        out[mask] = _plain_values(pc.filter(cells, read))
        return out

    return mask, values


def _numbers_of(
    uniques: np.ndarray, known: _Known | None, present: np.ndarray
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray | None]:
    """``(values, bad, ambiguous)`` of :func:`number_table` (``symbols=False``), the values
    already read by :func:`_arrow_amounts` left out of it.

    Those are read the same whatever the column holds; only their French evidence counts
    for the others (``1.250``, ``1,250``): one of them is kept in the call to bring it.
    When a present value is bad (the column stays text), ``values`` and ``ambiguous`` are
    ``None``: they are not needed.
    """
    if known is None or not known[0].any():
        return number_table(uniques, symbols=False)[:3]
    mask, read_values = known
    rest = np.flatnonzero(~mask)
    some = np.append(rest, np.flatnonzero(mask)[0])
    values_r, bad_r, ambiguous_r = number_table(uniques[some], symbols=False)[:3]
    bad = np.zeros(len(uniques), dtype=bool)
    bad[rest] = bad_r[:-1]
    if (bad & present).any():
        return None, bad, None
    values = read_values()
    values[rest] = values_r[:-1]
    ambiguous = np.zeros(len(uniques), dtype=bool)
    ambiguous[rest] = ambiguous_r[:-1]
    return values, bad, ambiguous


def _convert_column(
    s: pd.Series,
    keys: np.ndarray,
    uniques: np.ndarray,
    column: str,
    numbers: bool,
    dates: bool,
    lines: np.ndarray,
    log: ProblemLog,
    known: _Known | None = None,
    present: np.ndarray | None = None,
) -> tuple[pd.Series, list[tuple[int, str]]]:
    """One text column, converted once per distinct value (``uniques`` all occur in it).

    Returns the column (converted or as it was) and the cells of an almost-number column.
    ``known``: the distinct values already read as plain amounts (:func:`_arrow_amounts`);
    ``present``: which values are not missing, when known.
    """
    if present is None:
        present = pd.notna(uniques)
    if not present.any():
        return s, []
    # the first 200 distinct values among the first 25 000 present (those of the first 1000
    # when they hold 200: the order of first appearance is kept)
    where = np.flatnonzero(present)
    for head in (_PROBE, 25 * _PROBE):
        sample = pd.unique(uniques[where[:head]])[:200]
        if len(sample) == 200 or head >= len(where):
            break
    n = len(sample)
    n_num = int((~number_table(sample, symbols=False)[1]).sum()) if numbers else 0
    n_date = 0
    if dates and n_num < n:
        n_date = int((~date_table(sample, compact=False)[1]).sum())
    if numbers and n_num:
        # the plain amounts read by Arrow have no leading zero
        others = present if known is None else present & ~known[0]
        if _has_code_with_leading_zero(uniques[others]):
            return s, []
        values, bad, ambiguous = _numbers_of(uniques, known, present)
        bad &= present
        if not bad.any():
            assert values is not None and ambiguous is not None
            where = _cells_of(ambiguous, keys)
            _report_cells(log, where, uniques, keys, lines, column, "alerte", _AMBIGUOUS)
            cells = pd.Series(np.append(values, np.nan)[keys], index=s.index, dtype="float64")
            whole = bool(np.all(np.mod(values[present], 1) == 0))
            texts = uniques[present]
            if pd.api.types.infer_dtype(texts, skipna=False) == "string":
                joined = "".join(texts.tolist())
                decimals = "." in joined or "," in joined
            else:
                decimals = any(
                    isinstance(u, float | np.floating)
                    or (isinstance(u, str) and ("." in u or "," in u))
                    for u in texts
                )
            if whole and not decimals and not ambiguous.any():
                return cells.astype("Int64"), []
            return cells, []
        # a few placeholders ("NC", "-") among numbers: kept as text, reported
        odd = pd.unique(uniques[bad])
        counts = np.bincount(keys[keys >= 0], minlength=len(uniques))
        n_numbers = int(counts[present & ~bad].sum())
        n_present = int(counts[present].sum())
        if len(odd) <= 5 and n_numbers >= 2 and 2 * n_numbers > n_present and n_present >= 3:
            where = _cells_of(bad, keys)
            _report_cells(log, where, uniques, keys, lines, column, "alerte", _NOT_A_NUMBER)
            return s, [(int(lines[i]), str(uniques[keys[i]])) for i in where]
        return s, []
    if dates and n and n_date == n:
        stamps, bad, out_of_range = date_table(uniques, compact=False)
        if (bad & present).any() or not (present & ~out_of_range).any():
            return s, []
        where = _cells_of(out_of_range, keys)
        _report_cells(log, where, uniques, keys, lines, column, "erreur", _OUT_OF_RANGE)
        stamps = np.append(stamps, np.datetime64("NaT", "ns"))
        return pd.Series(stamps[keys], index=s.index, dtype="datetime64[ns]"), []
    return s, []


_CLIP = 60  # characters of a value quoted in a warning


def _clipped(value: str) -> str:
    """A value as quoted in a warning: a long text (pasted in a cell) cut at :data:`_CLIP`."""
    return value if len(value) <= _CLIP else value[: _CLIP - 1] + "…"


def _warn_almost_numbers(found: dict[str, list[tuple[int, str]]], path: Path) -> None:
    """One French warning naming each column, its non-numeric values and their lines."""
    parts: list[str] = []
    distinct: list[str] = []
    for column, cells in found.items():
        shown = ", ".join(f"« {_clipped(v)} » ligne {line}" for line, v in cells[:5])
        more = f" et {len(cells) - 5} autre(s)" if len(cells) > 5 else ""
        parts.append(
            f"colonne « {column} » : {len(cells)} valeur(s) non numérique(s) ({shown}{more})"
        )
        # a long text is not a code for « no data »: not proposed as one
        distinct.extend(v for _, v in cells if len(v) <= _CLIP)
    values = list(dict.fromkeys(distinct))[:5]
    na = ", ".join(f'"{v}"' for v in values)
    missing = (
        f"si ces valeurs veulent dire « pas de donnée », lisez le fichier avec na_values=[{na}] ; "
        "sinon "
        if values
        else ""
    )
    warnings.warn(
        f"Fichier « {path} » : "
        + " ; ".join(parts)
        + ". Ces colonnes sont gardées en texte : leurs sommes, moyennes et graphiques ne "
        f"marcheront pas.\nQue faire : {missing}corrigez-les dans le fichier (ou laissez la "
        'case vide). Liste complète : df.attrs["problems"].',
        MovscWarning,
        stacklevel=5,  # the caller of read_table
    )


# per text column: (keys, cleaned distinct values, values known as plain amounts or None,
# which values are present)
_Factors = dict[object, tuple[Any, ...]]  # keys, values[, known amounts, present cells]


_SPACE_AFTER_MARK = re.compile(r"\x00\s")  # starts with a literal: scanned at memchr speed


def _needs_strip(uniques: np.ndarray, text: bool = False) -> bool:
    """Whether some distinct value has spaces (or line breaks) at either end.

    ``text``: the values are known to be strings (no missing value), as the C parser gives.
    """
    if not text:
        if pd.api.types.infer_dtype(uniques, skipna=True) != "string":
            return True
        uniques = uniques[pd.notna(uniques)]
    joined = "\x00" + "\x00".join(uniques.tolist()) + "\x00"
    # a space after a mark starts a value; in the reversed text, one ends a value
    return bool(_SPACE_AFTER_MARK.search(joined) or _SPACE_AFTER_MARK.search(joined[::-1]))


def _arrow_needs_strip(s: pd.Series) -> bool:
    """:func:`_needs_strip` of a column of Arrow strings, checked by Arrow.

    Arrow's ``utf8_trim_whitespace`` removes the characters of :meth:`str.strip` (Unicode
    whitespace, as :meth:`str.isspace`; checked in ``tests/core/test_io_paths.py``): a cell
    it shortens is one that Python strips.
    """
    import pyarrow.compute as pc

    cells = s.array.__arrow_array__()
    trimmed = pc.binary_length(pc.utf8_trim_whitespace(cells))
    return bool(pc.any(pc.not_equal(trimmed, pc.binary_length(cells))).as_py())


def clean_columns(
    df: pd.DataFrame, na_values: list[str] | None, text: bool = False, numbers: bool = False
) -> tuple[dict[object, pd.Series], _Factors]:
    """Strip text cells; blank cells and declared codes become missing (the one rule).

    Done once per distinct value of each column; also returns, per text column, its
    ``(keys, cleaned distinct values)`` for the conversions that follow. ``text``: every
    cell is a string (the C parser's output, read without missing values), which spares
    the checks for other objects. ``numbers``: numbers will be converted; a column of Arrow
    strings that are all plain amounts is then read at once (:func:`_arrow_amounts`).
    """
    out = {}
    factors: _Factors = {}
    codes = list(na_values or ())
    for col in df.columns:
        s = df[col]
        amounts = None
        strip: bool | None = None  # whether some cell has spaces to strip (None: not known)
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            arrow = text and isinstance(s.dtype, pd.ArrowDtype)
            if arrow:
                amounts = _arrow_amounts(s) if numbers else None
                if isinstance(amounts, pd.Series) and not codes:
                    out[col] = amounts
                    continue
                keys, uniques = _factorize_arrow(s)
                strip = _arrow_needs_strip(s) if len(uniques) > _PROBE else None
            elif text:
                keys, uniques = _factorize_text(s.to_numpy(dtype=object))
            else:
                keys, uniques = _factorize(s)
            if strip is None:
                strip = _needs_strip(uniques, text)
            if strip:
                values = np.array(
                    [u.strip() if isinstance(u, str) else u for u in uniques], dtype=object
                )
            elif arrow:  # new Python objects, made for this: changed in place
                values = uniques
            else:
                values = uniques.copy()
            if arrow and not strip and len(uniques) == len(keys):
                # the cells, none to strip: missing when empty (counted by Arrow)
                import pyarrow.compute as pc

                lengths = pc.binary_length(s.array.__arrow_array__())
                missing = pc.equal(lengths, 0).to_numpy(zero_copy_only=False)
            else:
                missing = values == "" if text else pd.isna(values) | (values == "")
            if codes:
                missing |= missing_mask(pd.Series(values, dtype=object), codes).to_numpy()
            values[missing] = np.nan
            known = None
            if isinstance(amounts, tuple) and len(values) == len(keys):
                # one distinct value per cell: the cells read as amounts, unless missing
                known = (amounts[0] & ~missing, amounts[1])
            factors[col] = (keys, values, known, ~missing)
            # all distinct (or see _factorize_text): keys 0..n−1, the values are the cells
            one_each = len(values) == len(keys)
            cells = values if one_each else np.append(values, np.nan)[keys]
            s = pd.Series(cells, index=s.index, dtype=object, copy=False)
        elif codes:
            s = s.mask(missing_mask(s, codes))
        out[col] = s
    return out, factors


def clean_cells(df: pd.DataFrame, na_values: list[str] | None) -> tuple[pd.DataFrame, _Factors]:
    """:func:`clean_columns` as a DataFrame."""
    out, factors = clean_columns(df, na_values)
    return pd.DataFrame(out, index=df.index), factors


def convert_columns(
    df: pd.DataFrame | dict[object, pd.Series],
    numbers: bool,
    dates: bool,
    lines: Sequence[int] | np.ndarray,
    log: ProblemLog,
    path: Path,
    factors: _Factors | None = None,
) -> pd.DataFrame:
    """Convert number and date columns; report ambiguous, out-of-range and almost-numbers."""
    out = {}
    line_array = np.asarray(lines, dtype=np.int64)
    almost: dict[str, list[tuple[int, str]]] = {}
    factors = factors or {}
    if isinstance(df, dict):  # the columns of a table not built yet (no copy of the cells)
        index = next(iter(df.values())).index if df else pd.RangeIndex(0)
        items = list(df.items())
    else:
        index, items = df.index, list(df.items())
    for col, s in items:
        if s.dtype == object and (numbers or dates):
            keys, uniques, *known_present = factors.get(col) or _factorize(s)
            s, found = _convert_column(
                s, keys, uniques, str(col), numbers, dates, line_array, log, *known_present
            )
            if found:
                almost[str(col)] = found
        out[col] = s
    if almost:
        _warn_almost_numbers(almost, path)
    return pd.DataFrame(out, index=index)


def attach_problems(df: pd.DataFrame, log: ProblemLog) -> None:
    if len(log):
        df.attrs["problems"] = log.frame()


_DATA_HEADER_HINT = (
    "si le fichier n'a pas de ligne d'en-tête, lisez-le avec header=False (les colonnes "
    "s'appelleront colonne_1, colonne_2…) ; si c'est bien l'en-tête, indiquez header=0 ; "
    "sinon ajoutez une première ligne avec le nom de chaque colonne."
)


def _is_year(value: object) -> bool:
    text = str(value).strip()
    return text.isdigit() and len(text) == 4 and 1900 <= int(text) <= 2100


def check_header_is_not_data(
    names: Sequence[object], body: pd.DataFrame, path: Path, line: int
) -> None:
    """Refuse a first line that holds data rather than column names.

    The first line is data when every header cell is filled and is a number or a date, or
    when at least two header cells are numbers or dates in columns of the same type (column
    names that are years, such as ``2023``, are accepted).
    """
    header = pd.Series([None if is_blank(v) else v for v in names], dtype=object)
    filled = header.dropna()
    if filled.empty:
        return
    as_number = ~to_number(header, symbols=False).bad & header.notna()
    as_date = ~to_date(header, compact=False).bad & header.notna() & ~as_number
    typed = as_number | as_date
    years = header.map(lambda v: v is not None and _is_year(v))
    all_data = len(filled) == len(header) and bool(typed.all()) and not bool(years.all())
    matches = 0
    if not all_data and len(body):
        sample = body.head(50)
        for i, col in enumerate(sample.columns):
            if not typed.iloc[i] or years.iloc[i]:
                continue
            cells = sample[col].dropna()
            if cells.empty:
                continue
            if as_number.iloc[i]:
                ok = not to_number(cells, symbols=False).bad.any()
            else:
                ok = not to_date(cells, compact=False).bad.any()
            matches += ok
    if all_data or matches >= 2:
        shown = ", ".join(f"« {v} »" for v in filled.head(4))
        raise FormatError(
            f"la première ligne ressemble à des données ({shown}…) et non à des noms de "
            "colonnes : lue comme en-tête, elle serait perdue.",
            path=path,
            line=line,
            hint=_DATA_HEADER_HINT,
        )


def header_mode(header: int | bool | None) -> tuple[int | None, bool]:
    """``(header row or None, check it)`` from the ``header`` argument."""
    if header is None or header is False:
        return None, False
    if header is True:
        return 0, True
    if isinstance(header, int) and header >= 0:
        return header, False
    raise TypeError(
        "header doit valoir True (première ligne = en-tête, vérifiée), False (pas d'en-tête) "
        "ou le numéro (à partir de 0) de la ligne d'en-tête."
    )
