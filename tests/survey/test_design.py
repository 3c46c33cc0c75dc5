"""Tests of movsc_toolkit.survey.design: Questionnaire, XLSForm I/O, codebook, validation,
operationalisation."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from movsc_toolkit._errors import ColumnError, FileError, ValidationError
from movsc_toolkit.survey import (
    Operationalisation,
    Questionnaire,
    read_operationalisation,
    read_xlsform,
)
from movsc_toolkit.survey._xlsform import readable_condition


def small_form() -> Questionnaire:
    q = Questionnaire(title="Mini", form_id="mini", version="2026010101")
    q.add_choices("sexe", {"f": "Femme", "h": "Homme"})
    q.add_choices("accord", ["Pas d'accord", "Neutre", "D'accord"])
    q.add_question("start", "start")
    q.begin_group("profil", "Profil")
    q.add_question("select_one sexe", "sexe", "Vous êtes :", required=True)
    q.add_question("integer", "age", "Âge", constraint=". >= 15", hint="En années")
    q.end_group()
    q.add_question(
        "select_multiple loisirs",
        "loisirs",
        {"Français (fr)": "Vos loisirs", "English (en)": "Your hobbies"},
        relevant="${age} >= 18",
        choices={"sport": "Sport", "lecture": "Lecture"},
    )
    q.add_note("consigne", "Donnez votre avis")
    q.add_question("select_one accord", "avis1", "Le centre est utile", appearance="likert")
    q.add_question("select_one accord", "avis2", "Le centre est accueillant")
    q.add_question(
        "text", "commentaire", "Un commentaire ?", relevant="selected(${loisirs}, 'sport')"
    )
    return q


def write_form(path, survey, choices=None, settings=None):
    book = openpyxl.Workbook()
    sheets = [("survey", survey), ("choices", choices), ("settings", settings)]
    first = True
    for name, rows in sheets:
        if rows is None:
            continue
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = name
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_questions_exclude_groups_notes_and_metadata():
    q = small_form()
    assert q.names == ["sexe", "age", "loisirs", "avis1", "avis2", "commentaire"]
    assert len(q) == 6
    assert q["loisirs"].list_name == "loisirs"
    assert q["loisirs"].text == "Vos loisirs"
    assert q["sexe"].group == ("profil",)
    assert q.choice_labels("avis1") == {"1": "Pas d'accord", "2": "Neutre", "3": "D'accord"}


def test_unknown_question_suggests_closest_name():
    with pytest.raises(ColumnError) as info:
        small_form().question("loisir")
    assert "« loisirs »" in str(info.value)


def _same(a, b) -> bool:
    """Same form, field by field: same rows, choice lists and settings."""
    return (
        a.rows == b.rows
        and a.choices == b.choices
        and (a.title, a.form_id, a.version, a.default_language, a.settings)
        == (b.title, b.form_id, b.version, b.default_language, b.settings)
    )


def test_round_trip_xlsform(tmp_path):
    q = small_form()
    path = q.to_xlsform(tmp_path / "f.xlsx")
    back = read_xlsform(path)
    assert _same(back, q)
    # the course says « relu, il est identique » : == compares the content, not the origin
    assert back == q and back.path != q.path
    changed = small_form().add_question("integer", "enfants", "Nombre d'enfants")
    assert changed != back and not _same(changed, back)
    assert (q == "Mini") is False
    assert back.title == "Mini" and back.version == "2026010101"
    # Standard sheet and column names, so that KoboToolbox accepts the file.
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["survey", "choices", "settings"]
    header = [c.value for c in book["survey"][1]]
    for col in ("type", "name", "label", "hint", "required", "relevant", "constraint"):
        assert col in header
    assert "label::Français (fr)" in header and "label::English (en)" in header
    types = [r[0].value for r in book["survey"].iter_rows(min_row=2)]
    assert "begin group" in types and "end group" in types
    assert "select_multiple loisirs" in types
    assert [c.value for c in book["choices"][1]][:3] == ["list_name", "name", "label"]
    required = dict(
        (r[1].value, r[header.index("required")].value) for r in book["survey"].iter_rows(min_row=2)
    )
    assert required["sexe"] == "yes"


def test_read_accepts_aliases_and_spaces(tmp_path):
    path = write_form(
        tmp_path / "f.xlsx",
        [
            ["type", "name", "label", "relevance", "required"],
            ["begin_group", "g", "Groupe", None, None],
            ["select_one yn", "q1", "Question 1", None, "TRUE"],
            ["integer", "q2", "Question 2", "${q1} = 'y'", "no"],
            ["end_group", None, None, None, None],
        ],
        [["list name", "name", "label"], ["yn", "y", "Oui"], ["yn", "n", "Non"]],
    )
    q = read_xlsform(path)
    assert q["q2"].relevant == "${q1} = 'y'"
    assert q["q1"].required and not q["q2"].required
    assert q["q2"].group == ("g",)
    advice = q.check()
    assert (advice["gravité"] == "alerte").all()
    assert advice["message"].str.contains("relevant").any()
    # Written back with the standard name.
    q.to_xlsform(tmp_path / "g.xlsx")
    header = [c.value for c in openpyxl.load_workbook(tmp_path / "g.xlsx")["survey"][1]]
    assert "relevant" in header and "relevance" not in header


def test_choice_names_stored_as_numbers_are_read_as_text(tmp_path):
    path = write_form(
        tmp_path / "f.xlsx",
        [["type", "name", "label"], ["select_one n", "q", "Q"]],
        [["list_name", "name", "label"], ["n", 1, "Un"], ["n", 2, "Deux"]],
    )
    assert read_xlsform(path).choice_labels("q") == {"1": "Un", "2": "Deux"}


def test_validation_lists_every_error_in_french(tmp_path):
    path = write_form(
        tmp_path / "f.xlsx",
        [
            ["type", "name", "label", "relevant"],
            ["begin group", "g", "Groupe", None],
            ["select_one inconnue", "q1", "Question 1", None],
            ["select_one", "q2", "Question 2", None],
            ["select_multiple vide", "q3", "Question 3", "${q9} = 'x'"],
            ["text", "q1", "Doublon", None],
            ["text", "2eme", "Nom invalide", None],
            ["text", "avec espace", "Nom invalide", None],
            ["selectone yn", "q4", "Type mal écrit", None],
            ["select_multiple esp", "q5", "Espaces", None],
        ],
        [["list_name", "name", "label"], ["esp", "a b", "A B"], ["yn", "y", "Oui"]],
    )
    with pytest.raises(ValidationError) as info:
        read_xlsform(path)
    text = str(info.value)
    assert "« inconnue » n'existe pas" in text
    assert "doit être suivi du nom d'une liste" in text
    assert "« vide » n'existe pas" in text
    assert "${q9}" in text
    assert "nom « q1 » en double (déjà utilisé ligne 3)" in text
    assert "nom « 2eme » invalide" in text and "nom « avec espace » invalide" in text
    assert "type « selectone » inconnu" in text and "select_one" in text
    assert "contient une espace" in text
    assert "jamais fermé" in text
    problems = read_xlsform(path, validate=False).check()
    assert list(problems.columns) == [
        "feuille",
        "élément",
        "ligne",
        "colonne",
        "valeur",
        "gravité",
        "message",
    ]
    assert (problems["gravité"] == "erreur").sum() == 10


def test_unbalanced_groups_and_empty_list():
    q = Questionnaire()
    q.add_choices("vide", {})
    q.add_question("select_one vide", "q", "Q")
    q.rows.append(q.rows[0].__class__(type="end_group"))
    messages = " ".join(q.check()["message"])
    assert "« end group » sans « begin group »" in messages
    assert "la liste « vide » est vide" in messages
    with pytest.raises(ValidationError):
        q.end_group()


def test_missing_sheet_and_columns(tmp_path):
    path = write_form(tmp_path / "f.xlsx", [["type", "name", "label"], ["text", "q", "Q"]])
    book = openpyxl.load_workbook(path)
    book.create_sheet("choice")
    book.save(path)
    with pytest.raises(FileError, match="renommez la feuille « choice » en « choices »"):
        read_xlsform(path)
    # pyxform reads sheet names without regard to case: an empty "Choices" sheet is fine.
    book.remove(book["choice"])
    book.create_sheet("Choices")
    book.save(path)
    assert read_xlsform(path).names == ["q"]
    path = write_form(tmp_path / "g.xlsx", [["typ", "name", "label"], ["text", "q", "Q"]], [])
    with pytest.raises(ColumnError, match="« type »"):
        read_xlsform(path)
    with pytest.raises(FileError):
        read_xlsform(tmp_path / "absent.xlsx")


def test_codebook(tmp_path):
    book = small_form().codebook()
    assert list(book.columns) == [
        "variable",
        "libellé",
        "type",
        "modalités",
        "obligatoire",
        "condition d'affichage",
        "groupe",
    ]
    rows = book.set_index("variable")
    assert rows.loc["sexe", "modalités"] == "f = Femme ; h = Homme"
    assert rows.loc["sexe", "type"] == "choix unique"
    assert rows.loc["loisirs", "type"] == "choix multiple"
    assert rows.loc["sexe", "obligatoire"] == "oui"
    assert rows.loc["loisirs", "condition d'affichage"] == "age ≥ 18"
    assert rows.loc["commentaire", "condition d'affichage"] == "loisirs contient « sport »"
    assert rows.loc["age", "groupe"] == "profil"
    md = small_form().codebook_to(tmp_path / "codes.md").read_text(encoding="utf-8")
    assert "| sexe | Vous êtes : | choix unique | f = Femme ; h = Homme | oui |" in md
    xlsx = small_form().codebook_to(tmp_path / "codes.xlsx")
    assert pd.read_excel(xlsx).shape == (6, 7)
    with pytest.raises(FileError):
        small_form().codebook_to(tmp_path / "codes.pdf")


def test_readable_condition():
    assert readable_condition("${a} != 'x' and not(${b} <= 3) or ${c} >= 2") == (
        "a ≠ « x » et non (b ≤ 3) ou c ≥ 2"
    )


def test_group_conditions_reach_the_codebook():
    q = Questionnaire()
    q.add_question("integer", "age", "Âge")
    q.begin_group("adultes", "Adultes", relevant="${age} >= 18")
    q.add_question("text", "metier", "Métier", relevant="${age} < 65")
    q.end_group()
    row = q.codebook().set_index("variable").loc["metier"]
    assert row["condition d'affichage"] == "(age ≥ 18) et (age < 65)"


def test_add_question_with_choices_on_non_select_is_refused():
    with pytest.raises(ValidationError, match="pas de modalités"):
        Questionnaire().add_question("text", "t", "T", choices=["a"])


def test_to_xlsform_validates_first(tmp_path):
    q = Questionnaire()
    q.add_question("select_one absente", "q", "Q")
    with pytest.raises(ValidationError):
        q.to_xlsform(tmp_path / "f.xlsx")
    with pytest.raises(FileError, match=r"\.xlsx"):
        small_form().to_xlsform(tmp_path / "f.csv")


def test_operationalisation_plan():
    form = small_form()
    frame = pd.DataFrame(
        {
            "Hypothèse": ["H1 : l'âge joue", None, None, "H2"],
            "Dimension": ["profil", "pratiques", "opinion", "opinion"],
            "Indicateur": ["âge", "loisirs", "avis sur le centre", "sexe"],
            "Questions": ["age", "loisirs", "avis1, avis2", "sexe"],
            "Rôle": ["explicative", "à expliquer", "à expliquer", ""],
        }
    )
    ope = Operationalisation.from_frame(frame)
    assert ope.hypotheses == ["H1 : l'âge joue", "H2"]
    plan = ope.analysis_plan(form)
    h1 = plan[plan["hypothèse"] == "H1 : l'âge joue"]
    scale = h1[h1["fonctions"] == "likert, cronbach_alpha"]
    assert scale["variable à expliquer"].tolist() == ["avis1, avis2"]
    pairs = h1[h1["variable explicative"] != ""].set_index("variable à expliquer")
    assert "comparaison de moyennes" in pairs.loc["avis1", "analyse"]
    assert pairs.loc["avis1", "fonctions"] == "compare_means"
    assert "ceux qui ont coché" in pairs.loc["loisirs", "analyse"]
    cross = Operationalisation().add("H", "a", "sexe", "sexe", "explicative")
    cross.add("H", "b", "loisirs", "loisirs", "à expliquer")
    assert "réponses multiples" in cross.analysis_plan(form).loc[0, "analyse"]
    h2 = plan[plan["hypothèse"] == "H2"]
    assert h2["fonctions"].tolist() == ["freq"]


def test_operationalisation_pairs_without_roles_and_errors(tmp_path):
    ope = Operationalisation()
    ope.add("H", "profil", "genre", "sexe").add("H", "opinion", "utilité", "avis1")
    plan = ope.analysis_plan(small_form())
    assert plan[["variable explicative", "variable à expliquer"]].values.tolist() == [
        ["sexe", "avis1"]
    ]
    assert "χ²" in plan.loc[0, "analyse"]
    with pytest.raises(ValidationError, match="« sex »"):
        Operationalisation().add("H", "d", "i", "sex").analysis_plan(small_form())
    with pytest.raises(ValidationError, match="rôle « cause probable » inconnu"):
        Operationalisation().add("H", "d", "i", "sexe", role="cause probable")
    path = tmp_path / "ope.csv"
    ope.to_frame().to_csv(path, sep=";", index=False)
    assert read_operationalisation(path).to_frame().equals(ope.to_frame())


def test_dataset_form_is_valid():
    from movsc_toolkit import datasets

    form = read_xlsform(datasets.path("enquete_usagers", "formulaire.xlsx"))
    assert form.check().empty
    assert "activites" in form.names and form["activites"].type == "select_multiple"
    assert len([n for n in form.names if n.startswith("sat_")]) == 7


def test_read_ods_form_with_translated_labels_only(tmp_path):
    path = tmp_path / "form.ods"
    with pd.ExcelWriter(path, engine="odf") as writer:
        pd.DataFrame(
            {
                "type": ["select_one yn", "calculate"],
                "name": ["q1", "calc"],
                "label::Français (fr)": ["Question 1", ""],
                "calculation": ["", "${q1}"],
            }
        ).to_excel(writer, sheet_name="survey", index=False)
        pd.DataFrame(
            {"list_name": ["yn", "yn"], "name": ["y", "n"], "label::Français (fr)": ["Oui", "Non"]}
        ).to_excel(writer, sheet_name="choices", index=False)
    q = read_xlsform(path)
    assert q.names == ["q1"]  # a calculation asks nothing
    assert q["q1"].text == "Question 1"
    assert q.choice_labels("q1") == {"y": "Oui", "n": "Non"}
    assert q.question("calc").extra["calculation"] == "${q1}"
    q.to_xlsform(tmp_path / "back.xlsx")
    assert _same(read_xlsform(tmp_path / "back.xlsx"), q)


# --- XLSForm read as pyxform reads it ------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("select one from yn", ("select_one", "yn", False)),
        ("select_one yn", ("select_one", "yn", False)),
        ("select1 yn", ("select_one", "yn", False)),
        ("select all that apply yn", ("select_multiple", "yn", False)),
        ("select all that apply from yn", ("select_multiple", "yn", False)),
        ("select_multiple  yn  or_other", ("select_multiple", "yn", True)),
        ("select one yn or specify other", ("select_one", "yn", True)),
        ("select_one_from_file communes.csv", ("select_one_from_file", "communes.csv", False)),
        ("select one from file communes.csv", ("select_one_from_file", "communes.csv", False)),
        ("select_multiple_from_file x.csv", ("select_multiple_from_file", "x.csv", False)),
        ("rank yn", ("rank", "yn", False)),
        ("string", ("text", None, False)),
        ("Text", ("text", None, False)),
        ("int", ("integer", None, False)),
        ("integer", ("integer", None, False)),
        ("decimal", ("decimal", None, False)),
        ("datetime", ("dateTime", None, False)),
        ("begin group", ("begin_group", None, False)),
        ("begin_group", ("begin_group", None, False)),
        ("Begin Repeat", ("begin_repeat", None, False)),
        ("end_repeat", ("end_repeat", None, False)),
        ("begin looped group", ("begin_repeat", None, False)),
        ("imei", ("deviceid", None, False)),
        ("deviceid", ("deviceid", None, False)),
        ("subscriberid", ("subscriberid", None, False)),
        ("simserial", ("simserial", None, False)),
        ("phonenumber", ("phonenumber", None, False)),
        ("uri:deviceid", ("deviceid", None, False)),
        ("uri:email", ("email", None, False)),
        ("uri:username", ("username", None, False)),
        ("audit", ("audit", None, False)),
        ("start", ("start", None, False)),
        ("today", ("today", None, False)),
        ("photo", ("image", None, False)),
        ("gps", ("geopoint", None, False)),
    ],
)
def test_type_spellings_accepted_by_pyxform(cell, expected):
    from movsc_toolkit.survey._xlsform import normalise_type

    assert normalise_type(cell) == expected


def test_aliases_metadata_and_groups_read_like_kobo(tmp_path):
    path = write_form(
        tmp_path / "f.xlsx",
        [
            ["type", "name", "label"],
            ["start", "debut", None],
            ["imei", "appareil", None],
            ["uri:email", "courriel", None],
            ["begin group", "g1", "Premier parent"],
            ["int", "age", "Âge du premier parent"],
            ["select one from yn", "actif", "Actif ?"],
            ["end group", None, None],
            ["begin_group", "g2", "Second parent"],
            ["integer", "age", "Âge du second parent"],
            ["end_group", None, None],
            ["select all that apply yn", "multi", "Plusieurs"],
            ["string", "nom", "Nom"],
        ],
        [["list_name", "name", "label"], ["yn", "y", "Oui"], ["yn", "nsp", "Ne sait pas"]],
    )
    form = read_xlsform(path)
    assert form.check().query("gravité == 'erreur'").empty
    assert form.names == ["age", "actif", "age", "multi", "nom"]  # metadata asks nothing
    assert form.question("appareil").type == "deviceid"
    assert form.question("courriel").type == "email"
    assert form["multi"].type == "select_multiple" and form["nom"].type == "text"
    # The same name in two groups: two questions, found by their path.
    assert form.question("g1/age").text == "Âge du premier parent"
    assert form.question("g2/age").text == "Âge du second parent"
    assert [form.column_name(q) for q in form.questions][:3] == ["g1/age", "actif", "g2/age"]
    with pytest.raises(ValidationError, match="g1/age"):
        form.question("age")


def test_same_name_twice_in_one_group_is_still_an_error(tmp_path):
    path = write_form(
        tmp_path / "f.xlsx",
        [
            ["type", "name", "label"],
            ["begin group", "g", "G"],
            ["text", "x", "X"],
            ["text", "x", "X bis"],
            ["end group", None, None],
        ],
        [["list_name", "name", "label"]],
    )
    with pytest.raises(ValidationError, match="en double"):
        read_xlsform(path)


def _multilingual(tmp_path, headers, name="f.xlsx", settings=None):
    survey = [
        ["type", "name", *[h.replace("X", "label") for h in headers]],
        ["select_one yn", "q1", "Do you agree?", "Êtes-vous d'accord ?"],
    ]
    choices = [
        ["list_name", "name", *[h.replace("X", "label") for h in headers]],
        ["yn", "y", "Yes", "Oui"],
        ["yn", "n", "No", "Non"],
        ["yn", "aucun", "Nothing", "Aucun"],
        ["yn", "0", "Zero", "Zéro"],
    ]
    return write_form(tmp_path / name, survey, choices, settings)


@pytest.mark.parametrize(
    "headers",
    [
        ["X::English (en)", "X::Français (fr)"],
        ["X::English (en)", "X::French (fr)"],
        ["X:English", "X:fr"],
        ["X", "X::Français (fr)"],
    ],
)
def test_french_labels_chosen_by_default(tmp_path, headers):
    form = read_xlsform(_multilingual(tmp_path, headers))
    assert form["q1"].text == "Êtes-vous d'accord ?"
    assert form.choice_labels("q1") == {"y": "Oui", "n": "Non", "aucun": "Aucun", "0": "Zéro"}


def test_langue_option_and_error_listing_languages(tmp_path):
    path = _multilingual(tmp_path, ["X::English (en)", "X::Français (fr)"])
    english = read_xlsform(path, language="en")
    assert english["q1"].text == "Do you agree?"
    assert english.choice_labels("q1")["aucun"] == "Nothing"
    assert read_xlsform(path, language="English").language == "English (en)"
    assert read_xlsform(path, language="Français (fr)").choice_labels("q1")["y"] == "Oui"
    with pytest.raises(ValidationError) as err:
        read_xlsform(path, language="es")
    message = str(err.value)
    assert "« es »" in message and "English (en)" in message and "Français (fr)" in message
    # one colon: label:English / label:fr
    single = read_xlsform(_multilingual(tmp_path, ["X:English", "X:fr"], "g.xlsx"), language="en")
    assert single["q1"].text == "Do you agree?"
    assert single.languages == ["English", "fr"]


def test_choice_names_na_none_and_zero_are_kept(tmp_path):
    path = write_form(
        tmp_path / "f.xlsx",
        [["type", "name", "label"], ["select_one t", "q", "Transport"]],
        [
            ["list_name", "name", "label"],
            ["t", "NA", "Ne sait pas"],
            ["t", "None", "None"],
            ["t", 0, "Zéro"],
            ["t", "null", "N/A"],
        ],
    )
    form = read_xlsform(path)
    assert form.choice_labels("q") == {
        "NA": "Ne sait pas",
        "None": "None",
        "0": "Zéro",
        "null": "N/A",
    }
