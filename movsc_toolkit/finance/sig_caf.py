"""Soldes intermédiaires de gestion (SIG) and capacité d'autofinancement (CAF) of a year.

Both read the activity of the year from the books, where the compte de résultat and the bilan
(:mod:`movsc_toolkit.finance.statements`) present it. The association variant of the EBE includes
the *produits de tiers financeurs* (the grouping of the compte de résultat model, règlement ANC
2018-06 art. 422-1) and the *cotisations*; the CAF is computed by the additive method (from the
result) or the subtractive one (from the EBE), and both always agree. The lines are data
(``finance/data/statement_lines.csv``, statements ``sig``, ``caf_additive`` and
``caf_soustractive``).
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from .._errors import DataError
from .._format import format_euro, frame_html
from .._report import Report, result
from ._statement_tables import caf_table, sig_table, with_previous, year_pair
from .ledger import Ledger

__all__ = ["CAF", "SIG", "caf", "sig"]

# --------------------------------------------------------------------------------------------
# Soldes intermédiaires de gestion (association variant)
# --------------------------------------------------------------------------------------------


@result
class SIG(Report):
    """Soldes intermédiaires de gestion, association variant.

    Returned by :func:`sig`. The EBE includes the *produits de tiers financeurs* (73, 74 except
    747, 753 except 7532, 754, 755) and the *cotisations* (756); the business-style EBE without
    them is given "pour mémoire". ``table`` is indexed by ``Solde`` with ``N``, ``N-1`` and
    ``Comptes``. Each attribute is the solde of the same name, in euros.

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> soldes = finance.sig(datasets.load("centre_social_comptes"), 2024)
    >>> soldes.valeur_ajoutee, soldes.ebe
    (-50843.49, -3997.31)
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
        """The SIG as a DataFrame (a copy of ``table``, exact amounts).

        Returns
        -------
        pandas.DataFrame
            Indexed by ``Solde``; columns ``N``, ``N-1``, ``Comptes``.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> soldes = finance.sig(datasets.load("cas_club_sportif"))
        >>> float(soldes.to_frame().loc["Excédent brut d'exploitation (EBE)", "N"]) == soldes.ebe
        True
        """
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
    """Soldes intermédiaires de gestion (association variant) of a year, with N−1 if loaded.

    Parameters
    ----------
    ledger : Ledger
        The books (:func:`~movsc_toolkit.finance.read_fec`).
    year : int, optional
        The financial year; the latest of the books by default.

    Returns
    -------
    SIG
        The soldes (``.table``) and their values (``.valeur_ajoutee``, ``.ebe``…).

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> soldes = finance.sig(datasets.load("centre_social_comptes"), 2024)
    >>> print(soldes)
    Soldes intermédiaires de gestion 2024 : valeur ajoutée −50 843 €, excédent brut d'exploitation
    −3 997 €, résultat d'exploitation −17 598 €, résultat de l'exercice −16 175 €.
    >>> soldes.resultat == finance.income_statement(datasets.load("centre_social_comptes")).resultat
    True

    References
    ----------
    The association variant of the EBE keeps the *produits de tiers financeurs*, a grouping of
    the compte de résultat model (règlement ANC 2018-06, art. 422-1), and the cotisations; the
    layout of the valeur ajoutée and the EBE is the toolkit's own. Checked in
    ``tests/finance/test_statements.py::test_sig_association_variant``.
    """
    y, previous = year_pair(ledger, year)
    table, t, _ = with_previous(ledger, y, previous, sig_table)
    return SIG(table=table, year=y, previous_year=previous, **t)


# --------------------------------------------------------------------------------------------
# Capacité d'autofinancement
# --------------------------------------------------------------------------------------------


@result
class CAF(Report):
    """Capacité d'autofinancement of a year, by the additive or the subtractive method.

    Returned by :func:`caf`. Both methods give the same value (checked by
    ``tests/finance/test_statements.py::test_caf_methods_agree_on_every_account``). ``table`` lists
    the computation (``N``, ``N-1``, ``Comptes``); the amounts are shown positive with their sign in
    the label.

    Attributes
    ----------
    method : str
        ``"additive"`` or ``"soustractive"``.
    value, previous_value : float, float or None
        The CAF of the year and of the previous year (``None`` when it is not loaded).

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> result = finance.caf(datasets.load("centre_social_comptes"), 2024)
    >>> result.value, result.previous_value
    (-11174.71, 15240.48)
    """

    table: pd.DataFrame
    year: int
    previous_year: int | None
    method: str
    value: float
    previous_value: float | None

    def to_frame(self) -> pd.DataFrame:
        """The computation as a DataFrame (a copy of ``table``, exact amounts).

        Returns
        -------
        pandas.DataFrame
            Indexed by ``Élément``; columns ``N``, ``N-1``, ``Comptes``.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> result = finance.caf(datasets.load("cas_club_sportif"))
        >>> float(result.to_frame().loc["Capacité d'autofinancement (CAF)", "N"]) == result.value
        True
        """
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
    ledger : Ledger
        The books (:func:`~movsc_toolkit.finance.read_fec`).
    year : int, optional
        The financial year; the latest of the books by default.
    method
        ``"additive"``: résultat + dotations (681, 686, 687) − reprises (781, 786, 787) + VNC
        des actifs cédés (675) − produits de cession (775) − quote-part des subventions
        d'investissement (777) − quote-part de dotation consomptible (7532) + reports en fonds
        dédiés (689) − utilisations (789). ``"soustractive"``: EBE (association variant) + other
        cash operating income − other operating charges (65) + cash financial and exceptional
        income − cash financial and exceptional charges − participation and tax (69), with the
        transferts de charges 79 (needed for both methods to agree; règlement ANC 2022-06
        removes 79 for years opened from 1 January 2025).

    Returns
    -------
    CAF
        The value (``.value``, ``.previous_value``) and the computation (``.table``).

    Raises
    ------
    DataError
        For an unknown ``method`` or a year that is not in the books.

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> books = datasets.load("centre_social_comptes")
    >>> print(finance.caf(books, 2023))
    Capacité d'autofinancement 2023 (méthode additive) : 15 240 €. L'activité dégage des ressources
    pour investir, rembourser les emprunts ou renforcer le fonds de roulement. En 2022 : 16 337 €.
    >>> finance.caf(books, 2023, "soustractive").value == finance.caf(books, 2023).value
    True

    References
    ----------
    Additive and subtractive CAF of the French functional analysis (PCG SIG, art. 821-3, adapted to
    associations: fonds dédiés 689/789, quote-part 7532), as in *Association Mode d'Emploi*,
    « Comment calculer sa capacité d'autofinancement » (January 2021), and the UNCCAS guide to the
    budgetary instruction M22 (« tableau de détermination et d'affectation de la CAF »); the
    subtractive method for associations is the toolkit's own. Both methods agree on hand-computed
    books and on every account in
    ``tests/finance/test_statements.py::test_caf_hand_values_both_methods`` and
    ``::test_caf_methods_agree_on_every_account``.
    """
    if method not in {"additive", "soustractive"}:
        raise DataError(
            f"méthode de CAF inconnue : « {method} ».",
            hint="choisissez method='additive' ou method='soustractive'.",
        )
    y, previous = year_pair(ledger, year)

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
