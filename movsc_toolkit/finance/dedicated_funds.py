"""Fonds dédiés by project (règlement ANC 2018-06, art. 132-1 to 132-4 and 431-6).

:func:`dedicated_funds` follows the fonds dédiés by project: opening balance of 19, reports of
the year (6894 → 194), uses (194 → 7894), closing balance, dormant funds, and the part of each
project's subsidy left unspent at year end.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._format import format_euro
from .._report import Report, result, titled_html
from ._distinct import codes_of, entry_codes, flag_distinct
from .cerfa import fold_label
from .conventions import Conventions
from .ledger import Ledger

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["DedicatedFunds", "dedicated_funds"]

_NO_CODE = "(sans code)"


@result
class DedicatedFunds(Report):
    """Fonds dédiés by project for a year (ANC 2018-06 art. 431-6 table).

    Attributes
    ----------
    year
        The financial year.
    table
        By project (analytic code; ``(sans code)`` when none): ``Au début``, ``Reports (689)``,
        ``Utilisations (789)``, ``À la fin`` (= début + reports − utilisations),
        ``Dormant`` (no use for the last two years while a balance remains), with a Total.
    unspent
        By project with a dedicated subsidy (from the conventions marked ``Fonds dédiés``
        starting that year, else the subsidies of the projects with fonds dédiés movements):
        ``Subvention dédiée``, ``Ressources du projet`` (its produits, 789 included),
        ``Charges (hors 689)``, ``Report comptabilisé (689)`` and ``Part non utilisée estimée``
        = subvention − charges × subvention / ressources (the subsidy is assumed to finance the
        project's charges in proportion to its share of the resources; the toolkit's own rule to
        compare with the report booked, not an accounting norm).

    Examples
    --------
    >>> from movsc_toolkit import datasets
    >>> funds = dedicated_funds(datasets.load("centre_social_comptes"), 2024)
    >>> print(funds)
    Fonds dédiés 2024 : 4 500 € au début, 5 000 € reportés, 4 500 € utilisés, 5 000 € à la fin de l'exercice.
    >>> funds.unspent[["Subvention dédiée", "Report comptabilisé (689)"]]
               Subvention dédiée  Report comptabilisé (689)
    Projet
    insertion            54000.0                     5000.0
    numerique            21000.0                        0.0

    References
    ----------
    ANC regulation 2018-06, art. 132-1 to 132-4 (fonds dédiés: reports 689 → 19 and uses
    19 → 789 of the unused part of resources given for a purpose) and art. 431-6 (annex table
    of the fonds dédiés: opening, reports, uses, closing, and funds without use for two years).
    Tested in ``tests/finance/test_grants.py`` (``test_dedicated_funds_and_unspent``,
    ``test_dedicated_funds_over_years_and_dormant``, ``test_unspent_part_proportional``).
    """

    year: int
    table: pd.DataFrame
    unspent: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The variation of the fonds dédiés by project (:attr:`table`), exact values.

        Returns
        -------
        pandas.DataFrame
            A copy of :attr:`table`.

        Examples
        --------
        >>> from movsc_toolkit import datasets
        >>> funds = dedicated_funds(datasets.load("centre_social_comptes"), 2024)
        >>> funds.to_frame()[["Au début", "Reports (689)", "Utilisations (789)", "À la fin"]]
                   Au début  Reports (689)  Utilisations (789)  À la fin
        Projet
        insertion       0.0         5000.0                 0.0    5000.0
        numerique    4500.0            0.0              4500.0       0.0
        Total        4500.0         5000.0              4500.0    5000.0
        """
        return self.table.copy()

    def plot(self, *, ax: Axes | None = None) -> Axes:
        """Bars by project: fonds dédiés at the start and at the end of the year.

        Parameters
        ----------
        ax
            Axes to draw on (a new figure by default).

        Returns
        -------
        matplotlib.axes.Axes

        Examples
        --------
        >>> from movsc_toolkit import datasets
        >>> funds = dedicated_funds(datasets.load("centre_social_comptes"), 2024)
        >>> funds.plot().get_title()
        'Fonds dédiés par projet, début et fin 2024'
        """
        from ..plotting import PALETTE, euro_formatter, get_axes

        data = self.table.drop(index="Total", errors="ignore")
        _fig, ax = get_axes(ax, figsize=(8, 0.45 * len(data) + 1.5))
        y = np.arange(len(data))
        ax.barh(y - 0.2, data["Au début"], height=0.4, color="#BBBBBB", label="Au début")
        ax.barh(y + 0.2, data["À la fin"], height=0.4, color=PALETTE[0], label="À la fin")
        ax.set_yticks(y, [str(p) for p in data.index])
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(euro_formatter())
        ax.grid(True, axis="x", alpha=0.3)
        ax.grid(False, axis="y")
        ax.set_title(f"Fonds dédiés par projet, début et fin {self.year}")
        ax.legend(loc="lower right", fontsize=8)
        return ax

    def _lines(self) -> list[str]:
        t = self.table.loc["Total"]
        parts = [
            f"Fonds dédiés {self.year} : {format_euro(t['Au début'])} au début, "
            f"{format_euro(t['Reports (689)'])} reportés, {format_euro(t['Utilisations (789)'])}"
            f" utilisés, {format_euro(t['À la fin'])} à la fin de l'exercice."
        ]
        dormant = self.table[self.table["Dormant"] & (self.table.index != "Total")]
        if len(dormant):
            parts.append(
                "Fonds dédiés « dormants » (aucune utilisation depuis deux ans, à signaler dans "
                "l'annexe) : " + ", ".join(dormant.index) + "."
            )
        return parts

    def _html_tables(self) -> str:
        shown = self.table.copy()
        shown["Dormant"] = shown["Dormant"].map({True: "oui", False: ""})
        return titled_html(
            shown, "Variation des fonds dédiés par projet", decimals=0
        ) + titled_html(self.unspent, "Part non utilisée des subventions", decimals=0)


def dedicated_funds(
    ledger: Ledger | pd.DataFrame, year: int | None = None, conventions: Conventions | None = None
) -> DedicatedFunds:
    """Fonds dédiés by project: opening, reports (689), uses (789), closing; unspent subsidies.

    A line of 19 takes the analytic code of its own line, or else of the 689/789 line of the
    same entry. The balances are followed year by year from the first year of the ledger: the
    opening balance of that first year is the credit balance of 19 in its à-nouveaux (by code
    when they have one); à-nouveaux without a code are attributed to the projects that use
    fonds dédiés during the year without an opening balance of their own, and what remains
    unattributed stays on ``(sans code)``.

    The unspent part is estimated for the dedicated conventions starting that year when
    ``conventions`` are given, else for the projects that have fonds dédiés movements.

    Parameters
    ----------
    ledger
        A ``Ledger`` (from ``read_fec``) or a DataFrame of entries, with the analytic code of
        the projects (``analytique``) on the 19, 689 and 789 lines or on their entries.
    year
        The financial year (the latest by default).
    conventions
        Optional conventions (:func:`read_conventions`): the subsidies marked ``Fonds dédiés``
        starting that year give the dedicated amount of each project.

    Returns
    -------
    DedicatedFunds
        The variation table by project and the unspent part of the dedicated subsidies.

    Examples
    --------
    >>> from movsc_toolkit import datasets
    >>> funds = dedicated_funds(datasets.load("centre_social_comptes"))
    >>> funds.year, float(funds.table.loc["Total", "À la fin"])
    (2024, 5000.0)
    >>> round(float(funds.unspent.loc["insertion", "Part non utilisée estimée"]), 2)
    10277.97

    References
    ----------
    ANC regulation 2018-06, art. 132-1 to 132-4 and 431-6. Tested in
    ``tests/finance/test_grants.py`` (``test_dedicated_funds_and_unspent``,
    ``test_opening_without_code_goes_to_the_project_using_it``).
    """
    book = Ledger.from_entries(ledger)
    year = book.resolve_year(year)
    all_entries = book.entries
    # accounts as codes into their distinct numbers: each prefix is tested once per account
    acc_codes, accounts = codes_of(all_entries["CompteNum"])
    accounts = accounts.astype(str).str.strip()

    def starts(frame: pd.DataFrame, prefixes: str | tuple[str, ...]) -> np.ndarray:
        """Whether the account of each line of ``frame`` starts with one of the prefixes."""
        return accounts.str.startswith(prefixes).to_numpy(dtype=bool)[frame["_acc"].to_numpy()]

    e = pd.DataFrame(
        {
            "exercice": all_entries["exercice"],
            "Debit": all_entries["Debit"],
            "Credit": all_entries["Credit"],
            "_acc": acc_codes,
            "_net": all_entries["Debit"].astype(float) - all_entries["Credit"].astype(float),
        },
        index=all_entries.index,
    )
    code = all_entries.get("analytique", pd.Series("", index=e.index)).fillna("").astype(str)
    key = entry_codes(all_entries, by_year=True, missing_apart=True)  # -1: no entry number
    partner = code.where(starts(e, ("689", "789")) & (code != ""))
    partner_code = partner.groupby(key).transform("first").where(key >= 0)
    code = code.where(code != "", partner_code).fillna("")
    e["_code"] = code.where(code != "", _NO_CODE)
    journal = all_entries.get("JournalCode", pd.Series("", index=e.index)).fillna("").astype(str)
    label = all_entries.get("EcritureLib", pd.Series("", index=e.index)).fillna("").astype(str)
    opening_label = re.compile(r"^(report )?a nouveaux?\b")
    opening_flag = pd.Series(
        flag_distinct(journal, lambda v: fold_label(v) in {"an", "ran", "ano"})
        | flag_distinct(label, lambda v: opening_label.match(fold_label(v)) is not None),
        index=e.index,
    )
    funds = e[starts(e, "19")]
    ledger_years = sorted(int(y) for y in funds["exercice"].unique() if y <= year) or [year]
    closing = pd.Series(dtype=float)
    openings: dict[int, pd.Series] = {}
    used_codes: list[str] = []
    for current in ledger_years:
        this = funds[funds["exercice"] == current]
        is_an = opening_flag[this.index]
        an_total = -float(this.loc[is_an, "_net"].sum())
        if current == ledger_years[0]:
            opening = -this[is_an].groupby("_code")["_net"].sum()
            if not is_an.any():  # no à-nouveaux: balances of the earlier years
                opening = -funds[funds["exercice"] < current].groupby("_code")["_net"].sum()
        else:
            opening = closing.copy()
            if is_an.any() and abs(an_total - opening.sum()) > 0.005:
                opening[_NO_CODE] = opening.get(_NO_CODE, 0.0) + an_total - opening.sum()
        moves = this[~is_an.to_numpy()]
        reports = moves.groupby("_code")["Credit"].sum()
        uses = moves.groupby("_code")["Debit"].sum()
        if current >= year - 1:
            used_codes.extend(uses[uses > 0.004].index)
        # the à-nouveaux of 19 usually carry no analytic code: give that pool to the projects
        # that use fonds dédiés without an opening balance of their own
        for project, used in uses.items():
            pool = opening.get(_NO_CODE, 0.0)
            short = used - opening.get(project, 0.0)
            if project != _NO_CODE and pool > 0.004 and short > 0.004:
                take = min(pool, short)
                opening[project] = opening.get(project, 0.0) + take
                opening[_NO_CODE] = pool - take
        table = pd.DataFrame(
            {"Au début": opening, "Reports (689)": reports, "Utilisations (789)": uses}
        )
        table = table.fillna(0.0).astype(float)
        table["À la fin"] = table["Au début"] + table["Reports (689)"] - table["Utilisations (789)"]
        closing = table["À la fin"]
        openings[current] = table["Au début"]
    table = table[(table.abs() > 0.004).any(axis=1)]
    # dormant: a balance already there at the start of the previous year, and no use since
    before = openings.get(year - 1)
    table["Dormant"] = [
        before is not None
        and row["À la fin"] > 0.004
        and before.get(p, 0.0) > 0.004
        and p not in set(used_codes)
        for p, row in table.iterrows()
    ]
    table = table.sort_index()
    total = table.drop(columns="Dormant").sum()
    table.loc["Total"] = [*total.tolist(), False]
    table["Dormant"] = table["Dormant"].astype(bool)
    table.index.name = "Projet"

    # unspent part of the dedicated subsidies, by project
    y = e[(e["exercice"] == year) & ~opening_flag]
    y = y[y["_code"] != _NO_CODE]
    produits = y[starts(y, "7") & ~starts(y, "789")]
    resources = -produits.groupby("_code")["_net"].sum()
    resources = resources.add(-y[starts(y, "789")].groupby("_code")["_net"].sum(), fill_value=0.0)
    charges = y[starts(y, "6") & ~starts(y, "689")]
    spent = charges.groupby("_code")["_net"].sum()
    booked = y[starts(y, "689")].groupby("_code")["_net"].sum()
    if conventions is not None:
        t = conventions.table
        start = t["Début"].fillna(t["Date de signature"])
        mask = t["Fonds dédiés"] & (start.dt.year == year) & (t["Projet"] != "")
        dedicated = t[mask].groupby("Projet")["Montant accordé"].sum()
    else:
        dedicated = -produits[starts(produits, "74")].groupby("_code")["_net"].sum()
        dedicated = dedicated[dedicated.index.isin(set(table.index))]
    unspent = pd.DataFrame(
        {
            "Subvention dédiée": dedicated,
            "Ressources du projet": resources.reindex(dedicated.index),
            "Charges (hors 689)": spent.reindex(dedicated.index),
            "Report comptabilisé (689)": booked.reindex(dedicated.index),
        }
    ).fillna(0.0)
    # the subsidy finances the project's charges in proportion to its share of the resources
    share = (unspent["Subvention dédiée"] / unspent["Ressources du projet"]).where(
        unspent["Ressources du projet"] > 0, 1.0
    )
    used = (unspent["Charges (hors 689)"] * share.clip(upper=1)).clip(
        upper=unspent["Subvention dédiée"]
    )
    unspent["Part non utilisée estimée"] = (unspent["Subvention dédiée"] - used).clip(lower=0)
    unspent.index.name = "Projet"
    return DedicatedFunds(year=int(year), table=table, unspent=unspent.sort_index())
