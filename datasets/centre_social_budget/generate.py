"""Generate the budgets prévisionnels 2024 and 2025 and the funders' conventions of the fictitious
centre social « Les Tilleuls » (the association of ``datasets/centre_social_comptes``).

Run: ``/work/venv/bin/python datasets/centre_social_budget/generate.py`` (deterministic, seed
2024). Reads the 2024 FEC, ``subventions.csv`` and ``versements_subventions.csv`` of
``centre_social_comptes`` and writes, next to this script:

- ``budget_2024.xlsx``: the budget prévisionnel 2024 by sector (as voted at the end of 2023),
  to compare with the accounts 2024;
- ``budget_2025.xlsx``: the budget prévisionnel 2025 by sector (for the CERFA and the cash plan);
- ``conventions.xlsx``: the conventions 2023–2025 (sheet ``Conventions``) and their payment
  schedules with the payments received (sheet ``Versements``).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import load_workbook
from openpyxl.styles import Font, PatternFill

from movsc_toolkit.finance import make_budget, read_fec
from movsc_toolkit.finance.budget_vs_actual import actual_by_line
from movsc_toolkit.finance.cerfa import CERFA_LINES

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _reproducible import stamp_workbook  # helper shared by the generators

HERE = Path(__file__).resolve().parent
ACCOUNTS = HERE.parent / "centre_social_comptes"
SECTORS = ["accueil_loisirs", "famille", "jeunesse", "numerique", "insertion", "fonctionnement"]
ASSOCIATION = "Centre social et culturel Les Tilleuls"
RNG = np.random.default_rng(2024)

FUNDER_LINE = {
    "CAF": "74 Organismes sociaux",
    "COMMUNE": "74 Commune",
    "DEPT": "74 Département",
    "ETAT-CV": "74 État",
    "ETAT-NUM": "74 État",
    "FONJEP": "74 État",
    "ASP": "74 ASP",
    "REGION": "74 Région",
    "AGGLO": "74 Intercommunalité",
    "FONDATION": "74 Aides privées",
}
PRECISION = {
    "CAF": "CAF",
    "COMMUNE": "Commune de Saint-Aubin-les-Prés",
    "DEPT": "Département",
    "ETAT-CV": "ANCT – contrat de ville",
    "ETAT-NUM": "ANCT – conseiller numérique",
    "FONJEP": "FONJEP (ministère chargé de la jeunesse)",
    "ASP": "ASP – parcours emploi compétences",
    "REGION": "Région",
    "AGGLO": "Communauté d'agglomération",
    "FONDATION": "Fondation Solidarités Numériques",
}
CVN_PAIRS = {"864": "87 Bénévolat", "861": "87 Prestations en nature", "860": "87 Dons en nature"}
CHARGE_CODES = {line.code for line in CERFA_LINES if line.section == "Charges"}


def _amount(text: str) -> float:
    return float(str(text).replace(",", "."))


def load_subsidies() -> pd.DataFrame:
    subs = pd.read_csv(ACCOUNTS / "subventions.csv", sep=";", dtype=str)
    subs["montant"] = subs["montant_notifie"].map(_amount)
    subs["exercice"] = subs["exercice"].astype(int)
    return subs


def noisy(value: float, spread: float = 0.04) -> float:
    """A planned amount close to the actual one (a budget is never exact)."""
    factor = 1 + float(np.clip(RNG.normal(0, spread), -2 * spread, 2 * spread))
    return float(round(value * factor, -2))


def balance(rows: dict[str, dict[tuple[str, str], float]]) -> None:
    """Balance every sector (and so the association) in place.

    The association's total is balanced on the "autres fournitures" (606) of the structure;
    then each sector in deficit receives a share of the global subsidies of the structure
    (animation globale of the CAF, convention pluriannuelle of the Commune) and each sector in
    surplus takes a share of the structure's staff (direction, accueil), as a centre social
    does when it builds project budgets.
    """

    def totals(sector: str) -> tuple[float, float]:
        charges = sum(v for (code, _), v in rows[sector].items() if code in CHARGE_CODES)
        produits = sum(
            v
            for (code, _), v in rows[sector].items()
            if code not in CHARGE_CODES and not code.startswith(("86", "87"))
        )
        return charges, produits

    gap = sum(totals(s)[1] - totals(s)[0] for s in SECTORS)
    key = ("606", "")
    rows["fonctionnement"][key] = rows["fonctionnement"].get(key, 0.0) + gap
    structure = rows["fonctionnement"]
    for sector in SECTORS[:-1]:
        charges, produits = totals(sector)
        diff = round(charges - produits, 2)
        if diff > 0:  # deficit: a share of the global subsidies
            for code, precision in [
                ("74 Organismes sociaux", "CAF – animation globale (quote-part)"),
                ("74 Commune", "Commune – convention pluriannuelle (quote-part)"),
            ]:
                source = (code, "CAF" if code.endswith("sociaux") else PRECISION["COMMUNE"])
                take = min(diff, structure[source] - 1000)
                structure[source] -= take
                rows[sector][(code, precision)] = rows[sector].get((code, precision), 0) + take
                diff -= take
                if diff <= 0.004:
                    break
        elif diff < 0:  # surplus: a share of the structure's staff
            for code, share in (("641", 0.78), ("645", 0.22)):
                part = (
                    round(-diff * share, 2)
                    if code == "641"
                    else round(-diff, 2) - round(-diff * 0.78, 2)
                )
                structure[(code, "")] -= part
                precision = "personnel de direction et d'accueil (quote-part)"
                rows[sector][(code, precision)] = rows[sector].get((code, precision), 0) + part


def to_frame(rows: dict[str, dict[tuple[str, str], float]]) -> pd.DataFrame:
    keys = sorted(
        {k for sector in rows.values() for k in sector},
        key=lambda k: ([line.code for line in CERFA_LINES].index(k[0]), k[1]),
    )
    data = {
        "Code": [k[0] for k in keys],
        "Précision": [k[1] for k in keys],
    }
    for sector in SECTORS:
        data[sector] = [round(rows[sector].get(k, 0.0), 2) for k in keys]
    return pd.DataFrame(data)


def budget_2024(ledger, subs: pd.DataFrame) -> pd.DataFrame:
    """Budget 2024 as voted at the end of 2023: close to the 2024 accounts, with what was not
    foreseen (the end of the conseiller numérique funding, the prud'hommes settlement, the
    fonds dédiés reported at the closing) and the subsidies expected at their 2023 level."""
    rows: dict[str, dict[tuple[str, str], float]] = {}
    expected = subs[subs["exercice"] == 2023]
    for sector in SECTORS:
        actual = actual_by_line(ledger, 2024, sector)
        sector_rows: dict[tuple[str, str], float] = {}
        for code, value in actual.items():
            if code.startswith("74 ") or code.startswith("87") or abs(value) < 1:
                continue
            if code in {"67", "77", "78", "689"}:
                continue  # not foreseen in the budget
            if code == "789":
                sector_rows[(code, "")] = float(value)  # known when the budget is voted
                continue
            sector_rows[(code, "")] = noisy(float(value))
        for _, sub in expected[expected["code_analytique"] == sector].iterrows():
            key = (FUNDER_LINE[sub["financeur_id"]], PRECISION[sub["financeur_id"]])
            sector_rows[key] = sector_rows.get(key, 0.0) + sub["montant"]
        for charge, product in CVN_PAIRS.items():
            if (charge, "") in sector_rows:
                sector_rows[(product, "")] = sector_rows[(charge, "")]
        rows[sector] = sector_rows
    # the conseiller numérique was planned for the whole year
    rows["numerique"][("641", "")] = 26500.0
    rows["numerique"][("645", "")] = 7400.0
    balance(rows)
    return to_frame(rows)


def budget_2025(ledger, subs: pd.DataFrame) -> pd.DataFrame:
    """Budget 2025: the 2024 accounts + 2 %, without the conseiller numérique (ateliers seniors
    run by a part-time animator), the 2024 fonds dédiés used, the subsidies of 2024 + 2 %."""
    rows: dict[str, dict[tuple[str, str], float]] = {}
    notified = subs[subs["exercice"] == 2024]
    for sector in SECTORS:
        actual = actual_by_line(ledger, 2024, sector)
        sector_rows: dict[tuple[str, str], float] = {}
        for code, value in actual.items():
            if code.startswith("74 ") or code.startswith("87") or abs(value) < 1:
                continue
            if code in {"67", "77", "78", "689", "789"}:
                continue
            sector_rows[(code, "")] = noisy(float(value) * 1.02, 0.02)
        for _, sub in notified[notified["code_analytique"] == sector].iterrows():
            if sub["montant"] <= 0:
                continue
            key = (FUNDER_LINE[sub["financeur_id"]], PRECISION[sub["financeur_id"]])
            growth = 1.0 if sub["financeur_id"] in {"FONJEP", "ASP"} else 1.02
            sector_rows[key] = sector_rows.get(key, 0.0) + round(sub["montant"] * growth, -2)
        for charge, product in CVN_PAIRS.items():
            if (charge, "") in sector_rows:
                sector_rows[(product, "")] = sector_rows[(charge, "")]
        rows[sector] = sector_rows
    rows["numerique"][("641", "")] = 13800.0
    rows["numerique"][("645", "")] = 3900.0
    rows["insertion"][("789", "")] = 5000.0  # fonds dédiés reported at the end of 2024
    balance(rows)
    return to_frame(rows)


# --------------------------------------------------------------------------- conventions

OBJECT_SCHEDULE = {
    # (funder, object keyword) -> list of (month offset from January of the year, day, share)
    ("CAF", "CLAS"): [(10, 30, 0.5), (17, 30, 0.5)],
    ("CAF", ""): [(4, 31, 0.7), (17, 30, 0.3)],
    ("COMMUNE", "Cap ados"): [(2, 15, 0.5), (8, 15, 0.5)],
    ("COMMUNE", ""): [(0, 15, 0.25), (3, 15, 0.25), (6, 15, 0.25), (9, 15, 0.25)],
    ("DEPT", "RSA"): [(4, 31, 0.8), (11, 15, 0.2)],
    ("DEPT", ""): [(5, 30, 1.0)],
    ("ETAT-CV", ""): [(5, 30, 1.0)],
    ("FONJEP", ""): [(2, 31, 0.25), (5, 30, 0.25), (8, 30, 0.25), (11, 31, 0.25)],
    ("ETAT-NUM", ""): [(1, 28, 0.5), (8, 30, 0.5)],
    ("ASP", ""): [(m, 12, 1 / 12) for m in range(1, 13)],
    ("REGION", ""): [(6, 31, 0.5), (9, 31, 0.5)],
    ("AGGLO", ""): [(10, 30, 1.0)],
    ("FONDATION", ""): [(2, 31, 1.0)],
}
CONDITIONS = {
    "CAF": "Convention d'objectifs et de financement ; bilan d'activité et compte rendu "
    "financier ; solde versé après justification.",
    "COMMUNE": "Convention pluriannuelle d'objectifs 2023-2025 ; avenant financier annuel ; "
    "compte rendu financier (CERFA 15059) dans les six mois.",
    "DEPT": "Objectifs d'accompagnement de 40 allocataires du RSA ; solde sur bilan.",
    "ETAT-CV": "Appel à projets contrat de ville ; subvention affectée à l'action, part non "
    "utilisée en fonds dédiés.",
    "ETAT-NUM": "Poste de conseiller numérique France services ; financement dégressif.",
    "FONJEP": "Poste FONJEP jeunesse ; versements trimestriels.",
    "ASP": "Aide au poste parcours emploi compétences ; versements mensuels.",
    "REGION": "Appel à projets inclusion numérique ; solde sur bilan.",
    "AGGLO": "Action mobilité des jeunes ; versement unique.",
    "FONDATION": "Convention de mécénat affectée aux ateliers seniors ; compte rendu trois mois "
    "après la fin de l'action.",
}
CATEGORY = {k: v[3:] for k, v in FUNDER_LINE.items()}
DEDICATED = {"ETAT-CV", "FONDATION", "DEPT"}


def _schedule(funder: str, objet: str, year: int) -> list[tuple[pd.Timestamp, float]]:
    rule = next(
        rules
        for (f, key), rules in OBJECT_SCHEDULE.items()
        if f == funder and (not key or key in objet)
    )
    out = []
    for offset, day, share in rule:
        month_start = pd.Timestamp(year=year, month=1, day=1) + pd.DateOffset(months=offset)
        last = (month_start + pd.offsets.MonthEnd(0)).day
        out.append((month_start.replace(day=min(day, last)), share))
    return out


def conventions(subs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    paid = pd.read_csv(ACCOUNTS / "versements_subventions.csv", sep=";", dtype=str)
    paid["montant"] = paid["montant"].map(_amount)
    paid["date"] = pd.to_datetime(paid["date_versement"])
    paid["exercice_subvention"] = paid["exercice_subvention"].astype(int)
    # 2025: the amounts of the budget 2025 by funder and object (the 2024 objects + 2 %)
    subs25 = subs[(subs["exercice"] == 2024) & (subs["montant"] > 0)].copy()
    subs25["exercice"] = 2025
    growth = subs25["financeur_id"].map(lambda f: 1.0 if f in {"FONJEP", "ASP"} else 1.02)
    subs25["montant"] = (subs25["montant"] * growth).round(-2)
    subs25["date_notification"] = subs25["date_notification"].str.replace("2024", "2025")
    all_subs = pd.concat([subs[subs["exercice"].isin([2023, 2024])], subs25])
    all_subs = all_subs[all_subs["montant"] > 0]
    conv_rows, pay_rows = [], []
    for (year, funder), group in all_subs.groupby(["exercice", "financeur_id"], sort=True):
        ident = f"{funder}-{year}"
        projects = sorted(set(group["code_analytique"]))
        signed = pd.to_datetime(group["date_notification"]).min()
        end = pd.Timestamp(year=year, month=12, day=31)
        due = end + pd.DateOffset(months=3 if funder == "FONDATION" else 6)
        deposited = None
        if year == 2023 and funder not in {"ETAT-NUM", "FONDATION"}:
            deposited = due - pd.Timedelta(days=int(RNG.integers(3, 25)))
        conv_rows.append(
            {
                "Convention": ident,
                "Financeur": group["financeur"].iloc[0],
                "Catégorie": CATEGORY[funder],
                "Objet": " ; ".join(group["objet"]),
                "Projet": projects[0] if len(projects) == 1 else "",
                "Montant accordé": round(group["montant"].sum(), 2),
                "Date de signature": signed,
                "Début": pd.Timestamp(year=year, month=1, day=1),
                "Fin": end,
                "Conditions": CONDITIONS[funder],
                "Fonds dédiés": "oui" if funder in DEDICATED else "non",
                "Compte rendu dû le": due,
                "Compte rendu déposé le": deposited,
                "Libellé comptable": group["financeur"].iloc[0],
                "Compte": funder,
            }
        )
        for _, sub in group.iterrows():
            received = paid[
                (paid["financeur_id"] == funder)
                & (paid["exercice_subvention"] == year)
                & (paid["objet"] == sub["objet"])
            ].sort_values("date")
            pool = list(zip(received["date"], received["montant"], strict=True))
            for date, share in _schedule(funder, sub["objet"], year):
                planned = round(sub["montant"] * share, 2)
                got, when = 0.0, pd.NaT
                while pool and got < planned - 0.004:
                    d, a = pool.pop(0)
                    got += a
                    when = d
                pay_rows.append(
                    {
                        "Convention": ident,
                        "Objet": sub["objet"],
                        "Date prévue": date,
                        "Montant prévu": planned,
                        "Date reçue": when,
                        "Montant reçu": round(got, 2) if got else None,
                    }
                )
    # the Commune's equipment subsidy of 2024 (rénovation de la salle familles, compte 131)
    conv_rows.append(
        {
            "Convention": "COMMUNE-EQUIP-2024",
            "Financeur": "Commune de Saint-Aubin-les-Prés",
            "Catégorie": "Commune",
            "Objet": "Subvention d'équipement : rénovation de la salle familles",
            "Projet": "famille",
            "Montant accordé": 12000.0,
            "Date de signature": pd.Timestamp("2024-04-02"),
            "Début": pd.Timestamp("2024-04-02"),
            "Fin": pd.Timestamp("2024-12-31"),
            "Conditions": "Subvention d'investissement versée sur factures acquittées.",
            "Fonds dédiés": "non",
            "Compte rendu dû le": pd.Timestamp("2025-06-30"),
            "Compte rendu déposé le": None,
            "Libellé comptable": "Commune de Saint-Aubin-les-Prés",
            "Compte": "COMMUNE",
        }
    )
    pay_rows.append(
        {
            "Convention": "COMMUNE-EQUIP-2024",
            "Objet": "Subvention d'équipement : rénovation de la salle familles",
            "Date prévue": pd.Timestamp("2024-09-30"),
            "Montant prévu": 12000.0,
            "Date reçue": pd.Timestamp("2024-09-20"),
            "Montant reçu": 12000.0,
        }
    )
    conv = pd.DataFrame(conv_rows)
    pay = pd.DataFrame(pay_rows)
    # make each convention's schedule add up exactly to the amount granted (rounding)
    for ident, part in pay.groupby("Convention"):
        granted = conv.loc[conv["Convention"] == ident, "Montant accordé"].iloc[0]
        last = part.index[-1]
        pay.loc[last, "Montant prévu"] = round(
            pay.loc[last, "Montant prévu"] + granted - part["Montant prévu"].sum(), 2
        )
    return conv, pay.sort_values(["Convention", "Date prévue"], kind="stable")


def write_conventions(conv: pd.DataFrame, pay: pd.DataFrame, path: Path) -> None:
    with pd.ExcelWriter(path, engine="openpyxl", datetime_format="DD/MM/YYYY") as writer:
        conv.to_excel(writer, sheet_name="Conventions", index=False)
        pay.to_excel(writer, sheet_name="Versements", index=False)
    book = load_workbook(path)
    widths = {"Conventions": [16, 40, 22, 60, 16, 14, 14, 12, 12, 60, 10, 14, 14, 40, 10]}
    widths["Versements"] = [16, 60, 14, 14, 14, 14]
    for name, sizes in widths.items():
        sheet = book[name]
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
        for i, width in enumerate(sizes):
            sheet.column_dimensions[chr(ord("A") + i)].width = width
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, float):
                    cell.number_format = '#,##0.00 "€"'
        sheet.freeze_panes = "B2"
    book.properties.creator = "movsc-toolkit"
    book.save(path)


def main() -> None:
    ledger = read_fec(ACCOUNTS / "999000001FEC20241231.txt")
    subs = load_subsidies()
    b24 = budget_2024(ledger, subs)
    b25 = budget_2025(ledger, subs)
    for year, frame in ((2024, b24), (2025, b25)):
        budget = make_budget(frame, name=ASSOCIATION, year=year)
        assert budget.is_balanced, budget.problems
        budget.to_excel(HERE / f"budget_{year}.xlsx")
    conv, pay = conventions(subs)
    write_conventions(conv, pay, HERE / "conventions.xlsx")
    _fix_workbook_dates()


def _fix_workbook_dates() -> None:
    """Fix the dates stored in the workbooks, so that the files are identical between runs."""
    for name in ("budget_2024.xlsx", "budget_2025.xlsx", "conventions.xlsx"):
        stamp_workbook(HERE / name, dt.datetime(2025, 1, 15, 9, 0, 0))


if __name__ == "__main__":
    main()
