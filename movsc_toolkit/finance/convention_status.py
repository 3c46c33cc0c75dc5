"""Where the funders' conventions stand at a date: payments received, late, to come; comptes
rendus due.

:func:`conventions_status` says, as of a date, what has been received, what is still to come,
what is late, and which comptes rendus are due or late (a compte rendu financier is due within
six months after the end of the subsidised year: loi n° 2000-321 art. 10, recalled on the form
CERFA n° 12156*06 — used as the default due date). With a ledger, the amounts received are
read from the books (:mod:`movsc_toolkit.finance._receipts`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import DataError
from .._format import format_euro
from .._parse import parse_date
from .._report import Report, result, titled_html
from ._receipts import allocate, ledger_receipts, recorded_by_funder
from .conventions import Conventions
from .ledger import Ledger

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["ConventionStatus", "conventions_status"]


@result
class ConventionStatus(Report):
    """Where the conventions stand at a date.

    Attributes
    ----------
    as_of
        The date of the status.
    table
        One row per convention: ``Financeur``, ``Objet``, ``Montant accordé``,
        ``Échu (€)`` (planned payments due by ``as_of``), ``Reçu (€)``,
        ``Reste à recevoir (€)``, ``En retard (€)``, ``Versements`` (``soldée``,
        ``en retard``, ``à jour``), ``Compte rendu dû le``, ``Compte rendu`` (``déposé``,
        ``en retard``, ``à rendre`` within ``warn_days`` days, ``à venir``).
    payments
        The schedule with ``Reçu (€)``, ``Statut`` (``reçu``, ``reçu en partie``,
        ``en retard``, ``à recevoir``) and ``Retard (jours)``.
    by_funder
        Totals by funder (with, from the ledger, the subsidies recorded in 74 since the
        start of the funder's first convention).
    unmatched
        Subsidy receipts of the ledger not allocated to a convention, with the reason
        (``Motif``): funder not recognised, balance of an agreement older than the table,
        amount beyond the planned payments. Receipts dated before the funder's first convention
        are out of the table's scope and not listed.

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> conventions = finance.read_conventions(
    ...     datasets.path("roue_libre_budget") / "conventions.xlsx"
    ... )
    >>> ledger = datasets.load("cas_dependance_financeur")
    >>> status = conventions_status(conventions, "30/09/2024", ledger)
    >>> status.total_received, status.total_late
    (253000.0, 54000.0)
    >>> status.late_payments[["Convention", "Date prévue", "Montant prévu", "Reçu (€)"]]
      Convention Date prévue  Montant prévu  Reçu (€)
    5  DEPT-2024  2024-04-30       108000.0   54000.0
    """

    as_of: pd.Timestamp
    table: pd.DataFrame
    payments: pd.DataFrame
    by_funder: pd.DataFrame
    unmatched: pd.DataFrame

    @property
    def late_payments(self) -> pd.DataFrame:
        """The planned payments due and not (fully) received: rows of :attr:`payments` whose
        ``Statut`` is « en retard »."""
        return self.payments[self.payments["Statut"] == "en retard"]

    @property
    def reports_due(self) -> pd.DataFrame:
        """Conventions whose compte rendu is late or due within ``warn_days``."""
        return self.table[self.table["Compte rendu"].isin(["en retard", "à rendre"])]

    @property
    def total_received(self) -> float:
        """Total received from the funders at :attr:`as_of`, in euros."""
        return float(self.table["Reçu (€)"].sum())

    @property
    def total_to_receive(self) -> float:
        """Total still to receive (amount granted − received), in euros."""
        return float(self.table["Reste à recevoir (€)"].sum())

    @property
    def total_late(self) -> float:
        """Total of the payments due and not received, in euros."""
        return float(self.table["En retard (€)"].sum())

    def to_frame(self) -> pd.DataFrame:
        """The status by convention (:attr:`table`), exact values.

        Returns
        -------
        pandas.DataFrame
            A copy of :attr:`table`.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> path = datasets.path("roue_libre_budget") / "conventions.xlsx"
        >>> status = conventions_status(finance.read_conventions(path), "2024-09-30")
        >>> status.to_frame()[["Reçu (€)", "Versements", "Compte rendu"]].head(2)
                    Reçu (€) Versements Compte rendu
        Convention
        DEPT-2023   175000.0     soldée       déposé
        DEPT-2024    54000.0  en retard      à venir
        """
        return self.table.copy()

    def _lines(self) -> list[str]:
        day = self.as_of.strftime("%d/%m/%Y")
        parts = [
            f"Suivi des conventions au {day} : {len(self.table)} convention(s), "
            f"{format_euro(self.table['Montant accordé'].sum())} accordés, "
            f"{format_euro(self.total_received)} reçus, "
            f"{format_euro(self.total_to_receive)} restant à recevoir."
        ]
        late = self.late_payments
        if late.empty:
            parts.append("Aucun versement en retard.")
        else:
            parts.append(
                f"{len(late)} versement(s) en retard pour {format_euro(self.total_late)} : "
                + ", ".join(sorted(set(late["Financeur"])))
                + ". Relancez ces financeurs : le retard pèse sur la trésorerie."
            )
        reports = self.table[self.table["Compte rendu"] == "en retard"]
        if not reports.empty:
            parts.append(
                f"{len(reports)} compte(s) rendu(s) financier(s) en retard : "
                + ", ".join(
                    f"{c} ({f})" for c, f in zip(reports.index, reports["Financeur"], strict=True)
                )
                + ". Sans compte rendu, le financeur peut suspendre le solde ou demander le "
                "remboursement."
            )
        soon = self.table[self.table["Compte rendu"] == "à rendre"]
        if not soon.empty:
            parts.append(
                f"{len(soon)} compte(s) rendu(s) à rendre prochainement : "
                + ", ".join(
                    f"{c} ({f}, avant le {d:%d/%m/%Y})"
                    for c, f, d in zip(
                        soon.index, soon["Financeur"], soon["Compte rendu dû le"], strict=True
                    )
                )
                + "."
            )
        unknown = self.unmatched[self.unmatched["Motif"] == "financeur non reconnu"]
        if len(unknown):
            parts.append(
                f"{len(unknown)} encaissement(s) de subvention sans financeur reconnu "
                f"({format_euro(unknown['Montant'].sum())}) : complétez la colonne « Libellé "
                "comptable » ou « Compte » des conventions."
            )
        extra = self.unmatched[self.unmatched["Motif"] == "au-delà des versements prévus"]
        if len(extra):
            parts.append(
                f"{len(extra)} encaissement(s) ({format_euro(extra['Montant'].sum())}) dépassent "
                "les versements prévus par les conventions : voir .unmatched."
            )
        return parts

    def _html_tables(self) -> str:
        shown = self.table.copy()
        shown["Compte rendu dû le"] = shown["Compte rendu dû le"].dt.strftime("%d/%m/%Y")
        return titled_html(shown, "Versements et comptes rendus par convention", decimals=0)

    def plot(self, *, ax: Axes | None = None) -> Axes:
        """Stacked bars by funder: received, late, still to come.

        Parameters
        ----------
        ax
            Axes to draw on (a new figure by default).

        Returns
        -------
        matplotlib.axes.Axes

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> path = datasets.path("roue_libre_budget") / "conventions.xlsx"
        >>> conventions_status(finance.read_conventions(path), "2024-09-30").plot().get_title()
        'Versements des financeurs au 30/09/2024'
        """
        from ..plotting import PALETTE, euro_formatter, get_axes

        data = self.by_funder.drop(index="Total", errors="ignore")
        _fig, ax = get_axes(ax, figsize=(8, 0.45 * len(data) + 1.5))
        y = np.arange(len(data))
        received = data["Reçu (€)"].to_numpy()
        late = data["En retard (€)"].to_numpy()
        later = (data["Reste à recevoir (€)"] - data["En retard (€)"]).clip(lower=0).to_numpy()
        ax.barh(y, received, color=PALETTE[2], label="Reçu")
        ax.barh(y, late, left=received, color=PALETTE[3], label="En retard")
        ax.barh(y, later, left=received + late, color="#BBBBBB", label="À venir")
        ax.set_yticks(y, data.index)
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(euro_formatter())
        ax.grid(True, axis="x", alpha=0.3)
        ax.grid(False, axis="y")
        ax.set_title(f"Versements des financeurs au {self.as_of:%d/%m/%Y}")
        ax.legend(loc="lower right", fontsize=8)
        return ax


def _sheet_received(schedule: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """The amounts received according to the sheet (``Montant reçu``), up to ``day``."""
    out = schedule.copy()
    out["Montant reçu"] = out["Montant reçu"].fillna(0.0)
    known = out["Date reçue"].isna() | (out["Date reçue"] <= day)
    out.loc[~known, "Montant reçu"] = 0.0
    return out


def conventions_status(
    conventions: Conventions,
    as_of: str | date | pd.Timestamp,
    ledger: Ledger | pd.DataFrame | None = None,
    *,
    warn_days: int = 60,
) -> ConventionStatus:
    """Status of the conventions at a date: received, to receive, late; comptes rendus due.

    Parameters
    ----------
    conventions
        From :func:`read_conventions`.
    as_of
        The date of the status (``"2025-09-30"``, ``"30/09/2025"``).
    ledger
        Optional ``Ledger`` (or entries): the amounts received are then taken from the
        accounts (see the matching rule below) instead of the ``Montant reçu`` column, and the
        subsidies recorded in 74 and the receivable balances of 441 are given by funder.
        Matching rule: a subsidy received is an entry debiting a bank or cash account
        (50, 51, 53, 54) and crediting 441x (4417 included) or 74x; it belongs to the funder
        whose ``Compte`` is the credited account (or its prefix, or its auxiliary account),
        else whose ``Libellé comptable``, name or convention identifier appears (as whole
        words) in the labels. Payments planned and received (per the sheet) before the first
        entry of the ledger keep the ``Montant reçu`` of the sheet. A receipt whose label
        names the convention (its identifier, or its starting year and, if needed, its object)
        pays that convention first; the others, from the start of the funder's earliest
        convention (signature or period start), are allocated to its planned payments oldest
        first.
    warn_days
        A compte rendu due within this many days is "à rendre".

    Returns
    -------
    ConventionStatus
        The status by convention, by payment and by funder, and the receipts not matched.

    Raises
    ------
    DataError
        When ``conventions`` is not read by :func:`read_conventions` or ``as_of`` is not a date.

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> path = datasets.path("roue_libre_budget") / "conventions.xlsx"
    >>> conventions = finance.read_conventions(path)
    >>> ledger = datasets.load("cas_dependance_financeur")
    >>> print(conventions_status(conventions, "2024-09-30", ledger))
    Suivi des conventions au 30/09/2024 : 6 convention(s), 569 200 € accordés, 253 000 € reçus, 316 200 € restant à recevoir.
    1 versement(s) en retard pour 54 000 € : Département – direction de l'insertion. Relancez ces financeurs : le retard pèse sur la trésorerie.
    1 compte(s) rendu(s) financier(s) en retard : COMMUNE-2023 (Commune de Vernay). Sans compte rendu, le financeur peut suspendre le solde ou demander le remboursement.
    1 encaissement(s) (35 000 €) dépassent les versements prévus par les conventions : voir .unmatched.

    References
    ----------
    Loi n° 2000-321 of 12 April 2000, art. 10 (compte rendu financier within six months of the
    end of the subsidised year); ANC regulation 2018-06 (accounts 441 « État et autres
    collectivités : subventions à recevoir » and 74). The matching and allocation rules are
    tested in ``tests/finance/test_grants.py`` (``test_status_from_ledger``,
    ``test_receipt_naming_its_year_pays_that_convention``,
    ``test_payments_before_the_books_use_the_sheet``, ``test_status_warns_before_report_due``).
    """
    if not isinstance(conventions, Conventions):
        raise DataError(
            "des conventions (lues par read_conventions) sont attendues.",
            hint="conventions = finance.read_conventions('conventions.xlsx')",
        )
    day = parse_date(as_of, "as_of")
    schedule = conventions.payments.copy()
    recorded = None
    unmatched = pd.DataFrame(columns=["Date", "Financeur", "Montant", "Libellé", "Motif"])
    if ledger is not None:
        entries = Ledger.from_entries(ledger).entries
        receipts = ledger_receipts(entries, conventions, day)
        table = conventions.table
        first = table[["Date de signature", "Début"]].min(axis=1)
        planned = schedule.groupby("Convention")["Date prévue"].min()
        first = first.fillna(table["Convention"].map(planned))
        starts = first.groupby(table["Financeur"]).min().to_dict()
        conv_start = dict(zip(table["Convention"], first, strict=True))
        # payments received (per the sheet) before the first entry of the books keep the
        # sheet's "reçu"; every other payment is looked for in the books
        books_start = pd.to_datetime(entries["EcritureDate"]).min()
        outside = (schedule["Date prévue"] < books_start) & (schedule["Date reçue"] < books_start)
        inside, unmatched = allocate(schedule[~outside], receipts, starts, conv_start)
        schedule = pd.concat([_sheet_received(schedule[outside], day), inside]).sort_index()
        recorded = recorded_by_funder(entries, conventions, day, starts)
    else:
        schedule = _sheet_received(schedule, day)
    received = schedule["Montant reçu"].fillna(0.0)
    due = schedule["Date prévue"] <= day
    full = received >= schedule["Montant prévu"] - 0.005
    status = np.select(
        [full, due, received > 0.004],
        ["reçu", "en retard", "reçu en partie"],
        default="à recevoir",
    )
    schedule["Reçu (€)"] = received
    schedule["Statut"] = status
    schedule["Retard (jours)"] = np.where(
        status == "en retard", (day - schedule["Date prévue"]).dt.days, 0
    ).astype(int)
    schedule = schedule.drop(columns=["Montant reçu"])
    missing = (schedule["Montant prévu"] - schedule["Reçu (€)"]).clip(lower=0)
    late_amount = missing.where(schedule["Statut"] == "en retard", 0.0)

    table = conventions.table.set_index("Convention")
    grouped = schedule.assign(_due=schedule["Montant prévu"].where(due, 0.0), _late=late_amount)
    grouped = grouped.groupby("Convention", sort=False)
    out = pd.DataFrame(
        {
            "Financeur": table["Financeur"],
            "Catégorie": table["Catégorie"],
            "Objet": table["Objet"],
            "Montant accordé": table["Montant accordé"],
            "Échu (€)": grouped["_due"].sum(),
            "Reçu (€)": grouped["Reçu (€)"].sum(),
        }
    )
    out[["Échu (€)", "Reçu (€)"]] = out[["Échu (€)", "Reçu (€)"]].fillna(0.0)
    out["Reste à recevoir (€)"] = (out["Montant accordé"] - out["Reçu (€)"]).clip(lower=0)
    out["En retard (€)"] = grouped["_late"].sum().reindex(out.index).fillna(0.0)
    out["Versements"] = np.select(
        [out["Reste à recevoir (€)"] < 0.005, out["En retard (€)"] > 0.004],
        ["soldée", "en retard"],
        default="à jour",
    )
    out["Compte rendu dû le"] = table["Compte rendu dû le"]
    out = out.reindex(table.index)
    deposited = table["Compte rendu déposé le"]
    deposited = deposited.where(deposited <= day)
    days_left = (out["Compte rendu dû le"] - day).dt.days
    out["Compte rendu"] = np.select(
        [
            deposited.notna().to_numpy(),
            out["Compte rendu dû le"].isna().to_numpy(),
            (days_left < 0).to_numpy(),
            (days_left <= warn_days).to_numpy(),
        ],
        ["déposé", "non demandé", "en retard", "à rendre"],
        default="à venir",
    )
    out.index.name = "Convention"

    by_funder = out.groupby("Financeur", sort=False)[
        ["Montant accordé", "Échu (€)", "Reçu (€)", "Reste à recevoir (€)", "En retard (€)"]
    ].sum()
    if recorded is not None:
        by_funder = by_funder.join(recorded).fillna(0.0)
    by_funder.loc["Total"] = by_funder.sum()
    return ConventionStatus(
        as_of=day, table=out, payments=schedule, by_funder=by_funder, unmatched=unmatched
    )
