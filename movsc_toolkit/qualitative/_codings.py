"""Coded excerpts of interview transcripts, on the texts of a :class:`lexico.Corpus`.

Offsets are half-open ``[début, fin)`` positions in Unicode code points of the corpus texts
(Python ``str`` slicing; REFI-QDA standard 1.5 §10.2 counts code points from 0, and QualCoder's
``src/qualcoder/refi.py`` reads and writes the end as exclusive).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import field
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._errors import DataError, closest
from .._report import Report, result
from ..lexico.corpus import Corpus
from ._codebook import Codebook
from ._common import (
    distinct,
    find_column,
    fold,
    plural,
    problems_frame,
    tables_html,
    text_of,
)
from ._qda_xml import CONTEXT
from ._refi import write_qdpx

__all__ = [
    "DOC_ALIASES",
    "EXCERPT_COLUMNS",
    "Codings",
    "doc_key",
    "document_index",
    "document_names",
    "locate",
    "same_code_overlaps",
    "short_text",
    "speaker_at",
]

#: Columns of :attr:`Codings.excerpts`.
EXCERPT_COLUMNS = ["document", "texte", "code", "codeur", "début", "fin", "extrait"]
DOC_ALIASES = ["document", "fichier", "entretien", "source", "cas", "nom", "file"]
_LABEL = re.compile(r"^\s*([^\W\d_][\w·.()/'’ -]{0,30}?)\s*:\s?")


# --------------------------------------------------------------------------------------------
# documents


def document_names(corpus: Corpus, document: str | None = None) -> tuple[str, ...]:
    """One name per text: a metadata column (``fichier``, ``entretien``…) or « texte N »."""
    meta = corpus.metadata
    if document is not None:
        if document not in meta.columns:
            from .._errors import column_error

            raise column_error(document, meta.columns, what="variable")
        names = [text_of(v) for v in meta[document]]
    else:
        names = []
        for alias in DOC_ALIASES:
            col = find_column(meta, [alias])
            if col is not None:
                values = [text_of(v) for v in meta[col]]
                if all(values) and len(set(values)) == len(values):
                    names = values
                    break
        if not names:
            names = [f"texte {i + 1}" for i in range(len(corpus))]
    if len(set(names)) != len(names):
        raise DataError(
            f"la variable « {document} » ne distingue pas les textes (valeurs en double).",
            hint="choisissez une variable qui donne un nom différent à chaque entretien.",
        )
    return tuple(names)


def doc_key(value: object) -> str:
    key = fold(text_of(value))
    key = re.sub(r" (txt|docx|odt|rtf|pdf)$", "", key)
    return str(int(key)) if key.isdigit() else key


def document_index(documents: Sequence[str]) -> dict[str, int]:
    return {doc_key(name): i for i, name in enumerate(documents)}


def speaker_at(text: str, position: int) -> str:
    """The speaker label (« Interviewée », « E »…) of the turn holding ``position``, or ''."""
    end = position
    while True:
        line_start = text.rfind("\n", 0, end) + 1
        line_end = text.find("\n", line_start)
        line = text[line_start : len(text) if line_end < 0 else line_end]
        match = _LABEL.match(line)
        if match and len(match.group(1).split()) <= 3:
            return match.group(1).strip()
        if line_start == 0:
            return ""
        end = line_start - 1


# --------------------------------------------------------------------------------------------
# locating excerpts


_FOLD_CHARS = {
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "“": '"',
    "”": '"',
    "«": '"',
    "»": '"',
    "…": "...",
    "\u00a0": " ",
    "\u202f": " ",
    "\t": " ",
    "\r": " ",
    "\n": " ",
    "œ": "oe",
    "Œ": "oe",
}


def _normalise(text: str) -> tuple[str, list[int]]:
    """Folded text (quotes, spaces, case) and, for each of its characters, the original index."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        folded = _FOLD_CHARS.get(ch, ch).lower()
        for piece in folded:
            if piece == " " and out and out[-1] == " ":
                continue
            out.append(piece)
            where.append(i)
    return "".join(out), where


def locate(text: str, excerpt: str) -> list[tuple[int, int]]:
    """Every place of ``excerpt`` in ``text`` (exact first, then ignoring case, quotes, spaces).

    Parameters
    ----------
    text
        The transcript.
    excerpt
        The excerpt to find (case, quotes and spaces ignored).

    Returns
    -------
    list of (int, int)
        The ``(start, end)`` positions of every occurrence in ``text``.

    Examples
    --------
    >>> from movsc_toolkit import qualitative as quali
    >>> quali.locate("Bonjour, je viens au centre depuis deux ans.", "JE  viens")
    [(9, 17)]
    """
    excerpt = excerpt.strip()
    if not excerpt:
        return []
    found = []
    start = text.find(excerpt)
    while start >= 0:
        found.append((start, start + len(excerpt)))
        start = text.find(excerpt, start + 1)
    if found:
        return found
    norm_text, where = _normalise(text)
    norm_excerpt = _normalise(excerpt)[0].strip()
    if not norm_excerpt:
        return []
    start = norm_text.find(norm_excerpt)
    while start >= 0:
        last = start + len(norm_excerpt) - 1
        found.append((where[start], where[last] + 1))
        start = norm_text.find(norm_excerpt, start + 1)
    return found


def short_text(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# --------------------------------------------------------------------------------------------
# the Codings object


@result
class Codings(Report):
    """Coded excerpts of a corpus: who coded what, where, with which code.

    Attributes
    ----------
    corpus : lexico.Corpus
        The texts and their metadata (one row per interview).
    codebook : Codebook
        The codes.
    excerpts : pandas.DataFrame
        One row per coded excerpt: ``document`` (name of the interview), ``texte`` (its
        number in the corpus, 0-based), ``code``, ``codeur``, ``début``, ``fin`` (half-open
        offsets in the text, in characters) and ``extrait`` (the coded text).
    documents : tuple of str
        The name of each text of the corpus.
    problems : pandas.DataFrame
        What was left out or looks wrong while reading (columns ``élément``, ``ligne``,
        ``colonne``, ``valeur``, ``gravité``, ``message``).

    Examples
    --------
    >>> from movsc_toolkit import datasets, qualitative as quali
    >>> dossier = datasets.path("entretiens_centre_social")
    >>> codage = quali.read_qdpx(dossier / "entretiens_codes.qdpx")
    >>> print(codage)
    1141 extraits codés dans 24 entretiens sur 24, 2 codeur·ses (Nora, Maëlle), 13 codes
    utilisés sur 13.
    >>> codage.coders
    ['Nora', 'Maëlle']
    """

    corpus: Corpus
    codebook: Codebook
    excerpts: pd.DataFrame
    documents: tuple[str, ...]
    problems: pd.DataFrame = field(default_factory=lambda: problems_frame([], CONTEXT))

    def __post_init__(self) -> None:
        object.__setattr__(self, "excerpts", _finish(self.excerpts, self.corpus, self.documents))

    # ---- accessors --------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.excerpts)

    @property
    def coders(self) -> list[str]:
        """The coders, in order of first appearance."""
        return distinct(self.excerpts["codeur"])

    @property
    def cases(self) -> pd.DataFrame:
        """The metadata of the interviews, indexed by their name (``document``)."""
        meta = self.corpus.metadata
        meta.index = pd.Index(self.documents, name="document")
        return meta

    def coder(self, name: str) -> Codings:
        """Only the excerpts coded by ``name``."""
        if name not in self.coders:
            near = closest(name, self.coders)
            raise DataError(
                f"aucun extrait n'a été codé par « {name} ».",
                hint=(f"vouliez-vous dire « {near[0]} » ? " if near else "")
                + "codeurs présents : "
                + ", ".join(f"« {c} »" for c in self.coders)
                + ".",
            )
        kept = self.excerpts[self.excerpts["codeur"] == name]
        return Codings(self.corpus, self.codebook, kept, self.documents, self.problems)

    def with_excerpts(self, excerpts: pd.DataFrame) -> Codings:
        """The same corpus and codebook with other excerpts (columns as :attr:`excerpts`)."""
        return Codings(self.corpus, self.codebook, excerpts, self.documents, self.problems)

    def to_frame(self, metadata: bool = True) -> pd.DataFrame:
        """The excerpts with their theme and (``metadata=True``) the interview's metadata."""
        out = self.excerpts.copy()
        out.insert(3, "thème", [self.codebook.theme_of(c) for c in out["code"]])
        if metadata:
            meta = self.corpus.metadata.reset_index(drop=True)
            meta = meta.drop(columns=[c for c in meta.columns if c in out.columns])
            out = out.join(meta, on="texte")
        return out

    def to_qdpx(self, path: str | PathLike[str], **options: Any) -> Path:
        """Write a REFI-QDA project (``.qdpx``) that QualCoder, NVivo, ATLAS.ti… can open."""
        return write_qdpx(self, path, **options)

    # ---- display ----------------------------------------------------------------------------

    def _lines(self) -> list[str]:
        ex = self.excerpts
        used = ex["code"].nunique()
        lines = [
            f"{plural(len(ex), 'extrait codé', 'extraits codés')} dans "
            f"{ex['document'].nunique()} entretiens sur {len(self.documents)}, "
            f"{plural(len(self.coders), 'codeur·se', 'codeur·ses')} "
            f"({', '.join(self.coders) or '—'}), {used} codes utilisés sur "
            f"{int(self.codebook.table['Codable'].sum())}."
        ]
        if len(self.problems):
            n_err = int((self.problems["gravité"] == "erreur").sum())
            lines.append(
                f"{plural(len(self.problems), 'problème')} à la lecture ({n_err} erreur(s)) : "
                "voir .problems."
            )
        return lines

    def _html_tables(self) -> str:
        return tables_html(self._tables())

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        shown = self.excerpts.head(10).drop(columns=["texte"]).copy()
        shown["extrait"] = shown["extrait"].map(short_text)
        return [("Premiers extraits", shown)]


def _finish(excerpts: pd.DataFrame, corpus: Corpus, documents: Sequence[str]) -> pd.DataFrame:
    """Excerpts table with the canonical columns, types, texts and order."""
    frame = excerpts.copy()
    for col in ("document", "code", "codeur"):
        if col not in frame.columns:
            frame[col] = "" if col != "codeur" else "codeur 1"
    if "texte" not in frame.columns:
        index = {name: i for i, name in enumerate(documents)}
        frame["texte"] = [index[d] for d in frame["document"]]
    frame["texte"] = frame["texte"].astype(np.int64)
    text = frame["texte"].tolist()
    if text:
        # the names taken from a column of the distinct names (no Python string per row)
        frame["document"] = pd.Series(list(documents)).array.take(frame["texte"].to_numpy())
    else:
        frame["document"] = []
    frame["début"] = frame["début"].astype(np.int64)
    frame["fin"] = frame["fin"].astype(np.int64)
    frame["code"] = frame["code"].astype(str)
    frame["codeur"] = frame["codeur"].astype(str)
    texts = corpus.texts
    frame["extrait"] = [
        texts[t][s:e]
        for t, s, e in zip(text, frame["début"].tolist(), frame["fin"].tolist(), strict=True)
    ]
    # sorted on integers: each text key replaced by its rank among the distinct values
    # (missing last, as sort_values puts them), then a stable lexicographic sort
    keys = [_rank(frame[c]) for c in ("codeur", "code")]
    order = np.lexsort(
        (*keys, frame["fin"].to_numpy(), frame["début"].to_numpy(), frame["texte"].to_numpy())
    )
    return frame[EXCERPT_COLUMNS].take(order).reset_index(drop=True)


def _rank(values: pd.Series) -> np.ndarray:
    """The rank of each value among the sorted distinct values (missing: after all)."""
    codes, uniques = pd.factorize(values, sort=True)
    return np.where(codes < 0, len(uniques), codes)


def same_code_overlaps(frame: pd.DataFrame) -> list[tuple[int, int]]:
    """Pairs of row labels whose excerpts overlap for the same document, code and coder."""
    pairs = []
    ordered = frame.sort_values(["texte", "code", "codeur", "début", "fin"], kind="stable")
    keys = list(zip(ordered["texte"], ordered["code"], ordered["codeur"], strict=True))
    starts, ends, labels = ordered["début"].to_numpy(), ordered["fin"].to_numpy(), ordered.index
    for i in range(1, len(ordered)):
        if keys[i] == keys[i - 1] and starts[i] < ends[i - 1]:
            pairs.append((labels[i - 1], labels[i]))
    return pairs


# --------------------------------------------------------------------------------------------
# (a) spreadsheet


# --------------------------------------------------------------------------------------------
# (b) inline tags
