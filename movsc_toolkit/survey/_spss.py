"""Reading SPSS files (``.sav``, ``.zsav``, ``.por``) with their value labels, declared missing
values and dates, for :func:`movsc_toolkit.survey.read_responses`.

A private module with public names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import FileError
from ._answers import (
    norm_label,
)
from ._xlsform import cell_text

__all__ = [
    "SPSS_SUFFIXES",
    "read_spss",
    "spss_labelled",
    "spss_missing",
]


SPSS_SUFFIXES = {".sav", ".zsav", ".por"}


def read_spss(path: Path) -> tuple[pd.DataFrame, Any, list[dict[str, Any]]]:
    """``(data, meta, problems)`` of an SPSS file, user-missing codes kept as values."""
    try:
        import pyreadstat
    except ImportError:
        raise FileError(
            "la lecture des fichiers SPSS (.sav) demande le module « pyreadstat », qui n'est "
            "pas installé.",
            path=path,
            hint='installez-le avec : pip install "movsc-toolkit[spss]" (ou pip install '
            "pyreadstat), puis redémarrez le noyau du notebook.",
        ) from None
    problems: list[dict[str, Any]] = []
    por = path.suffix.lower() == ".por"
    read = pyreadstat.read_por if por else pyreadstat.read_sav
    options: dict[str, Any] = {} if por else {"user_missing": True}
    try:
        data, meta = read(str(path), **options)
    except Exception as exc:  # pyreadstat.ReadstatError and friends
        try:  # a date beyond what Python handles: read the raw numbers, report the columns
            data, meta = read(str(path), disable_datetime_conversion=True, **options)
        except Exception:
            raise FileError(
                f"le fichier SPSS est illisible ({exc}).",
                path=path,
                hint="ouvrez-le dans SPSS ou PSPP et enregistrez-le à nouveau au format .sav.",
            ) from None
        for col, fmt in (meta.original_variable_types or {}).items():
            if col in data.columns and _SPSS_DATE.match(fmt):
                problems.extend(_spss_raw_dates(data, col, fmt))
    for col in data.columns:
        s = data[col]
        if s.dtype != object:
            continue
        present = s.dropna()
        if present.empty or not present.map(lambda v: isinstance(v, dt.date)).all():
            continue
        try:
            data[col] = pd.to_datetime(s)
        except (OverflowError, ValueError, pd.errors.OutOfBoundsDatetime):
            for i, v in present.items():
                problems.append(
                    _spss_problem(
                        int(i) + 1,
                        col,
                        str(v),
                        "alerte",
                        "date que pandas ne sait pas représenter : la colonne est gardée en "
                        "dates Python (type objet), rien n'est perdu.",
                    )
                )
    return data, meta, problems


_SPSS_DATE = re.compile(r"^(DATE|ADATE|EDATE|SDATE|JDATE|DATETIME|YMDHMS|TIME|DTIME|MTIME)")
_SPSS_ORIGIN = np.datetime64("1582-10-14T00:00:00", "s")
_SPSS_MAX_SECONDS = 13_197_600_000_000  # about year 420 000: beyond, not a date at all


def _spss_raw_dates(data: pd.DataFrame, col: str, fmt: str) -> list[dict[str, Any]]:
    """Convert the raw seconds of an SPSS date column read without conversion.

    Used when pyreadstat refuses the file because one date is beyond year 9999: the valid
    dates are converted (second resolution, no pandas nanosecond bound), the column keeps its
    raw numbers when one value is not a date, and each such value is reported on its line.
    """
    seconds = pd.to_numeric(data[col], errors="coerce").to_numpy(dtype=float)
    if fmt.startswith(("TIME", "DTIME", "MTIME")):
        data[col] = pd.to_timedelta(seconds, unit="s")
        return []
    years = 1582 + seconds / (365.2425 * 86400)
    bad = ~np.isnan(seconds) & ((seconds < 0) | (years > 9999))
    if not bad.any():
        stamps = _SPSS_ORIGIN + np.where(np.isnan(seconds), 0, seconds).astype("timedelta64[s]")
        data[col] = pd.Series(stamps, index=data.index).mask(np.isnan(seconds))
        return []
    return [
        _spss_problem(
            int(i) + 1,
            col,
            cell_text(seconds[i]),
            "alerte",
            f"date hors du calendrier (au-delà de l'an 9999) dans une colonne au format "
            f"{fmt} : la colonne est gardée en nombres bruts (secondes depuis le "
            "14/10/1582), rien n'est perdu.",
        )
        for i in np.flatnonzero(bad)
    ]


def _spss_problem(line: int | None, column: str, value: str, severity: str, message: str) -> dict:
    return {
        "ligne": line,
        "colonne": column,
        "valeur": value,
        "gravité": severity,
        "message": message,
    }


def spss_missing(
    data: pd.DataFrame, meta: Any, nonresponse: Iterable[Any] | None
) -> tuple[pd.DataFrame, list[dict[str, Any]], dict[str, set]]:
    """Declared missing codes (file's user-missing values and ranges, ``nonresponse=``) → NaN.

    Returns the masked data, the counts of each code (``colonne``, ``valeur``, ``effectif``)
    and, per column, the codes that were masked (so that their labels are not categories).
    """
    declared = {norm_label(cell_text(v)) for v in (nonresponse or [])}
    ranges = meta.missing_ranges or {}
    out = {}
    counts: list[dict[str, Any]] = []
    masked: dict[str, set] = {}
    for col in data.columns:
        s = data[col]
        labels = (meta.variable_value_labels or {}).get(col, {})
        numeric = pd.api.types.is_numeric_dtype(s)
        hit = pd.Series(False, index=s.index)
        for r in ranges.get(col, []):
            lo, hi = r["lo"], r["hi"]
            if numeric and not isinstance(lo, str):
                hit |= (s >= lo) & (s <= hi)
            elif not numeric and isinstance(lo, str):
                hit |= s.astype(object).map(
                    lambda v, lo=lo, hi=hi: isinstance(v, str) and lo <= v <= hi
                )
        if declared:
            codes = {
                v
                for v in s.dropna().unique()
                if norm_label(cell_text(v)) in declared or norm_label(labels.get(v, "")) in declared
            }
            hit |= s.isin(codes)
        hit = hit.fillna(False).astype(bool)
        if hit.any():
            masked[col] = set(s[hit].unique())
            for v, n in s[hit].value_counts(sort=False).items():
                counts.append(
                    {"colonne": col, "valeur": labels.get(v, cell_text(v)), "effectif": int(n)}
                )
            s = s.mask(hit)
        out[col] = s
    return pd.DataFrame(out, index=data.index), counts, masked


def spss_labelled(
    data: pd.DataFrame, meta: Any, masked: dict[str, set], problems: list[dict[str, Any]]
) -> pd.DataFrame:
    """Value labels applied: labelled variables become ordered categories in code order.

    A value without a label is **kept**, as a category shown with its code, and reported.
    A variable whose labels only name missing codes (``999 = "skipped"`` on an amount) stays
    numeric; so does one whose measure is not nominal/ordinal when some of its values have
    no label (an age with ``0 = "moins d'un an"``), with one alert for the column.
    """
    out = {}
    all_labels = meta.variable_value_labels or {}
    measures = getattr(meta, "variable_measure", None) or {}
    for col in data.columns:
        s = data[col]
        labels = all_labels.get(col, {})
        kept = {k: lab for k, lab in labels.items() if k not in masked.get(col, set())}
        present = s.dropna()
        unlabelled = sorted(v for v in present.unique() if v not in kept)
        if not kept or (unlabelled and measures.get(col) not in {"nominal", "ordinal"}):
            if kept:  # a measure (age, amount) with a few labelled values: stays numeric
                problems.append(
                    _spss_problem(
                        None,
                        col,
                        "",
                        "alerte",
                        f"{len(unlabelled)} valeur(s) sans libellé sur une variable de mesure "
                        f"« {measures.get(col, 'inconnue')} » : la colonne reste en nombres "
                        "(les libellés sont dans attrs['choices']).",
                    )
                )
            out[col] = s
            continue
        to_text = {k: lab for k, lab in kept.items()}
        for v in unlabelled:
            to_text[v] = cell_text(v)
            rows = np.flatnonzero(s.eq(v).to_numpy())
            for i in rows:
                problems.append(
                    _spss_problem(
                        int(i) + 1,
                        col,
                        cell_text(v),
                        "alerte",
                        f"valeur {cell_text(v)} sans libellé dans le fichier : gardée, affichée "
                        f"avec son code « {cell_text(v)} ».",
                    )
                )
        order = sorted(to_text, key=lambda k: (isinstance(k, str), k))
        shown = list(dict.fromkeys(to_text[k] for k in order))
        out[col] = pd.Series(
            pd.Categorical(s.map(to_text), categories=shown, ordered=True), index=s.index
        )
    result = pd.DataFrame(out, index=data.index)
    result.attrs["labels"] = dict(meta.column_names_to_labels or {})
    result.attrs["choices"] = {
        c: {cell_text(k): v for k, v in lab.items()} for c, lab in all_labels.items()
    }
    return result
