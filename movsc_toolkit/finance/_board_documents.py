"""The documents of a board presentation: Word (``.docx``), PowerPoint (``.pptx``) and HTML.

Internal to :mod:`~movsc_toolkit.finance.presentation`: the column names of the comparison table,
the note (sections, tables, charts) behind the ``.docx`` and ``.html`` exports, and the slide deck.
"""

from __future__ import annotations

import datetime as dt
import io
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from .._format import format_euro, format_percent, text_frame
from .._write import atomic_write, output_path, xml_text
from .report import Section, SynthesisNote

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .presentation import BoardPresentation

#: Columns of the comparison table: budget N+1, budget N, actual N−1 and the variations.
N1, N, R = "Budget N+1 (€)", "Budget N (€)", "Réalisé N−1 (€)"
DELTA, DELTA_PCT = "Écart N+1 − N (€)", "Écart N+1 − N (%)"
FLAG = "À commenter"
TOTALS = ("Total des charges", "Total des produits", "Résultat")


def signed_percent(value: float) -> str:
    """``+10,0 %`` / ``−12,5 %`` (the sign always written)."""
    text = format_percent(value)
    return text if value < 0 or text.startswith("−") else "+" + text


def figures(p: BoardPresentation) -> dict[str, bytes]:
    """The two charts of the presentation as PNG bytes (``totaux``, ``variations``)."""
    import matplotlib.pyplot as plt

    out = {}
    for key, method in (("totaux", p.plot_totals), ("variations", p.plot)):
        fig = cast("Figure", method().figure)
        fig.tight_layout()
        buffer = io.BytesIO()  # no software name in the file: the same bytes at every run
        fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
        plt.close(fig)
        out[key] = buffer.getvalue()
    return out


def note(p: BoardPresentation) -> SynthesisNote:
    totals = [s for s in p.sentences[:3]]
    comments = list(p.sentences[3:])
    n1 = p.years[0]
    sections = (
        Section(
            "Vue d'ensemble",
            tuple(totals),
            table=display_table(p, totals_only=True),
            figure="totaux",
        ),
        Section(
            "Les variations qui comptent",
            (rule_text(p),),
            bullets=tuple(comments) or ("Aucune variation ne dépasse les seuils.",),
            figure="variations",
        ),
        Section("Budget par rubrique", (), table=display_table(p)),
        Section(
            "À compléter avant le conseil",
            (
                "Les priorités de l'année et les hypothèses (effectifs, tarifs, "
                "subventions notifiées ou demandées), les risques et le scénario de repli "
                "ne se calculent pas : écrivez-les.",
                resolution(p),
            ),
        ),
    )
    return SynthesisNote(p.title, n1 or 0, sections, figures(p), (), p.table)


def rule_text(p: BoardPresentation) -> str:
    return (
        f"Seuil retenu : variation d'au moins {format_percent(100 * p.min_rate, 0)} et "
        f"d'au moins {format_euro(p.min_amount)} par rapport au budget "
        f"{p.years[1] or 'N'}."
    )


def resolution(p: BoardPresentation) -> str:
    t = p.table
    n1 = p.years[0]
    return (
        "Proposition de résolution : « Le conseil d'administration approuve le budget "
        f"prévisionnel {n1 or 'N+1'}, arrêté à {format_euro(t.at['Total des charges', N1])} "
        f"de charges et {format_euro(t.at['Total des produits', N1])} de produits. »"
    )


def display_table(p: BoardPresentation, totals_only: bool = False) -> pd.DataFrame:
    t = p.table
    if totals_only:
        t = t.loc[list(TOTALS)]
    names = {N1: column_name(p, 0), N: column_name(p, 1), R: column_name(p, 2)}
    out = t.drop(columns=["Section", FLAG]).rename(columns=names)
    out = out.set_index("Rubrique")
    out.index.name = "Rubrique"
    pct_col = DELTA_PCT
    out[pct_col] = out[pct_col].map(lambda v: "—" if pd.isna(v) else signed_percent(v))
    return out


def column_name(p: BoardPresentation, i: int) -> str:
    word = "Réalisé" if i == 2 else "Budget"
    year = p.years[i]
    return f"{word} {year} (€)" if year else [N1, N, R][i]


def write_pptx(p: BoardPresentation, path: str | PathLike[str]) -> Path:
    """Write a slide deck (python-pptx): title, overview, variations, table, resolution.

    Every chart slide is followed by its figures in a table, so the numbers can be read
    without the chart.
    """
    from pptx import Presentation
    from pptx.util import Cm, Pt

    target = output_path(path, (".pptx",), "le diaporama")
    deck = Presentation()
    deck.slide_width, deck.slide_height = Cm(33.867), Cm(19.05)
    images = figures(p)

    def slide(title: str) -> Any:
        s = deck.slides.add_slide(deck.slide_layouts[5])  # title only
        s.shapes.title.text = xml_text(title)
        s.shapes.title.text_frame.paragraphs[0].font.size = Pt(28)
        return s

    def bullets(s: Any, items: list[str], top: float = 3.2, size: int = 16) -> None:
        box = s.shapes.add_textbox(Cm(1.5), Cm(top), Cm(30.8), Cm(19.05 - top - 0.8))
        frame = box.text_frame
        frame.word_wrap = True
        for i, item in enumerate(items):
            p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            p.text = xml_text("• " + item)
            p.font.size = Pt(size)
            p.space_after = Pt(6)

    def table(s: Any, frame: pd.DataFrame, top: float, size: int = 11) -> None:
        shown = text_frame(frame)
        rows, cols = shown.shape[0] + 1, shown.shape[1] + 1
        height = min(0.75 * rows, 19.05 - top - 0.5)
        shape = s.shapes.add_table(rows, cols, Cm(1.2), Cm(top), Cm(31.4), Cm(height))
        grid = shape.table
        grid.cell(0, 0).text = xml_text(shown.index.name or "")
        for j, column in enumerate(shown.columns, start=1):
            grid.cell(0, j).text = xml_text(column)
        for i, (label, row) in enumerate(shown.iterrows(), start=1):
            grid.cell(i, 0).text = xml_text(label)
            for j, value in enumerate(row, start=1):
                grid.cell(i, j).text = xml_text(value)
        for r in range(rows):
            for c in range(cols):
                for p in grid.cell(r, c).text_frame.paragraphs:
                    p.font.size = Pt(size)

    first = deck.slides.add_slide(deck.slide_layouts[0])
    first.shapes.title.text = xml_text(p.title)
    first.placeholders[1].text = xml_text("Présentation au conseil d'administration")
    s = slide("Vue d'ensemble")
    bullets(s, list(p.sentences[:3]), size=18)
    table(s, display_table(p, totals_only=True), top=10.5, size=14)
    s = slide("Charges et produits")
    s.shapes.add_picture(io.BytesIO(images["totaux"]), Cm(6), Cm(3.2), height=Cm(15))
    comments = list(p.sentences[3:]) or ["Aucune variation ne dépasse les seuils."]
    for start in range(0, len(comments), 5):
        part = " (suite)" if start else ""
        s = slide("Les variations qui comptent" + part)
        bullets(s, ([rule_text(p)] if not start else []) + comments[start : start + 5])
    s = slide("Variations par rubrique")
    s.shapes.add_picture(io.BytesIO(images["variations"]), Cm(4), Cm(3.2), height=Cm(15))
    shown = display_table(p)
    for start in range(0, len(shown), 14):
        s = slide("Budget par rubrique" + (" (suite)" if start else ""))
        table(s, shown.iloc[start : start + 14], top=3.2, size=10)
    s = slide("Proposition de résolution")
    bullets(s, [resolution(p).removeprefix("Proposition de résolution : ")], size=20)
    deck.core_properties.title = xml_text(p.title)
    deck.core_properties.created = dt.datetime(2000, 1, 1)
    deck.core_properties.modified = dt.datetime(2000, 1, 1)
    deck.core_properties.last_modified_by = "movsc-toolkit"
    with atomic_write(target, "le diaporama") as tmp:
        deck.save(str(tmp))
    return target
