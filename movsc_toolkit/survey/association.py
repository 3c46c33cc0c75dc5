"""Tests of association: χ² of independence, Fisher's exact test, Cramér's V, mean comparisons.

Formulas and conventions: ``shared/reference/survey.md`` §4.2 (χ², Cochran's rule), §4.3
(Fisher), §4.4 (Cramér's V, always from the χ² *without* Yates correction), §4.5 (adjusted
standardized residuals of Haberman: ``d = (O − E) / sqrt(E (1 − n_i./n)(1 − n_.j/n))``).
The counts are never altered (no zero shift as in statsmodels' default ``Table``).

With survey weights, the tests are computed on the weighted table rescaled to the number of
respondents (weights normalised to sum to n). This is only indicative: a design-based test
(Rao–Scott, R ``survey::svychisq``) is the rigorous method; the results say so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import DataError
from .._format import format_number, format_pvalue
from .._report import Report, titled_html
from ..plotting import get_axes
from ._common import check_data, column_of, cross_counts, encode, weight_values

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "Chi2Result",
    "FisherResult",
    "MeansResult",
    "chi2_test",
    "compare_means",
    "cramers_v",
    "fisher_test",
    "strength_thresholds",
]

ALPHA = 0.05


N_SIMULATIONS = 10_000
RANDOM_STATE = 0


def strength_thresholds(df_star: int) -> tuple[float, float, float]:
    """Cramér's V thresholds (small / medium / large) for a table with ``df* = min(r, c) − 1``.

    Cohen (1988, *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed., §7.2)
    sets 0.10 / 0.30 / 0.50 for his effect size ``w = sqrt(χ² / n)``. Since
    ``V = w / sqrt(df*)``, the same effects in terms of V are ``0.10 / 0.30 / 0.50`` divided by
    ``sqrt(df*)``: 0.10 / 0.30 / 0.50 for a 2 × k table, about 0.07 / 0.21 / 0.35 for df* = 2
    and 0.06 / 0.17 / 0.29 for df* = 3. They remain a teaching convention (survey.md §4.4).
    """
    root = float(np.sqrt(max(int(df_star), 1)))
    return (0.1 / root, 0.3 / root, 0.5 / root)


def _strength(v: float, df_star: int = 1) -> str:
    """Strength of Cramér's V by Cohen's thresholds for ``df*`` (:func:`strength_thresholds`)."""
    small, medium, large = strength_thresholds(df_star)
    if v < small:
        return "négligeable"
    if v < medium:
        return "faible"
    if v < large:
        return "moyenne"
    return "forte"


def _strength_text(v: float, df_star: int) -> str:
    thresholds = " / ".join(format_number(t) for t in strength_thresholds(df_star))
    return (
        f"intensité {_strength(v, df_star)} selon les repères de Cohen pour ddl* = {df_star} : "
        f"{thresholds}"
    )


def _simulated_pvalue(
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
        expected = _expected(table.astype(float))
        observed = ((table - expected) ** 2 / expected).sum()
        simulated = ((sims - expected) ** 2 / expected).sum(axis=(1, 2))
        hits = int((simulated >= (1 - eps) * observed).sum())
    return (1 + hits) / (n_simulations + 1)


EXACT_LIMIT = 100_000  # tables enumerated at most for an exact r × c Fisher test


def _exact_fisher_pvalue(counts: np.ndarray, limit: int = EXACT_LIMIT) -> float | None:
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


def _fisher_rxc(
    counts: np.ndarray, n_simulations: int, random_state: int | None, method: str = "auto"
) -> tuple[float, bool]:
    """(p-value, simulated): exact when the table is small enough, else Monte-Carlo."""
    if method not in {"auto", "exact", "simulate"}:
        raise DataError(
            f"method={method!r} n'est pas reconnu.",
            hint='choisissez method="auto" (exact si possible), "exact" ou "simulate".',
        )
    if method != "simulate":
        exact = _exact_fisher_pvalue(counts, limit=EXACT_LIMIT if method == "auto" else 10**7)
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
    return _simulated_pvalue(counts, "fisher", n_simulations, random_state), True


def _n(value: int) -> str:
    return format_number(value, 0)


def _p(p: float) -> str:
    """``p = 0,007`` or ``p < 0,001``."""
    text = format_pvalue(p)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def _significance(p: float, alpha: float, feminine: bool = False) -> str:
    pct = format_number(100 * alpha, 0)
    word = "significative" if feminine else "significatif"
    if p < alpha:
        return f"{word} au seuil de {pct} % ({_p(p)} < {format_number(alpha)})"
    return f"non {word} au seuil de {pct} % ({_p(p)} ≥ {format_number(alpha)})"


def _table(
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


def _expected(counts: np.ndarray) -> np.ndarray:
    return np.outer(counts.sum(axis=1), counts.sum(axis=0)) / counts.sum()


def _chi2(counts: np.ndarray) -> tuple[float, int, float]:
    from scipy import stats

    expected = _expected(counts)
    chi2 = float(((counts - expected) ** 2 / expected).sum())
    dof = (counts.shape[0] - 1) * (counts.shape[1] - 1)
    return chi2, dof, float(stats.chi2.sf(chi2, dof))


def _cramer(chi2: float, counts: np.ndarray) -> float:
    return float(np.sqrt(chi2 / (counts.sum() * (min(counts.shape) - 1))))


# --------------------------------------------------------------------------- χ²


@dataclass(frozen=True, repr=False)
class Chi2Result(Report):
    """Result of :func:`chi2_test` (χ² test of independence between two variables).

    Attributes
    ----------
    row, col
        The two variables.
    observed, expected
        Observed and expected (theoretical) counts, as DataFrames.
    residuals
        Adjusted standardized residuals (Haberman): above 1.96 the cell is over-represented,
        below −1.96 under-represented (5 % level, descriptive flag).
    pearson_residuals
        ``(O − E) / √E``; their squares sum to χ².
    chi2, dof, pvalue, cramers_v
        χ² (without Yates correction), degrees of freedom, p-value, Cramér's V.
    n
        Number of respondents in the table; ``n_excluded``: left out for a missing answer.
    n_small, share_small, min_expected
        Cells with an expected count below 5, their share, and the smallest expected count.
    conditions_ok
        Cochran's rule holds (no expected count below 1, at most 20 % below 5).
    fisher_pvalue
        Fisher's test p-value, computed when Cochran's rule fails: exact for a 2 × 2 table,
        Monte-Carlo otherwise (R ``fisher.test(simulate.p.value = TRUE)``, ``n_simulations``
        tables with the observed margins, seed ``random_state``). It then replaces the χ²
        p-value for the conclusion.
    simulated_pvalue
        Monte-Carlo p-value of the χ² (R ``chisq.test(simulate.p.value = TRUE)``), computed
        with ``simulate_p_value=True``.
    n_simulations, random_state
        Number of simulated tables and seed of the Monte-Carlo p-values.
    weighted
        Whether survey weights were used (then the test is indicative only).
    """

    row: str
    col: str
    observed: pd.DataFrame
    expected: pd.DataFrame
    residuals: pd.DataFrame
    pearson_residuals: pd.DataFrame
    chi2: float
    dof: int
    pvalue: float
    cramers_v: float
    n: float
    n_excluded: float
    n_small: int
    share_small: float
    min_expected: float
    conditions_ok: bool
    fisher_pvalue: float | None = None
    weighted: bool = False
    alpha: float = ALPHA
    simulated_pvalue: float | None = None
    n_simulations: int = N_SIMULATIONS
    random_state: int | None = RANDOM_STATE
    fisher_simulated: bool = False

    @property
    def fisher_exact(self) -> bool:
        """Whether :attr:`fisher_pvalue` is exact rather than estimated by Monte-Carlo."""
        return not self.fisher_simulated

    @property
    def decision_pvalue(self) -> float:
        """The p-value the conclusion rests on: Fisher's when computed, else the simulated χ²
        one when computed, else the asymptotic χ² one."""
        if self.fisher_pvalue is not None:
            return self.fisher_pvalue
        if self.simulated_pvalue is not None:
            return self.simulated_pvalue
        return self.pvalue

    @property
    def significant(self) -> bool:
        """Whether the association is significant at ``alpha`` (on :attr:`decision_pvalue`)."""
        return self.decision_pvalue < self.alpha

    def _method(self) -> str:
        if self.fisher_pvalue is not None:
            if self.fisher_exact:
                return "test exact de Fisher"
            return (
                f"test de Fisher, p-value par Monte-Carlo sur {_n(self.n_simulations)} tableaux "
                f"de mêmes marges, graine {self.random_state}"
            )
        if self.simulated_pvalue is not None:
            return (
                f"test du χ², p-value par Monte-Carlo sur {_n(self.n_simulations)} tableaux de "
                f"mêmes marges, graine {self.random_state}"
            )
        return "test du χ²"

    def _condition_lines(self) -> list[str]:
        cells = self.observed.size
        if self.n_small == 0:
            return ["Conditions : tous les effectifs théoriques sont au moins égaux à 5."]
        text = (
            f"Conditions : {self.n_small} case(s) sur {cells} "
            f"({format_number(100 * self.share_small, 0)} %) ont un effectif théorique "
            f"inférieur à 5 (minimum {format_number(self.min_expected)})."
        )
        if self.conditions_ok:
            return [
                text,
                "La règle de Cochran (aucun effectif théorique < 1, au plus 20 % des cases "
                "< 5) est respectée : le test reste utilisable.",
            ]
        lines = [
            text,
            "La règle de Cochran n'est pas respectée : la p-value du χ² n'est pas fiable et "
            "n'est pas utilisée pour conclure.",
        ]
        if self.fisher_pvalue is not None:
            if self.fisher_exact:
                lines.append(f"Le test exact de Fisher la remplace : {_p(self.fisher_pvalue)}.")
            else:
                lines.append(
                    f"Le test de Fisher la remplace : {_p(self.fisher_pvalue)}, p-value estimée "
                    f"par Monte-Carlo ({_n(self.n_simulations)} tableaux tirés avec les mêmes "
                    f"marges, graine {self.random_state}, comme R fisher.test(simulate.p.value "
                    "= TRUE))."
                )
        lines.append(
            "Pour un χ² utilisable, regroupez des modalités peu fréquentes (par exemple les deux "
            "extrêmes d'une échelle) puis refaites le test."
        )
        return lines

    def _residual_lines(self) -> list[str]:
        res = self.residuals
        over, under = [], []
        for r in res.index:
            for c in res.columns:
                d = res.loc[r, c]
                if d > 1.96:
                    over.append(f"« {r} » × « {c} » ({format_number(d)})")
                elif d < -1.96:
                    under.append(f"« {r} » × « {c} » ({format_number(d)})")
        lines = []
        if over:
            lines.append("Cases sur-représentées (résidu ajusté > 1,96) : " + ", ".join(over) + ".")
        if under:
            lines.append(
                "Cases sous-représentées (résidu ajusté < −1,96) : " + ", ".join(under) + "."
            )
        return lines

    def _lines(self) -> list[str]:
        p = self.decision_pvalue
        which = self._method()
        df_star = min(self.observed.shape) - 1
        lines = [
            f"Test du χ² d'indépendance entre « {self.row} » et « {self.col} » "
            f"(n = {format_number(self.n, 0)}).",
            f"χ² = {format_number(self.chi2)} ; ddl = {self.dof} ; {_p(self.pvalue)}"
            f" ; V de Cramér = {format_number(self.cramers_v)} "
            f"({_strength_text(self.cramers_v, df_star)}).",
        ]
        if self.simulated_pvalue is not None:
            lines.append(
                f"p-value du χ² par Monte-Carlo ({_n(self.n_simulations)} tableaux de mêmes "
                f"marges, graine {self.random_state}) : {_p(self.simulated_pvalue)}."
            )
        if self.n_excluded:
            lines.append(
                f"{format_number(self.n_excluded, 0)} répondant(s) sans réponse à l'une des deux "
                "questions ont été laissés de côté."
            )
        lines += self._condition_lines()
        if p < self.alpha:
            lines.append(
                f"Conclusion ({which}) : le lien est {_significance(p, self.alpha)} ; on rejette "
                "l'hypothèse d'indépendance : les deux variables sont liées."
            )
        else:
            lines.append(
                f"Conclusion ({which}) : le lien est {_significance(p, self.alpha)} ; on ne peut "
                "pas conclure à un lien entre les deux variables."
            )
        if p < self.alpha:
            lines += self._residual_lines()
        if self.weighted:
            lines.append(
                "Attention : avec des poids, ce test est indicatif (poids ramenés à l'effectif) ; "
                "un test tenant compte du plan de sondage (Rao-Scott, R survey) est plus rigoureux."
            )
        return lines

    def _html_tables(self) -> str:
        return titled_html(self.observed, "Effectifs observés", 1) + titled_html(
            self.residuals, "Résidus ajustés", 2
        )

    def to_frame(self) -> pd.DataFrame:
        """Summary table (one row per statistic), ready for :func:`to_excel`."""
        rows = {
            "χ²": self.chi2,
            "ddl": self.dof,
            "p-value": self.pvalue,
            "V de Cramér": self.cramers_v,
            "Effectif": self.n,
            "Cases avec effectif théorique < 5": self.n_small,
            "Effectif théorique minimum": self.min_expected,
        }
        if self.simulated_pvalue is not None:
            rows["p-value (χ², Monte-Carlo)"] = self.simulated_pvalue
        if self.fisher_pvalue is not None:
            name = "Fisher exact" if self.fisher_exact else "Fisher, Monte-Carlo"
            rows[f"p-value ({name})"] = self.fisher_pvalue
        return pd.DataFrame({"Valeur": pd.Series(rows, dtype=float)})

    def plot(self, ax: Axes | None = None) -> Axes:
        """Heat map of the adjusted residuals (blue: over-represented, red: under)."""
        res = self.residuals
        fig, ax = get_axes(ax, figsize=(1.2 * res.shape[1] + 3, 0.6 * res.shape[0] + 2))
        limit = max(3.0, float(np.nanmax(np.abs(res.to_numpy()))))
        image = ax.imshow(res.to_numpy(), cmap="RdBu", vmin=-limit, vmax=limit, aspect="auto")
        ax.grid(False)
        ax.set_xticks(range(res.shape[1]), [str(c) for c in res.columns], rotation=30, ha="right")
        ax.set_yticks(range(res.shape[0]), [str(r) for r in res.index])
        for i in range(res.shape[0]):
            for j in range(res.shape[1]):
                d = res.iat[i, j]
                ax.text(
                    j,
                    i,
                    format_number(d, 1),
                    ha="center",
                    va="center",
                    fontweight="bold" if abs(d) > 1.96 else "normal",
                    color="white" if abs(d) > 0.6 * limit else "black",
                )
        ax.set_xlabel(self.col)
        ax.set_ylabel(self.row)
        ax.set_title("Résidus ajustés (|r| > 1,96 : écart significatif)")
        fig.colorbar(image, ax=ax, label="résidu ajusté")
        return ax


def chi2_test(
    data: pd.DataFrame,
    row: str,
    col: str,
    weights: str | Sequence[float] | None = None,
    *,
    alpha: float = ALPHA,
    simulate_p_value: bool = False,
    n_simulations: int = N_SIMULATIONS,
    random_state: int | None = RANDOM_STATE,
) -> Chi2Result:
    """χ² test of independence between two categorical variables (tri croisé).

    Respondents missing either answer are left out (their number is reported). The χ² is
    computed without Yates correction; Cramér's V from it, its strength read with Cohen's
    thresholds for the table's ``df* = min(r, c) − 1`` (:func:`strength_thresholds`). When
    Cochran's rule fails (an expected count below 1, or more than 20 % of cells below 5), the
    χ² p-value is not used: Fisher's test replaces it — exact (as R ``fisher.test``) when the
    tables with the observed margins can be listed (at most 100,000), otherwise with a
    Monte-Carlo p-value (R ``fisher.test(simulate.p.value = TRUE)``: ``n_simulations`` tables
    drawn with the observed margins, seeded by ``random_state``).

    ``simulate_p_value=True`` also computes the Monte-Carlo p-value of the χ² itself (R
    ``chisq.test(simulate.p.value = TRUE)``), used for the conclusion when Fisher's test is
    not computed. With weights, the simulations use the rounded normalised table (indicative).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = [(a, b) for a, b, n in [("x", "u", 20), ("x", "v", 15), ("x", "w", 10),
    ...         ("y", "u", 12), ("y", "v", 18), ("y", "w", 20), ("z", "u", 8), ("z", "v", 10),
    ...         ("z", "w", 25)] for _ in range(n)]
    >>> res = chi2_test(pd.DataFrame(rows, columns=["a", "b"]), "a", "b")
    >>> round(res.chi2, 3), res.dof, round(res.pvalue, 6), round(res.cramers_v, 4)
    (14.162, 4, 0.006797, 0.2265)
    """
    from scipy import stats

    counts, rcats, ccats, left_out, weighted, n_resp = _table(data, row, col, weights)
    expected = _expected(counts)
    chi2, dof, pvalue = _chi2(counts)
    n = counts.sum()
    row_share = counts.sum(axis=1, keepdims=True) / n
    col_share = counts.sum(axis=0, keepdims=True) / n
    adjusted = (counts - expected) / np.sqrt(expected * (1 - row_share) * (1 - col_share))
    pearson = (counts - expected) / np.sqrt(expected)
    small = expected < 5
    n_small = int(small.sum())
    share = n_small / expected.size
    min_e = float(expected.min())
    ok = min_e >= 1 and share <= 0.2
    if n_simulations < 1:
        raise DataError(
            f"n_simulations={n_simulations} : il faut au moins un tableau simulé.",
            hint="gardez la valeur par défaut (10 000) ou choisissez par exemple 2 000.",
        )
    fisher_p, fisher_simulated = None, False
    if not ok and counts.shape == (2, 2):
        fisher_p = float(stats.fisher_exact(np.rint(counts).astype(np.int64))[1])
    elif not ok:
        fisher_p, fisher_simulated = _fisher_rxc(counts, n_simulations, random_state)
    simulated_p = None
    if simulate_p_value:
        simulated_p = _simulated_pvalue(counts, "chi2", n_simulations, random_state)
    rindex = pd.Index(rcats, name=row)
    cindex = pd.Index(ccats, name=col)

    def frame(values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(values, index=rindex, columns=cindex)

    return Chi2Result(
        row=row,
        col=col,
        observed=frame(counts if weighted else counts.astype(np.int64)),
        expected=frame(expected),
        residuals=frame(adjusted),
        pearson_residuals=frame(pearson),
        chi2=chi2,
        dof=dof,
        pvalue=pvalue,
        cramers_v=_cramer(chi2, counts),
        n=n_resp,
        n_excluded=left_out,
        n_small=n_small,
        share_small=share,
        min_expected=min_e,
        conditions_ok=ok,
        fisher_pvalue=fisher_p,
        weighted=weighted,
        alpha=alpha,
        simulated_pvalue=simulated_p,
        n_simulations=n_simulations,
        random_state=random_state,
        fisher_simulated=fisher_simulated,
    )


def cramers_v(
    data: pd.DataFrame,
    row: str,
    col: str,
    weights: str | Sequence[float] | None = None,
    *,
    corrected: bool = False,
) -> float:
    """Cramér's V between two categorical variables (χ² without Yates correction).

    ``corrected=True`` gives Bergsma's bias-corrected V (survey.md §4.4):
    ``φ̃² = max(0, φ² − (r−1)(c−1)/(n−1))``, ``r̃ = r − (r−1)²/(n−1)``,
    ``c̃ = c − (c−1)²/(n−1)``, ``Ṽ = sqrt(φ̃² / min(r̃ − 1, c̃ − 1))``.
    """
    counts = _table(data, row, col, weights)[0]
    chi2 = _chi2(counts)[0]
    if not corrected:
        return _cramer(chi2, counts)
    n = counts.sum()
    r, c = counts.shape
    phi2 = max(0.0, chi2 / n - (r - 1) * (c - 1) / (n - 1))
    r_t = r - (r - 1) ** 2 / (n - 1)
    c_t = c - (c - 1) ** 2 / (n - 1)
    return float(np.sqrt(phi2 / min(r_t - 1, c_t - 1)))


# --------------------------------------------------------------------------- Fisher


@dataclass(frozen=True, repr=False)
class FisherResult(Report):
    """Result of :func:`fisher_test`.

    ``odds_ratio`` is given for a 2 × 2 table only (``nan`` otherwise); for a larger table the
    p-value is estimated by Monte-Carlo (``simulated`` is true, with ``n_simulations`` tables
    and the seed ``random_state``).
    """

    row: str
    col: str
    observed: pd.DataFrame
    odds_ratio: float
    pvalue: float
    alternative: str = "two-sided"
    alpha: float = ALPHA
    simulated: bool = False
    n_simulations: int = N_SIMULATIONS
    random_state: int | None = RANDOM_STATE

    @property
    def significant(self) -> bool:
        """Whether the association is significant at ``alpha``."""
        return self.pvalue < self.alpha

    def _lines(self) -> list[str]:
        verdict = (
            "on rejette l'hypothèse d'indépendance : les deux variables sont liées."
            if self.pvalue < self.alpha
            else "on ne peut pas conclure à un lien entre les deux variables."
        )
        n = format_number(self.observed.to_numpy().sum(), 0)
        if self.simulated:
            return [
                f"Test de Fisher entre « {self.row} » et « {self.col} » (n = {n}).",
                f"{_p(self.pvalue)}, estimée par Monte-Carlo : {_n(self.n_simulations)} tableaux "
                f"tirés avec les mêmes marges (graine {self.random_state}), comme R "
                "fisher.test(simulate.p.value = TRUE).",
                f"Conclusion : le lien est {_significance(self.pvalue, self.alpha)} ; {verdict}",
            ]
        odds = (
            f"Rapport des cotes (odds ratio) = {format_number(self.odds_ratio)} ; "
            if self.observed.shape == (2, 2)
            else ""
        )
        return [
            f"Test exact de Fisher entre « {self.row} » et « {self.col} » (n = {n}).",
            f"{odds}{_p(self.pvalue)}.",
            f"Conclusion : le lien est {_significance(self.pvalue, self.alpha)} ; {verdict}",
        ]

    def _html_tables(self) -> str:
        return titled_html(self.observed, "Effectifs observés", 0)

    def to_frame(self) -> pd.DataFrame:
        """Summary table (odds ratio and p-value)."""
        return pd.DataFrame(
            {"Valeur": [self.odds_ratio, self.pvalue]}, index=["Odds ratio", "p-value"]
        )


def fisher_test(
    data: pd.DataFrame,
    row: str,
    col: str,
    *,
    alternative: str = "two-sided",
    alpha: float = ALPHA,
    n_simulations: int = N_SIMULATIONS,
    random_state: int | None = RANDOM_STATE,
    method: str = "auto",
) -> FisherResult:
    """Fisher's test of independence.

    A 2 × 2 table gets the exact test (scipy ``fisher_exact``, same p-value as R
    ``fisher.test``). A larger table gets the exact p-value of R ``fisher.test`` too, by
    listing every table with the observed margins, when there are at most 100,000 of them
    (``method="auto"``; ``"exact"`` insists); otherwise (or with ``method="simulate"``) a
    Monte-Carlo p-value, as R ``fisher.test(simulate.p.value = TRUE, B = n_simulations)``:
    tables are drawn with the observed margins and the p-value is the share (counting the
    observed table) at most as probable as the observed one. The seed ``random_state`` makes
    it reproducible; its standard error is about ``sqrt(p (1 − p) / n_simulations)``. (scipy's
    own r × c version is random by default, survey.md §4.3.)
    """
    from scipy import stats

    counts, rcats, ccats, *_ = _table(data, row, col, None)
    observed = pd.DataFrame(
        counts.astype(np.int64), index=pd.Index(rcats, name=row), columns=pd.Index(ccats, name=col)
    )
    if counts.shape == (2, 2):
        odds, p = stats.fisher_exact(counts.astype(np.int64), alternative=alternative)
        return FisherResult(row, col, observed, float(odds), float(p), alternative, alpha)
    if alternative != "two-sided":
        raise DataError(
            f"alternative={alternative!r} n'a de sens que pour un tableau 2 × 2 (ici "
            f"{counts.shape[0]} × {counts.shape[1]}).",
            hint='gardez alternative="two-sided" ou regroupez les modalités en deux.',
        )
    p, simulated = _fisher_rxc(counts, n_simulations, random_state, method)
    return FisherResult(
        row,
        col,
        observed,
        float("nan"),
        p,
        alternative,
        alpha,
        simulated=simulated,
        n_simulations=n_simulations,
        random_state=random_state,
    )


# --------------------------------------------------------------------------- mean comparisons


@dataclass(frozen=True, repr=False)
class MeansResult(Report):
    """Result of :func:`compare_means`.

    Attributes
    ----------
    value, group
        The numeric variable and the grouping variable.
    groups
        One row per group: ``Effectif``, ``Moyenne``, ``Écart-type``, ``Médiane``.
    test, statistic, pvalue
        Parametric test (Welch's t-test for two groups, one-way ANOVA beyond) and its result.
    nonparametric_test, nonparametric_statistic, nonparametric_pvalue
        Mann–Whitney (two groups) or Kruskal–Wallis; ``None`` with weights.
    eta2
        Correlation ratio η² (share of the variance explained by the groups).
    """

    value: str
    group: str
    groups: pd.DataFrame
    test: str
    statistic: float
    pvalue: float
    dof: tuple[float, ...]
    eta2: float
    nonparametric_test: str | None
    nonparametric_statistic: float | None
    nonparametric_pvalue: float | None
    n_excluded: int = 0
    weighted: bool = False
    alpha: float = ALPHA
    notes: tuple[str, ...] = field(default_factory=tuple)
    samples: dict[object, np.ndarray] = field(default_factory=dict, repr=False)

    def _lines(self) -> list[str]:
        dof = " ; ".join(format_number(d, 1 if d % 1 else 0) for d in self.dof)
        lines = [
            f"Comparaison de « {self.value} » selon « {self.group} » "
            f"({len(self.groups)} groupes, n = {format_number(self.groups['Effectif'].sum(), 0)}).",
            f"{self.test} : statistique = {format_number(self.statistic)} (ddl {dof}) ; "
            f"{_p(self.pvalue)} ; η² = {format_number(self.eta2, 3)}.",
        ]
        if self.nonparametric_test is not None:
            lines.append(
                f"{self.nonparametric_test} (sans hypothèse de normalité) : statistique = "
                f"{format_number(self.nonparametric_statistic)} ; "
                f"{_p(self.nonparametric_pvalue)}."
            )
        if self.n_excluded:
            lines.append(f"{self.n_excluded} ligne(s) sans valeur ont été laissées de côté.")
        if self.pvalue < self.alpha:
            lines.append(
                f"Conclusion : la différence entre les moyennes est "
                f"{_significance(self.pvalue, self.alpha, True)} ; les groupes diffèrent."
            )
        else:
            lines.append(
                f"Conclusion : la différence entre les moyennes est "
                f"{_significance(self.pvalue, self.alpha, True)} ; on ne peut pas conclure à une "
                "différence entre les groupes."
            )
        return lines + list(self.notes)

    def _html_tables(self) -> str:
        return titled_html(self.groups, "Statistiques par groupe", 2)

    def to_frame(self) -> pd.DataFrame:
        """The table of groups (for an export)."""
        return self.groups.copy()

    def plot(self, ax: Axes | None = None) -> Axes:
        """Box plots of the variable in each group."""
        _fig, ax = get_axes(ax)
        data = self.samples
        ax.boxplot(list(data.values()), tick_labels=[str(k) for k in data], showmeans=True)
        ax.set_xlabel(self.group)
        ax.set_ylabel(self.value)
        ax.set_title(f"« {self.value} » selon « {self.group} »")
        return ax


def _weighted_stats(x: np.ndarray, w: np.ndarray) -> tuple[float, float, float]:
    mean = float(np.average(x, weights=w))
    n = w.sum()
    var = float(np.sum(w * (x - mean) ** 2) / (n - 1)) if n > 1 else np.nan
    order = np.argsort(x)
    cum = np.cumsum(w[order])
    median = float(x[order][np.searchsorted(cum, cum[-1] / 2)])
    return mean, np.sqrt(var), median


def compare_means(
    data: pd.DataFrame,
    value: str,
    group: str,
    weights: str | Sequence[float] | None = None,
    *,
    alpha: float = ALPHA,
) -> MeansResult:
    """Compare the mean of a numeric variable across groups.

    Two groups: Welch's t-test (unequal variances) and the Mann–Whitney test; three groups or
    more: one-way ANOVA and the Kruskal–Wallis test. With weights (normalised to sum to n), the
    group table is weighted, the t-test uses statsmodels' weighted version and the ANOVA the
    weighted sums of squares; the rank tests are not computed.
    """
    from scipy import stats

    data = check_data(data)
    column_of(data, value)
    w = weight_values(data, weights)
    numbers = pd.to_numeric(data[value], errors="coerce").to_numpy(dtype=float)
    text_bad = data[value].notna().to_numpy() & np.isnan(numbers)
    if text_bad.any():
        example = data[value][text_bad].iloc[0]
        raise DataError(
            f"la variable « {value} » contient des valeurs non numériques (par exemple "
            f"« {example} »).",
            column=value,
            hint="une comparaison de moyennes porte sur une variable numérique (âge, note…).",
        )
    codes, cats = encode(column_of(data, group))
    keep = (codes >= 0) & ~np.isnan(numbers)
    if not keep.any():
        raise DataError(
            f"aucune ligne n'a à la fois une valeur de « {value} » et de « {group} ».",
            hint="vérifiez les deux colonnes.",
        )
    excluded = int((~keep).sum())
    x, g = numbers[keep], codes[keep]
    wk = None if w is None else w[keep] * keep.sum() / w[keep].sum()
    samples, weights_by, labels = [], [], []
    for k, name in enumerate(cats):
        mask = g == k
        if mask.sum() == 0:
            continue
        samples.append(x[mask])
        weights_by.append(None if wk is None else wk[mask])
        labels.append(name)
    if len(samples) < 2:
        raise DataError(
            f"la variable « {group} » n'a qu'un seul groupe avec des valeurs : rien à comparer.",
            column=group,
            hint="choisissez une variable de groupe qui prend au moins deux valeurs.",
        )
    small = [str(lab) for lab, s in zip(labels, samples, strict=True) if len(s) < 2]
    if small:
        raise DataError(
            f"le(s) groupe(s) {', '.join(f'« {s} »' for s in small)} n'ont qu'une seule valeur.",
            column=group,
            hint="regroupez les modalités trop rares avant de comparer les moyennes.",
        )
    rows = []
    for s, ws in zip(samples, weights_by, strict=True):
        if ws is None:
            rows.append([len(s), s.mean(), s.std(ddof=1), float(np.median(s))])
        else:
            rows.append([ws.sum(), *_weighted_stats(s, ws)])
    groups = pd.DataFrame(
        rows,
        index=pd.Index(labels, name=group),
        columns=["Effectif", "Moyenne", "Écart-type", "Médiane"],
    )
    all_w = np.ones(len(x)) if wk is None else wk
    grand = np.average(x, weights=all_w)
    ss_total = float(np.sum(all_w * (x - grand) ** 2))
    ss_between = sum(
        float(
            (np.ones(len(s)) if ws is None else ws).sum() * (np.average(s, weights=ws) - grand) ** 2
        )
        for s, ws in zip(samples, weights_by, strict=True)
    )
    eta2 = ss_between / ss_total if ss_total > 0 else 0.0
    notes: list[str] = []
    if len(samples) == 2:
        test = "Test t de Welch"
        if wk is None:
            res = stats.ttest_ind(samples[0], samples[1], equal_var=False)
            stat, p, dof = float(res.statistic), float(res.pvalue), (float(res.df),)
            mw = stats.mannwhitneyu(samples[0], samples[1], alternative="two-sided")
            np_test, np_stat, np_p = "Test de Mann-Whitney", float(mw.statistic), float(mw.pvalue)
        else:
            from statsmodels.stats.weightstats import ttest_ind

            stat, p, df = ttest_ind(
                samples[0], samples[1], usevar="unequal", weights=(weights_by[0], weights_by[1])
            )
            stat, p, dof = float(stat), float(p), (float(df),)
            np_test = np_stat = np_p = None
    else:
        test = "Analyse de variance (ANOVA à un facteur)"
        k, n = len(samples), len(x) if wk is None else float(wk.sum())
        ss_within = ss_total - ss_between
        stat = (ss_between / (k - 1)) / (ss_within / (n - k))
        p = float(stats.f.sf(stat, k - 1, n - k))
        dof = (float(k - 1), float(n - k))
        if wk is None:
            kw = stats.kruskal(*samples)
            np_test, np_stat, np_p = "Test de Kruskal-Wallis", float(kw.statistic), float(kw.pvalue)
        else:
            np_test = np_stat = np_p = None
    if wk is not None:
        notes.append(
            "Avec des poids, les tests sont indicatifs (poids ramenés à l'effectif) et les tests "
            "de rang ne sont pas calculés."
        )
    return MeansResult(
        value=value,
        group=group,
        groups=groups,
        test=test,
        statistic=float(stat),
        pvalue=float(p),
        dof=dof,
        eta2=float(eta2),
        nonparametric_test=np_test,
        nonparametric_statistic=np_stat,
        nonparametric_pvalue=np_p,
        n_excluded=excluded,
        weighted=wk is not None,
        alpha=alpha,
        notes=tuple(notes),
        samples=dict(zip(labels, samples, strict=True)),
    )
