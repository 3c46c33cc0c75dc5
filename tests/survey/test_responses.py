"""Tests of movsc_toolkit.survey.responses.read_responses on small hand-made exports."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from movsc_toolkit._errors import FileError, FormatError, OptionError, ValidationError
from movsc_toolkit.survey import ProblemTable, Questionnaire, read_responses

DATA = Path(__file__).parents[1] / "data" / "survey"


def mini_form() -> Questionnaire:
    q = Questionnaire(title="Mini")
    q.add_choices("sexe", {"f": "Femme", "h": "Homme"})
    q.add_choices(
        "loisirs", {"sport": "Sport", "lecture": "Lecture", "jeux": "Jeux, cartes et société"}
    )
    q.add_choices(
        "satisf",
        {
            "1": "Pas satisfait",
            "2": "Moyennement satisfait",
            "3": "Très satisfait",
            "nsp": "Ne sait pas",
        },
    )
    q.add_question("start", "start")
    q.add_question("end", "end")
    q.begin_group("profil", "Profil")
    q.add_question("select_one sexe", "sexe", "Vous êtes :")
    q.add_question("integer", "age", "Âge")
    q.end_group()
    q.add_question("select_multiple loisirs", "loisirs", "Vos loisirs", relevant="${age} >= 18")
    q.add_question("select_one satisf", "satisf", "Satisfaction")
    q.add_question("text", "commentaire", "Un commentaire ?")
    return q


def test_kobo_export_with_form():
    data = read_responses(DATA / "kobo_mini.csv", form=mini_form(), nonresponse=["NSP"])
    assert data.attrs["source"] == "kobo"
    # Group prefixes removed; multiple choice: summary column then one column per choice.
    assert list(data.columns[:9]) == [
        "start",
        "end",
        "sexe",
        "age",
        "loisirs",
        "loisirs/sport",
        "loisirs/lecture",
        "loisirs/jeux",
        "satisf",
    ]
    # Single choice: ordered categories in the form's order.
    assert data["sexe"].cat.categories.tolist() == ["Femme", "Homme"]
    assert data["sexe"].cat.ordered
    assert data["sexe"].tolist()[:3] == ["Femme", "Homme", "Femme"]
    assert pd.isna(data["sexe"][3])  # unknown code "x" → missing and reported
    # Declared non-response removed from the categories, counted.
    assert data["satisf"].cat.categories.tolist() == [
        "Pas satisfait",
        "Moyennement satisfait",
        "Très satisfait",
    ]
    assert pd.isna(data["satisf"][3])
    nr = data.attrs["nonresponse"]
    assert nr.to_dict("records") == [{"colonne": "satisf", "valeur": "nsp", "effectif": 1}]
    # Multiple choice: 0/1 Int64, NA when the question was not asked (row 2: age 16).
    assert data["loisirs/sport"].dtype == "Int64"
    assert data["loisirs/sport"][0] == 1 and pd.isna(data["loisirs/sport"][1])
    assert data["loisirs/jeux"][0] == 1 and data["loisirs/lecture"][0] == 0
    assert pd.isna(data["loisirs"][1]) and pd.isna(data["loisirs/lecture"][1])
    assert data["loisirs"][0] == "sport jeux"
    # Row 4: shown, nothing ticked (0 in every detail column) → answered, all zeros.
    assert data.loc[3, ["loisirs/sport", "loisirs/lecture", "loisirs/jeux"]].tolist() == [0, 0, 0]
    assert data["loisirs"][3] == ""
    # Numbers, dates, text.
    assert data["age"].dtype == "Int64"
    assert pd.isna(data["age"][2])
    assert data["start"][0] == pd.Timestamp("2026-03-02 10:00:00")
    assert data["_submission_time"][4] == pd.Timestamp("2026-03-04 15:32:00")
    assert data["commentaire"][0] == "Très bien, merci"
    # Problems: never dropped silently; line numbers of the file (header = 1).
    problems = data.attrs["problems"]
    assert list(problems.columns) == ["ligne", "colonne", "valeur", "gravité", "message"]
    assert set(problems["gravité"]) == {"erreur"}
    assert sorted(problems[["ligne", "colonne", "valeur"]].values.tolist()) == [
        [4, "age", "douze"],
        [5, "sexe", "x"],
    ]
    assert "absente de la liste « sexe »" in " ".join(problems["message"])
    assert data.attrs["labels"]["sexe"] == "Vous êtes :"
    assert data.attrs["choices"]["loisirs"]["jeux"] == "Jeux, cartes et société"
    assert data.attrs["multiple"] == ["loisirs"]


def test_kobo_without_nonresponse_keeps_nsp_as_a_category():
    data = read_responses(DATA / "kobo_mini.csv", form=mini_form())
    assert data["satisf"].cat.categories[-1] == "Ne sait pas"
    assert data["satisf"][3] == "Ne sait pas"
    assert data.attrs["nonresponse"].empty


def test_form_from_xlsform_path(tmp_path):
    path = mini_form().to_xlsform(tmp_path / "form.xlsx")
    data = read_responses(DATA / "kobo_mini.csv", form=path)
    assert data["sexe"].cat.categories.tolist() == ["Femme", "Homme"]


def test_kobo_without_form():
    data = read_responses(DATA / "kobo_mini.csv")
    assert data.attrs["source"] == "kobo"
    assert data["loisirs/sport"].dtype == "Int64"
    assert pd.isna(data["loisirs/sport"][1])
    assert data["sexe"].tolist()[:2] == ["f", "h"]  # group prefix removed, codes kept
    assert data["age"].tolist()[:2] == ["34", "16"]  # "douze" keeps the column as text


def test_limesurvey_export():
    data = read_responses(DATA / "limesurvey_mini.csv", form=mini_form(), nonresponse=[99])
    assert data.attrs["source"] == "limesurvey"
    assert data["loisirs/sport"].tolist()[0] == 1
    assert pd.isna(data["loisirs/sport"][1])  # nothing displayed / nothing ticked
    assert data.loc[2, ["loisirs/sport", "loisirs/lecture", "loisirs/jeux"]].tolist() == [0, 1, 0]
    assert data["loisirs"][0] == "sport jeux"
    assert data["loisirs[other]"][2] == "pétanque"
    assert data["sexe"].tolist() == ["Femme", "Homme", "Femme", "Homme"]
    assert pd.isna(data["satisf"][3])
    assert data.attrs["nonresponse"]["effectif"].tolist() == [1]
    assert data["submitdate"].dtype.kind == "M"


def test_limesurvey_without_form():
    data = read_responses(DATA / "limesurvey_mini.csv")
    assert data["loisirs/jeux"].tolist()[0] == 1
    assert data.attrs["multiple"] == ["loisirs"]


def test_google_forms_export():
    data = read_responses(DATA / "google_mini.csv", form=mini_form(), nonresponse=["Ne sait pas"])
    assert data.attrs["source"] == "google"
    assert data["sexe"].tolist() == ["Femme", "Homme", "Femme", "Homme"]
    # Labels containing the separator are matched whole ("Jeux, cartes et société").
    assert data["loisirs"].tolist()[0] == "sport jeux"
    assert data["loisirs/jeux"].tolist()[3] == 1 and data["loisirs/sport"][3] == 0
    assert pd.isna(data["loisirs/sport"][1])
    # "Pétanque" (an "Autre" answer) is reported, "Lecture" kept.
    assert data["loisirs/lecture"][2] == 1
    problems = data.attrs["problems"]
    assert problems[["ligne", "colonne", "valeur"]].values.tolist() == [[4, "loisirs", "Pétanque"]]
    assert data["Horodateur"][0] == pd.Timestamp("2026-03-02 10:07:12")
    assert pd.isna(data["satisf"][3])
    assert data["age"].tolist() == [34, 16, 41, 52]


def test_excel_sheet_with_labels(tmp_path):
    frame = pd.DataFrame(
        {
            "sexe": ["Femme", "homme", None],
            "age": [30, 40, 50],
            "loisirs": ["sport lecture", "jeux", "inconnu"],
            "satisf": [3, 1, 2],
        }
    )
    path = tmp_path / "saisie.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="notes", index=False)
        frame.to_excel(writer, sheet_name="reponses", index=False)
    data = read_responses(path, form=mini_form(), sheet="reponses")
    assert data.attrs["source"] == "excel"
    assert data["sexe"].tolist()[:2] == ["Femme", "Homme"]
    assert data["satisf"].tolist() == ["Très satisfait", "Pas satisfait", "Moyennement satisfait"]
    assert data["loisirs/lecture"].tolist() == [1, 0, 0]
    assert data.attrs["problems"]["valeur"].tolist() == ["inconnu"]
    assert data.attrs["absent"] == ["commentaire"]


def test_spss_with_value_labels(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.DataFrame(
        {"sexe": [1.0, 2.0, 1.0, np.nan], "satisf": [3.0, 9.0, 1.0, 2.0], "age": [34, 45, 51, 29]}
    )
    path = tmp_path / "enquete.sav"
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=["Vous êtes :", "Satisfaction", "Âge"],
        variable_value_labels={
            "sexe": {1.0: "Femme", 2.0: "Homme"},
            "satisf": {1.0: "Pas satisfait", 2.0: "Moyen", 3.0: "Très satisfait", 9.0: "NSP"},
        },
        missing_ranges={"satisf": [9.0]},
    )
    data = read_responses(path)
    assert data.attrs["source"] == "spss"
    assert data["sexe"].cat.categories.tolist() == ["Femme", "Homme"]
    assert data["satisf"].cat.categories.tolist() == ["Pas satisfait", "Moyen", "Très satisfait"]
    assert data["satisf"].tolist()[0] == "Très satisfait" and pd.isna(data["satisf"][1])
    assert data.attrs["nonresponse"].to_dict("records") == [
        {"colonne": "satisf", "valeur": "NSP", "effectif": 1}
    ]
    assert data.attrs["labels"]["age"] == "Âge"
    assert data["age"].tolist() == [34, 45, 51, 29]


def test_spss_without_pyreadstat(tmp_path, monkeypatch):
    path = tmp_path / "x.sav"
    path.write_bytes(b"$FL2")
    monkeypatch.setitem(sys.modules, "pyreadstat", None)
    with pytest.raises(FileError, match=r"movsc-toolkit\[spss\]"):
        read_responses(path)


def test_bad_inputs_give_french_errors(tmp_path):
    with pytest.raises(OptionError, match="vouliez-vous dire « kobo »"):
        read_responses(DATA / "kobo_mini.csv", source="kobbo")
    with pytest.raises(FileError, match="introuvable"):
        read_responses(tmp_path / "absent.csv")
    ragged = tmp_path / "abime.csv"
    ragged.write_text("a;b\n1;2;3\n", encoding="utf-8")
    with pytest.raises(FormatError):
        read_responses(ragged)


def test_attrs_do_not_break_concat_or_merge():
    data = read_responses(DATA / "kobo_mini.csv", form=mini_form())
    assert isinstance(data.attrs["problems"], ProblemTable)
    both = pd.concat([data[data["sexe"] == "Femme"], data[data["sexe"] == "Homme"]])
    assert len(both) == 4
    assert pd.concat([data["sexe"], data["age"]], axis=1).shape == (5, 2)
    assert len(data.merge(data[["_uuid"]], on="_uuid")) == 5


def test_bundled_dataset():
    from movsc_toolkit import datasets

    data = datasets.load("enquete_usagers")
    assert len(data) == 500
    assert data.attrs["problems"].empty
    assert data["quartier"].cat.categories[3] == "Les Blés d'Or (QPV)"
    details = [c for c in data.columns if c.startswith("activites/")]
    assert len(details) == 9
    # Nobody skipped "activites" (required); "besoins" was optional: NA there, not 0.
    assert data[details].notna().all().all()
    assert data["besoins/garde"].isna().sum() == data["besoins"].isna().sum() > 0
    assert "Ne sait pas" not in data["sat_accueil"].cat.categories
    assert data.attrs["nonresponse"]["effectif"].sum() > 0


def test_kobo_export_with_labels_as_headers_and_values():
    data = read_responses(DATA / "kobo_labels_mini.csv", form=mini_form(), nonresponse=["nsp"])
    assert list(data.columns[1:8]) == [
        "sexe",
        "age",
        "loisirs",
        "loisirs/sport",
        "loisirs/lecture",
        "loisirs/jeux",
        "satisf",
    ]
    assert data["loisirs"][0] == "sport jeux"
    assert data["satisf"][0] == "Très satisfait" and pd.isna(data["satisf"][1])
    # "Ne sait pas" is the label of the declared code "nsp": counted as non-response.
    assert data.attrs["nonresponse"]["valeur"].tolist() == ["Ne sait pas"]
    assert data.attrs["problems"].empty


def test_odk_central_export_with_dash_group_separator():
    data = read_responses(DATA / "odk_mini.csv", form=mini_form())
    assert data.attrs["source"] == "odk"
    assert data["sexe"].tolist() == ["Femme", "Homme"]
    assert data["loisirs/jeux"][0] == 1 and pd.isna(data["loisirs/jeux"][1])
    assert data["SubmissionDate"][0] == pd.Timestamp("2026-03-02 10:07:12")


def test_limesurvey_expression_codes_with_form(tmp_path):
    path = tmp_path / "lime.csv"
    path.write_text(
        "id,submitdate,lastpage,sexe,loisirs_sport,loisirs_lecture,loisirs_jeux\n"
        "1,2026-03-02 10:00:00,2,f,Y,,Y\n"
        "2,2026-03-02 11:00:00,2,h,,,\n",
        encoding="utf-8",
    )
    data = read_responses(path, form=mini_form())
    assert data.attrs["source"] == "limesurvey"
    assert data["loisirs"][0] == "sport jeux"
    assert data["loisirs/jeux"][0] == 1 and pd.isna(data["loisirs/jeux"][1])
    assert "loisirs_sport" not in data.columns


def test_spss_with_form_uses_the_form_labels(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    form = Questionnaire()
    form.add_choices("sexe", {"1": "Femme", "2": "Homme"})
    form.add_question("select_one sexe", "sexe", "Vous êtes :")
    form.add_question("integer", "age", "Âge")
    path = tmp_path / "f.sav"
    pyreadstat.write_sav(
        pd.DataFrame({"sexe": [2.0, 1.0, 3.0], "age": [30.0, 41.0, 52.0]}), str(path)
    )
    data = read_responses(path, form=form)
    assert data["sexe"].tolist()[:2] == ["Homme", "Femme"] and pd.isna(data["sexe"][2])
    assert data.attrs["problems"]["valeur"].tolist() == ["3"]
    assert data["age"].tolist() == [30, 41, 52]


def test_template_notebook_runs_on_its_example_files(tmp_path):
    """The « movsc nouveau-memoire » template reads the student's own files: keep it runnable."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    import shutil

    import movsc_toolkit

    templates = Path(movsc_toolkit.__file__).parent / "templates"
    shutil.copy(templates / "01_enquete.ipynb", tmp_path)
    (tmp_path / "donnees").mkdir()
    for name in ("enquete_formulaire.xlsx", "enquete_export_kobo.csv"):
        shutil.copy(templates / "donnees" / name, tmp_path / "donnees")
    notebook = nbformat.read(tmp_path / "01_enquete.ipynb", as_version=4)
    nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    ).execute()
    assert (tmp_path / "resultats" / "tableaux_enquete.xlsx").exists()
    assert (tmp_path / "resultats" / "dictionnaire_des_codes.xlsx").exists()


def test_wrong_form_and_single_nonresponse_code(tmp_path):
    other = Questionnaire()
    other.add_question("text", "budget", "Budget")
    with pytest.raises(ValidationError, match="aucune colonne du fichier ne correspond"):
        read_responses(DATA / "kobo_mini.csv", form=other)
    data = read_responses(DATA / "kobo_mini.csv", form=mini_form(), nonresponse="nsp")
    assert data.attrs["nonresponse"]["effectif"].tolist() == [1]


def test_header_only_export(tmp_path):
    path = tmp_path / "vide.csv"
    path.write_text('"start";"profil/sexe";"loisirs"\n', encoding="utf-8")
    data = read_responses(path, form=mini_form())
    assert len(data) == 0
    assert data["sexe"].cat.categories.tolist() == ["Femme", "Homme"]


# --- groups reusing a name, languages ---------------------------------------------------------


def _two_parents_form() -> Questionnaire:
    q = Questionnaire(title="Parents")
    q.add_choices("act", {"emploi": "En emploi", "NA": "Ne sait pas", "None": "Aucune"})
    q.begin_group("groupe1", "Premier parent")
    q.add_question("integer", "age", "Âge du premier parent")
    q.add_question("select_one act", "activite", "Activité du premier parent")
    q.end_group()
    q.begin_group("groupe2", "Second parent")
    q.add_question("integer", "age", "Âge du second parent")
    q.end_group()
    return q


def test_kobo_groups_reusing_a_name_stay_two_columns(tmp_path):
    path = tmp_path / "kobo.csv"
    path.write_text(
        "_uuid;groupe1/age;groupe1/activite;groupe2/age\na;40;emploi;38\nb;51;NA;\nc;;None;29\n",
        encoding="utf-8",
    )
    # Without a form: never merged nor overwritten.
    raw = read_responses(path)
    assert list(raw.columns) == ["_uuid", "groupe1/age", "activite", "groupe2/age"]
    assert raw["groupe1/age"].tolist()[:2] == [40, 51] and pd.isna(raw["groupe1/age"][2])
    assert raw["groupe2/age"].tolist()[0] == 38 and raw["groupe2/age"].tolist()[2] == 29
    # "NA" and "None" typed in the file are answers, not missing values.
    assert raw["activite"].tolist() == ["emploi", "NA", "None"]
    # With the form: two questions, named by their path, labelled.
    data = read_responses(path, form=_two_parents_form())
    assert list(data.columns) == ["_uuid", "groupe1/age", "activite", "groupe2/age"]
    assert data.attrs["labels"]["groupe2/age"] == "Âge du second parent"
    assert data["groupe2/age"].tolist()[0] == 38 and pd.isna(data["groupe2/age"][1])
    assert data["activite"].tolist() == ["En emploi", "Ne sait pas", "Aucune"]
    assert data.attrs["problems"].empty


def test_formless_multiple_choice_in_two_groups(tmp_path):
    path = tmp_path / "kobo.csv"
    path.write_text(
        "_uuid;g1/loisirs;g1/loisirs/sport;g1/loisirs/jeux;g2/loisirs;g2/loisirs/sport;"
        "g2/loisirs/jeux\n"
        "a;sport;1;0;jeux;0;1\nb;;;;sport jeux;1;1\n",
        encoding="utf-8",
    )
    data = read_responses(path)
    assert "g1/loisirs/sport" in data and "g2/loisirs/jeux" in data
    assert data["g1/loisirs/sport"].tolist()[0] == 1 and pd.isna(data["g1/loisirs/sport"][1])
    assert data["g2/loisirs/jeux"].tolist() == [1, 1]
    assert sorted(data.attrs["multiple"]) == ["g1/loisirs", "g2/loisirs"]


def test_langue_option_of_read_responses(tmp_path):
    q = Questionnaire(title="Bilingue")
    q.add_question("select_one yn", "ok", {"English (en)": "Agree?", "Français (fr)": "D'accord ?"})
    from movsc_toolkit.survey import Choice

    q.choices["yn"] = [
        Choice("yn", "y", "", {"label::English (en)": "Yes", "label::Français (fr)": "Oui"}),
        Choice("yn", "n", "", {"label::English (en)": "No", "label::Français (fr)": "Non"}),
    ]
    path = tmp_path / "r.csv"
    path.write_text("ok\ny\nn\n", encoding="utf-8")
    english = read_responses(path, form=q, language="en")
    assert english["ok"].tolist() == ["Yes", "No"]
    assert english.attrs["labels"]["ok"] == "Agree?"
    assert q["ok"].language is None  # the caller's questionnaire is not changed
    french = read_responses(path, form=q, language="fr")
    assert french["ok"].cat.categories.tolist() == ["Oui", "Non"]
    with pytest.raises(ValidationError, match="Langues disponibles"):
        read_responses(path, form=q, language="de")


# --- SPSS ----------------------------------------------------------------------------------


def test_spss_unlabelled_values_kept_and_reported(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    path = tmp_path / "q.sav"
    pyreadstat.write_sav(
        pd.DataFrame({"q": [1.0, 7.0, 2.0, 9.0, np.nan], "montant": [10.5, 999.0, 3.0, 4.0, 1.0]}),
        str(path),
        variable_value_labels={
            "q": {1.0: "Oui", 2.0: "Non", 9.0: "NSP"},
            "montant": {999.0: "sans réponse"},
        },
        missing_ranges={"q": [9.0], "montant": [999.0]},
        variable_measure={"q": "nominal", "montant": "scale"},
    )
    data = read_responses(path)
    # 7 has no label: kept, shown with its code, after the labelled codes, reported.
    assert data["q"].cat.categories.tolist() == ["Oui", "Non", "7"]
    assert data["q"].tolist()[:3] == ["Oui", "7", "Non"]
    assert pd.isna(data["q"][3]) and pd.isna(data["q"][4])  # user-missing 9, system-missing
    problems = data.attrs["problems"]
    assert problems[["ligne", "colonne", "valeur", "gravité"]].values.tolist() == [
        [2, "q", "7", "alerte"]
    ]
    # A labelled missing code on an amount: the amount stays numeric.
    assert data["montant"].tolist()[0] == 10.5 and pd.isna(data["montant"][1])
    nr = data.attrs["nonresponse"].to_dict("records")
    assert {"colonne": "q", "valeur": "NSP", "effectif": 1} in nr
    assert {"colonne": "montant", "valeur": "sans réponse", "effectif": 1} in nr


def test_spss_out_of_range_date_still_read(tmp_path):
    import datetime as dt

    pyreadstat = pytest.importorskip("pyreadstat")
    path = tmp_path / "d.sav"
    dates = [dt.date(2020, 1, 2), dt.date(9999, 12, 31), dt.date(1500, 1, 1)]
    pyreadstat.write_sav(pd.DataFrame({"d": dates, "x": [1.0, 2.0, 3.0]}), str(path))
    data = read_responses(path)
    assert len(data) == 3 and data["x"].tolist() == [1.0, 2.0, 3.0]
    # pandas 3 keeps years 1500 and 9999 (second resolution): nothing lost, nothing to report.
    assert [d.date() for d in data["d"]] == dates
    assert data.attrs["problems"].empty


def test_spss_string_user_missing_and_form_path(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    path = tmp_path / "s.sav"
    pyreadstat.write_sav(
        pd.DataFrame({"s": ["a", "Z", "b"], "q": [1.0, 9.0, 2.0]}),
        str(path),
        missing_ranges={"s": ["Z"], "q": [9.0]},
    )
    data = read_responses(path)
    assert data["s"].tolist()[0] == "a" and pd.isna(data["s"][1])
    # With a form, the file's user-missing codes are missing too (not "absent from the list").
    form = Questionnaire()
    form.add_choices("yn", {"1": "Oui", "2": "Non", "9": "Refus"})
    form.add_question("select_one yn", "q", "Q")
    labelled = read_responses(path, form=form)
    assert labelled["q"].tolist()[0] == "Oui" and pd.isna(labelled["q"][1])
    assert labelled.attrs["problems"].empty
    assert labelled.attrs["nonresponse"].to_dict("records")[-1]["colonne"] == "q"


# --- LimeSurvey ------------------------------------------------------------------------------

LSG = Path(__file__).parents[1] / "data" / "real" / "survey" / "limesurvey"
LSG = LSG / "limonaid_limesurvey_group_1370.lsg"
_ROWS = [
    ["1", "2026-03-01 10:00:00", "2", "fr", "1", "3", "", "2"],
    ["2", "", "1", "fr", "", "", "", ""],
]
_STYLES = {
    "code": [
        "id",
        "submitdate",
        "lastpage",
        "startlanguage",
        "questionCode1",
        "questionCode2[subQuestion1]",
        "questionCode2[subQuestion2]",
        "questionCode2[subQuestion3]",
    ],
    "codetext": [
        "id. Response ID",
        "submitdate. Date submitted",
        "lastpage. Last page",
        "startlanguage. Start language",
        "questionCode1. Description Question 1 (radio type)",
        "questionCode2[subQuestion1]. Question 2 (array) description [Sub question 1]",
        "questionCode2[subQuestion2]. Question 2 (array) description [Sub question 2]",
        "questionCode2[subQuestion3]. Question 2 (array) description [Sub question 3]",
    ],
    "full": [
        "Response ID",
        "Date submitted",
        "Last page",
        "Start language",
        "Description Question 1 (radio type)",
        "Question 2 (array) description [Sub question 1]",
        "Question 2 (array) description [Sub question 2]",
        "Question 2 (array) description [Sub question 3]",
    ],
    "abbreviated": [
        "Response ID",
        "Date submitted",
        "Last page",
        "Start language",
        "Description Que…",
        "Question 2 (arr… [Sub question 1]",
        "Question 2 (arr… [Sub question 2]",
        "Question 2 (arr… [Sub question 3]",
    ],
    "expression": [
        "id",
        "submitdate",
        "lastpage",
        "startlanguage",
        "questionCode1",
        "questionCode2_subQuestion1",
        "questionCode2_subQuestion2",
        "questionCode2_subQuestion3",
    ],
}


@pytest.mark.parametrize("style", list(_STYLES))
def test_limesurvey_every_heading_style_with_structure(tmp_path, style):
    import csv

    path = tmp_path / f"results_{style}.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=",")
        writer.writerow(_STYLES[style])
        writer.writerows(_ROWS)
    data = read_responses(path, form=LSG)
    assert data.attrs["source"] == "limesurvey"
    assert data.attrs["problems"].empty
    assert data["questionCode1"].tolist()[0] == "Answer option 1"
    assert data["questionCode1"].cat.categories.tolist() == [
        "Answer option 1",
        "Answer option 2",
        "Answer option 3",
    ]
    # The array is three single-choice questions, not checkboxes.
    assert data["questionCode2[subQuestion1]"].tolist()[0] == "Answer option 3"
    assert pd.isna(data["questionCode2[subQuestion2]"][0])
    assert data["questionCode2[subQuestion3]"].tolist()[0] == "Answer option 2"
    assert pd.isna(data["questionCode2[subQuestion1]"][1])
    assert "questionCode2" not in data.attrs["multiple"]
    assert data.attrs["labels"]["questionCode2[subQuestion1]"] == (
        "Question 2 (array) description [Sub question 1]"
    )


def test_limesurvey_without_structure_arrays_are_not_checkboxes(tmp_path):
    path = tmp_path / "results.csv"
    path.write_text(
        "id;submitdate;lastpage;Q1[SQ001];Q1[SQ002];Q2[A1];Q2[A2];Q2[other];Q3[SQ1];Q3[SQ2];"
        "Q4[SY1_SX1]\n"
        "1;2026-01-01;3;1;5;Y;;vélo;12;3,5;4\n"
        "2;2026-01-02;3;2;;;Y;;0;;7\n"
        "3;;1;;;;;;;;\n",
        encoding="utf-8",
    )
    data = read_responses(path)
    assert data.attrs["source"] == "limesurvey"
    # Array (values 1-5): one column per row, kept as numbers, not ticked boxes.
    assert data["Q1[SQ001]"].tolist()[:2] == [1, 2] and pd.isna(data["Q1[SQ001]"][2])
    assert data["Q1[SQ002]"].tolist()[0] == 5
    # Multiple numeric input: numbers with French decimal commas.
    assert data["Q3[SQ2]"].tolist()[0] == 3.5 and data["Q3[SQ1]"].tolist()[1] == 0
    assert data["Q4[SY1_SX1]"].tolist()[:2] == [4, 7]
    # Only Q2 (Y / empty) is a multiple-choice question.
    assert data.attrs["multiple"] == ["Q2"]
    assert data["Q2/A1"].tolist()[:2] == [1, 0] and data["Q2[other]"][0] == "vélo"


def test_limesurvey_code_text_headings_without_structure(tmp_path):
    path = tmp_path / "results.csv"
    path.write_text(
        "id. ID de la réponse;submitdate. Date de soumission;Q1. Quel est votre âge ?;"
        "Q2[SQ001]. Satisfaction [Accueil];Q2[SQ002]. Satisfaction [Horaires]\n"
        "1;2026-01-01;34;A2;A1\n2;2026-01-02;;A3;\n",
        encoding="utf-8",
    )
    data = read_responses(path)
    assert list(data.columns) == ["id", "submitdate", "Q1", "Q2[SQ001]", "Q2[SQ002]"]
    assert data.attrs["labels"]["Q2[SQ001]"] == "Satisfaction [Accueil]"
    assert data["Q1"].tolist()[0] == 34 and data["Q2[SQ001]"].tolist() == ["A2", "A3"]


def test_export_with_labels_in_another_language_than_the_form(tmp_path):
    from movsc_toolkit.survey import Choice

    q = Questionnaire(title="Bilingue")
    q.add_question("select_one yn", "ok", {"English (en)": "Agree?", "Français (fr)": "D'accord ?"})
    q.choices["yn"] = [
        Choice("yn", "y", "", {"label::English (en)": "Yes", "label::Français (fr)": "Oui"}),
        Choice("yn", "n", "", {"label::English (en)": "No", "label::Français (fr)": "Non"}),
    ]
    q.set_language("fr")
    path = tmp_path / "labels_en.csv"
    path.write_text("Agree?\nYes\nNo\n\n", encoding="utf-8")  # Kobo export with English labels
    data = read_responses(path, form=q)
    assert list(data.columns) == ["ok"]
    assert data["ok"].tolist()[:2] == ["Oui", "Non"]  # shown in the form's language
    assert data.attrs["problems"].empty


_LSS_V3 = """<?xml version="1.0" encoding="UTF-8"?>
<document>
 <LimeSurveyDocType>Survey</LimeSurveyDocType>
 <DBVersion>359</DBVersion>
 <languages><language>en</language><language>fr</language></languages>
 <groups><fields><fieldname>gid</fieldname></fields><rows>
  <row><gid>1</gid><group_name>G1</group_name><group_order>1</group_order><language>en</language></row>
  <row><gid>1</gid><group_name>G1</group_name><group_order>1</group_order><language>fr</language></row>
 </rows></groups>
 <questions><fields><fieldname>qid</fieldname></fields><rows>
  <row><qid>10</qid><parent_qid>0</parent_qid><gid>1</gid><type>:</type><title>nums</title>
   <question><![CDATA[<p>How many?</p>]]></question><other>N</other><mandatory>N</mandatory>
   <question_order>2</question_order><language>en</language><scale_id>0</scale_id></row>
  <row><qid>10</qid><parent_qid>0</parent_qid><gid>1</gid><type>:</type><title>nums</title>
   <question><![CDATA[<p>Combien ?</p>]]></question><other>N</other><mandatory>N</mandatory>
   <question_order>2</question_order><language>fr</language><scale_id>0</scale_id></row>
  <row><qid>11</qid><parent_qid>0</parent_qid><gid>1</gid><type>L</type><title>sat</title>
   <question>Satisfied?</question><other>Y</other><mandatory>Y</mandatory>
   <question_order>1</question_order><language>en</language><scale_id>0</scale_id></row>
  <row><qid>11</qid><parent_qid>0</parent_qid><gid>1</gid><type>L</type><title>sat</title>
   <question>Satisfait ?</question><other>Y</other><mandatory>Y</mandatory>
   <question_order>1</question_order><language>fr</language><scale_id>0</scale_id></row>
 </rows></questions>
 <subquestions><fields><fieldname>qid</fieldname></fields><rows>
  <row><qid>20</qid><parent_qid>10</parent_qid><title>SY001</title><question>Cats</question>
   <question_order>1</question_order><language>en</language><scale_id>0</scale_id></row>
  <row><qid>20</qid><parent_qid>10</parent_qid><title>SY001</title><question>Chats</question>
   <question_order>1</question_order><language>fr</language><scale_id>0</scale_id></row>
  <row><qid>21</qid><parent_qid>10</parent_qid><title>SX001</title><question>Home</question>
   <question_order>1</question_order><language>en</language><scale_id>1</scale_id></row>
  <row><qid>21</qid><parent_qid>10</parent_qid><title>SX001</title><question>Maison</question>
   <question_order>1</question_order><language>fr</language><scale_id>1</scale_id></row>
  <row><qid>22</qid><parent_qid>10</parent_qid><title>SX002</title><question>Work</question>
   <question_order>2</question_order><language>en</language><scale_id>1</scale_id></row>
  <row><qid>22</qid><parent_qid>10</parent_qid><title>SX002</title><question>Travail</question>
   <question_order>2</question_order><language>fr</language><scale_id>1</scale_id></row>
 </rows></subquestions>
 <answers><fields><fieldname>qid</fieldname></fields><rows>
  <row><qid>11</qid><code>A2</code><answer>No</answer><sortorder>2</sortorder><language>en</language><scale_id>0</scale_id></row>
  <row><qid>11</qid><code>A1</code><answer>Yes</answer><sortorder>1</sortorder><language>en</language><scale_id>0</scale_id></row>
  <row><qid>11</qid><code>A2</code><answer>Non</answer><sortorder>2</sortorder><language>fr</language><scale_id>0</scale_id></row>
  <row><qid>11</qid><code>A1</code><answer>Oui</answer><sortorder>1</sortorder><language>fr</language><scale_id>0</scale_id></row>
 </rows></answers>
</document>
"""


def test_limesurvey_lss_before_version_4(tmp_path):
    from movsc_toolkit.survey import read_limesurvey_structure

    path = tmp_path / "limesurvey_survey_1.lss"
    path.write_text(_LSS_V3, encoding="utf-8")
    form = read_limesurvey_structure(path)
    # questions in group/question order; French chosen by default; HTML removed
    assert form.names == ["sat", "sat[other]", "nums[SY001_SX001]", "nums[SY001_SX002]"]
    assert form.language == "fr"
    assert form.choice_labels("sat") == {"A1": "Oui", "A2": "Non", "-oth-": "Autre"}
    assert form["nums[SY001_SX002]"].type == "decimal"
    assert form["nums[SY001_SX002]"].text == "Combien ? [Chats] [Travail]"
    assert form["sat"].required
    english = read_limesurvey_structure(path, language="en")
    assert english["sat"].text == "Satisfied?" and english.choice_labels("sat")["A2"] == "No"
    answers = tmp_path / "results.csv"
    answers.write_text(
        "id,sat,sat[other],nums[SY001_SX001],nums[SY001_SX002]\n"
        "1,A2,,3,1\n2,-oth-,Bof,,0\n3,A1,,12,\n",
        encoding="utf-8",
    )
    data = read_responses(answers, form=path)
    assert data["sat"].tolist() == ["Non", "Autre", "Oui"]
    assert data["nums[SY001_SX001]"].tolist()[0] == 3 and pd.isna(data["nums[SY001_SX001]"][1])
    assert data.attrs["multiple"] == [] and data.attrs["problems"].empty


def test_limesurvey_structure_errors(tmp_path):
    from movsc_toolkit.survey import read_limesurvey_structure

    bad = tmp_path / "x.lss"
    bad.write_text("<document><oops></document>", encoding="utf-8")
    with pytest.raises(FormatError, match="XML mal formé"):
        read_limesurvey_structure(bad)
    other = tmp_path / "y.lss"
    other.write_text("<html><body/></html>", encoding="utf-8")
    with pytest.raises(FormatError, match="n'est pas une structure"):
        read_limesurvey_structure(other)
    txt = tmp_path / "z.txt"
    txt.write_text("a\tb\n1\t2\n", encoding="utf-8")
    with pytest.raises(FormatError, match="class"):
        read_limesurvey_structure(txt)


def test_kobo_labels_with_group_hierarchy(tmp_path):
    path = tmp_path / "kobo_labels.csv"
    path.write_text(
        "Premier parent/Âge du premier parent;Premier parent/Activité du premier parent;"
        "Second parent/Âge du second parent;_uuid\n"
        "40;En emploi;38;a\n51;Ne sait pas;;b\n",
        encoding="utf-8",
    )
    data = read_responses(path, form=_two_parents_form())
    assert list(data.columns) == ["groupe1/age", "activite", "groupe2/age", "_uuid"]
    assert data["groupe2/age"].tolist()[0] == 38 and data["groupe1/age"].tolist() == [40, 51]
    assert data["activite"].tolist() == ["En emploi", "Ne sait pas"]


def _tsv(rows):
    header = ["id", "related_id", "class", "type/scale", "name", "relevance", "text", "help"]
    header += ["language", "validation", "mandatory", "other"]
    lines = ["\t".join(header)]
    for r in rows:
        lines.append("\t".join(r + [""] * (len(header) - len(r))))
    return "\n".join(lines) + "\n"


def test_limesurvey_dual_scale_array_from_text_structure(tmp_path):
    from movsc_toolkit.survey import read_limesurvey_structure

    structure = tmp_path / "structure.txt"
    structure.write_text(
        _tsv(
            [
                ["", "", "S", "", "language", "", "fr"],
                ["1", "", "G", "0", "Groupe", "1", "", "", "fr"],
                ["1", "", "Q", "1", "act", "1", "Activités", "", "fr", "", "N", "N"],
                ["2", "", "SQ", "0", "exp", "", "Expérience", "", "fr"],
                ["3", "", "SQ", "0", "client", "", "Clients", "", "fr"],
                ["1", "", "A", "0", "A1", "", "Peu", "", "fr"],
                ["1", "", "A", "0", "A2", "", "Beaucoup", "", "fr"],
                ["1", "", "A", "1", "B1", "", "Non souhaité", "", "fr"],
                ["1", "", "A", "1", "B2", "", "Souhaité", "", "fr"],
            ]
        ),
        encoding="utf-8",
    )
    form = read_limesurvey_structure(structure)
    assert form.names == ["act[exp][1]", "act[exp][2]", "act[client][1]", "act[client][2]"]
    assert form.choice_labels("act[exp][2]") == {"B1": "Non souhaité", "B2": "Souhaité"}
    for header in ("act[exp][1],act[exp][2],act[client][1]", "act_exp#0,act_exp#1,act_client#0"):
        answers = tmp_path / "r.csv"
        answers.write_text(f"id,{header}\n1,A2,B1,A1\n2,,B2,\n", encoding="utf-8")
        data = read_responses(answers, form=form)
        assert data["act[exp][1]"].tolist()[0] == "Beaucoup"
        assert data["act[exp][2]"].tolist() == ["Non souhaité", "Souhaité"]
        assert data["act[client][1]"].tolist()[0] == "Peu" and pd.isna(data["act[client][1]"][1])
        assert data.attrs["absent"] == ["act[client][2]"]


def test_problems_found_by_read_table_are_kept(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["_uuid", "commentaire"])
    sheet.append(["a", "NA"])
    sheet.append(["b", "#N/A"])  # an error cell of Excel, not a text answer
    book.save(tmp_path / "kobo.xlsx")
    data = read_responses(tmp_path / "kobo.xlsx")
    assert data["commentaire"].tolist()[0] == "NA" and pd.isna(data["commentaire"][1])
    problems = data.attrs["problems"]
    assert problems[["ligne", "colonne", "valeur"]].values.tolist() == [[3, "commentaire", "#N/A"]]
