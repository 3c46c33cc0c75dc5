"""The comité de pilotage's dashboard: table, one-page figure, Gantt chart, exports."""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._format import (
    display_html,
    display_text,
    format_date,
    format_number,
)
from .._report import Report, result
from .._tablelike import TableLike
from ..plotting import PALETTE, get_axes, style
from ._cells import DateLike
from .model import Project
from .schema import STATUTS
from .tracking import indicator_status, milestones, resolve_as_of, trajectory

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "DASHBOARD_COLUMNS",
    "STATUS_COLOURS",
    "DashboardTable",
    "dashboard",
    "plot_dashboard",
    "plot_milestones",
]

DASHBOARD_COLUMNS = [
    "Indicateur",
    "Référence",
    "Cible",
    "Réalisé",
    "Taux de réalisation (%)",
    "Progression vers la cible (%)",
    "Statut",
]
#: One colour per status (green, blue, orange, red, purple, grey).
STATUS_COLOURS = {
    "atteint": "#1B7837",
    "en bonne voie": "#0072B2",
    "à surveiller": "#E69F00",
    "en retard": "#D55E00",
    "sans cible": "#7B5EA7",
    "non mesuré": "#8C8C8C",
}
_TYPES = {"realisation": "réalisation", "resultat": "résultat", "impact": "impact"}


@result
class DashboardTable(TableLike, Report):
    """The dashboard of a project as of a date: values exact, **shown** rounded.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per indicator (index: its ``code``), with exact values: the columns listed in
        :func:`dashboard`.
    as_of : pandas.Timestamp
        The date of the follow-up.
    decimals : int or None
        Decimals **shown** when the dashboard is displayed (``None``: all); the values of
        :attr:`table` are never rounded.

    The object is displayed (in a notebook or with ``print``) as a sentence giving the date,
    then the table with its numbers rounded to ``decimals``, so that it reads the same from run
    to run. It is indexed like its table, with exact values: ``tb.loc["SEAN", "Réalisé"]``,
    ``tb[colonnes]``, ``tb.index``, ``len(tb)`` act on :meth:`to_frame`, which gives the
    table as a DataFrame (to round, sort, write…).

    Examples
    --------
    >>> from movsc_toolkit import datasets, kpi
    >>> tb = kpi.dashboard(datasets.load("projet_cap_avenir"), "31/12/2025", decimals=1)
    >>> print(str(tb).splitlines()[0])
    Tableau de bord au 31/12/2025 : 8 indicateurs (en bonne voie : 3, à surveiller : 3, en retard : 2).
    >>> tb.as_of, tb.decimals
    (Timestamp('2025-12-31 00:00:00'), 1)
    >>> tb.counts["en retard"]
    2
    """

    table: pd.DataFrame
    as_of: pd.Timestamp
    decimals: int | None = 2

    @property
    def counts(self) -> dict[str, int]:
        """The number of indicators per status, every status of :data:`STATUTS` in order."""
        return {s: int((self.table["Statut"] == s).sum()) for s in STATUTS}

    def to_frame(self) -> pd.DataFrame:
        """The dashboard table with exact values (a copy of :attr:`table`).

        Returns
        -------
        pandas.DataFrame
            One row per indicator, indexed by ``code``; the columns listed in :func:`dashboard`.

        Examples
        --------
        >>> from movsc_toolkit import datasets, kpi
        >>> tb = kpi.dashboard(datasets.load("projet_cap_avenir"), "31/12/2025")
        >>> tb.to_frame().loc["SEAN", "Taux de réalisation (%)"]
        np.float64(37.0)
        """
        return self.table.copy()

    def _shown(self) -> int:
        return 6 if self.decimals is None else self.decimals

    def _lines(self) -> list[str]:
        day = f"Tableau de bord au {format_date(self.as_of)}"
        n = len(self.table)
        if n == 0:
            return [f"{day} : aucun indicateur."]
        parts = ", ".join(f"{s} : {k}" for s, k in self.counts.items() if k)
        return [f"{day} : {n} indicateur{'s' if n > 1 else ''} ({parts})."]

    def __str__(self) -> str:  # the sentence, then the table the object behaves like
        return "\n".join([*self._lines(), display_text(self.table, decimals=self._shown())])

    def _html_tables(self) -> str:
        return display_html(self.table, decimals=self._shown())


def dashboard(
    project: Project,
    as_of: DateLike | None = None,
    *,
    target: str = "courante",
    decimals: int | None = 2,
) -> DashboardTable:
    """The dashboard of a project as of a date, one row per indicator.

    Parameters
    ----------
    project
        A project read by :func:`read_project`.
    as_of
        Date of the follow-up (``"31/03/2026"``); realised values whose period ends after it
        are ignored. Default: the end of the latest realised period.
    target
        ``"courante"`` (the target of the period in progress) or ``"finale"``; see
        :func:`indicator_status`, which also gives every formula and the status rules.
    decimals
        Decimals **shown** when the dashboard is displayed (2, as everywhere in the toolkit;
        ``None``: all). The values always keep their full precision.

    Returns
    -------
    DashboardTable
        Its :attr:`~DashboardTable.table` (exact values; :meth:`~DashboardTable.to_frame`
        gives a copy) is indexed by indicator code, columns ``Indicateur``, ``Référence``,
        ``Cible``, ``Réalisé``, ``Taux de réalisation (%)``,
        ``Progression vers la cible (%)``, ``Statut``, then ``Type``, ``Unité``,
        ``Agrégation``, ``Sens``, ``Début de période``, ``Fin de période``,
        ``Dernière mesure``, ``Période écoulée (%)``, ``Projection fin de période``,
        ``Responsable``, ``Commentaire`` and ``Remarque`` (why a cell is empty);
        :attr:`~DashboardTable.as_of` is the date of the follow-up.

    Examples
    --------
    >>> from movsc_toolkit import datasets, kpi
    >>> projet = datasets.load("projet_cap_avenir")
    >>> tb = kpi.dashboard(projet, as_of="31/12/2025")
    >>> tb.loc["SEAN", ["Cible", "Réalisé", "Taux de réalisation (%)", "Statut"]]
    Cible                             300.0
    Réalisé                           111.0
    Taux de réalisation (%)            37.0
    Statut                     à surveiller
    Name: SEAN, dtype: object
    """
    st = indicator_status(project, as_of, target=target)
    ind = project.indicators
    table = pd.DataFrame(
        {
            "Indicateur": st["libelle"],
            "Référence": st["reference"],
            "Cible": st["cible"],
            "Réalisé": st["realise"],
            "Taux de réalisation (%)": st["taux"],
            "Progression vers la cible (%)": st["progression"],
            "Statut": st["statut"],
            "Type": ind["type_resultat"].map(_TYPES),
            "Unité": ind["unite"],
            "Agrégation": ind["agregation"],
            "Sens": ind["sens"],
            "Début de période": st["debut_cible"],
            "Fin de période": st["fin_cible"],
            "Dernière mesure": st["derniere_mesure"],
            "Période écoulée (%)": st["ecoule"] * 100,
            "Projection fin de période": st["projection"],
            "Responsable": ind["responsable"],
            "Commentaire": st["commentaire"],
            "Remarque": st["remarque"],
        },
        index=st.index,
    )
    table.index.name = "code"
    return DashboardTable(table=table, as_of=st.attrs["as_of"], decimals=decimals)


def _short(project: Project, code: str, width: int = 34) -> str:
    row = project.indicators.loc[code]
    label = row["libelle_court"] if isinstance(row["libelle_court"], str) else row["libelle"]
    return textwrap.shorten(str(label), width=width, placeholder="…")


def plot_dashboard(
    project: Project,
    as_of: DateLike | None = None,
    *,
    codes: list[str] | None = None,
    ncols: int = 4,
    target: str = "courante",
) -> Figure:
    """One page, one small panel per indicator: the realised value over time against its target.

    Each panel shows the realised value as the dashboard computes it at each period (running
    sum, latest value, ratio…), the target (dashed line), the straight trajectory from the
    baseline to the target (grey), and the status in the title's colour. Qualitative
    indicators show their latest comment.

    Parameters
    ----------
    project
        The project (:class:`Project`).
    as_of
        Date of the follow-up (default: the end of the latest realised period).
    target
        ``"courante"`` or ``"finale"`` (see :func:`indicator_status`).
    codes
        The indicators drawn (default: all, in the workbook's order).
    ncols
        Number of columns of small charts.

    Returns
    -------
    matplotlib.figure.Figure
        One small chart per indicator: realised values over time, the target, the linear
        trajectory and the status colour (:data:`STATUS_COLOURS`).

    Examples
    --------
    >>> from movsc_toolkit import datasets, kpi
    >>> projet = datasets.load("projet_cap_avenir")
    >>> fig = kpi.plot_dashboard(projet, "31/12/2025")
    >>> len(fig.axes) >= len(projet.codes)
    True
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    as_of = resolve_as_of(project, as_of)
    table = dashboard(project, as_of, target=target).to_frame()
    codes = list(table.index) if codes is None else codes
    traj = trajectory(project, as_of, target=target)
    n = max(1, len(codes))
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    with style():
        fig, axes = plt.subplots(
            nrows, ncols, figsize=(3.6 * ncols, 2.7 * nrows + 0.6), squeeze=False
        )
        for ax in axes.ravel()[n:]:
            ax.set_visible(False)
        for ax, code in zip(axes.ravel(), codes, strict=False):
            row = table.loc[code]
            colour = STATUS_COLOURS.get(row["Statut"], "#000000")
            ax.set_title(
                f"{code} — {row['Statut']}\n{_short(project, code)}",
                color=colour,
                fontsize=8.5,
                loc="left",
            )
            if project.indicators.at[code, "mesure"] == "qualitatif":
                comment = (
                    row["Commentaire"]
                    if isinstance(row["Commentaire"], str)
                    else ("pas encore d'appréciation")
                )
                ax.text(
                    0.02,
                    0.5,
                    textwrap.fill(comment, 40),
                    transform=ax.transAxes,
                    fontsize=7,
                    va="center",
                )
                ax.set_xticks([])
                ax.set_yticks([])
                ax.grid(False)
                continue
            t = traj[traj["code"] == code]
            if len(t):
                ax.plot(
                    t["Fin"],
                    t["Réalisé"],
                    marker="o",
                    markersize=2.5,
                    color=PALETTE[0],
                    label="réalisé",
                )
                if t["Trajectoire"].notna().any():
                    ax.plot(
                        t["Fin"],
                        t["Trajectoire"],
                        color="#9E9E9E",
                        linewidth=1,
                        label="trajectoire",
                    )
            if pd.notna(row["Cible"]):
                start, end = row["Début de période"], row["Fin de période"]
                ax.hlines(
                    row["Cible"],
                    start,
                    end,
                    colors=colour,
                    linestyles="--",
                    linewidth=1.2,
                    label="cible",
                )
            if pd.notna(row["Référence"]):
                ax.axhline(row["Référence"], color="#BDBDBD", linestyle=":", linewidth=1)
            ax.axvline(as_of, color="#000000", linewidth=0.6, alpha=0.5)
            ax.tick_params(labelsize=7)
            ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%m/%y"))
            ax.yaxis.set_major_formatter(
                plt.FuncFormatter(lambda v, _p: format_number(v, 0 if float(v).is_integer() else 1))
            )
        legend = [
            Line2D([], [], color=PALETTE[0], marker="o", markersize=3, label="réalisé"),
            Line2D([], [], color="#555555", linestyle="--", label="cible"),
            Line2D([], [], color="#9E9E9E", label="trajectoire de la référence à la cible"),
            Line2D([], [], color="#BDBDBD", linestyle=":", label="référence"),
            Line2D([], [], color="#000000", alpha=0.5, linewidth=0.6, label="date du suivi"),
        ]
        fig.legend(handles=legend, loc="lower center", ncols=5, frameon=False, fontsize=8)
        fig.suptitle(
            f"{project.name} — tableau de bord au {format_date(as_of)}",
            fontsize=12,
            fontweight="bold",
        )
        height = fig.get_figheight()  # fixed margins: tight_layout is slow with many panels
        fig.subplots_adjust(
            left=0.05,
            right=0.99,
            top=1 - 0.8 / height,
            bottom=0.75 / height,
            hspace=0.6,
            wspace=0.3,
        )
    return fig


def plot_milestones(
    project: Project, as_of: DateLike | None = None, *, ax: Axes | None = None
) -> Axes:
    """Gantt chart of the milestones as of a date.

    A bar runs from the start of the work (``date_debut``, when given) to the planned date;
    a red bar shows the delay (up to the real date, or up to ``as_of`` for a milestone not yet
    passed); a diamond marks the real date. The vertical line is ``as_of``.

    Parameters
    ----------
    project
        The project (:class:`Project`).
    as_of
        Date of the follow-up, drawn as a vertical line (default: see :func:`milestones`).
    ax
        The matplotlib ``Axes`` to draw on (a new figure by default).

    Returns
    -------
    matplotlib.axes.Axes
        The Gantt chart: one bar per milestone, from its start to its planned date, coloured
        by its state.

    Examples
    --------
    >>> from movsc_toolkit import datasets, kpi
    >>> projet = datasets.load("projet_cap_avenir")
    >>> ax = kpi.plot_milestones(projet, "31/12/2025")
    >>> len(ax.get_yticklabels()) == len(projet.milestones)
    True
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    day = resolve_as_of(project, as_of)
    table = milestones(project, day)
    new_figure = ax is None
    fig, ax = get_axes(ax, figsize=(10, 0.45 * max(len(table), 2) + 1.5))
    colours = {
        "franchi": STATUS_COLOURS["atteint"],
        "franchi en retard": STATUS_COLOURS["à surveiller"],
        "en retard": STATUS_COLOURS["en retard"],
        "à venir": "#9E9E9E",
    }
    labels = [
        f"{c} — {textwrap.shorten(str(j), 40, placeholder='…')}"
        for c, j in zip(table.index, table["Jalon"], strict=True)
    ]
    y = np.arange(len(table))[::-1]
    for yi, (_, r) in zip(y, table.iterrows(), strict=True):
        planned = r["Date prévue"]
        start = r["Début"] if pd.notna(r["Début"]) else planned - pd.Timedelta(days=7)
        ax.barh(
            yi, (planned - start).days, left=start, height=0.5, color=colours[r["État"]], alpha=0.8
        )
        end = (
            r["Date réelle"]
            if pd.notna(r["Date réelle"])
            else (day if r["État"] == "en retard" else None)
        )
        if end is not None and end > planned:
            ax.barh(
                yi,
                (end - planned).days,
                left=planned,
                height=0.5,
                color=STATUS_COLOURS["en retard"],
                alpha=0.35,
                hatch="//",
            )
        if pd.notna(r["Date réelle"]):
            ax.plot(r["Date réelle"], yi, marker="D", color="#000000", markersize=4)
    x_day = float(mdates.date2num(day))
    ax.axvline(x_day, color="#000000", linewidth=1, linestyle="--")
    ax.text(x_day, len(table) - 0.4, f" {format_date(day)}", fontsize=8, va="bottom")
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=8)
    ax.set_ylim(-0.7, len(table) - 0.2)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m/%Y"))
    ax.tick_params(axis="x", labelsize=8)
    ax.set_title("Jalons : prévu et réalisé")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours.values()]
    ax.legend(
        handles,
        list(colours),
        fontsize=7,
        loc="upper left",
        frameon=False,
        bbox_to_anchor=(1.01, 1.0),
    )
    ax.grid(True, axis="x", alpha=0.3)
    if new_figure:
        fig.tight_layout()
    return ax
