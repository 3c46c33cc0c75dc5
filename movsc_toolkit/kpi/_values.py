"""Validation of the ``valeurs`` sheet, one check at a time.

:func:`clean_values` parses the cells, then runs the checks in order (codes, kind of value,
periods, numbers, numerator and denominator, qualitative indicators, dimensions, duplicates);
a row excluded by a check is not reported again by the next ones. The kept rows are then
checked as a whole: disaggregated values add up to their total (:func:`_check_totals`), and
every realised value falls inside the period of a target (:func:`_check_targets`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

import numpy as np
import pandas as pd
from pandas.api.extensions import take

from .._errors import closest
from .._format import format_date
from .._parse import per_distinct
from ._cells import (
    cell_dates,
    cell_enum,
    cell_numbers,
    cell_text,
    key,
    row_ids,
    row_lines,
    short_number,
)
from ._validate import Problems, require_columns
from .schema import TYPES_VALEUR

__all__ = ["VALUE_COLUMNS", "clean_values"]

#: Columns of ``Project.values``, in order.
VALUE_COLUMNS = [
    "code",
    "type_valeur",
    "periode_debut",
    "periode_fin",
    "dimension_nom",
    "dimension_valeur",
    "numerateur_valeur",
    "denominateur_valeur",
    "valeur",
    "commentaire",
    "source",
    "date_saisie",
    "ligne",
]


_Message: TypeAlias = Callable[[], pd.Series] | pd.Series | str


class _Rows:
    """The rows of the ``valeurs`` sheet being checked: the parsed cells (``out``), the rows
    already excluded (``drop``) and the problems collector.

    Messages are built only when a row is concerned (they cost time on large projects), and a
    row excluded by one check is not reported again by the next ones.
    """

    def __init__(self, raw: pd.DataFrame, probs: Problems) -> None:
        self.raw = raw
        self.n = len(raw)
        self.lines = row_lines(raw)
        text_cols = [
            "code",
            "type_valeur",
            "dimension_nom",
            "dimension_valeur",
            "commentaire",
            "source",
        ]
        self.out = pd.DataFrame({c: cell_text(raw.get(c), self.n) for c in text_cols})
        self.out["ligne"] = self.lines
        self.code: pd.Series = self.out["code"]
        self.drop = pd.Series(False, index=self.out.index)
        self.probs = probs

    def err(self, mask: pd.Series, message: _Message) -> None:
        """Exclude the rows of ``mask`` (severity ``erreur``)."""
        mask = mask & ~self.drop
        if mask.any():
            text = message() if callable(message) else message
            self.probs.add(mask, "erreur", "valeurs", self.lines, self.code, text)
        self.drop = self.drop | mask

    def warn(self, mask: pd.Series, message: _Message) -> None:
        """Keep the rows of ``mask`` but list them (severity ``alerte``)."""
        mask = mask & ~self.drop
        if mask.any():
            text = message() if callable(message) else message
            self.probs.add(mask, "alerte", "valeurs", self.lines, self.code, text)

    def who(self) -> pd.Series:
        return "indicateur « " + self.code.astype(str) + " » : "

    def unreadable(self, col: str, what: str) -> Callable[[], pd.Series]:
        """The message of a cell of ``col`` that is not ``what``."""
        return lambda: (
            self.who()
            + f"{col} « "
            + cell_text(self.raw.get(col), self.n).astype(str)
            + f" » n'est pas {what} : la ligne est ignorée."
        )


def _check_codes(rows: _Rows, ind: pd.DataFrame) -> None:
    code = rows.code
    rows.err(code.isna(), "code d'indicateur manquant : la ligne est ignorée.")
    unknown = code.notna() & ~code.isin(ind.index)
    if unknown.any():
        hints = code[unknown].map(
            lambda c: (
                f" (vouliez-vous dire « {closest(c, ind.index)[0]} » ?)"
                if closest(c, ind.index)
                else ""
            )
        )
        msg = pd.Series("", index=rows.out.index, dtype=object)
        msg[unknown] = (
            "le code « "
            + code[unknown]
            + " » n'existe pas dans la feuille indicateurs"
            + hints
            + " : la ligne est ignorée."
        )
        rows.err(unknown, msg)


def _check_value_type(rows: _Rows) -> None:
    out = rows.out
    tv, bad = cell_enum(out["type_valeur"], TYPES_VALEUR)
    rows.err(
        bad | tv.isna(),
        lambda: (
            rows.who() + "type_valeur « " + out["type_valeur"].fillna("").astype(str) + " » "
            "invalide (reference, cible ou realise) : la ligne est ignorée."
        ),
    )
    out["type_valeur"] = tv


def _check_periods(rows: _Rows) -> None:
    out = rows.out
    for col in ("periode_debut", "periode_fin", "date_saisie"):
        values, bad = cell_dates(rows.raw.get(col), rows.n)
        if col != "date_saisie":
            rows.err(bad, rows.unreadable(col, "une date (JJ/MM/AAAA)"))
        out[col] = values.mask(bad)
    out["periode_debut"] = out["periode_debut"].fillna(out["periode_fin"])
    out["periode_fin"] = out["periode_fin"].fillna(out["periode_debut"])
    rows.err(
        out["periode_fin"].isna(), lambda: rows.who() + "période manquante : la ligne est ignorée."
    )
    rows.err(
        out["periode_debut"] > out["periode_fin"],
        lambda: (
            rows.who()
            + "periode_debut ("
            + out["periode_debut"].map(format_date).astype(str)
            + ") est après "
            "periode_fin ("
            + out["periode_fin"].map(format_date).astype(str)
            + ") : la ligne est ignorée."
        ),
    )


def _check_numbers(rows: _Rows) -> None:
    for col in ("numerateur_valeur", "denominateur_valeur", "valeur"):
        values, bad = cell_numbers(
            rows.raw.get(col),
            rows.n,
            report=rows.probs.reporter("valeurs", rows.lines, rows.code, f"{col} "),
        )
        rows.err(bad, rows.unreadable(col, "un nombre"))
        rows.out[col] = values


def _check_ratios(rows: _Rows, ind: pd.DataFrame) -> None:
    """Numerator and denominator: value = factor × numerator / denominator, per measure."""
    out, who, code = rows.out, rows.who, rows.code
    # each row's indicator: one position per row, then a take per column (not a reindex of
    # the whole indicators table; kept as object, not converted to strings)
    pos = ind.index.get_indexer(pd.Index(code.to_numpy(), dtype=object))

    def column(name: str, dtype: object) -> pd.Series:
        values = take(ind[name].to_numpy(dtype=dtype), pos, allow_fill=True)
        return pd.Series(values, index=out.index, dtype=dtype)

    mesure = column("mesure", object)
    agg = column("agregation", object)
    facteur = column("facteur", float)
    qual = mesure.eq("qualitatif")
    num, den, val = out["numerateur_valeur"], out["denominateur_valeur"], out["valeur"]
    rows.err(
        den.notna() & (den <= 0),
        lambda: (
            who()
            + "dénominateur nul ou négatif ("
            + den.map(short_number)
            + ") : le taux ne peut pas être "
            "calculé ; la ligne est ignorée."
        ),
    )
    half = num.notna() ^ den.notna()
    rows.err(
        half & val.isna() & ~qual,
        lambda: (
            who() + "il faut à la fois le numérateur et le dénominateur : la ligne est ignorée."
        ),
    )
    pct_factor = mesure.eq("pourcentage") & num.notna() & den.notna() & facteur.eq(1)
    rows.warn(
        pct_factor & ~code.where(pct_factor).duplicated(),
        lambda: (
            who() + "pourcentage calculé avec le facteur 1 : numérateur / dénominateur donne une "
            "proportion (0,75) et non un pourcentage (75 %) ; mettez 100 dans la colonne facteur "
            "de la feuille indicateurs."
        ),
    )
    computed = facteur * num / den
    mismatch = num.notna() & den.notna() & val.notna() & ~np.isclose(val, computed, rtol=1e-3)
    rows.warn(
        mismatch,
        lambda: (
            who()
            + "la valeur saisie ("
            + val.map(short_number)
            + ") diffère de facteur × numérateur / "
            "dénominateur (" + computed.map(short_number) + ") : la valeur recalculée est utilisée."
        ),
    )
    out["valeur"] = computed.where(num.notna() & den.notna(), val)
    rows.err(
        ~qual & out["valeur"].isna(),
        lambda: (
            who()
            + "aucune valeur (ni valeur, ni numérateur et dénominateur) : la ligne est ignorée."
        ),
    )
    rows.err(
        qual & out["commentaire"].isna(),
        lambda: (
            who() + "indicateur qualitatif sans commentaire : l'appréciation doit être écrite dans "
            "la colonne commentaire ; la ligne est ignorée."
        ),
    )
    rows.warn(
        qual & out["valeur"].notna(),
        lambda: (
            who() + "indicateur qualitatif : la valeur numérique est ignorée (seul le commentaire "
            "compte)."
        ),
    )
    out["valeur"] = out["valeur"].mask(qual)
    ratio_real = agg.eq("ratio") & ~qual & out["type_valeur"].eq("realise")
    rows.err(
        ratio_real & (num.isna() | den.isna()),
        lambda: (
            who() + "agrégation ratio : une valeur réalisée doit donner son numérateur et son "
            "dénominateur (pour calculer Σ numérateurs / Σ dénominateurs) ; la ligne est ignorée."
        ),
    )
    pct = mesure.eq("pourcentage") & ((out["valeur"] < 0) | (out["valeur"] > 100))
    rows.warn(
        pct,
        lambda: (
            who()
            + "pourcentage hors de l'intervalle [0 ; 100] ("
            + out["valeur"].map(short_number)
            + ")."
        ),
    )


def _check_dimensions(rows: _Rows, ind: pd.DataFrame) -> None:
    """A dimension name goes with a modality, and is one the indicator declares."""
    out, who, code = rows.out, rows.who, rows.code
    dn, dv = out["dimension_nom"], out["dimension_valeur"]
    rows.err(
        dn.isna() ^ dv.isna(),
        lambda: (
            who() + "dimension_nom et dimension_valeur vont ensemble (les deux vides = total) : la "
            "ligne est ignorée."
        ),
    )
    out["dimension_nom"] = per_distinct(dn, key, np.nan)
    declared = {
        c: {key(p) for p in str(v).replace(",", ";").split(";") if p.strip()}
        for c, v in ind["desagregations"].items()
        if isinstance(v, str)
    }
    # the distinct (code, dimension) pairs, numbered on integers (each text hashed once)
    code_ids, codes = pd.factorize(code.to_numpy())
    dim_ids, dims = pd.factorize(out["dimension_nom"].to_numpy())
    pair_ids = code_ids * max(len(dims), 1) + dim_ids
    both = (code_ids >= 0) & (dim_ids >= 0)
    bad = [
        p
        for p in np.unique(pair_ids[both]).tolist()
        if (c := codes[p // len(dims)]) in declared and dims[p % len(dims)] not in declared[c]
    ]
    undeclared = pd.Series(both & np.isin(pair_ids, bad), index=out.index)
    rows.warn(
        undeclared,
        lambda: (
            who() + "la dimension « " + out["dimension_nom"].astype(str) + " » n'est pas dans les "
            "désagrégations déclarées de l'indicateur."
        ),
    )


def _check_duplicates(rows: _Rows) -> None:
    out, who = rows.out, rows.who
    keys = [
        "code",
        "type_valeur",
        "periode_debut",
        "periode_fin",
        "dimension_nom",
        "dimension_valeur",
    ]
    dup = pd.Series(row_ids([out[k] for k in keys]), index=out.index).duplicated() & ~rows.drop
    rows.err(
        dup,
        lambda: (
            who() + "ligne en double (même type, période et dimension qu'une ligne précédente) : "
            "elle est ignorée pour ne pas compter deux fois."
        ),
    )


def clean_values(
    raw: pd.DataFrame, ind: pd.DataFrame, probs: Problems, path: str | None
) -> pd.DataFrame:
    """Validate the ``valeurs`` sheet: the usable rows (columns :data:`VALUE_COLUMNS`), the
    problems added to ``probs``."""
    require_columns(raw, "valeurs", ["code", "type_valeur"], path)
    if not (
        {"valeur", "numerateur_valeur"} & set(raw.columns) or ind["mesure"].eq("qualitatif").all()
    ):
        require_columns(raw, "valeurs", ["valeur"], path)
    rows = _Rows(raw, probs)
    _check_codes(rows, ind)
    _check_value_type(rows)
    _check_periods(rows)
    _check_numbers(rows)
    _check_ratios(rows, ind)
    _check_dimensions(rows, ind)
    _check_duplicates(rows)
    kept = rows.out[~rows.drop].reset_index(drop=True)
    _check_totals(kept, ind, probs)
    _check_targets(kept, ind, probs)
    return kept[VALUE_COLUMNS]


def _check_totals(values: pd.DataFrame, ind: pd.DataFrame, probs: Problems) -> None:
    """Disaggregated values must add up to the total (additive indicators).

    For ``somme`` and ``cumul`` the values are added; for ``ratio`` the numerators and the
    denominators (rows giving only a ``valeur``, such as a target in %, are not additive).
    """
    additive = ind.index[ind["agregation"].isin(["somme", "cumul", "ratio"])]
    ratios = ind.index[ind["agregation"].eq("ratio")]
    sub = values[values["code"].isin(additive) & values["valeur"].notna()]
    is_ratio = sub["code"].isin(ratios)
    has_terms = sub["numerateur_valeur"].notna() & sub["denominateur_valeur"].notna()
    sub = sub[~is_ratio | has_terms]
    if sub.empty:
        return
    is_ratio = is_ratio[~is_ratio | has_terms]
    sub = sub.assign(
        _a=sub["valeur"].where(~is_ratio, sub["numerateur_valeur"]),
        _b=sub["denominateur_valeur"].where(is_ratio, 0.0),
    )
    keys = ["code", "type_valeur", "periode_debut", "periode_fin"]
    is_total = sub["dimension_nom"].isna().to_numpy()
    if is_total.all() or not is_total.any():
        return
    # grouped and merged on integer ids: the text keys are hashed once, and no column of
    # strings is rebuilt for the groups (with pyarrow, that conversion cost the most)
    group = sub.groupby(keys, sort=False).ngroup().to_numpy()
    dim = pd.factorize(sub["dimension_nom"].to_numpy())[0]
    row = np.arange(len(sub))
    part = ~is_total
    g = pd.DataFrame(
        {
            "_g": group[part],
            "_d": dim[part],
            "_r": row[part],
            "_a": sub["_a"].to_numpy()[part],
            "_b": sub["_b"].to_numpy()[part],
        }
    ).groupby(["_g", "_d"], sort=False)
    # one call per statistic: a named ``agg`` costs several times more (same kernels)
    sums = g[["_a", "_b"]].sum()
    sums.insert(0, "_r", g["_r"].first())
    sums = sums.reset_index()
    totals = pd.DataFrame(
        {
            "_g": group[is_total],
            "_ta": sub["_a"].to_numpy()[is_total],
            "_tb": sub["_b"].to_numpy()[is_total],
            "_tr": row[is_total],
        }
    )
    merged = sums.merge(totals, on="_g", how="inner")
    bad_a = ~np.isclose(merged["_a"], merged["_ta"], rtol=1e-6, atol=1e-9)
    bad_b = ~np.isclose(merged["_b"], merged["_tb"], rtol=1e-6, atol=1e-9)
    merged = merged[bad_a | bad_b]
    if merged.empty:
        return
    first = sub.iloc[merged["_r"].to_numpy()]
    merged = merged.assign(
        **{c: first[c].to_numpy() for c in [*keys, "dimension_nom"]},
        ligne=sub["ligne"].array.take(merged["_tr"].to_numpy()),
    )
    ratio = merged["code"].map(ind["agregation"]).eq("ratio").to_numpy()
    num_ok = np.isclose(merged["_a"], merged["_ta"], rtol=1e-6, atol=1e-9)
    what = np.where(
        ~ratio,
        "les valeurs désagrégées",
        np.where(num_ok, "les dénominateurs désagrégés", "les numérateurs désagrégés"),
    )
    got = np.where(ratio & num_ok, merged["_b"], merged["_a"])
    want = np.where(ratio & num_ok, merged["_tb"], merged["_ta"])
    msg = (
        "indicateur « "
        + merged["code"].astype(str)
        + " » : "
        + pd.Series(what, index=merged.index)
        + " par « "
        + merged["dimension_nom"].astype(str)
        + " » ("
        + merged["type_valeur"].astype(str)
        + ", "
        + merged["periode_debut"].map(format_date).astype(str)
        + " – "
        + merged["periode_fin"].map(format_date).astype(str)
        + ") font "
        + pd.Series(got, index=merged.index).map(short_number)
        + " au lieu du total "
        + pd.Series(want, index=merged.index).map(short_number)
        + "."
    )
    probs.add(
        np.ones(len(merged), dtype=bool),
        "alerte",
        "valeurs",
        merged["ligne"],
        merged["code"],
        msg,
    )


def _check_targets(values: pd.DataFrame, ind: pd.DataFrame, probs: Problems) -> None:
    """Every realised total must fall inside the period of a target of the same indicator.

    Qualitative indicators have no rate and need no target; a ``cumul`` value may precede
    the target's period (it counts in the running total).
    """
    columns = ["code", "type_valeur", "periode_debut", "periode_fin", "ligne"]
    tot = values[columns][values["dimension_nom"].isna()]
    quantitative = ind.index[ind["mesure"] != "qualitatif"]
    real = tot[(tot["type_valeur"] == "realise") & tot["code"].isin(quantitative)]
    if real.empty:
        return
    targets = tot[tot["type_valeur"] == "cible"][["code", "periode_debut", "periode_fin"]]
    real = real[["code", "periode_debut", "periode_fin", "ligne"]].reset_index(drop=True)
    real["_i"] = np.arange(len(real))
    # merged on an integer id of the code (each text hashed once)
    ids = pd.factorize(np.concatenate([real["code"].to_numpy(), targets["code"].to_numpy()]))[0]
    real["_k"] = ids[: len(real)]
    pairs = real.merge(
        targets.drop(columns="code").assign(_k=ids[len(real) :]),
        on="_k",
        how="inner",
        suffixes=("", "_c"),
    )
    cumul = pairs["code"].isin(ind.index[ind["agregation"] == "cumul"])
    covered = pairs[
        (cumul | (pairs["periode_debut"] >= pairs["periode_debut_c"]))
        & (pairs["periode_fin"] <= pairs["periode_fin_c"])
    ]["_i"].unique()
    orphan = real[~real["_i"].isin(covered)]
    if orphan.empty:
        return
    has_target = orphan["code"].isin(targets["code"])
    # an indicator without any target is reported once, on its first realised line
    orphan = orphan[has_target | ~orphan["code"].duplicated()]
    has_target = orphan["code"].isin(targets["code"])
    msg = np.where(
        has_target,
        "indicateur « "
        + orphan["code"]
        + " » : valeur réalisée ("
        + orphan["periode_debut"].map(format_date).astype(str)
        + " – "
        + orphan["periode_fin"].map(format_date).astype(str)
        + ") sans cible couvrant cette période : "
        "aucun taux de réalisation pour elle.",
        "indicateur « " + orphan["code"] + " » : valeurs réalisées sans aucune cible ; ajoutez "
        "une ligne « cible » pour calculer le taux de réalisation.",
    )
    probs.add(
        np.ones(len(orphan), dtype=bool),
        "alerte",
        "valeurs",
        orphan["ligne"],
        orphan["code"],
        msg,
    )
