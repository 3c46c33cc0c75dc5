"""The complete disjunctive table of an ACM: one 0/1 column per category of each variable.

A private module with public names, used by :func:`movsc_toolkit.survey.mca`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._common import NON_REPONSE, column_of, encode

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["Encoded", "disjunctive_table", "indicator_codes"]

#: (variable, codes of each row with −1 for a missing answer, categories)
Encoded = list[tuple[str, np.ndarray, list[object]]]


def indicator_codes(
    data: pd.DataFrame, columns: Sequence[str], missing_as_category: bool
) -> tuple[Encoded, np.ndarray]:
    """Codes and categories of each variable, and the mask of rows without missing answer."""
    encoded = []
    for column in columns:
        codes, cats = encode(column_of(data, column))
        if missing_as_category and (codes < 0).any():
            cats = [*cats, NON_REPONSE]
            codes = np.where(codes < 0, len(cats) - 1, codes)
        encoded.append((column, codes, cats))
    keep = np.ones(len(data), dtype=bool)
    for _, codes, _ in encoded:
        keep &= codes >= 0
    return encoded, keep


def disjunctive_table(
    encoded: Encoded, keep: np.ndarray
) -> tuple[sp.csr_matrix, list[tuple[str, object]]]:
    """Sparse disjunctive table of the kept rows (unused categories dropped) and its labels."""
    import scipy.sparse as sp

    n = int(keep.sum())
    blocks: list[sp.csr_matrix] = []
    labels: list[tuple[str, object]] = []
    for column, codes, cats in encoded:
        kept = codes[keep]
        used = np.bincount(kept[kept >= 0], minlength=len(cats)) > 0
        remap = np.cumsum(used) - 1
        valid = kept >= 0
        rows = np.flatnonzero(valid)
        block = sp.csr_matrix(
            (np.ones(rows.size), (rows, remap[kept[valid]])), shape=(n, int(used.sum()))
        )
        blocks.append(block)
        labels.extend((column, c) for c, u in zip(cats, used, strict=True) if u)
    return sp.hstack(blocks, format="csr"), labels
