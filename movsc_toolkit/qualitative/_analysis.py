"""Analyses of coded interviews: frequencies, matrices, co-occurrences, verbatims, framework,
saturation, inter-coder agreement, crossing with Reinert classes.

Reference: ``qualitative.md`` §2 (κ), §3.1 (framework), §3.3 (saturation), §5 (anchor tools'
tables, reproduced from one excerpts table).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._errors import DataError
from .._format import format_number
from ._codings import Codings, speaker_at
from ._common import Report

__all__ = [
    "AgreementResult",
    "CodeMatrix",
    "Cooccurrences",
    "FrameworkMatrix",
    "Saturation",
    "agreement",
    "code_frequencies",
    "code_matrix",
    "codes_by_class",
    "cooccurrences",
    "framework_matrix",
    "kappa_label",
    "saturation",
    "verbatims",
]


def _code_order(codings: Codings, used_only: bool = False) -> list[str]:
    used = set(codings.excerpts["code"])
    book = [
        c
        for c, codable in zip(
            codings.codebook.table["Code"], codings.codebook.table["Codable"], strict=True
        )
        if codable or c in used
    ]
    extra = [c for c in dict.fromkeys(codings.excerpts["code"]) if c not in set(book)]
    order = book + extra
    return [c for c in order if c in used] if used_only else order


def _name_columns(codings: Codings) -> set[str]:
    """Metadata columns that only repeat the interview's name (left out of profiles)."""
    meta = codings.corpus.metadata
    names = list(codings.documents)
    stems = [n.rsplit(".", 1)[0] for n in names]
    return {c for c in meta.columns if [str(v) for v in meta[c]] in (names, stems)} | {"fichier"}


# --------------------------------------------------------------------------------------------
# frequencies


def code_frequencies(codings: Codings, *, sort: bool = False) -> pd.DataFrame:
    """How often each code is used: in how many interviews and how many excerpts.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``Code`` (codebook order, or by decreasing number of interviews with
        ``sort=True``): ``Thème``, ``Entretiens`` (interviews with at least one excerpt),
        ``% des entretiens`` (of all the corpus's interviews), ``Extraits``, ``% des
        extraits``. Codes of the codebook never used show 0.
    """
    ex = codings.excerpts
    order = _code_order(codings)
    n_docs = len(codings.documents)
    interviews = ex.groupby("code")["texte"].nunique().reindex(order, fill_value=0)
    excerpts = ex.groupby("code").size().reindex(order, fill_value=0)
    out = pd.DataFrame(
        {
            "Thème": [codings.codebook.theme_of(c) for c in order],
            "Entretiens": interviews.astype(np.int64).to_numpy(),
            "% des entretiens": 100 * interviews.to_numpy() / max(n_docs, 1),
            "Extraits": excerpts.astype(np.int64).to_numpy(),
            "% des extraits": 100 * excerpts.to_numpy() / max(len(ex), 1),
        },
        index=pd.Index(order, name="Code"),
    )
    if sort:
        out = out.sort_values(["Entretiens", "Extraits"], ascending=False, kind="stable")
    return out


# --------------------------------------------------------------------------------------------
# code × profile


@dataclass(frozen=True, repr=False)
class CodeMatrix(Report):
    """Code × profile matrix (NVivo's matrix coding query).

    Attributes
    ----------
    counts : DataFrame
        Codes in rows, modalities of the variable in columns, with ``Total``.
    row_percent, col_percent : DataFrame
        Row and column percentages (full precision).
    variable, measure : str
    """

    counts: pd.DataFrame
    row_percent: pd.DataFrame
    col_percent: pd.DataFrame
    variable: str
    measure: str

    def to_frame(self, percent: Literal[None, "row", "col"] = None) -> pd.DataFrame:
        """The counts, or the row (``"row"``) / column (``"col"``) percentages."""
        if percent == "row":
            return self.row_percent.copy()
        if percent == "col":
            return self.col_percent.copy()
        return self.counts.copy()

    def _lines(self) -> list[str]:
        what = "entretiens" if self.measure == "entretiens" else "extraits"
        lines = [f"Codes × « {self.variable} » : nombre d'{what} par code et par modalité."]
        if self.measure == "entretiens":
            lines.append(
                "Lecture des % en colonne : part des entretiens de chaque profil qui évoquent "
                "le code (un entretien peut évoquer plusieurs codes : les colonnes ne font "
                "pas 100 %)."
            )
        else:
            lines.append(
                "Lecture des % en colonne : part des extraits de chaque profil consacrés au code."
            )
        return lines

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        return [("Effectifs", self.counts), ("% en colonne", self.col_percent.round(1))]


def code_matrix(
    codings: Codings,
    variable: str,
    *,
    measure: Literal["extraits", "entretiens"] = "entretiens",
) -> CodeMatrix:
    """Cross the codes with a profile variable (``statut``, ``sexe``…) of the interviews.

    Parameters
    ----------
    variable
        A metadata variable of the corpus.
    measure
        ``"entretiens"`` (default): number of interviews of each profile where the code
        appears; the column total is the number of interviews of the profile, so the column
        percentage reads « x % des usagers évoquent ce code ». ``"extraits"``: number of
        excerpts; the column total is the profile's number of excerpts.
    """
    meta = codings.corpus.metadata.reset_index(drop=True)
    if variable not in meta.columns:
        from .._errors import column_error

        raise column_error(variable, meta.columns, what="variable")
    if measure not in ("extraits", "entretiens"):
        raise DataError(
            f"measure=« {measure} » n'est pas reconnu.",
            hint="choisissez « entretiens » ou « extraits ».",
        )
    profile = meta[variable].astype(object).where(meta[variable].notna(), "Non renseigné")
    profile = profile.astype(str)
    modalities = list(dict.fromkeys(profile))
    if isinstance(meta[variable].dtype, pd.CategoricalDtype):
        modalities = [str(c) for c in meta[variable].cat.categories if str(c) in set(profile)]
    ex = codings.excerpts
    order = _code_order(codings)
    frame = pd.DataFrame({"code": ex["code"], "texte": ex["texte"]})
    frame["profil"] = profile.to_numpy()[ex["texte"].to_numpy()] if len(ex) else []
    if measure == "entretiens":
        frame = frame.drop_duplicates(["code", "texte"])
        col_total = profile.value_counts().reindex(modalities, fill_value=0)
        grand = len(meta)
    else:
        col_total = frame.groupby("profil").size().reindex(modalities, fill_value=0)
        grand = len(frame)
    counts = (
        pd.crosstab(frame["code"], frame["profil"])
        .reindex(index=order, columns=modalities, fill_value=0)
        .astype(np.int64)
    )
    counts.index.name, counts.columns.name = "Code", variable
    row_total = (
        (frame.drop_duplicates(["code", "texte"]) if measure == "entretiens" else frame)
        .groupby("code")
        .size()
        .reindex(order, fill_value=0)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        row_pct = counts.div(counts.sum(axis=1).replace(0, np.nan), axis=0) * 100
        col_pct = counts.div(col_total.replace(0, np.nan), axis=1) * 100
    full = counts.copy()
    full["Total"] = row_total.astype(np.int64).to_numpy()
    full.loc["Total"] = [*col_total.astype(np.int64).tolist(), grand]
    row_pct["Total"] = 100.0
    row_pct.loc[row_pct[modalities].isna().all(axis=1), "Total"] = np.nan
    col_pct["Total"] = full["Total"].iloc[:-1].to_numpy() / max(grand, 1) * 100
    col_pct.loc["Total"] = 100.0
    return CodeMatrix(full, row_pct, col_pct, variable, measure)


# --------------------------------------------------------------------------------------------
# co-occurrences


def _overlap_pairs(ex: pd.DataFrame, same_coder: bool) -> pd.DataFrame:
    """Pairs of excerpts of different codes overlapping in the same text."""
    left = ex[["texte", "code", "codeur", "début", "fin"]].reset_index(names="i")
    pairs = left.merge(left, on="texte", suffixes=("_a", "_b"))
    keep = (
        (pairs["i_a"] < pairs["i_b"])
        & (pairs["code_a"] != pairs["code_b"])
        & (pairs["début_a"] < pairs["fin_b"])
        & (pairs["début_b"] < pairs["fin_a"])
    )
    if same_coder:
        keep &= pairs["codeur_a"] == pairs["codeur_b"]
    return pairs[keep]


@dataclass(frozen=True, repr=False)
class Cooccurrences(Report):
    """Code × code co-occurrence matrix.

    Attributes
    ----------
    matrix : DataFrame
        Symmetric; off-diagonal cell = number of pairs of overlapping excerpts
        (``by="extrait"``) or of interviews where both codes appear (``by="entretien"``);
        diagonal = number of excerpts (or interviews) of the code.
    by : str
    """

    matrix: pd.DataFrame
    by: str

    def to_frame(self) -> pd.DataFrame:
        """The matrix (a copy)."""
        return self.matrix.copy()

    def pairs(self) -> pd.DataFrame:
        """The co-occurring pairs, most frequent first (``Code 1``, ``Code 2``, ``Effectif``)."""
        m = self.matrix
        rows = [
            (m.index[i], m.columns[j], int(m.iat[i, j]))
            for i in range(len(m))
            for j in range(i + 1, len(m))
            if m.iat[i, j] > 0
        ]
        out = pd.DataFrame(rows, columns=["Code 1", "Code 2", "Effectif"])
        out = out.sort_values("Effectif", ascending=False, kind="stable").reset_index(drop=True)
        out.index += 1
        return out

    def graph(self, min_count: int = 1) -> Any:
        """A networkx graph: codes as nodes (``weight`` = diagonal), co-occurrences as edges."""
        import networkx as nx

        g = nx.Graph()
        m = self.matrix
        for code in m.index:
            g.add_node(code, weight=int(m.at[code, code]))
        for _, (a, b, n) in self.pairs().iterrows():
            if n >= min_count:
                g.add_edge(a, b, weight=int(n))
        return g

    def plot(self, ax: Any = None, *, min_count: int = 1) -> Any:
        """Draw the co-occurrence graph (edge width ∝ co-occurrences); returns the Axes."""
        import matplotlib.pyplot as plt
        import networkx as nx

        from .. import plotting

        g = self.graph(min_count)
        g.remove_nodes_from([n for n in list(g.nodes) if g.degree(n) == 0])
        if ax is None:
            _, ax = plt.subplots(figsize=(8, 6))
        if not g.number_of_nodes():
            ax.set_axis_off()
            ax.set_title("Aucune co-occurrence")
            return ax
        pos = nx.kamada_kawai_layout(g)
        sizes = np.array([g.nodes[n]["weight"] for n in g.nodes], dtype=float)
        widths = np.array([g.edges[e]["weight"] for e in g.edges], dtype=float)
        color = plotting.PALETTE[0] if hasattr(plotting, "PALETTE") else "#1f77b4"
        nx.draw_networkx_edges(g, pos, ax=ax, width=1 + 4 * widths / widths.max(), alpha=0.5)
        nx.draw_networkx_nodes(
            g, pos, ax=ax, node_size=200 + 1200 * sizes / max(sizes.max(), 1), node_color=color
        )
        nx.draw_networkx_labels(g, pos, ax=ax, font_size=9)
        ax.set_title(
            "Co-occurrences des codes (extraits qui se chevauchent)"
            if self.by == "extrait"
            else "Co-occurrences des codes (mêmes entretiens)"
        )
        ax.set_axis_off()
        return ax

    def _lines(self) -> list[str]:
        what = (
            "paires d'extraits qui se chevauchent dans un même entretien"
            if self.by == "extrait"
            else "entretiens où les deux codes apparaissent"
        )
        lines = [f"Co-occurrences des codes : nombre de {what} (diagonale : total du code)."]
        top = self.pairs().head(3)
        for _, (a, b, n) in top.iterrows():
            lines.append(f"« {a} » et « {b} » : {n}.")
        return lines

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        return [("Matrice", self.matrix)]


def cooccurrences(
    codings: Codings,
    *,
    by: Literal["extrait", "entretien"] = "extrait",
    same_coder: bool = True,
) -> Cooccurrences:
    """Code × code co-occurrences (QualCoder's co-occurrence report, MAXQDA's code relations).

    Parameters
    ----------
    by
        ``"extrait"`` (default): two codes co-occur when an excerpt of one overlaps (shares at
        least one character with) an excerpt of the other in the same interview; a cell counts
        such pairs of excerpts. ``"entretien"``: a cell counts the interviews where both codes
        appear.
    same_coder
        With ``by="extrait"``, count only pairs coded by the same coder (default), so that two
        coders' codings of the same passage are not taken for a co-occurrence.
    """
    order = _code_order(codings, used_only=True)
    ex = codings.excerpts
    n = len(order)
    pos = {c: i for i, c in enumerate(order)}
    mat = np.zeros((n, n), dtype=np.int64)
    if by == "extrait":
        pairs = _overlap_pairs(ex, same_coder)
        a = pairs["code_a"].map(pos).to_numpy()
        b = pairs["code_b"].map(pos).to_numpy()
        np.add.at(mat, (a, b), 1)
        np.add.at(mat, (b, a), 1)
        diag = ex.groupby("code").size().reindex(order, fill_value=0).to_numpy()
    elif by == "entretien":
        presence = pd.crosstab(ex["texte"], ex["code"]).reindex(columns=order, fill_value=0)
        presence = (presence.to_numpy() > 0).astype(np.int64)
        mat = presence.T @ presence
        diag = np.diag(mat).copy()
    else:
        raise DataError(
            f"by=« {by} » n'est pas reconnu.", hint="choisissez « extrait » ou « entretien »."
        )
    np.fill_diagonal(mat, diag)
    frame = pd.DataFrame(mat, index=pd.Index(order, name="Code"), columns=order)
    return Cooccurrences(frame, by)


# --------------------------------------------------------------------------------------------
# verbatims


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
    """
    wanted = [code] if isinstance(code, str) else list(code)
    book = codings.codebook
    expanded: list[str] = []
    for c in wanted:
        book.check(c) if c not in set(codings.excerpts["code"]) else None
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
    out = pd.DataFrame({"Entretien": ex["document"].to_numpy()})
    for col in cols:
        if col not in meta.columns:
            from .._errors import column_error

            raise column_error(col, meta.columns, what="variable")
        if col in _name_columns(codings):
            continue
        out[col] = meta[col].to_numpy()[ex["texte"].to_numpy()]
    out["Locuteur"] = [
        speaker_at(texts[t], s) for t, s in zip(ex["texte"], ex["début"], strict=True)
    ]
    out["Code"] = ex["code"].to_numpy()
    out["Verbatim"] = [clean(" ".join(v.split())) for v in ex["extrait"]]
    out.index = pd.RangeIndex(1, len(out) + 1)
    return out


# --------------------------------------------------------------------------------------------
# framework matrix


@dataclass(frozen=True, repr=False)
class FrameworkMatrix(Report):
    """Framework (charting) matrix: interviewees in rows, themes in columns (Ritchie & Spencer).

    Attributes
    ----------
    table : DataFrame
        One row per interview (with its profile), one column per theme; a cell holds the
        excerpts joined by `` […] `` (or the summary given), ``""`` when the theme is absent.
    counts : DataFrame
        The number of excerpts of each cell.
    """

    table: pd.DataFrame
    counts: pd.DataFrame
    themes: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        """The matrix (a copy)."""
        return self.table.copy()

    def to_excel(self, path: str | PathLike[str]) -> Path:
        """Export to ``.xlsx``: the matrix (wrapped text, frozen headers) and the counts."""
        from ._docs import write_workbook

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
    """
    ex = codings.excerpts.drop_duplicates(["texte", "début", "fin", "code"])
    book = codings.codebook
    key = ex["code"] if level == "code" else ex["code"].map(book.theme_of)
    columns = (
        _code_order(codings, used_only=True)
        if level == "code"
        else list(dict.fromkeys([book.theme_of(c) for c in _code_order(codings, True)]))
    )
    clean = _pseudonymiser(pseudonyms)
    meta = codings.corpus.metadata.reset_index(drop=True)
    cols = (
        [c for c in meta.columns if c not in _name_columns(codings)]
        if profile is None
        else ([profile] if isinstance(profile, str) else list(profile))
    )
    index = pd.Index(codings.documents, name="Entretien")
    table = pd.DataFrame(index=index)
    for col in cols:
        table[col] = meta[col].to_numpy()
    counts = table.copy()
    work = pd.DataFrame(
        {
            "texte": ex["texte"].to_numpy(),
            "k": key.to_numpy(),
            "x": [" ".join(v.split()) for v in ex["extrait"]],
        }
    )
    grouped = work.groupby(["texte", "k"], sort=False)["x"]
    joined = grouped.agg(" […] ".join).to_dict()
    sizes = grouped.size().to_dict()
    summary_map = {}
    if summaries is not None:
        from ._common import find_column, text_of

        d = find_column(summaries, ["document", "entretien", "fichier"], required=True)
        t = find_column(summaries, ["thème", "theme", "code"], required=True)
        r = find_column(summaries, ["résumé", "resume", "synthèse"], required=True)
        for _, row in summaries.iterrows():
            summary_map[(text_of(row[d]), text_of(row[t]))] = text_of(row[r])
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
        table[theme] = cells
        counts[theme] = np.asarray(numbers, dtype=np.int64)
    return FrameworkMatrix(table, counts, tuple(columns))


# --------------------------------------------------------------------------------------------
# saturation


@dataclass(frozen=True, repr=False)
class Saturation(Report):
    """Saturation table: new codes brought by each successive interview (Guest et al. 2006).

    Attributes
    ----------
    table : DataFrame
        One row per interview in the order given: ``Entretien``, ``Nouveaux codes``,
        ``Codes cumulés``, ``% des codes``, ``Codes apparus``.
    mean_curve : Series or None
        Mean cumulated number of codes over random orders of the interviews.
    """

    table: pd.DataFrame
    mean_curve: pd.Series | None = None

    def to_frame(self) -> pd.DataFrame:
        """The table (a copy)."""
        return self.table.copy()

    @property
    def last_new(self) -> int:
        """Rank of the last interview that brought a new code."""
        new = self.table["Nouveaux codes"].to_numpy()
        return int(np.flatnonzero(new > 0).max() + 1) if new.any() else 0

    def plot(self, ax: Any = None) -> Any:
        """Bars: new codes per interview; line: cumulated codes (and the mean over orders)."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(8, 4.5))
        ranks = self.table.index.to_numpy()
        ax.bar(ranks, self.table["Nouveaux codes"], color="#9ecae1", label="Nouveaux codes")
        ax.plot(
            ranks, self.table["Codes cumulés"], marker="o", color="#08519c", label="Codes cumulés"
        )
        if self.mean_curve is not None:
            ax.plot(
                ranks,
                self.mean_curve.to_numpy(),
                linestyle="--",
                color="#636363",
                label="Codes cumulés (moyenne sur des ordres tirés au hasard)",
            )
        ax.set_xlabel("Rang de l'entretien (ordre de codage)")
        ax.set_ylabel("Nombre de codes")
        ax.set_title("Courbe de saturation")
        ax.set_xticks(ranks)
        ax.legend(loc="center right")
        return ax

    def _lines(self) -> list[str]:
        t = self.table
        total = int(t["Codes cumulés"].iloc[-1]) if len(t) else 0
        lines = [
            f"{total} codes au total ; le dernier code nouveau apparaît à l'entretien de rang "
            f"{self.last_new} sur {len(t)}."
        ]
        tail = t["Nouveaux codes"].to_numpy()[-3:]
        if len(t) >= 3 and not tail.any():
            lines.append(
                "Les trois derniers entretiens n'apportent aucun code nouveau : indice de "
                "saturation (à confirmer par la lecture : un code nouveau peut être rare mais "
                "important)."
            )
        else:
            lines.append(
                "Des codes nouveaux apparaissent encore en fin de corpus : la saturation "
                "n'est pas atteinte pour tous les thèmes."
            )
        return lines

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        return [("Saturation", self.table.drop(columns="Codes apparus"))]


def saturation(
    codings: Codings,
    *,
    order: str | Sequence[str] | None = None,
    permutations: int = 0,
    random_state: int = 0,
) -> Saturation:
    """New codes per successive interview, cumulated codes and % of the final codebook.

    Parameters
    ----------
    order
        The order in which the interviews were conducted or coded: a metadata variable (e.g.
        ``"date_entretien"``, sorted), or the list of interview names. Default: corpus order.
    permutations
        Also compute the mean cumulated curve over this many random orders (Guest, Namey &
        Chen 2020), to show how much the curve depends on the order.
    """
    docs = list(codings.documents)
    if order is None:
        ranked = list(range(len(docs)))
    elif isinstance(order, str):
        meta = codings.corpus.metadata.reset_index(drop=True)
        if order not in meta.columns:
            from .._errors import column_error

            raise column_error(order, meta.columns, what="variable")
        values = meta[order]
        if not (
            pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values)
        ):
            from .._parse import to_date

            parsed = to_date(pd.Series(values, dtype=object)).values
            values = parsed if parsed.notna().all() else values
        ranked = list(pd.Series(values).sort_values(kind="stable").index)
    else:
        missing = [d for d in order if d not in docs]
        if missing:
            raise DataError(f"entretien inconnu dans order : « {missing[0]} ».")
        ranked = [docs.index(d) for d in order]
    ex = codings.excerpts
    by_text = ex.groupby("texte")["code"].agg(lambda s: list(dict.fromkeys(s)))
    seen: set[str] = set()
    rows = []
    total = ex["code"].nunique()
    for i in ranked:
        codes = by_text.get(i, [])
        new = [c for c in codes if c not in seen]
        seen.update(new)
        rows.append(
            {
                "Entretien": docs[i],
                "Nouveaux codes": len(new),
                "Codes cumulés": len(seen),
                "% des codes": 100 * len(seen) / max(total, 1),
                "Codes apparus": ", ".join(new),
            }
        )
    table = pd.DataFrame(rows)
    table.index = pd.RangeIndex(1, len(table) + 1, name="Rang")
    mean_curve = None
    if permutations:
        rng = np.random.default_rng(random_state)
        order_codes = [set(by_text.get(i, [])) for i in ranked]
        acc = np.zeros(len(ranked))
        for _ in range(permutations):
            seen_p: set[str] = set()
            for k, j in enumerate(rng.permutation(len(ranked))):
                seen_p |= order_codes[j]
                acc[k] += len(seen_p)
        mean_curve = pd.Series(acc / permutations, index=table.index, name="Moyenne")
    return Saturation(table, mean_curve)


# --------------------------------------------------------------------------------------------
# inter-coder agreement


_BANDS = [
    (0.0, "inférieur au hasard"),
    (0.2, "très faible"),
    (0.4, "faible"),
    (0.6, "modéré"),
    (0.8, "substantiel"),
    (1.0, "quasi parfait"),
]


def kappa_label(kappa: float) -> str:
    """Landis & Koch (1977) band of a κ value, in French (« modéré », « substantiel »…)."""
    if kappa is None or not np.isfinite(kappa):
        return "non défini"
    if kappa < 0:
        return _BANDS[0][1]
    for upper, label in _BANDS[1:]:
        if kappa <= upper + 1e-12:
            return label
    return _BANDS[-1][1]


def _kappa(n_ab, n_a, n_b, n) -> tuple[np.ndarray, np.ndarray]:
    """(% agreement, κ) from the 2 × 2 counts: both, A, B, total (arrays)."""
    n_ab, n_a, n_b, n = (np.asarray(x, dtype=float) for x in (n_ab, n_a, n_b, n))
    with np.errstate(divide="ignore", invalid="ignore"):
        neither = n - n_a - n_b + n_ab
        po = np.where(n > 0, (n_ab + neither) / n, np.nan)
        pe = np.where(n > 0, (n_a * n_b + (n - n_a) * (n - n_b)) / (n * n), np.nan)
        kappa = np.where(pe < 1, (po - pe) / (1 - pe), np.nan)
    return 100 * po, kappa


def _merged(frame: pd.DataFrame) -> pd.DataFrame:
    """Union of the intervals of each (code, texte): disjoint ``s``, ``e`` (vectorised)."""
    if frame.empty:
        return pd.DataFrame({"code": [], "texte": [], "s": [], "e": []})
    f = frame.sort_values(["code", "texte", "début"], kind="stable")
    group = f.groupby(["code", "texte"], sort=False).ngroup().to_numpy()
    s, e = f["début"].to_numpy(), f["fin"].to_numpy()
    running = pd.Series(e).groupby(group).cummax().to_numpy()
    first = np.r_[True, group[1:] != group[:-1]]
    previous = np.r_[0, running[:-1]]
    new = first | (s > previous)
    run = np.cumsum(new) - 1
    return pd.DataFrame(
        {
            "code": f["code"].to_numpy()[new],
            "texte": f["texte"].to_numpy()[new],
            "s": s[new],
            "e": pd.Series(e).groupby(run).max().to_numpy(),
        }
    )


def _character_counts(ex_a: pd.DataFrame, ex_b: pd.DataFrame) -> pd.DataFrame:
    """Characters coded by A, by B and by both, per (code, texte)."""
    ma, mb = _merged(ex_a), _merged(ex_b)
    a = (ma["e"] - ma["s"]).groupby([ma["code"], ma["texte"]]).sum().rename("a")
    b = (mb["e"] - mb["s"]).groupby([mb["code"], mb["texte"]]).sum().rename("b")
    pairs = ma.merge(mb, on=["code", "texte"], suffixes=("_a", "_b"))
    overlap = (
        np.minimum(pairs["e_a"], pairs["e_b"]) - np.maximum(pairs["s_a"], pairs["s_b"])
    ).clip(lower=0)
    ab = overlap.groupby([pairs["code"], pairs["texte"]]).sum().rename("ab")
    out = pd.concat([a, b, ab], axis=1).fillna(0).astype(np.int64)
    out.index.names = ["code", "texte"]
    return out


def _segment_counts(ex_a, ex_b, seg_text, seg_s, seg_e) -> pd.DataFrame:
    """Segments touched by A, by B and by both, per (code, texte)."""
    big = np.int64(1) << 40
    start_key = seg_text.astype(np.int64) * big + seg_s
    end_key = seg_text.astype(np.int64) * big + seg_e

    def touched(frame: pd.DataFrame) -> pd.DataFrame:
        t = frame["texte"].to_numpy(np.int64)
        lo = np.searchsorted(end_key, t * big + frame["début"].to_numpy(), side="right")
        hi = np.searchsorted(start_key, t * big + frame["fin"].to_numpy(), side="left")
        n = np.maximum(hi - lo, 0)
        seg = np.repeat(lo, n) + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))
        out = pd.DataFrame({"code": np.repeat(frame["code"].to_numpy(), n), "segment": seg})
        out["texte"] = seg_text[seg]
        return out.drop_duplicates()

    ta, tb = touched(ex_a), touched(ex_b)
    a = ta.groupby(["code", "texte"]).size().rename("a")
    b = tb.groupby(["code", "texte"]).size().rename("b")
    both = ta.merge(tb, on=["code", "texte", "segment"])
    ab = both.groupby(["code", "texte"]).size().rename("ab")
    out = pd.concat([a, b, ab], axis=1).fillna(0).astype(np.int64)
    out.index.names = ["code", "texte"]
    return out


@dataclass(frozen=True, repr=False)
class AgreementResult(Report):
    """Inter-coder agreement per code (NVivo's coding comparison query).

    Attributes
    ----------
    table : DataFrame
        One row per code: units (characters or segments) coded by both, by neither, by A
        only, by B only, ``% d'accord``, ``κ`` and its Landis & Koch band; counts summed over
        the interviews (so each interview weighs by its length), then κ computed once.
    details : DataFrame
        The same per code × interview.
    coders : tuple of str
    unit : str
    """

    table: pd.DataFrame
    details: pd.DataFrame
    coders: tuple[str, str]
    unit: str

    def to_frame(self) -> pd.DataFrame:
        """The table per code (a copy)."""
        return self.table.copy()

    @property
    def mean_kappa(self) -> float:
        """Mean κ over the codes where it is defined."""
        return float(np.nanmean(self.table["κ"])) if self.table["κ"].notna().any() else np.nan

    def _lines(self) -> list[str]:
        a, b = self.coders
        unit = "caractère" if self.unit == "caractère" else "segment de texte"
        t = self.table
        lines = [
            f"Accord entre « {a} » et « {b} », unité : le {unit} ; κ de Cohen par code "
            f"(moyenne {format_number(self.mean_kappa, 2)}).",
        ]
        weak = t[t["κ"] < 0.4]
        if len(weak):
            lines.append(
                "Codes à discuter (κ < 0,40) : "
                + ", ".join(f"« {c} » ({format_number(k, 2)})" for c, k in weak["κ"].items())
                + " — relisez ensemble leurs définitions et critères d'inclusion/exclusion."
            )
        lines.append(
            "Repères (Landis et Koch, 1977, arbitraires) : 0,41–0,60 modéré, 0,61–0,80 "
            "substantiel, > 0,80 quasi parfait. Un code rare peut avoir un κ faible malgré un "
            "fort % d'accord."
        )
        return lines

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        return [("Accord par code", self.table)]


def _segment_units(codings: Codings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    frame, starts, ends = codings.corpus._compute_segments()
    return frame["texte"].to_numpy(), starts, ends


def agreement(
    codings: Codings,
    coder_a: str | None = None,
    coder_b: str | None = None,
    *,
    unit: Literal["caractère", "segment"] = "caractère",
    codes: Sequence[str] | None = None,
) -> AgreementResult:
    """Cohen's κ per code between two coders who coded the same interviews.

    Parameters
    ----------
    coder_a, coder_b
        The two coders (default: the first two found).
    unit
        ``"caractère"`` (default, as NVivo): each character of each interview is coded or not
        by each coder; ``"segment"``: each text segment of the corpus (≈ 40 words, cut as in
        IRaMuTeQ) counts as coded when an excerpt of the code overlaps it.
    codes
        The codes to compare (default: every code used by either coder).

    Notes
    -----
    Only interviews coded by both coders are compared. For each code, the counts (coded by
    both, by neither, by one only) are summed over these interviews and κ = (p_o − p_e) /
    (1 − p_e), p_e = p_A·p_B + (1 − p_A)(1 − p_B) (``qualitative.md`` §2.1). QualCoder's κ
    uses another formula and gives other values.
    """
    coders = codings.coders
    a = coder_a or (coders[0] if coders else None)
    b = coder_b or (next((c for c in coders if c != a), None))
    if a is None or b is None or a == b:
        raise DataError(
            "il faut deux codeurs pour mesurer l'accord"
            + (f" ; codeurs trouvés : {', '.join(coders)}" if coders else "")
            + ".",
            hint="codez les mêmes entretiens à deux, chacun avec son nom dans la colonne "
            "« codeur ».",
        )
    for c in (a, b):
        if c not in coders:
            codings.coder(c)  # raises the French error with suggestions
    ex = codings.excerpts
    ex_a, ex_b = ex[ex["codeur"] == a], ex[ex["codeur"] == b]
    common = sorted(set(ex_a["texte"]) & set(ex_b["texte"]))
    if not common:
        raise DataError(
            f"« {a} » et « {b} » n'ont codé aucun entretien en commun.",
            hint="l'accord se mesure sur les mêmes entretiens codés par les deux.",
        )
    wanted = list(codes) if codes is not None else _code_order(codings, used_only=True)
    texts = codings.corpus.texts
    if unit == "segment":
        seg_text, seg_s, seg_e = _segment_units(codings)
    elif unit != "caractère":
        raise DataError(
            f"unit=« {unit} » n'est pas reconnu.", hint="choisissez « caractère » ou « segment »."
        )
    ex_a = ex_a[ex_a["texte"].isin(common) & ex_a["code"].isin(wanted)]
    ex_b = ex_b[ex_b["texte"].isin(common) & ex_b["code"].isin(wanted)]
    if unit == "caractère":
        sizes = np.array([len(texts[t]) for t in common], dtype=np.int64)
        counts = _character_counts(ex_a, ex_b)
    else:
        sizes = np.array([(seg_text == t).sum() for t in common], dtype=np.int64)
        counts = _segment_counts(ex_a, ex_b, seg_text, seg_s, seg_e)
    grid = pd.MultiIndex.from_product([wanted, common], names=["code", "texte"])
    counts = counts.reindex(grid, fill_value=0)
    details = pd.DataFrame(
        {
            "Code": grid.get_level_values(0),
            "Entretien": [codings.documents[t] for t in grid.get_level_values(1)],
            "Unités": np.tile(sizes, len(wanted)),
            "A et B": counts["ab"].to_numpy(),
            "A": counts["a"].to_numpy(),
            "B": counts["b"].to_numpy(),
        }
    )
    summed = details.groupby("Code", sort=False)[["Unités", "A et B", "A", "B"]].sum()
    summed = summed.reindex(wanted)

    def finish(frame: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame(index=frame.index)
        n, n_ab = frame["Unités"].to_numpy(float), frame["A et B"].to_numpy(float)
        n_a, n_b = frame["A"].to_numpy(float), frame["B"].to_numpy(float)
        out["Unités"] = frame["Unités"].astype(np.int64)
        out["A et B"] = frame["A et B"].astype(np.int64)
        out["Ni A ni B"] = (n - n_a - n_b + n_ab).astype(np.int64)
        out["A seul"] = (n_a - n_ab).astype(np.int64)
        out["B seul"] = (n_b - n_ab).astype(np.int64)
        po, kappa = _kappa(n_ab, n_a, n_b, n)
        out["% d'accord"] = po
        out["κ"] = kappa
        out["Interprétation"] = [kappa_label(k) for k in kappa]
        return out

    table = finish(summed)
    table.index.name = "Code"
    det = finish(details.set_index(["Code", "Entretien"]))
    return AgreementResult(table, det, (a, b), unit)


# --------------------------------------------------------------------------------------------
# codes × Reinert classes


def codes_by_class(codings: Codings, result: Any, *, percent: bool = False) -> pd.DataFrame:
    """Cross the codes with the Reinert classes of the same corpus.

    A text segment (the unit of the Reinert classification) counts for a code when an
    excerpt of that code overlaps it; the cell counts such segments in each class. The
    classification must have been run on ``codings.corpus`` (same texts, same segments).

    Returns
    -------
    pandas.DataFrame
        Codes in rows, ``Classe 1`` … ``Classe K`` and ``Non classés`` in columns, with
        ``Total`` (``percent=True``: row percentages), and ``attrs["residus"]``, the
        standardised residuals (observed − expected) / √expected of the counts against
        independence (> 2: the code is over-represented in the class).
    """
    frame, starts, ends = codings.corpus._compute_segments()
    classes = result.classes.to_numpy()
    if len(classes) != len(frame):
        raise DataError(
            f"la classification porte sur {len(classes)} segments, le corpus codé en a "
            f"{len(frame)}.",
            hint="lancez reinert() sur codings.corpus (le même corpus que le codage).",
        )
    seg_text = frame["texte"].to_numpy()
    ex = codings.excerpts.drop_duplicates(["texte", "début", "fin", "code"])
    order = _code_order(codings, used_only=True)
    k = int(classes.max()) if len(classes) else 0
    labels = [f"Classe {i}" for i in range(1, k + 1)] + ["Non classés"]
    counts = np.zeros((len(order), k + 1), dtype=np.int64)
    pos = {c: i for i, c in enumerate(order)}
    first = np.searchsorted(seg_text, np.arange(len(codings.documents)), side="left")
    last = np.searchsorted(seg_text, np.arange(len(codings.documents)), side="right")
    for code, group in ex.groupby("code"):
        hit = np.zeros(len(frame), dtype=bool)
        for t, s, e in zip(group["texte"], group["début"], group["fin"], strict=True):
            lo, hi = first[t], last[t]
            hit[lo:hi] |= (starts[lo:hi] < e) & (s < ends[lo:hi])
        cls = classes[hit]
        col = np.where(cls == 0, k, cls - 1)
        np.add.at(counts[pos[code]], col, 1)
    table = pd.DataFrame(counts, index=pd.Index(order, name="Code"), columns=labels)
    observed = table[labels[:-1]].to_numpy(dtype=float)
    expected = (
        observed.sum(1, keepdims=True) * observed.sum(0, keepdims=True) / max(observed.sum(), 1)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        resid = np.where(expected > 0, (observed - expected) / np.sqrt(expected), np.nan)
    residuals = pd.DataFrame(resid, index=table.index, columns=labels[:-1])
    table["Total"] = table.sum(axis=1)
    if percent:
        table = table.div(table["Total"].replace(0, np.nan), axis=0) * 100
    table.attrs["residus"] = residuals
    return table
