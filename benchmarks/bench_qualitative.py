"""Time the analyses of coded interviews on a large synthetic project.

    python benchmarks/bench_qualitative.py [--entretiens 200] [--extraits 5000] [--codes 80]

Builds (seeded) 200 interviews of about 6,000 characters, 80 codes under 8 themes and 5,000
excerpts by a first coder, plus a second coder on a third of the interviews (for κ), then prints
the median time of 5 runs of each analysis and of the whole set. Target (issue 12): the
coding analyses under 2 s on 200 interviews × 5,000 excerpts × 80 codes.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import time

import numpy as np
import pandas as pd

from movsc_toolkit import qualitative as q
from movsc_toolkit.lexico import Corpus

WORDS = [
    "centre",
    "social",
    "quartier",
    "habitants",
    "enfants",
    "bénévoles",
    "financement",
    "projet",
    "jeunes",
    "accueil",
    "démarches",
    "numérique",
    "confiance",
    "familles",
    "association",
    "partenaires",
    "mairie",
    "activités",
]


def build(n_docs: int, n_excerpts: int, n_codes: int, seed: int = 0) -> q.Codings:
    rng = np.random.default_rng(seed)
    texts = []
    for _ in range(n_docs):
        lines = []
        for turn in range(30):
            words = rng.choice(WORDS, size=30)
            who = "Enquêteur" if turn % 2 == 0 else "Interviewée"
            lines.append(f"{who} : " + " ".join(words) + ".")
        texts.append("\n".join(lines))
    profiles = ["usager", "bénévole", "salarié", "partenaire", "administrateur"]
    meta = pd.DataFrame(
        {
            "entretien": [f"E{i:03d}" for i in range(n_docs)],
            "statut": rng.choice(profiles, size=n_docs),
            "date": pd.date_range("2026-01-01", periods=n_docs, freq="D").strftime("%d/%m/%Y"),
        }
    )
    corpus = Corpus.from_texts(texts, meta)
    texts = corpus.texts
    themes = [f"Thème {t + 1}" for t in range(8)]
    book = q.Codebook(
        pd.DataFrame(
            {
                "Code": [f"code {c + 1}" for c in range(n_codes)],
                "Parent": "",
            }
        )
    )
    table = book.table.copy()
    table["Parent"] = [themes[c % 8] for c in range(n_codes)]
    book = q.Codebook(
        pd.concat(
            [pd.DataFrame({"Code": themes, "Parent": "", "Codable": False}), table],
            ignore_index=True,
        )
    )
    doc = rng.integers(0, n_docs, n_excerpts)
    lengths = np.array([len(t) for t in texts])
    size = rng.integers(40, 400, n_excerpts)
    start = (rng.random(n_excerpts) * (lengths[doc] - size)).astype(np.int64)
    codes = rng.integers(0, n_codes, n_excerpts)
    first = pd.DataFrame(
        {
            "texte": doc,
            "code": [f"code {c + 1}" for c in codes],
            "codeur": "A",
            "début": start,
            "fin": start + size,
        }
    )
    second = first[first["texte"] % 3 == 0].copy()
    second["codeur"] = "B"
    shift = rng.integers(-30, 30, len(second))
    second["début"] = np.clip(second["début"] + shift, 0, None)
    drop = rng.random(len(second)) < 0.15
    second = second[~drop]
    excerpts = pd.concat([first, second], ignore_index=True)
    return q.Codings(corpus, book, excerpts, tuple(meta["entretien"]))


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entretiens", type=int, default=200)
    parser.add_argument("--extraits", type=int, default=5000)
    parser.add_argument("--codes", type=int, default=80)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    t0 = time.perf_counter()
    codings = build(args.entretiens, args.extraits, args.codes)
    print(
        f"Projet synthétique : {args.entretiens} entretiens, {len(codings.excerpts)} extraits "
        f"({args.extraits} + second codeur), {args.codes} codes ; construit en "
        f"{time.perf_counter() - t0:.2f} s."
    )
    one = codings.coder("A")
    analyses = {
        "construction (Codings)": lambda: q.Codings(
            codings.corpus, codings.codebook, codings.excerpts, codings.documents
        ),
        "code_frequencies": lambda: q.code_frequencies(one),
        "code_matrix (entretiens)": lambda: q.code_matrix(one, "statut"),
        "code_matrix (extraits)": lambda: q.code_matrix(one, "statut", measure="extraits"),
        "cooccurrences (extrait)": lambda: q.cooccurrences(one),
        "cooccurrences (entretien)": lambda: q.cooccurrences(one, measure="entretiens"),
        "verbatims (un code)": lambda: q.verbatims(one, "code 1"),
        "framework_matrix": lambda: q.framework_matrix(one),
        "saturation": lambda: q.saturation(one, order="date"),
        "agreement (caractère)": lambda: q.agreement(codings, "A", "B"),
        "agreement (segment)": lambda: q.agreement(codings, "A", "B", analysis_unit="segment"),
    }
    codings.corpus.segments  # noqa: B018 - segments cut once, as in a notebook
    total = 0.0
    print(f"{'analyse':30} {'médiane (s)':>12}")
    for name, fn in analyses.items():
        t = median_time(fn, args.runs)
        total += t
        print(f"{name:30} {t:12.3f}")
    print(f"{'TOTAL (somme des médianes)':30} {total:12.3f}   objectif < 2 s")
    # the results, hashed (CSV text): equal between two versions of the code, with or
    # without pyarrow, when the analyses give the same tables
    digest = hashlib.sha256()
    for fn in analyses.values():
        out = fn()
        frames = [out.excerpts] if isinstance(out, q.Codings) else [out]
        frames = [f if isinstance(f, pd.DataFrame | pd.Series) else f.to_frame() for f in frames]
        for attr in ("counts", "row_percent", "column_percent", "details"):
            if isinstance(getattr(out, attr, None), pd.DataFrame):
                frames.append(getattr(out, attr))
        for frame in frames:
            digest.update(frame.to_csv().encode())
    print(f"empreinte des résultats : {digest.hexdigest()[:12]}")


if __name__ == "__main__":
    main()
