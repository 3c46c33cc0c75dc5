"""The books of an association: :class:`Ledger`, the one type for accounting data.

A FEC (*fichier des écritures comptables*, art. A47 A-1 of the Livre des procédures fiscales)
is the export every French accounting software produces; :func:`~.fec.read_fec` reads it
without dropping any line, :func:`~.balance.read_balance` reads a trial balance, and both give
a :class:`Ledger`: its ``entries`` (one row per line, the FEC's 18 fields under their names,
then ``ligne``, ``fichier``, ``exercice``, ``analytique``), its ``problems`` (the shared
problems table) and its ``sources``. Statements, indicators, budgets, costs and grants read it
through :meth:`Ledger.select` (the entries of a year and an analytic code),
:meth:`Ledger.resolve_year` and the balances (:meth:`~Ledger.balance`, :meth:`~Ledger.S`,
:meth:`~Ledger.C`…, in :mod:`._ledger_balances`). Several financial years are combined with
``read_fec([path_2023, path_2024])``, a folder of FEC files, or :meth:`Ledger.concat`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field

import pandas as pd

from .._errors import ColumnError, DataError, closest, column_error
from .._format import format_euro, format_number
from .._problems import ProblemTable
from .._report import Report, result, titled_html
from ._books import empty_problems, map_analytic
from ._ledger_balances import LedgerBalances

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


@result
class Ledger(LedgerBalances, Report):
    """The books of one or several financial years: every line of the FEC and its problems.

    Build it with :func:`read_fec` (FEC files) or :func:`read_balance` (a trial balance), or
    from a table of entries with :meth:`from_entries`; combine years with :meth:`concat`.
    Statements, indicators, budgets and grants all read it.

    Parameters
    ----------
    entries : pandas.DataFrame
        One row per line of the file(s), in file order: the 18 FEC fields under their names
        (:data:`FEC_COLUMNS`; ``EcritureDate``, ``PieceDate``, ``ValidDate`` and ``DateLet`` as
        ``datetime64``, ``CompteNum`` as text, ``Debit`` and ``Credit`` as floats, 0 when
        empty, the other fields as text, ``""`` when empty), then ``ligne`` (line in the file,
        header = 1), ``fichier``, ``exercice`` (the financial year, the year of its closing
        date) and ``analytique`` (analytic code, ``""`` when none); extra columns of the file
        follow.
    problems : ProblemTable
        What the reader found: ``fichier``, ``ligne``, ``colonne``, ``valeur``, ``gravité``
        (``"erreur"`` or ``"alerte"``) and ``message``, sorted by file and line.
    sources : tuple of str
        The files read.

    Examples
    --------
    >>> from movsc_toolkit import datasets
    >>> ledger = datasets.load("cas_dependance_financeur")
    >>> print(ledger)
    Grand livre : 544 lignes, exercice(s) 2023, 2024.
      2023 : 271 lignes, débit 1 039 889,20 €, crédit 1 039 889,20 €.
      2024 : 273 lignes, débit 904 480,02 €, crédit 904 480,02 €.
    Contrôles : aucune anomalie détectée.
    >>> ledger.S("6", 2024)  # the charges of 2024 (net debit balance of class 6)
    246065.22
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
        mask = (entries["exercice"].astype("Int64") == y).fillna(False).to_numpy(dtype=bool)
        # a FEC holds one year: all its lines then, without copying them (a take of every
        # column, text included); a new frame all the same, so that a change to it stays there
        out = entries.copy(deep=False) if mask.all() else entries[mask]
        if analytic is not None:
            if "analytique" not in out.columns:
                raise column_error("analytique", out.columns)
            codes = out["analytique"].dropna().astype(str).unique().tolist()
            if str(analytic) not in codes:
                raise _unknown_code(str(analytic), sorted(c for c in codes if c), y)
            out = out[out["analytique"].astype(str) == str(analytic)]
        return out, y

    def previous_year(self, year: int | None = None) -> int | None:
        """The year before ``year`` when it is in the books, else ``None``.

        Parameters
        ----------
        year : int, optional
            A financial year of the books; the latest by default.

        Returns
        -------
        int or None
            ``year - 1``, or ``None`` when that year was not loaded (no comparison column).

        Examples
        --------
        >>> from movsc_toolkit import datasets
        >>> ledger = datasets.load("cas_dependance_financeur")
        >>> ledger.previous_year(2024), ledger.previous_year(2023)
        (2023, None)
        """
        y = self.resolve_year(year)
        return y - 1 if y - 1 in self.years else None

    def for_year(self, year: int) -> Ledger:
        """A ledger restricted to one financial year (its problems are kept whole).

        Parameters
        ----------
        year : int
            A financial year of the books.

        Returns
        -------
        Ledger
            The lines of that year, renumbered from 0.

        Examples
        --------
        >>> from movsc_toolkit import datasets
        >>> ledger = datasets.load("cas_dependance_financeur")
        >>> ledger.for_year(2023).years, len(ledger.for_year(2023).entries)
        ([2023], 271)
        """
        y = self.resolve_year(year)
        mask = self.entries["exercice"] == y
        entries = self.entries.loc[mask].reset_index(drop=True)
        return Ledger(entries=entries, problems=self.problems, sources=self.sources)

    def with_analytic(self, mapping: Mapping[str, str]) -> Ledger:
        """A copy whose ``analytique`` column is filled from a mapping (lines with a code keep it).

        Parameters
        ----------
        mapping : dict
            ``{prefix or label fragment: code}``: keys made of digits match account prefixes
            (the longest wins), other keys match inside ``EcritureLib`` (case-insensitive).

        Returns
        -------
        Ledger

        Examples
        --------
        >>> from movsc_toolkit import datasets
        >>> ledger = datasets.load("cas_dependance_financeur")
        >>> coded = ledger.with_analytic({"64": "personnel", "606": "achats"})
        >>> coded.by_analytic(2024)["Charges"].tolist()
        [47293.22, 3720.0, 195052.0, 246065.22]
        """
        entries = self.entries.copy()
        codes = map_analytic(entries, mapping)
        entries["analytique"] = entries["analytique"].where(entries["analytique"] != "", codes)
        return Ledger(entries=entries, problems=self.problems, sources=self.sources)

    # -- combining ---------------------------------------------------------------------------

    @classmethod
    def concat(cls, ledgers: Sequence[Ledger]) -> Ledger:
        """Combine the ledgers of different financial years into one.

        Parameters
        ----------
        ledgers : list of Ledger
            One ledger per financial year (or several years each, never the same twice).

        Returns
        -------
        Ledger
            The entries, problems and sources one after the other.

        Raises
        ------
        DataError
            When the same financial year appears in two ledgers.

        Examples
        --------
        >>> from movsc_toolkit import datasets
        >>> from movsc_toolkit.finance import Ledger, read_fec
        >>> folder = datasets.path("cas_dependance_financeur")
        >>> parts = [read_fec(folder / f"999000002FEC{y}1231.txt") for y in (2023, 2024)]
        >>> Ledger.concat(parts).years
        [2023, 2024]
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
        """One row per financial year: lines, entries, accounts, totals, first and last day.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``Exercice``: ``Lignes``, ``Écritures``, ``Comptes``, ``Total débit``,
            ``Total crédit``, ``Premier jour``, ``Dernier jour``.

        Examples
        --------
        >>> from movsc_toolkit import datasets
        >>> summary = datasets.load("cas_dependance_financeur").summary()
        >>> summary[["Lignes", "Écritures", "Comptes"]].to_dict("index")
        {2023: {'Lignes': 271, 'Écritures': 119, 'Comptes': 25}, 2024: {'Lignes': 273, 'Écritures': 120, 'Comptes': 28}}
        """
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

    def to_frame(self) -> pd.DataFrame:
        """The entries (a copy, exact amounts): the ledger's main table.

        Returns
        -------
        pandas.DataFrame
            :attr:`entries`; :meth:`balance` gives the trial balance of a year.

        Examples
        --------
        >>> from movsc_toolkit import datasets
        >>> entries = datasets.load("cas_dependance_financeur").to_frame()
        >>> len(entries), round(float(entries["Debit"].sum()), 2)
        (544, 1944369.22)
        """
        return self.entries.copy()

    def _lines(self) -> list[str]:
        n_err = int((self.problems["gravité"] == "erreur").sum())
        n_alert = int((self.problems["gravité"] == "alerte").sum())
        lines = [
            f"Grand livre : {format_number(len(self.entries), 0)} lignes, "
            f"exercice(s) {', '.join(str(y) for y in self.years)}."
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
        return lines

    def _html_tables(self) -> str:
        return titled_html(self.summary(), "Exercices du grand livre", decimals=2)
