"""Benchmark of Lafon's specificities (movsc_toolkit.lexico.specificities).

Three implementations of the same scores, run interleaved on the same table:

* ``toolkit``: ``specificities(table)`` as it is now (whole function: checks, DataFrames);
* ``avant``: the implementation of commit ``e664588`` (scipy's Boost ``hypergeom.sf`` /
  ``cdf`` cell by cell, log-sum-exp for underflowing cells), loaded from git as a separate
  module (skipped when git or that commit is unavailable);
* ``R``: R's vectorised ``phyper(..., log.p = TRUE)`` on the whole table, timed inside R
  (``Rscript`` subprocess, reading the table from a binary file; skipped when R is absent).
  Two R measures: ``R 1 queue`` computes one tail per cell as ``textometry`` does (lower tail
  where f < E, upper tail elsewhere, through logical masks); ``R 2 queues`` computes both tails
  for every cell (the anchor of issue 16). The R time excludes reading the file.

The table has Zipf-like word frequencies (1 to 200,000 occurrences) spread over the parts by
Dirichlet proportions, so it contains very specific words whose tail probabilities underflow
double precision (scores up to ≈ 3,450). Result equality is checked in the script: the
toolkit's scores against ``avant``'s and R's, on the benchmark table and on a second random
table (gamma-Poisson counts with zeros), all to 1e-8 (R and the toolkit agree to about 1e-12;
``avant``, through Boost, differs from both by up to 8e-9 on the second table).

Run: ``/work/venv/bin/python benchmarks/bench_specificities.py [--runs N] [--quick]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _before import module_at

from movsc_toolkit.lexico.specificities import specificities

BEFORE = "e664588"
TOLERANCE = 1e-8

R_SCRIPT = r"""
args <- commandArgs(trailingOnly = TRUE)
nr <- as.integer(args[2]); nc <- as.integer(args[3])
v <- readBin(args[1], "integer", n = nr * nc, size = 4, endian = "little")
m <- matrix(as.double(v), nrow = nr, ncol = nc, byrow = TRUE)
t0 <- proc.time()[["elapsed"]]
big_f <- rowSums(m); t <- colSums(m); big_t <- sum(m)
fm <- matrix(big_f, nr, nc); tm <- matrix(t, nr, nc, byrow = TRUE)
pos <- m >= fm * tm / big_t
s <- numeric(length(m))
s[!pos] <- phyper(m[!pos], fm[!pos], big_t - fm[!pos], tm[!pos], log.p = TRUE) / log(10)
s[pos] <- -phyper(m[pos] - 1, fm[pos], big_t - fm[pos], tm[pos], lower.tail = FALSE,
                  log.p = TRUE) / log(10)
t1 <- proc.time()[["elapsed"]]
lo <- phyper(m, fm, big_t - fm, tm, log.p = TRUE)
hi <- phyper(m - 1, fm, big_t - fm, tm, lower.tail = FALSE, log.p = TRUE)
t2 <- proc.time()[["elapsed"]]
cat(sprintf("%.6f %.6f\n", t1 - t0, t2 - t1))
writeBin(as.vector(t(matrix(s, nr, nc))), args[4], size = 8, endian = "little")
"""


def synthetic(n_forms: int, n_parts: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    freqs = (200_000 / np.arange(1, n_forms + 1)).astype(int) + 1
    shares = rng.dirichlet(np.full(n_parts, 2.0), n_forms)
    counts = np.array([rng.multinomial(f, p) for f, p in zip(freqs, shares, strict=True)])
    return pd.DataFrame(
        counts,
        index=[f"forme{i}" for i in range(n_forms)],
        columns=[f"partie{j}" for j in range(n_parts)],
    )


def random_table(n_forms: int, n_parts: int, seed: int = 1) -> pd.DataFrame:
    """Second check table: gamma-Poisson counts (many zeros, a few large words)."""
    rng = np.random.default_rng(seed)
    means = rng.gamma(0.3, 40, size=(n_forms, 1)) * rng.dirichlet(np.full(n_parts, 1.0), n_forms)
    counts = rng.poisson(means * n_parts)
    counts[:, counts.sum(axis=0) == 0] = 1
    return pd.DataFrame(counts, columns=[f"partie{j}" for j in range(n_parts)])


def run_r(script: Path, data: Path, shape: tuple[int, int], out: Path) -> tuple[float, float]:
    done = subprocess.run(
        ["Rscript", str(script), str(data), str(shape[0]), str(shape[1]), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    one, both = (float(v) for v in done.stdout.split())
    return one, both


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (median)")
    parser.add_argument("--quick", action="store_true", help="small table only")
    args = parser.parse_args()
    before = module_at(BEFORE, "lexico.specificities")
    has_r = shutil.which("Rscript") is not None
    if before is None:
        print(f"(implémentation {BEFORE} introuvable dans git : colonne « avant » omise)")
    if not has_r:
        print("(Rscript absent : colonnes R omises)")
    sizes = [(2_000, 10)] if args.quick else [(2_000, 10), (20_000, 20)]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "phyper.R"
        script.write_text(R_SCRIPT, encoding="utf-8")
        for n_forms, n_parts in sizes:
            table = synthetic(n_forms, n_parts)
            counts = table.to_numpy()
            data, r_out = Path(tmp) / "counts.bin", Path(tmp) / "scores.bin"
            counts.astype("<i4").tofile(data)
            times: dict[str, list[float]] = {"toolkit": [], "avant": [], "R1": [], "R2": []}
            for _ in range(args.runs):
                elapsed, result = timed(specificities, table)
                times["toolkit"].append(elapsed)
                if before is not None:
                    elapsed, old = timed(before.specificities, table)
                    times["avant"].append(elapsed)
                if has_r:
                    one, both = run_r(script, data, counts.shape, r_out)
                    times["R1"].append(one)
                    times["R2"].append(both)
            scores = result.scores.to_numpy()
            checks = []
            if before is not None:
                checks.append(("avant", np.abs(scores - old.scores.to_numpy()).max()))
                other = random_table(n_forms, n_parts)
                got = specificities(other).scores.to_numpy()
                want = before.specificities(other).scores.to_numpy()
                checks.append(("avant, 2e table", np.abs(got - want).max()))
            if has_r:
                r_scores = np.fromfile(r_out, dtype="<f8").reshape(counts.shape)
                checks.append(("R", np.abs(scores - r_scores).max()))
                other = random_table(n_forms, n_parts)
                other.to_numpy().astype("<i4").tofile(data)
                run_r(script, data, other.shape, r_out)
                r_scores = np.fromfile(r_out, dtype="<f8").reshape(other.shape)
                got = specificities(other).scores.to_numpy()
                checks.append(("R, 2e table", np.abs(got - r_scores).max()))
            for name, gap in checks:
                status = "identiques" if gap <= TOLERANCE else "DIFFÉRENTS"
                print(
                    f"{n_forms} × {n_parts} : scores {status} à {TOLERANCE:g} près "
                    f"(écart max avec {name} : {gap:.2e})"
                )
                if gap > TOLERANCE:
                    raise SystemExit(1)
            med = {k: statistics.median(v) if v else None for k, v in times.items()}
            rows.append((n_forms, n_parts, int(counts.sum()), float(np.abs(scores).max()), med))
    print()
    print(
        f"{'formes':>7} {'parties':>8} {'occurrences':>12} {'|score| max':>11} "
        f"{'toolkit (s)':>12} {'avant (s)':>10} {'R 1 queue (s)':>14} {'R 2 queues (s)':>15} "
        f"{'/avant':>7} {'/R 1 q.':>8} {'/R 2 q.':>8}"
    )

    def ratio(a: float, b: float | None) -> str:
        return f"{a / b:.2f}" if b else "–"

    def sec(v: float | None) -> str:
        return f"{v:.3f}" if v is not None else "–"

    for n_forms, n_parts, total, top, med in rows:
        t = med["toolkit"]
        print(
            f"{n_forms:>7} {n_parts:>8} {total:>12} {top:>11.1f} {t:>12.3f} "
            f"{sec(med['avant']):>10} {sec(med['R1']):>14} {sec(med['R2']):>15} "
            f"{ratio(t, med['avant']):>7} {ratio(t, med['R1']):>8} {ratio(t, med['R2']):>8}"
        )
    print(f"(médianes de {args.runs} exécutions entrelacées ; ratio < 1 : toolkit plus rapide)")


if __name__ == "__main__":
    main()
