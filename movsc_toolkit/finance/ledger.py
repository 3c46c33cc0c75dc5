"""Reading the books: FEC files and trial balances into a :class:`Ledger`.

A FEC (*fichier des écritures comptables*, art. A47 A-1 of the Livre des procédures fiscales,
reference ``finance.md`` §2) is the export every French accounting software produces: one line
per debit or credit, 18 fields separated by a tab or ``|``, UTF-8 or ISO-8859-15, decimal comma,
dates ``AAAAMMJJ``, the first line giving the field names. :func:`read_fec` reads it **without
dropping any line** and reports every deviation from the norm in ``ledger.problems``;
:func:`read_balance` reads a trial balance (*balance générale*) from Excel or CSV.

The :class:`Ledger` contract (used by statements, indicators, budget and grants modules):

``ledger.entries``
    One row per line of the file(s), in file order: the 18 FEC columns under their FEC names
    (``EcritureDate``, ``PieceDate``, ``ValidDate`` and ``DateLet`` as ``datetime64``;
    ``CompteNum`` as text; ``Debit`` and ``Credit`` as floats, 0 when empty; the other fields as
    text, ``""`` when empty), then ``ligne`` (line number in the file, header = 1), ``fichier``
    (file name), ``exercice`` (the financial year, an ``int``: the year of its closing date) and
    ``analytique`` (analytic code, ``""`` when none). Extra columns of the file are kept after
    these.
``ledger.problems``
    The shared problems table (:class:`movsc_toolkit._problems.ProblemTable`): ``fichier``,
    ``ligne``, ``colonne``, ``valeur``, ``gravité`` (``"erreur"`` or ``"alerte"``) and
    ``message`` (French), sorted by file and line.
``ledger.years``
    The financial years present, ascending.
``ledger.balance(year)``
    The trial balance of one year (all lines, opening entries included): ``CompteNum``,
    ``CompteLib``, ``Debit``, ``Credit``, ``Solde`` (debit − credit).
``ledger.S(prefixes, year, exclude=())``
    Net **debit** balance D(x) of the accounts starting with the prefixes (reference §3 notation;
    a credit balance is negative). ``ledger.C(...)`` is −S; ``ledger.debit_balances(...)`` and
    ``ledger.credit_balances(...)`` are D⁺(x) and C⁺(x), each account classified by the sign of
    its own balance (per ``CompteNum``).

Several financial years are combined with ``read_fec([path_2022, path_2023, path_2024])``, by
reading a folder of FEC files, or with :meth:`Ledger.concat`.

The readers live next to this module: :mod:`.fec` (``read_fec``) and :mod:`.balance`
(``read_balance``); both are importable from :mod:`movsc_toolkit.finance`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from .._errors import ColumnError, DataError, closest, column_error
from .._format import format_euro, format_number, frame_html
from .._problems import ProblemTable
from ._books import empty_problems, map_analytic

__all__ = ["FEC_COLUMNS", "Ledger"]

#: The 18 mandatory fields of a FEC, in order (art. A47 A-1, VII 1° of the LPF).
FEC_COLUMNS = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
]

# --------------------------------------------------------------------------------------------
# Ledger
# --------------------------------------------------------------------------------------------


def _unknown_code(code: str, codes: list[str], year: int) -> ColumnError:
    """The error for an analytic code absent from a year, suggesting the closest codes."""
    suggestions = closest(code, codes)
    if suggestions:
        hint = "vouliez-vous dire " + " ou ".join(f"« {s} »" for s in suggestions) + " ?"
    elif codes:
        hint = "les codes analytiques de l'exercice sont : " + ", ".join(codes) + "."
    else:
        hint = "aucune ligne de l'exercice n'a de code analytique : voir read_fec(…, analytic=…)."
    return ColumnError(
        f"le code analytique « {code} » n'apparaît pas dans l'exercice {year}.", hint=hint
    )


def _as_prefixes(prefixes: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(prefixes, int):
        return (str(prefixes),)
    if isinstance(prefixes, str):
        return tuple(re.split(r"[\s,;]+", prefixes.strip()))
    return tuple(str(p) for p in prefixes)


@dataclass(frozen=True, repr=False, eq=False)
class Ledger:
    """The books of one or several financial years (see the module docstring for the contract).

    Build it with :func:`read_fec` or :func:`read_balance`; combine years with
    :meth:`Ledger.concat`.
    """

    entries: pd.DataFrame
    problems: ProblemTable = field(default_factory=empty_problems)
    sources: tuple[str, ...] = ()
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    # -- building ----------------------------------------------------------------------------

    @classmethod
    def from_entries(cls, data: Ledger | pd.DataFrame) -> Ledger:
        """The ledger of a table of entries (a :class:`Ledger` is returned as it is).

        Lets every finance function accept either a ledger read by :func:`read_fec` or a bare
        DataFrame of entries (for instance one built by hand in an exercise).

        Parameters
        ----------
        data : Ledger or pandas.DataFrame
            A ledger, or entries with at least the FEC columns ``CompteNum``, ``Debit`` and
            ``Credit``, and either ``exercice`` (financial year) or ``EcritureDate`` (the year
            of the date is then the financial year).

        Returns
        -------
        Ledger
            ``data`` itself when it is a ledger; otherwise a ledger over the entries (the
            DataFrame is not copied unless the ``exercice`` column has to be added).

        Raises
        ------
        DataError
            When ``data`` is neither a ledger nor a DataFrame.
        ColumnError
            When a required column is missing.

        Examples
        --------
        >>> import pandas as pd
        >>> from movsc_toolkit.finance import Ledger
        >>> entries = pd.DataFrame(
        ...     {
        ...         "EcritureDate": pd.to_datetime(["2024-03-01", "2024-03-01"]),
        ...         "CompteNum": ["6064", "512"],
        ...         "Debit": [10.0, 0.0],
        ...         "Credit": [0.0, 10.0],
        ...     }
        ... )
        >>> Ledger.from_entries(entries).years
        [2024]
        """
        if isinstance(data, Ledger):
            return data
        if not isinstance(data, pd.DataFrame):
            raise DataError(
                "un grand livre (Ledger, lu par read_fec) ou un tableau d'écritures est attendu.",
                hint="lisez d'abord le FEC : ledger = finance.read_fec('mon_fec.txt').",
            )
        for column in ("CompteNum", "Debit", "Credit"):
            if column not in data.columns:
                raise column_error(column, data.columns)
        if "exercice" not in data.columns:
            if "EcritureDate" not in data.columns:
                raise column_error("exercice", data.columns)
            data = data.assign(exercice=pd.to_datetime(data["EcritureDate"]).dt.year)
        return cls(entries=data)

    # -- basic facts -------------------------------------------------------------------------

    @property
    def years(self) -> list[int]:
        """Financial years present in the books, ascending."""
        if "years" not in self._cache:
            self._cache["years"] = sorted(
                {int(y) for y in self.entries["exercice"].dropna().unique()}
            )
        return list(self._cache["years"])

    @property
    def is_valid(self) -> bool:
        """True when no problem of severity « erreur » was found."""
        return not (self.problems["gravité"] == "erreur").any()

    def resolve_year(self, year: int | None = None) -> int:
        """The financial year to use: ``year`` when it is in the books, the latest by default.

        Parameters
        ----------
        year : int, optional
            A financial year (the year of its closing date). ``None`` means the latest year
            of the books.

        Returns
        -------
        int
            The year, checked to be present.

        Raises
        ------
        DataError
            When the ledger is empty or ``year`` is not one of :attr:`years` (the message lists
            the years present).

        Examples
        --------
        >>> from movsc_toolkit import datasets
        >>> ledger = datasets.load("maison_quartier_analytique")
        >>> ledger.years
        [2025, 2026]
        >>> ledger.resolve_year(None)
        2026
        >>> ledger.resolve_year(2025)
        2025
        """
        years = self.years
        if not years:
            raise DataError("le grand livre est vide : aucune écriture.")
        if year is None:
            return years[-1]
        if int(year) not in years:
            shown = ", ".join(str(y) for y in years)
            raise DataError(
                f"l'exercice {year} n'est pas dans le grand livre (exercices présents : {shown}).",
                hint="chargez le FEC de cet exercice avec read_fec([...]) ou choisissez un "
                "exercice présent.",
            )
        return int(year)

    def _year(self, year: int | None) -> int:
        # Former private name of resolve_year, kept while other modules still call it.
        return self.resolve_year(year)

    def select(
        self, year: int | None = None, analytic: str | None = None
    ) -> tuple[pd.DataFrame, int]:
        """The entries of one financial year, optionally of one analytic code, and that year.

        Parameters
        ----------
        year : int, optional
            The financial year (see :meth:`resolve_year`); the latest by default.
        analytic : str, optional
            Keep only the lines whose ``analytique`` column equals this code (a project, an
            activity). ``None`` keeps every line of the year.

        Returns
        -------
        tuple of (pandas.DataFrame, int)
            The selected rows of :attr:`entries` (all columns, original index, file order) and
            the year used.

        Raises
        ------
        DataError
            When the year is not in the books.
        ColumnError
            When ``analytic`` is not a code of that year (the closest codes are suggested), or
            the entries have no ``analytique`` column.

        Examples
        --------
        >>> from movsc_toolkit import datasets
        >>> ledger = datasets.load("maison_quartier_analytique")
        >>> entries, year = ledger.select()
        >>> year, len(entries)
        (2026, 776)
        >>> entries, year = ledger.select(2025, analytic="fete_quartier")
        >>> year, len(entries), round(float(entries["Debit"].sum()), 2)
        (2025, 44, 24007.45)
        """
        y = self.resolve_year(year)
        entries = self.entries
        mask = entries["exercice"].astype("Int64") == y
        out = entries[mask.fillna(False).to_numpy(dtype=bool)]
        if analytic is not None:
            if "analytique" not in out.columns:
                raise column_error("analytique", out.columns)
            codes = out["analytique"].dropna().astype(str).unique().tolist()
            if str(analytic) not in codes:
                raise _unknown_code(str(analytic), sorted(c for c in codes if c), y)
            out = out[out["analytique"].astype(str) == str(analytic)]
        return out, y

    def previous_year(self, year: int | None = None) -> int | None:
        """The year before ``year`` (the latest by default) when it is loaded, else ``None``."""
        y = self._year(year)
        return y - 1 if y - 1 in self.years else None

    def for_year(self, year: int) -> Ledger:
        """A ledger restricted to one financial year."""
        y = self._year(year)
        mask = self.entries["exercice"] == y
        entries = self.entries.loc[mask].reset_index(drop=True)
        return Ledger(entries=entries, problems=self.problems, sources=self.sources)

    # -- balances ----------------------------------------------------------------------------

    def balance(self, year: int | None = None) -> pd.DataFrame:
        """Trial balance (*balance générale*) of one financial year (the latest by default).

        Returns
        -------
        pandas.DataFrame
            One row per ``CompteNum`` (sorted as text) with ``CompteNum``, ``CompteLib`` (the
            first label found in the books), ``Debit``, ``Credit`` (movements of the year,
            opening entries included) and ``Solde`` = debit − credit.
        """
        y = self._year(year)
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
        y = self._year(year)
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
        """Net debit balance D(x) of the accounts starting with ``prefixes`` (minus ``exclude``).

        ``prefixes`` is one prefix, several separated by spaces (``"60 61 62"``) or a list.
        ``ledger.S("6", 2024)`` is the total of the charges of 2024; ``ledger.S("512")`` the
        bank balance at the end of the latest year; a credit balance is negative.
        """
        return round(float(sum(self._values(prefixes, year, exclude))), 2)

    def C(
        self,
        prefixes: str | Iterable[str],
        year: int | None = None,
        exclude: str | Iterable[str] = (),
    ) -> float:
        """Net credit balance C(x) = −D(x) (income, liabilities)."""
        return 0.0 - self.S(prefixes, year, exclude)

    def debit_balances(
        self,
        prefixes: str | Iterable[str],
        year: int | None = None,
        exclude: str | Iterable[str] = (),
    ) -> float:
        """D⁺(x): sum of the debit balances of the individual accounts starting with ``prefixes``."""
        values = self._values(prefixes, year, exclude)
        return round(float(sum(v for v in values if v > 0)), 2)

    def credit_balances(
        self,
        prefixes: str | Iterable[str],
        year: int | None = None,
        exclude: str | Iterable[str] = (),
    ) -> float:
        """C⁺(x): sum of the credit balances (as positive amounts) of the matching accounts."""
        values = self._values(prefixes, year, exclude)
        return round(float(-sum(v for v in values if v < 0)), 2)

    def totals(self) -> pd.DataFrame:
        """Total debit and credit per financial year, with their difference."""
        e = self.entries
        out = e.groupby("exercice")[["Debit", "Credit"]].sum().round(2)
        out["Écart"] = (out["Debit"] - out["Credit"]).round(2)
        out.index.name = "Exercice"
        return out.rename(columns={"Debit": "Total débit", "Credit": "Total crédit"})

    def by_analytic(self, year: int | None = None) -> pd.DataFrame:
        """Charges and income of a year by analytic code (the result of each activity).

        Returns a table indexed by analytic code (``"(sans code)"`` for lines without one) with
        ``Charges`` (D of class 6), ``Produits`` (C of class 7) and ``Résultat``, plus a
        ``Total`` row (classes 86/87 excluded).
        """
        y = self._year(year)
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

    def with_analytic(self, mapping: Mapping[str, str]) -> Ledger:
        """A copy whose ``analytique`` column is filled from a mapping (see :func:`read_fec`).

        Lines that already carry a code keep it.
        """
        entries = self.entries.copy()
        codes = map_analytic(entries, mapping)
        entries["analytique"] = entries["analytique"].where(entries["analytique"] != "", codes)
        return Ledger(entries=entries, problems=self.problems, sources=self.sources)

    # -- combining ---------------------------------------------------------------------------

    @classmethod
    def concat(cls, ledgers: Sequence[Ledger]) -> Ledger:
        """Combine the ledgers of different financial years into one.

        Raises
        ------
        DataError
            When the same financial year appears in two ledgers.
        """
        ledgers = list(ledgers)
        if not ledgers:
            raise DataError("aucun grand livre à combiner.", hint="donnez au moins un Ledger.")
        seen: dict[int, str] = {}
        for ledger in ledgers:
            for y in ledger.years:
                origin = ", ".join(ledger.sources) or "un des grands livres"
                if y in seen:
                    raise DataError(
                        f"l'exercice {y} apparaît deux fois ({seen[y]} et {origin}).",
                        hint="ne chargez qu'un FEC par exercice.",
                    )
                seen[y] = origin
        entries = pd.concat([lg.entries for lg in ledgers], ignore_index=True)
        problems = ProblemTable(pd.concat([lg.problems for lg in ledgers], ignore_index=True))
        sources = tuple(s for lg in ledgers for s in lg.sources)
        return cls(entries=entries, problems=problems, sources=sources)

    # -- display -----------------------------------------------------------------------------

    def summary(self) -> pd.DataFrame:
        """One row per financial year: lines, entries, total debit and credit, problems."""
        e = self.entries
        g = e.groupby("exercice")
        out = pd.DataFrame(
            {
                "Lignes": g.size(),
                "Écritures": e.drop_duplicates(["exercice", "JournalCode", "EcritureNum"])
                .groupby("exercice")
                .size(),
                "Comptes": g["CompteNum"].nunique(),
                "Total débit": g["Debit"].sum().round(2),
                "Total crédit": g["Credit"].sum().round(2),
                "Premier jour": g["EcritureDate"].min().dt.strftime("%d/%m/%Y"),
                "Dernier jour": g["EcritureDate"].max().dt.strftime("%d/%m/%Y"),
            }
        )
        out.index.name = "Exercice"
        return out

    def __str__(self) -> str:
        years = self.years
        n_err = int((self.problems["gravité"] == "erreur").sum())
        n_alert = int((self.problems["gravité"] == "alerte").sum())
        lines = [
            f"Grand livre : {format_number(len(self.entries), 0)} lignes, "
            f"exercice(s) {', '.join(str(y) for y in years)}."
        ]
        for y, row in self.summary().iterrows():
            lines.append(
                f"  {y} : {format_number(row['Lignes'], 0)} lignes, "
                f"débit {format_euro(row['Total débit'], 2)}, "
                f"crédit {format_euro(row['Total crédit'], 2)}."
            )
        if n_err or n_alert:
            lines.append(
                f"Contrôles : {n_err} erreur(s) et {n_alert} alerte(s) — voir ledger.problems."
            )
        else:
            lines.append("Contrôles : aucune anomalie détectée.")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        caption = str(self).split("\n")[0]
        html = frame_html(self.summary(), decimals=2, caption=caption)
        tail = str(self).split("\n")[-1]
        return f"{html}<p>{tail}</p>"
