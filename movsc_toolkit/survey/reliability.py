"""Reliability of a scale: Cronbach's α (R ``psych::alpha``).

References: Cronbach (1951) for α; standardized α and item-dropped α as R ``psych::alpha``
reports them; the Feldt (1965) confidence interval as pingouin ``cronbach_alpha`` computes it.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import DataError, MovscWarning, check_columns
from .._format import format_number
from .._report import Report, result, titled_html
from ._common import check_data

if TYPE_CHECKING:
    pass


__all__ = ["AlphaResult", "cronbach_alpha"]

DROPPED = "α si l'item est retiré"


# --------------------------------------------------------------------------- Cronbach's α


@result
class AlphaResult(Report):
    """Result of :func:`cronbach_alpha`.

    Attributes
    ----------
    alpha
        Cronbach's α (raw).
    std_alpha
        Standardized α (from the mean inter-item correlation).
    ci
        Feldt confidence interval of α.
    n, k
        Respondents used and number of items; ``n_excluded`` left out (incomplete answers).
    items
        One row per item: ``α si l'item est retiré``, ``Corrélation item-reste``, ``Moyenne``,
        ``Écart-type``.
    dropna
        Whether incomplete respondents were left out (otherwise pairwise covariances).

    Examples
    --------
    >>> from movsc_toolkit import datasets, survey
    >>> reponses = datasets.load("enquete_usagers")
    >>> items = ["sat_accueil", "sat_horaires", "sat_locaux", "sat_activites"]
    >>> res = survey.cronbach_alpha(reponses, items)
    >>> list(res.to_frame().index) == items
    True
    """

    alpha: float
    std_alpha: float
    ci: tuple[float, float]
    n: int
    k: int
    n_excluded: int
    items: pd.DataFrame
    dropna: bool = True
    confidence: float = 0.95

    def _lines(self) -> list[str]:
        a = self.alpha
        if a >= 0.9:
            level = "excellente"
        elif a >= 0.8:
            level = "bonne"
        elif a >= 0.7:
            level = "acceptable"
        elif a >= 0.6:
            level = "discutable"
        else:
            level = "insuffisante"
        lines = [
            f"α de Cronbach = {format_number(a, 3)} ({self.k} items, n = {self.n}) ; "
            f"intervalle de confiance à {format_number(100 * self.confidence, 0)} % : "
            f"[{format_number(self.ci[0], 3)} ; {format_number(self.ci[1], 3)}].",
            f"Cohérence interne {level} (repères usuels : 0,7 acceptable, 0,8 bonne, "
            "0,9 excellente — une convention, pas une règle).",
            f"α standardisé = {format_number(self.std_alpha, 3)}.",
        ]
        if self.n_excluded:
            lines.append(
                f"{self.n_excluded} répondant(s) n'ayant pas répondu à tous les items ont été "
                "laissés de côté."
            )
        dropped = self.items[DROPPED]
        for item, value in dropped[dropped > a + 0.01].items():
            lines.append(
                f"Sans l'item « {item} », α passerait à {format_number(value, 3)} : "
                "vérifiez cet item."
            )
        # Item-rest correlations: clearly negative → reverse-keyed item; near zero → the item
        # does not measure the same thing (.20 is the usual floor, Nunnally & Bernstein 1994).
        rest = self.items["Corrélation item-reste"]
        for item, r in rest[rest <= -0.2].items():
            lines.append(
                f"L'item « {item} » est nettement corrélé négativement au reste de l'échelle "
                f"(r = {format_number(r, 2)}) : il est sans doute formulé à l'envers ; recodez-le "
                "en inversant l'échelle (sur une échelle de 1 à 5 : 6 − x) puis recalculez α."
            )
        for item, r in rest[(rest > -0.2) & (rest < 0.2)].items():
            lines.append(
                f"L'item « {item} » n'est presque pas corrélé au reste de l'échelle "
                f"(r = {format_number(r, 2)}) : il mesure sans doute autre chose ; "
                "retirez-le de l'échelle ou reformulez-le."
            )
        return lines

    def _html_tables(self) -> str:
        return titled_html(self.items, "Items", 3)

    def to_frame(self) -> pd.DataFrame:
        """The item table.

        Returns
        -------
        pandas.DataFrame
            One row per item: α if the item is removed, item-rest correlation, mean, standard
            deviation.

        Examples
        --------
        >>> from movsc_toolkit import datasets, survey
        >>> reponses = datasets.load("enquete_usagers")
        >>> items = ["sat_accueil", "sat_horaires"]
        >>> survey.cronbach_alpha(reponses, items).to_frame().shape
        (2, 4)
        """
        return self.items.copy()


def _alpha_from_cov(cov: np.ndarray) -> float:
    k = cov.shape[0]
    return k / (k - 1) * (1 - np.trace(cov) / cov.sum())


def _check_ordinal_items(data: pd.DataFrame, items: list[str]) -> None:
    """Refuse nominal items; warn when categorical items do not share the same answer scale.

    α treats the answers as scores (1, 2, … in the order of the categories): it has no meaning
    for a nominal question (district, sex…), whose categories have no order.
    """
    scales = {}
    for item in items:
        dtype = data[item].dtype
        if not isinstance(dtype, pd.CategoricalDtype):
            continue
        if not dtype.ordered:
            raise DataError(
                f"« {item} » est une variable nominale (ses modalités n'ont pas d'ordre) : "
                "l'α de Cronbach ne s'applique qu'à des items ordonnés (échelle de Likert, notes).",
                column=item,
                hint="retirez cet item de l'échelle, ou, si ses modalités vont bien du moins "
                "au plus, rendez-les ordonnées (pd.Categorical(..., ordered=True)).",
            )
        scales[item] = tuple(dtype.categories)
    if len(set(scales.values())) > 1:
        first, *others = scales
        other = next(i for i in others if scales[i] != scales[first])
        warnings.warn(
            f"les items « {first} » et « {other} » n'ont pas les mêmes modalités de réponse "
            f"(« {' / '.join(map(str, scales[first][:5]))} » contre "
            f"« {' / '.join(map(str, scales[other][:5]))} ») : l'α de Cronbach suppose des "
            "items sur une même échelle ordonnée (par exemple de « Pas du tout d'accord » à "
            "« Tout à fait d'accord »). Une question à choix unique (quartier, sexe…) n'est pas "
            "un item d'échelle.\nQue faire : vérifiez la liste des items ; si ce sont bien des "
            "échelles ordonnées de même sens, ignorez ce message.",
            MovscWarning,
            stacklevel=3,
        )


def cronbach_alpha(
    data: pd.DataFrame,
    items: Sequence[str],
    *,
    dropna: bool = True,
    confidence: float = 0.95,
) -> AlphaResult:
    """Cronbach's α of a scale, with the α obtained when each item is removed.

    ``α = k/(k−1) · (1 − Σσ²_i / σ²_X)``. Items must be numeric (or ordered categoricals, taken
    as 1, 2, …); reverse-keyed items must be recoded first (a negative item–rest correlation is
    flagged).

    Parameters
    ----------
    data
        The responses.
    items
        The item columns (at least two).
    dropna
        ``True`` (default): respondents missing any item are left out (listwise, as jamovi).
        ``False``: pairwise covariances (as ``psych::alpha(use = "pairwise")`` / pingouin).
    confidence
        Level of the Feldt confidence interval.

    Returns
    -------
    AlphaResult
        α, standardised α, its Feldt confidence interval and the item table (α if the item is
        removed, item-rest correlation).

    Examples
    --------
    >>> from movsc_toolkit import datasets, survey
    >>> reponses = datasets.load("enquete_usagers")
    >>> items = ["sat_accueil", "sat_horaires", "sat_locaux", "sat_activites"]
    >>> res = survey.cronbach_alpha(reponses, items)
    >>> round(res.alpha, 3), res.n, res.k
    (0.794, 429, 4)

    References
    ----------
    Cronbach (1951), *Psychometrika* 16; Feldt (1965) for the interval. Same values as R
    ``psych::alpha`` (``tests/survey/test_scales.py::test_alpha_matches_psych``,
    ``::test_alpha_formula_and_missing``).
    """
    from scipy import stats

    data = check_data(data)
    items = [items] if isinstance(items, str) else list(items)
    check_columns(data, items)
    if len(items) < 2:
        raise DataError(
            "l'α de Cronbach demande au moins deux items.",
            hint="donnez la liste des colonnes de l'échelle, par exemple items=['q1', 'q2', 'q3'].",
        )
    _check_ordinal_items(data, items)
    columns = {}
    for item in items:
        series = data[item]
        if isinstance(series.dtype, pd.CategoricalDtype):
            codes = series.cat.codes.to_numpy(dtype=float)
            columns[item] = np.where(codes < 0, np.nan, codes + 1)
            continue
        numbers = pd.to_numeric(series, errors="coerce")
        bad = series.notna() & numbers.isna()
        if bad.any():
            raise DataError(
                f"l'item « {item} » contient des valeurs non numériques (par exemple "
                f"« {series[bad].iloc[0]} »).",
                column=item,
                hint="recodez les réponses en nombres (1 à 5) ou en catégories ordonnées.",
            )
        columns[item] = numbers.to_numpy(dtype=float)
    frame = pd.DataFrame(columns, index=data.index)
    complete = frame.dropna()
    n_excluded = len(frame) - len(complete)
    used = complete if dropna else frame
    n = len(complete) if dropna else int(frame.notna().any(axis=1).sum())
    if len(complete) < 2 and dropna:
        raise DataError(
            "moins de deux répondants ont répondu à tous les items.",
            hint="utilisez dropna=False (covariances deux à deux) ou vérifiez les items.",
        )
    cov = used.cov().to_numpy()
    if np.isnan(cov).any():
        raise DataError(
            "certains items n'ont pas assez de réponses communes pour calculer α.",
            hint="vérifiez les items (colonnes vides ?).",
        )
    variances = np.diag(cov)
    constant = [i for i, v in zip(items, variances, strict=True) if v == 0]
    if constant:
        raise DataError(
            f"l'item « {constant[0]} » a la même réponse pour tout le monde (variance nulle).",
            column=constant[0],
            hint="retirez cet item de l'échelle.",
        )
    k = len(items)
    alpha = _alpha_from_cov(cov)
    corr = cov / np.sqrt(np.outer(variances, variances))
    mean_r = (corr.sum() - k) / (k * (k - 1))
    std_alpha = k * mean_r / (1 + (k - 1) * mean_r)
    dropped, rest_corr = [], []
    for j in range(k):
        others = [i for i in range(k) if i != j]
        dropped.append(_alpha_from_cov(cov[np.ix_(others, others)]) if k > 2 else np.nan)
        rest_var = cov[np.ix_(others, others)].sum()
        rest_cov = cov[j, others].sum()
        rest_corr.append(rest_cov / np.sqrt(variances[j] * rest_var))
    table = pd.DataFrame(
        {
            DROPPED: dropped,
            "Corrélation item-reste": rest_corr,
            "Moyenne": used.mean().to_numpy(),
            "Écart-type": np.sqrt(variances),
        },
        index=pd.Index(items, name="Item"),
    )
    gamma = 1 - confidence
    d1, d2 = n - 1, (n - 1) * (k - 1)
    ci = (
        float(1 - (1 - alpha) * stats.f.isf(gamma / 2, d1, d2)),
        float(1 - (1 - alpha) * stats.f.isf(1 - gamma / 2, d1, d2)),
    )
    return AlphaResult(
        alpha=float(alpha),
        std_alpha=float(std_alpha),
        ci=ci,
        n=n,
        k=k,
        n_excluded=n_excluded if dropna else 0,
        items=table,
        dropna=dropna,
        confidence=confidence,
    )
