"""Tests of movsc_toolkit.survey.plots."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from movsc_toolkit._errors import ColumnError, OptionError
from movsc_toolkit.survey import plot_crosstab, plot_freq


def _data() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "q": ["a"] * 5 + ["b"] * 3 + [None] * 2,
            "s": ["F", "H"] * 5,
        }
    )


def test_plot_freq_bars_and_labels() -> None:
    ax = plot_freq(_data(), "q")
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights, [50, 30, 20])
    texts = [t.get_text() for t in ax.texts]
    assert "50,0 %\n(n = 5)" in texts
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "Non-réponse"]
    assert ax.get_title() == "q (n = 10)"
    assert ax.patches[2].get_facecolor()[:3] == pytest.approx(matplotlib.colors.to_rgb("#AAAAAA"))
    plt.close("all")


def test_plot_freq_horizontal_and_given_axes() -> None:
    _fig, ax = plt.subplots()
    out = plot_freq(_data(), "q", dropna=True, horizontal=True, ax=ax, title="Quartier")
    assert out is ax and ax.get_title() == "Quartier"
    widths = sorted(p.get_width() for p in ax.patches)
    np.testing.assert_allclose(widths, [37.5, 62.5])
    plt.close("all")


def test_plot_crosstab_stacked_and_grouped() -> None:
    ax = plot_crosstab(_data(), "q", "s")
    # 2 categories × 3 bars (F, H, Ensemble), each bar summing to 100
    assert len(ax.patches) == 6
    tops = {}
    for p in ax.patches:
        tops[round(p.get_x(), 3)] = tops.get(round(p.get_x(), 3), 0) + p.get_height()
    np.testing.assert_allclose(list(tops.values()), 100)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["F", "H", "Ensemble"]
    assert ax.get_legend().get_title().get_text() == "q"
    grouped = plot_crosstab(_data(), "q", "s", kind="grouped", margins=False)
    assert len(grouped.patches) == 4
    plt.close("all")


def test_plot_errors() -> None:
    with pytest.raises(OptionError, match="kind"):
        plot_crosstab(_data(), "q", "s", kind="camembert")
    with pytest.raises(ColumnError, match="q"):
        plot_freq(_data(), "Q1")
