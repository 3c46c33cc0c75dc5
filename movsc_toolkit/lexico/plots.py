"""Plots of a corpus's words: word cloud and Zipf plot (bars of frequencies: ``plot_bars``).

The word cloud is drawn with matplotlib only: words are placed from the most frequent, each on
the first free spot of a spiral starting at the centre, so the same input always gives the same
picture (IRaMuTeQ draws its clouds with R ``wordcloud``, ``random.order = FALSE``:
``textwordcloud.py``, ``WordCloudRScript``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import DataError
from ..plotting import PALETTE, get_axes
from ._charts import draw_zipf
from ._text import sort_key
from .corpus import Corpus, Kind
from .counts import Frequencies, frequencies

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_word_cloud", "plot_zipf"]


def _weights(data: Corpus | Frequencies | pd.Series, kind: Kind = "active") -> pd.Series:
    if isinstance(data, Corpus):
        data = frequencies(data, kind=kind)
    if isinstance(data, Frequencies):
        series = data.table["Effectif"]
    elif isinstance(data, pd.Series):
        series = data
    else:
        raise DataError(
            "le nuage de mots attend un corpus, un résultat de frequencies() ou une série "
            "pandas (mot → poids).",
            hint='par exemple plot_word_cloud(frequencies(corpus, kind="active")).',
        )
    series = pd.to_numeric(series, errors="coerce").dropna()
    series = series[series > 0]
    if series.empty:
        raise DataError("aucun mot avec un poids positif à dessiner.")
    order = sorted(series.index, key=lambda w: (-series[w], sort_key(str(w))))
    return series.loc[order]


def plot_word_cloud(
    data: Corpus | Frequencies | pd.Series,
    *,
    max_words: int = 60,
    kind: Kind = "active",
    ax: Axes | None = None,
    figsize: tuple[float, float] = (8, 5),
    min_size: float = 8,
    max_size: float = 40,
    colors: list[str] | None = None,
    title: str | None = None,
) -> Axes:
    """Deterministic word cloud: the bigger the word, the more frequent (or the higher its score).

    Parameters
    ----------
    data
        A corpus (its ``kind`` lemma frequencies are used), a :class:`Frequencies` result or a
        Series word → weight (e.g. a class's χ²).
    max_words
        Number of words drawn (the heaviest ones).
    min_size, max_size
        Font sizes (points) of the lightest and heaviest words (size ∝ √weight between).
    kind
        With a corpus: which words (``"active"`` by default, ``"all"``, ``"supplementary"``).
    ax
        Axes to draw on (a new figure of size ``figsize`` otherwise).
    figsize
        Size of the new figure, in inches.
    colors
        Colours used in turn (default: the toolkit's palette).
    title
        Title of the chart.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (a word that finds no free room is not drawn).

    References
    ----------
    The layout of R's ``wordcloud`` with ``random.order = FALSE`` (used by IRaMuTeQ),
    without its randomness: ``tests/lexico/test_counts.py`` checks that the heaviest word is
    drawn first, that no two words overlap and that two drawings are identical.

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.Series({"quartier": 12, "famille": 9, "bénévole": 7, "atelier": 3, "loyer": 1})
    >>> ax = plot_word_cloud(counts, max_words=4, title="Mots les plus fréquents")
    >>> [text.get_text() for text in ax.texts]
    ['quartier', 'famille', 'bénévole', 'atelier']
    """
    weights = _weights(data, kind).head(max_words)
    fig, ax = get_axes(ax, figsize=figsize)
    ax.set_axis_off()
    fig.canvas.draw()  # a renderer to measure the words
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]  # Agg canvas
    bbox = ax.get_window_extent(renderer)
    width, height = bbox.width, bbox.height
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    values = np.sqrt(weights.to_numpy(dtype=float))
    span = values.max() - values.min()
    scaled = np.full(len(values), 1.0) if span == 0 else (values - values.min()) / span
    sizes = min_size + (max_size - min_size) * scaled
    palette = colors or PALETTE[:6]
    placed: list[tuple[float, float, float, float]] = []
    theta = np.arange(0, 400, 0.05)
    radius = 1.5 * theta
    spiral_x = width / 2 + radius * np.cos(theta) * (width / height)
    spiral_y = height / 2 + radius * np.sin(theta)
    px_per_pt = fig.dpi / 72
    for rank, (word, size) in enumerate(zip(weights.index, sizes, strict=True)):
        probe = ax.text(0, 0, str(word), fontsize=size)
        extent = probe.get_window_extent(renderer)
        probe.remove()
        w, h = extent.width + 2 * px_per_pt, extent.height
        x0, y0 = spiral_x - w / 2, spiral_y - h / 2
        ok = (x0 >= 0) & (y0 >= 0) & (x0 + w <= width) & (y0 + h <= height)
        if placed:
            boxes = np.asarray(placed)
            overlap = (
                (x0[:, None] < boxes[None, :, 2])
                & (x0[:, None] + w > boxes[None, :, 0])
                & (y0[:, None] < boxes[None, :, 3])
                & (y0[:, None] + h > boxes[None, :, 1])
            ).any(axis=1)
            ok &= ~overlap
        free = np.flatnonzero(ok)
        if free.size == 0:
            continue  # no room left for this word: it is not drawn
        k = free[0]
        placed.append((x0[k], y0[k], x0[k] + w, y0[k] + h))
        ax.text(
            spiral_x[k],
            spiral_y[k],
            str(word),
            fontsize=size,
            ha="center",
            va="center",
            color=palette[rank % len(palette)],
        )
    if title:
        ax.set_title(title)
    return ax


def plot_zipf(data: Corpus | Frequencies | pd.Series, *, ax: Axes | None = None) -> Axes:
    """Zipf plot: each word's frequency against its rank, on log–log scales.

    In most texts the points fall close to a straight line of slope about −1 (Zipf's law): a
    few words are very frequent, most are rare (the hapax form the last plateau).

    Parameters
    ----------
    data
        A corpus (all its lemmas are counted), a :class:`Frequencies` result or a Series
        word → frequency.
    ax
        Axes to draw on (a new figure otherwise).

    Returns
    -------
    matplotlib.axes.Axes

    References
    ----------
    Zipf, G. K. (1949). *Human Behavior and the Principle of Least Effort*. Cambridge (MA) :
    Addison-Wesley.

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.Series({"quartier": 12, "famille": 9, "bénévole": 7, "atelier": 3, "loyer": 1})
    >>> ax = plot_zipf(counts)
    >>> ax.get_xscale(), ax.get_yscale()
    ('log', 'log')
    >>> ax.lines[0].get_ydata().tolist()
    [12.0, 9.0, 7.0, 3.0, 1.0]
    """
    return draw_zipf(_weights(data, "all"), ax=ax)
