"""Monthly budget follow-up: budget phased by month against the ledger's actuals.

A budget is phased month by month (a **phasing** table: the share of each month for each project and
line, e.g. the profile of last year's actuals: séjours in July–August, memberships in September,
energy in winter; :func:`phasing_from_ledger` builds one). At the end of month *m*,
:func:`monthly_tracking` compares, from the ledger, the budget phased to date and the actuals, per
month and cumulated, by CERFA line and by project (analytic code). :meth:`MonthlyTracking.forecast`
then estimates the year's end (*atterrissage*, :mod:`movsc_toolkit.finance.forecast`).

The financial year is assumed to be the calendar year (month 1 = January).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._errors import DataError, column_error
from .._format import format_date, format_euro
from .._report import Report, result, titled_html
from ._actuals import actual_monthly
from ._phasing import MONTHS, line_label, line_section, phasing_shares
from .budget import Budget
from .cerfa import CHARGES, ORDER, PRODUITS, UNKNOWN_FUNDER
from .forecast import Forecast, forecast_of

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .ledger import Ledger

__all__ = [
    "MONTHS",
    "MonthlyTracking",
    "monthly_tracking",
    "phasing_from_ledger",
]


def phasing_from_ledger(
    ledger: Ledger, year: int | None = None, *, funders: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """A phasing table from a year's actuals: each month's share (%) per project and line.

    Use it to phase next year's budget on this year's profile (the seasonality-weighted
    forecast method); average two or three years when one was atypical.

    Parameters
    ----------
    ledger
        The ledger (``read_fec``), with analytic codes.
    year
        The year whose profile is taken (the latest by default).
    funders
        Extra rules recognising the funder of a subsidy (see ``actual_by_line``).

    Returns
    -------
    pandas.DataFrame
        ``Projet``, ``Code`` and the twelve months (``janvier`` … ``décembre``): each row's
        shares in %, adding up to 100; the phasing table :func:`monthly_tracking` reads.

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> comptes = datasets.load("maison_quartier_analytique")
    >>> profil = finance.phasing_from_ledger(comptes, 2025)
    >>> profil.columns[:4].tolist()
    ['Projet', 'Code', 'janvier', 'février']
    >>> round(float(profil.iloc[0, 2:].sum()), 6)
    100.0
    """
    actual, year, _ = actual_monthly(ledger, year, None, funders)
    actual["Réalisé"] = actual["Réalisé"].abs()
    wide = actual.pivot_table(
        index=["Projet", "Code"], columns="Mois", values="Réalisé", aggfunc="sum", fill_value=0.0
    ).reindex(columns=range(1, 13), fill_value=0.0)
    wide = wide[wide.sum(axis=1) > 0]
    shares = 100 * wide.div(wide.sum(axis=1), axis=0)
    shares.columns = list(MONTHS)
    return shares.reset_index()


@result
class MonthlyTracking(Report):
    """Budget vs actual month by month (see :func:`monthly_tracking`).

    Attributes
    ----------
    data
        One row per project, CERFA line and month: ``Projet``, ``Code``, ``Section``,
        ``Mois`` (1–12), ``Prévu`` (the phased budget) and ``Réalisé`` (empty after the
        closing month). Charges and income are both positive, as in the budget.
    month
        The last month closed (*m*); ``as_of`` the closing date.
    budget, year
        The budget followed and its financial year.

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> comptes = datasets.load("maison_quartier_analytique")
    >>> budget = finance.read_budget(
    ...     datasets.path("maison_quartier_analytique", "budget_2026.xlsx"))
    >>> phasage = datasets.load("maison_quartier_analytique", "phasage_2026.csv")
    >>> suivi = finance.monthly_tracking(budget, comptes, 2026, phasing=phasage,
    ...                                  as_of="2026-09-30")
    >>> suivi.month, suivi.as_of.date().isoformat()
    (9, '2026-09-30')
    >>> float(suivi.by_project().at["Total", "Résultat réalisé à date"])
    62354.09
    """

    data: pd.DataFrame
    budget: Budget
    year: int
    month: int
    as_of: pd.Timestamp

    # ------------------------------------------------------------- tables
    def _part(self, project: str | None) -> pd.DataFrame:
        if project is None:
            return self.data
        projects = sorted(self.data["Projet"].unique())
        if project not in projects:
            raise column_error(project, projects, what="projet")
        return self.data[self.data["Projet"] == project]

    def by_month(self, project: str | None = None) -> pd.DataFrame:
        """Charges, income and result per month, planned and actual, and their running totals.

        Parameters
        ----------
        project
            One project (analytic code); the whole association by default.

        Returns
        -------
        pandas.DataFrame
            One row per month (``janvier`` … ``décembre``): ``Charges prévues``, ``Charges
            réalisées``, ``Produits prévus``, ``Produits réalisés``, ``Résultat prévu``,
            ``Résultat réalisé`` and their running totals (``… cumulé``). Actual cells after
            the closing month are empty (« — »).

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> budget = finance.read_budget(
        ...     datasets.path("maison_quartier_analytique", "budget_2026.xlsx"))
        >>> phasage = datasets.load("maison_quartier_analytique", "phasage_2026.csv")
        >>> suivi = finance.monthly_tracking(budget, comptes, 2026, phasing=phasage,
        ...                                  as_of="2026-09-30")
        >>> mois = suivi.by_month()
        >>> float(mois.at["septembre", "Résultat réalisé cumulé"])
        62354.09
        >>> int(mois["Charges réalisées"].isna().sum())  # octobre to décembre
        3
        """
        d = self._part(project)
        out = pd.DataFrame(index=pd.RangeIndex(1, 13, name="Mois"))
        for section, name in ((CHARGES, "Charges"), (PRODUITS, "Produits")):
            s = d[d["Section"] == section]
            out[f"{name} prévues"] = s.groupby("Mois")["Prévu"].sum()
            out[f"{name} réalisées"] = s.groupby("Mois")["Réalisé"].sum()
        out = out.fillna(0.0)
        out["Résultat prévu"] = out["Produits prévues"] - out["Charges prévues"]
        out["Résultat réalisé"] = out["Produits réalisées"] - out["Charges réalisées"]
        out["Résultat prévu cumulé"] = out["Résultat prévu"].cumsum()
        out["Résultat réalisé cumulé"] = out["Résultat réalisé"].cumsum()
        out = out.rename(columns={"Produits prévues": "Produits prévus"})
        out = out.rename(columns={"Produits réalisées": "Produits réalisés"})
        after = out.index > self.month
        actual_cols = [c for c in out.columns if "réalisé" in c.casefold()]
        out.loc[after, actual_cols] = np.nan
        out.index = pd.Index(list(MONTHS), name="Mois")
        return out

    def _to_date(self, keys: list[str], project: str | None = None) -> pd.DataFrame:
        d = self._part(project)
        annual = d.groupby(keys, sort=False)["Prévu"].sum().rename("Budget annuel")
        done = d[d["Mois"] <= self.month].groupby(keys, sort=False)
        out = pd.concat(
            [
                annual,
                done["Prévu"].sum().rename("Prévu à date"),
                done["Réalisé"].sum().rename("Réalisé à date"),
            ],
            axis=1,
        ).fillna(0.0)
        out["Écart (€)"] = out["Réalisé à date"] - out["Prévu à date"]
        out["Écart (%)"] = (100 * out["Écart (€)"] / out["Prévu à date"].abs()).where(
            out["Prévu à date"] != 0
        )
        out["Réalisé / budget annuel (%)"] = (
            100 * out["Réalisé à date"] / out["Budget annuel"].abs()
        ).where(out["Budget annuel"] != 0)
        return out

    def by_line(self, project: str | None = None) -> pd.DataFrame:
        """Cumulated to the closing month, by CERFA line (for one project or all).

        Parameters
        ----------
        project
            One project (analytic code); the whole association by default.

        Returns
        -------
        pandas.DataFrame
            One row per CERFA line (``Code``): ``Section``, ``Ligne``, ``Budget annuel``,
            ``Prévu à date``, ``Réalisé à date``, ``Écart (€)``, ``Écart (%)``, ``Réalisé /
            budget annuel (%)``.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> budget = finance.read_budget(
        ...     datasets.path("maison_quartier_analytique", "budget_2026.xlsx"))
        >>> phasage = datasets.load("maison_quartier_analytique", "phasage_2026.csv")
        >>> suivi = finance.monthly_tracking(budget, comptes, 2026, phasing=phasage,
        ...                                  as_of="2026-09-30")
        >>> lignes = suivi.by_line("sejours_ete")
        >>> lignes.loc["604", ["Budget annuel", "Réalisé à date"]].round(2).tolist()
        [24200.0, 30354.66]
        """
        out = self._to_date(["Code"], project)
        out = out.reindex([c for c in [*ORDER, UNKNOWN_FUNDER] if c in out.index])
        out.insert(0, "Ligne", [line_label(c) for c in out.index])
        out.insert(0, "Section", [line_section(c) for c in out.index])
        return out[(out["Budget annuel"] != 0) | (out["Réalisé à date"].abs() >= 0.005)]

    def by_project(self) -> pd.DataFrame:
        """Cumulated to the closing month, by project: charges, income and result.

        Returns
        -------
        pandas.DataFrame
            One row per project and ``Total``: charges and income planned and actual to date,
            their gaps, and the result planned and actual to date.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> budget = finance.read_budget(
        ...     datasets.path("maison_quartier_analytique", "budget_2026.xlsx"))
        >>> phasage = datasets.load("maison_quartier_analytique", "phasage_2026.csv")
        >>> suivi = finance.monthly_tracking(budget, comptes, 2026, phasing=phasage,
        ...                                  as_of="2026-09-30")
        >>> float(suivi.by_project().at["Total", "Écart charges (€)"])
        107.71
        """
        rows = {}
        for project, d in self.data.groupby("Projet", sort=True):
            done = d[d["Mois"] <= self.month]
            ch = done[done["Section"] == CHARGES]
            pr = done[done["Section"] == PRODUITS]
            rows[project or "(sans code)"] = {
                "Charges prévues à date": ch["Prévu"].sum(),
                "Charges réalisées à date": ch["Réalisé"].sum(),
                "Produits prévus à date": pr["Prévu"].sum(),
                "Produits réalisés à date": pr["Réalisé"].sum(),
            }
        out = pd.DataFrame.from_dict(rows, orient="index")
        out.loc["Total"] = out.sum()
        out["Écart charges (€)"] = out["Charges réalisées à date"] - out["Charges prévues à date"]
        out["Écart produits (€)"] = out["Produits réalisés à date"] - out["Produits prévus à date"]
        out["Résultat prévu à date"] = out["Produits prévus à date"] - out["Charges prévues à date"]
        out["Résultat réalisé à date"] = (
            out["Produits réalisés à date"] - out["Charges réalisées à date"]
        )
        out.index.name = "Projet"
        return out

    def to_frame(self) -> pd.DataFrame:
        """The long table (project × line × month), a copy of :attr:`data`.

        Returns
        -------
        pandas.DataFrame
            ``Projet``, ``Code``, ``Section``, ``Mois``, ``Prévu``, ``Réalisé`` (exact values).

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> budget = finance.read_budget(
        ...     datasets.path("maison_quartier_analytique", "budget_2026.xlsx"))
        >>> phasage = datasets.load("maison_quartier_analytique", "phasage_2026.csv")
        >>> suivi = finance.monthly_tracking(budget, comptes, 2026, phasing=phasage,
        ...                                  as_of="2026-09-30")
        >>> suivi.to_frame().columns.tolist()
        ['Projet', 'Code', 'Section', 'Mois', 'Prévu', 'Réalisé']
        """
        return self.data.copy()

    # ------------------------------------------------------------- forecast
    def forecast(
        self,
        method: str = "reste_a_realiser",
        *,
        seasonality: pd.DataFrame | None = None,
        events: Mapping[tuple[str, str], float] | None = None,
        min_gap: float = 0.05,
        min_amount: float = 2000.0,
    ) -> Forecast:
        """Year-end forecast (*atterrissage*) of each project and line.

        Parameters
        ----------
        method
            ``"reste_a_realiser"`` (actual to date + budget of the months to come, by the
            phasing; the default), ``"prorata"`` (actual × 12 / m) or ``"saisonnier"``
            (actual / s_m, s_m = share of months 1..m in the phasing, or in ``seasonality``).
            Subsidy lines (74) always use réalisé + reste à réaliser.
        seasonality
            Another phasing table for the seasonal method (e.g. :func:`phasing_from_ledger` of
            last year, or the average of several years); the budget's phasing by default.
        events
            Known events: ``{(project, line code): forecast amount}`` replaces the forecast of
            that line (a post left vacant, a subsidy notified or refused).
        min_gap, min_amount
            A line drifts when its forecast differs from the budget by at least ``min_gap``
            (5 %) **and** at least ``min_amount`` euros (2 000 €): the toolkit's defaults, not a
            rule; use the thresholds of the association's financial rules.

        Returns
        -------
        Forecast
            The forecast of each project and line (:class:`~movsc_toolkit.finance.Forecast`).

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> budget = finance.read_budget(
        ...     datasets.path("maison_quartier_analytique", "budget_2026.xlsx"))
        >>> phasage = datasets.load("maison_quartier_analytique", "phasage_2026.csv")
        >>> suivi = finance.monthly_tracking(budget, comptes, 2026, phasing=phasage,
        ...                                  as_of="2026-09-30")
        >>> round(suivi.forecast().result_effect, 2)
        2505.99
        >>> round(suivi.forecast("prorata").result_effect, 2)  # extrapolates the summer
        -13116.97

        References
        ----------
        The three methods (prorata temporis, réalisé + reste à réaliser, saisonnier) are
        checked by hand in
        ``tests/finance/test_monitoring.py`` (``test_prorata``, ``test_seasonal``,
        ``test_actual_plus_remaining_budget``, ``test_subsidies_are_never_extrapolated``).
        """
        return forecast_of(
            self,
            method,
            seasonality=seasonality,
            events=events,
            min_gap=min_gap,
            min_amount=min_amount,
        )

    # ------------------------------------------------------------- display
    def _lines(self) -> list[str]:
        t = self.by_project().loc["Total"]
        return [
            f"Suivi budgétaire {self.year} au {format_date(self.as_of)} ({self.month} mois sur "
            "12), budget phasé par mois.",
            f"Charges : {format_euro(t['Charges réalisées à date'])} réalisées pour "
            f"{format_euro(t['Charges prévues à date'])} prévues à date (écart "
            f"{format_euro(t['Écart charges (€)'])}) ; produits : "
            f"{format_euro(t['Produits réalisés à date'])} pour "
            f"{format_euro(t['Produits prévus à date'])} (écart "
            f"{format_euro(t['Écart produits (€)'])}).",
            f"Résultat à date : {format_euro(t['Résultat réalisé à date'])} réalisé, "
            f"{format_euro(t['Résultat prévu à date'])} prévu.",
        ]

    def _html_tables(self) -> str:
        return titled_html(self.by_project(), "Cumul à date par projet (€)", decimals=0)

    def plot(self, project: str | None = None, *, ax: Axes | None = None) -> Axes:
        """Cumulated result month by month: planned (dashed) and actual.

        Parameters
        ----------
        project
            One project (analytic code); the whole association by default.
        ax
            Matplotlib axes to draw on (new ones by default).

        Returns
        -------
        matplotlib.axes.Axes
            The chart, with the two curves.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> budget = finance.read_budget(
        ...     datasets.path("maison_quartier_analytique", "budget_2026.xlsx"))
        >>> phasage = datasets.load("maison_quartier_analytique", "phasage_2026.csv")
        >>> suivi = finance.monthly_tracking(budget, comptes, 2026, phasing=phasage,
        ...                                  as_of="2026-09-30")
        >>> ax = suivi.plot()
        >>> [line.get_label() for line in ax.lines][:2]
        ['Prévu (budget phasé)', 'Réalisé']
        """
        from ..plotting import euro_formatter, get_axes

        table = self.by_month(project)
        _fig, ax = get_axes(ax, figsize=(8, 4))
        x = np.arange(1, 13)
        ax.plot(x, table["Résultat prévu cumulé"], linestyle="--", label="Prévu (budget phasé)")
        ax.plot(x, table["Résultat réalisé cumulé"], marker="o", label="Réalisé")
        ax.set_xticks(x, [m[:4] + "." if len(m) > 4 else m for m in MONTHS], rotation=45)
        ax.axhline(0, color="black", linewidth=0.8)
        ax.yaxis.set_major_formatter(euro_formatter())
        who = f"projet « {project} »" if project else "association"
        ax.set_title(f"Résultat cumulé {self.year} ({who})")
        ax.legend()
        return ax


def monthly_tracking(
    budget: Budget,
    ledger: Ledger,
    year: int | None = None,
    *,
    phasing: pd.DataFrame | None = None,
    as_of: Any = None,
    funders: Mapping[str, str] | None = None,
) -> MonthlyTracking:
    """Monthly budget vs actual from the ledger, per month and cumulated, by line and project.

    Parameters
    ----------
    budget
        The budget of the year, one column per analytic code (project or support centre).
        A budget with a single column that is not an analytic code of the ledger is the
        whole association's: every line of the ledger is compared with it.
    ledger
        A ``Ledger`` (``read_fec``) of the year in progress, with analytic codes.
    year
        Financial year (the latest of the ledger by default).
    phasing
        The monthly phasing of the budget: columns ``Projet`` (analytic code, or ``*``),
        ``Code`` (CERFA line, or ``*``) and the twelve months (``janvier`` … ``décembre``, or
        1 … 12) holding each month's share (in %, or any weights: each row is normalised).
        The most precise row wins (project and line, then project, then line); without a
        row, or without a phasing, the budget is spread evenly (1/12 a month).
    as_of
        Closing date (a month end); by default the end of the month of the last entry.
    funders
        Extra rules recognising the funder of a subsidy (see ``actual_by_line``).

    Returns
    -------
    MonthlyTracking
        ``.by_month()``, ``.by_line()``, ``.by_project()``, ``.forecast(...)``, ``.plot()``.

    Examples
    --------
    The maison de quartier's budget 2026, phased on last year's profile, closed at the end
    of September:

    >>> from movsc_toolkit import datasets, finance
    >>> comptes = datasets.load("maison_quartier_analytique")
    >>> budget = finance.read_budget(
    ...     datasets.path("maison_quartier_analytique", "budget_2026.xlsx"))
    >>> phasage = datasets.load("maison_quartier_analytique", "phasage_2026.csv")
    >>> suivi = finance.monthly_tracking(budget, comptes, 2026, phasing=phasage,
    ...                                  as_of="2026-09-30")
    >>> suivi.by_project().loc["Total", ["Charges prévues à date",
    ...                                  "Charges réalisées à date"]].tolist()
    [320344.8, 320452.51]

    References
    ----------
    Monthly budget follow-up with a phased budget;
    ``tests/finance/test_monitoring.py::test_tracking_to_date`` (a small ledger followed by
    hand) and ``test_dataset_story``.
    """
    if not isinstance(budget, Budget):
        raise DataError(
            "un budget (Budget, lu par read_budget) est attendu en premier argument.",
            hint="lisez le budget avec finance.read_budget('budget.xlsx').",
        )
    actual, year, as_of = actual_monthly(ledger, year, as_of, funders)
    if len(budget.projects) == 1 and budget.projects[0] not in set(actual["Projet"]):
        # a budget of the whole association (one column): every line of the ledger is its own
        actual["Projet"] = budget.projects[0]
        actual = actual.groupby(["Projet", "Code", "Mois"], sort=False)["Réalisé"].sum()
        actual = actual.reset_index()
    amounts = budget.lines.groupby("Code", sort=False)[list(budget.projects)].sum()
    planned = amounts.stack()
    planned = planned[planned != 0]
    pairs = [(str(p), str(c)) for c, p in planned.index]
    shares = phasing_shares(phasing, pairs)
    rows_p = np.repeat([p for p, _ in pairs], 12)
    rows_c = np.repeat([c for _, c in pairs], 12)
    months = np.tile(np.arange(1, 13), len(pairs))
    values = (
        np.concatenate([v * shares[pc] for v, pc in zip(planned.to_numpy(), pairs, strict=True)])
        if pairs
        else np.zeros(0)
    )
    plan = pd.DataFrame({"Projet": rows_p, "Code": rows_c, "Mois": months, "Prévu": values})
    data = plan.merge(actual, on=["Projet", "Code", "Mois"], how="outer")
    data["Prévu"] = data["Prévu"].fillna(0.0)
    data["Réalisé"] = data["Réalisé"].fillna(0.0)
    data.loc[data["Mois"] > as_of.month, "Réalisé"] = np.nan
    sections = {c: line_section(c) for c in data["Code"].unique()}
    data.insert(2, "Section", data["Code"].map(sections))
    data = data.sort_values(["Projet", "Code", "Mois"], kind="stable").reset_index(drop=True)
    return MonthlyTracking(
        data=data, budget=budget, year=int(year), month=int(as_of.month), as_of=as_of
    )
