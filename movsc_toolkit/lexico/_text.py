"""Text normalisation shared by the corpus and its readers (no spaCy).

IRaMuTeQ's cleaning (``clean_text``) and cutting into text segments (``cut_segments``), speaker
labels of interview transcripts (``E :``, ``Interviewé·e :``…), French alphabetical order
(``sort_key``), the rules that correct the small spaCy model on oral French (numbers written in
letters, pronouns, hesitations) and the merging of ``_forme_`` words and user expressions.

References: IRaMuTeQ 0.8 alpha 7 (Ratinaud), ``corpus.py``: ``BuildCorpus.buildcleans``
(cleaning), ``decouperlist`` called by ``BuildCorpus.make_uces`` (segments),
``Corpus.parse_active`` (``_forme_`` words forced supplementary).
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Iterable, Sequence
from os import PathLike
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from .._errors import DataError, MovscWarning
from .._io import read_text
from .._parse import fold

__all__ = ["clean_text", "cut_segments", "sort_key"]

SpeakerMode = Literal["keep", "drop", "strip", "interviewer"]

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
_SEG_TOKEN = re.compile(r"\.{2,}|…|[.?!;:,]|\w+")
_WEIGHTS = {".": 6.0, "?": 6.0, "!": 6.0, "£$£": 6.0, ":": 5.0, ";": 4.0, ",": 1.0}
_PUNCT = frozenset(_WEIGHTS)
_STRONG_PUNCT = re.compile(r"[.?!;:…]")
_ALNUM = re.compile(r"[^\W_]")
PLACEHOLDER = re.compile(r"^\[?(?:personne|lieu|organisation)_\d+\]?$", re.IGNORECASE)
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


EXPR_TOKEN = re.compile(r"\w+['’]?|[^\w\s]")


def sort_key(word: str) -> tuple[str, str]:
    """Key sorting French words alphabetically (accents after the plain letter: e < é < f)."""
    return fold(word), word


def norm_label(label: str) -> str:
    return re.sub(r"[\s·.()/'’-]", "", label.casefold())


INTERVIEWER_LABELS = frozenset(norm_label(x) for x in _INTERVIEWER)
RESPONDENT_LABELS = frozenset(norm_label(x) for x in _RESPONDENT)


# --------------------------------------------------------------------------------------------
# cleaning and segments (no spaCy)


def clean_text(text: str, *, lowercase: bool = True) -> str:
    """Clean a text as IRaMuTeQ does before cutting it into segments.

    Lower-case (optional); ``’`` → ``'``; ``œ`` → ``oe``; ``...`` / ``…`` → the strong separator
    ``£$£``; punctuation ``? . ! , ; :`` set apart as tokens; apostrophes, hyphens and every
    other character outside letters, digits and ``_`` replaced by spaces.

    Parameters
    ----------
    text
        The text to clean.
    lowercase
        Lower-case it first (IRaMuTeQ's default).

    Returns
    -------
    str
        The cleaned tokens separated by single spaces.

    References
    ----------
    IRaMuTeQ 0.8 (Ratinaud, 2014), ``corpus.py`` ``BuildCorpus.buildcleans`` (``firstclean``,
    allowed characters ``keep_caract``; every step on in ``configuration/corpus.cfg``), run
    before the segments are cut. Checked by ``tests/lexico/test_corpus.py``.

    Examples
    --------
    >>> clean_text("L'accueil… c'est  bien, non ?")
    'l accueil £$£ c est bien , non ?'
    """
    if lowercase:
        text = text.lower()
    text = text.replace("’", "'").replace("œ", "oe").replace("Œ", "OE")
    tokens = [_seg_token(m.group()) for m in _SEG_TOKEN.finditer(text)]
    return " ".join(tokens)


def _seg_token(token: str) -> str:
    return "£$£" if token == "…" or token.startswith("..") else token


def cut_segments(tokens: Sequence[str], size: int = 40) -> list[tuple[int, int]]:
    """Cut a paragraph's tokens into text segments as IRaMuTeQ does.

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

    References
    ----------
    IRaMuTeQ 0.8 (Ratinaud, 2014), ``corpus.py`` ``decouperlist`` called by
    ``BuildCorpus.make_uces`` (``ucemethod = 1``, ``ucesize = 40``; weights ``.?!£$£`` 6,
    ``:`` 5, ``;`` 4, ``,`` 1, other tokens 0,01). Checked against hand-cut examples by
    ``tests/lexico/test_corpus.py``.

    Examples
    --------
    >>> tokens = clean_text("Je viens le mardi. On parle, on rit ? Oui. " * 2).split()
    >>> len(tokens)
    26
    >>> segments = cut_segments(tokens, size=4)
    >>> segments
    [(0, 4), (5, 10), (11, 25)]
    >>> [" ".join(tokens[first : last + 1]) for first, last in segments]
    ['je viens le mardi .', 'on parle , on rit ?', 'oui . je viens le mardi . on parle , on rit ? oui .']
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


def paragraph_segments(para: str, size: int = 40) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the text segments of one paragraph.

    The paragraph is cut by :func:`cut_segments`; a span starts at its first word (leading
    punctuation left out) and keeps a sign glued to its first or last word (``[LIEU_1]``,
    ``« Oui »``, ``(dit-elle)``).
    """
    matches = list(_SEG_TOKEN.finditer(para))
    tokens = [_seg_token(m.group()) for m in matches]
    spans = []
    for first, last in cut_segments(tokens, size):
        k = first
        while tokens[k] in _PUNCT:
            k += 1
        start, end = matches[k].start(), matches[last].end()
        while (
            start > 0
            and not para[start - 1].isspace()
            and not (para[start - 1].isalnum() or para[start - 1] in ".?!;:,…")
        ):
            start -= 1  # "[LIEU_1] …", "« Oui »": keep the glued opening sign
        while end < len(para) and para[end] in _CLOSING:
            end += 1  # "… [LIEU_1]", "… (dit-elle)": and the closing one
        spans.append((start, end))
    return spans


# --------------------------------------------------------------------------------------------
# speaker turns


def _speaker_of(line: str, interviewer: frozenset[str], respondent: frozenset[str]):
    """Return (role, rest of line) if the line starts with a known speaker label."""
    match = _LABEL.match(line)
    if not match:
        return None, line
    label = norm_label(match.group(1))
    if label in interviewer:
        return "interviewer", line[match.end() :]
    if label in respondent:
        return "respondent", line[match.end() :]
    return None, line


def apply_speakers(
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


def check_speakers(speakers: str) -> None:
    if speakers not in ("keep", "drop", "strip", "interviewer"):
        raise DataError(
            f"speakers=« {speakers} » n'est pas une option connue.",
            hint="choisissez « keep » (tout garder), « drop » (retirer les tours de parole de "
            "l'enquêteur), « strip » (garder tous les tours mais retirer les étiquettes "
            "« E : », « I : »…) ou « interviewer » (ne garder que l'enquêteur).",
        )


# --------------------------------------------------------------------------------------------
# the corpus


def word_list(words: Iterable[str] | str | PathLike[str] | None) -> list[str]:
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


def clean_words(
    tokens: Iterable[tuple[int, int, str, str, str]],
    line: str,
    offset: int,
    lowercase: bool,
    chunk: int,
) -> tuple[list[list], int]:
    """The words of one line parsed by spaCy, cleaned as the corpus counts them.

    ``tokens`` are spaCy's ``(start, end, text, lemma, pos)``; punctuation is dropped (a strong
    mark starts a new run of words, ``chunk``), ``’`` becomes ``'``, placeholders of
    pseudonymisation stay one word, numbers in letters and oral pronouns or hesitations get
    their part of speech fixed. Returns ``[start, end, form, lemma, pos, chunk]`` lists
    (offsets from ``offset``) and the last chunk number.
    """
    words: list[list] = []
    for start, end, text, lemma, pos in tokens:
        if not (text.isalnum() or _ALNUM.search(text)):
            if _STRONG_PUNCT.search(text):
                chunk += 1
            continue
        lem = lemma or text
        if "’" in text or "’" in lem:
            text, lem = text.replace("’", "'"), lem.replace("’", "'")
        if lowercase:
            text, lem = text.lower(), lem.lower()
        if text[0] == "-" or lem[0] == "-":
            text, lem = text.lstrip("-") or text, lem.lstrip("-") or lem
        if "_" in text and PLACEHOLDER.match(text):
            # "[PERSONNE_1]" of pseudonymize: one word, written as in the text
            if line[start - 1 : start] == "[" and line[end : end + 1] == "]":
                start, end = start - 1, end + 1
            text = lem = f"[{text.upper().strip('[]')}]"
        elif _is_number(text):
            pos = "NUM"  # spaCy tags "trente-huit" VERB: a number is supplementary
        elif text.lower() in _FIXED_POS and pos in ("PROPN", "NOUN", "VERB", "ADJ", "X"):
            pos = _FIXED_POS[text.lower()]  # "Alors moi" → moi PROPN; "euh" → NOUN
        words.append([offset + start, offset + end, text, lem, pos, chunk])
    return words, chunk


def word_segments(
    texts: pd.Series, starts: pd.Series, seg_texts: pd.Series, seg_starts: np.ndarray
) -> np.ndarray:
    """Segment of each word: the last segment of its text starting at or before the word."""
    text_of = texts.to_numpy()
    seg_text = seg_texts.to_numpy()
    key_seg = seg_text * (1 << 40) + seg_starts
    key_tok = text_of * (1 << 40) + starts.to_numpy()
    idx = np.searchsorted(key_seg, key_tok, side="right") - 1
    first_of_text = np.searchsorted(seg_text, text_of, side="left")
    return np.maximum(idx, first_of_text).astype(np.int64)


def forced_supplementary(
    forms: pd.Series, lemmas: pd.Series, supplementary: Sequence[str]
) -> pd.Series:
    """Words supplementary whatever their part of speech: ``_forme_`` words, pseudonyms
    (``[PERSONNE_1]``) and the lemmas the user listed."""
    underscored = forms.str.contains("_", regex=False)
    forced = underscored.copy()
    forced[underscored] = forms[underscored].str.match(r"^_.*_$") | forms[underscored].str.match(
        PLACEHOLDER.pattern, case=False
    )
    if supplementary:
        forced |= lemmas.isin(supplementary)
    return forced


_UNDERSCORED = re.compile(r"(?<!\w)_\w+_(?!\w)")


def merge_underscored(words: list[list], line: str, offset: int, lowercase: bool) -> list[list]:
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


def merge_expressions(
    words: list[list], expressions: list[tuple[str, ...]], text: str, lowercase: bool
) -> list[list]:
    """Merge consecutive words matching a user expression (on forms or lemmas) into one."""
    out: list[list] = []
    i = 0
    forms = [EXPR_TOKEN.findall(w[2].lower()) for w in words]
    lemmas = [EXPR_TOKEN.findall(w[3].lower()) for w in words]
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
                    if lowercase:
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
# IRaMuTeQ format (writing; the reader is in readers.py)


def iramuteq_text(
    paragraphs: Sequence[Sequence[tuple[str | None, str]]], metadata: pd.DataFrame
) -> tuple[str, list[int]]:
    """A corpus written in IRaMuTeQ format, and the numbers of the texts whose lines were escaped.

    Variable names lose their spaces and ``_`` (replaced by ``-``), modalities their spaces;
    missing values are left out; a line of text that would read as a new text (``****``) or
    a theme (``-*``) gets a space after its first character.
    """
    out = []
    escaped: list[int] = []
    for text_id, text in enumerate(paragraphs):
        stars = []
        for col in metadata.columns:
            value = metadata.iloc[text_id][col]
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
    return "\n".join(out), escaped


def warn_escaped(escaped: list[int]) -> None:
    """Say which texts had lines escaped by :func:`iramuteq_text` (a :class:`MovscWarning`)."""
    shown = ", ".join(str(n) for n in sorted(set(escaped))[:10])
    warnings.warn(
        f"{len(escaped)} ligne(s) de texte commençaient par « **** » ou « -* » et "
        "auraient été lues par IRaMuTeQ comme un nouveau texte ou un thème : un espace "
        f"a été ajouté après leur premier caractère (textes n° {shown}).\nQue faire : "
        "rien, ou corrigez ces lignes dans vos transcriptions.",
        MovscWarning,
        stacklevel=3,
    )
