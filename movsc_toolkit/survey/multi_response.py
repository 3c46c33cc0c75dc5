"""Tables of multiple-response questions (``select_multiple``): the share of respondents who
ticked each choice, overall or by group, whatever the export's layout (one column per choice,
or the choices in one cell).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .._errors import DataError, column_error
from ._common import (
    ENSEMBLE,
    TOTAL,
    all_missing_error,
    check_data,
    column_of,
    encode,
    shown,
    weight_values,
)

__all__ = ["multi_response"]


# --------------------------------------------------------------------------- multiple response


_TRUE = {"1", "1.0", "true", "vrai", "oui", "y", "yes", "x"}
_FALSE = {"0", "0.0", "false", "faux", "non", "n", "no"}


def _indicator_values(series: pd.Series) -> np.ndarray | None:
    """0/1/NaN floats from an indicator column, or None if it is not an indicator column."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(dtype=float, na_value=np.nan)
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        ok = np.isnan(values) | (values == 0) | (values == 1)
        return values if ok.all() else None
    text = series.astype("string").str.strip().str.casefold()
    out = np.full(len(series), np.nan)
    is_true = text.isin(_TRUE).to_numpy(dtype=bool, na_value=False)
    is_false = text.isin(_FALSE).to_numpy(dtype=bool, na_value=False)
    blank = (text.isna() | (text == "")).to_numpy(dtype=bool, na_value=True)
    if not (is_true | is_false | blank).all():
        return None
    out[is_true] = 1.0
    out[is_false] = 0.0
    return out


def _multi_indicators(
    data: pd.DataFrame, question: str, sep: str | None
) -> tuple[np.ndarray, list[str]]:
    """Indicator matrix (rows × choices, NaN = not asked / no answer) and the choice labels."""
    for prefix, suffix in ((f"{question}/", ""), (f"{question}[", "]"), (f"{question}_", "")):
        cols = [
            c
            for c in data.columns
            if isinstance(c, str) and c.startswith(prefix) and c.endswith(suffix) and c != question
        ]
        if not cols:
            continue
        matrices = [_indicator_values(data[c]) for c in cols]
        if prefix.endswith("_") and any(m is None for m in matrices):
            continue  # "question_xxx" columns that are not indicators (e.g. free text)
        bad = [c for c, m in zip(cols, matrices, strict=True) if m is None]
        if bad:
            raise DataError(
                f"la colonne « {bad[0]} » n'est pas une colonne d'indicateurs 0/1.",
                column=bad[0],
                hint="une réponse multiple détaillée contient 1 (cochée), 0 ou vide (non cochée).",
            )
        labels = [c[len(prefix) : len(c) - len(suffix)] for c in cols]
        return np.column_stack([m for m in matrices if m is not None]), labels
    if question not in data.columns:
        raise column_error(question, data.columns, what="question")
    series = data[question]
    text = series.astype("string")
    if sep is None:
        sample = text.dropna()
        if sample.str.contains(", ", regex=False).any():
            sep = ", "
        elif sample.str.contains(";", regex=False).any():
            sep = ";"
        else:
            sep = " "
    parts = text.reset_index(drop=True).str.split(sep, regex=False).explode().str.strip()
    parts = parts[parts.notna() & (parts != "")]
    if parts.empty:
        raise all_missing_error(question)
    codes, found = encode(parts.reset_index(drop=True))
    labels = [str(v) for v in found]
    matrix = np.zeros((len(series), len(labels)))
    matrix[parts.index.to_numpy(), codes] = 1.0
    answered = (text.notna() & (text.str.strip() != "")).to_numpy(dtype=bool, na_value=False)
    matrix[~answered] = np.nan
    return matrix, [str(lab) for lab in labels]


def _choice_labels(
    data: pd.DataFrame, question: str, codes: list[str], labels: Mapping[object, str] | None
) -> list[str]:
    """Row labels of a multiple-response table: the choice labels when known, else the codes.

    A label shared by two codes would merge two rows, so the codes are then kept.
    """
    if labels is None:
        labels = (data.attrs.get("choices") or {}).get(question)
    if not labels:
        return codes
    text = {str(k): str(v) for k, v in labels.items()}
    names = [text.get(c, c) for c in codes]
    return names if len(set(names)) == len(names) else codes


def multi_response(
    data: pd.DataFrame,
    question: str,
    by: str | None = None,
    *,
    weights: str | Sequence[float] | None = None,
    sep: str | None = None,
    labels: Mapping[object, str] | None = None,
    decimals: int | None = 1,
) -> pd.DataFrame:
    """Table of a multiple-response question (several boxes can be ticked).

    Accepted layouts (the first found wins):

    1. one 0/1 column per choice named ``question/choice`` (KoboToolbox / ODK detailed export,
       and what :func:`movsc_toolkit.survey.read_responses` produces), or ``question[choice]``
       (LimeSurvey, ``Y`` = ticked), or ``question_choice``; a blank cell means "not asked";
    2. a single column ``question`` holding the ticked choices separated by spaces (Kobo
       summary column), ``", "`` (Google Forms) or ``";"`` — or ``sep``.

    Parameters
    ----------
    data
        The responses.
    question
        The question's name.
    by
        Optional grouping variable: the result then gives ``% des répondants`` in each group.
    weights
        Weight column name or one weight per row.
    sep
        Separator of the joined column (auto-detected by default).
    labels
        ``{choice code: "label"}`` used as row labels. By default the choice labels of the
        questionnaire kept by :func:`~movsc_toolkit.survey.read_responses` in
        ``data.attrs["choices"][question]``; a code without a label is shown as it is.
    decimals
        Rounding of the percentages.

    Returns
    -------
    pandas.DataFrame
        Without ``by``: one row per choice with ``Effectif`` (times the choice was ticked),
        ``% des répondants`` (base: the people who answered the question — sums to more than
        100 %) and ``% des réponses`` (base: all ticks — sums to 100 %), then a ``Total`` row
        (all ticks) and a ``Base (répondants)`` row giving the number of respondents. With
        ``by``: ``% des répondants`` of each group in columns, an ``Ensemble`` column, and a
        ``Base (répondants)`` row.

    Examples
    --------
    >>> from movsc_toolkit import datasets, survey
    >>> reponses = datasets.load("enquete_usagers")
    >>> table = survey.multi_response(reponses, "besoins")
    >>> table.loc["Accès au numérique"].round(1).tolist()
    [108.0, 24.7, 22.6]
    >>> int(table.loc["Base (répondants)", "Effectif"])
    438
    """
    data = check_data(data)
    matrix, codes = _multi_indicators(data, question, sep)
    names = _choice_labels(data, question, codes, labels)
    w = weight_values(data, weights)
    w_arr = np.ones(len(data)) if w is None else w
    answered = ~np.all(np.isnan(matrix), axis=1)
    if not answered.any():
        raise all_missing_error(question)
    ticks = np.nan_to_num(matrix, nan=0.0) * w_arr[:, None]
    if by is None:
        counts = ticks.sum(axis=0)
        base = float(w_arr[answered].sum())
        n_answers = counts.sum()
        table = pd.DataFrame(
            {
                "Effectif": counts,
                "% des répondants": 100 * counts / base,
                "% des réponses": 100 * counts / n_answers if n_answers else np.nan,
            },
            index=pd.Index(names, name=question),
        )
        table.loc[TOTAL] = [n_answers, np.nan, 100.0]
        table.loc["Base (répondants)"] = [base, np.nan, np.nan]
        if w is None:
            table["Effectif"] = table["Effectif"].astype(np.int64)
        table.attrs["repondants"] = base
        return shown(table, decimals)
    gcodes, gcats = encode(column_of(data, by))
    columns: dict[object, np.ndarray] = {}
    bases: list[float] = []
    for g, name in enumerate(gcats):
        rows = answered & (gcodes == g)
        b = float(w_arr[rows].sum())
        if b == 0:
            continue
        columns[name] = 100 * ticks[rows].sum(axis=0) / b
        bases.append(b)
    all_base = float(w_arr[answered].sum())
    columns[ENSEMBLE] = 100 * ticks[answered].sum(axis=0) / all_base
    bases.append(all_base)
    table = pd.DataFrame(columns, index=pd.Index(names, name=question))
    table.columns.name = by
    table.loc["Base (répondants)"] = bases
    return shown(table, decimals)
