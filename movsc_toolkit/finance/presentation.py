"""Presenting the budget to the board (*conseil d'administration*): comparison and comments.

:func:`board_presentation` compares the budget N+1 with the budget N (voted or revised) and,
when given, the actual figures of N−1, by *poste* (two-digit accounts, subsidies by funder) or
by CERFA line; it flags the variations that matter (a relative change of at least ``min_rate``
**and** at least ``min_amount`` euros, by default 10 % and 5 000 €, the toolkit's convention —
or the CA's own rule) and explains each one in a French sentence written from the figures. The
commented presentation is exported to Word (``.docx``), PowerPoint (``.pptx``, python-pptx) and
HTML (:mod:`movsc_toolkit.finance._board_documents`). The *dialogue de gestion* is in
:mod:`movsc_toolkit.finance.dialogue`.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._errors import DataError
from .._report import Report, result, titled_html
from .._tablelike import TableLike
from ._board_documents import (
    DELTA,
    DELTA_PCT,
    FLAG,
    N1,
    TOTALS,
    N,
    R,
    note,
    rule_text,
    write_pptx,
)
from ._board_sentences import result_sentence, total_sentence, variation_sentence
from .budget import Budget
from .budget_vs_actual import actual_by_line
from .cerfa import BY_CODE, CHARGES, ORDER, POSTES, PRODUITS, short_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .ledger import Ledger

__all__ = ["BoardPresentation", "board_presentation"]


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


def _amounts_of(
    source: Ledger | Budget | pd.Series, project: str | None, year: int | None
) -> pd.Series:
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


@result
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
    min_rate, min_amount
        The rule: a variation is commented from ``min_rate`` (a proportion) **and**
        ``min_amount`` euros.
    title
        The title of the presentation.

    Examples
    --------
    >>> from movsc_toolkit import datasets, finance
    >>> comptes = datasets.load("maison_quartier_analytique")
    >>> chemin = datasets.path("maison_quartier_analytique", "budget_2026.xlsx")
    >>> budget_2026 = finance.read_budget(chemin)
    >>> budget_2027 = finance.read_budget(chemin.with_name("budget_2027_projet.xlsx"))
    >>> ca = finance.board_presentation(budget_2027, budget_2026, comptes,
    ...                                 min_rate=0.05, min_amount=2000)
    >>> ca.years
    (2027, 2026, 2025)
    >>> ca.to_comment["Écart N+1 − N (€)"].tolist()
    [3600.0, -2900.0, 10400.0]
    """

    table: pd.DataFrame
    sentences: tuple[str, ...]
    years: tuple[int | None, int | None, int | None]
    min_rate: float
    min_amount: float
    title: str

    def to_frame(self) -> pd.DataFrame:
        """The comparison table (a copy of :attr:`table`, exact amounts).

        Returns
        -------
        pandas.DataFrame
            One row per rubrique and the three totals.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> chemin = datasets.path("maison_quartier_analytique", "budget_2026.xlsx")
        >>> budget_2026 = finance.read_budget(chemin)
        >>> budget_2027 = finance.read_budget(chemin.with_name("budget_2027_projet.xlsx"))
        >>> ca = finance.board_presentation(budget_2027, budget_2026, comptes,
        ...                                 min_rate=0.05, min_amount=2000)
        >>> ca.to_frame().loc["Total des charges", ["Budget N+1 (€)", "Budget N (€)"]].tolist()
        [417500.0, 406200.0]
        """
        return self.table.copy()

    @property
    def to_comment(self) -> pd.DataFrame:
        """The rubriques whose variation passes the thresholds.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> chemin = datasets.path("maison_quartier_analytique", "budget_2026.xlsx")
        >>> budget_2026 = finance.read_budget(chemin)
        >>> budget_2027 = finance.read_budget(chemin.with_name("budget_2027_projet.xlsx"))
        >>> ca = finance.board_presentation(budget_2027, budget_2026, comptes,
        ...                                 min_rate=0.05, min_amount=2000)
        >>> ca.to_comment["Rubrique"].tolist()
        ['60 – Achats', '74 – Subventions : Département', '74 – Subventions : Commune']
        """
        return self.table[self.table[FLAG]]

    def _lines(self) -> list[str]:
        n = len(self.to_comment)
        count = (
            f"{n} rubrique(s) à commenter. {rule_text(self)}"
            if n
            else f"Aucune variation à commenter. {rule_text(self)}"
        )
        return [self.title, *self.sentences[:3], count, *self.sentences[3:]]

    def _html_tables(self) -> str:
        shown = self.table.copy()
        shown[FLAG] = shown[FLAG].map({True: "oui", False: ""})
        return titled_html(shown, "Budget par rubrique", decimals=0)

    # ---------------------------------------------------------------- charts
    def plot(self, *, ax: Axes | None = None) -> Axes:
        """Horizontal bars of the variations N+1 − N by rubrique (to comment in colour).

        Parameters
        ----------
        ax
            Matplotlib axes to draw on (new ones by default).

        Returns
        -------
        matplotlib.axes.Axes
            One bar per rubrique that changes by at least 0,50 €.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> chemin = datasets.path("maison_quartier_analytique", "budget_2026.xlsx")
        >>> budget_2026 = finance.read_budget(chemin)
        >>> budget_2027 = finance.read_budget(chemin.with_name("budget_2027_projet.xlsx"))
        >>> ca = finance.board_presentation(budget_2027, budget_2026, comptes,
        ...                                 min_rate=0.05, min_amount=2000)
        >>> len(ca.plot().patches)
        11
        """
        from ..plotting import gap_bars, get_axes

        rows = self.table[~self.table.index.isin(TOTALS)]
        rows = rows[rows[DELTA].abs() >= 0.5]
        _fig, ax = get_axes(ax, figsize=(8, 0.38 * max(len(rows), 1) + 1.6))
        colours = [
            ("#D55E00" if d > 0 else "#0072B2") if flag else "#BBBBBB"
            for d, flag in zip(rows[DELTA], rows[FLAG], strict=True)
        ]
        labels = [
            ("Charges : " if s == CHARGES else "Produits : ") + short_label(r, 42)
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

    def plot_totals(self, *, ax: Axes | None = None) -> Axes:
        """Grouped bars: total charges and total produits for each version.

        Parameters
        ----------
        ax
            Matplotlib axes to draw on (new ones by default).

        Returns
        -------
        matplotlib.axes.Axes
            Two bars (charges, produits) per version: actual N−1, budget N, budget N+1.

        Examples
        --------
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> chemin = datasets.path("maison_quartier_analytique", "budget_2026.xlsx")
        >>> budget_2026 = finance.read_budget(chemin)
        >>> budget_2027 = finance.read_budget(chemin.with_name("budget_2027_projet.xlsx"))
        >>> ca = finance.board_presentation(budget_2027, budget_2026, comptes,
        ...                                 min_rate=0.05, min_amount=2000)
        >>> [round(float(p.get_height()), 2) for p in ca.plot_totals().patches][:3]
        [396866.84, 406200.0, 417500.0]
        """
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

    # ---------------------------------------------------------------- exports
    def to_docx(self, path: str | PathLike[str]) -> Path:
        """Write the commented presentation as a Word document (tables, comments, charts).

        Parameters
        ----------
        path
            The ``.docx`` file to write (folders created, atomic write).

        Returns
        -------
        pathlib.Path
            The file written.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> chemin = datasets.path("maison_quartier_analytique", "budget_2026.xlsx")
        >>> budget_2026 = finance.read_budget(chemin)
        >>> budget_2027 = finance.read_budget(chemin.with_name("budget_2027_projet.xlsx"))
        >>> ca = finance.board_presentation(budget_2027, budget_2026, comptes,
        ...                                 min_rate=0.05, min_amount=2000)
        >>> ca.to_docx(Path(tempfile.mkdtemp()) / "ca.docx").suffix
        '.docx'
        """
        return note(self).to_docx(path)

    def to_html(self, path: str | PathLike[str]) -> Path:
        """Write the commented presentation as a standalone HTML page (charts embedded).

        Parameters
        ----------
        path
            The ``.html`` file to write.

        Returns
        -------
        pathlib.Path
            The file written.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> chemin = datasets.path("maison_quartier_analytique", "budget_2026.xlsx")
        >>> budget_2026 = finance.read_budget(chemin)
        >>> budget_2027 = finance.read_budget(chemin.with_name("budget_2027_projet.xlsx"))
        >>> ca = finance.board_presentation(budget_2027, budget_2026, comptes,
        ...                                 min_rate=0.05, min_amount=2000)
        >>> page = ca.to_html(Path(tempfile.mkdtemp()) / "ca.html")
        >>> "Les variations qui comptent" in page.read_text(encoding="utf-8")
        True
        """
        return note(self).to_html(path)

    def to_pptx(self, path: str | PathLike[str]) -> Path:
        """Write a slide deck (python-pptx): title, overview, variations, table, resolution.

        Every chart slide is followed by its figures in a table, so the numbers can be read
        without the chart.

        Parameters
        ----------
        path
            The ``.pptx`` file to write.

        Returns
        -------
        pathlib.Path
            The file written.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from movsc_toolkit import datasets, finance
        >>> comptes = datasets.load("maison_quartier_analytique")
        >>> chemin = datasets.path("maison_quartier_analytique", "budget_2026.xlsx")
        >>> budget_2026 = finance.read_budget(chemin)
        >>> budget_2027 = finance.read_budget(chemin.with_name("budget_2027_projet.xlsx"))
        >>> ca = finance.board_presentation(budget_2027, budget_2026, comptes,
        ...                                 min_rate=0.05, min_amount=2000)
        >>> from pptx import Presentation
        >>> deck = Presentation(ca.to_pptx(Path(tempfile.mkdtemp()) / "ca.pptx"))
        >>> deck.slides[0].shapes.title.text
        'Budget prévisionnel 2027 – Maison de quartier des Coquelicots'
        """
        return write_pptx(self, path)


def board_presentation(
    next_budget: Budget,
    budget: Budget,
    actual: Ledger | Budget | pd.Series | None = None,
    *,
    project: str | None = None,
    by: str = "poste",
    min_rate: float = 0.10,
    min_amount: float = 5000.0,
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
    min_rate, min_amount
        A variation is commented when it is at least ``min_rate`` of the budget N (a
        proportion: 0.10 for 10 %) **and** at least ``min_amount`` euros (a new or stopped
        rubrique: at least ``min_amount``). Default 10 % and 5 000 € (a convention of the
        toolkit, not a norm); use the CA's own rule when it has one.
    actual_year
        The year of the actual figures in the ledger.
    title
        Title (default « Budget prévisionnel N+1 »).

    Returns
    -------
    BoardPresentation
        The table by rubrique, the French comments, the charts and the exports (``.docx``,
        ``.pptx``, ``.html``).

    Examples
    --------
    The maison de quartier's budget 2027, against 2026 and the actual 2025, with the CA's rule
    of 5 % and 2 000 €:

    >>> from movsc_toolkit import datasets, finance
    >>> comptes = datasets.load("maison_quartier_analytique")
    >>> chemin = datasets.path("maison_quartier_analytique", "budget_2026.xlsx")
    >>> budget_2026 = finance.read_budget(chemin)
    >>> budget_2027 = finance.read_budget(chemin.with_name("budget_2027_projet.xlsx"))
    >>> ca = finance.board_presentation(budget_2027, budget_2026, comptes,
    ...                                 min_rate=0.05, min_amount=2000)
    >>> float(ca.table.loc["Résultat", "Budget N+1 (€)"])
    0.0
    >>> len(ca.sentences)  # three on the totals, one per variation to comment
    6

    References
    ----------
    Presenting the budget to the board as practitioners' guides describe it (Crédit Mutuel,
    Associathèque, « Focus budget prévisionnel »; F. Turpault, iriv, benevolat.net, 2004);
    ``tests/finance/test_presentation.py`` (``test_table_by_poste``,
    ``test_flags_need_both_thresholds``, ``test_every_variation_sentence_matches_the_sign``).
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
    years: tuple[int | None, int | None, int | None] = (next_budget.year, budget.year, None)
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
    relative = table[DELTA_PCT].abs() >= 100 * min_rate - 1e-9
    new_or_gone = table[N].abs().lt(0.005) | table[N1].abs().lt(0.005)
    big = table[DELTA].abs() >= min_amount - 1e-9
    is_line = ~table.index.isin(TOTALS)
    table[FLAG] = (big & (relative | new_or_gone) & is_line).astype(bool)

    sentences = [
        total_sentence(
            "total des charges",
            table.at["Total des charges", N1],
            table.at["Total des charges", N],
            years,
        ),
        total_sentence(
            "total des produits",
            table.at["Total des produits", N1],
            table.at["Total des produits", N],
            years,
        ),
        result_sentence(table.at["Résultat", N1], years[0]),
    ]
    flagged = table[table[FLAG]]
    order = flagged[DELTA].abs().sort_values(ascending=False, kind="stable").index
    for key in order:
        row = table.loc[key]
        sentences.append(
            variation_sentence(
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
        min_rate=float(min_rate),
        min_amount=float(min_amount),
        title=heading,
    )


def _key_order(key: str) -> int:
    if key in ORDER:
        return ORDER[key]
    return min(i for c, i in ORDER.items() if BY_CODE[c].poste == key)
