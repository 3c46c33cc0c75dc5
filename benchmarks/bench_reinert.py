"""Benchmark of the Reinert CHD (movsc_toolkit.lexico.reinert) on synthetic segment tables.

Targets (issue 4): 9 bipartitions with reallocation on 7,000 segments × 5,000 active lemmas
in under 5 s (IRaMuTeQ's R code: about 45 s, reference §5.11); 50,000 × 20,000 in under 60 s
and 2 GB. Issue 16: at least 1.5 times faster than the implementation of commit ``e664588``
at every size, with identical partitions.

Each run calls ``reinert(matrix, n_splits=9, reallocation=True)`` (CHD, terminal classes and
profiles) with the current implementation (``toolkit``) and with the one of commit
``e664588`` loaded from git as a separate module (``avant``; skipped when git or that commit
is unavailable), interleaved. The script checks that both give the same hierarchy (all 9
bipartitions) and the same final classes. The tables are binary, about 10 active lemmas per
segment, Zipf-like lemma frequencies and a latent topic structure (seeded, so every run
measures the same input).

Run: ``/work/venv/bin/python benchmarks/bench_reinert.py [--runs N] [--quick]``.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
import tracemalloc

import numpy as np
import scipy.sparse as sp
from _before import module_at

from movsc_toolkit.lexico.reinert import reinert

BEFORE = "e664588"


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


def timed(fn, matrix):
    start = time.perf_counter()
    result = fn(matrix, n_splits=9, reallocation=True)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (median)")
    parser.add_argument("--quick", action="store_true", help="small table only")
    args = parser.parse_args()
    before = module_at(BEFORE, "lexico.reinert")
    if before is None:
        print(f"(implémentation {BEFORE} introuvable dans git : colonne « avant » omise)")
    cases = [(7_000, 5_000, 8, 5.0)]
    if not args.quick:
        cases.append((50_000, 20_000, 12, 60.0))
    rows = []
    for n_seg, n_terms, topics, target in cases:
        matrix = synthetic(n_seg, n_terms, topics)
        now, old = [], []
        for _ in range(args.runs):
            elapsed, result = timed(reinert, matrix)
            now.append(elapsed)
            if before is not None:
                elapsed, reference = timed(before.reinert, matrix)
                old.append(elapsed)
        if before is not None:
            same = result.hierarchy.equals(reference.hierarchy) and result.classes.equals(
                reference.classes
            )
            print(
                f"{n_seg} × {n_terms} : partitions "
                + ("identiques (9 bipartitions et classes finales)" if same else "DIFFÉRENTES")
            )
            if not same:
                raise SystemExit(1)
        tracemalloc.start()
        reinert(matrix, n_splits=9, reallocation=True)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows.append(
            (
                n_seg,
                n_terms,
                matrix.nnz,
                statistics.median(now),
                statistics.median(old) if old else None,
                target,
                peak / 2**20,
                result.n_classes,
            )
        )
    print()
    print(
        f"{'segments':>9} {'lemmes':>7} {'non-zéros':>10} {'toolkit (s)':>12} {'avant (s)':>10} "
        f"{'accélération':>13} {'cible (s)':>10} {'pic mémoire Python (Mo)':>24} {'classes':>8}"
    )
    for n_seg, n_terms, nnz, med, med_old, target, peak, k in rows:
        speed = f"{med_old / med:.2f}×" if med_old else "–"
        old_s = f"{med_old:.2f}" if med_old else "–"
        print(
            f"{n_seg:>9} {n_terms:>7} {nnz:>10} {med:>12.2f} {old_s:>10} {speed:>13} "
            f"{target:>10.0f} {peak:>24.0f} {k:>8}"
        )
    print(f"(médianes de {args.runs} exécutions entrelacées ; accélération = avant / toolkit)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Mémoire résidente maximale du processus : {rss:.0f} Mo (cible < 2 048 Mo)")


if __name__ == "__main__":
    main()
