"""Presenting the budget to the board (*conseil d'administration*) and the *dialogue de gestion*.

:func:`board_presentation` compares the budget N+1 with the budget N (voted or revised) and,
when given, the actual figures of N−1, by *poste* (two-digit accounts, subsidies by funder) or
by CERFA line; it flags the variations that matter (at least ``threshold_pct`` % **and**
``threshold_eur`` euros, by default 10 % and 5 000 €, ``finance_bc02.md`` §4.1 — or the CA's
own rule) and explains each one in a French sentence written from the figures. The commented
presentation is exported to Word (``.docx``), PowerPoint (``.pptx``, python-pptx) and HTML.

:func:`management_dialogue` is the internal view of the *dialogue de gestion*
(``finance_bc02.md`` §4.2): each project's resources (charges, produits, subsidies, result,
share of the budget) against its objectives (indicator, target), the cost per unit of target,
and, when the CA set envelopes, the gap between the request and the envelope to arbitrate.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import DataError, column_error
from .._format import format_euro, format_number, format_percent, text_frame
from .._report import Report, titled_html
from .._tablelike import TableLike
from .._write import atomic_write, output_path, xml_text
from ._cells import rename_columns
from .budget import Budget
from .budget_vs_actual import actual_by_line
from .cerfa import BY_CODE, CHARGES, ORDER, POSTES, PRODUITS

__all__ = [
    "BoardPresentation",
    "ManagementDialogue",
    "board_presentation",
    "management_dialogue",
]

N1, N, R = "Budget N+1 (€)", "Budget N (€)", "Réalisé N−1 (€)"
DELTA, DELTA_PCT = "Écart N+1 − N (€)", "Écart N+1 − N (%)"
FLAG = "À commenter"
_TOTALS = ("Total des charges", "Total des produits", "Résultat")


def _signed_percent(value: float) -> str:
    """``+10,0 %`` / ``−12,5 %`` (the sign always written)."""
    text = format_percent(value)
    return text if value < 0 or text.startswith("−") else "+" + text


def _rubrique(code: str, by: str) -> tuple[str, str]:
    """(key, label) of the rubrique a CERFA line goes to."""
    line = BY_CODE[code]
    if code.startswith("74 "):
        return code, f"74 – Subventions : {code[3:]}"
    if by == "ligne":
        return code, f"{code} – {line.label}"
    return line.poste, POSTES[line.poste]


def _aggregate(amounts: pd.Series, by: str) -> pd.Series:
    """CERFA amounts (by code) → amounts by rubrique key (charges and produits only)."""
    keys: dict[str, float] = {}
    for code, value in amounts.items():
        line = BY_CODE.get(code)
        if line is None or line.section not in (CHARGES, PRODUITS):
            continue
        key, _ = _rubrique(code, by)
        keys[key] = keys.get(key, 0.0) + float(value)
    return pd.Series(keys, dtype=float)


def _amounts_of(source: Any, project: str | None, year: int | None) -> pd.Series:
    if isinstance(source, Budget):
        return source.amounts(project)
    if isinstance(source, pd.Series):
        return source.astype(float)
    if isinstance(source, pd.DataFrame) or hasattr(source, "entries"):
        return actual_by_line(source, year, project)
    raise DataError(
        "le réalisé N−1 doit être un grand livre (Ledger lu par read_fec), un budget ou une "
        "série de montants par ligne CERFA.",
        hint="donnez par exemple actual=finance.read_fec('FEC2025.txt').",
    )


@dataclass(frozen=True, eq=False, repr=False)
class BoardPresentation(Report, TableLike):
    """A commented presentation of the budget N+1 for the board.

    Attributes
    ----------
    table
        One row per rubrique (then ``Total des charges``, ``Total des produits``,
        ``Résultat``): ``Section``, ``Rubrique``, ``Budget N+1 (€)``, ``Budget N (€)``,
        ``Réalisé N−1 (€)`` (when given), ``Écart N+1 − N (€)``, ``Écart N+1 − N (%)`` (empty
        when nothing was budgeted in N) and ``À commenter`` (the variation passes both
        thresholds).
    sentences
        The comments, in French, generated from the figures: the totals and the result first,
        then one sentence per variation to comment.
    years
        (N+1, N, N−1), as far as known.
    """

    table: pd.DataFrame
    sentences: tuple[str, ...]
    years: tuple[int | None, int | None, int | None]
    threshold_pct: float
    threshold_eur: float
    title: str

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    @property
    def to_comment(self) -> pd.DataFrame:
        """The rubriques whose variation passes the thresholds."""
        return self.table[self.table[FLAG]]

    def _lines(self) -> list[str]:
        n = len(self.to_comment)
        count = (
            f"{n} rubrique(s) à commenter. {self._rule()}"
            if n
            else f"Aucune variation à commenter. {self._rule()}"
        )
        return [self.title, *self.sentences[:3], count, *self.sentences[3:]]

    def _html_tables(self) -> str:
        shown = self.table.copy()
        shown[FLAG] = shown[FLAG].map({True: "oui", False: ""})
        return titled_html(shown, "Budget par rubrique", decimals=0)

    # ---------------------------------------------------------------- charts
    def plot(self, ax: Any = None) -> Any:
        """Horizontal bars of the variations N+1 − N by rubrique (to comment in colour)."""
        from ..plotting import gap_bars, get_axes

        rows = self.table[~self.table.index.isin(_TOTALS)]
        rows = rows[rows[DELTA].abs() >= 0.5]
        _fig, ax = get_axes(ax, figsize=(8, 0.38 * max(len(rows), 1) + 1.6))
        colours = [
            ("#D55E00" if d > 0 else "#0072B2") if flag else "#BBBBBB"
            for d, flag in zip(rows[DELTA], rows[FLAG], strict=True)
        ]
        labels = [
            ("Charges : " if s == CHARGES else "Produits : ") + _short(r)
            for s, r in zip(rows["Section"], rows["Rubrique"], strict=True)
        ]
        gap_bars(ax, rows[DELTA], labels, colours)
        n1, n, _ = self.years
        ax.set_title(
            f"Variations {n1 or 'N+1'} − {n or 'N'} (en couleur : à commenter ; orange hausse, "
            "bleu baisse)",
            fontsize=10,
        )
        return ax

    def plot_totals(self, ax: Any = None) -> Any:
        """Grouped bars: total charges and total produits for each version."""
        from ..plotting import euro_formatter, get_axes

        columns = [c for c in (R, N, N1) if c in self.table.columns]
        names = {R: "Réalisé", N: "Budget", N1: "Budget"}
        years = {N1: self.years[0], N: self.years[1], R: self.years[2]}
        labels = [f"{names[c]} {years[c] or c.split(' ')[1]}" for c in columns]
        _fig, ax = get_axes(ax, figsize=(7, 3.8))
        width = 0.38
        x = np.arange(len(columns))
        charges = [self.table.at["Total des charges", c] for c in columns]
        produits = [self.table.at["Total des produits", c] for c in columns]
        ax.bar(x - width / 2, charges, width, color="#D55E00", label="Charges")
        ax.bar(x + width / 2, produits, width, color="#0072B2", label="Produits")
        ax.set_xticks(x, labels)
        ax.yaxis.set_major_formatter(euro_formatter())
        ax.legend(loc="lower right")
        ax.set_title("Total des charges et des produits")
        return ax

    def _figures(self) -> dict[str, bytes]:
        import matplotlib.pyplot as plt

        from .report import _png

        out = {}
        for key, method in (("totaux", self.plot_totals), ("variations", self.plot)):
            ax = method()
            fig = ax.figure
            fig.tight_layout()
            out[key] = _png(fig)
            plt.close(fig)
        return out

    # ---------------------------------------------------------------- exports
    def _note(self) -> Any:
        from .report import Section, SynthesisNote

        totals = [s for s in self.sentences[:3]]
        comments = list(self.sentences[3:])
        n1 = self.years[0]
        sections = (
            Section(
                "Vue d'ensemble",
                tuple(totals),
                table=self._display_table(totals_only=True),
                figure="totaux",
            ),
            Section(
                "Les variations qui comptent",
                (self._rule(),),
                bullets=tuple(comments) or ("Aucune variation ne dépasse les seuils.",),
                figure="variations",
            ),
            Section("Budget par rubrique", (), table=self._display_table()),
            Section(
                "À compléter avant le conseil",
                (
                    "Les priorités de l'année et les hypothèses (effectifs, tarifs, "
                    "subventions notifiées ou demandées), les risques et le scénario de repli "
                    "ne se calculent pas : écrivez-les.",
                    self._resolution(),
                ),
            ),
        )
        return SynthesisNote(self.title, n1 or 0, sections, self._figures(), ())

    def _rule(self) -> str:
        return (
            f"Seuil retenu : variation d'au moins {format_percent(self.threshold_pct, 0)} et "
            f"d'au moins {format_euro(self.threshold_eur)} par rapport au budget "
            f"{self.years[1] or 'N'}."
        )

    def _resolution(self) -> str:
        t = self.table
        n1 = self.years[0]
        return (
            "Proposition de résolution : « Le conseil d'administration approuve le budget "
            f"prévisionnel {n1 or 'N+1'}, arrêté à {format_euro(t.at['Total des charges', N1])} "
            f"de charges et {format_euro(t.at['Total des produits', N1])} de produits. »"
        )

    def _display_table(self, totals_only: bool = False) -> pd.DataFrame:
        t = self.table
        if totals_only:
            t = t.loc[list(_TOTALS)]
        names = {N1: self._col(0), N: self._col(1), R: self._col(2)}
        out = t.drop(columns=["Section", FLAG]).rename(columns=names)
        out = out.set_index("Rubrique")
        out.index.name = "Rubrique"
        pct_col = DELTA_PCT
        out[pct_col] = out[pct_col].map(lambda v: "—" if pd.isna(v) else _signed_percent(v))
        return out

    def _col(self, i: int) -> str:
        word = "Réalisé" if i == 2 else "Budget"
        year = self.years[i]
        return f"{word} {year} (€)" if year else [N1, N, R][i]

    def to_docx(self, path: str | PathLike[str]) -> Path:
        """Write the commented presentation as a Word document (tables, comments, charts)."""
        return self._note().to_docx(path)

    def to_html(self, path: str | PathLike[str]) -> Path:
        """Write the commented presentation as a standalone HTML page (charts embedded)."""
        return self._note().to_html(path)

    def to_pptx(self, path: str | PathLike[str]) -> Path:
        """Write a slide deck (python-pptx): title, overview, variations, table, resolution.

        Every chart slide is followed by its figures in a table, so the numbers can be read
        without the chart.
        """
        from pptx import Presentation
        from pptx.util import Cm, Pt

        target = output_path(path, (".pptx",), "le diaporama")
        deck = Presentation()
        deck.slide_width, deck.slide_height = Cm(33.867), Cm(19.05)
        figures = self._figures()

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
        first.shapes.title.text = xml_text(self.title)
        first.placeholders[1].text = xml_text("Présentation au conseil d'administration")
        s = slide("Vue d'ensemble")
        bullets(s, list(self.sentences[:3]), size=18)
        table(s, self._display_table(totals_only=True), top=10.5, size=14)
        s = slide("Charges et produits")
        s.shapes.add_picture(io.BytesIO(figures["totaux"]), Cm(6), Cm(3.2), height=Cm(15))
        comments = list(self.sentences[3:]) or ["Aucune variation ne dépasse les seuils."]
        for start in range(0, len(comments), 5):
            part = " (suite)" if start else ""
            s = slide("Les variations qui comptent" + part)
            bullets(s, ([self._rule()] if not start else []) + comments[start : start + 5])
        s = slide("Variations par rubrique")
        s.shapes.add_picture(io.BytesIO(figures["variations"]), Cm(4), Cm(3.2), height=Cm(15))
        shown = self._display_table()
        for start in range(0, len(shown), 14):
            s = slide("Budget par rubrique" + (" (suite)" if start else ""))
            table(s, shown.iloc[start : start + 14], top=3.2, size=10)
        s = slide("Proposition de résolution")
        bullets(s, [self._resolution().removeprefix("Proposition de résolution : ")], size=20)
        deck.core_properties.title = xml_text(self.title)
        deck.core_properties.created = dt.datetime(2000, 1, 1)
        deck.core_properties.modified = dt.datetime(2000, 1, 1)
        deck.core_properties.last_modified_by = "movsc-toolkit"
        with atomic_write(target, "le diaporama") as tmp:
            deck.save(str(tmp))
        return target


def _short(text: str, width: int = 42) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _label_lower(label: str) -> str:
    """``"64 – Charges de personnel"`` → ``"les charges de personnel (64)"``."""
    if " – " in label:
        code, name = label.split(" – ", 1)
        return f"« {name} » ({code})"
    return f"« {label} »"


def _variation_sentence(
    label: str, section: str, new: float, old: float, real: float | None, years: tuple
) -> str:
    n1, n, n_1 = (str(y) if y else w for y, w in zip(years, ("N+1", "N", "N−1"), strict=True))
    what = _label_lower(label)
    if abs(old) < 0.005:
        kind = "nouvelle charge" if section == CHARGES else "nouvelle ressource"
        text = f"{what} : {kind} de {format_euro(new)} au budget {n1} (rien au budget {n})."
    elif abs(new) < 0.005:
        text = f"{what} : {format_euro(old)} au budget {n}, plus rien au budget {n1}."
    else:
        delta = new - old
        word = "une hausse" if delta > 0 else "une baisse"
        text = (
            f"{what} passe de {format_euro(old)} au budget {n} à {format_euro(new)} au budget "
            f"{n1} : {word} de {format_euro(abs(delta))} ({_signed_percent(100 * delta / abs(old))})."
        )
    if real is not None:
        text += f" Réalisé {n_1} : {format_euro(real)}."
        if abs(new) >= 0.005 and abs(real) >= 0.005:
            gap = new - real
            if abs(gap) >= 0.005:
                rel = "au-dessus" if gap > 0 else "en dessous"
                text += (
                    f" Le budget {n1} est {format_euro(abs(gap))} {rel} du réalisé {n_1} "
                    f"({_signed_percent(100 * gap / abs(real))})."
                )
    return text


def _total_sentence(label: str, new: float, old: float, years: tuple) -> str:
    n1, n = (str(y) if y else w for y, w in zip(years[:2], ("N+1", "N"), strict=True))
    delta = new - old
    if abs(delta) < 0.005:
        return f"Le {label} est stable : {format_euro(new)} aux budgets {n} et {n1}."
    word = "hausse" if delta > 0 else "baisse"
    pct = f" ({_signed_percent(100 * delta / abs(old))})" if abs(old) >= 0.005 else ""
    return (
        f"Le {label} passe de {format_euro(old)} au budget {n} à {format_euro(new)} au budget "
        f"{n1}, en {word} de {format_euro(abs(delta))}{pct}."
    )


def _result_sentence(result: float, year: Any) -> str:
    y = year or "N+1"
    if abs(result) < 0.5:
        return f"Le budget {y} est présenté à l'équilibre."
    if result > 0:
        return f"Le budget {y} est présenté en excédent de {format_euro(result)}."
    return (
        f"Le budget {y} est présenté en déficit de {format_euro(-result)} : dites au conseil "
        "comment il sera financé (réserves, économies, nouvelles ressources)."
    )


def board_presentation(
    next_budget: Budget,
    budget: Budget,
    actual: Any = None,
    *,
    project: str | None = None,
    by: str = "poste",
    threshold_pct: float = 10.0,
    threshold_eur: float = 5000.0,
    actual_year: int | None = None,
    title: str | None = None,
) -> BoardPresentation:
    """Compare the budget N+1 with the budget N (and the actual N−1) and comment it.

    Parameters
    ----------
    next_budget, budget
        The budget proposed for N+1 and the budget of N (voted, or revised).
    actual
        The actual figures of N−1: a ``Ledger`` (``read_fec``; the year ``actual_year``, by
        default the budget N's year − 1, else the ledger's last), a ``Budget`` or a Series
        of amounts by CERFA code. Optional.
    project
        One project (analytic code) instead of the whole association.
    by
        ``"poste"`` (60, 61, 62… and subsidies by funder: what a board reads) or
        ``"ligne"`` (every CERFA line).
    threshold_pct, threshold_eur
        A variation is commented when it is at least ``threshold_pct`` % of the budget N
        **and** at least ``threshold_eur`` € (a new or stopped rubrique: at least
        ``threshold_eur``). Default 10 % and 5 000 € (``finance_bc02.md`` §4.1); use the
        CA's own rule when it has one.
    title
        Title (default « Budget prévisionnel N+1 »).
    """
    for value, name in ((next_budget, "next_budget"), (budget, "budget")):
        if not isinstance(value, Budget):
            raise DataError(
                f"{name} doit être un budget (Budget).",
                hint="lisez-le avec finance.read_budget('budget.xlsx').",
            )
    if by not in ("poste", "ligne"):
        raise DataError(
            f"by = « {by} » n'est pas prévu.",
            hint='écrivez by="poste" (par poste, pour le conseil) ou by="ligne" (ligne CERFA).',
        )
    years = (next_budget.year, budget.year, None)
    new = _aggregate(next_budget.amounts(project), by)
    old = _aggregate(budget.amounts(project), by)
    real = None
    if actual is not None:
        year = actual_year
        if year is None and not isinstance(actual, Budget | pd.Series) and budget.year:
            year = budget.year - 1
        real = _aggregate(_amounts_of(actual, project, year), by)
        years = (next_budget.year, budget.year, year or getattr(actual, "year", None))
    keys = sorted(
        set(new.index) | set(old.index) | (set(real.index) if real is not None else set()),
        key=_key_order,
    )
    rows = []
    for key in keys:
        code = key if key in BY_CODE else next(c for c in ORDER if BY_CODE[c].poste == key)
        section = BY_CODE[code].section
        label = _rubrique(code, by)[1]
        values = [new.get(key, 0.0), old.get(key, 0.0)]
        if real is not None:
            values.append(real.get(key, 0.0))
        if all(abs(v) < 0.005 for v in values):
            continue
        rows.append(
            {"Code": key, "Section": section, "Rubrique": label, N1: values[0], N: values[1]}
            | ({R: values[2]} if real is not None else {})
        )
    table = pd.DataFrame(rows).set_index("Code")
    columns = [N1, N] + ([R] if real is not None else [])
    totals = {}
    for section, label in ((CHARGES, "Total des charges"), (PRODUITS, "Total des produits")):
        part = table[table["Section"] == section]
        totals[label] = {"Section": section, "Rubrique": label, **part[columns].sum().to_dict()}
    totals["Résultat"] = {
        "Section": "",
        "Rubrique": "Résultat (produits − charges)",
        **{c: totals["Total des produits"][c] - totals["Total des charges"][c] for c in columns},
    }
    table = pd.concat([table, pd.DataFrame.from_dict(totals, orient="index")])
    table.index.name = "Code"
    table[DELTA] = table[N1] - table[N]
    table[DELTA_PCT] = (100 * table[DELTA] / table[N].abs()).where(table[N].abs() >= 0.005)
    relative = table[DELTA_PCT].abs() >= threshold_pct - 1e-9
    new_or_gone = table[N].abs().lt(0.005) | table[N1].abs().lt(0.005)
    big = table[DELTA].abs() >= threshold_eur - 1e-9
    is_line = ~table.index.isin(_TOTALS)
    table[FLAG] = (big & (relative | new_or_gone) & is_line).astype(bool)

    sentences = [
        _total_sentence(
            "total des charges",
            table.at["Total des charges", N1],
            table.at["Total des charges", N],
            years,
        ),
        _total_sentence(
            "total des produits",
            table.at["Total des produits", N1],
            table.at["Total des produits", N],
            years,
        ),
        _result_sentence(table.at["Résultat", N1], years[0]),
    ]
    flagged = table[table[FLAG]]
    order = flagged[DELTA].abs().sort_values(ascending=False, kind="stable").index
    for key in order:
        row = table.loc[key]
        sentences.append(
            _variation_sentence(
                row["Rubrique"],
                row["Section"],
                row[N1],
                row[N],
                row[R] if real is not None else None,
                years,
            )
        )
    who = f" – projet « {project} »" if project else ""
    name = f" – {next_budget.name}" if next_budget.name else ""
    heading = title or f"Budget prévisionnel {years[0] or 'N+1'}{name}{who}"
    return BoardPresentation(
        table=table,
        sentences=tuple(sentences),
        years=years,
        threshold_pct=float(threshold_pct),
        threshold_eur=float(threshold_eur),
        title=heading,
    )


def _key_order(key: str) -> int:
    if key in ORDER:
        return ORDER[key]
    return min(i for c, i in ORDER.items() if BY_CODE[c].poste == key)


# --------------------------------------------------------------------------- dialogue de gestion

_OBJECTIVE_COLUMNS: dict[str, tuple[str, ...]] = {
    "Projet": ("projet", "code analytique", "service", "action"),
    "Objectif": ("objectif", "indicateur"),
    "Cible": ("cible", "valeur cible", "objectif chiffre"),
    "Unité": ("unite",),
    "Réalisé": ("realise", "resultat"),
    "Enveloppe (€)": ("enveloppe", "enveloppe ca", "montant alloue"),
}


@dataclass(frozen=True, eq=False, repr=False)
class ManagementDialogue(Report, TableLike):
    """The internal view of the *dialogue de gestion*: resources by project against objectives.

    Attributes
    ----------
    table
        One row per project: ``Charges (€)``, ``Produits (€)``, ``Subventions (€)``,
        ``Résultat (€)``, ``Part des charges (%)``, ``Objectif``, ``Cible``, ``Unité``,
        ``Coût par unité visée (€)`` (charges / cible), and when given ``Réalisé``,
        ``Taux d'atteinte (%)``, ``Enveloppe (€)`` and ``Écart à l'enveloppe (€)`` (charges −
        enveloppe: positive = the project asks more than the CA's envelope).
    sentences
        One French sentence per project.
    """

    table: pd.DataFrame
    sentences: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def _lines(self) -> list[str]:
        return ["Dialogue de gestion : ressources de chaque projet et objectifs.", *self.sentences]

    def _html_tables(self) -> str:
        return titled_html(self.table, "Ressources et objectifs par projet", decimals=0)

    def plot(self, ax: Any = None) -> Any:
        """Horizontal bars: charges of each project (and its envelope when given)."""
        from ..plotting import euro_formatter, get_axes

        t = self.table
        _fig, ax = get_axes(ax, figsize=(8, 0.45 * len(t) + 1.5))
        y = np.arange(len(t))
        ax.barh(y, t["Charges (€)"], color="#D55E00", label="Charges prévues")
        if "Enveloppe (€)" in t.columns:
            ax.scatter(
                t["Enveloppe (€)"], y, color="black", marker="|", s=300, label="Enveloppe du CA"
            )
            ax.legend(loc="lower right")
        ax.set_yticks(y, [_short(str(i), 30) for i in t.index])
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(euro_formatter())
        ax.grid(True, axis="x", alpha=0.3)
        ax.grid(False, axis="y")
        ax.set_title("Charges prévues par projet")
        return ax


def management_dialogue(
    budget: Budget,
    objectives: pd.DataFrame | str | PathLike[str] | None = None,
    *,
    envelopes: Mapping[str, float] | None = None,
    support: Sequence[str] = (),
) -> ManagementDialogue:
    """Resources of each project (budget columns) against its objectives.

    Parameters
    ----------
    budget
        The budget by project (one column per analytic code).
    objectives
        A table (or a file read by ``read_table``) with columns ``Projet``, ``Objectif``,
        ``Cible`` and optionally ``Unité``, ``Réalisé`` and ``Enveloppe (€)``; one row per
        project (the first objective of a project is used for the cost per unit).
    envelopes
        ``{projet: montant}``: the envelopes the CA set (overrides the column).
    support
        The support centres (``locaux``, ``administration``…): columns of the budget whose
        charges are indirect costs of the projects (allocated with clés de répartition,
        ``finance.costs``); they have no objective of their own and their result is not a
        deficit to arbitrate.

    Examples
    --------
    >>> management_dialogue(budget, pd.DataFrame({"Projet": ["jeunesse"],           # doctest: +SKIP
    ...     "Objectif": ["jeunes accompagnés"], "Cible": [40]}))
    """
    if not isinstance(budget, Budget):
        raise DataError(
            "un budget (Budget) est attendu.", hint="lisez-le avec finance.read_budget(...)."
        )
    missing = [s for s in support if s not in budget.projects]
    if missing:
        raise column_error(missing[0], budget.projects, what="projet")
    summary = budget.summary().drop(index="Total", errors="ignore")
    total = float(summary["Total des charges"].sum())
    table = pd.DataFrame(
        {
            "Charges (€)": summary["Total des charges"],
            "Produits (€)": summary["Total des produits"],
            "Subventions (€)": summary["Subventions (74)"],
            "Résultat (€)": summary["Total des produits"] - summary["Total des charges"],
            "Part des charges (%)": 100 * summary["Total des charges"] / total if total else np.nan,
        }
    )
    table.index.name = "Projet"
    if objectives is not None:
        if not isinstance(objectives, pd.DataFrame):
            from .._io import read_table

            objectives = read_table(objectives)
        data = rename_columns(objectives, _OBJECTIVE_COLUMNS)
        for required in ("Projet", "Objectif", "Cible"):
            if required not in data.columns:
                raise column_error(required, list(objectives.columns))
        data = data.assign(Projet=data["Projet"].astype(str).str.strip())
        unknown = sorted(set(data["Projet"]) - set(table.index))
        if unknown:
            raise DataError(
                "projet(s) des objectifs absent(s) du budget : " + ", ".join(unknown) + ".",
                hint="les projets du budget sont : " + ", ".join(table.index) + ".",
            )
        first = data.drop_duplicates("Projet").set_index("Projet")
        for column in ("Objectif", "Cible", "Unité", "Réalisé", "Enveloppe (€)"):
            if column in first.columns:
                table[column] = first[column].reindex(table.index)
        table["Cible"] = pd.to_numeric(table["Cible"], errors="coerce")
        table["Coût par unité visée (€)"] = (table["Charges (€)"] / table["Cible"]).where(
            table["Cible"] > 0
        )
        if "Réalisé" in table.columns:
            table["Réalisé"] = pd.to_numeric(table["Réalisé"], errors="coerce")
            table["Taux d'atteinte (%)"] = (100 * table["Réalisé"] / table["Cible"]).where(
                table["Cible"] > 0
            )
    if envelopes is not None:
        table["Enveloppe (€)"] = pd.Series(envelopes, dtype=float).reindex(table.index)
    if "Enveloppe (€)" in table.columns:
        table["Enveloppe (€)"] = pd.to_numeric(table["Enveloppe (€)"], errors="coerce")
        table["Écart à l'enveloppe (€)"] = table["Charges (€)"] - table["Enveloppe (€)"]
    sentences = []
    for project, row in table.iterrows():
        text = (
            f"« {project} » : {format_euro(row['Charges (€)'])} de charges "
            f"({format_percent(row['Part des charges (%)'])} du budget)"
        )
        result = row["Résultat (€)"]
        if project in support:
            sentences.append(
                text + " : centre de support, ses charges sont des charges indirectes des "
                "projets (à répartir avec des clés de répartition)."
            )
            continue
        if result >= 0.5:
            text += f", excédent de {format_euro(result)}"
        elif result <= -0.5:
            cover = 100 * row["Produits (€)"] / row["Charges (€)"] if row["Charges (€)"] else 0.0
            text += (
                f", couvertes à {format_percent(cover, 0)} par ses produits affectés (reste "
                f"{format_euro(-result)} à financer par les ressources générales : à arbitrer)"
            )
        cible = row.get("Cible", np.nan)
        if "Objectif" in table.columns and not pd.isna(row.get("Objectif")) and not pd.isna(cible):
            unit = row.get("Unité")
            unit = "" if unit is None or pd.isna(unit) else f" {unit}"
            text += (
                f" ; objectif : {row['Objectif']} ({format_number(cible, 0)}{unit}), soit "
                f"{format_euro(row['Coût par unité visée (€)'])} par unité visée"
            )
            if "Taux d'atteinte (%)" in table.columns and not pd.isna(row["Taux d'atteinte (%)"]):
                rate = row["Taux d'atteinte (%)"]
                text += f", atteint à {format_percent(rate, 0)}"
        elif "Objectif" in table.columns:
            text += " ; aucun objectif chiffré : à fixer avant l'arbitrage"
        if "Écart à l'enveloppe (€)" in table.columns and not pd.isna(
            row["Écart à l'enveloppe (€)"]
        ):
            gap = row["Écart à l'enveloppe (€)"]
            if gap > 0.5:
                text += f" ; dépasse l'enveloppe du CA de {format_euro(gap)}"
            elif gap < -0.5:
                text += f" ; reste {format_euro(-gap)} sous l'enveloppe du CA"
            else:
                text += " ; égal à l'enveloppe du CA"
        sentences.append(text + ".")
    return ManagementDialogue(table, tuple(sentences))
