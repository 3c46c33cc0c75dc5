"""Validation of the project workbook, reading (xlsx, ods, CSV folder) and the template."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from movsc_toolkit import kpi
from movsc_toolkit._errors import ColumnError, FileError, ValidationError

IND = pd.DataFrame(
    {
        "code": ["N", "P", "Q"],
        "libelle": ["Nombre", "Pourcentage", "Qualitatif"],
        "mesure": ["nombre", "pourcentage", "qualitatif"],
        "agregation": ["somme", "ratio", "dernier"],
        "facteur": [None, 100, None],
        "desagregations": ["sexe", None, None],
    }
)


def values(*rows: dict) -> pd.DataFrame:
    base = {
        "code": "N",
        "type_valeur": "realise",
        "periode_debut": "01/01/2025",
        "periode_fin": "31/01/2025",
    }
    return pd.DataFrame([{**base, **r} for r in rows])


TARGETS = [
    {"code": "N", "type_valeur": "cible", "periode_fin": "31/12/2025", "valeur": 10},
    {"code": "P", "type_valeur": "cible", "periode_fin": "31/12/2025", "valeur": 50},
]


def problems_of(*rows: dict) -> pd.DataFrame:
    return kpi.build_project(IND, values(*TARGETS, *rows)).problems


def only_message(problems: pd.DataFrame) -> pd.Series:
    assert len(problems) == 1, problems.to_string()
    return problems.iloc[0]


def test_unknown_code_is_refused_with_suggestion():
    p = only_message(problems_of({"code": "NN", "valeur": 3}))
    assert p["gravité"] == "erreur"
    assert p["feuille"] == "valeurs"
    assert p["ligne"] == 4  # header = line 1, two targets before
    assert "« NN » n'existe pas" in p["message"] and "« N »" in p["message"]


def test_zero_denominator():
    p = only_message(problems_of({"code": "P", "numerateur_valeur": 0, "denominateur_valeur": 0}))
    assert p["gravité"] == "erreur"
    assert p["élément"] == "P"
    assert "dénominateur nul" in p["message"]


def test_percentage_out_of_range():
    p = only_message(problems_of({"code": "P", "numerateur_valeur": 30, "denominateur_valeur": 20}))
    assert p["gravité"] == "alerte"
    assert "hors de l'intervalle [0 ; 100] (150)" in p["message"]


def test_realised_value_without_target():
    rows = values(
        {"valeur": 3}, {"valeur": 4, "periode_debut": "01/02/2025", "periode_fin": "28/02/2025"}
    )
    p = only_message(kpi.build_project(IND, rows).problems)  # once per indicator
    assert "« N » : valeurs réalisées sans aucune cible" in p["message"]
    assert p["ligne"] == 2
    outside = only_message(problems_of({"valeur": 3, "periode_fin": "31/01/2026"}))
    assert "sans cible couvrant cette période" in outside["message"]


def test_disaggregation_must_add_up():
    p = only_message(
        problems_of(
            {"valeur": 10},
            {"valeur": 4, "dimension_nom": "sexe", "dimension_valeur": "femme"},
            {"valeur": 5, "dimension_nom": "sexe", "dimension_valeur": "homme"},
        )
    )
    assert p["élément"] == "N"
    assert "les valeurs désagrégées par « sexe »" in p["message"]
    assert "font 9 au lieu du total 10" in p["message"]
    ok = problems_of(
        {"valeur": 10},
        {"valeur": 4, "dimension_nom": "Sexe", "dimension_valeur": "femme"},
        {"valeur": 6, "dimension_nom": "sexe", "dimension_valeur": "homme"},
    )
    assert ok.empty


def test_ratio_disaggregation_numerators_and_denominators():
    ok = problems_of(
        {"code": "P", "numerateur_valeur": 5, "denominateur_valeur": 10},
        {
            "code": "P",
            "numerateur_valeur": 2,
            "denominateur_valeur": 4,
            "dimension_nom": "sexe",
            "dimension_valeur": "f",
        },
        {
            "code": "P",
            "numerateur_valeur": 3,
            "denominateur_valeur": 6,
            "dimension_nom": "sexe",
            "dimension_valeur": "h",
        },
    )
    assert ok.empty
    bad = problems_of(
        {"code": "P", "numerateur_valeur": 5, "denominateur_valeur": 10},
        {
            "code": "P",
            "numerateur_valeur": 2,
            "denominateur_valeur": 5,
            "dimension_nom": "sexe",
            "dimension_valeur": "f",
        },
        {
            "code": "P",
            "numerateur_valeur": 3,
            "denominateur_valeur": 6,
            "dimension_nom": "sexe",
            "dimension_valeur": "h",
        },
    )
    assert "les dénominateurs désagrégés par « sexe »" in only_message(bad)["message"]
    assert "font 11 au lieu du total 10" in only_message(bad)["message"]
    # targets given in % by modality are not additive: no check
    targets_in_percent = problems_of(
        {
            "code": "P",
            "type_valeur": "cible",
            "valeur": 60,
            "dimension_nom": "sexe",
            "dimension_valeur": "f",
            "periode_fin": "31/12/2025",
        },
        {
            "code": "P",
            "type_valeur": "cible",
            "valeur": 40,
            "dimension_nom": "sexe",
            "dimension_valeur": "h",
            "periode_fin": "31/12/2025",
        },
    )
    assert targets_in_percent.empty


def test_unknown_enumerated_values():
    ind = IND.assign(sens=["hausse", "montée", None], agregation=["somme", "total", "moyen"])
    p = kpi.build_project(ind, values(*TARGETS, {"valeur": 1, "type_valeur": "réalisé"}))
    assert p.indicators.loc["P", "sens"] == "hausse"  # default after the warning
    assert p.indicators.loc["P", "agregation"] == "somme"  # alias "total"
    assert p.indicators.loc["Q", "agregation"] == "moyenne"  # alias "moyen"
    msg = only_message(p.problems[p.problems["message"].str.contains("montée")])
    assert "la valeur « montée » de la colonne sens est inconnue" in msg["message"]
    assert "« hausse » est utilisée" in msg["message"]
    assert p.values["type_valeur"].iloc[-1] == "realise"  # "réalisé" is understood
    bad = problems_of({"valeur": 1, "type_valeur": "prévu"})
    assert "type_valeur « prévu » invalide" in only_message(bad)["message"]


def test_summing_percentages_is_flagged():
    ind = IND.assign(agregation=["somme", "somme", "dernier"])
    p = kpi.build_project(ind, values(*TARGETS)).problems
    assert "additionner des pourcentages" in only_message(p)["message"]


def test_percentage_with_factor_one_is_flagged_once():
    ind = IND.assign(facteur=[None, None, None])
    p = kpi.build_project(
        ind,
        values(
            *TARGETS,
            {"code": "P", "numerateur_valeur": 3, "denominateur_valeur": 4},
            {
                "code": "P",
                "numerateur_valeur": 1,
                "denominateur_valeur": 2,
                "periode_debut": "01/02/2025",
                "periode_fin": "28/02/2025",
            },
        ),
    )
    assert "mettez 100 dans la colonne facteur" in only_message(p.problems)["message"]
    assert p.values["valeur"].iloc[-1] == 0.5


def test_period_start_after_end():
    p = only_message(problems_of({"valeur": 1, "periode_debut": "01/02/2025"}))
    assert p["gravité"] == "erreur"
    assert "periode_debut (01/02/2025) est après periode_fin (31/01/2025)" in p["message"]


def test_qualitative_needs_a_comment():
    p = only_message(problems_of({"code": "Q", "valeur": 3}))
    assert "qualitatif sans commentaire" in p["message"]
    ok = problems_of({"code": "Q", "commentaire": "Ambiance meilleure."})
    assert ok.empty


def test_value_recomputed_from_numerator_and_denominator():
    p = kpi.build_project(
        IND,
        values(
            *TARGETS, {"code": "P", "numerateur_valeur": 1, "denominateur_valeur": 4, "valeur": 30}
        ),
    )
    assert p.values["valeur"].iloc[-1] == 25
    assert (
        "diffère de facteur × numérateur / dénominateur (25)" in only_message(p.problems)["message"]
    )


def test_bad_numbers_dates_and_duplicates():
    p = problems_of(
        {"valeur": "douze"},
        {"valeur": 1, "periode_fin": "32/01/2025"},
        {"valeur": 2},
        {"valeur": 2},
    )
    text = " | ".join(p["message"])
    assert "valeur « douze » n'est pas un nombre" in text
    assert "periode_fin « 32/01/2025 » n'est pas une date" in text
    assert "ligne en double" in text
    assert (p["gravité"] == "erreur").all()


def test_excel_serial_dates_are_read():
    p = kpi.build_project(
        IND, values(*TARGETS, {"valeur": 1, "periode_debut": 45658, "periode_fin": 45688})
    )
    assert p.problems.empty
    row = p.values.iloc[-1]
    assert (row["periode_debut"], row["periode_fin"]) == (
        pd.Timestamp("2025-01-01"),
        pd.Timestamp("2025-01-31"),
    )


def test_french_numbers_are_read():
    p = kpi.build_project(IND, values(*TARGETS, {"valeur": "1 234,5"}))
    assert p.values["valeur"].iloc[-1] == 1234.5


def test_strict_raises_validation_error():
    with pytest.raises(ValidationError, match="1 erreur"):
        kpi.build_project(IND, values(*TARGETS, {"code": "ZZ", "valeur": 1}), strict=True)


def test_indicator_sheet_problems():
    ind = pd.DataFrame(
        {
            "code": ["A", "A", None, "B"],
            "libelle": ["a", "a bis", "c", None],
            "niveau_id": ["R1", "R1", None, "R9"],
            "facteur": [1, 1, 1, -5],
            "seuils": [None, None, None, "vingt"],
        }
    )
    lf = pd.DataFrame(
        {
            "niveau_id": ["OG", "R1"],
            "parent_id": [None, "OX"],
            "niveau": ["objectif_global", "résultat"],
        }
    )
    empty = pd.DataFrame(columns=["code", "type_valeur", "valeur"])
    p = kpi.build_project(ind, empty, logframe=lf)
    text = " | ".join(p.problems["message"])
    assert "« A » est en double" in text
    assert "code manquant" in text
    assert "« B » sans libellé" in text
    assert "le niveau_id « R9 » n'existe pas dans le cadre logique" in text
    assert "facteur invalide" in text
    assert "seuils « vingt » illisibles" in text
    assert "le parent_id « OX » n'existe pas" in text
    assert list(p.indicators.index) == ["A", "B"]
    assert p.logframe["niveau"].tolist() == ["objectif_global", "resultat"]


def test_required_columns_and_sheets():
    with pytest.raises(ColumnError, match="libelle"):
        kpi.build_project(IND.drop(columns="libelle"), values(*TARGETS))
    with pytest.raises(ValidationError, match="obligatoires"):
        kpi.build_project(IND, None)


def test_column_names_are_matched_without_accents():
    vals = values(*TARGETS).rename(
        columns={"periode_debut": "Période début", "type_valeur": "Type valeur"}
    )
    p = kpi.build_project(IND, vals)
    assert p.problems.empty
    assert p.values["periode_debut"].iloc[0] == pd.Timestamp("2025-01-01")


def test_template_round_trip(tmp_path):
    path = kpi.template(tmp_path / "projet.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "lisez-moi",
        "cadre_logique",
        "indicateurs",
        "valeurs",
        "jalons",
        "budget",
    ]
    readme = " ".join(str(c.value) for row in wb["lisez-moi"].iter_rows() for c in row if c.value)
    assert "Obligatoire" in readme and "Σ numérateurs" in readme
    lists = [dv.formula1 for dv in wb["indicateurs"].data_validations.dataValidation]
    assert '"somme,moyenne,dernier,cumul,ratio"' in lists
    empty = kpi.read_project(path)
    assert len(empty.indicators) == 0 and empty.problems.empty
    # a team fills it in Excel
    ws = wb["indicateurs"]
    head = [c.value for c in ws[1]]
    ws.append([{"code": "ATEL", "libelle": "Ateliers", "agregation": "somme"}.get(h) for h in head])
    ws = wb["valeurs"]
    head = [c.value for c in ws[1]]
    for kind, start, end, v in (
        ("cible", "01/01/2025", "31/12/2025", 24),
        ("realise", "01/01/2025", "31/01/2025", 3),
        ("realise", "01/02/2025", "28/02/2025", 2),
    ):
        row = {
            "code": "ATEL",
            "type_valeur": kind,
            "periode_debut": start,
            "periode_fin": end,
            "valeur": v,
        }
        ws.append([row.get(h) for h in head])
    wb.save(path)
    p = kpi.read_project(path)
    assert p.problems.empty
    tb = kpi.dashboard(p, "28/02/2025")
    assert tb.loc["ATEL", "Réalisé"] == 5
    # and write_project gives it back
    out = kpi.write_project(p, tmp_path / "copie.xlsx")
    again = kpi.read_project(out)
    assert again.problems.empty
    assert kpi.dashboard(again, "28/02/2025").loc["ATEL", "Réalisé"] == 5


def test_template_needs_xlsx(tmp_path):
    with pytest.raises(FileError, match=r"\.xlsx"):
        kpi.template(tmp_path / "modele.ods")


def test_read_csv_folder_in_french_format(tmp_path):
    (tmp_path / "Indicateurs.csv").write_bytes(
        "code;libelle;mesure;agregation;facteur\nTX;Taux de présence;pourcentage;ratio;100\n".encode(
            "cp1252"
        )
    )
    (tmp_path / "valeurs.csv").write_bytes(
        (
            "code;type_valeur;periode_debut;periode_fin;numerateur_valeur;denominateur_valeur;"
            "valeur\n"
            "TX;cible;01/01/2025;31/12/2025;;;80,5\n"
            "TX;réalisé;01/01/2025;31/01/2025;3;4;\n"
        ).encode("cp1252")
    )
    p = kpi.read_project(tmp_path)
    assert p.problems.empty
    assert p.name == tmp_path.name
    assert p.values["valeur"].tolist() == [80.5, 75.0]


def test_read_ods(tmp_path):
    path = tmp_path / "projet.ods"
    with pd.ExcelWriter(path, engine="odf") as writer:
        IND.to_excel(writer, sheet_name="indicateurs", index=False)
        values(*TARGETS, {"valeur": 4}).to_excel(writer, sheet_name="valeurs", index=False)
    p = kpi.read_project(path)
    assert p.problems.empty
    assert kpi.dashboard(p, "31/01/2025").loc["N", "Réalisé"] == 4


def test_read_errors(tmp_path):
    with pytest.raises(FileError, match="introuvable"):
        kpi.read_project(tmp_path / "absent.xlsx")
    (tmp_path / "seul.csv").write_text("code;libelle\nA;a\n", encoding="utf-8")
    with pytest.raises(FileError, match="plusieurs tableaux"):
        kpi.read_project(tmp_path / "seul.csv")
    path = tmp_path / "incomplet.xlsx"
    IND.to_excel(path, sheet_name="Indicateurs", index=False)
    with pytest.raises(ValidationError, match="il manque « valeurs »"):
        kpi.read_project(path)


def test_problem_lines_follow_the_file(tmp_path):
    path = tmp_path / "projet.xlsx"
    with pd.ExcelWriter(path) as writer:
        IND.to_excel(writer, sheet_name="indicateurs", index=False)
        values(*TARGETS, {"valeur": 1}, {"code": "XX", "valeur": 2}).to_excel(
            writer, sheet_name="valeurs", index=False
        )
    p = kpi.read_project(path)
    row = only_message(p.problems)
    assert (row["feuille"], row["ligne"]) == ("valeurs", 5)
    assert "1 erreur(s)" in str(p)


# ---------------------------------------------------------------- issue 9: the shared parser


def test_numbers_with_thousands_dots_and_comma_read_like_everywhere():
    p = kpi.build_project(
        IND,
        values(
            *TARGETS, {"valeur": "1.234,56"}, {"valeur": "1 234,56", "periode_fin": "28/02/2025"}
        ),
    )
    assert p.problems.empty
    assert p.values["valeur"].iloc[-2:].tolist() == [1234.56, 1234.56]


def test_ambiguous_number_is_read_and_reported_as_an_alert():
    p = kpi.build_project(IND, values(*TARGETS, {"valeur": "1.250"}))
    row = only_message(p.problems)
    assert row["gravité"] == "alerte" and row["feuille"] == "valeurs" and row["élément"] == "N"
    assert "« 1.250 » est ambigu" in row["message"]
    assert p.values["valeur"].iloc[-1] == 1.25  # kept, as written with a decimal point


def test_problems_use_the_shared_schema():
    p = problems_of({"valeur": "douze"})
    schema = ["feuille", "élément", "ligne", "colonne", "valeur", "gravité", "message"]
    assert list(p.columns) == schema
    assert set(p["gravité"]) <= {"erreur", "alerte"}
