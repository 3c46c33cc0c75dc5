"""Charts for survey tables: bar chart of a tri à plat, stacked or grouped bars of a tri croisé.

Every function returns the matplotlib ``Axes``, accepts ``ax=`` and writes French labels with
percentages (``12,5 %``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import OptionError
from .._format import format_number
from ..plotting import PALETTE, get_axes, percent_formatter
from ._common import ENSEMBLE, NON_REPONSE, TOTAL
from .tables import crosstab, freq

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_crosstab", "plot_freq"]

_MISSING_COLOR = "#AAAAAA"


def _label(value: float, decimals: int = 1) -> str:
    return f"{format_number(value, decimals)} %"


def plot_freq(
    data: pd.DataFrame,
    column: str,
    *,
    weights: str | Sequence[float] | None = None,
    dropna: bool = False,
    sort: str | None = None,
    horizontal: bool | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Bar chart of a tri à plat: the share of each category, labelled in percent.

    Parameters
    ----------
    data, column, weights, dropna, sort
        As in :func:`~movsc_toolkit.survey.freq` (the ``Non-réponse`` bar is grey).
    horizontal
        Horizontal bars (default: when there are more than 6 categories or long labels).
    title
        Chart title (default: the column name).
    ax
        Axes to draw on.

    Returns
    -------
    matplotlib.axes.Axes
        The chart, with French labels.

    Examples
    --------
    >>> from movsc_toolkit import datasets, survey
    >>> reponses = datasets.load("enquete_usagers")
    >>> ax = survey.plot_freq(reponses, "frequence")
    >>> len(ax.patches)
    4
    """
    table = freq(data, column, weights=weights, dropna=dropna, sort=sort, decimals=None)
    table = table.drop(index=TOTAL)
    labels = [str(i) for i in table.index]
    values = table["%"].to_numpy(dtype=float)
    counts = table["Effectif"].to_numpy(dtype=float)
    if horizontal is None:
        horizontal = len(labels) > 6 or max(len(lab) for lab in labels) > 14
    colors = [_MISSING_COLOR if lab == NON_REPONSE else PALETTE[0] for lab in labels]
    size = (7, 0.45 * len(labels) + 1.5) if horizontal else (max(5, 0.9 * len(labels) + 2), 4)
    _fig, ax = get_axes(ax, figsize=size)
    positions = np.arange(len(labels))
    if horizontal:
        positions = positions[::-1]
        bars = ax.barh(positions, values, color=colors)
        ax.set_yticks(positions, labels)
        ax.xaxis.set_major_formatter(percent_formatter())
        ax.set_xlabel("% des répondants")
        ax.grid(True, axis="x", alpha=0.3)
        ax.grid(False, axis="y")
        ax.set_xlim(0, max(values.max() * 1.2, 1))
    else:
        bars = ax.bar(positions, values, color=colors)
        ax.set_xticks(
            positions,
            labels,
            rotation=30 if len(labels) > 4 else 0,
            ha="right" if len(labels) > 4 else "center",
        )
        ax.yaxis.set_major_formatter(percent_formatter())
        ax.set_ylabel("% des répondants")
        ax.set_ylim(0, max(values.max() * 1.2, 1))
    decimals = 0 if weights is None else 1
    texts = [
        f"{_label(v)}\n(n = {format_number(c, decimals)})"
        if not horizontal
        else f"{_label(v)} (n = {format_number(c, decimals)})"
        for v, c in zip(values, counts, strict=True)
    ]
    ax.bar_label(bars, labels=texts, padding=3, fontsize=8)
    total = table["Effectif"].sum()
    ax.set_title(title or f"{column} (n = {format_number(total, decimals)})")
    return ax


def plot_crosstab(
    data: pd.DataFrame,
    row: str,
    col: str,
    *,
    weights: str | Sequence[float] | None = None,
    kind: str = "stacked",
    dropna: bool = True,
    margins: bool = True,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Bars of a tri croisé: the distribution of ``row`` within each category of ``col``.

    Parameters
    ----------
    data, row, col, weights
        As in :func:`~movsc_toolkit.survey.crosstab`; percentages are column percentages
        (each bar of ``col`` sums to 100 %).
    kind
        ``"stacked"`` (empilées, default) or ``"grouped"`` (groupées, côte à côte).
    dropna
        Leave out respondents missing either answer (default), or show them as
        ``Non-réponse``.
    margins
        Add an ``Ensemble`` bar (everyone), as questionr's ``cprop``.
    title, ax
        Chart title and axes.

    Returns
    -------
    matplotlib.axes.Axes
        The chart, with French labels.

    Examples
    --------
    >>> from movsc_toolkit import datasets, survey
    >>> reponses = datasets.load("enquete_usagers")
    >>> ax = survey.plot_crosstab(reponses, "frequence", "quartier")
    >>> len(ax.patches)
    24
    """
    if kind not in ("stacked", "grouped", "empilé", "groupé"):
        raise OptionError(
            f"kind={kind!r} n'est pas reconnu.",
            hint='utilisez kind="stacked" (barres empilées) ou kind="grouped" (groupées).',
        )
    table = crosstab(data, row, col, weights=weights, percent="col", dropna=dropna, decimals=None)
    table = table.drop(index=TOTAL)
    if not margins:
        table = table.drop(columns=ENSEMBLE)
    groups = [str(c) for c in table.columns]
    categories = [str(i) for i in table.index]
    values = table.to_numpy(dtype=float)
    _fig, ax = get_axes(ax, figsize=(max(6, 1.1 * len(groups) + 3), 4.5))
    x = np.arange(len(groups))
    if kind in ("stacked", "empilé"):
        bottom = np.zeros(len(groups))
        for i, category in enumerate(categories):
            color = _MISSING_COLOR if category == NON_REPONSE else PALETTE[i % len(PALETTE)]
            bars = ax.bar(
                x,
                values[i],
                bottom=bottom,
                color=color,
                label=category,
                width=0.7,
                edgecolor="white",
            )
            labels = [_label(v, 0) if v >= 5 else "" for v in values[i]]
            ax.bar_label(bars, labels=labels, label_type="center", fontsize=8)
            bottom += values[i]
        ax.set_ylim(0, 100)
    else:
        width = 0.8 / len(categories)
        for i, category in enumerate(categories):
            color = _MISSING_COLOR if category == NON_REPONSE else PALETTE[i % len(PALETTE)]
            bars = ax.bar(
                x - 0.4 + width * (i + 0.5), values[i], width=width, color=color, label=category
            )
            ax.bar_label(bars, labels=[_label(v, 0) for v in values[i]], padding=2, fontsize=7)
        ax.set_ylim(0, max(values.max() * 1.15, 1))
    ax.set_xticks(
        x,
        groups,
        rotation=30 if len(groups) > 4 else 0,
        ha="right" if len(groups) > 4 else "center",
    )
    ax.yaxis.set_major_formatter(percent_formatter())
    ax.set_ylabel(f"% au sein de chaque modalité de « {col} »")
    ax.set_xlabel(col)
    handles, names = ax.get_legend_handles_labels()
    if kind in ("stacked", "empilé"):  # same order as the stack, top first
        handles, names = handles[::-1], names[::-1]
    ax.legend(handles, names, title=row, bbox_to_anchor=(1.02, 1), loc="upper left", fontsize=8)
    ax.set_title(title or f"{row} selon {col}")
    return ax
