"""Tests of association: χ² of independence, Fisher's exact test, Cramér's V, mean comparisons.

Formulas and conventions: R ``chisq.test`` (χ²; Cochran's rule as R encodes it in the defaults
``fisher.test(hybridPars = c(expect = 5, percent = 80, Emin = 1))``), R ``fisher.test``
(Fisher), questionr ``cramer.v`` (Cramér's V, always from the χ² *without* Yates correction),
Haberman (1973) adjusted standardized residuals, R ``chisq.test()$stdres``:
``d = (O − E) / sqrt(E (1 − n_i./n)(1 − n_.j/n))``.
The counts are never altered (no zero shift as in statsmodels' default ``Table``).

With survey weights, the tests are computed on the weighted table rescaled to the number of
respondents (weights normalised to sum to n). This is only indicative: a design-based test
(Rao–Scott, R ``survey::svychisq``) is the rigorous method; the results say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import DataError
from .._format import format_number
from .._report import Report, result, titled_html
from ..plotting import get_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes
from ._contingency import (
    ALPHA,
    N_SIMULATIONS,
    RANDOM_STATE,
    expected_counts,
    fisher_rxc,
    format_count,
    format_p,
    observed_table,
    significance,
    simulated_pvalue,
)

__all__ = [
    "Chi2Result",
    "chi2_test",
    "cramers_v",
    "strength_thresholds",
]


def strength_thresholds(df_star: int) -> tuple[float, float, float]:
    """Cramér's V thresholds (small / medium / large) for a table with ``df* = min(r, c) − 1``.

    Cohen (1988, *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed., §7.2)
    sets 0.10 / 0.30 / 0.50 for his effect size ``w = sqrt(χ² / n)``. Since
    ``V = w / sqrt(df*)``, the same effects in terms of V are ``0.10 / 0.30 / 0.50`` divided by
    ``sqrt(df*)``: 0.10 / 0.30 / 0.50 for a 2 × k table, about 0.07 / 0.21 / 0.35 for df* = 2
    and 0.06 / 0.17 / 0.29 for df* = 3. They remain a teaching convention.

    Parameters
    ----------
    df_star
        ``min(r, c) − 1`` for a table of r rows and c columns.

    Returns
    -------
    tuple of float
        The small, medium and large thresholds.

    Examples
    --------
    >>> [round(t, 3) for t in strength_thresholds(2)]
    [0.071, 0.212, 0.354]

    References
    ----------
    Cohen (1988), §7.2 (``tests/survey/test_association.py::
    test_cramers_v_thresholds_by_degrees_of_freedom``).
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


def _chi2(counts: np.ndarray) -> tuple[float, int, float]:
    from scipy import stats

    expected = expected_counts(counts)
    chi2 = float(((counts - expected) ** 2 / expected).sum())
    dof = (counts.shape[0] - 1) * (counts.shape[1] - 1)
    return chi2, dof, float(stats.chi2.sf(chi2, dof))


def _cramer(chi2: float, counts: np.ndarray) -> float:
    return float(np.sqrt(chi2 / (counts.sum() * (min(counts.shape) - 1))))


# --------------------------------------------------------------------------- χ²


@result
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

    Examples
    --------
    >>> from movsc_toolkit import datasets, survey
    >>> reponses = datasets.load("enquete_usagers")
    >>> res = survey.chi2_test(reponses, "tranche_age", "benevolat")
    >>> round(res.chi2, 3), res.dof, round(res.pvalue, 4), res.significant
    (10.001, 4, 0.0404, True)
    >>> res.to_frame().shape[1] > 0
    True
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
                f"test de Fisher, p-value par Monte-Carlo sur {format_count(self.n_simulations)} tableaux "
                f"de mêmes marges, graine {self.random_state}"
            )
        if self.simulated_pvalue is not None:
            return (
                f"test du χ², p-value par Monte-Carlo sur {format_count(self.n_simulations)} tableaux de "
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
                lines.append(
                    f"Le test exact de Fisher la remplace : {format_p(self.fisher_pvalue)}."
                )
            else:
                lines.append(
                    f"Le test de Fisher la remplace : {format_p(self.fisher_pvalue)}, p-value estimée "
                    f"par Monte-Carlo ({format_count(self.n_simulations)} tableaux tirés avec les mêmes "
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
            f"χ² = {format_number(self.chi2)} ; ddl = {self.dof} ; {format_p(self.pvalue)}"
            f" ; V de Cramér = {format_number(self.cramers_v)} "
            f"({_strength_text(self.cramers_v, df_star)}).",
        ]
        if self.simulated_pvalue is not None:
            lines.append(
                f"p-value du χ² par Monte-Carlo ({format_count(self.n_simulations)} tableaux de mêmes "
                f"marges, graine {self.random_state}) : {format_p(self.simulated_pvalue)}."
            )
        if self.n_excluded:
            lines.append(
                f"{format_number(self.n_excluded, 0)} répondant(s) sans réponse à l'une des deux "
                "questions ont été laissés de côté."
            )
        lines += self._condition_lines()
        if p < self.alpha:
            lines.append(
                f"Conclusion ({which}) : le lien est {significance(p, self.alpha)} ; on rejette "
                "l'hypothèse d'indépendance : les deux variables sont liées."
            )
        else:
            lines.append(
                f"Conclusion ({which}) : le lien est {significance(p, self.alpha)} ; on ne peut "
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
        """Summary table (one row per statistic), ready for :func:`to_excel`.

        Returns
        -------
        pandas.DataFrame
            One ``Valeur`` per statistic (χ², ddl, p-value, V de Cramér…), exact.

        Examples
        --------
        >>> from movsc_toolkit import datasets, survey
        >>> reponses = datasets.load("enquete_usagers")
        >>> res = survey.chi2_test(reponses, "tranche_age", "benevolat")
        >>> res.to_frame().shape
        (7, 1)
        """
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

    def plot(self, *, ax: Axes | None = None) -> Axes:
        """Heat map of the adjusted residuals (blue: over-represented, red: under).

        Parameters
        ----------
        ax
            The matplotlib ``Axes`` to draw on (a new figure by default).

        Returns
        -------
        matplotlib.axes.Axes
            The chart, with French labels.

        Examples
        --------
        >>> from movsc_toolkit import datasets, survey
        >>> reponses = datasets.load("enquete_usagers")
        >>> res = survey.chi2_test(reponses, "tranche_age", "benevolat")
        >>> res.plot().get_title()
        'Résidus ajustés (|r| > 1,96 : écart significatif)'
        """
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
    *,
    weights: str | Sequence[float] | None = None,
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

    Parameters
    ----------
    data
        The responses, one row per respondent.
    row, col
        The two categorical variables (columns of ``data``).
    weights
        Survey weights: a column name or one number per row (normalised to sum to n).
    alpha
        Significance level of the conclusion (0.05).
    simulate_p_value
        Also compute the Monte-Carlo p-value of the χ² (R ``simulate.p.value``).
    n_simulations
        Number of tables drawn for a Monte-Carlo p-value.
    random_state
        Seed of the draws (reproducible p-values).

    Returns
    -------
    Chi2Result
        χ², degrees of freedom, p-value, Cramér's V, expected counts, adjusted residuals, and
        Fisher's p-value when Cochran's rule fails; prints its conclusion in French.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = [(a, b) for a, b, n in [("x", "u", 20), ("x", "v", 15), ("x", "w", 10),
    ...         ("y", "u", 12), ("y", "v", 18), ("y", "w", 20), ("z", "u", 8), ("z", "v", 10),
    ...         ("z", "w", 25)] for _ in range(n)]
    >>> res = chi2_test(pd.DataFrame(rows, columns=["a", "b"]), "a", "b")
    >>> round(res.chi2, 3), res.dof, round(res.pvalue, 6), round(res.cramers_v, 4)
    (14.162, 4, 0.006797, 0.2265)

    References
    ----------
    R ``stats::chisq.test(correct = FALSE)`` and ``fisher.test``: same χ², p-value, expected
    counts and residuals (``tests/survey/test_association.py::test_reference_table_golden_values``,
    ``::test_zero_cell_not_shifted``, ``::test_unreliable_chi2_uses_exact_fisher``).
    Haberman (1973), *Biometrics* 29, for the adjusted residuals.
    """
    from scipy import stats

    counts, rcats, ccats, left_out, weighted, n_resp = observed_table(data, row, col, weights)
    expected = expected_counts(counts)
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
        fisher_p, fisher_simulated = fisher_rxc(counts, n_simulations, random_state)
    simulated_p = None
    if simulate_p_value:
        simulated_p = simulated_pvalue(counts, "chi2", n_simulations, random_state)
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
    *,
    weights: str | Sequence[float] | None = None,
    corrected: bool = False,
) -> float:
    """Cramér's V between two categorical variables (χ² without Yates correction).

    ``corrected=True`` gives Bergsma's bias-corrected V (checked by
    ``tests/survey/test_association.py::test_bias_corrected_cramers_v``):
    ``φ̃² = max(0, φ² − (r−1)(c−1)/(n−1))``, ``r̃ = r − (r−1)²/(n−1)``,
    ``c̃ = c − (c−1)²/(n−1)``, ``Ṽ = sqrt(φ̃² / min(r̃ − 1, c̃ − 1))``.

    Parameters
    ----------
    data
        The responses, one row per respondent.
    row, col
        The two categorical variables (columns of ``data``).
    weights
        Survey weights: a column name or one number per row.
    corrected
        ``True``: Bergsma's bias-corrected V.

    Returns
    -------
    float
        V between 0 (no association) and 1.

    Examples
    --------
    >>> from movsc_toolkit import datasets, survey
    >>> reponses = datasets.load("enquete_usagers")
    >>> round(survey.cramers_v(reponses, "tranche_age", "benevolat"), 4)
    0.1478
    >>> round(survey.cramers_v(reponses, "tranche_age", "benevolat", corrected=True), 4)
    0.1145

    References
    ----------
    Cramér (1946), *Mathematical Methods of Statistics*; Bergsma (2013), *Journal of the Korean
    Statistical Society* 42. Checked against ``scipy.stats.contingency.association``
    (``tests/survey/test_association.py::test_random_tables_agree_with_scipy``) and by hand
    (``::test_bias_corrected_cramers_v``).
    """
    counts = observed_table(data, row, col, weights)[0]
    chi2 = _chi2(counts)[0]
    if not corrected:
        return _cramer(chi2, counts)
    n = counts.sum()
    r, c = counts.shape
    phi2 = max(0.0, chi2 / n - (r - 1) * (c - 1) / (n - 1))
    r_t = r - (r - 1) ** 2 / (n - 1)
    c_t = c - (c - 1) ** 2 / (n - 1)
    return float(np.sqrt(phi2 / min(r_t - 1, c_t - 1)))
