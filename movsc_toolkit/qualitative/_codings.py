"""Coded excerpts of interview transcripts, on the texts of a :class:`lexico.Corpus`.

Offsets are half-open ``[début, fin)`` positions in Unicode code points of the corpus texts
(Python ``str`` slicing; REFI-QDA standard §10.2, ``qualitative.md`` §1.4).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._errors import DataError, ValidationError, closest
from .._io import read_table
from ..lexico.corpus import Corpus
from ._codebook import Codebook
from ._common import (
    Report,
    find_column,
    fold,
    is_missing,
    line_numbers,
    plural,
    problems_frame,
    text_of,
)
from ._refi import write_qdpx

__all__ = ["EXCERPT_COLUMNS", "Codings", "codings_from_tags", "read_codings"]

#: Columns of :attr:`Codings.excerpts`.
EXCERPT_COLUMNS = ["document", "texte", "code", "codeur", "début", "fin", "extrait"]
_CONTEXT = ("élément",)
_DOC_ALIASES = ["document", "fichier", "entretien", "source", "cas", "nom", "file"]
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
        for alias in _DOC_ALIASES:
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


def _doc_key(value: object) -> str:
    key = fold(text_of(value))
    key = re.sub(r" (txt|docx|odt|rtf|pdf)$", "", key)
    return str(int(key)) if key.isdigit() else key


def _document_index(documents: Sequence[str]) -> dict[str, int]:
    return {_doc_key(name): i for i, name in enumerate(documents)}


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
    """Every place of ``excerpt`` in ``text`` (exact first, then ignoring case, quotes, spaces)."""
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


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# --------------------------------------------------------------------------------------------
# the Codings object


@dataclass(frozen=True, repr=False)
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
    """

    corpus: Corpus
    codebook: Codebook
    excerpts: pd.DataFrame
    documents: tuple[str, ...]
    problems: pd.DataFrame = field(default_factory=lambda: problems_frame([], _CONTEXT))

    def __post_init__(self) -> None:
        object.__setattr__(self, "excerpts", _finish(self.excerpts, self.corpus, self.documents))

    # ---- accessors --------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.excerpts)

    @property
    def coders(self) -> list[str]:
        """The coders, in order of first appearance."""
        return list(dict.fromkeys(self.excerpts["codeur"]))

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

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        shown = self.excerpts.head(10).drop(columns=["texte"]).copy()
        shown["extrait"] = shown["extrait"].map(_short)
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
    frame["document"] = [documents[i] for i in frame["texte"]]
    frame["début"] = frame["début"].astype(np.int64)
    frame["fin"] = frame["fin"].astype(np.int64)
    frame["code"] = frame["code"].astype(str)
    frame["codeur"] = frame["codeur"].astype(str)
    texts = corpus.texts
    frame["extrait"] = [
        texts[t][s:e] for t, s, e in zip(frame["texte"], frame["début"], frame["fin"], strict=True)
    ]
    frame = frame[EXCERPT_COLUMNS].sort_values(
        ["texte", "début", "fin", "code", "codeur"], kind="stable"
    )
    return frame.reset_index(drop=True)


def _same_code_overlaps(frame: pd.DataFrame) -> list[tuple[int, int]]:
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


_ALIASES = {
    "document": _DOC_ALIASES,
    "code": ["code", "sous-thème", "thème", "catégorie"],
    "codeur": ["codeur", "codeuse", "codeur·se", "codeur·euse", "coder", "auteur"],
    "extrait": ["extrait", "verbatim", "citation", "passage", "segment", "texte", "text"],
    "début": ["début", "debut", "start", "position début", "startposition"],
    "fin": ["fin", "end", "position fin", "endposition"],
    "occurrence": ["occurrence", "n° occurrence", "occurence"],
}


def read_codings(
    source: str | PathLike[str] | pd.DataFrame,
    corpus: Corpus,
    codebook: Codebook | None = None,
    *,
    sheet: str | int | None = None,
    document: str | None = None,
    coder: str = "codeur 1",
    on_error: Literal["raise", "skip"] = "raise",
) -> Codings:
    """Read coded excerpts from a spreadsheet: one row per excerpt.

    Columns (case and accents ignored): ``document`` (or ``fichier``, ``entretien``: the
    interview, matched with the corpus metadata, with or without ``.txt``), ``code``,
    ``codeur`` (optional; ``coder`` otherwise), and either ``extrait`` (the excerpt, copied
    from the transcript: it is located in the text, ignoring case, quotes and spaces) or
    ``début`` / ``fin`` (half-open character offsets), or both (checked against each other).
    When an excerpt occurs twice in the interview, an ``occurrence`` column (1, 2…) tells which.

    Parameters
    ----------
    source
        The spreadsheet (CSV, XLSX, ODS) or a DataFrame.
    corpus
        The transcripts (:func:`movsc_toolkit.lexico.read_corpus`), with the same texts.
    codebook
        The codes allowed; an unknown code is an error with the closest name. ``None``: the
        codes found make a flat codebook.
    document
        The metadata variable naming the interviews (found automatically otherwise).
    on_error
        ``"raise"`` (default): the first problem raises an error naming the file, the line, the
        excerpt and the fix; ``"skip"``: rows with a problem are left out and listed in
        ``codings.problems``.

    Examples
    --------
    >>> codage = read_codings("codage.xlsx", corpus, grille)  # doctest: +SKIP
    """
    where = None if isinstance(source, pd.DataFrame) else source
    data = (
        source.copy()
        if isinstance(source, pd.DataFrame)
        else read_table(source, sheet, convert_numbers=False, parse_dates=False)
    )
    documents = document_names(corpus, document)
    index = _document_index(documents)
    col = {k: find_column(data, v) for k, v in _ALIASES.items()}
    if col["extrait"] == col["document"]:
        col["extrait"] = None
    for needed, what in (("document", "le nom de l'entretien"), ("code", "le code")):
        if col[needed] is None:
            find_column(data, _ALIASES[needed], required=True, what=what, path=where)
    if col["extrait"] is None and (col["début"] is None or col["fin"] is None):
        find_column(data, ["extrait"], required=True, what="le passage codé", path=where)
    texts = corpus.texts
    rows: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    codes_seen: list[str] = []

    def problem(line, column, value, message, hint, doc=""):
        problems.append(
            {
                "élément": doc,
                "ligne": line,
                "colonne": column,
                "valeur": _short(text_of(value), 80),
                "gravité": "erreur",
                "message": f"{message} ; {hint}",
            }
        )
        if on_error == "raise":
            raise ValidationError(message, path=where, line=line, column=column, hint=hint)

    for line, (_, rec) in zip(line_numbers(data), data.iterrows(), strict=True):
        doc_value = rec[col["document"]]
        code = text_of(rec[col["code"]])
        excerpt = text_of(rec[col["extrait"]]) if col["extrait"] else ""
        if is_missing(doc_value) and not code and not excerpt:
            continue
        key = _doc_key(doc_value)
        if key not in index:
            near = closest(text_of(doc_value), documents)
            problem(
                line,
                col["document"],
                doc_value,
                f"l'entretien « {text_of(doc_value)} » n'est pas dans le corpus",
                (f"vouliez-vous dire « {near[0]} » ?" if near else "")
                + " écrivez le nom tel qu'il figure dans les métadonnées du corpus.",
            )
            continue
        text_id = index[key]
        doc = documents[text_id]
        if not code:
            problem(line, col["code"], "", "code manquant", "indiquez le code de l'extrait.", doc)
            continue
        if codebook is not None and code not in codebook:
            near = closest(code, codebook.codes)
            problem(
                line,
                col["code"],
                code,
                f"code inconnu « {code} »",
                (f"vouliez-vous dire « {near[0]} » ? " if near else "")
                + "corrigez le nom ou ajoutez ce code à la grille de codage.",
                doc,
            )
            continue
        who = text_of(rec[col["codeur"]]) if col["codeur"] else ""
        text = texts[text_id]
        start_v = rec[col["début"]] if col["début"] else None
        end_v = rec[col["fin"]] if col["fin"] else None
        if not is_missing(start_v) or not is_missing(end_v):
            try:
                start, end = int(text_of(start_v)), int(text_of(end_v))
            except ValueError:
                problem(
                    line,
                    col["début"],
                    f"{text_of(start_v)}–{text_of(end_v)}",
                    "positions illisibles",
                    "écrivez deux nombres entiers (début et fin, en caractères).",
                    doc,
                )
                continue
            if not 0 <= start < end <= len(text):
                problem(
                    line,
                    col["début"],
                    f"{start}–{end}",
                    f"positions invalides (le texte « {doc} » compte {len(text)} caractères)",
                    "le début doit être positif et inférieur à la fin, la fin au plus la "
                    "longueur du texte.",
                    doc,
                )
                continue
            piece = text[start:end]
            if excerpt and not any(
                not piece[:a].strip() and not piece[b:].strip() for a, b in locate(piece, excerpt)
            ):
                problem(
                    line,
                    col["début"],
                    f"{start}–{end}",
                    f"les positions ne correspondent pas à l'extrait « {_short(excerpt)} » "
                    f"(le texte à ces positions est « {_short(text[start:end])} »)",
                    "corrigez les positions ou videz-les pour que l'extrait soit cherché dans "
                    "le texte.",
                    doc,
                )
                continue
        elif excerpt:
            places = locate(text, excerpt)
            occ = text_of(rec[col["occurrence"]]) if col["occurrence"] else ""
            if not places:
                problem(
                    line,
                    col["extrait"],
                    excerpt,
                    f"extrait introuvable dans « {doc} »",
                    "recopiez-le tel qu'il est écrit dans la transcription (un mot modifié, "
                    "une coupure ou une faute suffit à le perdre) ou donnez ses positions.",
                    doc,
                )
                continue
            if occ:
                if not occ.isdigit() or not 1 <= int(occ) <= len(places):
                    problem(
                        line,
                        col["occurrence"],
                        occ,
                        f"occurrence « {occ} » impossible : l'extrait figure {len(places)} fois",
                        f"indiquez un nombre entre 1 et {len(places)}.",
                        doc,
                    )
                    continue
                start, end = places[int(occ) - 1]
            elif len(places) > 1:
                problem(
                    line,
                    col["extrait"],
                    excerpt,
                    f"extrait ambigu : il figure {len(places)} fois dans « {doc} »",
                    "allongez l'extrait pour qu'il soit unique, ou ajoutez une colonne "
                    "« occurrence » (1 pour la première, 2 pour la deuxième…).",
                    doc,
                )
                continue
            else:
                start, end = places[0]
        else:
            problem(
                line,
                col["extrait"] or col["début"],
                "",
                "extrait manquant",
                "recopiez le passage codé ou donnez ses positions.",
                doc,
            )
            continue
        codes_seen.append(code)
        rows.append(
            {
                "texte": text_id,
                "code": code,
                "codeur": who or coder,
                "début": start,
                "fin": end,
                "_ligne": line,
            }
        )
    frame = pd.DataFrame(rows, columns=["texte", "code", "codeur", "début", "fin", "_ligne"])
    for a, b in _same_code_overlaps(frame):
        ra, rb = frame.loc[a], frame.loc[b]
        problem(
            int(rb["_ligne"]),
            col["extrait"] or col["début"],
            f"{rb['début']}–{rb['fin']}",
            f"cet extrait chevauche celui de la ligne {int(ra['_ligne'])} (même code "
            f"« {rb['code']} », même codeur, même entretien) : il serait compté deux fois",
            "fusionnez les deux lignes en un seul extrait ou corrigez les positions.",
            documents[int(rb["texte"])],
        )
        frame = frame.drop(index=b)
    if codebook is None:
        codebook = Codebook.from_codes(codes_seen)
    return Codings(
        corpus,
        codebook,
        frame.drop(columns="_ligne"),
        documents,
        problems_frame(problems, _CONTEXT),
    )


# --------------------------------------------------------------------------------------------
# (b) inline tags


_TAG = re.compile(r"\[(/?)#([^\[\]\n]*)\]")


def codings_from_tags(
    corpus: Corpus,
    codebook: Codebook | None = None,
    *,
    coder: str = "codeur 1",
    document: str | None = None,
) -> Codings:
    """Codings typed in the transcripts with tags: ``[#code] passage [/#code]``.

    Syntax: ``[#Défiance]`` opens the code « Défiance », ``[/#Défiance]`` closes it (``[/#]``
    closes the last code opened). Codes may nest or overlap; a tag stays on one line but a
    coded passage may run over several lines. The tags are removed from the texts: the
    returned ``codings.corpus`` holds the clean transcripts (use it for the other analyses).

    Examples
    --------
    >>> corpus = read_corpus("transcriptions/")  # doctest: +SKIP
    >>> codage = codings_from_tags(corpus, grille, coder="Camille")  # doctest: +SKIP
    """
    documents = document_names(corpus, document)
    rows: list[dict[str, Any]] = []
    new_paragraphs = []
    codes_seen: list[str] = []
    for text_id, paragraphs in enumerate(corpus.paragraphs):
        doc = documents[text_id]
        cleaned_paras = []
        base = 0
        open_tags: list[tuple[str, int, int]] = []
        line_no = 0
        for theme, para in paragraphs:
            pieces = []
            last = 0
            clean_len = 0
            line_offsets = [m.start() for m in re.finditer("\n", para)]
            for match in _TAG.finditer(para):
                pieces.append(para[last : match.start()])
                clean_len += match.start() - last
                last = match.end()
                position = base + clean_len
                line = line_no + 1 + int(np.searchsorted(line_offsets, match.start()))
                name = match.group(2).strip().lstrip("#").strip()
                if not match.group(1):
                    if not name:
                        raise ValidationError(
                            f"balise « {match.group()} » sans nom de code dans « {doc} », "
                            f"ligne {line}.",
                            hint="écrivez le code après le dièse : [#Défiance].",
                        )
                    if codebook is not None:
                        codebook.check(name, where=f" dans « {doc} », ligne {line}")
                    open_tags.append((name, position, line))
                    continue
                if not open_tags:
                    raise ValidationError(
                        f"balise fermante « {match.group()} » sans balise ouvrante dans "
                        f"« {doc} », ligne {line}.",
                        hint="ajoutez la balise ouvrante [#code] au début du passage ou "
                        "retirez celle-ci.",
                    )
                if name:
                    matching = [k for k, t in enumerate(open_tags) if t[0] == name]
                    if not matching:
                        near = closest(name, [t[0] for t in open_tags])
                        raise ValidationError(
                            f"balise fermante « {match.group()} » dans « {doc} », ligne "
                            f"{line} : aucun passage « {name} » n'est ouvert.",
                            hint=(f"vouliez-vous fermer « {near[0]} » ? " if near else "")
                            + "vérifiez l'orthographe du code dans les deux balises.",
                        )
                    k = matching[-1]
                else:
                    k = len(open_tags) - 1
                code, start, _ = open_tags.pop(k)
                if position > start:
                    codes_seen.append(code)
                    rows.append(
                        {
                            "texte": text_id,
                            "code": code,
                            "codeur": coder,
                            "début": start,
                            "fin": position,
                        }
                    )
            pieces.append(para[last:])
            clean = "".join(pieces)
            cleaned_paras.append((theme, clean))
            base += len(clean) + 1
            line_no += para.count("\n") + 1
        if open_tags:
            code, start, line = open_tags[0]
            raise ValidationError(
                f"le passage « {code} » ouvert ligne {line} de « {doc} » n'est jamais fermé.",
                hint=f"ajoutez [/#{code}] à la fin du passage.",
            )
        new_paragraphs.append(cleaned_paras)
    new_corpus = corpus.with_paragraphs(new_paragraphs)
    frame = pd.DataFrame(rows, columns=["texte", "code", "codeur", "début", "fin"])
    problems = []
    for _a, b in _same_code_overlaps(frame):
        rb = frame.loc[b]
        problems.append(
            {
                "élément": documents[int(rb["texte"])],
                "ligne": pd.NA,
                "colonne": "",
                "valeur": rb["code"],
                "gravité": "alerte",
                "message": "deux passages du même code se chevauchent : ils sont comptés "
                "séparément",
            }
        )
    if codebook is None:
        codebook = Codebook.from_codes(codes_seen)
    return Codings(new_corpus, codebook, frame, documents, problems_frame(problems, _CONTEXT))
