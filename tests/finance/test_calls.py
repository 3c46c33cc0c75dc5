"""Calls for projects: the call file, the rules checked on a budget, the watch, the dossier.

Every expected amount is worked by hand in the comments (finance_bc02.md §2.2 and §2.3).
"""

from __future__ import annotations

import pandas as pd
import pytest

from movsc_toolkit._errors import DataError, FileError, MovscError
from movsc_toolkit.finance import (
    check_application,
    export_dossier,
    make_budget,
    make_call,
    read_call,
    read_funding_watch,
)

# A project of 35 000 € of charges:
#   direct 604 2 000 + 606 1 000 + 641 20 000 + 645 8 000 + 66 500 = 31 500
#   indirect 613 (quote-part des locaux) 3 500
# produits 70 1 500 + 74 Département 30 000 + 74 Commune 3 000 + 756 500 = 35 000
# bénévolat 1 000 (864 / 87)
PROJECT = pd.DataFrame(
    {
        "Code": [
            "604",
            "606",
            "641",
            "645",
            "66",
            "613",
            "70",
            "74 Département",
            "74 Commune",
            "756",
            "864",
            "87 Bénévolat",
        ],
        "Précision": [
            *["", "", "", "", "", "charges indirectes (quote-part locaux)"],
            *["", "Fonds jeunesse", "", "", "", ""],
        ],
        "Projet": [2000, 1000, 20000, 8000, 500, 3500, 1500, 30000, 3000, 500, 1000, 1000],
    }
)

RULES = {
    "appel": {
        "nom": "Fonds d'initiatives jeunesse",
        "financeur": "Département",
        "ligne": "74 Département",
        "date_limite": "15/11/2026",
        "debut_projet": "2027-01-01",
        "fin_projet": "2027-12-31",
    },
    "regles": {
        "plafond": 25000,
        "montant_min": 1500,
        "taux_max": 80,
        "aides_publiques_max": 90,
        "autofinancement_min": 10,
        "frais_indirects_max": 7,
        "benevolat": False,
        "depenses_eligibles": ["60", "61", "62", "64"],
        "depenses_exclues": ["66"],
    },
}


@pytest.fixture
def budget():
    return make_budget(PROJECT, year=2027, name="Jeunes en scène")


@pytest.fixture
def result(budget):
    return check_application(budget, make_call(RULES), as_of="01/10/2026")


def fix(result, rule):
    return result.table.loc[rule, "Montant à corriger (€)"]


def status(result, rule):
    return result.table.loc[rule, "Statut"]


def test_amounts_used_by_the_rules(result):
    f = result.amounts
    assert f["Coût total (€)"] == 35000
    assert f["Coûts directs (€)"] == 31500
    assert f["dont non éligibles (€)"] == 500  # line 66 excluded
    assert f["Frais indirects (€)"] == 3500
    # eligible direct 31 000; indirect capped at 7 % × 31 000 = 2 170
    assert f["Coût éligible (€)"] == pytest.approx(33170)
    assert f["Aides publiques (€)"] == 33000  # 30 000 + 3 000
    assert f["Autofinancement (€)"] == 2000  # 1 500 + 500


def test_ceiling(result):
    assert status(result, "Plafond de la subvention") == "non respectée"
    assert fix(result, "Plafond de la subvention") == 5000  # 30 000 − 25 000
    assert "réduire la subvention demandée de 5 000,00 €" in result.table.loc[
        "Plafond de la subvention", "Correction"
    ].replace("\u202f", " ").replace("\u00a0", " ")


def test_indirect_cost_cap(result):
    assert fix(result, "Frais indirects") == pytest.approx(1330)  # 3 500 − 2 170


def test_cofinancing_rate(result):
    assert fix(result, "Taux de cofinancement") == pytest.approx(3464)  # 30 000 − 0,8 × 33 170


def test_public_aid_and_self_financing(result):
    assert fix(result, "Aides publiques") == pytest.approx(1500)  # 33 000 − 0,9 × 35 000
    assert fix(result, "Autofinancement") == pytest.approx(1500)  # 0,1 × 35 000 − 2 000


def test_volunteering_not_allowed(result):
    assert status(result, "Valorisation du bénévolat") == "non respectée"
    assert fix(result, "Valorisation du bénévolat") == 1000


def test_ineligible_costs_are_to_check_not_a_breach(result):
    assert status(result, "Dépenses éligibles") == "à vérifier"
    assert fix(result, "Dépenses éligibles") == 500


def test_respected_rules_and_summary(result):
    for rule in (
        "Budget équilibré",
        "Montant minimal",
        "Date limite de dépôt",
        "Période du projet",
    ):
        assert status(result, rule) == "respectée"
        assert pd.isna(fix(result, rule))
    assert len(result.breaches) == 6
    assert not result.ok
    # the most the rules allow: min(25 000 ; 26 536 ; 30 000 − 1 500 ; 30 000 − 1 500)
    assert result.max_request == 25000
    text = str(result)
    assert "6 règle(s) non respectée(s) sur 11" in text
    assert "montant maximal que les règles permettent pour ce budget : 25" in text


def test_staff_base_for_the_flat_rate(budget):
    rules = {
        "appel": RULES["appel"],
        "regles": {"frais_indirects_max": 15, "frais_indirects_base": "personnel"},
    }
    r = check_application(budget, make_call(rules), as_of="01/10/2026")
    # 15 % × (641 20 000 + 645 8 000) = 4 200 ≥ 3 500: respected
    assert status(r, "Frais indirects") == "respectée"
    rules["regles"]["frais_indirects_max"] = 10  # 2 800 < 3 500
    r = check_application(budget, make_call(rules), as_of="01/10/2026")
    assert fix(r, "Frais indirects") == pytest.approx(700)


def test_minimum_amount_deadline_period_and_balance():
    b = make_budget({"641": 2000, "74 Département": 1200, "70": 500}, year=2026)
    rules = {
        "appel": {
            "nom": "A",
            "ligne": "74 Département",
            "date_limite": "15/11/2026",
            "debut_projet": "01/01/2027",
            "fin_projet": "31/12/2027",
        },
        "regles": {"montant_min": 1500},
    }
    r = check_application(b, make_call(rules), as_of="20/11/2026")
    assert fix(r, "Montant minimal") == 300
    assert status(r, "Date limite de dépôt") == "non respectée"
    assert "5 jour(s)" in r.table.loc["Date limite de dépôt", "Correction"]
    assert status(r, "Période du projet") == "non respectée"
    assert status(r, "Budget équilibré") == "non respectée"
    assert fix(r, "Budget équilibré") == 300  # 2 000 − 1 700


def test_amount_to_change_is_rounded_up_to_the_cent():
    # 80 % × 1 000,01 = 800,008: 900 − 800,008 = 99,992 → 99,99 € is not enough, 100,00 € is
    b = make_budget({"641": 1000.01, "74 Commune": 900, "70": 100.01})
    r = check_application(
        b, make_call({"appel": {"nom": "A", "ligne": "74 Commune"}, "regles": {"taux_max": 80}})
    )
    assert fix(r, "Taux de cofinancement") == 100.0  # 99.992 rounded up
    assert r.max_request == 800.0  # rounded down


def test_requested_given_and_missing_line():
    b = make_budget({"641": 1000, "74 Commune": 1000})
    call = make_call({"appel": {"nom": "A", "ligne": "74 Région"}, "regles": {"plafond": 500}})
    with pytest.raises(DataError, match="74 Région"):
        check_application(b, call)
    r = check_application(b, call, requested=800)
    assert fix(r, "Plafond de la subvention") == 300


def test_several_projects_need_project():
    b = make_budget(pd.DataFrame({"Code": ["641", "74 Commune"], "A": [10, 10], "B": [5, 5]}))
    call = make_call({"appel": {"nom": "X", "ligne": "74 Commune"}})
    with pytest.raises(DataError, match="project="):
        check_application(b, call)
    assert check_application(b, call, project="B").amounts["Subvention demandée (€)"] == 5


# --------------------------------------------------------------------------- the call file

GOOD = """# Appel fictif
[appel]
nom = "Fonds jeunesse"
financeur = "Département"
ligne = "74 Département"
date_limite = 2026-11-15

[regles]
taux_max = "80 %"
plafond = "20 000"
benevolat = "non"
frais_indirects_base = "Personnel"
"""


def test_read_call(tmp_path):
    path = tmp_path / "appel.toml"
    path.write_text(GOOD, encoding="utf-8")
    call = read_call(path)
    assert call.max_rate == 80.0
    assert call.ceiling == 20000.0
    assert call.volunteering is False
    assert call.indirect_base == "personnel"
    assert call.deadline == pd.Timestamp("2026-11-15")
    assert "Plafond de la subvention" in call.to_frame().index


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (('taux_max = "80 %"', "taux_max = 0.8"), 9, "80 pour 80"),
        (('plafond = "20 000"', "plafon = 20000"), 10, "plafond"),
        (("[regles]", "[regle]"), 8, "[regles]"),
        (("date_limite = 2026-11-15", 'date_limite = "le 15"'), 6, "date"),
        (('ligne = "74 Département"', 'ligne = "641"'), 5, "74 Département"),
        (('benevolat = "non"', 'benevolat = "peut-être"'), 11, "true"),
        (('plafond = "20 000"', "plafond = 20 000"), 10, "TOML"),
    ],
)
def test_read_call_errors_name_line_and_fix(tmp_path, change, line, words):
    path = tmp_path / "appel.toml"
    path.write_text(GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(MovscError) as info:
        read_call(path)
    assert info.value.line == line
    assert info.value.path == str(path)
    assert words in str(info.value)


def test_read_call_wrong_extension_and_missing(tmp_path):
    with pytest.raises(FileError, match="toml"):
        read_call(tmp_path / "appel.xlsx")
    with pytest.raises(FileError, match="introuvable"):
        read_call(tmp_path / "absent.toml")


# --------------------------------------------------------------------------- funding watch

WATCH = pd.DataFrame(
    {
        "Financeur": ["CAF", "Région", "Ville", "Fondation", "État"],
        "Appel": ["FPT", "Jeunesse", "Quartiers", "Numérique", "FDVA 2"],
        "Date limite": ["15/11/2026", "2026-10-20", "01/09/2026", "27/11/2026", "26/11/2026"],
        "Statut": ["en préparation", "", "deposé", "à étudier", "En preparation"],
        "Montant max": ["20 000", "", 5000, "", "8 000 €"],
    }
)


def test_funding_watch_due_from_a_given_day():
    watch = read_funding_watch(WATCH)
    assert list(watch.table["Statut"]) == [
        "en préparation",
        "à étudier",
        "déposé",
        "à étudier",
        "en préparation",
    ]
    due = watch.due(weeks=8, as_of="01/10/2026")  # until 26/11/2026 included
    assert list(due["Appel"]) == ["Jeunesse", "FPT", "FDVA 2"]
    assert list(due["Jours restants"]) == [19, 45, 56]
    assert watch.table["Montant max (€)"].iloc[4] == 8000
    assert pd.isna(watch.table["Montant max (€)"].iloc[1])
    assert list(watch.overdue(as_of="01/12/2026")["Appel"]) == [
        "FPT",
        "Jeunesse",
        "Numérique",
        "FDVA 2",
    ]


def test_funding_watch_problems_and_errors(tmp_path):
    data = WATCH.assign(Statut=["en cours", "", "", "", ""])
    data.loc[1, "Date limite"] = None
    watch = read_funding_watch(data)
    assert list(watch.problems["ligne"]) == [2, 3]
    assert set(watch.problems["gravité"]) == {"alerte"}
    bad = WATCH.copy()
    bad.loc[2, "Date limite"] = "bientôt"
    with pytest.raises(DataError) as info:
        read_funding_watch(bad)
    assert info.value.line == 4
    with pytest.raises(MovscError, match="Date limite"):
        read_funding_watch(WATCH.drop(columns=["Date limite"]))


# --------------------------------------------------------------------------- dossier


def test_export_dossier_docx_and_xlsx(tmp_path, budget, result):
    from docx import Document

    indicators = pd.DataFrame(
        {"Indicateur": ["Résultat"], "Valeur": [1234.5], "Unité": ["€"], "Lecture": ["ok"]},
        index=pd.Index(["resultat"], name="Code"),
    )
    kpi = pd.DataFrame({"Indicateur": ["Participants"], "Cible": [40], "Réalisé": [32]})
    xlsx = export_dossier(
        tmp_path / "dossier.xlsx",
        budget,
        call=result.call,
        check=result,
        structure=indicators,
        project_indicators=kpi,
    )
    sheets = pd.read_excel(xlsx, sheet_name=None)
    assert list(sheets) == [
        "Budget du projet (CERFA)",
        "Règles de l'appel",
        "Contrôle des règles",
        "Chiffres clés de la structure",
        "Indicateurs du projet",
    ]
    cerfa = sheets["Budget du projet (CERFA)"]
    total = cerfa.loc[cerfa["Rubrique"] == "TOTAL DES CHARGES", "Montant (€)"].iloc[0]
    assert total == 35000
    docx = export_dossier(
        tmp_path / "dossier.docx",
        budget,
        call=result.call,
        check=result,
        structure=indicators,
        project_indicators=kpi,
    )
    doc = Document(str(docx))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Budget prévisionnel du projet (CERFA n° 12156)" in text
    assert "6 règle(s) non respectée(s)" in text
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert "TOTAL DES CHARGES" in cells
    assert "Participants" in cells
    with pytest.raises(FileError, match=r"\.docx"):
        export_dossier(tmp_path / "dossier.pdf", budget)


# --------------------------------------------------------------------------- bundled dataset


def test_bundled_call_and_budget_to_repair():
    from movsc_toolkit import datasets, finance

    call = finance.read_call(datasets.path("appel_a_projets", "appel_jeunesse.toml"))
    budget = finance.read_budget(datasets.path("appel_a_projets", "budget_chantiers_jeunes.xlsx"))
    r = check_application(budget, call, as_of="01/10/2026")
    # direct 30 100 (1 000 of 68 excluded → 29 100 eligible); indirect 2 400 + 3 500 = 5 900
    # cap 7 % × 29 100 = 2 037; public 18 000 + 9 000 + 5 000 = 32 000 > 85 % × 36 000 = 30 600
    # own 1 200 + 2 000 + 800 = 4 000 < 15 % × 36 000 = 5 400
    assert r.breaches["Montant à corriger (€)"].to_dict() == {
        "Plafond de la subvention": 3000.0,
        "Frais indirects": 3863.0,
        "Aides publiques": 1400.0,
        "Autofinancement": 1400.0,
    }
    watch = finance.read_funding_watch(datasets.path("appel_a_projets", "veille_financements.xlsx"))
    assert "Montant envisagé" in watch.table.columns  # the user's own column is kept
    # 10 weeks from 01/10/2026 = up to 10/12/2026: the contrat de ville (12/12) is not due yet
    due = watch.due(weeks=10, as_of="01/10/2026")
    assert list(due["Date limite"].dt.strftime("%d/%m")) == [
        "31/10",
        "06/11",
        "13/11",
        "20/11",
        "30/11",
    ]


def test_summary_when_no_rule_is_broken():
    b = make_budget({"641": 100, "74 Commune": 100})
    call = make_call(
        {
            "appel": {"nom": "A", "ligne": "74 Commune"},
            "regles": {"plafond": 500, "depenses_exclues": ["64"]},
        }
    )
    r = check_application(b, call)
    assert r.ok
    assert "aucune règle enfreinte (2 respectée(s), 1 à vérifier)" in str(r)


def test_exercise_11_expected_values_by_hand():
    """Exercise 11: the expected values against hand-worked figures and the raw workbooks."""
    from movsc_toolkit import datasets
    from movsc_toolkit.exercises import registry

    def expected(id):
        return registry.get_exercise(id).expected_value()

    # staff 641 14 000 + 645 5 600 = 19 600; 15 % → 2 940
    assert expected("aap-forfait-indirects") == pytest.approx(2940)
    # direct 30 500 − 4 400 (quote-parts) − 1 500 (68) = 24 600, + 2 940
    assert expected("aap-cout-eligible") == pytest.approx(27540)
    # 12 350 − min(10 000 ; 50 % × 27 540 = 13 770)
    assert expected("aap-reduction-subvention") == pytest.approx(2350)
    assert expected("aap-regles-enfreintes") == 3  # plafond, forfait, bénévolat
    totals = []
    for year in (2024, 2025):
        path = datasets.path("centre_social_budget", f"budget_{year}.xlsx")
        sheet = pd.read_excel(path, sheet_name="Budget")
        amounts = sheet.drop(columns=["Section", "Poste", "Code", "Ligne", "Précision", "Total"])
        totals.append(amounts[sheet["Section"] == "Charges"].fillna(0).to_numpy().sum())
    assert expected("aap-ca-variation-charges") == pytest.approx(totals[1] - totals[0])
    assert expected("aap-ca-variation-charges") == pytest.approx(-9464)
    assert expected("aap-ca-plus-forte-baisse") == "État"  # 44 664 → 27 600


def test_export_dossier_with_a_kpi_project(tmp_path, budget):
    from movsc_toolkit import datasets, kpi

    project = datasets.load("projet_tiers_lieu")
    path = export_dossier(tmp_path / "d.xlsx", budget, project_indicators=project)
    sheet = pd.read_excel(path, sheet_name="Indicateurs du projet")
    board = kpi.dashboard(project)
    assert len(sheet) == len(board) == 15
    assert list(sheet["Indicateur"]) == list(board["Indicateur"])
    # a dashboard already computed is written the same way, with its exact values
    again = export_dossier(tmp_path / "e.xlsx", budget, project_indicators=board)
    written = pd.read_excel(again, sheet_name="Indicateurs du projet", index_col=0)
    assert list(written.index) == list(board.index)
    assert written["Réalisé"].tolist() == pytest.approx(board["Réalisé"].tolist(), nan_ok=True)
