"""Conventions, their status at a date, and fonds dédiés, on hand-made data."""

from __future__ import annotations

import pandas as pd
import pytest

from movsc_toolkit._errors import ColumnError, DataError
from movsc_toolkit._format import format_euro
from movsc_toolkit.finance.convention_status import conventions_status
from movsc_toolkit.finance.conventions import read_conventions
from movsc_toolkit.finance.dedicated_funds import dedicated_funds


@pytest.fixture
def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Convention": ["C1", "C2", "C3"],
            "Financeur": ["CAF de la Gironde", "Ville de Talence", "Fondation de France"],
            "Libellé comptable": ["CAF", "Ville", ""],
            "Objet": ["Animation globale", "Jeunesse", "Jardin partagé"],
            "Projet": ["ACC", "JEU", "JAR"],
            "Montant accordé": [40000, 20000, 10000],
            "Début": ["01/01/2025"] * 3,
            "Fin": ["31/12/2025", "31/12/2025", "31/12/2024"],
            "Échéancier": [
                "15/02/2025 : 50 % ; 30/06/2025 : 30 % ; 30/06/2026 : solde",
                "31/03/2025 : 20 000",
                "01/05/2025 : 10 000",
            ],
            "Fonds dédiés": ["non", "non", "oui"],
            "Compte rendu déposé le": [None, None, None],
        }
    )


def _entries(lines: list[tuple]) -> pd.DataFrame:
    rows = [
        {
            "JournalCode": journal,
            "EcritureNum": num,
            "EcritureDate": pd.Timestamp(date),
            "CompteNum": account,
            "CompteLib": "",
            "CompAuxNum": "",
            "CompAuxLib": "",
            "EcritureLib": label,
            "Debit": float(debit),
            "Credit": float(credit),
            "analytique": analytic,
            "exercice": pd.Timestamp(date).year,
        }
        for journal, num, date, label, account, debit, credit, analytic in lines
    ]
    return pd.DataFrame(rows)


@pytest.fixture
def ledger() -> pd.DataFrame:
    return _entries(
        [
            ("OD", "1", "2025-01-10", "Notification CAF", "4417", 40000, 0, ""),
            ("OD", "1", "2025-01-10", "Notification CAF", "7418", 0, 40000, "ACC"),
            ("BQ", "2", "2025-02-20", "Versement CAF acompte", "512", 20000, 0, ""),
            ("BQ", "2", "2025-02-20", "Versement CAF acompte", "4417", 0, 20000, ""),
            ("BQ", "3", "2025-04-20", "Subvention Ville jeunesse", "512", 20000, 0, ""),
            ("BQ", "3", "2025-04-20", "Subvention Ville jeunesse", "7413", 0, 20000, "JEU"),
            ("BQ", "4", "2025-05-02", "Fondation de France jardin", "512", 10000, 0, ""),
            ("BQ", "4", "2025-05-02", "Fondation de France jardin", "7418", 0, 10000, "JAR"),
            ("BQ", "5", "2025-06-02", "Don Villeneuve", "512", 500, 0, ""),
            ("BQ", "5", "2025-06-02", "Don Villeneuve", "7418", 0, 500, ""),
            ("AC", "6", "2025-12-31", "Achats jardin", "6064", 6000, 0, "JAR"),
            ("AC", "6", "2025-12-31", "Achats jardin", "401", 0, 6000, ""),
            ("OD", "7", "2025-12-31", "Report fonds dédiés jardin", "6894", 4000, 0, "JAR"),
            ("OD", "7", "2025-12-31", "Report fonds dédiés jardin", "194", 0, 4000, ""),
        ]
    )


def test_read_schedule_text(table):
    conv = read_conventions(table)
    assert list(conv.table["Catégorie"]) == ["Organismes sociaux", "Commune", "Aides privées"]
    caf = conv.payments[conv.payments["Convention"] == "C1"]
    assert list(caf["Montant prévu"]) == [20000, 12000, 8000]  # 50 %, 30 %, balance
    assert caf["Date prévue"].iloc[2] == pd.Timestamp("2026-06-30")
    # compte rendu due six months after the end of the period
    assert conv.table.loc[0, "Compte rendu dû le"] == pd.Timestamp("2026-06-30")
    assert list(conv.table["Fonds dédiés"]) == [False, False, True]
    assert conv.problems.empty
    by_cat = conv.by_category()
    assert by_cat.loc["Total", "Montant accordé (€)"] == 70000


def test_schedule_inconsistency_reported(table):
    table.loc[1, "Échéancier"] = "31/03/2025 : 15 000"
    conv = read_conventions(table)
    assert "C2" in set(conv.problems["élément"])
    assert "totalise" in conv.problems["message"].iloc[0]


def test_read_excel_with_payment_sheet(tmp_path, table):
    path = tmp_path / "conventions.xlsx"
    with pd.ExcelWriter(path) as writer:
        table.drop(columns="Échéancier").to_excel(writer, sheet_name="Conventions", index=False)
        pd.DataFrame(
            {
                "Convention": ["C1", "C1", "C2", "C3"],
                "Date prévue": ["15/02/2025", "30/06/2026", "31/03/2025", "01/05/2025"],
                "Montant prévu": [20000, 20000, 20000, 10000],
                "Date reçue": ["20/02/2025", None, None, "02/05/2025"],
                "Montant reçu": [20000, None, None, 10000],
            }
        ).to_excel(writer, sheet_name="Versements", index=False)
    conv = read_conventions(path)
    assert len(conv.payments) == 4 and conv.problems.empty
    status = conventions_status(conv, "30/09/2025")
    assert status.table.loc["C1", "Reçu (€)"] == 20000
    assert status.table.loc["C2", "Versements"] == "en retard"
    assert status.table.loc["C2", "En retard (€)"] == 20000
    assert status.table.loc["C3", "Versements"] == "soldée"
    late = status.late_payments
    assert list(late["Convention"]) == ["C2"] and late["Retard (jours)"].iloc[0] == 183


def test_missing_columns_and_bad_dates(table):
    with pytest.raises(ColumnError, match="Montant accordé"):
        read_conventions(table.drop(columns="Montant accordé"))
    table.loc[0, "Fin"] = "fin 2025"
    with pytest.raises(DataError, match="fin 2025"):
        read_conventions(table)


def test_status_from_ledger(table, ledger):
    conv = read_conventions(table)
    status = conventions_status(conv, "2025-09-30", ledger)
    t = status.table
    assert t.loc["C1", "Échu (€)"] == 32000
    assert t.loc["C1", "Reçu (€)"] == 20000
    assert t.loc["C1", "En retard (€)"] == 12000
    assert t.loc["C1", "Reste à recevoir (€)"] == 20000
    assert t.loc["C2", "Versements"] == "soldée"
    # C3's period ended on 31/12/2024: compte rendu due on 30/06/2025, now late
    assert t.loc["C3", "Compte rendu"] == "en retard"
    assert t.loc["C1", "Compte rendu"] == "à venir"
    assert status.total_received == 50000 and status.total_late == 12000
    by_funder = status.by_funder
    assert by_funder.loc["CAF de la Gironde", "Comptabilisé en 74 (€)"] == 40000
    # the 500 € gift credited to 7418 matches no convention and is reported
    assert status.unmatched["Montant"].tolist() == [500]
    assert status.unmatched["Motif"].tolist() == ["financeur non reconnu"]
    text = str(status)
    assert "CAF de la Gironde" in text and "en retard" in text and "sans financeur" in text


def test_status_warns_before_report_due(table):
    conv = read_conventions(table)
    status = conventions_status(conv, "2026-05-15")
    assert status.table.loc["C1", "Compte rendu"] == "à rendre"
    table.loc[0, "Compte rendu déposé le"] = "10/05/2026"
    status = conventions_status(read_conventions(table), "2026-05-15")
    assert status.table.loc["C1", "Compte rendu"] == "déposé"


def test_dedicated_funds_and_unspent(table, ledger):
    funds = dedicated_funds(ledger, 2025, conventions=read_conventions(table))
    assert funds.table.loc["JAR", "Reports (689)"] == 4000
    assert funds.table.loc["Total", "À la fin"] == 4000
    # the subsidy is the project's only resource: 10 000 − 6 000 spent = 4 000 unspent
    assert funds.unspent.loc["JAR", "Part non utilisée estimée"] == 4000
    assert list(funds.unspent.index) == ["JAR"]


def test_unspent_part_proportional():
    entries = _entries(
        [
            ("BQ", "1", "2025-03-01", "Subvention", "7411", 0, 8000, "P"),
            ("BQ", "1", "2025-03-01", "Subvention", "512", 8000, 0, ""),
            ("BQ", "2", "2025-04-01", "Ventes", "706", 0, 2000, "P"),
            ("BQ", "2", "2025-04-01", "Ventes", "512", 2000, 0, ""),
            ("BQ", "3", "2025-06-01", "Achats", "6064", 5000, 0, "P"),
            ("BQ", "3", "2025-06-01", "Achats", "512", 0, 5000, ""),
            ("OD", "4", "2025-12-31", "Report", "6894", 4000, 0, "P"),
            ("OD", "4", "2025-12-31", "Report", "194", 0, 4000, ""),
        ]
    )
    funds = dedicated_funds(entries, 2025)
    row = funds.unspent.loc["P"]
    # the subsidy is 80 % of the resources: it financed 80 % of 5 000 € = 4 000 €
    assert row["Ressources du projet"] == 10000
    assert row["Part non utilisée estimée"] == pytest.approx(8000 - 0.8 * 5000)
    assert row["Report comptabilisé (689)"] == 4000


def test_opening_without_code_goes_to_the_project_using_it():
    entries = _entries(
        [
            ("AN", "1", "2025-01-01", "A nouveau", "194", 0, 8000, ""),
            ("AN", "1", "2025-01-01", "A nouveau", "512", 8000, 0, ""),
            ("OD", "2", "2025-12-31", "Utilisation", "194", 8000, 0, ""),
            ("OD", "2", "2025-12-31", "Utilisation", "7894", 0, 8000, "insertion"),
            ("OD", "3", "2025-12-31", "Report", "6894", 6000, 0, "insertion"),
            ("OD", "3", "2025-12-31", "Report", "194", 0, 6000, ""),
        ]
    )
    t = dedicated_funds(entries, 2025).table
    assert list(t.index) == ["insertion", "Total"]
    assert t.loc["insertion", "Au début"] == 8000 and t.loc["insertion", "À la fin"] == 6000


def test_dedicated_funds_over_years_and_dormant():
    lines = [
        ("OD", "1", "2023-12-31", "Report", "6894", 3000, 0, "A"),
        ("OD", "1", "2023-12-31", "Report", "194", 0, 3000, ""),
        ("OD", "2", "2023-12-31", "Report", "6894", 1000, 0, "B"),
        ("OD", "2", "2023-12-31", "Report", "194", 0, 1000, ""),
        ("AN", "1", "2024-01-01", "A nouveau", "194", 0, 4000, ""),
        ("AN", "1", "2024-01-01", "A nouveau", "512", 4000, 0, ""),
        ("OD", "2", "2024-06-30", "Utilisation", "194", 1000, 0, ""),
        ("OD", "2", "2024-06-30", "Utilisation", "7894", 0, 1000, "A"),
        ("AN", "1", "2025-01-01", "A nouveau", "194", 0, 3000, ""),
        ("AN", "1", "2025-01-01", "A nouveau", "512", 3000, 0, ""),
        ("OD", "2", "2025-06-30", "Utilisation", "194", 500, 0, ""),
        ("OD", "2", "2025-06-30", "Utilisation", "7894", 0, 500, "A"),
    ]
    entries = _entries(lines)
    funds_2024 = dedicated_funds(entries, 2024)
    assert funds_2024.table.loc["Total", "Au début"] == 4000
    assert funds_2024.table.loc["Total", "Utilisations (789)"] == 1000
    assert funds_2024.table.loc["Total", "À la fin"] == 3000
    # without à-nouveaux by project, the opening comes from the previous year by project
    no_an = entries[entries["JournalCode"] != "AN"]
    funds = dedicated_funds(no_an, 2025)
    t = funds.table
    assert t.loc["A", "Au début"] == 2000 and t.loc["A", "À la fin"] == 1500
    assert t.loc["B", "À la fin"] == 1000
    assert bool(t.loc["B", "Dormant"]) and not bool(t.loc["A", "Dormant"])
    assert "dormants" in str(funds)


def test_receipt_naming_its_year_pays_that_convention():
    conv = read_conventions(
        pd.DataFrame(
            {
                "Convention": ["R23", "R24"],
                "Financeur": ["Région", "Région"],
                "Montant accordé": [10000, 12000],
                "Début": ["01/01/2023", "01/01/2024"],
                "Fin": ["31/12/2023", "31/12/2024"],
                "Échéancier": [
                    "01/07/2023 : 50 % ; 01/04/2024 : solde",
                    "01/07/2024 : 50 % ; 01/04/2025 : solde",
                ],
            }
        )
    )
    ledger = _entries(
        [
            ("BQ", "1", "2023-07-05", "Versement Région 2023", "512", 5000, 0, ""),
            ("BQ", "1", "2023-07-05", "Versement Région 2023", "4417", 0, 5000, ""),
            # the 2024 advance arrives before the 2023 balance: FIFO alone would mix them up
            ("BQ", "2", "2024-03-20", "Versement Région 2024", "512", 6000, 0, ""),
            ("BQ", "2", "2024-03-20", "Versement Région 2024", "4417", 0, 6000, ""),
            # the balance of a 2022 agreement, absent from the table, is left aside
            ("BQ", "3", "2024-04-02", "Versement Région solde 2022", "512", 3000, 0, ""),
            ("BQ", "3", "2024-04-02", "Versement Région solde 2022", "4417", 0, 3000, ""),
        ]
    )
    status = conventions_status(conv, "2024-12-31", ledger)
    assert list(status.table.index) == ["R23", "R24"]
    assert status.table.loc["R24", "Reçu (€)"] == 6000
    assert status.table.loc["R23", "Reçu (€)"] == 5000
    assert status.table.loc["R23", "En retard (€)"] == 5000
    assert status.unmatched["Motif"].tolist() == ["solde d'une convention antérieure au tableau"]


def test_payments_before_the_books_use_the_sheet(tmp_path, table):
    path = tmp_path / "conventions.xlsx"
    with pd.ExcelWriter(path) as writer:
        table.drop(columns="Échéancier").to_excel(writer, sheet_name="Conventions", index=False)
        pd.DataFrame(
            {
                "Convention": ["C1", "C1", "C2", "C3"],
                "Date prévue": ["15/11/2024", "30/06/2025", "31/03/2025", "01/05/2025"],
                "Montant prévu": [20000, 20000, 20000, 10000],
                "Date reçue": ["20/11/2024", None, None, None],
                "Montant reçu": [20000, None, None, None],
            }
        ).to_excel(writer, sheet_name="Versements", index=False)
    ledger = _entries(
        [
            ("AN", "1", "2025-01-01", "A nouveau", "512", 1000, 0, ""),
            ("AN", "1", "2025-01-01", "A nouveau", "102", 0, 1000, ""),
            ("BQ", "2", "2025-04-20", "Subvention Ville jeunesse", "512", 20000, 0, ""),
            ("BQ", "2", "2025-04-20", "Subvention Ville jeunesse", "7413", 0, 20000, "JEU"),
        ]
    )
    status = conventions_status(read_conventions(path), "2025-09-30", ledger)
    # the books start in 2025: the 2024 payment of C1 is taken from the sheet
    assert status.table.loc["C1", "Reçu (€)"] == 20000
    assert status.table.loc["C1", "En retard (€)"] == 20000  # the June 2025 balance
    assert status.table.loc["C2", "Versements"] == "soldée"
    assert status.table.loc["C3", "En retard (€)"] == 10000


def test_read_csv_from_excel(repo_root):
    path = repo_root / "tests" / "data" / "finance_budget" / "conventions_excel.csv"
    conv = read_conventions(path)
    assert list(conv.table["Catégorie"]) == ["Commune", "Organismes sociaux", "État"]
    assert conv.table["Montant accordé"].tolist() == [7400, 5000, 2000]
    assert conv.problems.empty
    ville = conv.payments[conv.payments["Convention"] == "V-2025"]
    assert ville["Montant prévu"].tolist() == [3700, 3700]
    status = conventions_status(conv, "2025-10-01")
    assert status.table.loc["D-2024", "Compte rendu"] == "en retard"  # due 30/06/2025
    assert status.table.loc["V-2025", "En retard (€)"] == 7400


def test_status_plot_and_display(table, ledger):
    status = conventions_status(read_conventions(table), "2025-09-30", ledger)
    ax = status.plot()
    assert len(ax.patches) == 3 * 3  # received, late, to come for three funders
    assert "Compte rendu" in status._repr_html_()
    funds = dedicated_funds(ledger, 2025)
    assert "Variation des fonds dédiés" in funds._repr_html_()


# ---------------------------------------------------------------- issue 9: the shared parser


def test_schedule_over_100_percent_is_an_error(table):
    table.loc[0, "Échéancier"] = "15/02/2025 : 70 % ; 30/06/2026 : 50 %"
    conv = read_conventions(table)
    p = conv.problems
    assert list(p.columns) == ["élément", "ligne", "colonne", "valeur", "gravité", "message"]
    c1 = p[p["élément"] == "C1"]
    assert c1["gravité"].tolist() == ["erreur", "erreur"]
    assert "font 120 % : plus de 100 %" in c1["message"].iloc[0]
    # 70 % + 50 % of 40 000 € = 48 000 € planned
    expected = f"{format_euro(48_000, 2)} pour {format_euro(40_000, 2)} accordés"
    assert expected in c1["message"].iloc[1]
    assert c1["ligne"].tolist() == [2, 2]


def test_schedule_over_the_amount_granted_or_short_of_it(table):
    table.loc[0, "Échéancier"] = "15/02/2025 : 30.000 ; 30/06/2026 : 20.000"  # 50 000 > 40 000
    table.loc[1, "Échéancier"] = "31/03/2025 : 15 000"  # 15 000 < 20 000
    conv = read_conventions(table)
    p = conv.problems.set_index("élément")
    assert p.loc["C1", "gravité"] == "erreur" and "plus que le montant" in p.loc["C1", "message"]
    assert p.loc["C2", "gravité"] == "alerte" and "il manque" in p.loc["C2", "message"]
    c1 = conv.payments[conv.payments["Convention"] == "C1"]
    assert c1["Montant prévu"].tolist() == [30_000, 20_000]  # thousands dots, not 30 €


def test_amounts_and_dates_with_the_shared_parser(table):
    table["Montant accordé"] = ["40.000", "20 000 €", "10.000,00"]
    table.loc[2, "Fin"] = "31/12/3025"
    with pytest.raises(DataError, match="hors des limites") as err:
        read_conventions(table)
    assert "Ligne 4" in str(err.value)
    table.loc[2, "Fin"] = "31/12/2025"
    conv = read_conventions(table)
    assert conv.table["Montant accordé"].tolist() == [40_000, 20_000, 10_000]


def test_amount_formula_without_saved_value_is_computed_or_reported(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Conventions"
    ws.append(["Convention", "Financeur", "Montant accordé", "Début", "Fin"])
    ws.append(["C1", "CAF de la Gironde", "=SUM(F2:G2)", "01/01/2025", "31/12/2025", 25000, 15000])
    ws.append(["C2", "Ville de Talence", "=F3*2", "01/01/2025", "31/12/2025", 10000])
    path = tmp_path / "conventions.xlsx"
    wb.save(path)  # openpyxl saves formulas without computed values
    conv = read_conventions(path)
    assert conv.table["Montant accordé"].tolist() == [40_000, 0]
    p = conv.problems
    formula = p[p["colonne"] == "Montant accordé"]
    assert formula[["élément", "ligne", "gravité"]].values.tolist() == [
        ["C1", 2, "alerte"],
        ["C2", 3, "erreur"],
    ]
    assert "=F3*2" in formula.iloc[1]["message"]


def test_payment_sheet_formulas_without_saved_value(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Conventions"
    ws.append(["Convention", "Financeur", "Montant accordé", "Début", "Fin"])
    ws.append(["C1", "CAF de la Gironde", 40000, "01/01/2025", "31/12/2025"])
    pay = wb.create_sheet("Versements")
    pay.append(["Convention", "Date prévue", "Montant prévu", "Date reçue", "Montant reçu"])
    pay.append(["C1", "15/02/2025", "=C1*0+24000", "20/02/2025", "=SUM(C2:C2)"])  # not trivial
    pay.append(["C1", "30/06/2026", "=16000", None, None])
    path = tmp_path / "conventions.xlsx"
    wb.save(path)
    conv = read_conventions(path)
    assert conv.payments["Montant prévu"].tolist() == [0, 16_000]
    assert pd.isna(conv.payments["Montant reçu"].iloc[0])  # =SUM(C2:C2): C2 cannot be computed
    p = conv.problems
    got = p[p["valeur"].fillna("").str.startswith("=")].sort_values(["ligne", "colonne"])
    assert got[["ligne", "colonne", "gravité"]].values.tolist() == [
        [2, "Montant prévu", "erreur"],
        [2, "Montant reçu", "erreur"],
        [3, "Montant prévu", "alerte"],
    ]


def test_dedicated_funds_plot_draws_opening_and_closing(table, ledger):
    funds = dedicated_funds(ledger, 2025, conventions=read_conventions(table))
    ax = funds.plot()
    widths = [round(p.get_width(), 2) for p in ax.patches]
    projects = funds.table.drop(index="Total")
    # one bar at the start and one at the end of the year per project, the Total left out
    assert widths == [*projects["Au début"].round(2), *projects["À la fin"].round(2)]
    assert widths[-1] == 4000
    assert ax.get_title() == "Fonds dédiés par projet, début et fin 2025"


def test_status_date_is_read_by_the_shared_parser(table):
    conv = read_conventions(table)
    same = [conventions_status(conv, day).as_of for day in ("30/09/2025", "2025-09-30")]
    assert same == [pd.Timestamp("2025-09-30")] * 2
    with pytest.raises(DataError, match="as_of = « 31/02/2025 » n'est pas une date"):
        conventions_status(conv, "31/02/2025")


def test_results_have_identity_equality_and_exact_frames(table, ledger):
    conv = read_conventions(table)
    status = conventions_status(conv, "2025-09-30", ledger)
    assert conv == conv and conv != read_conventions(table)  # no field-by-field comparison
    assert status.to_frame().equals(status.table) and status.to_frame() is not status.table
    assert status.total_received == status.table["Reçu (€)"].sum()
