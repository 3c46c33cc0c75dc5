"""Speed of the budget, cash-flow and grants functions of ``movsc_toolkit.finance``.

Run: /work/venv/bin/python benchmarks/bench_budget.py [--lines 1000000] [--repeat 3]

Builds synthetic entries (balanced two-line entries: charges against suppliers, subsidies of
ten funders recorded then paid through 4417, bank payments, fonds dédiés) of growing size, and
measures ``budget_vs_actual``, ``actual_cash``, ``dedicated_funds`` and ``conventions_status``
(with the bundled budget and conventions of the centre social Les Tilleuls); then, on the
bundled 3-year FEC, ``cash_plan`` and ``synthesis_note``. Prints the median over ``--repeat``
runs, in seconds.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from movsc_toolkit import datasets, finance

CHARGES = ["6064", "6132", "6226", "6251", "6411", "6451", "6811", "616", "6278"]
FUNDERS = [
    ("746", "CAF", "Caisse d'allocations familiales"),
    ("745", "COMMUNE", "Commune de Saint-Aubin-les-Prés"),
    ("743", "DEPT", "Département"),
    ("742", "REGION", "Région"),
    ("7411", "ETAT-CV", "État - ANCT contrat de ville"),
    ("7414", "ASP", "Agence de services et de paiement"),
    ("744", "AGGLO", "Communauté d'agglomération"),
    ("748", "FONDATION", "Fondation Solidarités Numériques"),
]
SECTORS = ["accueil_loisirs", "famille", "jeunesse", "numerique", "insertion", "fonctionnement"]


def entries(n_lines: int, seed: int = 0) -> pd.DataFrame:
    """Synthetic balanced entries of the year 2024 (two lines each)."""
    rng = np.random.default_rng(seed)
    n = n_lines // 2
    kind = rng.choice(
        ["charge", "notification", "versement", "paiement"], n, p=[0.6, 0.1, 0.1, 0.2]
    )
    funder = rng.integers(0, len(FUNDERS), n)
    amount = rng.integers(100, 500_000, n) / 100
    dates = np.datetime64("2024-01-01") + rng.integers(0, 365, n)
    first, second, aux, label, sector = [], [], [], [], []
    for k, f, i in zip(kind, funder, range(n), strict=True):
        account, ident, name = FUNDERS[f]
        if k == "charge":
            first.append(CHARGES[i % len(CHARGES)])
            second.append("401")
            aux.append("")
            label.append("Facture fournisseur")
        elif k == "notification":
            first.append("4417")
            second.append(account)
            aux.append(ident)
            label.append(f"Notification {name} 2024")
        elif k == "versement":
            first.append("5121")
            second.append("4417")
            aux.append(ident)
            label.append(f"Versement {name} 2024")
        else:
            first.append("401")
            second.append("5121")
            aux.append("")
            label.append("Règlement fournisseur")
        sector.append(SECTORS[i % len(SECTORS)])
    num = np.arange(1, n + 1).astype(str)
    base = {
        "JournalCode": np.repeat("OD", n),
        "EcritureNum": num,
        "EcritureDate": dates,
        "EcritureLib": label,
        "CompAuxNum": aux,
        "CompAuxLib": "",
        "CompteLib": "",
        "exercice": 2024,
    }
    debit = pd.DataFrame(base | {"CompteNum": first, "Debit": amount, "Credit": 0.0})
    credit = pd.DataFrame(base | {"CompteNum": second, "Debit": 0.0, "Credit": amount})
    debit["analytique"] = np.where(pd.Series(first).str[0].isin(["6", "7"]), sector, "")
    credit["analytique"] = np.where(pd.Series(second).str[0].isin(["6", "7"]), sector, "")
    return pd.concat([debit, credit], ignore_index=True)


def median_time(func: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def check(budget: finance.Budget, data: pd.DataFrame) -> None:
    """The results against a direct pandas computation on the synthetic entries: the actual
    charges (class 6) of budget_vs_actual, and the year's change of the bank account (5121, no
    à-nouveaux here) of actual_cash (its cells are rounded to the cent)."""
    net = data["Debit"] - data["Credit"]
    charges = float(net[data["CompteNum"].str.startswith("6")].sum())
    got = finance.budget_vs_actual(budget, data, 2024).table.loc["Total des charges"]
    assert abs(got["Réalisé (€)"] - charges) < 0.01, "budget_vs_actual : charges fausses"
    bank = float(net[data["CompteNum"] == "5121"].sum())
    cash = finance.actual_cash(data, 2024)
    assert cash.opening_cash == 0.0
    assert abs(cash.closing_cash - bank) < 0.01 * 2 * 12 * len(cash.receipts), (
        "actual_cash : trésorerie fausse"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    budget = finance.read_budget(datasets.path("centre_social_budget", "budget_2024.xlsx"))
    budget_2025 = finance.read_budget(datasets.path("centre_social_budget", "budget_2025.xlsx"))
    conventions = finance.read_conventions(
        datasets.path("centre_social_budget", "conventions.xlsx")
    )
    rows = []
    sizes = sorted({10_000, 100_000, args.lines})
    for size in sizes:
        data = entries(size)
        rows.append(
            {
                "lignes": size,
                "budget_vs_actual": median_time(
                    lambda d=data: finance.budget_vs_actual(budget, d, 2024), args.repeat
                ),
                "budget_vs_actual (projet)": median_time(
                    lambda d=data: finance.budget_vs_actual(budget, d, 2024, "famille"),
                    args.repeat,
                ),
                "actual_cash": median_time(
                    lambda d=data: finance.actual_cash(d, 2024), args.repeat
                ),
                "dedicated_funds": median_time(
                    lambda d=data: finance.dedicated_funds(d, 2024), args.repeat
                ),
                "conventions_status": median_time(
                    lambda d=data: finance.conventions_status(conventions, "2024-12-31", d),
                    args.repeat,
                ),
            }
        )
        check(budget, data)
    table = pd.DataFrame(rows).set_index("lignes")
    print("Médiane de", args.repeat, "exécutions, en secondes (écritures synthétiques, 2024) :")
    print(table.round(3).to_string())
    print("Résultats vérifiés contre un calcul pandas direct (charges, trésorerie) : oui")

    ledger = datasets.load("centre_social_comptes")
    opening = finance.indicators(ledger, 2024).loc["tresorerie_nette", "Valeur"]
    plan = median_time(
        lambda: finance.cash_plan(budget_2025, opening, conventions=conventions), args.repeat
    )
    note = median_time(
        lambda: finance.synthesis_note(ledger, 2024, budget, conventions), args.repeat
    )
    print()
    print(f"Jeu centre_social_comptes ({len(ledger.entries)} lignes, 3 exercices) :")
    print(f"  cash_plan avec conventions : {plan:.3f} s")
    print(f"  synthesis_note (5 graphiques) : {note:.3f} s")


if __name__ == "__main__":
    main()
