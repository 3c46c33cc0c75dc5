"""Reading a student's answer before it is compared: numbers, dates and months, encodings,
booleans, letters of a multiple choice, tables; and the wording of a value in a message.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import math
import re
from numbers import Real
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._format import format_number
from .._parse import fold

if TYPE_CHECKING:
    from .registry import Exercise


class Wrong(Exception):
    """Internal: a diagnosis (code, message, hint) raised by the comparison functions."""

    def __init__(self, code: str, message: str, hint: str | None = None, *, generic: bool = False):
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint
        #: a generic diagnosis: the exercise's first hint is shown instead
        self.generic = generic


# --------------------------------------------------------------------------- helpers


def is_number(value: Any) -> bool:
    return isinstance(value, Real | np.number) and not isinstance(value, bool | np.bool_)


def is_missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-like cell
        return False


def norm_text(value: Any) -> str:
    return fold(str(value).replace("’", "'"))


def describe(value: Any) -> str:
    if isinstance(value, pd.DataFrame):
        return "un tableau (DataFrame)"
    if isinstance(value, pd.Series):
        return "une colonne (Series)"
    if isinstance(value, str):
        return f"du texte (« {value[:40]} »)"
    if isinstance(value, bool | np.bool_):
        return "un booléen (True/False)"
    if is_number(value):
        return "un nombre"
    if isinstance(value, list | tuple | set):
        return "une liste"
    if value is None:
        return "None (rien : la cellule ne renvoie pas de valeur)"
    return f"un objet de type {type(value).__name__}"


def shown_number(value: float, unit: str | None = None) -> str:
    """The student's number with the decimals it has, four at most: 1 000, 84,4667, 0,5."""
    text = format_number(value, 4)
    text = text.rstrip("0").rstrip(",") if "," in text else text
    return f"{text}\u00a0{unit}" if unit else text


def show_expected(ex: Exercise) -> str:
    value = ex.expected_value()
    if ex.choices:
        letters = split_letters(choice_letters(value), ex.choices)
        return ", ".join(f"{x}) {ex.choices.get(x, '')}" for x in letters)
    if is_number(value):
        text = format_number(value, ex.display_decimals(value))
        return f"{text}\u00a0{ex.unit}" if ex.unit else text
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.to_string()
    if isinstance(value, list | tuple | set):
        return ", ".join(map(str, value))
    if isinstance(value, bool | np.bool_):
        return "True (vrai)" if value else "False (faux)"
    return str(value)


def unwrap(value: Any) -> Any:
    """Result objects that print as tables (``to_frame()``) are compared as their table."""
    if (
        not isinstance(value, pd.DataFrame | pd.Series | pd.Index | str | type)
        and hasattr(value, "to_frame")
        and callable(value.to_frame)
    ):
        try:
            frame = value.to_frame()
        except Exception:
            return value
        if isinstance(frame, pd.DataFrame | pd.Series):
            return frame
    return value


# --------------------------------------------------------------------------- numbers


def tolerance(ex: Exercise, expected: float, decimals: int) -> float:
    tol = ex.abs_tol if ex.abs_tol is not None else 0.5 * 10.0 ** (-decimals)
    tol = max(tol, ex.rel_tol * abs(expected))
    return tol + 1e-9 * max(1.0, abs(expected))


def matches(value: float, expected: float, ex: Exercise, decimals: int) -> bool:
    if math.isnan(value) or math.isnan(expected):
        return math.isnan(value) and math.isnan(expected)
    if abs(value - expected) <= tolerance(ex, expected, decimals):
        return True
    return ex.abs_tol is None and format_number(value, decimals) == format_number(
        expected, decimals
    )


_NUMBER_TEXT = re.compile(r"^[+\-−]?\d[\d\s\u00a0\u202f.,]*$")


def answer_number(value: Any) -> float | None:
    """A number written as text (« 1 234,5 », « 24 % », « 66 273 € »), else ``None``."""
    text = str(value).strip()
    text = re.sub(r"\s*(%|€|eur|euros?|points?|pts?)$", "", text, flags=re.IGNORECASE)
    if not _NUMBER_TEXT.match(text):
        return None
    text = re.sub(r"[\s\u00a0\u202f]", "", text).replace("−", "-")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def scalar_from(value: Any) -> tuple[Any, str | None]:
    """A number where a number is expected: extract it from a one-cell table or list."""
    note = None
    if isinstance(value, pd.DataFrame | pd.Series | np.ndarray | list | tuple) and (
        np.size(value) == 1
    ):
        what = "un tableau d'une seule case" if isinstance(value, pd.DataFrame) else None
        what = what or ("une colonne d'une seule valeur" if isinstance(value, pd.Series) else None)
        what = what or "une liste d'un seul élément"
        value = np.asarray(value, dtype=object).ravel()[0]
        note = (
            f"votre réponse est {what} ; la valeur a été lue dedans. Pour un nombre seul, "
            "ajoutez .iloc[0] (ou choisissez la case avec .loc[ligne, colonne])."
        )
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    return value, note


# --------------------------------------------------------------------------- texts, months, codecs

_MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1,
    "fevrier": 2, "fevr": 2, "fev": 2, "february": 2, "feb": 2,
    "mars": 3, "mar": 3, "march": 3,
    "avril": 4, "avr": 4, "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juin": 6, "june": 6, "jun": 6,
    "juillet": 7, "juil": 7, "july": 7, "jul": 7,
    "aout": 8, "august": 8, "aug": 8,
    "septembre": 9, "sept": 9, "sep": 9, "september": 9,
    "octobre": 10, "oct": 10, "october": 10,
    "novembre": 11, "nov": 11, "november": 11,
    "decembre": 12, "dec": 12, "december": 12,
}  # fmt: skip


def as_date(value: Any) -> _dt.date | None:
    """A full date (day, month, year) from a date object or French/ISO text."""
    if isinstance(value, pd.Timestamp | _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = norm_text(value).replace("1er", "1")
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if m:
        d, mo, y = map(int, m.groups())
    elif m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ][\d:.]+)?", text):
        y, mo, d = map(int, m.groups())
    elif m := re.fullmatch(r"(\d{1,2}) ([a-z]+)\.? (\d{4})", text):
        if m.group(2) not in _MONTHS:
            return None
        d, mo, y = int(m.group(1)), _MONTHS[m.group(2)], int(m.group(3))
    else:
        return None
    try:
        return _dt.date(y, mo, d)
    except ValueError:
        return None


def as_month(value: Any) -> tuple[int, int] | None:
    """(year, month) from « février 2025 », « fevrier 2025 », « 02/2025 », ``2025-02``…"""
    if isinstance(value, pd.Period):
        return (value.year, value.month)
    date = as_date(value)
    if date is not None:
        return (date.year, date.month)
    if not isinstance(value, str):
        return None
    text = norm_text(value)
    if m := re.fullmatch(r"([a-z]+)\.? (\d{4})", text):
        month = _MONTHS.get(m.group(1))
        return (int(m.group(2)), month) if month else None
    if m := re.fullmatch(r"(\d{1,2})[/.-](\d{4})", text):
        y, mo = int(m.group(2)), int(m.group(1))
    elif m := re.fullmatch(r"(\d{4})[/.-](\d{1,2})", text):
        y, mo = int(m.group(1)), int(m.group(2))
    else:
        return None
    return (y, mo) if 1 <= mo <= 12 else None


_CODEC_LIKE = re.compile(r"^(utf|cp|windows|latin|iso|ascii|mac|ibm|koi|big5|gb|shift|euc|ansi)")
_CODEC_ALIASES = {"ansi": "cp1252", "windows latin 1": "cp1252", "western (windows 1252)": "cp1252"}


def codec(value: Any) -> str | None:
    text = norm_text(value)
    text = _CODEC_ALIASES.get(text, text)
    try:
        return codecs.lookup(text.replace(" ", "-")).name
    except LookupError:
        return None


def answer_kind(ex: Exercise, expected: Any) -> str:
    if ex.kind:
        return ex.kind
    if isinstance(expected, pd.Period):
        return "mois"
    if isinstance(expected, pd.Timestamp | _dt.date):
        return "date"
    if isinstance(expected, str):
        if _CODEC_LIKE.match(norm_text(expected)) and codec(expected):
            return "encodage"
        if as_date(expected):
            return "date"
        if as_month(expected):
            return "mois"
    return "texte"


TRUE_WORDS = {"true", "vrai", "oui", "yes"}
FALSE_WORDS = {"false", "faux", "non", "no"}


# --------------------------------------------------------------------------- multiple choice


def choice_letters(value: Any) -> list[str]:
    if isinstance(value, str):
        parts = re.split(r"[\s,;/+]+|\bet\b", value.strip().lower())
        letters = [re.sub(r"[()\[\].:]", "", p) for p in parts]
        return sorted({x for x in letters if x})
    if isinstance(value, list | tuple | set):
        return sorted({str(v).strip().lower() for v in value})
    return [str(value).strip().lower()]


def student_letters(value: Any, ex: Exercise) -> list[str] | None:
    assert ex.choices is not None
    by_text = {norm_text(text): letter for letter, text in ex.choices.items()}
    items = list(value) if isinstance(value, list | tuple | set) else [value]
    letters: set[str] = set()
    for item in items:
        if not isinstance(item, str):
            return None
        norm = norm_text(item)
        if norm in by_text:
            letters.add(by_text[norm])
            continue
        for letter in split_letters(choice_letters(item), ex.choices):
            if letter not in ex.choices:
                return None
            letters.add(letter)
    return sorted(letters) if letters else None


def split_letters(letters: list[str], choices: dict[str, str]) -> list[str]:
    """``["ac"]`` → ``["a", "c"]`` when "ac" is not an option but each of its letters is."""
    out: set[str] = set()
    for item in letters:
        if item not in choices and len(item) > 1 and all(ch in choices for ch in item):
            out.update(item)
        else:
            out.add(item)
    return sorted(out)


# --------------------------------------------------------------------------- tables


def cell_decimals(ex: Exercise, want: Any) -> int:
    if ex.decimals is not None:
        return ex.decimals
    return 0 if float(want).is_integer() else 2


def frames_equal(value: pd.DataFrame, expected: pd.DataFrame, ex: Exercise) -> None:
    """Same content whatever the order of rows/columns and the index's name; raise Wrong."""
    if value.shape != expected.shape:
        raise Wrong(
            "forme",
            f"votre tableau a {value.shape[0]} ligne(s) et {value.shape[1]} colonne(s) ; "
            f"il en faut {expected.shape[0]} et {expected.shape[1]}.",
            "comparez votre tableau à l'énoncé : une ligne « Total » en trop, un filtre oublié ?",
        )
    exp_cols = [str(c) for c in expected.columns]
    val_cols = [str(c) for c in value.columns]
    if sorted(exp_cols) != sorted(val_cols):
        missing = [c for c in exp_cols if c not in val_cols]
        raise Wrong(
            "colonnes",
            "colonnes attendues manquantes : " + ", ".join(f"« {c} »" for c in missing) + ".",
            "renommez les colonnes avec .rename(columns={ancien: nouveau}).",
        )
    exp_rows = [str(i) for i in expected.index]
    val_rows = [str(i) for i in value.index]
    if sorted(exp_rows) != sorted(val_rows):
        missing = [r for r in exp_rows if r not in val_rows]
        raise Wrong(
            "lignes",
            "lignes attendues manquantes : " + ", ".join(f"« {r} »" for r in missing) + ".",
            "vérifiez les étiquettes des lignes (l'index) : orthographe, filtre oublié ?",
        )
    value = value.copy()
    value.columns = val_cols
    value.index = val_rows
    for r, c in ((r, c) for r in exp_rows for c in exp_cols):
        want = expected.iloc[exp_rows.index(r), exp_cols.index(c)]
        got = value.at[r, c]
        if isinstance(got, pd.Series):  # duplicated labels
            got = got.iloc[0]
        where = f"la case ligne « {r} », colonne « {c} »"
        if is_missing(want):
            if not is_missing(got):
                raise Wrong("case", f"{where} devrait être vide.", generic=True)
        elif is_missing(got):
            raise Wrong("case", f"{where} est vide ; elle devrait être remplie.", generic=True)
        elif is_number(want):
            if not is_number(got) or not matches(
                float(got), float(want), ex, cell_decimals(ex, want)
            ):
                raise Wrong("case", f"{where} n'est pas juste.", generic=True)
        elif norm_text(str(got)) != norm_text(str(want)):
            raise Wrong("case", f"{where} n'est pas juste.", generic=True)


def drop_totals(frame: pd.DataFrame, expected: pd.DataFrame) -> pd.DataFrame:
    rows = [i for i in frame.index if str(i) == "Total" and "Total" not in map(str, expected.index)]
    cols = [
        c for c in frame.columns if str(c) == "Total" and "Total" not in map(str, expected.columns)
    ]
    return frame.drop(index=rows, columns=cols)
