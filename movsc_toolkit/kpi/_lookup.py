"""Helpers of the follow-up (:mod:`.tracking`): looking up each row's indicator, filtering
the values table, the remarks of the dashboard.

With pyarrow, pandas turns columns of Python strings into Arrow strings whenever it builds a
new column or index from them; these helpers keep the keys as Python objects, hash each
distinct key once and filter only the columns used.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.extensions import take

from .._format import format_date

__all__ = ["FOLLOW_UP_COLUMNS", "Keys", "equals", "lookup", "remarks", "select"]


class Keys:
    """A column of keys hashed once, to look up several tables (:func:`lookup`)."""

    def __init__(self, keys: pd.Series) -> None:
        self.ids, uniques = pd.factorize(keys.to_numpy(dtype=object))
        self.uniques = pd.Index(uniques, dtype=object)
        self.index = keys.index


def lookup(keys: pd.Series | Keys, table: pd.Series) -> pd.Series:
    """``keys.map(table)`` that keeps the dtype of ``table`` even when it is empty.

    Keys and index are compared as Python objects (with pyarrow, ``reindex`` would first turn
    every key into an Arrow string), each distinct key once.
    """
    keys = keys if isinstance(keys, Keys) else Keys(keys)
    index = table.index if table.index.dtype == object else table.index.astype(object)
    pos = np.append(index.get_indexer(keys.uniques), -1)[keys.ids]
    values = take(table.to_numpy(), pos, allow_fill=True)
    # texts stay Python objects (not converted to pandas strings: only compared here)
    return pd.Series(values, index=keys.index, dtype=object if values.dtype == object else None)


def equals(values: pd.Series, value: str) -> np.ndarray:
    """``values == value`` as a numpy mask (numpy compares an object column faster)."""
    if values.dtype == object:
        return np.asarray(values) == value
    return (values == value).to_numpy(dtype=bool)


def select(v: pd.DataFrame, mask: np.ndarray | pd.Series, columns: list[str]) -> pd.DataFrame:
    """The rows of ``mask`` with only ``columns``: filtering every column of the values
    table would cost more than the computation that follows."""
    return v[columns][np.asarray(mask, dtype=bool)]


#: Columns of the values table that the follow-up computations read.
FOLLOW_UP_COLUMNS = [
    "code",
    "dimension_nom",
    "dimension_valeur",
    "periode_debut",
    "periode_fin",
    "numerateur_valeur",
    "denominateur_valeur",
    "valeur",
    "ligne",
]


def remarks(out: pd.DataFrame, ind: pd.DataFrame, as_of: pd.Timestamp) -> list[str | None]:
    remarks = []
    day = format_date(as_of)
    # plain Python values, column by column (iterrows builds a Series per row)
    mesure = ind["mesure"].reindex(out.index).tolist()
    columns = ["cible", "realise", "debut_cible", "reference", "taux"]
    rows = zip(*(out[c].tolist() for c in columns), strict=True)
    for m, values in zip(mesure, rows, strict=True):
        r = dict(zip(columns, values, strict=True))
        notes = []
        qual = m == "qualitatif"
        if qual:
            notes.append("indicateur qualitatif : voir le commentaire")
        elif pd.isna(r["cible"]):
            notes.append(
                "pas de cible : ajoutez une ligne « cible » dans la feuille valeurs"
                if pd.notna(r["realise"])
                else "pas de cible"
            )
        elif r["debut_cible"] > as_of:
            notes.append(f"la période de la cible commence le {format_date(r['debut_cible'])}")
        if not qual and pd.isna(r["realise"]):
            notes.append(f"aucune valeur réalisée au {day}")
        if not qual and pd.notna(r["cible"]) and pd.notna(r["realise"]):
            if pd.isna(r["reference"]):
                notes.append(
                    "pas de valeur de référence : progression non calculée, statut "
                    "établi sur le taux de réalisation"
                )
            elif r["cible"] == r["reference"]:
                notes.append(
                    "cible égale à la référence : progression non définie, statut "
                    "établi sur le taux de réalisation"
                )
            if pd.isna(r["taux"]):
                notes.append("taux de réalisation non défini (division par zéro)")
        remarks.append("; ".join(notes) if notes else None)
    return remarks
