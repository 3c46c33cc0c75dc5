"""The tables around a Reinert CHD: its input matrices (from a Corpus or a matrix) and the
tables of its result (class profiles, class sizes, hierarchy).

Profiles follow IRaMuTeQ 0.8's ``Rscripts/chdfunct.R`` ``new.build.prof`` (Ratinaud): signed χ²
of 2 × 2 tables of segment counts, no continuity correction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._errors import DataError
from .corpus import SEGMENT_COLUMNS

__all__ = [
    "PROFILE_COLUMNS",
    "ProfileKind",
    "all_profiles",
    "binary_csr",
    "cap_active",
    "check_params",
    "from_corpus",
    "hierarchy_frame",
    "metadata_matrix",
    "prepare",
    "profiles_table",
    "sizes_table",
]

#: Which profiles of a class: its active forms, supplementary forms or starred modalities.
ProfileKind = Literal["actives", "supplementaires", "variables"]

# ---------------------------------------------------------------------------------------------
# Input handling
# ---------------------------------------------------------------------------------------------


def binary_csr(data: Any, what: str) -> tuple[sp.csr_matrix, pd.Index | None, pd.Index | None]:
    """Return ``(binary csr, row labels, column labels)`` from a sparse/dense/DataFrame table."""
    rows = cols = None
    if isinstance(data, pd.DataFrame):
        rows, cols = data.index, data.columns.astype(str)
        try:
            values = data.to_numpy(dtype=float)
        except (TypeError, ValueError) as exc:
            raise DataError(
                f"le tableau {what} contient des valeurs non numériques.",
                hint="donnez un tableau de 0 et de 1 (présence / absence de chaque forme dans "
                "chaque segment), ou un objet Corpus.",
            ) from exc
        matrix = sp.csr_matrix(values)
    elif sp.issparse(data):
        matrix = sp.csr_matrix(data, dtype=float)
    elif isinstance(data, np.ndarray):
        if data.ndim != 2:
            raise DataError(
                f"le tableau {what} doit avoir deux dimensions (segments × formes).",
                hint="donnez une matrice segments × formes.",
            )
        matrix = sp.csr_matrix(data.astype(float))
    else:
        raise DataError(
            f"type de données non reconnu pour le tableau {what} : {type(data).__name__}.",
            hint="donnez un Corpus, une matrice creuse scipy ou un DataFrame segments × formes.",
        )
    matrix.sum_duplicates()
    values = matrix.data
    if np.isnan(values).any() or (values < 0).any():
        raise DataError(
            f"le tableau {what} contient des valeurs manquantes ou négatives.",
            hint="chaque case doit valoir 0 (forme absente du segment) ou plus (présente).",
        )
    matrix.eliminate_zeros()
    matrix.data[:] = 1.0
    matrix.sort_indices()
    return matrix, rows, cols


def metadata_matrix(metadata: pd.DataFrame) -> tuple[sp.csr_matrix, list[str]]:
    """Indicator matrix of the metadata modalities, named IRaMuTeQ-style ``*variable_modalite``."""
    blocks: list[sp.csr_matrix] = []
    names: list[str] = []
    for column in metadata.columns:
        values = metadata[column]
        codes, uniques = pd.factorize(values, sort=True)
        present = codes >= 0
        block = sp.csr_matrix(
            (np.ones(present.sum()), (np.flatnonzero(present), codes[present])),
            shape=(len(metadata), len(uniques)),
        )
        blocks.append(block)
        names.extend(f"*{column}_{value}" for value in uniques)
    if not blocks:
        return sp.csr_matrix((len(metadata), 0)), []
    return sp.hstack(blocks, format="csr"), names


def from_corpus(corpus: Any) -> dict[str, Any]:
    """Unpack a Corpus through its ``segment_matrix`` contract."""
    active, segments, terms = corpus.segment_matrix(kind="active")
    supp, _, supp_terms = corpus.segment_matrix(kind="supplementary")
    segments = pd.DataFrame(segments).reset_index(drop=True)
    meta_cols = [c for c in segments.columns if c not in SEGMENT_COLUMNS]
    return {
        "active": active,
        "terms": pd.Index(terms).astype(str),
        "supplementary": supp,
        "supplementary_terms": pd.Index(supp_terms).astype(str),
        "segments": segments,
        "metadata": segments[meta_cols] if meta_cols else None,
    }


def cap_active(matrix: sp.csr_matrix, terms: pd.Index, max_active: int):
    """Keep at most ``max_active`` columns, the most frequent; columns tied at the cut are all
    dropped so that the choice never depends on the column order."""
    if matrix.shape[1] <= max_active:
        return matrix, terms
    totals = np.asarray(matrix.sum(axis=0)).ravel()
    cut = np.sort(totals)[::-1][max_active - 1]
    keep = totals > cut
    if keep.sum() + (totals == cut).sum() <= max_active:
        keep |= totals == cut
    idx = np.flatnonzero(keep)
    return matrix[:, idx], terms[idx]


# ---------------------------------------------------------------------------------------------
# Profiles (``chdfunct.R`` ``new.build.prof``) and typical segments
# ---------------------------------------------------------------------------------------------

PROFILE_COLUMNS = ["Classe", "Forme", "Effectif classe", "Effectif total", "%", "χ²", "p"]


def profiles_table(
    matrix: sp.csr_matrix, names: Sequence[str], classes: np.ndarray, n_classes: int, min_total: int
) -> pd.DataFrame:
    """Signed χ² of every word/modality for every class (2 × 2 tables, no correction)."""
    from scipy.special import erfc

    classified = np.flatnonzero(classes > 0)
    if n_classes == 0 or matrix.shape[1] == 0 or len(classified) == 0:
        return pd.DataFrame(columns=PROFILE_COLUMNS)
    sub = matrix[classified]
    cl = classes[classified] - 1
    nst = float(len(classified))
    indicator = sp.csr_matrix(
        (np.ones(len(cl)), (cl, np.arange(len(cl)))), shape=(n_classes, len(cl))
    )
    counts = np.asarray((indicator @ sub).todense())
    totals = counts.sum(axis=0)
    keep = np.flatnonzero(totals >= min_total)
    counts, totals = counts[:, keep], totals[keep]
    sizes = np.bincount(cl, minlength=n_classes).astype(float)[:, None]
    o1 = counts
    o2 = totals[None, :] - o1
    o3 = sizes - o1
    o4 = nst - sizes - o2
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = nst * (o1 * o4 - o2 * o3) ** 2 / ((o1 + o2) * (o3 + o4) * (o1 + o3) * (o2 + o4))
    chi2 = np.where(np.isfinite(chi2), chi2, 0.0)
    expected = totals[None, :] * sizes / nst
    signed = np.where(o1 > expected, chi2, -chi2)
    frame = pd.DataFrame(
        {
            "Classe": np.repeat(np.arange(1, n_classes + 1), len(keep)),
            "Forme": np.tile(np.asarray(names, dtype=object)[keep], n_classes),
            "Effectif classe": o1.ravel().astype(np.int64),
            "Effectif total": np.tile(totals, n_classes).astype(np.int64),
            "%": (o1 / totals[None, :] * 100).ravel(),
            "χ²": signed.ravel(),
            # χ² law with one degree of freedom: P(χ² > x) = erfc(√(x/2))
            "p": erfc(np.sqrt(np.abs(signed) / 2.0)).ravel(),
        }
    )
    frame = frame.sort_values(["Classe", "χ²"], ascending=[True, False], kind="stable")
    return frame.reset_index(drop=True)


def prepare(
    data: Any,
    n_splits: int,
    min_class_size: int | None,
    max_active: int,
    supplementary: Any,
    metadata: pd.DataFrame | None,
    segments: pd.DataFrame | None,
) -> dict[str, Any]:
    """Check the parameters and unpack the input of a CHD (matrices, names, segments)."""
    check_params(n_splits, min_class_size, max_active)
    if hasattr(data, "segment_matrix"):
        unpacked = from_corpus(data)
        if supplementary is None:
            supplementary = (unpacked["supplementary"], unpacked["supplementary_terms"])
        if metadata is None:
            metadata = unpacked["metadata"]
        if segments is None:
            segments = unpacked["segments"]
        matrix, _, _ = binary_csr(unpacked["active"], "des formes actives")
        terms = unpacked["terms"]
        row_ids = (
            pd.Index(segments["segment"])
            if segments is not None and "segment" in segments.columns
            else pd.RangeIndex(matrix.shape[0])
        )
    else:
        matrix, row_ids, terms = binary_csr(data, "des formes actives")
        if terms is None:
            terms = pd.Index([f"forme_{j + 1}" for j in range(matrix.shape[1])])
        if row_ids is None:
            row_ids = (
                pd.Index(segments["segment"])
                if segments is not None and "segment" in segments.columns
                else pd.RangeIndex(matrix.shape[0])
            )
    n = matrix.shape[0]
    for name, frame in (("metadata", metadata), ("segments", segments)):
        if frame is not None and len(frame) != n:
            raise DataError(
                f"« {name} » a {len(frame)} lignes mais la matrice a {n} segments.",
                hint="donnez une ligne par segment, dans l'ordre des lignes de la matrice.",
            )
    matrix, terms = cap_active(matrix, pd.Index(terms), max_active)
    supp = supp_terms = None
    if supplementary is not None:
        if isinstance(supplementary, tuple):
            supp_data, supp_terms = supplementary
            supp, _, _ = binary_csr(supp_data, "des formes supplémentaires")
            supp_terms = pd.Index(supp_terms).astype(str)
        else:
            supp, _, supp_terms = binary_csr(supplementary, "des formes supplémentaires")
            if supp_terms is None:
                supp_terms = pd.Index([f"supp_{j + 1}" for j in range(supp.shape[1])])
        if supp.shape[0] != n:
            raise DataError(
                f"la matrice des formes supplémentaires a {supp.shape[0]} lignes mais celle "
                f"des formes actives {n}.",
                hint="les deux matrices doivent avoir une ligne par segment, dans le même ordre.",
            )
    if metadata is not None:
        metadata = pd.DataFrame(metadata).reset_index(drop=True)
    if segments is not None:
        segments = pd.DataFrame(segments).reset_index(drop=True)
    return {
        "matrix": matrix,
        "terms": terms,
        "row_ids": row_ids,
        "supp": supp,
        "supp_terms": supp_terms,
        "metadata": metadata,
        "segments": segments,
    }


def all_profiles(prep: dict[str, Any], classes: np.ndarray, k: int) -> dict[str, pd.DataFrame]:
    profiles = {"actives": profiles_table(prep["matrix"], list(prep["terms"]), classes, k, 3)}
    if prep["supp"] is not None:
        profiles["supplementaires"] = profiles_table(
            prep["supp"], list(prep["supp_terms"]), classes, k, 3
        )
    if prep["metadata"] is not None and prep["metadata"].shape[1] > 0:
        meta, names = metadata_matrix(prep["metadata"])
        profiles["variables"] = profiles_table(meta, names, classes, k, 1)
    return profiles


def sizes_table(classes: np.ndarray) -> pd.DataFrame:
    n = len(classes)
    k = int(classes.max()) if n else 0
    counts = np.bincount(classes, minlength=k + 1)
    classified = counts[1:].sum()
    index = [f"Classe {i}" for i in range(1, k + 1)] + ["Non classés", "Total"]
    eff = [*counts[1:].tolist(), int(counts[0]), n]
    table = pd.DataFrame(
        {
            "Effectif": eff,
            "% des segments": [100 * e / n if n else np.nan for e in eff],
            "% des classés": [
                *(100 * counts[1:] / classified if classified else [np.nan] * k),
                np.nan,
                np.nan,
            ],
        },
        index=index,
    )
    return table


def hierarchy_frame(membership: np.ndarray, row_ids: pd.Index) -> pd.DataFrame:
    frame = pd.DataFrame(
        membership, index=row_ids, columns=pd.RangeIndex(1, membership.shape[1] + 1)
    )
    frame.columns.name = "Bipartition"
    return frame


def check_params(n_splits: int, min_class_size: int | None, max_active: int) -> None:
    if not isinstance(n_splits, int | np.integer) or n_splits < 1:
        raise DataError(
            f"n_splits doit être un entier positif (reçu : {n_splits!r}).",
            hint="n_splits = nombre de bipartitions, 9 par défaut (10 classes au plus).",
        )
    if min_class_size is not None and (
        not isinstance(min_class_size, int | np.integer) or min_class_size < 0
    ):
        raise DataError(
            f"min_class_size doit être un entier positif ou nul (reçu : {min_class_size!r}).",
            hint="laissez None pour le calcul automatique d'IRaMuTeQ (segments / (n_splits + 1)).",
        )
    if not isinstance(max_active, int | np.integer) or max_active < 2:
        raise DataError(
            f"max_active doit être un entier d'au moins 2 (reçu : {max_active!r}).",
            hint="IRaMuTeQ garde au plus 20 000 formes actives.",
        )
