"""Benchmark of the spaCy parsing of a corpus (movsc_toolkit.lexico.nlp and Corpus.lemmatize).

Targets (issue 4): at least 10,000 words/s on 2 cores; a re-run on a cached corpus of
100,000 words in under 2 s.

Input: the interview corpus of the dataset ``entretiens_centre_social`` (about 30,000 words),
copied as many times as needed, each copy's lines made distinct (so that nothing is parsed only
once because of duplicates). Printed: median of several runs, wall-clock time and, for one
process, the CPU time of this process (more stable on a busy machine).

Run: python benchmarks/bench_parsing.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from movsc_toolkit import datasets
from movsc_toolkit.lexico import Corpus, nlp, read_corpus


def corpus_of(n_words: int) -> Corpus:
    base = read_corpus(datasets.path("entretiens_centre_social", "corpus_iramuteq.txt"))
    texts, meta = [], []
    copy = 0
    while sum(len(t.split()) for t in texts) < n_words:
        copy += 1
        for text, (_, row) in zip(base.texts, base.metadata.iterrows(), strict=True):
            lines = [f"{line} Copie {copy}." for line in text.split("\n")]
            texts.append("\n".join(lines))
            meta.append(row.to_dict())
            if sum(len(t.split()) for t in texts) >= n_words:
                break
    import pandas as pd

    return Corpus.from_texts(texts, pd.DataFrame(meta))


def lines_of(corpus: Corpus) -> list[str]:
    return [line for text in corpus.texts for line in text.split("\n") if line.strip()]


def time_parse(lines: list[str], n_process: int, batch_size: int, runs: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        nlp.parse(
            lines, cache_dir=False, progress=False, n_process=n_process, batch_size=batch_size
        )
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="one size, fewer runs")
    args = parser.parse_args()
    runs = 2 if args.quick else 3
    sizes = [30_000] if args.quick else [30_000, 100_000]

    t0 = time.perf_counter()
    nlp.load_model()
    load = time.perf_counter() - t0
    print(f"Chargement du modèle fr_core_news_sm (une fois par session) : {load:.2f} s\n")

    print("| mots | processus | lot | temps médian (s) | mots/s | CPU de ce processus (s) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        corpus = corpus_of(size)
        lines = lines_of(corpus)
        words = sum(len(line.split()) for line in lines)
        configs = [(1, 64), (1, 256), (2, 64)]
        for n_process, batch in configs:
            wall, cpu = time_parse(lines, n_process, batch, runs)
            cpu_text = f"{cpu:.2f}" if n_process == 1 else "–"
            print(
                f"| {words:,} | {n_process} | {batch} | {wall:.2f} | {words / wall:,.0f} | "
                f"{cpu_text} |".replace(",", " ")
            )

    # cached re-run on ~100,000 words
    size = 30_000 if args.quick else 100_000
    corpus = corpus_of(size)
    words = corpus.n_words
    with tempfile.TemporaryDirectory() as cache:
        corpus.lemmatize(progress=False, cache_dir=cache)  # fills the cache
        times = []
        for _ in range(5):
            fresh = Corpus.from_texts(corpus.texts, corpus.metadata)
            t0 = time.perf_counter()
            fresh.lemmatize(progress=False, cache_dir=cache)
            times.append(time.perf_counter() - t0)
        # and in a new Python process, imports included
        path = Path(cache) / "corpus.txt"
        corpus.to_iramuteq(path)
        code = (
            "import time; t=time.perf_counter(); from movsc_toolkit.lexico import read_corpus; "
            f"c=read_corpus({str(path)!r}).lemmatize(progress=False, cache_dir={cache!r}); "
            "print(time.perf_counter()-t)"
        )
        read_corpus(path).lemmatize(progress=False, cache_dir=cache)
        fresh_process = [
            float(
                subprocess.run(
                    [sys.executable, "-c", code], capture_output=True, text=True, check=True
                ).stdout
            )
            for _ in range(3)
        ]
    print(
        f"\nCorpus en cache ({words:,} mots) : Corpus.lemmatize médian "
        f"{statistics.median(times):.2f} s ; nouveau processus (imports + lecture du fichier + "
        f"lemmatize) médian {statistics.median(fresh_process):.2f} s.".replace(",", " ")
    )


if __name__ == "__main__":
    main()
