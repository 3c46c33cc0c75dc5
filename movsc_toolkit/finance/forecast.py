"""Year-end forecast (*atterrissage*) of a monthly follow-up, and the budget rectificatif.

At the end of month *m*, :meth:`MonthlyTracking.forecast
<movsc_toolkit.finance.MonthlyTracking.forecast>` estimates the year's end line by line: **réalisé +
reste à réaliser** (actual to date + the budget of the months still to come, by the phasing; the
default), **prorata temporis** (actual × 12 / m: right for flat lines only, it extrapolates a summer
peak) or **saisonnier** (actual / cumulative share of months 1..m). Subsidies (74) are never
extrapolated: they are booked on notification (règlement ANC 2018-06, art. 142-8), so they are
always forecast as réalisé + reste à réaliser (change them with ``events`` when a decision is
known). The lines drifting beyond a threshold (both ≥ 5 % **and** ≥ 2 000 € by default,
configurable) are flagged, and :meth:`Forecast.revised_budget` gives the *budget rectificatif* to
put to the board, as a new :class:`~movsc_toolkit.finance.Budget`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import DataError
from .._format import format_date, format_euro, format_percent
from .._report import Report, result, titled_html
from ._phasing import line_label, line_section, phasing_shares
from .budget import Budget
from .budget_io import make_budget
from .cerfa import CHARGES, ORDER, PRODUITS, UNKNOWN_FUNDER, line_name

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .monitoring import MonthlyTracking

__all__ = ["Forecast"]

METHODS = ("reste_a_realiser", "prorata", "saisonnier")
_METHOD_LABELS = {
    "reste_a_realiser": "réalisé + reste à réaliser selon le phasage",
    "prorata": "prorata temporis (réalisé × 12 / mois écoulés)",
    "saisonnier": "saisonnier (réalisé / part cumulée des mois écoulés)",
}


def forecast_of(
    tracking: MonthlyTracking,
    method: str = "reste_a_realiser",
    *,
    seasonality: pd.DataFrame | None = None,
    events: Mapping[tuple[str, str], float] | None = None,
    min_gap: float = 0.05,
    min_amount: float = 2000.0,
) -> Forecast:
    """The forecast of a follow-up (see :meth:`MonthlyTracking.forecast`)."""
    if method not in METHODS:
        raise DataError(
            f"méthode d'atterrissage « {method} » inconnue.",
            hint="choisissez « reste_a_realiser », « prorata » ou « saisonnier ».",
        )
    m = tracking.month
    d = tracking.data
    keys = ["Projet", "Code"]
    annual = d.groupby(keys, sort=False)["Prévu"].sum()
    done = d[d["Mois"] <= m].groupby(keys, sort=False)
    planned = done["Prévu"].sum().reindex(annual.index, fill_value=0.0)
    actual = done["Réalisé"].sum().reindex(annual.index, fill_value=0.0)
    rest = annual - planned
    remaining = actual + rest
    if method == "prorata":
        guess = actual * 12 / m
    elif method == "saisonnier":
        if seasonality is not None:
            shares = phasing_shares(seasonality, list(annual.index))
            s_m = pd.Series([float(shares[k][:m].sum()) for k in annual.index], index=annual.index)
        else:
            s_m = (planned / annual.abs()).where(annual != 0)
        guess = (actual / s_m).where(s_m > 0, remaining)
    else:
        guess = remaining
    is_subsidy = pd.Series(
        [c.startswith("74") for _, c in annual.index], index=annual.index, dtype=bool
    )
    value = guess.where(~is_subsidy, remaining).astype(float)
    event_used = pd.Series(False, index=annual.index)
    for (project, code), amount in (events or {}).items():
        key = (str(project), str(code))
        if key not in value.index:
            value.loc[key] = float(amount)
            for s in (annual, planned, actual):
                s.loc[key] = 0.0
        else:
            value.loc[key] = float(amount)
        event_used.loc[key] = True
    table = pd.DataFrame(
        {
            "Budget": annual,
            "Prévu à date": planned,
            "Réalisé à date": actual,
            "Atterrissage": value,
        }
    ).fillna(0.0)
    table["Événement"] = event_used.reindex(table.index, fill_value=False)
    table = table.reset_index()
    table.insert(2, "Section", [line_section(c) for c in table["Code"]])
    table.insert(3, "Ligne", [line_label(c) for c in table["Code"]])
    table["Écart (€)"] = table["Atterrissage"] - table["Budget"]
    table["Écart (%)"] = (100 * table["Écart (€)"] / table["Budget"].abs()).where(
        table["Budget"] != 0
    )
    table = table[(table["Budget"] != 0) | (table["Atterrissage"].abs() >= 0.005)]
    order = {c: i for i, c in enumerate([*ORDER, UNKNOWN_FUNDER])}
    table = table.sort_values(
        ["Projet", "Code"], key=lambda s: s.map(order) if s.name == "Code" else s
    ).reset_index(drop=True)
    return Forecast(
        table=table,
        tracking=tracking,
        method=method,
        min_gap=float(min_gap),
        min_amount=float(min_amount),
    )


@result
class Forecast(Report):
    """The year-end forecast (*atterrissage*) of each project and line.

    Attributes
    ----------
    table
        One row per project and CERFA line: ``Projet``, ``Code``, ``Section``, ``Ligne``,
        ``Budget``, ``Prévu à date``, ``Réalisé à date``, ``Atterrissage``, ``Événement``,
        ``Écart (€)`` (atterrissage − budget), ``Écart (%)``.
    method, min_gap, min_amount
        The forecasting method and the drift rule.
    tracking
        The monthly follow-up the forecast comes from.

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> comptes = datasets.load("maison_quartier_analytique")
    >>> budget = finance.read_budget(
    ...     datasets.path("maison_quartier_analytique", "budget_2026.xlsx"))
    >>> phasage = datasets.load("maison_quartier_analytique", "phasage_2026.csv")
    >>> suivi = finance.monthly_tracking(budget, comptes, 2026, phasing=phasage,
    ...                                  as_of="2026-09-30")
    >>> atterrissage = suivi.forecast()
    >>> atterrissage.method, len(atterrissage.drifts)
    ('reste_a_realiser', 5)

    References
    ----------
    The three methods (réalisé + reste à réaliser, prorata temporis, saisonnier);
    ``tests/finance/test_monitoring.py`` checks each method by hand.
    """

    table: pd.DataFrame
    tracking: MonthlyTracking
    method: str
    min_gap: float
    min_amount: float

    def _flag(self, frame: pd.DataFrame) -> pd.Series:
        gap = frame["Écart (€)"].abs()
        relative = (gap >= self.min_gap * frame["Budget"].abs() - 1e-9) | (frame["Budget"] == 0)
        return (gap >= self.min_amount - 1e-9) & relative

    def by_line(self) -> pd.DataFrame:
        """The association's forecast by CERFA line, with the drifting lines flagged.

        Returns
        -------
        pandas.DataFrame
            One row per CERFA line: ``Section``, ``Ligne``, ``Budget``, ``Prévu à date``,
            ``Réalisé à date``, ``Atterrissage``, ``Écart (€)``, ``Écart (%)`` and ``À
            surveiller`` (both thresholds passed).

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> budget = finance.read_budget(
        ...     datasets.path("maison_quartier_analytique", "budget_2026.xlsx"))
        >>> phasage = datasets.load("maison_quartier_analytique", "phasage_2026.csv")
        >>> suivi = finance.monthly_tracking(budget, comptes, 2026, phasing=phasage,
        ...                                  as_of="2026-09-30")
        >>> atterrissage = suivi.forecast()
        >>> lignes = atterrissage.by_line()
        >>> lignes.loc["604", ["Budget", "Atterrissage"]].round(2).tolist()
        [38300.0, 44508.8]
        >>> int(lignes["À surveiller"].sum())
        4
        """
        t = self.table
        out = t.groupby("Code", sort=False)[
            ["Budget", "Prévu à date", "Réalisé à date", "Atterrissage"]
        ].sum()
        out = out.reindex([c for c in [*ORDER, UNKNOWN_FUNDER] if c in out.index])
        out.insert(0, "Ligne", [line_label(c) for c in out.index])
        out.insert(0, "Section", [line_section(c) for c in out.index])
        out["Écart (€)"] = out["Atterrissage"] - out["Budget"]
        out["Écart (%)"] = (100 * out["Écart (€)"] / out["Budget"].abs()).where(out["Budget"] != 0)
        out["À surveiller"] = self._flag(out)
        return out

    def by_project(self) -> pd.DataFrame:
        """Budgeted and forecast result of each project (income − charges).

        Returns
        -------
        pandas.DataFrame
            One row per project and ``Total``: ``Résultat budgété``, ``Résultat
            atterrissage`` and ``Écart (€)``.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> budget = finance.read_budget(
        ...     datasets.path("maison_quartier_analytique", "budget_2026.xlsx"))
        >>> phasage = datasets.load("maison_quartier_analytique", "phasage_2026.csv")
        >>> suivi = finance.monthly_tracking(budget, comptes, 2026, phasing=phasage,
        ...                                  as_of="2026-09-30")
        >>> atterrissage = suivi.forecast()
        >>> round(float(atterrissage.by_project().at["Total", "Résultat atterrissage"]), 2)
        2505.99
        """
        t = self.table
        sign = np.where(t["Section"] == PRODUITS, 1.0, np.where(t["Section"] == CHARGES, -1.0, 0))
        signed = t[["Budget", "Atterrissage"]].mul(sign, axis=0)
        out = signed.groupby(t["Projet"].replace("", "(sans code)")).sum()
        out.columns = ["Résultat budgété", "Résultat atterrissage"]
        out.loc["Total"] = out.sum()
        out["Écart (€)"] = out["Résultat atterrissage"] - out["Résultat budgété"]
        out.index.name = "Projet"
        return out

    @property
    def drifts(self) -> pd.DataFrame:
        """The project lines whose forecast drifts beyond the threshold (both rules met).

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> budget = finance.read_budget(
        ...     datasets.path("maison_quartier_analytique", "budget_2026.xlsx"))
        >>> phasage = datasets.load("maison_quartier_analytique", "phasage_2026.csv")
        >>> suivi = finance.monthly_tracking(budget, comptes, 2026, phasing=phasage,
        ...                                  as_of="2026-09-30")
        >>> atterrissage = suivi.forecast()
        >>> atterrissage.drifts["Code"].tolist()
        ['641', '645', '74 Département', '604', '70']
        """
        t = self.table
        return t[self._flag(t).to_numpy()].reset_index(drop=True)

    @property
    def result_effect(self) -> float:
        """Forecast result − budgeted result (income gaps − charge gaps), in euros.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> budget = finance.read_budget(
        ...     datasets.path("maison_quartier_analytique", "budget_2026.xlsx"))
        >>> phasage = datasets.load("maison_quartier_analytique", "phasage_2026.csv")
        >>> suivi = finance.monthly_tracking(budget, comptes, 2026, phasing=phasage,
        ...                                  as_of="2026-09-30")
        >>> atterrissage = suivi.forecast()
        >>> round(atterrissage.result_effect, 2)
        2505.99
        """
        return float(self.by_project().at["Total", "Écart (€)"])

    def to_frame(self) -> pd.DataFrame:
        """The forecast of each project and line (a copy of :attr:`table`, exact values).

        Returns
        -------
        pandas.DataFrame
            The columns of :attr:`table`.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> budget = finance.read_budget(
        ...     datasets.path("maison_quartier_analytique", "budget_2026.xlsx"))
        >>> phasage = datasets.load("maison_quartier_analytique", "phasage_2026.csv")
        >>> suivi = finance.monthly_tracking(budget, comptes, 2026, phasing=phasage,
        ...                                  as_of="2026-09-30")
        >>> atterrissage = suivi.forecast()
        >>> atterrissage.to_frame().columns[:4].tolist()
        ['Projet', 'Code', 'Section', 'Ligne']
        """
        return self.table.copy()

    def revised_budget(self, adjustments: Mapping[tuple[str, str], float] | None = None) -> Budget:
        """The *budget rectificatif*: the forecast as a new :class:`Budget` (same projects).

        ``adjustments`` ``{(project, line code): amount}`` overrides lines (the board's
        decisions: a cut, a new funder). The revised budget may be unbalanced: its
        ``problems`` then say by how much, which is what the board must decide about.

        Parameters
        ----------
        adjustments
            ``{(project, line code): amount}``: the lines the board decides otherwise.

        Returns
        -------
        Budget
            The revised budget, one column per project, amounts rounded to the cent.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> budget = finance.read_budget(
        ...     datasets.path("maison_quartier_analytique", "budget_2026.xlsx"))
        >>> phasage = datasets.load("maison_quartier_analytique", "phasage_2026.csv")
        >>> suivi = finance.monthly_tracking(budget, comptes, 2026, phasing=phasage,
        ...                                  as_of="2026-09-30")
        >>> atterrissage = suivi.forecast()
        >>> rectificatif = atterrissage.revised_budget({("sejours_ete", "604"): 20000})
        >>> round(rectificatif.total_charges, 2), round(rectificatif.total_produits, 2)
        (395953.05, 408813.7)
        """
        t = self.table
        wide = t.pivot_table(
            index="Code", columns="Projet", values="Atterrissage", aggfunc="sum", fill_value=0.0
        )
        for (project, code), amount in (adjustments or {}).items():
            wide.loc[str(code), str(project)] = float(amount)
        wide = wide.fillna(0.0)
        projects = [p for p in self.tracking.budget.projects if p in wide.columns]
        projects += [p for p in wide.columns if p not in projects]
        wide = wide.reindex(columns=projects).round(2)
        frame = wide.reset_index()
        frame = frame[frame["Code"] != UNKNOWN_FUNDER]
        budget = self.tracking.budget
        return make_budget(frame, projects=projects, name=budget.name, year=budget.year)

    def _lines(self) -> list[str]:
        tr = self.tracking
        lines_tab = self.by_line()
        ch = lines_tab[lines_tab["Section"] == CHARGES]
        pr = lines_tab[lines_tab["Section"] == PRODUITS]
        lines = [
            f"Atterrissage {tr.year} au {format_date(tr.as_of)} — méthode : "
            f"{_METHOD_LABELS[self.method]}.",
            f"Charges : {format_euro(ch['Atterrissage'].sum())} attendues pour "
            f"{format_euro(ch['Budget'].sum())} au budget ; produits : "
            f"{format_euro(pr['Atterrissage'].sum())} pour {format_euro(pr['Budget'].sum())}.",
            f"Effet sur le résultat : {format_euro(self.result_effect)} (résultat attendu "
            f"{format_euro(self.by_project().at['Total', 'Résultat atterrissage'])}).",
        ]
        flagged = lines_tab[lines_tab["À surveiller"]]
        rule = (
            f"écart d'au moins {format_percent(100 * self.min_gap, 0)} et d'au moins "
            f"{format_euro(self.min_amount)}"
        )
        if flagged.empty:
            lines.append(f"Aucune ligne ne dérive ({rule}).")
        else:
            lines.append(f"{len(flagged)} ligne(s) à surveiller ({rule}) :")
            for code, row in flagged.iterrows():
                pct = row["Écart (%)"]
                pct_text = "non prévu" if pd.isna(pct) else format_percent(pct)
                lines.append(
                    f"  – {line_name(code, row['Ligne'])} : {format_euro(row['Écart (€)'])} ({pct_text})"
                )
        return lines

    def plot(self, *, ax: Axes | None = None) -> Axes:
        """Horizontal bars of the forecast gaps by line (€), the drifting lines in red.

        Parameters
        ----------
        ax
            Matplotlib axes to draw on (new ones by default).

        Returns
        -------
        matplotlib.axes.Axes
            The chart, one bar per line whose gap is at least 0,50 €.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> budget = finance.read_budget(
        ...     datasets.path("maison_quartier_analytique", "budget_2026.xlsx"))
        >>> phasage = datasets.load("maison_quartier_analytique", "phasage_2026.csv")
        >>> suivi = finance.monthly_tracking(budget, comptes, 2026, phasing=phasage,
        ...                                  as_of="2026-09-30")
        >>> atterrissage = suivi.forecast()
        >>> len(atterrissage.plot().patches)
        18
        """
        from ..plotting import gap_bars, get_axes

        lines = self.by_line()
        lines = lines[lines["Écart (€)"].abs() >= 0.5]
        _fig, ax = get_axes(ax, figsize=(8, 0.35 * len(lines) + 1.5))
        colours = ["#D55E00" if f else "#999999" for f in lines["À surveiller"]]
        labels = [line_name(c, row["Ligne"])[:45] for c, row in lines.iterrows()]
        gap_bars(ax, lines["Écart (€)"], labels, colours)
        ax.set_title(
            f"Atterrissage − budget {self.tracking.year} au {format_date(self.tracking.as_of)} "
            "(en rouge : à surveiller)"
        )
        return ax

    def _html_tables(self) -> str:
        shown = self.by_line()
        shown["À surveiller"] = shown["À surveiller"].map({True: "oui", False: ""})
        return titled_html(shown, "Atterrissage par ligne (€)", decimals=0)
