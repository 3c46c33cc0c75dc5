"""Generate the budgets 2024 and 2025 and the funders' conventions of the fictitious atelier vélo
solidaire « Roue Libre » (the association of ``datasets/cas_dependance_financeur``).

Run: ``python datasets/roue_libre_budget/generate.py`` (deterministic, seed 2025; a re-run writes
the same bytes). Reads the FEC 2024 of ``cas_dependance_financeur`` and writes, next to this
script:

- ``budget_2024.xlsx``: the budget prévisionnel 2024 by activity, as voted in December 2023
  (CERFA 12156 lines), to compare with the accounts 2024;
- ``budget_2025.xlsx``: the budget prévisionnel 2025 by activity (for the CERFA and the cash plan);
- ``conventions.xlsx``: the conventions 2023–2025 of the Département and the Commune (sheet
  ``Conventions``) and their payment schedules (sheet ``Versements``).

Each activity budget is balanced by the subsidy asked for it (Département for the chantier
d'insertion, Commune for the self-repair workshops), as an association does when it builds
its requests; the shared costs (rent, insurance, fees, depreciation) are split 75 / 25.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from movsc_toolkit.finance import make_budget, read_fec
from movsc_toolkit.finance.budget_vs_actual import actual_by_line
from movsc_toolkit.finance.cerfa import CERFA_LINES

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _reproducible import stamp_workbook  # helper shared by the generators

HERE = Path(__file__).resolve().parent
ACCOUNTS = HERE.parent / "cas_dependance_financeur"
ASSOCIATION = "Roue Libre, atelier vélo solidaire"
SECTORS = ["chantier_insertion", "autoreparation"]
RNG = np.random.default_rng(2025)

#: Share of each 2024 line that belongs to the chantier d'insertion (the rest: self-repair).
SPLIT = {
    "606": 0.70,  # spare parts: bikes refurbished by the employees in insertion
    "613": 0.75,
    "616": 0.75,
    "622": 0.75,
    "641": 0.86,  # the employees in insertion and one of the two mechanics
    "645": 0.86,
    "66": 0.75,
    "68": 0.75,
    "70": 0.60,  # sales of refurbished bikes (707) vs repairs and workshops (706)
    "756": 0.0,  # memberships: the self-repair workshop
    "754": 0.0,  # gifts from the users of the workshop
}
PRECISION = {
    "74 Département": "Département – chantier d'insertion",
    "74 Commune": "Commune de Vernay",
    "74 Aides privées": "Fondation Mobilités solidaires",
}
CHARGES = {line.code for line in CERFA_LINES if line.section == "Charges"}


def noisy(value: float, spread: float) -> float:
    """A planned amount close to the actual one (a budget is never exact)."""
    factor = 1 + float(np.clip(RNG.normal(0, spread), -2 * spread, 2 * spread))
    return float(round(value * factor, -2))


def build(actual: pd.Series, growth: float, spread: float, extra: dict) -> pd.DataFrame:
    """Budget lines by activity from the 2024 accounts; each activity balanced by its subsidy."""
    rows: dict[str, dict[tuple[str, str], float]] = {s: {} for s in SECTORS}
    for code, value in actual.items():
        if code.startswith("74 ") or code == "66":  # subsidies are asked; overdraft not planned
            continue
        total = noisy(float(value) * growth, spread)
        insertion = round(total * SPLIT[code], -2)
        for sector, amount in zip(SECTORS, (insertion, total - insertion), strict=True):
            if amount:
                rows[sector][(code, "")] = amount
    for (sector, code, precision), amount in extra.items():
        rows[sector][(code, precision)] = rows[sector].get((code, precision), 0.0) + amount
    for sector, subsidy in zip(SECTORS, ("74 Département", "74 Commune"), strict=True):
        charges = sum(v for (c, _), v in rows[sector].items() if c in CHARGES)
        products = sum(v for (c, _), v in rows[sector].items() if c not in CHARGES)
        rows[sector][(subsidy, PRECISION[subsidy])] = round(charges - products, 2)
    keys = sorted(
        {k for sector in rows.values() for k in sector},
        key=lambda k: ([line.code for line in CERFA_LINES].index(k[0]), k[1]),
    )
    data = {"Code": [k[0] for k in keys], "Précision": [k[1] for k in keys]}
    for sector in SECTORS:
        data[sector] = [round(rows[sector].get(k, 0.0), 2) for k in keys]
    return pd.DataFrame(data)


def conventions(dept_2025: float, commune_2025: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Conventions 2023-2025 and their schedules (60 % in April, 40 % in October)."""
    ts = pd.Timestamp
    conv, pay = [], []

    def add(ident, funder, category, objet, project, amount, year, account, deposited, rows):
        conv.append(
            {
                "Convention": ident,
                "Financeur": funder,
                "Catégorie": category,
                "Objet": objet,
                "Projet": project,
                "Montant accordé": amount,
                "Date de signature": ts(year, 2, 14)
                if category == "Département"
                else ts(year, 3, 20),
                "Début": ts(year, 1, 1),
                "Fin": ts(year, 12, 31),
                "Conditions": (
                    "Accompagnement de 8 salariés en insertion (ETP) ; bilan d'activité et compte "
                    "rendu financier dans les six mois ; solde sur bilan."
                    if category == "Département"
                    else "Convention annuelle ; compte rendu financier (CERFA 15059) dans les six "
                    "mois suivant la fin de l'exercice."
                ),
                "Fonds dédiés": "non",
                "Compte rendu dû le": ts(year + 1, 6, 30),
                "Compte rendu déposé le": deposited,
                "Libellé comptable": category,
                "Compte": account,
            }
        )
        for planned, share, received, got in rows:
            pay.append(
                {
                    "Convention": ident,
                    "Objet": objet,
                    "Date prévue": planned,
                    "Montant prévu": round(amount * share, 2),
                    "Date reçue": received,
                    "Montant reçu": got,
                }
            )

    dept = "Département – direction de l'insertion"
    objet = "Chantier d'insertion : accompagnement des salariés en parcours"
    add("DEPT-2023", dept, "Département", objet, "chantier_insertion", 175000.0, 2023, "4417",
        ts(2024, 6, 18), [(ts(2023, 4, 30), 0.6, ts(2023, 4, 20), 105000.0),
                          (ts(2023, 10, 15), 0.4, ts(2023, 10, 16), 70000.0)])  # fmt: skip
    add("DEPT-2024", dept, "Département", objet, "chantier_insertion", 180000.0, 2024, "4417",
        None, [(ts(2024, 4, 30), 0.6, ts(2024, 9, 26), 54000.0),
               (ts(2024, 10, 15), 0.4, pd.NaT, None)])  # fmt: skip
    add("DEPT-2025", dept, "Département", objet, "chantier_insertion", dept_2025, 2025, "4417",
        None, [(ts(2025, 4, 30), 0.6, pd.NaT, None), (ts(2025, 10, 15), 0.4, pd.NaT, None)])  # fmt: skip
    commune = "Commune de Vernay"
    objet = "Ateliers d'autoréparation ouverts aux habitants"
    for year, deposited, received in (
        (2023, None, (ts(2023, 6, 12), 12000.0)),
        (2024, None, (ts(2024, 6, 12), 12000.0)),
        (2025, None, (pd.NaT, None)),
    ):
        amount = 12000.0 if year < 2025 else commune_2025
        add(f"COMMUNE-{year}", commune, "Commune", objet, "autoreparation", amount, year, "745",
            deposited, [(ts(year, 6, 15), 1.0, *received)])  # fmt: skip
    return pd.DataFrame(conv), pd.DataFrame(pay)


def main() -> None:
    ledger = read_fec(ACCOUNTS / "999000002FEC20241231.txt")
    actual = actual_by_line(ledger, 2024)
    # December 2023: the 2024 budget, close to what happened, with a foundation grant hoped for
    # the self-repair workshops (never obtained) and the Département asked for the balance
    b24 = build(
        actual,
        1.0,
        0.05,
        {("autoreparation", "74 Aides privées", PRECISION["74 Aides privées"]): 4000.0},
    )
    # the 2025 budget: the 2024 accounts + 2 %, a new part-time mechanic for the workshops,
    # funded by an aide au poste (PEC) and the agglomeration's cycling plan
    b25 = build(
        actual,
        1.02,
        0.02,
        {("autoreparation", "641", "mécanicien à mi-temps"): 9600.0,
         ("autoreparation", "645", "mécanicien à mi-temps"): 2900.0,
         ("autoreparation", "74 ASP", "ASP – parcours emploi compétences"): 7800.0,
         ("autoreparation", "74 Intercommunalité", "Agglomération – plan vélo"): 8000.0},
    )  # fmt: skip
    for year, frame in ((2024, b24), (2025, b25)):
        budget = make_budget(frame, name=ASSOCIATION, year=year)
        assert budget.is_balanced, budget.problems
        budget.to_excel(HERE / f"budget_{year}.xlsx")
    dept_2025 = float(b25.loc[b25["Code"] == "74 Département", "chantier_insertion"].sum())
    commune_2025 = float(b25.loc[b25["Code"] == "74 Commune", "autoreparation"].sum())
    conv, pay = conventions(dept_2025, commune_2025)
    with pd.ExcelWriter(
        HERE / "conventions.xlsx", engine="openpyxl", datetime_format="DD/MM/YYYY"
    ) as writer:
        conv.to_excel(writer, sheet_name="Conventions", index=False)
        pay.to_excel(writer, sheet_name="Versements", index=False)  # fmt: skip
    for name in ("budget_2024.xlsx", "budget_2025.xlsx", "conventions.xlsx"):
        stamp_workbook(HERE / name, dt.datetime(2025, 1, 20, 9, 0, 0))


if __name__ == "__main__":
    main()
