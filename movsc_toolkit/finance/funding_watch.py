"""The funding watch (*veille des financements*): funders, calls, deadlines, status.

:func:`read_funding_watch` reads the table of funders and calls a structure keeps (Excel, Calc
or CSV); :meth:`FundingWatch.due` lists what is due in the next weeks from a given day.
"""

from __future__ import annotations

import datetime as dt
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import closest
from .._parse import fold, parse_date
from .._problems import ProblemLog, ProblemTable
from .._report import Report, result, titled_html
from .._tablelike import TableLike

__all__ = ["WATCH_STATUSES", "FundingWatch", "read_funding_watch"]

#: The statuses of a line of the funding watch, in the order of the work.
WATCH_STATUSES: tuple[str, ...] = (
    "à étudier",
    "en préparation",
    "déposé",
    "accordé",
    "refusé",
    "abandonné",
)
_OPEN_STATUSES = ("à étudier", "en préparation")
_WATCH_COLUMNS: dict[str, tuple[str, ...]] = {
    "Financeur": ("financeur", "funder"),
    "Appel": ("appel", "appel a projets", "dispositif", "intitule"),
    "Ouverture": ("ouverture", "date d ouverture"),
    "Date limite": ("date limite", "echeance", "date limite de depot", "limite"),
    "Montant min (€)": ("montant min", "montant minimum", "min"),
    "Montant max (€)": ("montant max", "montant maximum", "plafond", "max"),
    "Taux max (%)": ("taux max", "taux maximum", "taux"),
    "Statut": ("statut", "etat"),
    "Projet": ("projet",),
    "Lien": ("lien", "url", "site"),
    "Notes": ("notes", "remarques", "commentaire", "commentaires"),
}


@result
class FundingWatch(Report, TableLike):
    """A funding watch (*veille*): funders, calls, deadlines, amounts, status.

    Attributes
    ----------
    table
        One row per call: ``Financeur``, ``Appel``, ``Ouverture``, ``Date limite``,
        ``Montant min (€)``, ``Montant max (€)``, ``Taux max (%)``, ``Statut`` (one of
        :data:`WATCH_STATUSES`), ``Projet``, ``Lien``, ``Notes``, then the file's other
        columns as they are; ``ligne`` is the line in the file.
    problems
        The shared problems table (unknown status, missing deadline…).
    source
        The file read (``None`` for a table given directly).

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> veille = finance.read_funding_watch(
    ...     datasets.path("appel_a_projets", "veille_financements.xlsx"))
    >>> len(veille.table), int((veille.table["Statut"] == "à étudier").sum())
    (14, 7)
    """

    table: pd.DataFrame
    problems: ProblemTable
    source: str | None = None

    def to_frame(self) -> pd.DataFrame:
        """The watch, one row per call (a copy of :attr:`table`).

        Returns
        -------
        pandas.DataFrame
            The columns of :attr:`table`, dates as ``Timestamp`` and amounts in euros.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> veille = finance.read_funding_watch(
        ...     datasets.path("appel_a_projets", "veille_financements.xlsx"))
        >>> veille.to_frame().columns[:4].tolist()
        ['ligne', 'Financeur', 'Appel', 'Ouverture']
        """
        return self.table.copy()

    def due(self, weeks: int = 8, as_of: Any = None) -> pd.DataFrame:
        """The open calls (``à étudier``, ``en préparation``) whose deadline falls within
        ``weeks`` weeks from ``as_of`` (included), soonest first, with the days left.

        Parameters
        ----------
        weeks
            The horizon, in weeks (8 by default).
        as_of
            The day the list is made (``"01/10/2026"``); the machine's date by default. Give
            it for a reproducible list.

        Returns
        -------
        pandas.DataFrame
            The rows of :attr:`table` due, with ``Jours restants`` (days left), soonest first.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> veille = finance.read_funding_watch(
        ...     datasets.path("appel_a_projets", "veille_financements.xlsx"))
        >>> due = veille.due(weeks=10, as_of="01/10/2026")
        >>> due["Jours restants"].tolist()
        [30, 36, 43, 50, 60]
        >>> due["Financeur"].iloc[0]
        'CAF des Coteaux'
        """
        day = parse_date(dt.date.today() if as_of is None else as_of, "as_of")
        limit = day + pd.Timedelta(weeks=weeks)
        t = self.table
        mask = (
            t["Statut"].isin(_OPEN_STATUSES)
            & (t["Date limite"] >= day)
            & (t["Date limite"] <= limit)
        )
        out = t[mask].copy()
        out.insert(4, "Jours restants", (out["Date limite"] - day).dt.days.astype(int))
        out = out.sort_values(["Date limite", "Financeur"], kind="stable")
        out.attrs["as_of"] = day
        return out

    def overdue(self, as_of: Any = None) -> pd.DataFrame:
        """Open calls (``à étudier``, ``en préparation``) whose deadline has passed.

        Parameters
        ----------
        as_of
            The day of the list; the machine's date by default.

        Returns
        -------
        pandas.DataFrame
            The rows of :attr:`table` still open whose deadline is before ``as_of``.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> veille = finance.read_funding_watch(
        ...     datasets.path("appel_a_projets", "veille_financements.xlsx"))
        >>> len(veille.overdue(as_of="01/12/2026"))
        5
        """
        day = parse_date(dt.date.today() if as_of is None else as_of, "as_of")
        t = self.table
        return t[t["Statut"].isin(_OPEN_STATUSES) & (t["Date limite"] < day)].copy()

    def _lines(self) -> list[str]:
        counts = self.table["Statut"].value_counts()
        parts = ", ".join(f"{counts[s]} {s}" for s in WATCH_STATUSES if s in counts)
        text = f"Veille des financements : {len(self.table)} appel(s)" + (
            f" ({parts})." if parts else "."
        )
        lines = [text]
        if len(self.problems):
            lines.append(f"{len(self.problems)} problème(s) de lecture : voir .problems.")
        lines.append('Pour la liste des échéances : veille.due(weeks=8, as_of="JJ/MM/AAAA").')
        return lines

    def _html_tables(self) -> str:
        return titled_html(
            self.table.drop(columns=["ligne"]), "Veille des financements", decimals=0
        )


def read_funding_watch(path: str | PathLike[str] | pd.DataFrame) -> FundingWatch:
    """Read a funding watch table (Excel, Calc or CSV; one row per call).

    Columns (French names, accents and case ignored): ``Financeur``, ``Appel`` and
    ``Date limite`` (required), ``Ouverture``, ``Montant min``, ``Montant max``, ``Taux max``
    (in %), ``Statut`` (``à étudier`` by default), ``Projet``, ``Lien``, ``Notes``.
    An unknown status is kept as typed and reported in ``.problems``; a row without a
    deadline is kept (``Date limite`` empty) and reported.

    Parameters
    ----------
    path
        The file (``.xlsx``, ``.ods``, ``.csv``…), or a DataFrame already read.

    Returns
    -------
    FundingWatch
        The watch: ``.table``, ``.problems``, ``.due(weeks, as_of)``, ``.overdue(as_of)``.

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> veille = finance.read_funding_watch(
    ...     datasets.path("appel_a_projets", "veille_financements.xlsx"))
    >>> veille.table.at[0, "Financeur"], float(veille.table.at[0, "Montant max (€)"])
    ('Département des Coteaux', 15000.0)
    >>> len(veille.problems)
    0
    """
    from .._io import read_table
    from ._cells import amount_column, date_column, rename_columns

    source = None
    if isinstance(path, pd.DataFrame):
        data = path.copy()
    else:
        source = Path(path)
        data = read_table(source)
    lines = data.attrs.get("lines") or [i + 2 for i in range(len(data))]
    data = rename_columns(data, _WATCH_COLUMNS)
    for required in ("Financeur", "Appel", "Date limite"):
        if required not in data.columns:
            from .._errors import column_error

            raise column_error(required, list(data.columns), path=source)
    log = ProblemLog()
    out = pd.DataFrame({"ligne": lines}, index=range(len(data)))
    data = data.reset_index(drop=True)
    for column in _WATCH_COLUMNS:
        if column not in data.columns:
            out[column] = (
                np.nan if column in ("Montant min (€)", "Montant max (€)", "Taux max (%)") else ""
            )
            continue
        values = data[column]
        if column in ("Ouverture", "Date limite"):
            out[column] = date_column(values, column, source, lines).to_numpy()
        elif column in ("Montant min (€)", "Montant max (€)"):
            blank = values.isna() | values.astype(str).str.strip().eq("")
            out[column] = (
                amount_column(values, column, source, lines).mask(blank.to_numpy()).to_numpy()
            )
        elif column == "Taux max (%)":
            texts = values.astype(object).map(
                lambda v: v.replace("%", "") if isinstance(v, str) else v
            )
            blank = values.isna() | values.astype(str).str.strip().eq("")
            out[column] = (
                amount_column(texts, column, source, lines).mask(blank.to_numpy()).to_numpy()
            )
        else:
            out[column] = values.map(
                lambda v: "" if v is None or pd.isna(v) else str(v).strip()
            ).to_numpy()
    if "Ouverture" not in data.columns:
        out["Ouverture"] = pd.NaT
    for column in data.columns:  # the user's other columns are kept, as they are
        if column not in _WATCH_COLUMNS and column not in out.columns:
            out[column] = data[column].to_numpy()
    known = {fold(s): s for s in WATCH_STATUSES}
    statuses = []
    for i, value in enumerate(out["Statut"]):
        if not value:
            statuses.append("à étudier")
            continue
        key = fold(value)
        if key in known:
            statuses.append(known[key])
        else:
            near = closest(value, WATCH_STATUSES)
            log.add(
                "alerte",
                f"statut « {value} » inconnu, gardé tel quel (ni compté parmi les appels à "
                "préparer) ; statuts prévus : "
                + ", ".join(WATCH_STATUSES)
                + (f" ; vouliez-vous dire « {near[0]} » ?" if near else "."),
                ligne=int(lines[i]),
                colonne="Statut",
                valeur=value,
            )
            statuses.append(value)
    out["Statut"] = statuses
    for row in np.flatnonzero(out["Date limite"].isna().to_numpy()):
        log.add(
            "alerte",
            "appel sans date limite : il n'apparaîtra pas dans les échéances (due).",
            ligne=int(lines[row]),
            colonne="Date limite",
        )
    return FundingWatch(out, log.frame(sort=False), None if source is None else str(source))
