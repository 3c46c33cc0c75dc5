"""Comparison of means between groups: t test (Welch) or ANOVA, with a non-parametric check
(Mann-Whitney or Kruskal-Wallis) and the η² effect size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import DataError
from .._format import format_number
from .._report import Report, result, titled_html
from ..plotting import get_axes
from ._common import check_data, column_of, encode, weight_values

if TYPE_CHECKING:
    from matplotlib.axes import Axes
from ._contingency import (
    ALPHA,
    format_p,
    significance,
)

__all__ = ["MeansResult", "compare_means"]


@result
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

    Examples
    --------
    >>> from movsc_toolkit import datasets, survey
    >>> reponses = datasets.load("enquete_usagers")
    >>> res = survey.compare_means(reponses, "nb_enfants", "foyer")
    >>> round(res.eta2, 3)
    0.001
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
            f"{format_p(self.pvalue)} ; η² = {format_number(self.eta2, 3)}.",
        ]
        if self.nonparametric_test is not None:
            lines.append(
                f"{self.nonparametric_test} (sans hypothèse de normalité) : statistique = "
                f"{format_number(self.nonparametric_statistic)} ; "
                f"{format_p(float(self.nonparametric_pvalue or 0.0))}."
            )
        if self.n_excluded:
            lines.append(f"{self.n_excluded} ligne(s) sans valeur ont été laissées de côté.")
        if self.pvalue < self.alpha:
            lines.append(
                f"Conclusion : la différence entre les moyennes est "
                f"{significance(self.pvalue, self.alpha, True)} ; les groupes diffèrent."
            )
        else:
            lines.append(
                f"Conclusion : la différence entre les moyennes est "
                f"{significance(self.pvalue, self.alpha, True)} ; on ne peut pas conclure à une "
                "différence entre les groupes."
            )
        return lines + list(self.notes)

    def _html_tables(self) -> str:
        return titled_html(self.groups, "Statistiques par groupe", 2)

    def to_frame(self) -> pd.DataFrame:
        """The table of groups (for an export).

        Returns
        -------
        pandas.DataFrame
            One row per group: ``Effectif``, ``Moyenne``, ``Écart-type``, ``Médiane``.

        Examples
        --------
        >>> from movsc_toolkit import datasets, survey
        >>> reponses = datasets.load("enquete_usagers")
        >>> res = survey.compare_means(reponses, "nb_enfants", "foyer")
        >>> list(res.to_frame().columns)
        ['Effectif', 'Moyenne', 'Écart-type', 'Médiane']
        """
        return self.groups.copy()

    def plot(self, *, ax: Axes | None = None) -> Axes:
        """Box plots of the variable in each group.

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
        >>> res = survey.compare_means(reponses, "nb_enfants", "foyer")
        >>> res.plot().get_title()
        '« nb_enfants » selon « foyer »'
        """
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
    *,
    weights: str | Sequence[float] | None = None,
    alpha: float = ALPHA,
) -> MeansResult:
    """Compare the mean of a numeric variable across groups.

    Two groups: Welch's t-test (unequal variances) and the Mann–Whitney test; three groups or
    more: one-way ANOVA and the Kruskal–Wallis test. With weights (normalised to sum to n), the
    group table is weighted, the t-test uses statsmodels' weighted version and the ANOVA the
    weighted sums of squares; the rank tests are not computed.

    Parameters
    ----------
    data
        The responses, one row per respondent.
    value
        The numeric variable whose means are compared.
    group
        The categorical variable that forms the groups.
    weights
        Survey weights: a column name or one number per row.
    alpha
        Significance level of the conclusion.

    Returns
    -------
    MeansResult
        The table of the groups (n, mean, standard deviation), the test, its p-value, η² and
        the non-parametric check.

    Examples
    --------
    >>> from movsc_toolkit import datasets, survey
    >>> reponses = datasets.load("enquete_usagers")
    >>> res = survey.compare_means(reponses, "nb_enfants", "foyer")
    >>> res.test, round(res.pvalue, 3)
    ('Test t de Welch', 0.755)

    References
    ----------
    Welch's t-test and one-way ANOVA as R ``t.test(var.equal = FALSE)`` / ``oneway.test`` and
    ``aov``; Mann–Whitney and Kruskal–Wallis as ``wilcox.test`` / ``kruskal.test`` (scipy);
    weighted ANOVA as weighted least squares
    (``tests/survey/test_association.py::test_compare_means_two_and_more_groups``,
    ``::test_weighted_anova_equals_wls``).
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
    dof: tuple[float, ...]
    np_test: str | None
    np_stat: float | None
    np_p: float | None
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
