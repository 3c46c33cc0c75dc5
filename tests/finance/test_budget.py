"""Budget prévisionnel (CERFA 12156) and budget vs réalisé (CERFA 15059), on hand-made data."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from openpyxl import load_workbook

from movsc_toolkit._errors import ColumnError, DataError, ValidationError
from movsc_toolkit.finance.budget import Budget
from movsc_toolkit.finance.budget_io import budget_template, make_budget, read_budget
from movsc_toolkit.finance.budget_vs_actual import budget_vs_actual
from movsc_toolkit.finance.cerfa import CERFA_LINES, funder_category


def _entries(lines: list[tuple], year: int = 2025) -> pd.DataFrame:
    """Ledger-like entries: (num, date, account, label, debit, credit, analytic)."""
    rows = [
        {
            "JournalCode": "OD",
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
            "exercice": year,
        }
        for num, date, account, label, debit, credit, analytic in lines
    ]
    return pd.DataFrame(rows)


@pytest.fixture
def two_projects() -> Budget:
    data = pd.DataFrame(
        {
            "Code": ["641", "645", "613", "74 État", "74 Commune", "70", "864", "87 Bénévolat"],
            "Précision": ["", "", "", "DDETS", "Ville", "", "", ""],
            "Accueil": [20000, 8000, 6000, 10000, 20000, 4000, 3000, 3000],
            "Jeunesse": [10000, 4000, 0, 5000, 8000, 1000, 0, 0],
        }
    )
    return make_budget(data, name="Centre social", year=2025)


def test_catalogue_codes_unique_and_funders_complete():
    codes = [line.code for line in CERFA_LINES]
    assert len(codes) == len(set(codes))
    assert [c for c in codes if c.startswith("74 ")] == [
        "74 État",
        "74 Région",
        "74 Département",
        "74 Intercommunalité",
        "74 Commune",
        "74 Organismes sociaux",
        "74 Fonds européens",
        "74 ASP",
        "74 Autres établissements publics",
        "74 Aides privées",
    ]


def test_totals_by_project_and_association(two_projects):
    b = two_projects
    assert b.projects == ("Accueil", "Jeunesse")
    assert b.total("Charges", "Accueil") == 34000
    assert b.total("Produits", "Jeunesse") == 14000
    assert b.total_charges == 48000 == b.total_produits
    assert b.is_balanced and b.problems.empty
    summary = b.summary()
    assert summary.loc["Total", "Subventions (74)"] == 43000
    assert summary.loc["Accueil", "Part des subventions (%)"] == pytest.approx(100 * 30000 / 34000)
    assert summary.loc["Accueil", "Emplois CVN (86)"] == 3000
    assert list(summary["Équilibré"]) == ["oui", "oui", "oui"]
    assert b.to_frame()["Total"].sum() == 48000 * 2 + 3000 * 2
    assert b.project("Jeunesse").total_charges == 14000


def test_cerfa_layout_subtotals(two_projects):
    layout = two_projects.cerfa()
    rows = layout.set_index("Rubrique")["Montant (€)"]
    assert rows["64 – Charges de personnel"] == 42000
    assert rows["TOTAL DES CHARGES"] == 48000
    assert rows["74 – Subventions d'exploitation"] == 43000
    assert rows["TOTAL DES CONTRIBUTIONS (87)"] == 3000
    # empty postes are not shown
    assert "66 – Charges financières" not in rows.index


def test_checks_in_french():
    b = make_budget({"641": 30000, "645": 12000, "74 Commune": 41000, "864": 100})
    assert not b.is_balanced
    messages = " ".join(b.problems["message"])
    assert "non équilibré" in messages and "déficit" in messages
    assert "contributions volontaires déséquilibrées" in messages
    with pytest.raises(ValidationError, match="non équilibré"):
        b.validate()
    negative = make_budget({"641": -100, "74 Commune": -100})
    assert "montant négatif" in negative.problems["message"].iloc[0]


def test_unbalanced_project_reported_even_if_total_balanced():
    data = pd.DataFrame(
        {"Code": ["641", "74 Commune"], "A": [1000, 0], "B": [0, 1000]},
    )
    b = make_budget(data)
    assert set(b.problems["élément"]) == {"A", "B"}


def test_excel_round_trip(tmp_path, two_projects):
    path = two_projects.to_excel(tmp_path / "budget.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["Budget", "Contrôles", "CERFA", "Lisez-moi"]
    sheet = book["Budget"]
    assert [c.value for c in sheet[1]] == [
        "Section",
        "Poste",
        "Code",
        "Ligne",
        "Précision",
        "Accueil",
        "Jeunesse",
        "Total",
    ]
    assert str(sheet["H2"].value).startswith("=SUM(F2:G2")
    assert "SUMIF" in str(book["Contrôles"]["B2"].value)
    back = read_budget(path)
    assert back.name == "Centre social" and back.year == 2025
    assert back.projects == two_projects.projects
    pd.testing.assert_series_equal(
        back.amounts("Accueil")[back.amounts("Accueil") != 0],
        two_projects.amounts("Accueil")[two_projects.amounts("Accueil") != 0],
    )
    assert "DDETS" in set(back.lines["Précision"])


def test_template_has_every_line(tmp_path):
    path = budget_template(tmp_path / "modele.xlsx", projects=["Projet A", "Projet B"])
    b = read_budget(path)
    assert b.projects == ("Projet A", "Projet B")
    assert len(b.lines) == len(CERFA_LINES)
    assert b.total_charges == 0 and b.is_balanced


def test_read_csv_french_numbers(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text(
        "Code;Précision;Budget\n641;;1 234,50\n74 Etat;DDETS;1234,5\n\n", encoding="cp1252"
    )
    b = read_budget(path)
    assert b.amounts()["641"] == pytest.approx(1234.5)
    assert b.amounts()["74 État"] == pytest.approx(1234.5)
    assert b.is_balanced


def test_read_errors_name_line_and_column(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text("Code;Budget\n641;100\n999;50\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_budget(path)
    assert "ligne 3" in str(err.value) and "999" in str(err.value)
    path.write_text("Code;Budget\n641;100\n645;beaucoup\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_budget(path)
    assert "ligne 3" in str(err.value) and "« Budget »" in str(err.value)
    path.write_text("Compte;Budget\n641;100\n", encoding="utf-8")
    with pytest.raises(ColumnError):
        read_budget(path)


@pytest.mark.parametrize(
    ("label", "category"),
    [
        ("Subvention CAF de la Gironde", "Organismes sociaux"),
        ("Communauté de communes du Val", "Intercommunalité"),
        ("Ville de Bordeaux - jeunesse", "Commune"),
        ("Conseil départemental", "Département"),
        ("Région Nouvelle-Aquitaine", "Région"),
        ("DDETS politique de la ville", "État"),
        ("FSE inclusion", "Fonds européens"),
        ("Aide ASP adulte-relais", "ASP"),
        ("Fondation de France", "Aides privées"),
        ("Agence nationale du sport", "Autres établissements publics"),
        ("Loyer du local", None),
    ],
)
def test_funder_category(label, category):
    assert funder_category(label) == category


@pytest.fixture
def ledger() -> pd.DataFrame:
    return _entries(
        [
            ("1", "2025-03-31", "6411", "Salaires", 22000, 0, "ACC"),
            ("1", "2025-03-31", "421", "Salaires", 0, 22000, ""),
            ("2", "2025-03-31", "6451", "URSSAF", 8200, 0, "ACC"),
            ("2", "2025-03-31", "431", "URSSAF", 0, 8200, ""),
            ("3", "2025-04-01", "6132", "Loyer", 6000, 0, "ACC"),
            ("3", "2025-04-01", "401", "Loyer", 0, 6000, ""),
            ("4", "2025-05-10", "4417", "Subvention Ville", 20000, 0, ""),
            ("4", "2025-05-10", "7413", "Subvention Ville de Talence", 0, 20000, "ACC"),
            ("5", "2025-06-30", "411", "Ateliers", 12000, 0, ""),
            ("5", "2025-06-30", "706", "Ateliers", 0, 12000, "ACC"),
            ("6", "2025-07-01", "6064", "Fournitures", 1500, 0, "JEU"),
            ("6", "2025-07-01", "401", "Fournitures", 0, 1500, ""),
            ("7", "2025-12-31", "864", "Bénévolat", 2500, 0, "ACC"),
            ("7", "2025-12-31", "875", "Bénévolat", 0, 2500, "ACC"),
        ]
    )


def test_budget_vs_actual_hand_computed(ledger):
    budget = make_budget(
        {"641": 20000, "645": 8000, "613": 6000, "74 Commune": 24000, "70": 10000, "864": 2000}
        | {"87 Bénévolat": 2000},
        year=2025,
    )
    cmp = budget_vs_actual(budget, ledger)
    t = cmp.table
    assert cmp.year == 2025 and cmp.min_amount == 170  # 0,5 % of 34 000 € of charges
    assert t.loc["641", "Réalisé (€)"] == 22000
    assert t.loc["641", "Écart (€)"] == 2000
    assert t.loc["641", "Écart (%)"] == pytest.approx(10.0)
    assert t.loc["74 Commune", "Réalisé (€)"] == 20000
    assert t.loc["74 Commune", "Écart (%)"] == pytest.approx(-100 * 4000 / 24000)
    assert t.loc["606", "Prévu (€)"] == 0 and pd.isna(t.loc["606", "Écart (%)"])
    assert t.loc["Total des charges", "Réalisé (€)"] == 37700
    assert t.loc["Total des produits", "Réalisé (€)"] == 32000
    assert t.loc["Résultat", "Réalisé (€)"] == -5700
    assert t.loc["Total 87", "Réalisé (€)"] == t.loc["Total 86", "Réalisé (€)"] == 2500
    # 606 not planned (1 500 € ≥ 170 €), 70 at +20 % (2 000 €) and the volunteering at +25 %
    # (500 €) need an explanation; 641 (+10 %) and 74 Commune (−16,7 %) do not
    assert list(cmp.to_explain.index) == ["606", "864", "70", "87 Bénévolat"]
    assert "4 ligne(s) à expliquer" in str(cmp)
    # a higher min_gap leaves the unplanned line and the +25 % lines
    strict = budget_vs_actual(budget, ledger, min_gap=0.25)
    assert list(strict.to_explain.index) == ["606", "864", "87 Bénévolat"]
    # a higher minimum amount leaves only the big gaps
    big = budget_vs_actual(budget, ledger, min_amount=1000)
    assert list(big.to_explain.index) == ["606", "70"]
    cerfa = cmp.cerfa().set_index("Rubrique")
    assert cerfa.loc["64 – Charges de personnel", "Réalisation (€)"] == 30200
    assert cerfa.loc["64 – Charges de personnel", "Réalisation (%)"] == pytest.approx(
        100 * 30200 / 28000
    )


def test_budget_vs_actual_by_project(ledger):
    data = pd.DataFrame(
        {"Code": ["641", "606", "74 Commune", "70"], "ACC": [20000, 0, 20000, 0]}
        | {"JEU": [0, 1000, 0, 1000]}
    )
    budget = make_budget(data)
    cmp = budget_vs_actual(budget, ledger, analytic="JEU")
    assert cmp.project == "JEU"
    assert cmp.table.loc["606", "Réalisé (€)"] == 1500
    assert "641" not in cmp.table.index
    with pytest.raises(ColumnError):
        budget_vs_actual(budget, ledger, analytic="XYZ")


def test_unknown_funder_and_override(ledger):
    entries = ledger.copy()
    entries.loc[entries["CompteNum"] == "7413", "EcritureLib"] = "Aide reçue"
    budget = make_budget({"74 Commune": 20000, "641": 20000})
    cmp = budget_vs_actual(budget, entries)
    assert cmp.table.loc["74 Financeur non identifié", "Réalisé (€)"] == 20000
    cmp = budget_vs_actual(budget, entries, funders={"7413": "Commune"})
    assert cmp.table.loc["74 Commune", "Réalisé (€)"] == 20000


def test_year_errors(ledger):
    budget = make_budget({"641": 1})
    with pytest.raises(DataError, match="2030"):
        budget_vs_actual(budget, ledger, year=2030)


def test_read_libreoffice_budget(repo_root):
    path = repo_root / "tests" / "data" / "finance_budget" / "budget_libreoffice.ods"
    b = read_budget(path)  # no « Budget » sheet: the first one is read
    assert b.projects == ("Jardin", "Ateliers")
    amounts = b.amounts()
    assert amounts["74 État"] == 2000 and amounts["74 Commune"] == 7400
    assert amounts["74 Organismes sociaux"] == 5000
    assert b.total("Charges", "Jardin") == 12700 == b.total("Produits", "Jardin")
    assert b.total("Charges", "Ateliers") == 6400 == b.total("Produits", "Ateliers")
    assert b.is_balanced


def test_displays_and_plots(two_projects, ledger):
    html = two_projects._repr_html_()
    assert "Total des charges" in html and "<table" in html
    assert repr(two_projects) == str(two_projects)
    ax = two_projects.plot()
    # postes 61 and 64 on the charges side; 70 and two funders on the produits side
    assert len(ax.patches) == 5
    budget = make_budget({"641": 20000, "74 Commune": 20000}, year=2025)
    cmp = budget_vs_actual(budget, ledger)
    ax = cmp.plot()
    assert len(ax.patches) == len(cmp.table[cmp.table["Écart (€)"].abs() > 0.5]) - 5
    assert "À expliquer" in cmp._repr_html_()


def test_read_unknown_sheet_suggests_closest(tmp_path):
    path = budget_template(tmp_path / "modele.xlsx")
    with pytest.raises(ColumnError, match="Budjet") as info:
        read_budget(path, sheet="Budjet")
    assert "vouliez-vous dire « Budget »" in str(info.value)


def test_read_empty_template_has_no_nan(tmp_path):
    b = read_budget(budget_template(tmp_path / "modele.xlsx"))
    assert b.name == "" and b.year is None
    assert re.search(r"\bnan\b", str(b), re.IGNORECASE) is None
    assert re.search(r"\bnan\b", b._repr_html_(), re.IGNORECASE) is None
    assert str(b).splitlines()[0] == "Budget prévisionnel"


# ---------------------------------------------------------------- issue 9: the shared parser


def test_read_thousands_dot_and_other_spellings(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text(
        "Code;Précision;Budget\n"
        "641;;12.500\n"  # thousands dot: 12 500 €, not 12,5 €
        "645;;1.234,56\n"
        "616;;1 000 €\n"
        "74 Commune;;14.734,56\n",
        encoding="utf-8",
    )
    b = read_budget(path)
    assert b.amounts()["641"] == 12_500
    assert b.amounts()["645"] == pytest.approx(1_234.56)
    assert b.amounts()["616"] == 1_000
    assert b.total_charges == pytest.approx(12_500 + 1_234.56 + 1_000)
    assert b.is_balanced


def _budget_with_formulas(path):
    """An .xlsx written by openpyxl: formulas are stored without any computed value."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Budget"
    ws.append(["Code", "Précision", "Association"])
    ws.append(["601", "", 300])  # row 2
    ws.append(["606", "", 200])  # row 3
    ws.append(["616", "", "=SUM(C2:C3)"])  # row 4: trivial, recomputed: 500
    ws.append(["641", "", "=C2*12"])  # row 5: not trivial: reported, never a silent 0
    ws.append(["74 Commune", "", "=C2+C3+C4-1000+2000"])  # row 6: +/−: 300+200+500−1000+2000
    wb.save(path)
    return path


def test_formula_without_saved_value_is_computed_or_reported(tmp_path):
    b = read_budget(_budget_with_formulas(tmp_path / "budget.xlsx"))
    amounts = b.amounts()
    assert amounts["616"] == 500
    assert amounts["74 Commune"] == 2_000
    assert amounts["641"] == 0
    p = b.problems
    formula = p[p["valeur"].fillna("").str.startswith("=")]
    assert formula[["ligne", "valeur", "gravité"]].values.tolist() == [
        [4, "=SUM(C2:C3)", "alerte"],
        [5, "=C2*12", "erreur"],
        [6, "=C2+C3+C4-1000+2000", "alerte"],
    ]
    assert (formula["élément"] == "Association").all()
    assert "aucune valeur calculée" in formula.iloc[1]["message"]
    assert not b.is_balanced  # an amount could not be read
    with pytest.raises(ValidationError, match="=C2\\*12"):
        b.validate()


def test_formula_with_saved_value_is_read_as_saved(tmp_path):
    path = _budget_with_formulas(tmp_path / "budget.xlsx")
    wb = load_workbook(path)
    wb.save(path)  # openpyxl never computes: still no saved values, same result
    assert read_budget(path).amounts()["616"] == 500
    b = make_budget({"616": 500, "74 Commune": 500})
    out = b.to_excel(tmp_path / "written.xlsx")
    assert read_budget(out).problems.empty


def test_line_amounts_by_project_and_total():
    data = pd.DataFrame(
        {
            "Code": ["641", "74 Commune", "74 Commune"],
            "Précision": ["", "Ville A", "Ville B"],
            "Accueil": [1000.0, 600.0, 400.0],
            "Jeunesse": [500.0, 0.0, 500.0],
        }
    )
    budget = make_budget(data)
    assert budget.line_amounts("Accueil").tolist() == [1000.0, 600.0, 400.0]
    assert budget.line_amounts().tolist() == [1500.0, 600.0, 900.0]
    assert budget.line_amounts("Total").tolist() == [1500.0, 600.0, 900.0]
    # the two précisions of the 74 Commune line add up in amounts()
    assert budget.amounts()["74 Commune"] == 1500.0
    with pytest.raises(ColumnError, match="Accueil"):
        budget.line_amounts("Acceuil")


def test_damaged_workbook_gets_the_toolkit_error(tmp_path):
    from movsc_toolkit._errors import FormatError
    from movsc_toolkit.finance import read_conventions

    damaged = tmp_path / "budget.xlsx"
    damaged.write_bytes(b"PK\x03\x04 pas un classeur")
    for reader in (read_budget, read_conventions):
        with pytest.raises(FormatError, match=r"budget\.xlsx.*illisible ou endommagé"):
            reader(damaged)
