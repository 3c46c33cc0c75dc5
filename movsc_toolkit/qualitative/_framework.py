"""Verbatims and the framework matrix (cases × themes, Ritchie & Spencer 1994).

Reference: Ritchie, J. & Spencer, L. (1994), in Bryman & Burgess (eds.), *Analyzing
Qualitative Data*, 173-194; Gale, N. K. et al. (2013), *BMC Medical Research Methodology*,
13:117 (charting: cases in rows, themes in columns, summarised data in the cells).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from .._report import Report, result
from ._codings import Codings, speaker_at
from ._common import distinct, tables_html
from ._frequencies import code_order, name_columns
from ._office import write_workbook

__all__ = ["FrameworkMatrix", "framework_matrix", "verbatims"]


#: pandas' default dtype of a column of strings (Arrow-backed with pyarrow).
_TEXT = pd.Series(["texte"]).dtype


def _taken(values: pd.Series, rows: np.ndarray | None = None) -> object:
    """The values of a column (at positions ``rows``) for a new table, with the dtype a
    column built from them would get: a text column is taken as it is (with pyarrow,
    converting it to Python strings and back costs most of the time)."""
    if values.dtype == _TEXT:
        return values.array if rows is None else values.array.take(rows)
    return values.to_numpy() if rows is None else values.to_numpy()[rows]


def _pseudonymiser(table: pd.DataFrame | Mapping[str, str] | None):
    if table is None:
        return lambda s: s
    if isinstance(table, pd.DataFrame):
        mapping = dict(zip(table["Nom d'origine"], table["Pseudonyme"], strict=True))
    else:
        mapping = dict(table)
    names = sorted((str(k) for k in mapping if str(k).strip()), key=len, reverse=True)
    if not names:
        return lambda s: s
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")(?!\w)")
    return lambda s: pattern.sub(lambda m: str(mapping[m.group(1)]), s)


def verbatims(
    codings: Codings,
    code: str | Sequence[str],
    *,
    profile: str | Sequence[str] | None = None,
    pseudonyms: pd.DataFrame | Mapping[str, str] | None = None,
    n: int | None = None,
    coder: str | None = None,
) -> pd.DataFrame:
    """The excerpts of a code (or of a theme and its sub-themes), with speaker and profile.

    Parameters
    ----------
    code
        A code, a theme (its sub-themes are included) or a list of codes.
    profile
        Metadata variables to show (default: all of them).
    pseudonyms
        The correspondence table of :func:`movsc_toolkit.lexico.pseudonymize` (or a mapping
        name → pseudonym): names still in the excerpts are replaced. Excerpts of a corpus
        already pseudonymised need nothing.
    n
        At most ``n`` excerpts, spread over the interviews (first excerpt of each interview
        first).
    coder
        Only this coder's excerpts (when two coders coded the same texts).

    Returns
    -------
    pandas.DataFrame
        ``Entretien``, profile columns, ``Locuteur`` (label of the speaking turn: «
        Interviewée », « E »…), ``Code``, ``Verbatim``.

    Examples
    --------
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> dossier = datasets.path("entretiens_centre_social")
    >>> codage = quali.read_qdpx(dossier / "entretiens_codes.qdpx")
    >>> citations = quali.verbatims(codage.coder("Nora"), "Lien social")
    >>> len(citations), citations.columns.tolist()[-3:]
    (64, ['Locuteur', 'Code', 'Verbatim'])
    """
    wanted = [code] if isinstance(code, str) else list(code)
    book = codings.codebook
    expanded: list[str] = []
    used = set(distinct(codings.excerpts["code"]))
    for c in wanted:
        book.check(c) if c not in used else None
        expanded.append(c)
        expanded += [x for x in book.codes if book.theme_of(x) == c and x != c]
    ex = codings.excerpts[codings.excerpts["code"].isin(expanded)]
    if coder is not None:
        ex = ex[ex["codeur"] == coder]
    ex = ex.drop_duplicates(["texte", "début", "fin", "code"])
    if n is not None:
        rank = ex.groupby("texte").cumcount()
        ex = ex.assign(_r=rank.to_numpy()).sort_values(["_r", "texte"], kind="stable").head(n)
        ex = ex.sort_values(["texte", "début"], kind="stable")
    meta = codings.corpus.metadata.reset_index(drop=True)
    cols = (
        list(meta.columns)
        if profile is None
        else ([profile] if isinstance(profile, str) else list(profile))
    )
    clean = _pseudonymiser(pseudonyms)
    texts = codings.corpus.texts
    rows = ex["texte"].to_numpy()
    columns = {"Entretien": _taken(ex["document"])}
    left_out = name_columns(codings)
    for col in cols:
        if col not in meta.columns:
            from .._errors import column_error

            raise column_error(col, meta.columns, what="variable")
        if col in left_out:
            continue
        columns[col] = _taken(meta[col], rows)
    columns["Locuteur"] = [
        speaker_at(texts[t], s) for t, s in zip(rows.tolist(), ex["début"].tolist(), strict=True)
    ]
    columns["Code"] = _taken(ex["code"])
    columns["Verbatim"] = [clean(" ".join(v.split())) for v in ex["extrait"].tolist()]
    # built at once (a column added at a time rebuilds the frame each time)
    out = pd.DataFrame(columns)
    out.index = pd.RangeIndex(1, len(out) + 1)
    return out


@result
class FrameworkMatrix(Report):
    """Framework (charting) matrix: interviewees in rows, themes in columns (Ritchie & Spencer).

    Attributes
    ----------
    table : DataFrame
        One row per interview (with its profile), one column per theme; a cell holds the
        excerpts joined by `` […] `` (or the summary given), ``""`` when the theme is absent.
    counts : DataFrame
        The number of excerpts of each cell.

    Examples
    --------
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> dossier = datasets.path("entretiens_centre_social")
    >>> codage = quali.read_qdpx(dossier / "entretiens_codes.qdpx")
    >>> cadre = quali.framework_matrix(codage.coder("Nora"))
    >>> cadre.themes[:2]
    ('Apports du centre social', 'Fragilités du projet')
    """

    table: pd.DataFrame
    counts: pd.DataFrame
    themes: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        """The matrix (a copy)."""
        return self.table.copy()

    def to_excel(self, path: str | PathLike[str]) -> Path:
        """Export to ``.xlsx``: the matrix (wrapped text, frozen headers) and the counts."""

        return write_workbook(
            path,
            {"Matrice cadre": self.table, "Nombre d'extraits": self.counts},
            wrap={"Matrice cadre": list(self.themes)},
        )

    def _lines(self) -> list[str]:
        filled = int((self.counts[list(self.themes)] > 0).to_numpy().sum())
        total = self.counts[list(self.themes)].size
        return [
            f"Matrice cadre : {len(self.table)} entretiens × {len(self.themes)} thèmes, "
            f"{filled} cases remplies sur {total}. Une case vide est un résultat : le thème "
            "n'a pas été abordé (ou pas codé) dans cet entretien."
        ]

    def _html_tables(self) -> str:
        return tables_html(self._tables())

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        return [("Nombre d'extraits par case", self.counts)]


def framework_matrix(
    codings: Codings,
    *,
    level: Literal["theme", "code"] = "theme",
    profile: str | Sequence[str] | None = None,
    summaries: pd.DataFrame | None = None,
    max_chars: int | None = 600,
    pseudonyms: pd.DataFrame | Mapping[str, str] | None = None,
) -> FrameworkMatrix:
    """Framework matrix (interviewees × themes) with the excerpts, or a summary, per cell.

    Parameters
    ----------
    level
        ``"theme"`` (default): columns are the top-level themes (their sub-themes' excerpts
        are gathered); ``"code"``: one column per code.
    profile
        Metadata variables shown after the interview's name (default: all).
    summaries
        The student's summaries, one row per (``document``, ``thème``) with a ``résumé``
        column: they replace the excerpts in their cells (Ritchie & Spencer's charting is a
        summary, with a reference to the transcript).
    max_chars
        Cut a cell's excerpts after this many characters (``None``: keep everything).

    Returns
    -------
    FrameworkMatrix
        Interviewees × themes (or codes), each cell holding the excerpts or the summary
        (``.to_frame()``, ``.to_excel(path)``).

    References
    ----------
    Ritchie, J. & Spencer, L. (1994). Qualitative data analysis for applied policy research.
    In Bryman & Burgess (eds.), *Analyzing Qualitative Data*, 173-194 (the framework method).
    ``tests/qualitative/test_qualitative.py::test_framework_matrix_and_excel``.

    Examples
    --------
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> dossier = datasets.path("entretiens_centre_social")
    >>> codage = quali.read_qdpx(dossier / "entretiens_codes.qdpx")
    >>> cadre = quali.framework_matrix(codage.coder("Nora"), profile=["statut"])
    >>> cadre.to_frame().shape
    (24, 5)
    """
    ex = codings.excerpts.drop_duplicates(["texte", "début", "fin", "code"])
    book = codings.codebook
    key = ex["code"] if level == "code" else ex["code"].map(book.theme_of)
    columns = (
        code_order(codings, used_only=True)
        if level == "code"
        else list(dict.fromkeys([book.theme_of(c) for c in code_order(codings, True)]))
    )
    clean = _pseudonymiser(pseudonyms)
    meta = codings.corpus.metadata.reset_index(drop=True)
    left_out = name_columns(codings) if profile is None else set()
    cols = (
        [c for c in meta.columns if c not in left_out]
        if profile is None
        else ([profile] if isinstance(profile, str) else list(profile))
    )
    index = pd.Index(codings.documents, name="Entretien")
    profile_cells = {col: meta[col].to_numpy() for col in cols}
    # the excerpts of each (interview, theme), gathered in plain Python lists: a pandas
    # groupby over text columns costs more, above all on Arrow strings
    gathered: dict[tuple[int, str], list[str]] = {}
    for t, k, x in zip(ex["texte"].tolist(), key.tolist(), ex["extrait"].tolist(), strict=True):
        if not pd.isna(k):
            gathered.setdefault((t, k), []).append(" ".join(x.split()))
    joined = {group: " […] ".join(parts) for group, parts in gathered.items()}
    sizes = {group: len(parts) for group, parts in gathered.items()}
    summary_map = {}
    if summaries is not None:
        from ._common import find_column, text_of

        d = find_column(summaries, ["document", "entretien", "fichier"], required=True)
        t = find_column(summaries, ["thème", "theme", "code"], required=True)
        r = find_column(summaries, ["résumé", "resume", "synthèse"], required=True)
        for _, row in summaries.iterrows():
            summary_map[(text_of(row[d]), text_of(row[t]))] = text_of(row[r])
    texts, numbers_of = dict(profile_cells), dict(profile_cells)
    for theme in columns:
        cells, numbers = [], []
        for i, doc in enumerate(codings.documents):
            numbers.append(sizes.get((i, theme), 0))
            if (doc, theme) in summary_map:
                cells.append(summary_map[(doc, theme)])
                continue
            text = clean(joined.get((i, theme), ""))
            if max_chars is not None and len(text) > max_chars:
                text = text[: max_chars - 1].rstrip() + "…"
            cells.append(text)
        texts[theme] = cells
        numbers_of[theme] = np.asarray(numbers, dtype=np.int64)
    # built at once (a column added at a time rebuilds the frame each time); a theme named
    # like a profile column replaces it in place, as an assignment would
    table = pd.DataFrame(texts, index=index)
    counts = pd.DataFrame(numbers_of, index=index)
    return FrameworkMatrix(table, counts, tuple(columns))
