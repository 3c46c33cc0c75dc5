"""Key financial indicators of an association, with their formula, benchmark and reading.

Definitions follow the French functional analysis adapted to associations (France Active / CNAR
Financement guides, Crédit Mutuel's Associathèque). Notation: S(x) is the net balance of the
accounts starting with x (debit − credit), D⁺(x) / C⁺(x) the sums of the debit / credit balances of
the individual accounts. **No regulatory threshold exists**: every « repère » is a practitioners'
convention and names its source.

The three balance-sheet aggregates reconcile exactly, FRNG − BFR = trésorerie nette: every
balance-sheet account belongs to one of them — stable resources and fixed assets (classes 1 and
2, except 1688 *intérêts courus*), the working-capital need (classes 3 and 4, plus 1688) or the
treasury (class 5). For the usual books (no 45, 48x other than 486/487, 49x) the BFR is exactly
the issue's formula: stocks + D⁺(40–44, 46–47) + 486 − C⁺(40–44, 46–47) − 487.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._errors import DataError
from ._indicator_definitions import INDICATORS, SECTORS, sector_key
from ._statement_tables import balance_table, sig_table
from .ledger import Ledger

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["INDICATORS", "indicator_trends", "indicators", "plot_trends"]

_COLUMNS = ["Indicateur", "Valeur", "Unité", "Formule", "Repère", "Lecture"]


def _base(ledger: Ledger, year: int) -> dict[str, float]:
    """Building blocks of the indicators for one year."""
    S, C = ledger.S, ledger.C
    v: dict[str, float] = {}
    v["resultat"] = C("6 7", year)
    v["fonds_propres"] = round(C("10 11 12 13 14", year) + v["resultat"], 2)
    _, bs = balance_table(ledger, year)
    v["total_bilan"] = bs["actif"]
    v["actif_immobilise_net"] = round(S("20 21 22 23 24 25 26 27", year) - C("28 29", year), 2)
    v["ressources_stables"] = round(
        v["fonds_propres"] + C("15", year) + C("16 17 18", year, "1688") + C("19", year), 2
    )
    v["frng"] = round(v["ressources_stables"] - v["actif_immobilise_net"], 2)
    v["bfr"] = round(S("3 4 1688", year), 2)
    v["tresorerie_nette"] = round(S("5", year), 2)
    v["caf"] = round(
        v["resultat"]
        + S("681 686 687", year)
        - C("781 786 787", year)
        + S("675", year)
        - C("775 777 7532", year)
        + S("689", year)
        - C("789", year),
        2,
    )
    v["produits_exploitation"] = C("70 71 72 73 74 75 781 791 789", year)
    v["charges_exploitation"] = S("60 61 62 63 64 65 681 689", year)
    v["charges_decaissables"] = S("60 61 62 63 64 65 66 67", year, "675")
    v["total_produits"] = C("7", year)
    v["cvn"] = S("86", year)
    v["cvn_87"] = C("87", year)
    v["subventions"] = C("73 74", year)
    v["personnel"] = S("64 621", year)
    v["ressources_propres"] = C("70 756 754 76", year)
    v["creances_subventions"] = ledger.debit_balances("441", year)
    v["subventions_74"] = C("74", year)
    v["benevolat"] = C("875", year)
    v["generosite"] = C("754", year)
    v["emprunts"] = C("16", year, "165 1688 169")
    v["amort_corporelles"] = C("281", year)
    v["brut_corporelles"] = S("21", year)
    _, s = sig_table(ledger, year)
    v["ebe"] = s["ebe"]
    return v


def indicators(
    ledger: Ledger, year: int | None = None, *, sector: str | None = None
) -> pd.DataFrame:
    """Key indicators of a financial year (the latest by default).

    ``sector`` adapts the benchmarks that depend on the kind of association: with
    ``"centre_social"``, the public funding share is read against the sector (centres sociaux
    are financed by nature by the CAF and local authorities; source: the national SENACS
    observatory, CNAF / FCSF) instead of the average of all associations (44 % in 2017,
    Tchernonog & Prouteau, *Le paysage associatif français*, 2019).

    Parameters
    ----------
    ledger : Ledger
        The books (:func:`~movsc_toolkit.finance.read_fec`).
    year : int, optional
        The financial year; the latest of the books by default.
    sector : str, optional
        Kind of association for the sector-aware benchmarks (``"centre_social"``); ``None``
        reads them against all associations.

    Returns
    -------
    pandas.DataFrame
        Indexed by indicator code (index named ``Code``: ``resultat``, ``fonds_propres``,
        ``total_bilan``, ``frng``, ``bfr``, ``tresorerie_nette``, ``caf``, ``produits_exploitation``,
        ``charges_exploitation``, ``dependance_financements_publics``,
        ``poids_charges_personnel``, ``autonomie_financiere``, ``tresorerie_jours``,
        ``contributions_volontaires``, ``frng_jours``, ``bfr_jours``,
        ``part_ressources_propres``, ``delai_paiement_financeurs``,
        ``taux_valorisation_benevolat``, ``part_generosite_public``,
        ``duree_apparente_dette``, ``taux_vetuste``) with columns ``Indicateur``, ``Valeur``
        (exact: amounts in euros to the cent, ratios unrounded), ``Unité`` (``€``, ``%``, ``jours``,
        ``années``), ``Formule``, ``Repère`` (threshold and source) and ``Lecture`` (reading
        of this value, in French). A ratio whose denominator is zero is NaN.

    Raises
    ------
    DataError
        For a year that is not in the books or an unknown sector.

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> ind = finance.indicators(datasets.load("centre_social_comptes"), 2024)
    >>> float(ind.loc["frng", "Valeur"]), ind.loc["frng", "Unité"]
    (66272.9, '€')
    >>> round(float(ind.loc["tresorerie_jours", "Valeur"]), 1)
    25.5
    >>> print(ind.loc["tresorerie_jours", "Lecture"])
    26 jours de charges : moins d'un mois d'avance, seuil d'alerte (paie et charges sociales
    menacées au moindre retard de versement).

    References
    ----------
    French functional analysis adapted to associations: FRNG = capitaux permanents − immobilisations
    (CNAR Financement, *Juris associations* n° 428), trésorerie nette = FRNG − BFR (Crédit Mutuel,
    Associathèque, « Trésorerie = Fonds de Roulement – Besoin en Fonds de Roulement »); benchmarks
    and their sources are in the ``Repère`` column. Checked against hand-computed books in
    ``tests/finance/test_indicators.py::test_hand_computed_values_2023`` and
    ``::test_hand_computed_values_2024``, and FRNG − BFR = trésorerie on the bundled books in
    ``::test_invariants_on_the_centre_social_dataset``.
    """
    y = ledger.resolve_year(year)
    sector = sector_key(sector)
    v: dict[str, Any] = {**_base(ledger, y), "secteur": sector}  # the readings see the sector
    rows = []
    for ident, label, unit, formula, benchmark, value_fn, reading_fn in INDICATORS:
        value = float(value_fn(v))
        if unit == "€" and not math.isnan(value):
            value = round(value, 2) + 0.0  # an amount, to the cent (ratios stay exact)
        if sector is not None and ident == "dependance_financements_publics":
            benchmark = f"Repère de secteur, {SECTORS[sector]}. Aucune norme."
        rows.append((ident, label, value, unit, formula, benchmark, reading_fn(value, v)))
    out = pd.DataFrame(rows, columns=["Code", *_COLUMNS]).set_index("Code")
    out.attrs["exercice"] = y
    out.attrs["secteur"] = sector
    return out


def indicator_trends(ledger: Ledger, codes: list[str] | None = None) -> pd.DataFrame:
    """Indicators over every financial year of the ledger.

    Parameters
    ----------
    ledger : Ledger
        The books, ideally of several years (:func:`~movsc_toolkit.finance.read_fec`).
    codes
        Codes of the indicators to keep (index of :func:`indicators`; all by default).

    Returns
    -------
    pandas.DataFrame
        Indexed by indicator code (``Code``), with ``Indicateur``, ``Unité``, one column per year (labelled by the
        year as text, e.g. ``"2024"``), ``Évolution`` (last year − first year) and
        ``Tendance`` (« hausse », « baisse » or « stable », relative to 1 % of the first
        value). Values are exact (amounts to the cent).

    Raises
    ------
    ColumnError
        For an unknown indicator code (the closest codes are suggested).

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> trends = finance.indicator_trends(datasets.load("centre_social_comptes"), ["frng"])
    >>> trends.loc["frng", ["2022", "2023", "2024"]].tolist()
    [92207.13, 93647.61, 66272.9]
    >>> float(trends.loc["frng", "Évolution"]), trends.loc["frng", "Tendance"]
    (-25934.23, 'baisse')
    """
    years = ledger.years
    if not years:
        raise DataError("le grand livre est vide : aucune écriture.")
    tables = {y: indicators(ledger, y) for y in years}
    first = tables[years[0]]
    keep = list(first.index) if codes is None else list(codes)
    unknown = [i for i in keep if i not in first.index]
    if unknown:
        from .._errors import column_error

        raise column_error(unknown[0], first.index, what="indicateur")
    out = first.loc[keep, ["Indicateur", "Unité"]].copy()
    for y in years:
        out[str(y)] = tables[y].loc[keep, "Valeur"]
    start, end = out[str(years[0])], out[str(years[-1])]
    change = end - start
    out["Évolution"] = change.where(out["Unité"] != "€", change.round(2))  # € to the cent
    tolerance = start.abs() * 0.01

    def trend(i: str) -> str:
        delta = out.loc[i, "Évolution"]
        if pd.isna(delta):
            return "–"
        if abs(delta) <= max(tolerance[i], 0.005):
            return "stable"
        return "hausse" if delta > 0 else "baisse"

    out["Tendance"] = [trend(i) for i in out.index]
    return out


def plot_trends(
    data: Ledger | pd.DataFrame,
    codes: list[str] | tuple[str, ...] = ("frng", "bfr", "tresorerie_nette"),
    *,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Bar chart of indicators over the years (FRNG, BFR and trésorerie nette by default).

    Parameters
    ----------
    data
        A ledger of several years, or a table from :func:`indicator_trends`.
    codes
        Codes of the indicators to draw; they should share a unit (euros by default).
    ax
        Matplotlib axes to draw on (new ones by default).
    title
        Title of the chart (« Évolution des indicateurs » by default).

    Returns
    -------
    matplotlib.axes.Axes
        One group of bars per year, one bar per indicator.

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> ax = finance.plot_trends(datasets.load("centre_social_comptes"))
    >>> [t.get_text() for t in ax.get_xticklabels()], len(ax.patches)
    (['2022', '2023', '2024'], 9)
    """
    from ..plotting import PALETTE, euro_formatter, get_axes, number_formatter, percent_formatter

    trends = indicator_trends(data, codes=list(codes)) if isinstance(data, Ledger) else data
    missing = [i for i in codes if i not in trends.index]
    if missing:
        from .._errors import column_error

        raise column_error(missing[0], trends.index, what="indicateur")
    years = [c for c in trends.columns if str(c).isdigit()]
    _fig, ax = get_axes(ax, figsize=(7, 4))
    width = 0.8 / len(codes)
    for i, ident in enumerate(codes):
        values = trends.loc[ident, years].astype(float).to_numpy()
        positions = np.arange(len(years)) + (i - (len(codes) - 1) / 2) * width
        ax.bar(positions, values, width=width, color=PALETTE[i % len(PALETTE)],
               label=trends.loc[ident, "Indicateur"])  # fmt: skip
    ax.set_xticks(np.arange(len(years)), years)
    unit = trends.loc[codes[0], "Unité"]
    formatter = {"€": euro_formatter(), "%": percent_formatter()}.get(unit, number_formatter())
    ax.yaxis.set_major_formatter(formatter)
    ax.axhline(0, color="black", linewidth=0.8)
    if unit not in {"€", "%"}:
        ax.set_ylabel(unit)
    ax.set_title(title or "Évolution des indicateurs")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2, frameon=False)
    return ax
