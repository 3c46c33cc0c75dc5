"""Generate the trial balance of the fictitious sports club « US Vallée Handball » (2024).

Run: /work/venv/bin/python datasets/cas_club_sportif/generate.py
Writes ``balance_2024.csv`` next to this script: the *balance générale* at 31 December 2024
(before closing entries), one row per account, as accounting software exports it (``;``
separator, UTF-8, decimal comma, columns « Compte ; Intitulé ; Solde débiteur ; Solde
créditeur »). Deterministic: every amount is fixed below; the bank balance is the amount that
balances the trial balance.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

# (account, label, balance: debit positive, credit negative)
BALANCES = [
    ("102", "Fonds associatif sans droit de reprise", -8000.00),
    ("110", "Report à nouveau", -4500.00),
    ("164", "Emprunt bancaire (minibus)", -18000.00),
    ("2181", "Aménagement du club-house", 72000.00),
    ("2182", "Minibus", 28000.00),
    ("2184", "Matériel sportif", 9000.00),
    ("28181", "Amortissements club-house", -12000.00),
    ("28182", "Amortissements minibus", -14000.00),
    ("28184", "Amortissements matériel sportif", -6000.00),
    ("401", "Fournisseurs", -6200.00),
    ("404", "Fournisseurs d'immobilisations (travaux du club-house)", -21000.00),
    ("411", "Licenciés - cotisations à encaisser", 2300.00),
    ("431", "URSSAF", -3100.00),
    ("4417", "Subventions à recevoir (Département)", 4000.00),
    ("487", "Produits constatés d'avance (licences saison 2024-2025)", -38000.00),
    ("531", "Caisse de la buvette", 350.00),
    ("607", "Achats de la buvette", 7500.00),
    ("6061", "Énergie du club-house", 4200.00),
    ("6063", "Petit équipement sportif", 9000.00),
    ("6132", "Location de créneaux de gymnase", 3000.00),
    ("616", "Assurances", 2800.00),
    ("6248", "Déplacements des équipes", 24000.00),
    ("6257", "Réceptions (tournois)", 2100.00),
    ("6281", "Licences et affiliations reversées à la fédération", 38000.00),
    ("6411", "Salaire de l'entraîneur", 28000.00),
    ("6451", "Charges sociales", 7500.00),
    ("661", "Intérêts de l'emprunt", 450.00),
    ("6811", "Dotations aux amortissements", 9800.00),
    ("7063", "Parrainages (sponsors)", -8000.00),
    ("706", "Stages sportifs", -18000.00),
    ("707", "Ventes de la buvette", -12000.00),
    ("7411", "Subvention Agence nationale du sport", -4000.00),
    ("743", "Subvention Département", -6000.00),
    ("745", "Subvention Commune", -15000.00),
    ("7561", "Cotisations et licences des adhérents", -76000.00),
    ("864", "Personnel bénévole (entraîneurs, arbitres, dirigeants)", 45000.00),
    ("875", "Bénévolat", -45000.00),
]


def fmt(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def main() -> None:
    bank = -round(sum(b for _, _, b in BALANCES), 2)
    rows = [*BALANCES, ("5121", "Banque - compte courant", bank)]
    rows.sort(key=lambda r: r[0])
    lines = ["Compte;Intitulé;Solde débiteur;Solde créditeur"]
    for account, label, balance in rows:
        lines.append(f"{account};{label};{fmt(max(balance, 0))};{fmt(max(-balance, 0))}")
    (HERE / "balance_2024.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(rows)} comptes, banque {fmt(bank)} €")


if __name__ == "__main__":
    main()
