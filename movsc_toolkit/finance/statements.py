"""Annual accounts of an association from its books: compte de résultat and bilan.

The layouts are those of règlement ANC n° 2018-06 (compte de résultat, art. 422-1; bilan,
art. 421-1); the account-to-line mappings of the bilan follow the rules of Paheko's ``bilan_pc``
module (repository ``paheko/paheko-modules``, ``bilan_pc/comptes_bilan.json``, 2023) where it
has one; the other mappings are the toolkit's own, built from the accounts of the plan comptable
associatif (``finance/data/statement_lines.csv``). Every account of classes 1 to 7 falls in
exactly one line, so the totals always reconcile with the trial balance:

- the compte de résultat's *excédent ou déficit* is Σ7 − Σ6 (classes 86/87 excluded, shown at the
  foot as the *contributions volontaires en nature*);
- a FEC excludes the closing entries, so the year's result is not yet in account 12: it is added
  to the *Excédent ou déficit* line of the passif (Paheko likewise adds the year's result,
  computed without the volunteering accounts, to the passif);
- asset and liability accounts of classes 4 and 5 are classified by the sign of their own balance
  (per ``CompteNum``): a bank account in overdraft goes to the liabilities, a supplier with a
  debit balance to the other receivables (the D⁺ / C⁺ modes of ``_statement_tables``, as Paheko
  does for its « actif ou passif » accounts).

The SIG and the CAF are in :mod:`movsc_toolkit.finance.sig_caf`; the line tables of all four are
data (``finance/data/statement_lines.csv``), computed by ``_statement_tables``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .._errors import ComputationError
from .._format import format_euro, frame_html
from .._report import Report, result
from ._statement_tables import balance_table, income_table, with_previous, year_pair
from .ledger import Ledger

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["BalanceSheet", "IncomeStatement", "balance_sheet", "income_statement"]


# --------------------------------------------------------------------------------------------
# Compte de résultat (art. 422-1)
# --------------------------------------------------------------------------------------------


@result
class IncomeStatement(Report):
    """Compte de résultat in the ANC 2018-06 model (art. 422-1), with N−1 when loaded.

    Returned by :func:`income_statement`. ``table`` is indexed by ``Poste`` with columns
    ``Bloc``, ``N``, ``N-1`` (NaN when the previous year is not loaded) and ``Comptes`` (the
    accounts of each line). Income and charges are positive amounts in euros, to the cent; the
    résultats are signed (a deficit is negative).

    Attributes
    ----------
    table : pandas.DataFrame
        The statement, line by line (see above).
    year, previous_year : int, int or None
        The financial year and the previous one when it is in the ledger.
    total_produits, total_charges : float
        Totals I + III + V and II + IV + VI + VII + VIII.
    resultat : float
        Excédent (positive) or déficit (negative): Σ7 − Σ6, classes 86/87 excluded.
    resultat_exploitation, resultat_financier, resultat_exceptionnel : float
        The partial results 1, 2 and 4 of the model.
    contributions_volontaires, emplois_contributions_volontaires : float
        Contributions volontaires en nature (87, by nature) and their uses (86), outside the
        result.

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> cr = finance.income_statement(datasets.load("centre_social_comptes"), 2024)
    >>> cr.resultat, cr.previous_year
    (-16174.71, 2023)
    >>> cr.to_frame().loc["Cotisations", ["N", "N-1"]].tolist()
    [8280.0, 8016.0]
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
        """The statement as a DataFrame (a copy of ``table``, exact amounts).

        Returns
        -------
        pandas.DataFrame
            Indexed by ``Poste``; columns ``Bloc``, ``N``, ``N-1``, ``Comptes``.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> cr = finance.income_statement(datasets.load("cas_club_sportif"))
        >>> float(cr.to_frame().loc["EXCÉDENT OU DÉFICIT", "N"]) == cr.resultat
        True
        """
        return self.table.copy()

    def plot(self, *, ax: Axes | None = None) -> Axes:
        """Horizontal bars of the non-zero income and charge lines of the year (CVN excluded).

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Where to draw (new axes by default).

        Returns
        -------
        matplotlib.axes.Axes

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> ax = finance.income_statement(datasets.load("cas_club_sportif")).plot()
        >>> ax.get_title()
        "Produits (bleu) et charges (orange) de l'exercice 2024"
        """
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
    outside it. Every account of classes 6 and 7 falls in exactly one line, so the result is
    always Σ7 − Σ6 (layout: ``finance/data/statement_lines.csv``).

    Parameters
    ----------
    ledger : Ledger
        The books (:func:`~movsc_toolkit.finance.read_fec`).
    year : int, optional
        The financial year; the latest of the books by default.

    Returns
    -------
    IncomeStatement
        The statement (``.table``, ``.to_frame()``) and its totals (``.resultat``…).

    Raises
    ------
    DataError
        When ``year`` is not in the books.

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> cr = finance.income_statement(datasets.load("centre_social_comptes"), 2024)
    >>> print(cr)
    Compte de résultat 2024 : 666 906 € de produits, 683 081 € de charges, soit un déficit de
    16 175 €. Résultat d'exploitation −17 598 €, financier 323 €, exceptionnel 1 100 €.
    Contributions volontaires en nature (bénévolat, dons et prestations en nature) : 98 670 €, hors
    résultat.
    >>> round(cr.total_produits - cr.total_charges, 2) == cr.resultat
    True

    References
    ----------
    Règlement ANC n° 2018-06 du 5 décembre 2018, art. 422-1 (modèle du compte de résultat) and
    art. 211-3 (contributions volontaires en nature). Checked against hand-computed books in
    ``tests/finance/test_statements.py::test_income_statement_hand_values`` and
    ``::test_every_income_and_charge_account_is_in_exactly_one_line``.
    """
    y, previous = year_pair(ledger, year)
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

    Returned by :func:`balance_sheet`. ``table`` is indexed by ``Poste`` with columns ``Côté``
    (Actif / Passif), ``Bloc``, ``Brut``, ``Amortissements`` (amortissements et dépréciations;
    assets only), ``Net``, ``N-1`` (net of the previous year, NaN when not loaded) and
    ``Comptes``. Amounts in euros, to the cent.

    Attributes
    ----------
    table : pandas.DataFrame
        Both sides, line by line (see above); :attr:`actif` and :attr:`passif` split it.
    year, previous_year : int, int or None
        The financial year and the previous one when it is in the ledger.
    total_actif, total_passif : float
        The two totals, equal.
    fonds_propres, fonds_dedies, provisions, dettes : float
        Blocks I to IV of the passif (the year's result is in the fonds propres).
    actif_immobilise : float
        Net fixed assets.
    resultat : float
        The year's result (Σ7 − Σ6), added to the *Excédent ou déficit* line.

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> bilan = finance.balance_sheet(datasets.load("centre_social_comptes"), 2024)
    >>> bilan.total_actif, bilan.fonds_propres
    (197961.0, 96606.23)
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
        """The asset side: ``table`` without the passif lines and the ``Côté`` column.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> bilan = finance.balance_sheet(datasets.load("cas_club_sportif"))
        >>> float(bilan.actif.loc["TOTAL GÉNÉRAL DE L'ACTIF", "Net"]) == bilan.total_actif
        True
        """
        t = self.table
        return t.loc[t["Côté"] == "Actif"].drop(columns="Côté")

    @property
    def passif(self) -> pd.DataFrame:
        """The liability side (only ``Bloc``, ``Net``, ``N-1`` and ``Comptes`` apply).

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> bilan = finance.balance_sheet(datasets.load("cas_club_sportif"))
        >>> float(bilan.passif.loc["TOTAL GÉNÉRAL DU PASSIF", "Net"]) == bilan.total_passif
        True
        """
        t = self.table
        return t.loc[t["Côté"] == "Passif", ["Bloc", "Net", "N-1", "Comptes"]]

    def to_frame(self) -> pd.DataFrame:
        """The bilan as a DataFrame (a copy of ``table``, exact amounts).

        Returns
        -------
        pandas.DataFrame
            Indexed by ``Poste``; columns ``Côté``, ``Bloc``, ``Brut``, ``Amortissements``,
            ``Net``, ``N-1``, ``Comptes``.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> finance.balance_sheet(datasets.load("cas_club_sportif")).to_frame().columns.tolist()
        ['Côté', 'Bloc', 'Brut', 'Amortissements', 'Net', 'N-1', 'Comptes']
        """
        return self.table.copy()

    def plot(self, *, ax: Axes | None = None) -> Axes:
        """The bilan in large masses: two stacked bars, actif (net) and passif.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Where to draw (new axes by default).

        Returns
        -------
        matplotlib.axes.Axes

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> ax = finance.balance_sheet(datasets.load("cas_club_sportif")).plot()
        >>> [t.get_text() for t in ax.get_xticklabels()]
        ['Actif', 'Passif']
        """
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
    déficit* line. Accounts of classes 4 and 5 are classified by the sign of their own balance
    (a bank account in overdraft goes to the dettes, a supplier with a debit balance to the
    autres créances).

    Parameters
    ----------
    ledger : Ledger
        The books (:func:`~movsc_toolkit.finance.read_fec`).
    year : int, optional
        The financial year; the latest of the books by default.

    Returns
    -------
    BalanceSheet
        Both sides (``.table``, ``.actif``, ``.passif``) and the totals.

    Raises
    ------
    ComputationError
        When total actif ≠ total passif: the books are unbalanced (see ``ledger.problems``) or
        the 86/87 accounts differ.

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> bilan = finance.balance_sheet(datasets.load("centre_social_comptes"), 2024)
    >>> print(bilan)
    Bilan à la clôture de l'exercice 2024 : total 197 961 € à l'actif comme au passif. Fonds propres
    96 606 € (49 % du total), fonds dédiés 5 000 €, dettes 96 355 € ; actif immobilisé net 54 733 €.
    >>> bilan.total_actif == bilan.total_passif
    True

    References
    ----------
    Règlement ANC n° 2018-06, art. 421-1 (modèle du bilan). Checked in
    ``tests/finance/test_statements.py::test_balance_sheet_hand_values``,
    ``::test_overdraft_goes_to_the_liabilities`` and
    ``::test_every_balance_sheet_account_is_in_exactly_one_line``.
    """
    y, previous = year_pair(ledger, year)
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
