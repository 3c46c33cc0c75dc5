"""Charts of word frequencies drawn from a Series (no corpus, no counting): bars and Zipf plot.

Used by :class:`~movsc_toolkit.lexico.Frequencies` and by :mod:`.plots`, which turn a corpus
or a result into the Series first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..plotting import PALETTE, get_axes, number_formatter, style

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["draw_zipf", "plot_bars"]


def plot_bars(
    values: pd.Series,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    xlabel: str = "Effectif",
    color: str | None = None,
) -> Axes:
    """Horizontal bars of a Series (the first value at the top).

    Parameters
    ----------
    values
        The values to draw, labelled by their index (e.g. the ``Effectif`` of the most
        frequent words).
    ax
        Axes to draw on (a new figure otherwise).
    title
        Title of the chart.
    xlabel
        Label of the horizontal axis.
    color
        Colour of the bars (default: the toolkit's first colour).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.Series({"quartier": 12, "famille": 9, "bénévole": 7, "atelier": 3, "loyer": 1})
    >>> ax = plot_bars(counts.head(3), title="Les trois mots les plus fréquents")
    >>> [float(bar.get_width()) for bar in ax.patches]
    [7.0, 9.0, 12.0]
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['bénévole', 'famille', 'quartier']
    """
    values = pd.Series(values)
    _fig, ax = get_axes(ax, figsize=(7, max(2.5, 0.28 * len(values) + 1)))
    labels = [str(i) for i in values.index][::-1]
    ax.barh(labels, values.to_numpy(dtype=float)[::-1], color=color or PALETTE[0])
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_formatter(number_formatter(0))
    ax.grid(True, axis="x", alpha=0.3)
    ax.grid(False, axis="y")
    if title:
        ax.set_title(title)
    return ax


def draw_zipf(weights: pd.Series, *, ax: Axes | None = None) -> Axes:
    """Zipf plot: each word's frequency against its rank, on log–log scales.

    In most texts the points fall close to a straight line of slope about −1 (Zipf's law): a
    few words are very frequent, most are rare (the hapax form the last plateau).
    """
    ranks = np.arange(1, len(weights) + 1)
    _fig, ax = get_axes(ax)
    values = weights.to_numpy(dtype=float)
    with style():
        ax.loglog(ranks, values, marker=".", linestyle="none", label="mots du corpus")
        ax.loglog(
            ranks,
            values[0] / ranks,
            linestyle="--",
            color="#888888",
            label="loi de Zipf (fréquence ∝ 1 / rang)",
        )
    ax.legend(frameon=False)
    ax.set_xlabel("Rang du mot (échelle logarithmique)")
    ax.set_ylabel("Fréquence (échelle logarithmique)")
    ax.set_title("Loi de Zipf : fréquence selon le rang")
    ax.grid(True, which="major", alpha=0.3)
    return ax
