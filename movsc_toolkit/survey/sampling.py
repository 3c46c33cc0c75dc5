"""Sample size, margin of error, quota tables and raking (calage sur marges).

Formulas: Cochran (1977), *Sampling Techniques* (sample size with the exact finite-population
correction, as samplics ``_ss_for_proportion_wald``; margin of error); quotas proportional to
the population (Gerville-Réache & Couallier, HAL ``hal-00655566``) rounded by largest
remainder; raking by iterative proportional fitting as R ``survey::rake`` runs it
(``cran/survey``, ``R/survey.R``: one post-stratification per margin, repeated until the
weighted joint table of the raking variables moves by less than the tolerance between two full
cycles).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._errors import DataError, OptionError, column_error
from .._format import format_number
from .._report import Report, result, titled_html
from ._common import check_data, encode, weight_values

__all__ = ["RakeResult", "margin_of_error", "quotas", "rake", "sample_size"]


def _z(confidence: float) -> float:
    from scipy import stats

    if not 0 < confidence < 1:
        raise OptionError(
            f"le niveau de confiance doit être compris entre 0 et 1 (reçu : {confidence}).",
            hint="écrivez par exemple confidence=0.95 pour 95 %.",
        )
    return float(stats.norm.ppf(0.5 + confidence / 2))


def _check_proportion(proportion: float) -> None:
    if not 0 <= proportion <= 1:
        raise OptionError(
            f"la proportion attendue doit être comprise entre 0 et 1 (reçu : {proportion}).",
            hint="écrivez 0.5 pour 50 % (valeur prudente quand on ne sait rien).",
        )


def _check_population(population: float | None) -> None:
    if population is not None and not population >= 1:
        raise DataError(
            f"la taille de la population doit être un nombre positif (reçu : {population}).",
            hint="indiquez le nombre total de personnes de la population étudiée.",
        )


def sample_size(
    margin: float = 0.05,
    confidence: float = 0.95,
    proportion: float = 0.5,
    population: int | None = None,
    *,
    deff: float = 1.0,
    response_rate: float = 1.0,
) -> int:
    """Number of respondents needed to estimate a proportion with a given margin of error.

    ``n₀ = z² p(1 − p) / e²``; with a population of size N (finite-population correction,
    exact form) ``n = N z² p(1−p) / ((N − 1) e² + z² p(1−p))``; then ``n × deff / response_rate``,
    rounded up.

    Parameters
    ----------
    margin
        Margin of error wanted, as a proportion (0.05 = ± 5 points).
    confidence
        Confidence level (0.95).
    proportion
        Expected proportion (0.5, the most demanding case).
    population
        Size of the population (finite-population correction), if known.
    deff
        Design effect of a complex sample (1 for a simple random sample).
    response_rate
        Expected response rate, between 0 and 1.

    Returns
    -------
    int
        The number of respondents to reach (or of people to invite, with a response rate).

    Examples
    --------
    >>> sample_size()
    385
    >>> sample_size(population=2000)
    323

    References
    ----------
    Cochran (1977), *Sampling Techniques*, 3rd ed., §4.4 (``tests/survey/test_sampling.py::
    test_sample_size_golden_values``, values computed by hand).
    """
    if not 0 < margin < 1:
        raise OptionError(
            f"la marge d'erreur doit être comprise entre 0 et 1 (reçu : {margin}).",
            hint="écrivez par exemple margin=0.05 pour ± 5 points.",
        )
    _check_proportion(proportion)
    _check_population(population)
    if not 0 < response_rate <= 1 or deff <= 0:
        raise OptionError(
            "le taux de réponse doit être compris entre 0 et 1 et l'effet de plan positif.",
            hint="par exemple response_rate=0.6 si 60 % des personnes sollicitées répondent.",
        )
    z2pq = _z(confidence) ** 2 * proportion * (1 - proportion)
    if population is None:
        n = z2pq / margin**2
    else:
        n = population * z2pq / ((population - 1) * margin**2 + z2pq)
    n = n * deff / response_rate
    return max(1, math.ceil(n - 1e-9))


def margin_of_error(
    n: int,
    confidence: float = 0.95,
    proportion: float = 0.5,
    population: int | None = None,
) -> float:
    """Margin of error (as a proportion: 0.05 = ± 5 points) for ``n`` respondents.

    ``e = z sqrt(p(1−p)/n)``, times ``sqrt((N − n)/(N − 1))`` with a population of size N.
    Meaningful for a random sample only (not for a quota or convenience sample).

    Parameters
    ----------
    n
        Number of respondents.
    confidence
        Confidence level (0.95).
    proportion
        Observed or expected proportion (0.5, the widest margin).
    population
        Size of the population (finite-population correction), if known.

    Returns
    -------
    float
        The half-width of the confidence interval, as a proportion.

    Examples
    --------
    >>> round(margin_of_error(323, population=2000), 4)
    0.0499
    >>> round(margin_of_error(323), 4)
    0.0545

    References
    ----------
    Cochran (1977), *Sampling Techniques*, §3.5 (``tests/survey/test_sampling.py::
    test_margin_of_error_golden_values``).
    """
    if not n >= 1:
        raise DataError(f"l'effectif doit être au moins 1 (reçu : {n}).")
    _check_proportion(proportion)
    _check_population(population)
    e = _z(confidence) * math.sqrt(proportion * (1 - proportion) / n)
    if population is not None:
        if n > population:
            raise DataError(
                f"l'échantillon ({n}) est plus grand que la population ({population}).",
                hint="vérifiez les deux nombres.",
            )
        e *= math.sqrt((population - n) / (population - 1)) if population > 1 else 0.0
    return e


def _largest_remainder(shares: np.ndarray, n: int) -> np.ndarray:
    raw = shares * n
    base = np.floor(raw).astype(np.int64)
    rest = n - base.sum()
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:rest]] += 1
    return base


def quotas(margins: Mapping[str, Mapping[object, float]] | pd.DataFrame, n: int) -> pd.DataFrame:
    """Quota table: how many people of each category to interview for a sample of ``n``.

    Parameters
    ----------
    margins
        ``{"sexe": {"Femme": 5200, "Homme": 4800}, "âge": {...}}``: population counts (or
        shares) of each category of each control variable (e.g. from INSEE), or a long
        table with three columns: variable, modality, count.
    n
        Sample size.

    Returns
    -------
    pandas.DataFrame
        Indexed by (``Variable``, ``Modalité``) with ``Population``, ``Part (%)`` and ``Quota``;
        quotas are rounded by the largest-remainder method so that each variable sums to ``n``.

    Examples
    --------
    >>> quotas({"sexe": {"F": 52, "H": 48}}, 200)["Quota"].tolist()
    [104, 96]

    References
    ----------
    Largest remainder (Hamilton) method, so that the quotas add up to ``n``
    (``tests/survey/test_sampling.py::test_quotas_largest_remainder``).
    """
    if not isinstance(n, int | np.integer) or n < 1:
        raise DataError(f"la taille d'échantillon doit être un entier positif (reçu : {n}).")
    margins = _margins_dict(margins)
    parts = []
    for variable, values in margins.items():
        series = _margin_series(variable, values)
        shares = series.to_numpy() / series.sum()
        parts.append(
            pd.DataFrame(
                {
                    "Population": series.to_numpy(),
                    "Part (%)": 100 * shares,
                    "Quota": _largest_remainder(shares, int(n)),
                },
                index=pd.MultiIndex.from_tuples(
                    [(variable, k) for k in series.index], names=["Variable", "Modalité"]
                ),
            )
        )
    return pd.concat(parts)


def _margins_dict(margins: object) -> dict[object, Any]:
    """Margins as ``{variable: {category: value}}``; a long table (variable, modality, value)
    such as ``marges_population.csv`` is accepted too."""
    if isinstance(margins, pd.DataFrame):
        if margins.shape[1] < 3:
            raise DataError(
                "le tableau des marges doit avoir trois colonnes : variable, modalité, effectif.",
                hint="une ligne par modalité, par exemple « sexe ; Femme ; 1180 ».",
            )
        var, mod, val = margins.columns[:3]
        out: dict[object, dict[object, object]] = {}
        for v, m, x in zip(margins[var], margins[mod], margins[val], strict=True):
            out.setdefault(v, {})[m] = x
        return out
    if not margins:
        raise DataError("aucune marge donnée.", hint='exemple : {"sexe": {"F": 520, "H": 480}}')
    return dict(margins)  # type: ignore[call-overload]


def _margin_series(variable: object, values: object) -> pd.Series:
    try:
        series = pd.Series(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise DataError(
            f"les marges de « {variable} » ne sont pas des nombres.",
            hint='donnez un dictionnaire modalité → effectif, par exemple {"F": 520, "H": 480}.',
        ) from exc
    if series.empty or series.isna().any() or (series < 0).any() or series.sum() <= 0:
        raise DataError(
            f"les marges de « {variable} » doivent être des nombres positifs, sans case vide.",
            hint='donnez un dictionnaire modalité → effectif, par exemple {"F": 520, "H": 480}.',
        )
    return series


# --------------------------------------------------------------------------- raking


@result
class RakeResult(Report):
    """Result of :func:`rake`.

    Attributes
    ----------
    weights
        The calibrated weights (a Series aligned on the data's index).
    converged, iterations
        Whether the algorithm converged, after how many full cycles.
    margins
        For each variable and category: ``Cible`` (target), ``Avant`` and ``Après`` (weighted
        counts before and after raking).
    g_min, g_max, g_mean
        Range and mean of the adjustment factors ``g = w / d`` (final over initial weight).
    n_eff
        Kish's effective sample size ``(Σw)² / Σw²``.

    Examples
    --------
    >>> from movsc_toolkit import datasets, survey
    >>> reponses = datasets.load("enquete_usagers")
    >>> import pandas as pd
    >>> marges = pd.read_csv(datasets.path("enquete_usagers", "marges_population.csv"), sep=";")
    >>> res = survey.rake(reponses, marges)
    >>> round(res.n_eff, 1)
    440.5
    """

    weights: pd.Series
    converged: bool
    iterations: int
    margins: pd.DataFrame
    g_min: float
    g_max: float
    g_mean: float
    n_eff: float

    def _lines(self) -> list[str]:
        n = len(self.weights)
        state = (
            f"convergence atteinte en {self.iterations} itération(s)"
            if self.converged
            else f"PAS de convergence après {self.iterations} itérations (augmentez max_iter, "
            "ou regroupez des modalités : les marges sont peut-être incompatibles)"
        )
        lines = [
            f"Calage sur marges (raking) de {n} répondants : {state}.",
            f"Somme des poids : {format_number(self.weights.sum())}.",
            f"Rapports de pondération g = poids final / poids initial : de "
            f"{format_number(self.g_min)} à {format_number(self.g_max)} "
            f"(moyenne {format_number(self.g_mean)}).",
            f"Effectif efficace (Kish) : {format_number(self.n_eff, 1)} sur {n}.",
        ]
        if self.g_max / max(self.g_min, 1e-12) > 10:
            lines.append(
                "Attention : certains poids sont très dispersés ; quelques répondants pèsent "
                "beaucoup. Vérifiez les marges ou regroupez des modalités."
            )
        lines.append(
            "Les poids corrigent les estimations ponctuelles ; les marges d'erreur et tests "
            "pondérés rigoureux demandent une méthode tenant compte du plan (R survey)."
        )
        return lines

    def _html_tables(self) -> str:
        return titled_html(self.margins, "Marges avant et après calage", 1)

    def to_frame(self) -> pd.DataFrame:
        """The margins table (target, before, after).

        Returns
        -------
        pandas.DataFrame
            One row per category of the margins: target, weighted count before and after raking.

        Examples
        --------
        >>> from movsc_toolkit import datasets, survey
        >>> reponses = datasets.load("enquete_usagers")
        >>> import pandas as pd
        >>> marges = pd.read_csv(datasets.path("enquete_usagers", "marges_population.csv"), sep=";")
        >>> survey.rake(reponses, marges).to_frame().shape
        (13, 3)
        """
        return self.margins.copy()


def rake(
    data: pd.DataFrame,
    margins: Mapping[str, Mapping[object, float]] | pd.DataFrame,
    *,
    weights: str | Sequence[float] | None = None,
    max_iter: int = 100,
    tol: float = 1e-10,
) -> RakeResult:
    """Calage sur marges by iterative proportional fitting (raking), as R ``survey::rake``.

    Parameters
    ----------
    data
        The responses; every raking variable must be answered by everyone.
    margins
        ``{"sexe": {"F": 520, "H": 480}, "âge": {...}}``. **Counts** (the population sizes):
        the weights then sum to the population. **Proportions** (each variable summing to 1)
        or **percentages** (summing to 100): the weights sum to the number of respondents.
        Every category present in the data needs a margin, and every margin at least one
        respondent. A long table with three columns (variable, modality, count — like the
        ``marges_population.csv`` file of ``enquete_usagers``) is accepted too.
    weights
        Initial (design) weights: a column name or one number per row; 1 for everyone by
        default.
    max_iter
        Maximum number of full cycles over the margins.
    tol
        Convergence tolerance: the cycle stops when no cell of the weighted joint table of the
        raking variables moves by more than ``tol`` (weight units when ``tol ≥ 1``, a fraction
        of the total initial weight otherwise — R's ``epsilon``). R's defaults are
        ``max_iter=10, tol=1``.

    Returns
    -------
    RakeResult

    Examples
    --------
    >>> from movsc_toolkit import datasets, survey
    >>> reponses = datasets.load("enquete_usagers")
    >>> import pandas as pd
    >>> marges = pd.read_csv(datasets.path("enquete_usagers", "marges_population.csv"), sep=";")
    >>> res = survey.rake(reponses, marges)
    >>> res.converged, round(float(res.weights.sum()), 1)
    (True, 2000.0)

    References
    ----------
    Deming & Stephan (1940), *Annals of Mathematical Statistics* 11 (iterative proportional
    fitting). Same weights as R ``survey::rake`` (``tests/survey/test_sampling.py::
    test_rake_matches_r_survey``).
    """
    data = check_data(data)
    margins = _margins_dict(margins)
    d = weight_values(data, weights)
    d = np.ones(len(data)) if d is None else d
    n = len(data)
    variables = list(margins)
    codes_list, targets_list, labels_list = [], [], []
    totals = []
    for variable in variables:
        if variable not in data.columns:
            raise column_error(variable, data.columns, what="variable")
        series = _margin_series(variable, margins[variable])
        codes, cats = encode(data[variable])
        if (codes < 0).any():
            raise DataError(
                f"{int((codes < 0).sum())} répondant(s) n'ont pas de réponse à « {variable} » : "
                "on ne peut pas les caler.",
                column=str(variable),
                hint="imputez ou retirez ces lignes avant le calage (et dites-le dans le mémoire).",
            )
        keys = {k: k for k in series.index}
        keys.update({str(k): k for k in series.index})
        unknown = [c for c in cats if c not in keys and str(c) not in keys]
        if unknown:
            raise DataError(
                f"la modalité « {unknown[0]} » de « {variable} » n'a pas de marge.",
                column=str(variable),
                hint="donnez une marge pour chaque modalité présente dans les données "
                f"(marges données : {', '.join(map(str, series.index))}).",
            )
        mapped = [keys[c] if c in keys else keys[str(c)] for c in cats]
        empty = [k for k in series.index if k not in mapped]
        if empty:
            raise DataError(
                f"aucun répondant dans la modalité « {empty[0]} » de « {variable} » : "
                "impossible de caler sur cette marge.",
                column=str(variable),
                hint="regroupez cette modalité avec une voisine (dans les données et les marges).",
            )
        target = series.loc[mapped].to_numpy()
        total = series.sum()
        if abs(total - 1) < 1e-6 or abs(total - 100) < 1e-4:
            target = target / total * n
            total = float(n)
        codes_list.append(codes)
        targets_list.append(target)
        labels_list.append(cats)
        totals.append(total)
    if max(totals) - min(totals) > 1e-6 * max(totals):
        shown = ", ".join(
            f"{v} : {format_number(t)}" for v, t in zip(variables, totals, strict=True)
        )
        raise DataError(
            f"les marges n'ont pas le même total ({shown}) : aucun calage ne peut les respecter "
            "toutes.",
            hint="vérifiez que toutes les marges portent sur la même population.",
        )
    eps = tol if tol >= 1 else tol * d.sum()
    joint = np.zeros(n, dtype=np.int64)
    for codes, cats in zip(codes_list, labels_list, strict=True):
        joint = joint * len(cats) + codes
    joint_codes, _ = pd.factorize(joint)
    w = d.astype(float).copy()
    old = np.bincount(joint_codes, weights=w)
    converged = False
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007 - reported after the loop
        for codes, target in zip(codes_list, targets_list, strict=True):
            current = np.bincount(codes, weights=w, minlength=len(target))
            w = w * (target / current)[codes]
        new = np.bincount(joint_codes, weights=w)
        if np.max(np.abs(new - old)) < eps:
            converged = True
            break
        old = new
    before: list[float] = []
    after: list[float] = []
    target_rows: list[float] = []
    index: list[tuple[object, object]] = []
    for variable, codes, target, cats in zip(
        variables, codes_list, targets_list, labels_list, strict=True
    ):
        before.extend(np.bincount(codes, weights=d, minlength=len(cats)))
        after.extend(np.bincount(codes, weights=w, minlength=len(cats)))
        target_rows.extend(target)
        index.extend((variable, c) for c in cats)
    table = pd.DataFrame(
        {"Cible": target_rows, "Avant": before, "Après": after},
        index=pd.MultiIndex.from_tuples(index, names=["Variable", "Modalité"]),
    )
    g = w / np.where(d > 0, d, 1.0)
    g = g[d > 0]
    return RakeResult(
        weights=pd.Series(w, index=data.index, name="poids"),
        converged=converged,
        iterations=iterations,
        margins=table,
        g_min=float(g.min()),
        g_max=float(g.max()),
        g_mean=float(g.mean()),
        n_eff=float(w.sum() ** 2 / np.sum(w**2)),
    )
