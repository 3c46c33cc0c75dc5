"""Benchmark of the KPI dashboard: 200 indicators × 5 years of monthly values × 3 disaggregations.

Run: ``python benchmarks/bench_kpi.py``. Prints the median time (5 runs) of validating the
project (``build_project``), of ``dashboard`` and of ``disaggregate``, for growing numbers of
indicators. Target: ``dashboard`` under 2 s for 200 indicators.
"""

from __future__ import annotations

import hashlib
import statistics
import time
from functools import partial

import numpy as np
import pandas as pd

from movsc_toolkit import kpi

AGGREGATIONS = ["somme", "moyenne", "dernier", "cumul", "ratio"]
DIMENSIONS = {
    "sexe": ["femme", "homme"],
    "tranche_age": ["moins de 25 ans", "25 à 59 ans", "60 ans et plus"],
    "quartier": ["QPV", "centre", "autres"],
}


def make_project(
    n_indicators: int, years: int = 5, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``indicateurs`` and ``valeurs`` tables of a large random project."""
    rng = np.random.default_rng(seed)
    codes = [f"I{i:03d}" for i in range(n_indicators)]
    aggs = [AGGREGATIONS[i % 5] for i in range(n_indicators)]
    indicators = pd.DataFrame(
        {
            "code": codes,
            "libelle": [f"Indicateur {c}" for c in codes],
            "agregation": aggs,
            "mesure": ["pourcentage" if a == "ratio" else "nombre" for a in aggs],
            "facteur": [100 if a == "ratio" else 1 for a in aggs],
            "sens": ["baisse" if i % 7 == 0 else "hausse" for i in range(n_indicators)],
            "desagregations": "sexe;tranche_age;quartier",
        }
    )
    starts = pd.date_range("2021-01-01", periods=12 * years, freq="MS")
    ends = starts + pd.offsets.MonthEnd(0)
    n_months = len(starts)
    frames = []
    # totals
    code_col = np.repeat(codes, n_months)
    agg_col = np.repeat(aggs, n_months)
    den = rng.integers(50, 200, size=len(code_col)).astype(float)
    num = np.floor(den * rng.uniform(0.4, 0.9, size=len(code_col)))
    val = rng.integers(20, 400, size=len(code_col)).astype(float)
    is_ratio = agg_col == "ratio"
    total = pd.DataFrame(
        {
            "code": code_col,
            "type_valeur": "realise",
            "periode_debut": np.tile(starts, n_indicators),
            "periode_fin": np.tile(ends, n_indicators),
            "numerateur_valeur": np.where(is_ratio, num, np.nan),
            "denominateur_valeur": np.where(is_ratio, den, np.nan),
            "valeur": np.where(is_ratio, np.nan, val),
        }
    )
    frames.append(total)
    for dim, modalities in DIMENSIONS.items():
        k = len(modalities)
        # split every total into k integer parts that add up
        weights = 1 + rng.uniform(size=(len(total), k))  # every share ≥ 1 / (2k)
        shares = weights / weights.sum(axis=1, keepdims=True)
        for j, mod in enumerate(modalities):
            part = total.copy()
            part["dimension_nom"] = dim
            part["dimension_valeur"] = mod
            if j < k - 1:
                part["valeur"] = np.floor(total["valeur"] * shares[:, j])
                part["numerateur_valeur"] = np.floor(total["numerateur_valeur"] * shares[:, j])
                part["denominateur_valeur"] = np.floor(total["denominateur_valeur"] * shares[:, j])
            frames.append(part)
        # last modality = total − the others, so the parts add up exactly
        last = frames[-1]
        others = frames[-k:-1]
        for col in ("valeur", "numerateur_valeur", "denominateur_valeur"):
            last[col] = total[col] - sum(o[col] for o in others)
    targets = pd.DataFrame(
        {
            "code": codes * 2,
            "type_valeur": ["reference"] * n_indicators + ["cible"] * n_indicators,
            "periode_debut": [pd.Timestamp("2020-01-01")] * n_indicators
            + [starts[0]] * n_indicators,
            "periode_fin": [pd.Timestamp("2020-12-31")] * n_indicators + [ends[-1]] * n_indicators,
            "valeur": [50.0] * n_indicators + [80.0 if a == "ratio" else 12000.0 for a in aggs],
        }
    )
    values = pd.concat([targets, *frames], ignore_index=True)
    return indicators, values


def median_time(func, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fingerprint(*frames: pd.DataFrame) -> str:
    """A short hash of the results (their CSV text): equal between two versions of the code,
    with or without pyarrow, when the results are the same."""
    digest = hashlib.sha256()
    for frame in frames:
        digest.update(frame.to_csv().encode())
    return digest.hexdigest()[:12]


def main() -> None:
    print("indicateurs  lignes de valeurs  build_project (s)  dashboard (s)  disaggregate (s)")
    prints = []
    for n in (50, 100, 200):
        indicators, values = make_project(n)
        project = kpi.build_project(indicators, values)
        prints.append(
            fingerprint(
                project.values,
                project.problems,
                kpi.indicator_status(project, "31/12/2025"),
                kpi.disaggregate(project, "31/12/2025"),
                kpi.trajectory(project, "31/12/2025"),
            )
        )
        t_build = median_time(partial(kpi.build_project, indicators, values), runs=3)
        t_dash = median_time(partial(kpi.dashboard, project, "31/12/2025"))
        t_dis = median_time(partial(kpi.disaggregate, project, "31/12/2025"))
        print(
            f"{n:>11}  {len(values):>17}  {t_build:>17.3f}  {t_dash:>13.3f}  {t_dis:>16.3f}"
            + ("" if project.problems.empty else f"  ({len(project.problems)} problèmes)")
        )
    print(f"empreinte des résultats : {fingerprint(pd.DataFrame({'h': prints}))}")


if __name__ == "__main__":
    main()
