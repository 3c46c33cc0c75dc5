"""Benchmark of the Reinert CHD (movsc_toolkit.lexico.reinert) on synthetic segment tables.

Targets (issue 4): 9 bipartitions with reallocation on 7,000 segments × 5,000 active lemmas
in under 5 s (IRaMuTeQ's R code: about 45 s, reference §5.11); 50,000 × 20,000 in under 60 s
and 2 GB. The tables are binary, about 10 active lemmas per segment, Zipf-like lemma
frequencies and a latent topic structure (seeded, so every run measures the same input).

Run: ``/work/venv/bin/python benchmarks/bench_reinert.py [--quick]``.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
import tracemalloc

import numpy as np
import scipy.sparse as sp

from movsc_toolkit.lexico.reinert import reinert


def synthetic(n_seg: int, n_terms: int, n_topics: int, per_seg: int = 10, seed: int = 0):
    """Binary segments × lemmas matrix: Zipf base frequencies, topic-specific vocabulary."""
    rng = np.random.default_rng(seed)
    base = 1.0 / np.arange(1, n_terms + 1) ** 0.9
    topic_of_word = rng.integers(0, n_topics, n_terms)
    topic_of_seg = np.sort(rng.integers(0, n_topics, n_seg))  # texts in corpus order
    rows, cols = [], []
    for t in range(n_topics):
        weights = base * np.where(topic_of_word == t, 25.0, 1.0)
        weights /= weights.sum()
        segs = np.flatnonzero(topic_of_seg == t)
        k = rng.poisson(per_seg, len(segs)) + 1
        rows.append(np.repeat(segs, k))
        cols.append(rng.choice(n_terms, size=k.sum(), p=weights))
    r, c = np.concatenate(rows), np.concatenate(cols)
    matrix = sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(n_seg, n_terms))
    matrix.data[:] = 1.0
    return matrix


def measure(matrix, repeats: int) -> tuple[float, float, int]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = reinert(matrix, n_splits=9, reallocation=True)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    reinert(matrix, n_splits=9, reallocation=True)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20, result.n_classes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small table only")
    args = parser.parse_args()
    cases = [(7_000, 5_000, 8, 5, 5.0)]
    if not args.quick:
        cases.append((50_000, 20_000, 12, 3, 60.0))
    print(
        f"{'segments':>9} {'lemmes':>7} {'non-zéros':>10} {'médiane (s)':>12} "
        f"{'cible (s)':>10} {'pic mémoire Python (Mo)':>24} {'classes':>8}"
    )
    for n_seg, n_terms, topics, repeats, target in cases:
        matrix = synthetic(n_seg, n_terms, topics)
        median, peak, k = measure(matrix, repeats)
        print(
            f"{n_seg:>9} {n_terms:>7} {matrix.nnz:>10} {median:>12.2f} {target:>10.0f} "
            f"{peak:>24.0f} {k:>8}"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Mémoire résidente maximale du processus : {rss:.0f} Mo (cible < 2 048 Mo)")


if __name__ == "__main__":
    main()
