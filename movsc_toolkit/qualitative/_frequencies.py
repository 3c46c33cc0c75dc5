"""How often the codes are used: frequencies, code × profile matrices, codes by Reinert class.

The tables of QualCoder (``src/qualcoder/report_comparison_table.py``), NVivo (help, *Matrix
coding query*) and MAXQDA (help, *Code Matrix Browser*), reproduced from one excerpts table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._errors import DataError
from .._report import Report, result
from ._codings import Codings
from ._common import distinct, tables_html

__all__ = [
    "CodeMatrix",
    "code_frequencies",
    "code_matrix",
    "code_order",
    "codes_by_class",
    "name_columns",
]


def code_order(codings: Codings, used_only: bool = False) -> list[str]:
    seen = distinct(codings.excerpts["code"])
    used = set(seen)
    book = [
        c
        for c, codable in zip(
            codings.codebook.table["Code"], codings.codebook.table["Codable"], strict=True
        )
        if codable or c in used
    ]
    listed = set(book)
    extra = [c for c in seen if c not in listed]
    order = book + extra
    return [c for c in order if c in used] if used_only else order


def code_positions(codes: pd.Series, order: Sequence[str]) -> np.ndarray:
    """The position of each excerpt's code in ``order`` (-1: missing or not listed), each
    distinct code looked up once (no Python string per cell with Arrow strings)."""
    ids, uniques = pd.factorize(codes)
    pos = {c: i for i, c in enumerate(order)}
    return np.array([*(pos.get(u, -1) for u in uniques), -1], dtype=np.int64)[ids]


def name_columns(codings: Codings) -> set[str]:
    """Metadata columns that only repeat the interview's name (left out of profiles)."""
    meta = codings.corpus.metadata
    names = list(codings.documents)
    stems = [n.rsplit(".", 1)[0] for n in names]
    return {c for c in meta.columns if [str(v) for v in meta[c].tolist()] in (names, stems)} | {
        "fichier"
    }


def code_frequencies(codings: Codings, *, sort: bool = False) -> pd.DataFrame:
    """How often each code is used: in how many interviews and how many excerpts.

    Parameters
    ----------
    codings
        The coded interviews (:class:`Codings`).
    sort
        ``True``: most used codes first; ``False``: the codebook's order.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``Code`` (codebook order, or by decreasing number of interviews with
        ``sort=True``): ``Thème``, ``Entretiens`` (interviews with at least one excerpt),
        ``% des entretiens`` (of all the corpus's interviews), ``Extraits``, ``% des
        extraits``. Codes of the codebook never used show 0.

    Examples
    --------
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> dossier = datasets.path("entretiens_centre_social")
    >>> codage = quali.read_qdpx(dossier / "entretiens_codes.qdpx")
    >>> quali.code_frequencies(codage).loc["Lien social"]
    Thème               Apports du centre social
    Entretiens                                20
    % des entretiens                   83.333333
    Extraits                                  77
    % des extraits                      6.748466
    Name: Lien social, dtype: object
    """
    ex = codings.excerpts
    order = code_order(codings)
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


@result
class CodeMatrix(Report):
    """Code × profile matrix (NVivo's matrix coding query).

    Attributes
    ----------
    counts : DataFrame
        Codes in rows, modalities of the variable in columns, with ``Total``.
    row_percent, column_percent : DataFrame
        Row and column percentages (full precision).
    variable, measure : str

    Examples
    --------
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> dossier = datasets.path("entretiens_centre_social")
    >>> codage = quali.read_qdpx(dossier / "entretiens_codes.qdpx")
    >>> matrice = quali.code_matrix(codage, "statut")
    >>> matrice.to_frame(percent="col").loc["Lien social", "benevole"]
    np.float64(100.0)
    """

    counts: pd.DataFrame
    row_percent: pd.DataFrame
    column_percent: pd.DataFrame
    variable: str
    measure: str

    def to_frame(self, percent: Literal[None, "row", "col"] = None) -> pd.DataFrame:
        """The counts, or the row (``"row"``) / column (``"col"``) percentages."""
        if percent == "row":
            return self.row_percent.copy()
        if percent == "col":
            return self.column_percent.copy()
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

    def _html_tables(self) -> str:
        return tables_html(self._tables())

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        return [("Effectifs", self.counts), ("% en colonne", self.column_percent.round(1))]


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

    Returns
    -------
    CodeMatrix
        Counts, row and column percentages of codes × modalities (``.to_frame(percent=…)``).

    Examples
    --------
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> dossier = datasets.path("entretiens_centre_social")
    >>> codage = quali.read_qdpx(dossier / "entretiens_codes.qdpx")
    >>> matrice = quali.code_matrix(codage, "statut")
    >>> matrice.to_frame().loc["Lien social"]
    statut
    usager             5
    benevole           4
    salarie            4
    partenaire         5
    administrateur     2
    Total             20
    Name: Lien social, dtype: int64
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
    modalities = distinct(profile)
    if isinstance(meta[variable].dtype, pd.CategoricalDtype):
        present = set(modalities)
        modalities = [str(c) for c in meta[variable].cat.categories if str(c) in present]
    ex = codings.excerpts
    order = code_order(codings)
    # counted on integers: each excerpt's code (its row, -1: none) and its interview's
    # modality (its column, -1: left out), the texts hashed once
    code = code_positions(ex["code"], order)
    text = ex["texte"].to_numpy()
    kinds, names = pd.factorize(profile)
    column = {m: j for j, m in enumerate(modalities)}
    modality_of_text = np.array([*(column.get(u, -1) for u in names), -1], dtype=np.int64)[kinds]
    if measure == "entretiens":
        # one count per (code, interview)
        first = ~pd.DataFrame({"c": code, "t": text}).duplicated().to_numpy()
        code, text = code[first], text[first]
        col_total = np.bincount(modality_of_text[modality_of_text >= 0], minlength=len(modalities))
        grand = len(meta)
    modality = modality_of_text[text]
    if measure != "entretiens":
        col_total = np.bincount(modality[modality >= 0], minlength=len(modalities))
        grand = len(text)
    cell = (code >= 0) & (modality >= 0)
    table = np.zeros((len(order), len(modalities)), dtype=np.int64)
    np.add.at(table, (code[cell], modality[cell]), 1)
    counts = pd.DataFrame(
        table, index=pd.Index(order, name="Code"), columns=pd.Index(modalities, name=variable)
    )
    row_total = pd.Series(np.bincount(code[code >= 0], minlength=len(order)), index=order)
    col_total = pd.Series(col_total, index=modalities)
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


def codes_by_class(codings: Codings, result: Any, *, percent: bool = False) -> pd.DataFrame:
    """Cross the codes with the Reinert classes of the same corpus.

    A text segment (the unit of the Reinert classification) counts for a code when an
    excerpt of that code overlaps it; the cell counts such segments in each class. The
    classification must have been run on ``codings.corpus`` (same texts, same segments).

    Parameters
    ----------
    codings
        The coded interviews (:class:`Codings`).
    result
        A Reinert classification of ``codings.corpus`` (:func:`movsc_toolkit.lexico.reinert`).
    percent
        ``True``: row percentages instead of counts.

    Returns
    -------
    pandas.DataFrame
        Codes in rows, ``Classe 1`` … ``Classe K`` and ``Non classés`` in columns, with
        ``Total`` (``percent=True``: row percentages), and ``attrs["residus"]``, the
        standardised residuals (observed − expected) / √expected of the counts against
        independence (> 2: the code is over-represented in the class).

    Examples
    --------
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> dossier = datasets.path("entretiens_centre_social")
    >>> codage = quali.read_qdpx(dossier / "entretiens_codes.qdpx")
    >>> from movsc_toolkit.lexico import reinert
    >>> classes = reinert(codage.corpus)
    >>> tableau = quali.codes_by_class(codage.coder("Nora"), classes)
    >>> tableau.columns.tolist()
    ['Classe 1', 'Classe 2', 'Classe 3', 'Classe 4', 'Non classés', 'Total']
    """
    frame, starts, ends = codings.corpus.segment_spans()
    classes = result.classes.to_numpy()
    if len(classes) != len(frame):
        raise DataError(
            f"la classification porte sur {len(classes)} segments, le corpus codé en a "
            f"{len(frame)}.",
            hint="lancez reinert() sur codings.corpus (le même corpus que le codage).",
        )
    seg_text = frame["texte"].to_numpy()
    ex = codings.excerpts.drop_duplicates(["texte", "début", "fin", "code"])
    order = code_order(codings, used_only=True)
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
