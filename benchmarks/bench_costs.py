"""Speed of the full-cost allocation and of the monthly follow-up (``finance.costs``,
``finance.monitoring``) on a large analytic ledger.

Run: /work/venv/bin/python benchmarks/bench_costs.py [--lines 1000000] [--projects 50] [--runs 5]

Builds a synthetic ledger of the year 2026 (``--lines`` lines, half of them charges and income
with an analytic code among ``--projects`` projects and 3 support centres, half their
counterparts without code), keys for every project, a budget by project and a monthly phasing.
Measures, each as the median of ``--runs`` runs, interleaved with its anchor:

- ``full_costs`` (direct costs, step-down allocation of 3 centres, largest remainder), against
  the bare pandas group-by of the class-6 charges by analytic code and account it starts from;
- ``monthly_tracking`` + ``forecast`` (monthly budget vs actual by project, line and month,
  atterrissage), against the bare pandas group-by of the class 6/7 lines by code, account and
  month.

The target (issue 13) is under 3 s each for 1 M lines × 50 projects. The script checks that
the toolkit's totals equal the anchors' and prints a table (measure, median, anchor, ratio).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from movsc_toolkit.finance import Ledger, full_costs, make_budget, monthly_tracking
from movsc_toolkit.finance.monitoring import MONTHS

CHARGES = ["6042", "6061", "6064", "6068", "6132", "6226", "6228", "6248", "6411", "6451"]
INCOME = ["7062", "7064", "745", "746", "7561"]
CENTRES = ["locaux", "administration", "communication"]


def ledger(n_lines: int, n_projects: int, seed: int = 0) -> Ledger:
    rng = np.random.default_rng(seed)
    n = n_lines // 2
    projects = [f"projet_{i:02d}" for i in range(n_projects)]
    codes = np.array(projects + CENTRES)
    is_income = rng.random(n) < 0.25
    account = np.where(
        is_income,
        np.array(INCOME)[rng.integers(0, len(INCOME), n)],
        np.array(CHARGES)[rng.integers(0, len(CHARGES), n)],
    )
    code = codes[rng.integers(0, len(codes), n)]
    amount = rng.integers(100, 300_000, n) / 100
    dates = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 273, n), unit="D")
    label = np.where(
        pd.Series(account).str.startswith("74"), "Subvention Commune de Val-Fleuri", "Facture"
    )
    first = pd.DataFrame(
        {
            "EcritureDate": dates,
            "CompteNum": account,
            "CompteLib": "",
            "EcritureLib": label,
            "Debit": np.where(is_income, 0.0, amount),
            "Credit": np.where(is_income, amount, 0.0),
            "analytique": code,
        }
    )
    second = first.assign(
        CompteNum=np.where(is_income, "411", "401"),
        Debit=first["Credit"],
        Credit=first["Debit"],
        analytique="",
    )
    entries = pd.concat([first, second], ignore_index=True)
    entries["exercice"] = 2026
    return Ledger(entries=entries)


def keys(n_projects: int) -> pd.DataFrame:
    rows = []
    for i in range(n_projects):
        p = f"projet_{i:02d}"
        rows += [("m2", p, 10 + i % 7), ("etp", p, 0.2 + (i % 5) / 10), ("heures", p, 100 + i)]
    rows += [("m2", "administration", 30), ("m2", "communication", 12), ("etp", "communication", 1)]
    return pd.DataFrame(rows, columns=["Clé", "Code", "Quantité"])


def budget(n_projects: int):
    codes = ["604", "606", "613", "622", "628", "641", "645", "70", "74 Commune", "756"]
    columns = [f"projet_{i:02d}" for i in range(n_projects)] + CENTRES
    data = {"Code": codes}
    for j, c in enumerate(columns):
        data[c] = [1000.0 * (1 + (j + k) % 9) for k in range(len(codes))]
    return make_budget(pd.DataFrame(data), year=2026)


def phasing() -> pd.DataFrame:
    summer = [1, 1, 1, 1, 1, 2, 4, 4, 2, 1, 1, 1]
    return pd.DataFrame(
        [["*", "*", *[1] * 12], ["*", "604", *summer]], columns=["Projet", "Code", *MONTHS]
    )


RULES = {"locaux": "m2", "communication": "etp", "administration": "couts_directs"}


def anchor_costs(book: Ledger) -> pd.Series:
    e = book.entries
    part = e[e["CompteNum"].str[:1] == "6"]
    return (part["Debit"] - part["Credit"]).groupby([part["analytique"], part["CompteNum"]]).sum()


def anchor_monthly(book: Ledger) -> pd.Series:
    e = book.entries
    part = e[e["CompteNum"].str[:1].isin(["6", "7"])]
    month = part["EcritureDate"].dt.month
    return (
        (part["Debit"] - part["Credit"])
        .groupby([part["analytique"], part["CompteNum"], month])
        .sum()
    )


def timed(func: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    out = func()
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    book = ledger(args.lines, args.projects)
    key_table = keys(args.projects)
    plan = budget(args.projects)
    profile = phasing()

    def costs() -> object:
        return full_costs(book, key_table, RULES, 2026)

    def follow_up() -> object:
        tracking = monthly_tracking(plan, book, 2026, phasing=profile)
        return tracking, tracking.forecast()

    results = {}
    for name, func, anchor in (
        ("full_costs (répartition en cascade)", costs, lambda: anchor_costs(book)),
        ("monthly_tracking + forecast", follow_up, lambda: anchor_monthly(book)),
    ):
        tool_times, anchor_times = [], []
        for _ in range(args.runs):
            t, out = timed(func)
            tool_times.append(t)
            t, ref = timed(anchor)
            anchor_times.append(t)
        results[name] = (statistics.median(tool_times), statistics.median(anchor_times), out, ref)

    # result checks against the anchors
    fc = results["full_costs (répartition en cascade)"][2]
    ref = results["full_costs (répartition en cascade)"][3]
    assert abs(fc.costs.loc["Total", "Coût complet"] - ref.sum()) < 0.01, "coût complet faux"
    assert abs(fc.table.loc["Total", "Total"] - ref.loc[CENTRES].sum()) < 0.01
    tracking, forecast = results["monthly_tracking + forecast"][2]
    ref = results["monthly_tracking + forecast"][3]
    charges = ref[ref.index.get_level_values(1).str.startswith("6")].sum()
    got = tracking.by_line()
    got = got.loc[got["Section"] == "Charges", "Réalisé à date"].sum()
    assert abs(got - charges) < 0.01, "réalisé mensuel faux"
    assert len(forecast.table) > 0

    rows = [
        {
            "mesure": name,
            "médiane (s)": round(tool, 3),
            "ancre pandas (s)": round(anchor, 3),
            "rapport": round(tool / anchor, 1),
            "< 3 s": "oui" if tool < 3 else "NON",
        }
        for name, (tool, anchor, _, _) in results.items()
    ]
    print(
        f"Grand livre synthétique : {args.lines:_} lignes × {args.projects} projets "
        f"(+ {len(CENTRES)} centres de support) ; médiane de {args.runs} exécutions."
    )
    print(pd.DataFrame(rows).to_string(index=False))
    print("Résultats identiques aux ancres (totaux au centime) : oui")


if __name__ == "__main__":
    main()
