"""Survey's contingency-table kernel: the observed table of two columns (weights normalised to
the number of respondents), expected counts, exact and Monte-Carlo p-values (Fisher's exact test
for 2×2 and r×c tables, R's ``simulate.p.value``), and the French wording of counts, p-values
and significance.

A private module with public names, used by the χ² test, Fisher's test and the comparison of
means.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import DataError, OptionError
from .._format import format_number, format_pvalue
from ._common import check_data, column_of, cross_counts, encode, weight_values

if TYPE_CHECKING:
    pass


__all__ = [
    "ALPHA",
    "EXACT_LIMIT",
    "N_SIMULATIONS",
    "RANDOM_STATE",
    "exact_fisher_pvalue",
    "expected_counts",
    "fisher_rxc",
    "format_count",
    "format_p",
    "observed_table",
    "significance",
    "simulated_pvalue",
]


ALPHA = 0.05


N_SIMULATIONS = 10_000
RANDOM_STATE = 0


def simulated_pvalue(
    counts: np.ndarray, statistic: str, n_simulations: int, random_state: int | None
) -> float:
    """Monte-Carlo p-value over tables with the observed margins (R's ``r2dtable`` scheme).

    ``statistic="fisher"`` is R ``fisher.test(simulate.p.value = TRUE)``: the share of
    simulated tables at most as probable as the observed one; ``"chi2"`` is R
    ``chisq.test(simulate.p.value = TRUE)``: the share whose Pearson χ² is at least the
    observed one. Both count the observed table: ``p = (1 + hits) / (B + 1)``, with R's
    tolerance of 64 machine epsilons on the comparison.
    """
    from scipy import stats

    table = np.rint(counts).astype(np.int64)
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    rng = np.random.default_rng(random_state)
    sims = stats.random_table(rows, cols, seed=rng).rvs(n_simulations).astype(float)
    eps = 64 * np.finfo(float).eps
    if statistic == "fisher":
        from scipy.special import gammaln

        observed = -gammaln(table + 1.0).sum()
        simulated = -gammaln(sims + 1.0).sum(axis=(1, 2))
        hits = int((simulated <= observed / (1 + eps)).sum())
    else:
        expected = expected_counts(table.astype(float))
        observed = ((table - expected) ** 2 / expected).sum()
        simulated = ((sims - expected) ** 2 / expected).sum(axis=(1, 2))
        hits = int((simulated >= (1 - eps) * observed).sum())
    return (1 + hits) / (n_simulations + 1)


EXACT_LIMIT = 100_000  # tables enumerated at most for an exact r × c Fisher test


def exact_fisher_pvalue(counts: np.ndarray, limit: int = EXACT_LIMIT) -> float | None:
    """Exact two-sided Fisher p-value of an r × c table, or ``None`` beyond ``limit`` tables.

    Enumerates every table with the observed margins (row by row, the last row being
    determined) and sums the probabilities ``Π r_i! Π c_j! / (n! Π n_ij!)`` of those at most
    as probable as the observed one, with R's relative tolerance of 1e-7 — the p-value of R
    ``fisher.test`` (which uses the network algorithm to avoid listing them all).
    """
    from scipy.special import gammaln

    table = np.rint(counts).astype(np.int64)
    rows = [int(x) for x in table.sum(axis=1)]
    remaining = [int(x) for x in table.sum(axis=0)]
    n = int(table.sum())
    r, c = table.shape
    # Upper bound of the number of tables (each row but the last split freely into c parts):
    # when it is a thousand times the limit, listing them is hopeless — do not try.
    bound = sum(math.lgamma(k + c) - math.lgamma(k + 1) - math.lgamma(c) for k in rows[:-1])
    if bound > math.log(limit) + math.log(1000):
        return None
    log_fact = gammaln(np.arange(n + 1) + 1.0)
    const = log_fact[rows].sum() + log_fact[remaining].sum() - log_fact[n]
    threshold = const - log_fact[table].sum() + np.log1p(1e-7)
    total = 0.0
    count = 0

    class _TooMany(Exception):
        pass

    def fill(i: int, j: int, left: int, acc: float) -> None:
        nonlocal total, count
        if i == r - 1:  # the last row is what the columns still need
            count += 1
            if count > limit:
                raise _TooMany
            log_p = const - acc - log_fact[remaining].sum()
            if log_p <= threshold:
                total += float(np.exp(log_p))
            return
        if j == c - 1:
            if left <= remaining[j]:
                remaining[j] -= left
                fill(i + 1, 0, rows[i + 1], acc + log_fact[left])
                remaining[j] += left
            return
        room = sum(remaining[j + 1 :])
        for x in range(max(0, left - room), min(left, remaining[j]) + 1):
            remaining[j] -= x
            fill(i, j + 1, left - x, acc + log_fact[x])
            remaining[j] += x

    try:
        fill(0, 0, rows[0], 0.0)
    except _TooMany:
        return None
    return min(1.0, total)


def fisher_rxc(
    counts: np.ndarray, n_simulations: int, random_state: int | None, method: str = "auto"
) -> tuple[float, bool]:
    """(p-value, simulated): exact when the table is small enough, else Monte-Carlo."""
    if method not in {"auto", "exact", "simulate"}:
        raise OptionError(
            f"method={method!r} n'est pas reconnu.",
            hint='choisissez method="auto" (exact si possible), "exact" ou "simulate".',
        )
    if method != "simulate":
        exact = exact_fisher_pvalue(counts, limit=EXACT_LIMIT if method == "auto" else 10**7)
        if exact is not None:
            return exact, False
        if method == "exact":
            raise DataError(
                "le tableau est trop grand pour un test exact de Fisher (trop de tableaux "
                "possibles).",
                hint='utilisez method="simulate" (p-value par Monte-Carlo) ou regroupez des '
                "modalités.",
            )
    if n_simulations < 1:
        raise DataError(
            f"n_simulations={n_simulations} : il faut au moins un tableau simulé.",
            hint="gardez la valeur par défaut (10 000) ou choisissez par exemple 2 000.",
        )
    return simulated_pvalue(counts, "fisher", n_simulations, random_state), True


def format_count(value: int) -> str:
    return format_number(value, 0)


def format_p(p: float) -> str:
    """``p = 0,007`` or ``p < 0,001``."""
    text = format_pvalue(p)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def significance(p: float, alpha: float, feminine: bool = False) -> str:
    pct = format_number(100 * alpha, 0)
    word = "significative" if feminine else "significatif"
    if p < alpha:
        return f"{word} au seuil de {pct} % ({format_p(p)} < {format_number(alpha)})"
    return f"non {word} au seuil de {pct} % ({format_p(p)} ≥ {format_number(alpha)})"


def observed_table(
    data: pd.DataFrame, row: str, col: str, weights: object
) -> tuple[np.ndarray, list[object], list[object], float, bool, float]:
    """Observed table without missing answers nor empty rows / columns.

    Returns counts, row labels, column labels, the number left out (missing answers), whether
    weights were used, and the unweighted number of respondents.
    """
    data = check_data(data)
    column_of(data, row)
    column_of(data, col)
    w = weight_values(data, weights)
    if w is not None:
        valid = (encode(data[row])[0] >= 0) & (encode(data[col])[0] >= 0)
        n_valid = int(valid.sum())
        total_w = w[valid].sum()
        if n_valid == 0 or total_w == 0:
            raise DataError(
                f"aucune ligne n'a de réponse à la fois pour « {row} » et pour « {col} ».",
                hint="vérifiez les deux colonnes (valeurs manquantes, filtre appliqué).",
            )
        w = w * n_valid / total_w  # normalised weights: the table sums to n
    counts, rcats, ccats, left_out = cross_counts(data, row, col, w, dropna=True)
    n_resp = float(counts.sum()) if w is None else float(n_valid)
    keep_r = counts.sum(axis=1) > 0
    keep_c = counts.sum(axis=0) > 0
    counts = counts[keep_r][:, keep_c]
    rcats = [c for c, k in zip(rcats, keep_r, strict=True) if k]
    ccats = [c for c, k in zip(ccats, keep_c, strict=True) if k]
    for name, cats in ((row, rcats), (col, ccats)):
        if len(cats) < 2:
            shown = f" (« {cats[0]} »)" if cats else ""
            raise DataError(
                f"la variable « {name} » n'a qu'une seule modalité observée{shown} : "
                "aucune association ne peut être testée.",
                column=name,
                hint="choisissez une variable qui prend au moins deux valeurs différentes.",
            )
    return counts, rcats, ccats, left_out, w is not None, n_resp


def expected_counts(counts: np.ndarray) -> np.ndarray:
    return np.outer(counts.sum(axis=1), counts.sum(axis=0)) / counts.sum()
