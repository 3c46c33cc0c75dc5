"""Tri à plat, tri croisé, tableau croisé dynamique and multiple-response tables.

The tables follow questionr's conventions (``shared/reference/survey.md`` §3) with French labels:
``Effectif``, ``%``, ``% valides``, a ``Non-réponse`` row for missing answers (last, before
``Total``), an ``Ensemble`` margin for column / row percentages, categories in their natural
order (the order of an ordered categorical — the questionnaire's order — otherwise sorted).
Weights are frequency weights: a weighted table sums the weights of its cells, empty cells are 0.
The returned values are exact; ``decimals`` (1 by default, as questionr prints them) is the
display precision, kept in ``table.attrs["decimals"]`` and applied by the French display.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._errors import DataError, check_columns, column_error
from ._common import (
    ENSEMBLE,
    NON_REPONSE,
    TOTAL,
    all_missing_error,
    check_data,
    column_of,
    count_codes,
    counted,
    cross_counts,
    encode,
    shown,
    weight_values,
)

__all__ = ["crosstab", "freq", "multi_response", "pivot"]


# --------------------------------------------------------------------------- freq


def freq(
    data: pd.DataFrame,
    column: str,
    weights: str | Sequence[float] | None = None,
    dropna: bool = False,
    sort: str | None = None,
    *,
    total: bool = True,
    cum: bool = False,
    decimals: int | None = 1,
) -> pd.DataFrame:
    """Tri à plat: one row per category with ``Effectif``, ``%`` and ``% valides``.

    Parameters
    ----------
    data
        The responses, one row per respondent.
    column
        The variable to count.
    weights
        Name of a weight column, or one weight per row (sums of weights instead of counts).
    dropna
        ``False`` (default): missing answers form a ``Non-réponse`` row (last before ``Total``);
        ``%`` is computed over all rows and ``% valides`` over the answers only (SPSS
        "pourcentage valide"). ``True``: missing answers are left out and only ``%`` (over the
        answers) is given; the number left out is in ``table.attrs["non_reponses"]``.
    sort
        ``None`` (natural order: questionnaire order for ordered categories), ``"desc"`` /
        ``"décroissant"`` or ``"asc"`` / ``"croissant"`` by count. ``Non-réponse`` stays last.
    total
        Add the ``Total`` row.
    cum
        Add ``% cumulés`` (and ``% valides cumulés``) columns.
    decimals
        Display precision of the percentages (and of weighted counts); the values stay exact.

    Returns
    -------
    pandas.DataFrame
        Indexed by the categories (index name = the column).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"adhérent": ["Oui"] * 6 + ["Non"] * 3 + [None]})
    >>> freq(df, "adhérent")  # doctest: +NORMALIZE_WHITESPACE
                 Effectif      %  % valides
    adhérent
    Non                 3   30.0       33.3
    Oui                 6   60.0       66.7
    Non-réponse         1   10.0        NaN
    Total              10  100.0      100.0
    """
    data = check_data(data)
    series = column_of(data, column)
    w = weight_values(data, weights)
    if w is None and not isinstance(series.dtype, pd.CategoricalDtype):
        # counts only: one hash count, no codes per row (pd.factorize costs 9 times more)
        cats, counts = counted(series)
        n_missing = len(series) - int(counts.sum())
        show_any_missing = n_missing > 0
    else:
        codes, cats = encode(series)
        counts = count_codes(codes, len(cats), w)
        missing_mask = codes < 0
        n_missing = int(missing_mask.sum()) if w is None else float(w[missing_mask].sum())
        show_any_missing = bool(np.any(missing_mask))
    if counts.sum() == 0:
        raise all_missing_error(column)
    if sort is not None:
        key = str(sort).casefold()
        if key in {"desc", "dec", "décroissant", "decroissant"}:
            order = np.argsort(-counts, kind="stable")
        elif key in {"asc", "inc", "croissant"}:
            order = np.argsort(counts, kind="stable")
        else:
            raise DataError(
                f"sort={sort!r} n'est pas reconnu.",
                hint='utilisez sort=None (ordre naturel), "desc" (décroissant) ou "asc".',
            )
        counts = counts[order]
        cats = [cats[i] for i in order]
    valid_total = counts.sum()
    show_missing = not dropna and show_any_missing
    labels: list[object] = list(cats)
    eff = counts.astype(float)
    if show_missing:
        labels.append(NON_REPONSE)
        eff = np.append(eff, n_missing)
    grand = eff.sum()
    table = pd.DataFrame(index=pd.Index(labels, name=column))
    table["Effectif"] = eff
    table["%"] = 100 * eff / grand
    if cum:
        table["% cumulés"] = np.cumsum(table["%"].to_numpy())
    if show_missing:
        valid = np.append(100 * counts / valid_total, np.nan)
        table["% valides"] = valid
        if cum:
            table["% valides cumulés"] = np.append(np.cumsum(valid[:-1]), np.nan)
    if total:
        row = {"Effectif": grand, "%": 100.0}
        if cum:
            row["% cumulés"] = 100.0
        if show_missing:
            row["% valides"] = 100.0
            if cum:
                row["% valides cumulés"] = 100.0
        table.loc[TOTAL] = pd.Series(row)
    if w is None:
        table["Effectif"] = table["Effectif"].astype(np.int64)
    if not show_missing and not dropna:
        # no missing answer: "% valides" equals "%", shown for a constant layout
        table.insert(2 if not cum else 3, "% valides", table["%"].to_numpy())
    table.attrs["non_reponses"] = n_missing
    return shown(table, decimals)


# --------------------------------------------------------------------------- crosstab


_PERCENT = {
    None: None,
    "col": "col",
    "cols": "col",
    "column": "col",
    "colonne": "col",
    "colonnes": "col",
    "row": "row",
    "ligne": "row",
    "lignes": "row",
    "total": "total",
}


def crosstab(
    data: pd.DataFrame,
    row: str,
    col: str,
    weights: str | Sequence[float] | None = None,
    percent: str | None = None,
    margins: bool = True,
    *,
    dropna: bool = False,
    n: bool = False,
    decimals: int | None = 1,
) -> pd.DataFrame:
    """Tri croisé of ``row`` × ``col``: counts or percentages (questionr ``cprop`` / ``lprop``).

    Parameters
    ----------
    data
        The responses, one row per respondent.
    row, col
        The variables in rows and in columns.
    weights
        Name of a weight column, or one weight per row.
    percent
        ``None``: counts with ``Total`` row and column. ``"col"`` (or ``"colonne"``): column
        percentages, with an ``Ensemble`` column (distribution of ``row`` over everyone) and a
        ``Total`` row of 100. ``"row"`` (``"ligne"``): row percentages, ``Ensemble`` row and
        ``Total`` column. ``"total"``: percentages of the grand total with ``Total`` margins.
        Percentage tables leave out empty rows and columns (no 0/0).
    margins
        Add the ``Total`` / ``Ensemble`` margins.
    dropna
        ``False`` (default): missing answers form a ``Non-réponse`` row / column when there are
        any. ``True``: respondents missing either variable are left out; their number is in
        ``table.attrs["non_reponses"]``.
    n
        With percentages, add the bases: an ``Effectif`` row (column percentages), an
        ``Effectif`` column (row percentages), or both (percentages of the total).
    decimals
        Display precision of the percentages (and of weighted counts); the values stay exact.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"satisf": ["oui"] * 8 + ["non"] * 2 + ["oui"] * 3 + ["non"] * 7,
    ...                    "sexe": ["F"] * 10 + ["H"] * 10})
    >>> df["satisf"] = pd.Categorical(df["satisf"], ["oui", "non"], ordered=True)
    >>> crosstab(df, "satisf", "sexe", percent="col")  # doctest: +NORMALIZE_WHITESPACE
    sexe        F      H  Ensemble
    satisf
    oui      80.0   30.0      55.0
    non      20.0   70.0      45.0
    Total   100.0  100.0     100.0
    """
    data = check_data(data)
    key = percent.casefold() if isinstance(percent, str) else percent
    if key not in _PERCENT:
        raise DataError(
            f"percent={percent!r} n'est pas reconnu.",
            hint='utilisez percent=None (effectifs), "col" (colonne), "row" (ligne) ou "total".',
        )
    mode = _PERCENT[key]
    w = weight_values(data, weights)
    counts, rcats, ccats, left_out = cross_counts(data, row, col, w, dropna)
    if mode is not None:
        keep_r = counts.sum(axis=1) > 0
        keep_c = counts.sum(axis=0) > 0
        counts = counts[keep_r][:, keep_c]
        rcats = [c for c, k in zip(rcats, keep_r, strict=True) if k]
        ccats = [c for c, k in zip(ccats, keep_c, strict=True) if k]
    rindex = pd.Index(rcats, name=row)
    cindex = pd.Index(ccats, name=col)
    if mode is None:
        table = pd.DataFrame(counts, index=rindex, columns=cindex)
        if margins:
            table[TOTAL] = counts.sum(axis=1)
            table.loc[TOTAL] = table.sum(axis=0)
        if w is None:
            table = table.astype(np.int64)
    elif mode == "col":
        if margins:
            counts = np.column_stack([counts, counts.sum(axis=1)])
            cindex = pd.Index([*ccats, ENSEMBLE], name=col)
        values = 100 * counts / counts.sum(axis=0)
        table = pd.DataFrame(values, index=rindex, columns=cindex)
        if margins:
            table.loc[TOTAL] = table.sum(axis=0)
    elif mode == "row":
        if margins:
            counts = np.vstack([counts, counts.sum(axis=0)])
            rindex = pd.Index([*rcats, ENSEMBLE], name=row)
        values = 100 * counts / counts.sum(axis=1, keepdims=True)
        table = pd.DataFrame(values, index=rindex, columns=cindex)
        if margins:
            table[TOTAL] = table.sum(axis=1)
    else:
        values = 100 * counts / counts.sum()
        table = pd.DataFrame(values, index=rindex, columns=cindex)
        if margins:
            table[TOTAL] = table.sum(axis=1)
            table.loc[TOTAL] = table.sum(axis=0)
    if n and mode is not None:
        bases_c = counts.sum(axis=0)
        bases_r = counts.sum(axis=1)
        if mode in ("row", "total"):
            table["Effectif"] = (
                np.append(bases_r, bases_r.sum()) if table.shape[0] > bases_r.size else bases_r
            )
        if mode in ("col", "total"):
            row_n = list(bases_c)
            row_n += [bases_c.sum()] * (table.shape[1] - len(row_n))
            table.loc["Effectif"] = row_n
    table.columns.name = col
    table.index.name = row
    table.attrs["non_reponses"] = left_out
    table.attrs["pourcentages"] = mode
    return shown(table, decimals)


# --------------------------------------------------------------------------- pivot


_AGGFUNCS: dict[str, str] = {
    "effectif": "count",
    "count": "count",
    "nombre": "count",
    "somme": "sum",
    "sum": "sum",
    "moyenne": "mean",
    "mean": "mean",
    "médiane": "median",
    "mediane": "median",
    "median": "median",
    "min": "min",
    "minimum": "min",
    "max": "max",
    "maximum": "max",
    "écart-type": "std",
    "ecart-type": "std",
    "std": "std",
}


def _as_list(value: object) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Sequence):
        return [value]
    return list(value)


def _natural_categorical(series: pd.Series) -> pd.Series:
    codes, cats = encode(series)
    return pd.Series(
        pd.Categorical.from_codes(codes, categories=pd.Index(cats, dtype=object), ordered=True),
        index=series.index,
        name=series.name,
    )


def pivot(
    data: pd.DataFrame,
    index: str | Sequence[str],
    columns: str | Sequence[str] | None = None,
    values: str | Sequence[str] | None = None,
    aggfunc: str | Callable[..., Any] = "effectif",
    filters: dict[str, object] | None = None,
    *,
    weights: str | None = None,
    margins: bool = True,
    decimals: int | None = 2,
) -> pd.DataFrame:
    """Tableau croisé dynamique (Excel pivot table): group, aggregate, filter.

    Parameters
    ----------
    data
        The responses.
    index
        Variable(s) in rows.
    columns
        Variable(s) in columns (optional).
    values
        Numeric variable(s) to aggregate; not needed for counts.
    aggfunc
        ``"effectif"`` (count of rows, or sum of ``weights``), ``"somme"``, ``"moyenne"``
        (weighted mean with ``weights``), ``"médiane"``, ``"min"``, ``"max"``, ``"écart-type"``
        (English names also accepted), or any function.
    filters
        ``{"column": value}`` or ``{"column": [values…]}``: keep only the matching rows
        (Excel's filter area).
    weights
        Weight column for ``"effectif"``, ``"somme"`` and ``"moyenne"``.
    margins
        Add ``Total`` row and column (computed on the underlying rows, not on the cells).
    decimals
        Rounding of the result (``None``: full precision).

    Examples
    --------
    ``pivot(df, "quartier", "sexe", values="age", aggfunc="moyenne", filters={"adherent": "Oui"})``
    """
    data = check_data(data)
    index_cols = _as_list(index)
    column_cols = _as_list(columns)
    value_cols = _as_list(values)
    check_columns(data, [*index_cols, *column_cols, *value_cols])
    if not index_cols:
        raise DataError("indiquez au moins une variable en lignes (index=…).")
    func: Any = aggfunc
    if isinstance(aggfunc, str):
        key = aggfunc.casefold()
        if key not in _AGGFUNCS:
            raise DataError(
                f"aggfunc={aggfunc!r} n'est pas reconnu.",
                hint="utilisez " + ", ".join(f"« {k} »" for k in list(_AGGFUNCS)[::2]) + ".",
            )
        func = _AGGFUNCS[key]
    frame = data
    if filters:
        check_columns(data, list(filters))
        mask = np.ones(len(data), dtype=bool)
        for name, wanted in filters.items():
            accepted = _as_list(wanted)
            mask &= data[name].isin(accepted).to_numpy()
        frame = data.loc[mask]
        if len(frame) == 0:
            raise DataError(
                "aucune ligne ne correspond aux filtres demandés.",
                hint="vérifiez les valeurs des filtres (orthographe, majuscules).",
            )
    w = weight_values(frame, weights)
    work = pd.DataFrame(index=frame.index)
    for name in dict.fromkeys([*index_cols, *column_cols]):
        work[name] = _natural_categorical(frame[name])
    options = {
        "index": index_cols,
        "columns": column_cols or None,
        "margins": margins,
        "margins_name": TOTAL,
        "observed": False,
    }
    if func == "count":
        work["Effectif"] = np.ones(len(frame)) if w is None else w
        table = pd.pivot_table(work, values="Effectif", aggfunc="sum", fill_value=0, **options)
        if w is None:
            table = table.astype(np.int64)
        return shown(table, decimals)
    if not value_cols:
        raise DataError(
            f"aggfunc={aggfunc!r} demande une variable numérique values=….",
            hint='pour compter les lignes, utilisez aggfunc="effectif".',
        )
    target = value_cols if len(value_cols) > 1 else value_cols[0]
    if w is not None and func in ("sum", "mean"):
        den = work.copy()
        for name in value_cols:
            num = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)
            work[name] = num * w
            den[name] = np.where(np.isnan(num), np.nan, w)
        table = pd.pivot_table(work, values=target, aggfunc="sum", **options)
        if func == "mean":
            table = table / pd.pivot_table(den, values=target, aggfunc="sum", **options)
    elif w is not None:
        raise DataError(
            f"la pondération n'est possible qu'avec les effectifs, la somme ou la moyenne "
            f"(aggfunc={aggfunc!r}).",
            hint='utilisez aggfunc="effectif", "somme" ou "moyenne", ou retirez weights=.',
        )
    else:
        for name in value_cols:
            work[name] = frame[name]
        table = pd.pivot_table(work, values=target, aggfunc=func, **options)
    return shown(table, decimals)


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
        return np.column_stack(matrices), labels
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
    codes, labels = encode(parts.reset_index(drop=True))
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
    weights: str | Sequence[float] | None = None,
    *,
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
