"""The balances of a :class:`~.ledger.Ledger`: trial balance, D(x) and C(x), results.

:class:`LedgerBalances` holds the methods of :class:`~.ledger.Ledger` that add up the
entries (internal module: use them through a ledger). The notation follows the formulas of the
statements (reference ``finance.md`` §3): D(x) is the net debit balance of the accounts whose
number starts with ``x`` (:meth:`~LedgerBalances.S`), C(x) = −D(x) (:meth:`~LedgerBalances.C`),
D⁺(x) and C⁺(x) sum the debit or credit balances account by account
(:meth:`~LedgerBalances.debit_balances`, :meth:`~LedgerBalances.credit_balances`).
Results are memoised per year in the ledger's cache (a ledger is never changed).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

__all__ = ["LedgerBalances"]


def _as_prefixes(prefixes: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(prefixes, int):
        return (str(prefixes),)
    if isinstance(prefixes, str):
        return tuple(re.split(r"[\s,;]+", prefixes.strip()))
    return tuple(str(p) for p in prefixes)


class LedgerBalances:
    """Mixin of :class:`~.ledger.Ledger`: the sums of its entries by account, year and code."""

    entries: pd.DataFrame
    _cache: dict[Any, Any]

    def resolve_year(self, year: int | None = None) -> int:  # defined by Ledger
        raise NotImplementedError

    def balance(self, year: int | None = None) -> pd.DataFrame:
        """Trial balance (*balance générale*) of one financial year.

        Parameters
        ----------
        year : int, optional
            A financial year of the books; the latest by default.

        Returns
        -------
        pandas.DataFrame
            One row per ``CompteNum`` (sorted as text) with ``CompteNum``, ``CompteLib`` (the
            first label found in the books), ``Debit``, ``Credit`` (movements of the year,
            opening entries included) and ``Solde`` = debit − credit.

        Examples
        --------
        >>> from movsc_toolkit import datasets
        >>> ledger = datasets.load("cas_dependance_financeur")
        >>> bank = ledger.balance(2024).set_index("CompteNum").loc["5121"]
        >>> float(bank["Debit"]), float(bank["Credit"]), float(bank["Solde"])
        (213202.8, 236101.22, -22898.42)
        """
        y = self.resolve_year(year)
        key = ("balance", y)
        if key not in self._cache:
            e = self.entries
            part = e.loc[e["exercice"] == y, ["CompteNum", "CompteLib", "Debit", "Credit"]]
            grouped = part.groupby("CompteNum", sort=True)
            bal = grouped[["Debit", "Credit"]].sum()
            bal.insert(0, "CompteLib", grouped["CompteLib"].first())
            bal["Solde"] = (bal["Debit"] - bal["Credit"]).round(2)
            bal = bal.reset_index()
            bal["CompteNum"] = bal["CompteNum"].astype(str)
            self._cache[key] = bal
        return self._cache[key].copy()

    def _values(
        self, prefixes: str | Iterable[str], year: int | None, exclude: str | Iterable[str]
    ) -> list[float]:
        """Balances (debit − credit) of the accounts matching the prefixes, memoised."""
        y = self.resolve_year(year)
        wanted = _as_prefixes(prefixes)
        excluded = _as_prefixes(exclude) if exclude else ()
        key = ("values", y, wanted, excluded)
        if key not in self._cache:
            items = self._cache.get(("items", y))
            if items is None:
                bal = self.balance(y)
                items = list(zip(bal["CompteNum"].tolist(), bal["Solde"].tolist(), strict=True))
                self._cache[("items", y)] = items
            self._cache[key] = [
                value
                for account, value in items
                if account.startswith(wanted) and not (excluded and account.startswith(excluded))
            ]
        return self._cache[key]

    def S(
        self,
        prefixes: str | Iterable[str],
        year: int | None = None,
        exclude: str | Iterable[str] = (),
    ) -> float:
        """Net debit balance D(x) of the accounts starting with ``prefixes``, minus ``exclude``.

        The notation of the statements' formulas: ``S("6")`` is the total of the charges,
        ``S("512")`` the bank balance; a credit balance is negative. :meth:`C` is −S;
        :meth:`debit_balances` and :meth:`credit_balances` are D⁺(x) and C⁺(x).

        Parameters
        ----------
        prefixes : str or list of str
            One prefix, several separated by spaces (``"60 61 62"``) or a list.
        year : int, optional
            A financial year of the books; the latest by default.
        exclude : str or list of str, optional
            Prefixes left out of the sum (``C("7", exclude="789")``).

        Returns
        -------
        float
            The sum of the balances (debit − credit) of the matching accounts, to the cent.

        Examples
        --------
        >>> from movsc_toolkit import datasets
        >>> ledger = datasets.load("cas_dependance_financeur")
        >>> ledger.S("6", 2024), ledger.S("60 61 62", 2024), ledger.S("512")
        (246065.22, 41170.0, -22898.42)
        """
        return round(float(sum(self._values(prefixes, year, exclude))), 2)

    def C(
        self,
        prefixes: str | Iterable[str],
        year: int | None = None,
        exclude: str | Iterable[str] = (),
    ) -> float:
        """Net credit balance C(x) = −D(x) (income, liabilities); parameters as :meth:`S`.

        Parameters
        ----------
        prefixes : str or list of str
            Account prefixes.
        year : int, optional
            A financial year; the latest by default.
        exclude : str or list of str, optional
            Prefixes left out of the sum.

        Returns
        -------
        float

        Examples
        --------
        >>> from movsc_toolkit import datasets
        >>> ledger = datasets.load("cas_dependance_financeur")
        >>> ledger.C("7", 2024), ledger.C("74", 2024)
        (241100.0, 192000.0)
        """
        return 0.0 - self.S(prefixes, year, exclude)

    def debit_balances(
        self,
        prefixes: str | Iterable[str],
        year: int | None = None,
        exclude: str | Iterable[str] = (),
    ) -> float:
        """D⁺(x): sum of the debit balances of the accounts starting with ``prefixes``.

        Each account (``CompteNum``) counts by the sign of its own balance, as the balance
        sheet does for receivables and payables; parameters as :meth:`S`.

        Parameters
        ----------
        prefixes : str or list of str
            Account prefixes.
        year : int, optional
            A financial year; the latest by default.
        exclude : str or list of str, optional
            Prefixes left out of the sum.

        Returns
        -------
        float

        Examples
        --------
        >>> from movsc_toolkit import datasets
        >>> ledger = datasets.load("cas_dependance_financeur")
        >>> ledger.debit_balances("4", 2024), ledger.credit_balances("4", 2024)
        (126000.0, 9928.8)
        """
        values = self._values(prefixes, year, exclude)
        return round(float(sum(v for v in values if v > 0)), 2)

    def credit_balances(
        self,
        prefixes: str | Iterable[str],
        year: int | None = None,
        exclude: str | Iterable[str] = (),
    ) -> float:
        """C⁺(x): sum of the credit balances (as positive amounts) of the matching accounts.

        Parameters
        ----------
        prefixes : str or list of str
            Account prefixes.
        year : int, optional
            A financial year; the latest by default.
        exclude : str or list of str, optional
            Prefixes left out of the sum.

        Returns
        -------
        float

        Examples
        --------
        >>> from movsc_toolkit import datasets
        >>> datasets.load("cas_dependance_financeur").credit_balances("4", 2024)
        9928.8
        """
        values = self._values(prefixes, year, exclude)
        return round(float(-sum(v for v in values if v < 0)), 2)

    def totals(self) -> pd.DataFrame:
        """Total debit and credit per financial year, with their difference.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``Exercice``: ``Total débit``, ``Total crédit`` and ``Écart`` (0 in
            balanced books).

        Examples
        --------
        >>> from movsc_toolkit import datasets
        >>> datasets.load("cas_dependance_financeur").totals()["Écart"].tolist()
        [0.0, 0.0]
        """
        e = self.entries
        out = e.groupby("exercice")[["Debit", "Credit"]].sum().round(2)
        out["Écart"] = (out["Debit"] - out["Credit"]).round(2)
        out.index.name = "Exercice"
        return out.rename(columns={"Debit": "Total débit", "Credit": "Total crédit"})

    def by_analytic(self, year: int | None = None) -> pd.DataFrame:
        """Charges and income of a year by analytic code (the result of each activity).

        Parameters
        ----------
        year : int, optional
            A financial year of the books; the latest by default.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``Code analytique`` (``"(sans code)"`` for lines without one):
            ``Charges`` (D of class 6), ``Produits`` (C of class 7) and ``Résultat``, with a
            ``Total`` row.

        Examples
        --------
        >>> from movsc_toolkit import datasets
        >>> ledger = datasets.load("maison_quartier_analytique")
        >>> ledger.by_analytic(2025).loc["fete_quartier"].tolist()
        [24007.45, 19009.01, -4998.44]
        """
        y = self.resolve_year(year)
        e = self.entries
        part = e.loc[(e["exercice"] == y) & e["CompteNum"].str[:1].isin(["6", "7"])]
        codes = part["analytique"].where(part["analytique"] != "", "(sans code)")
        net = part["Debit"] - part["Credit"]
        is_charge = part["CompteNum"].str.startswith("6")
        out = pd.DataFrame(
            {
                "Charges": net.where(is_charge, 0.0).groupby(codes).sum(),
                "Produits": (-net).where(~is_charge, 0.0).groupby(codes).sum(),
            }
        )
        out["Résultat"] = out["Produits"] - out["Charges"]
        out.loc["Total"] = out.sum()
        out.index.name = "Code analytique"
        return out.round(2)
