"""Annual accounts of an association from its books: compte de résultat, bilan, SIG, CAF.

The layouts are those of règlement ANC n° 2018-06 (compte de résultat, art. 422-1; bilan,
art. 421-1); the account-to-line mappings follow the reference ``finance.md`` §1.7–1.8 (Paheko's
``bilan_pc`` rules where they exist, otherwise a documented proposal). Every account of classes
1 to 7 falls in exactly one line, so the totals always reconcile with the trial balance:

- the compte de résultat's *excédent ou déficit* is Σ7 − Σ6 (classes 86/87 excluded, shown at the
  foot as the *contributions volontaires en nature*);
- a FEC excludes the closing entries, so the year's result is not yet in account 12: it is added
  to the *Excédent ou déficit* line of the passif (§1.7, "Year's result");
- asset and liability accounts of classes 4 and 5 are classified by the sign of their own balance
  (per ``CompteNum``): a bank account in overdraft goes to the liabilities, a supplier with a
  debit balance to the other receivables (D⁺ / C⁺ of the reference).

SIG and CAF follow §3.3 (association variant of the EBE, which includes the *produits de tiers
financeurs* and *cotisations*; additive and subtractive CAF, which always agree).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import pandas as pd

from .._errors import ComputationError, DataError
from .._format import format_euro, frame_html
from .._report import Report, result
from ._statement_tables import (
    balance_table,
    caf_table,
    income_table,
    sig_table,
    with_previous,
)
from .ledger import Ledger

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "CAF",
    "SIG",
    "BalanceSheet",
    "IncomeStatement",
    "balance_sheet",
    "caf",
    "income_statement",
    "sig",
]


def _years(ledger: Ledger, year: int | None) -> tuple[int, int | None]:
    y = ledger.resolve_year(year)
    return y, ledger.previous_year(y)


# --------------------------------------------------------------------------------------------
# Compte de résultat (art. 422-1)
# --------------------------------------------------------------------------------------------


@result
class IncomeStatement(Report):
    """Compte de résultat in the ANC 2018-06 model (art. 422-1), with N−1 when loaded.

    ``table`` is indexed by ``Poste`` with columns ``Bloc``, ``N``, ``N-1`` (NaN when the
    previous year is not loaded) and ``Comptes`` (the accounts of each line). Income and
    charges are positive amounts; the résultats are signed (a deficit is negative).
    """

    table: pd.DataFrame
    year: int
    previous_year: int | None
    total_produits: float
    total_charges: float
    resultat: float
    resultat_exploitation: float
    resultat_financier: float
    resultat_exceptionnel: float
    contributions_volontaires: float
    emplois_contributions_volontaires: float

    def to_frame(self) -> pd.DataFrame:
        """The statement as a DataFrame (a copy of ``table``)."""
        return self.table.copy()

    def plot(self, *, ax: Axes | None = None) -> Axes:
        """Horizontal bars of the non-zero income and charge lines of the year (CVN excluded)."""
        from ..plotting import PALETTE, euro_formatter, get_axes

        t = self.table
        detail = t[
            t["Comptes"].ne("")
            & ~t["Bloc"].str.startswith("Contributions")
            & ~t.index.str.startswith("EXCÉDENT")
            & t["N"].ne(0)
        ]
        is_income = detail["Bloc"].str.startswith("Produits")
        _fig, ax = get_axes(ax, figsize=(8, max(3.0, 0.35 * len(detail) + 1)))
        positions = range(len(detail))[::-1]
        colors = [PALETTE[0] if inc else PALETTE[1] for inc in is_income]
        ax.barh(list(positions), detail["N"].to_numpy(), color=colors)
        ax.set_yticks(list(positions), [str(i) for i in detail.index])
        ax.xaxis.set_major_formatter(euro_formatter())
        ax.set_title(f"Produits (bleu) et charges (orange) de l'exercice {self.year}")
        return ax

    def _lines(self) -> list[str]:
        word = "un excédent" if self.resultat >= 0 else "un déficit"
        text = (
            f"Compte de résultat {self.year} : {format_euro(self.total_produits)} de produits, "
            f"{format_euro(self.total_charges)} de charges, soit {word} de "
            f"{format_euro(abs(self.resultat))}. Résultat d'exploitation "
            f"{format_euro(self.resultat_exploitation)}, financier "
            f"{format_euro(self.resultat_financier)}, exceptionnel "
            f"{format_euro(self.resultat_exceptionnel)}."
        )
        if self.contributions_volontaires:
            text += (
                f" Contributions volontaires en nature (bénévolat, dons et prestations en "
                f"nature) : {format_euro(self.contributions_volontaires)}, hors résultat."
            )
        return [text]

    def _html_tables(self) -> str:
        return frame_html(self.table, decimals=2)


def income_statement(ledger: Ledger, year: int | None = None) -> IncomeStatement:
    """Compte de résultat of a financial year (the latest by default) in the ANC 2018-06 model.

    The N−1 column is filled when the previous year is in the ledger. The *contributions
    volontaires en nature* (87 by category, 86 by use; art. 211-3) are shown below the result,
    outside it.

    Examples
    --------
    >>> cr = income_statement(ledger, 2024)          # doctest: +SKIP
    >>> cr.resultat, cr.table.loc["Cotisations", "N"]  # doctest: +SKIP
    """
    y, previous = _years(ledger, year)
    table, t, _ = with_previous(ledger, y, previous, income_table)
    return IncomeStatement(
        table=table,
        year=y,
        previous_year=previous,
        total_produits=t["TP"],
        total_charges=t["TC"],
        resultat=t["R"],
        resultat_exploitation=t["R1"],
        resultat_financier=t["R2"],
        resultat_exceptionnel=t["R4"],
        contributions_volontaires=t["CVN_P"],
        emplois_contributions_volontaires=t["CVN_C"],
    )


# --------------------------------------------------------------------------------------------
# Bilan (art. 421-1)
# --------------------------------------------------------------------------------------------


@result
class BalanceSheet(Report):
    """Bilan in the ANC 2018-06 model (art. 421-1).

    ``table`` is indexed by ``Poste`` with columns ``Côté`` (Actif / Passif), ``Bloc``,
    ``Brut``, ``Amortissements`` (amortissements et dépréciations; assets only), ``Net``,
    ``N-1`` (net of the previous year, NaN when not loaded) and ``Comptes``.
    """

    table: pd.DataFrame
    year: int
    previous_year: int | None
    total_actif: float
    total_passif: float
    fonds_propres: float
    fonds_dedies: float
    provisions: float
    dettes: float
    actif_immobilise: float
    resultat: float

    @property
    def actif(self) -> pd.DataFrame:
        """The asset side."""
        t = self.table
        return t.loc[t["Côté"] == "Actif"].drop(columns="Côté")

    @property
    def passif(self) -> pd.DataFrame:
        """The liability side (only ``Net``, ``N-1`` and ``Comptes`` apply)."""
        t = self.table
        return t.loc[t["Côté"] == "Passif", ["Bloc", "Net", "N-1", "Comptes"]]

    def to_frame(self) -> pd.DataFrame:
        """The bilan as a DataFrame (a copy of ``table``)."""
        return self.table.copy()

    def plot(self, *, ax: Axes | None = None) -> Axes:
        """The bilan in large masses: two stacked bars, actif (net) and passif."""
        from ..plotting import PALETTE, euro_formatter, get_axes

        t = self.table["Net"]
        cash = float(t["Disponibilités"] + t["Valeurs mobilières de placement"])
        actif = [
            ("Actif immobilisé net", self.actif_immobilise),
            ("Actif circulant (hors trésorerie)", self.total_actif - self.actif_immobilise - cash),
            ("Trésorerie (disponibilités, placements)", cash),
        ]
        passif = [
            ("Fonds propres", self.fonds_propres),
            ("Fonds dédiés et provisions", self.fonds_dedies + self.provisions),
            (
                "Dettes",
                self.total_passif - self.fonds_propres - self.fonds_dedies - self.provisions,
            ),
        ]
        _fig, ax = get_axes(ax, figsize=(7, 4.5))
        for x, parts, offset in ((0, actif, 0), (1, passif, 3)):
            bottom = 0.0
            for i, (label, value) in enumerate(parts):
                ax.bar(x, value, bottom=bottom, color=PALETTE[offset + i], label=label, width=0.6)
                bottom += value
        ax.set_xticks([0, 1], ["Actif", "Passif"])
        ax.yaxis.set_major_formatter(euro_formatter())
        ax.set_title(f"Bilan de l'exercice {self.year} en grandes masses")
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
        return ax

    def _lines(self) -> list[str]:
        share = self.fonds_propres / self.total_passif * 100 if self.total_passif else float("nan")
        text = (
            f"Bilan à la clôture de l'exercice {self.year} : total "
            f"{format_euro(self.total_actif)} à l'actif comme au passif. Fonds propres "
            f"{format_euro(self.fonds_propres)} ({share:.0f} % du total), fonds dédiés "
            f"{format_euro(self.fonds_dedies)}, dettes {format_euro(self.dettes)} ; actif "
            f"immobilisé net {format_euro(self.actif_immobilise)}."
        )
        return [text]

    def _html_tables(self) -> str:
        return frame_html(self.table, decimals=2)


def balance_sheet(ledger: Ledger, year: int | None = None) -> BalanceSheet:
    """Bilan at the end of a financial year (the latest by default) in the ANC 2018-06 model.

    The year's result (Σ7 − Σ6, not yet in account 12 in a FEC) is added to the *Excédent ou
    déficit* line.

    Raises
    ------
    ComputationError
        When total actif ≠ total passif: the books are unbalanced (see ``ledger.problems``) or
        the 86/87 accounts differ.
    """
    y, previous = _years(ledger, year)
    table, t = balance_table(ledger, y)
    if previous is not None:
        prev_table, _ = balance_table(ledger, previous)
        table.insert(table.columns.get_loc("N") + 1, "N-1", prev_table["N"].to_numpy())
    else:
        table.insert(table.columns.get_loc("N") + 1, "N-1", float("nan"))
    table = table.rename(columns={"N": "Net"})
    gap = round(t["actif"] - t["passif"], 2)
    if abs(gap) >= 0.01:
        cvn = round(ledger.S("86", y) - ledger.C("87", y), 2)
        hint = (
            f"les comptes 86 et 87 ne sont pas égaux (écart {format_euro(cvn, 2)}) : chaque "
            "contribution volontaire s'enregistre au débit d'un 86 et au crédit d'un 87."
            if abs(cvn) >= 0.01
            else "des écritures sont déséquilibrées ou des comptes sont hors plan : consultez "
            "ledger.problems (colonnes « EcritureNum » et « CompteNum »)."
        )
        raise ComputationError(
            f"le bilan {y} n'est pas équilibré : total actif {format_euro(t['actif'], 2)}, "
            f"total passif {format_euro(t['passif'], 2)} (écart {format_euro(gap, 2)}).",
            hint=hint,
        )
    return BalanceSheet(
        table=table,
        year=y,
        previous_year=previous,
        total_actif=t["actif"],
        total_passif=t["passif"],
        fonds_propres=t["fonds_propres"],
        fonds_dedies=t["fonds_dedies"],
        provisions=t["provisions"],
        dettes=t["dettes"],
        actif_immobilise=t["actif_immobilise"],
        resultat=t["resultat"],
    )


# --------------------------------------------------------------------------------------------
# Soldes intermédiaires de gestion (association variant, §3.3)
# --------------------------------------------------------------------------------------------


@result
class SIG(Report):
    """Soldes intermédiaires de gestion, association variant (reference §3.3).

    The EBE includes the *produits de tiers financeurs* (73, 74 except 747, 753 except 7532,
    754, 755) and the *cotisations* (756); the business-style EBE without them is given "pour
    mémoire". ``table`` is indexed by ``Solde`` with ``N``, ``N-1`` and ``Comptes``.
    """

    table: pd.DataFrame
    year: int
    previous_year: int | None
    marge_commerciale: float
    production: float
    valeur_ajoutee: float
    ebe: float
    ebe_hors_tiers_financeurs: float
    resultat_exploitation: float
    resultat_courant: float
    resultat_exceptionnel: float
    resultat: float

    def to_frame(self) -> pd.DataFrame:
        """The SIG as a DataFrame (a copy of ``table``)."""
        return self.table.copy()

    def _lines(self) -> list[str]:
        text = (
            f"Soldes intermédiaires de gestion {self.year} : valeur ajoutée "
            f"{format_euro(self.valeur_ajoutee)}, excédent brut d'exploitation "
            f"{format_euro(self.ebe)}, résultat d'exploitation "
            f"{format_euro(self.resultat_exploitation)}, résultat de l'exercice "
            f"{format_euro(self.resultat)}."
        )
        if self.ebe_hors_tiers_financeurs < 0 <= self.ebe:
            text += (
                " Sans les subventions, dons et cotisations, l'EBE serait négatif ("
                f"{format_euro(self.ebe_hors_tiers_financeurs)}) : comme la plupart des "
                "associations, la structure vit de ressources non marchandes."
            )
        return [text]

    def _html_tables(self) -> str:
        return frame_html(self.table, decimals=2)


def sig(ledger: Ledger, year: int | None = None) -> SIG:
    """Soldes intermédiaires de gestion (association variant) of a year, with N−1 if loaded."""
    y, previous = _years(ledger, year)
    table, t, _ = with_previous(ledger, y, previous, sig_table)
    return SIG(table=table, year=y, previous_year=previous, **t)


# --------------------------------------------------------------------------------------------
# Capacité d'autofinancement
# --------------------------------------------------------------------------------------------


@result
class CAF(Report):
    """Capacité d'autofinancement of a year, by the additive or the subtractive method.

    Both methods give the same value (reference §3.3; invariant §3.5-6). ``table`` lists the
    computation (``N``, ``N-1``, ``Comptes``); the amounts are shown positive with their sign in
    the label.
    """

    table: pd.DataFrame
    year: int
    previous_year: int | None
    method: str
    value: float
    previous_value: float | None

    def to_frame(self) -> pd.DataFrame:
        """The computation as a DataFrame (a copy of ``table``)."""
        return self.table.copy()

    def _lines(self) -> list[str]:
        name = "additive" if self.method == "additive" else "soustractive"
        text = (
            f"Capacité d'autofinancement {self.year} (méthode {name}) : {format_euro(self.value)}."
        )
        if self.value > 0:
            text += (
                " L'activité dégage des ressources pour investir, rembourser les emprunts ou "
                "renforcer le fonds de roulement."
            )
        else:
            text += (
                " L'activité consomme des ressources : elle ne finance ni le renouvellement "
                "des équipements ni le remboursement des emprunts."
            )
        if self.previous_value is not None:
            text += f" En {self.year - 1} : {format_euro(self.previous_value)}."
        return [text]

    def _html_tables(self) -> str:
        return frame_html(self.table, decimals=2)


def caf(
    ledger: Ledger,
    year: int | None = None,
    method: Literal["additive", "soustractive"] = "additive",
) -> CAF:
    """Capacité d'autofinancement of a year (the latest by default).

    Parameters
    ----------
    method
        ``"additive"``: résultat + dotations (681, 686, 687) − reprises (781, 786, 787) + VNC
        des actifs cédés (675) − produits de cession (775) − quote-part des subventions
        d'investissement (777) − quote-part de dotation consomptible (7532) + reports en fonds
        dédiés (689) − utilisations (789). ``"soustractive"``: EBE (association variant) + other
        cash operating income − other operating charges (65) + cash financial and exceptional
        income − cash financial and exceptional charges − participation and tax (69), with the
        transferts de charges 79 (reference §3.3).
    """
    if method not in {"additive", "soustractive"}:
        raise DataError(
            f"méthode de CAF inconnue : « {method} ».",
            hint="choisissez method='additive' ou method='soustractive'.",
        )
    y, previous = _years(ledger, year)

    def build(lg: Ledger, yy: int) -> tuple[pd.DataFrame, dict]:
        return caf_table(lg, yy, method)

    table, t, prev = with_previous(ledger, y, previous, build)
    return CAF(
        table=table,
        year=y,
        previous_year=previous,
        method=method,
        value=t["value"],
        previous_value=None if prev is None else prev["value"],
    )
