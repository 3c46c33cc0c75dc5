"""The sections of the note de synthèse, one builder per section.

:func:`movsc_toolkit.finance.synthesis_note` calls these builders in order; each returns a
:class:`Section` (title, paragraphs, bullets, optional table and chart) and stores its chart, as
PNG bytes, in the ``figures`` dict it is given. The points of vigilance reuse the benchmarks of
the indicators (:mod:`movsc_toolkit.finance._indicator_definitions`, where each names its
source).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._format import format_euro, format_number, format_percent
from ._indicator_definitions import PUBLIC_FUNDING_AVERAGE
from .indicators import indicator_trends
from .statements import IncomeStatement, income_statement

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .budget import Budget
    from .conventions import Conventions
    from .ledger import Ledger

__all__ = [
    "KEY_INDICATORS",
    "TREND_INDICATORS",
    "Section",
    "budget_section",
    "conclusion_section",
    "conventions_section",
    "indicators_section",
    "resources_section",
    "situation_section",
    "trends_section",
    "vigilance_points",
    "vigilance_section",
]

#: Indicators shown in the « Indicateurs clés » section, in order.
KEY_INDICATORS = [
    "resultat",
    "fonds_propres",
    "frng",
    "bfr",
    "tresorerie_nette",
    "tresorerie_jours",
    "caf",
    "dependance_financements_publics",
    "poids_charges_personnel",
    "autonomie_financiere",
    "delai_paiement_financeurs",
    "contributions_volontaires",
]
#: Indicators followed over the years in the « Évolution » section.
TREND_INDICATORS = [
    "resultat",
    "fonds_propres",
    "frng",
    "bfr",
    "tresorerie_nette",
    "tresorerie_jours",
    "caf",
    "dependance_financements_publics",
]


@dataclass(frozen=True, eq=False)
class Section:
    """One section of the note: a title, paragraphs, an optional table and figure.

    Examples
    --------
    >>> Section("1. Situation de l'exercice", ("L'exercice se solde par un excédent.",)).title
    "1. Situation de l'exercice"
    """

    title: str
    paragraphs: tuple[str, ...] = ()
    table: pd.DataFrame | None = None
    figure: str | None = None  # key in SynthesisNote.figures
    bullets: tuple[str, ...] = ()


def _png(fig: Figure) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def _value_text(value: float, unit: str) -> str:
    if unit == "€":
        return format_euro(value)
    if unit == "%":
        return format_percent(value)
    if unit == "jours":
        return f"{format_number(value, 0)} jours"
    if unit == "années":
        return f"{format_number(value, 1)} ans"
    return format_number(value)


def vigilance_points(ind: pd.DataFrame) -> list[str]:
    """The points of vigilance read from the indicators of the year (French sentences)."""

    def v(i: str) -> float:
        return float(ind.loc[i, "Valeur"]) if i in ind.index else float("nan")

    points = []
    if v("resultat") < 0:
        points.append(
            f"L'exercice est déficitaire ({format_euro(v('resultat'))}) : le déficit est pris "
            "sur les fonds propres ; en expliquer la cause (ponctuelle ou structurelle)."
        )
    if v("frng") < 0:
        points.append(
            f"Le fonds de roulement est négatif ({format_euro(v('frng'))}) : des ressources de "
            "court terme financent des immobilisations, signal de danger (CNAR Financement)."
        )
    if v("tresorerie_nette") < 0:
        points.append(
            f"La trésorerie nette est négative ({format_euro(v('tresorerie_nette'))}) : la "
            "banque finance l'activité."
        )
    elif v("tresorerie_jours") < 30:
        points.append(
            f"La trésorerie ne couvre que {format_number(v('tresorerie_jours'), 0)} jours de "
            "charges (repère : au moins 30 jours, 60 à 90 jours confortable) : établir un plan de "
            "trésorerie mensuel."
        )
    public = v("dependance_financements_publics")
    if public > PUBLIC_FUNDING_AVERAGE:
        # sector-aware reading with its source (finance.indicators)
        points.append(str(ind.loc["dependance_financements_publics", "Lecture"]))
    if v("autonomie_financiere") < 25:
        points.append(
            f"L'autonomie financière est de {format_percent(v('autonomie_financiere'))} "
            "(convention bancaire : au moins 25 à 30 %) : les fonds propres sont minces."
        )
    if v("caf") < 0:
        points.append(
            f"La capacité d'autofinancement est négative ({format_euro(v('caf'))}) : "
            "l'activité consomme de la trésorerie."
        )
    if v("delai_paiement_financeurs") > 90:
        points.append(
            f"Les financeurs paient en {format_number(v('delai_paiement_financeurs'), 0)} jours "
            "en moyenne : les subventions à recevoir pèsent sur le besoin en fonds de roulement."
        )
    if "taux_vetuste" in ind.index and v("taux_vetuste") > 75:
        points.append(
            f"Les immobilisations corporelles sont amorties à "
            f"{format_percent(v('taux_vetuste'))} : prévoir leur renouvellement."
        )
    return points


def situation_section(ledger: Ledger, year: int, cr: IncomeStatement, who: str) -> Section:
    """« 1. Situation de l'exercice »: the result, produits and charges, the change on N−1."""
    years = ledger.years
    previous = [y for y in years if y < year]
    verdict = "un excédent" if cr.resultat >= 0 else "un déficit"
    loaded = f" des exercices {', '.join(map(str, years))}" if len(years) > 1 else ""
    paragraphs = [
        f"Cette note présente la situation financière de {who} pour l'exercice {year}, à partir "
        f"du fichier des écritures comptables (FEC){loaded}. "
        "Les chiffres sont calculés par movsc-toolkit ; les repères cités sont des conventions "
        "de praticiens, non des normes réglementaires.",
        f"L'exercice {year} se solde par {verdict} de {format_euro(abs(cr.resultat))} : "
        f"{format_euro(cr.total_produits)} de produits pour {format_euro(cr.total_charges)} de "
        "charges (contributions volontaires en nature exclues).",
    ]
    if previous:
        prev = income_statement(ledger, previous[-1])
        change = (
            (cr.total_produits - prev.total_produits) / prev.total_produits * 100
            if prev.total_produits
            else float("nan")
        )
        paragraphs.append(
            f"Par rapport à {previous[-1]}, les produits évoluent de {format_percent(change)} "
            f"et le résultat passe de {format_euro(prev.resultat)} à {format_euro(cr.resultat)}."
        )
    if cr.contributions_volontaires:
        paragraphs.append(
            f"Les contributions volontaires en nature (bénévolat, mises à disposition) sont "
            f"valorisées à {format_euro(cr.contributions_volontaires)} : elles ne figurent pas "
            "dans le résultat mais montrent le modèle économique réel de l'association."
        )
    return Section("1. Situation de l'exercice", tuple(paragraphs))


def indicators_section(ind: pd.DataFrame, year: int, figures: dict[str, bytes]) -> Section:
    """« 2. Indicateurs clés »: the key indicators and their reading, the FR/BFR/T chart."""
    from ..plotting import PALETTE, euro_formatter, get_axes

    keep = [i for i in KEY_INDICATORS if i in ind.index]
    table = pd.DataFrame(
        {
            "Valeur": [_value_text(ind.loc[i, "Valeur"], ind.loc[i, "Unité"]) for i in keep],
            "Lecture": [ind.loc[i, "Lecture"] for i in keep],
        },
        index=pd.Index([ind.loc[i, "Indicateur"] for i in keep], name="Indicateur"),
    )
    frng, bfr, tn = (float(ind.loc[i, "Valeur"]) for i in ("frng", "bfr", "tresorerie_nette"))
    fig, ax = get_axes(figsize=(6, 3.5))
    ax.bar(
        ["FRNG", "BFR", "Trésorerie nette"],
        [frng, bfr, tn],
        color=[PALETTE[0], PALETTE[1], PALETTE[2]],
    )
    ax.axhline(0, color="black", linewidth=0.8)
    ax.yaxis.set_major_formatter(euro_formatter())
    ax.set_title(f"Équilibre financier au 31/12/{year}")
    figures["equilibres"] = _png(fig)
    return Section(
        "2. Indicateurs clés",
        (
            f"Le fonds de roulement ({format_euro(frng)}) moins le besoin en fonds de "
            f"roulement ({format_euro(bfr)}) donne la trésorerie nette ({format_euro(tn)}) : "
            "T = FR − BFR.",
        ),
        table=table,
        figure="equilibres",
    )


def trends_section(ledger: Ledger, figures: dict[str, bytes]) -> Section | None:
    """« 3. Évolution »: the indicators over the years loaded (``None`` with a single year)."""
    from ..plotting import PALETTE, euro_formatter, get_axes

    years = ledger.years
    if len(years) < 2:
        return None
    trends = indicator_trends(ledger, TREND_INDICATORS)
    shown = trends.set_index("Indicateur").drop(columns=["Unité"])
    bullets = []
    for i in TREND_INDICATORS:
        row = trends.loc[i]
        if row["Tendance"] in {"hausse", "baisse"}:
            size = (
                f"{format_number(abs(row['Évolution']), 1)} point(s)"
                if row["Unité"] == "%"
                else _value_text(abs(row["Évolution"]), row["Unité"])
            )
            bullets.append(
                f"{row['Indicateur']} : {row['Tendance']} de {size} entre {years[0]} et "
                f"{years[-1]}."
            )
    fig, ax = get_axes(figsize=(6, 3.5))
    x = np.arange(len(years))
    res = [float(trends.loc["resultat", str(y)]) for y in years]
    cafs = [float(trends.loc["caf", str(y)]) for y in years]
    ax.bar(x - 0.2, res, 0.4, color=PALETTE[0], label="Résultat")
    ax.bar(x + 0.2, cafs, 0.4, color=PALETTE[2], label="CAF")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(x, [str(y) for y in years])
    ax.yaxis.set_major_formatter(euro_formatter())
    ax.legend(fontsize=8)
    ax.set_title("Résultat et capacité d'autofinancement")
    figures["tendances"] = _png(fig)
    return Section(
        f"3. Évolution {years[0]}–{years[-1]}",
        (f"Les principaux indicateurs sur les {len(years)} exercices disponibles :",),
        table=shown,
        figure="tendances",
        bullets=tuple(bullets),
    )


def resources_section(ledger: Ledger, year: int, number: int, figures: dict[str, bytes]) -> Section:
    """« Origine des ressources »: the produits by origin (subsidies, sales, gifts, other)."""
    from ..plotting import PALETTE, euro_formatter, get_axes

    produits = {
        "Subventions et concours publics (73, 74)": ledger.C("73 74", year),
        "Ventes et prestations (70)": ledger.C("70", year),
        "Cotisations, dons, mécénat (754, 756)": ledger.C("754 756", year),
        "Autres produits": ledger.C("7", year) - ledger.C("70 73 74 754 756", year),
    }
    produits = {k: v for k, v in produits.items() if abs(v) >= 0.5}
    fig, ax = get_axes(figsize=(6, 3))
    ax.barh(list(produits), list(produits.values()), color=PALETTE[0])
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(euro_formatter())
    ax.grid(True, axis="x", alpha=0.3)
    ax.grid(False, axis="y")
    ax.set_title(f"Origine des produits {year}")
    figures["produits"] = _png(fig)
    total = sum(produits.values())
    return Section(
        f"{number}. Origine des ressources",
        tuple(
            f"{k} : {format_euro(v)} ({format_percent(100 * v / total if total else np.nan)})."
            for k, v in produits.items()
        ),
        figure="produits",
    )


def budget_section(
    budget: Budget,
    ledger: Ledger,
    year: int,
    analytic: str | None,
    number: int,
    figures: dict[str, bytes],
    vigilance: list[str],
) -> Section:
    """« Budget prévisionnel et réalisé »: totals, the gaps to explain (added to ``vigilance``)."""
    from ..plotting import get_axes
    from .budget_vs_actual import budget_vs_actual

    cmp = budget_vs_actual(budget, ledger, year, analytic)
    t = cmp.table
    charges, produits = t.loc["Total des charges"], t.loc["Total des produits"]
    paragraphs = [
        f"Le budget prévisionnel prévoyait {format_euro(charges['Prévu (€)'])} de charges ; "
        f"{format_euro(charges['Réalisé (€)'])} ont été réalisées (écart de "
        f"{format_percent(charges['Écart (%)'])}). Produits : "
        f"{format_euro(produits['Prévu (€)'])} prévus, {format_euro(produits['Réalisé (€)'])} "
        "réalisés.",
    ]
    flagged = cmp.to_explain
    table = None
    if len(flagged):
        paragraphs.append(
            f"{len(flagged)} ligne(s) présentent un écart significatif (au moins "
            f"{format_percent(100 * cmp.min_gap, 0)} et {format_euro(cmp.min_amount)}) "
            "à expliquer dans le compte rendu financier :"
        )
        table = flagged[["Ligne", "Prévu (€)", "Réalisé (€)", "Écart (€)", "Écart (%)"]]
        vigilance.append(
            f"{len(flagged)} écart(s) significatif(s) entre le budget et le réalisé sont à "
            "expliquer aux financeurs (compte rendu financier, CERFA 15059)."
        )
    else:
        paragraphs.append("Aucun écart significatif entre le budget et le réalisé.")
    fig, ax = get_axes(figsize=(7, 0.3 * max(len(t), 4) + 1))
    cmp.plot(ax=ax)
    figures["ecarts"] = _png(fig)
    return Section(
        f"{number}. Budget prévisionnel et réalisé", tuple(paragraphs), table=table, figure="ecarts"
    )


def conventions_section(
    conventions: Conventions,
    ledger: Ledger,
    year: int,
    number: int,
    figures: dict[str, bytes],
    vigilance: list[str],
) -> Section:
    """« Financements et conventions »: status at 31 December of the conventions started by
    then; late payments and comptes rendus are added to ``vigilance``."""
    from ..plotting import get_axes
    from .convention_status import conventions_status
    from .conventions import Conventions

    # only the conventions that started by the end of the year analysed
    start = conventions.table["Début"].fillna(conventions.table["Date de signature"])
    keep = conventions.table["Convention"][~(start > pd.Timestamp(f"{year}-12-31"))]
    current = Conventions(
        table=conventions.table[conventions.table["Convention"].isin(keep)],
        payments=conventions.payments[conventions.payments["Convention"].isin(keep)],
        problems=conventions.problems,
    )
    status = conventions_status(current, f"{year}-12-31", ledger)
    paragraphs = [
        f"Au 31/12/{year}, {len(status.table)} convention(s) suivies pour "
        f"{format_euro(status.table['Montant accordé'].sum())} accordés : "
        f"{format_euro(status.total_received)} reçus, "
        f"{format_euro(status.total_to_receive)} restent à recevoir, dont "
        f"{format_euro(status.total_late)} en retard."
    ]
    late = status.late_payments
    if len(late):
        vigilance.append(
            f"Versements en retard ({format_euro(status.total_late)}) : "
            + ", ".join(sorted(set(late["Financeur"])))
            + ". Relancer ces financeurs."
        )
    reports = status.table[status.table["Compte rendu"] == "en retard"]
    if len(reports):
        vigilance.append(
            f"{len(reports)} compte(s) rendu(s) financier(s) en retard ("
            + ", ".join(sorted(set(reports["Financeur"])))
            + ") : le financeur peut suspendre ses versements."
        )
    fig, ax = get_axes(figsize=(7, 0.45 * len(status.by_funder) + 1.5))
    status.plot(ax=ax)
    figures["financeurs"] = _png(fig)
    return Section(
        f"{number}. Financements et conventions",
        tuple(paragraphs),
        table=status.by_funder.drop(columns=["Échu (€)"], errors="ignore"),
        figure="financeurs",
    )


def vigilance_section(number: int, vigilance: list[str]) -> Section:
    """« Points de vigilance »: the points found, or a sentence saying there is none."""
    return Section(
        f"{number}. Points de vigilance",
        () if vigilance else ("Aucun indicateur ne franchit les repères d'alerte habituels.",),
        bullets=tuple(vigilance),
    )


def conclusion_section(
    number: int, year: int, who: str, cr: IncomeStatement, ind: pd.DataFrame, points: int
) -> Section:
    """« Conclusion »: result, treasury and the number of points of vigilance, to complete."""
    verdict = "un excédent" if cr.resultat >= 0 else "un déficit"
    tn = float(ind.loc["tresorerie_nette", "Valeur"])
    days = float(ind.loc["tresorerie_jours", "Valeur"])
    return Section(
        f"{number}. Conclusion",
        (
            f"En {year}, {who} dégage {verdict} de {format_euro(abs(cr.resultat))}, avec une "
            f"trésorerie nette de {format_euro(tn)} ({format_number(days, 0)} jours de "
            f"charges) et {points} point(s) de vigilance. Cette note est un projet : "
            "complétez-la par le contexte (projets, partenaires, décisions de l'exercice) et "
            "par les mesures proposées.",
        ),
    )
