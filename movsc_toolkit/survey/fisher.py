"""Fisher's exact test of independence (R ``fisher.test``), for small samples.

Reference: R ``fisher.test`` (exact p-value; ``simulate.p.value = TRUE`` for Monte-Carlo).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import OptionError
from .._format import format_number
from .._report import Report, result, titled_html

if TYPE_CHECKING:
    pass
from ._contingency import (
    ALPHA,
    N_SIMULATIONS,
    RANDOM_STATE,
    fisher_rxc,
    format_count,
    format_p,
    observed_table,
    significance,
)

__all__ = ["FisherResult", "fisher_test"]


@result
class FisherResult(Report):
    """Result of :func:`fisher_test`.

    ``odds_ratio`` is given for a 2 × 2 table only (``nan`` otherwise); for a larger table the
    p-value is estimated by Monte-Carlo (``simulated`` is true, with ``n_simulations`` tables
    and the seed ``random_state``).

    Examples
    --------
    >>> from movsc_toolkit import datasets, survey
    >>> reponses = datasets.load("enquete_usagers")
    >>> res = survey.fisher_test(reponses, "sexe", "benevolat")
    >>> res.significant
    False
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
                f"{format_p(self.pvalue)}, estimée par Monte-Carlo : {format_count(self.n_simulations)} tableaux "
                f"tirés avec les mêmes marges (graine {self.random_state}), comme R "
                "fisher.test(simulate.p.value = TRUE).",
                f"Conclusion : le lien est {significance(self.pvalue, self.alpha)} ; {verdict}",
            ]
        odds = (
            f"Rapport des cotes (odds ratio) = {format_number(self.odds_ratio)} ; "
            if self.observed.shape == (2, 2)
            else ""
        )
        return [
            f"Test exact de Fisher entre « {self.row} » et « {self.col} » (n = {n}).",
            f"{odds}{format_p(self.pvalue)}.",
            f"Conclusion : le lien est {significance(self.pvalue, self.alpha)} ; {verdict}",
        ]

    def _html_tables(self) -> str:
        return titled_html(self.observed, "Effectifs observés", 0)

    def to_frame(self) -> pd.DataFrame:
        """Summary table (odds ratio and p-value).

        Returns
        -------
        pandas.DataFrame
            The p-value (and odds ratio), exact.

        Examples
        --------
        >>> from movsc_toolkit import datasets, survey
        >>> reponses = datasets.load("enquete_usagers")
        >>> survey.fisher_test(reponses, "sexe", "benevolat").to_frame().shape
        (2, 1)
        """
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
    own r × c version, ``fisher_exact``, is random by default.)

    Parameters
    ----------
    data
        The responses, one row per respondent.
    row, col
        The two categorical variables (columns of ``data``).
    alternative
        ``"two-sided"``, ``"less"`` or ``"greater"`` (2 × 2 tables only), as in R.
    alpha
        Significance level of the conclusion.
    n_simulations
        Number of tables drawn for a Monte-Carlo p-value.
    random_state
        Seed of the draws.
    method
        ``"auto"`` (exact when possible), ``"exact"`` or ``"simulate"``.

    Returns
    -------
    FisherResult
        The p-value (and the odds ratio of a 2 × 2 table), with its French reading.

    Examples
    --------
    >>> from movsc_toolkit import datasets, survey
    >>> reponses = datasets.load("enquete_usagers")
    >>> res = survey.fisher_test(reponses, "sexe", "benevolat")
    >>> res.observed.shape, round(res.pvalue, 4)
    ((3, 2), 0.1345)

    References
    ----------
    R ``stats::fisher.test`` (exact and ``simulate.p.value = TRUE``):
    ``tests/survey/test_association.py::test_fisher_2x2_exact_r_value``,
    ``::test_unreliable_chi2_uses_exact_fisher``.
    """
    from scipy import stats

    counts, rcats, ccats, *_ = observed_table(data, row, col, None)
    observed = pd.DataFrame(
        counts.astype(np.int64), index=pd.Index(rcats, name=row), columns=pd.Index(ccats, name=col)
    )
    if counts.shape == (2, 2):
        odds, p = stats.fisher_exact(counts.astype(np.int64), alternative=alternative)
        return FisherResult(row, col, observed, float(odds), float(p), alternative, alpha)
    if alternative != "two-sided":
        raise OptionError(
            f"alternative={alternative!r} n'a de sens que pour un tableau 2 × 2 (ici "
            f"{counts.shape[0]} × {counts.shape[1]}).",
            hint='gardez alternative="two-sided" ou regroupez les modalités en deux.',
        )
    p, simulated = fisher_rxc(counts, n_simulations, random_state, method)
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
