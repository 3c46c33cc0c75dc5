"""Tests of movsc_toolkit.qualitative: codebook, codings (sheet, tags, REFI-QDA), analyses."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from lxml import etree
from statsmodels.stats.inter_rater import cohens_kappa

from movsc_toolkit import qualitative as q
from movsc_toolkit._errors import MovscError, ValidationError
from movsc_toolkit.lexico import Corpus

SCHEMA = Path(q.__file__).parent / "schema"
REAL = Path(__file__).parents[1] / "data" / "real" / "qualitative"

TEXTS = [
    "Enquêteur : Bonjour.\nInterviewée : Le centre m'aide pour les papiers. "
    "Mais les horaires sont difficiles.",
    "E : Et vous ?\nI : Les horaires, c'est compliqué. Les bénévoles sont fatigués.",
    "E : Une dernière ?\nI : Pour les papiers, je viens le lundi. Les papiers, c'est dur.",
]


@pytest.fixture
def corpus() -> Corpus:
    return Corpus.from_texts(
        TEXTS, {"entretien": ["E01", "E02", "E03"], "statut": ["usager", "benevole", "usager"]}
    )


@pytest.fixture
def book() -> q.Codebook:
    return q.read_codebook(
        pd.DataFrame(
            {
                "Thème": ["Accès", "Accès", "Engagement"],
                "Code": ["Papiers", "Horaires", "Fatigue"],
                "Définition": ["démarches", "heures d'ouverture", "usure des bénévoles"],
                "Exclusion": ["", "", "fatigue des salariés"],
            }
        )
    )


def sheet(**extra) -> pd.DataFrame:
    data = {
        "entretien": ["E01", "E01", "e02", "E02", "E03"],
        "code": ["Papiers", "Horaires", "Horaires", "Fatigue", "Papiers"],
        "extrait": [
            "m'aide pour les papiers",
            "les horaires sont difficiles",
            "Les horaires, c’est  compliqué",  # typographic apostrophe, double space
            "bénévoles sont fatigués",
            "je viens le lundi",
        ],
        "codeur": ["A"] * 5,
    }
    data.update(extra)
    return pd.DataFrame(data)


@pytest.fixture
def codings(corpus, book) -> q.Codings:
    return q.read_codings(sheet(), corpus, book)


def validate(xml: bytes, schema: str) -> None:
    xsd = etree.XMLSchema(etree.parse(str(SCHEMA / schema)))
    doc = etree.fromstring(xml)
    assert xsd.validate(doc), xsd.error_log


# ------------------------------------------------------------------------------ codebook


def test_codebook_themes_become_folders(book):
    table = book.table
    assert list(table["Code"]) == ["Accès", "Papiers", "Horaires", "Engagement", "Fatigue"]
    assert list(table["Codable"]) == [False, True, True, False, True]
    assert book.themes == ["Accès", "Engagement"]
    assert book.theme_of("Fatigue") == "Engagement"
    assert book.description("Fatigue") == (
        "Définition : usure des bénévoles\nExclusion : fatigue des salariés"
    )


def test_codebook_unknown_code_suggests_closest(book):
    with pytest.raises(ValidationError, match="Horaires"):
        book.check("Horraires")


def test_codebook_duplicate_code_names_the_line(tmp_path):
    path = tmp_path / "grille.csv"
    path.write_text("thème;code\nA;x\nB;x\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        q.read_codebook(path)
    assert err.value.line == 3


# ------------------------------------------------------------------------------ sheet codings


def test_read_codings_locates_excerpts(codings):
    ex = codings.excerpts
    assert list(ex["document"]) == ["E01", "E01", "E02", "E02", "E03"]
    # normalised search (’ and double space) maps back to the original characters
    assert ex.loc[2, "extrait"] == "Les horaires, c'est compliqué"
    for row in ex.itertuples():
        assert TEXTS[row.texte][row.début : row.fin] == row.extrait
    assert codings.problems.empty


def test_read_codings_errors_name_file_line_and_fix(tmp_path, corpus, book):
    path = tmp_path / "codage.csv"
    sheet(code=["Papiers", "Horraires", "Horaires", "Fatigue", "Papiers"]).to_csv(
        path, sep=";", index=False
    )
    with pytest.raises(ValidationError) as err:
        q.read_codings(path, corpus, book)
    assert err.value.line == 3 and err.value.path == str(path)
    assert "Horaires" in err.value.hint  # closest suggestion

    bad = sheet(extrait=["m'aide pour les papiers", "introuvable ici", "x", "y", "z"])
    with pytest.raises(ValidationError, match="introuvable"):
        q.read_codings(bad, corpus, book)


def test_read_codings_ambiguous_then_occurrence(corpus, book):
    data = pd.DataFrame({"entretien": ["E03"], "code": ["Papiers"], "extrait": ["papiers"]})
    with pytest.raises(ValidationError, match="2 fois"):
        q.read_codings(data, corpus, book)
    data["occurrence"] = [2]
    got = q.read_codings(data, corpus, book).excerpts.iloc[0]
    assert (got["début"], got["fin"]) == (TEXTS[2].rfind("papiers"), TEXTS[2].rfind("papiers") + 7)


def test_read_codings_offsets_checked(corpus, book):
    start = TEXTS[0].find("papiers")
    ok = pd.DataFrame(
        {"entretien": ["E01"], "code": ["Papiers"], "début": [start], "fin": [start + 7]}
    )
    assert q.read_codings(ok, corpus, book).excerpts["extrait"].iloc[0] == "papiers"
    with pytest.raises(ValidationError, match="invalides"):
        q.read_codings(ok.assign(fin=[10_000]), corpus, book)
    with pytest.raises(ValidationError, match="ne correspondent pas"):
        q.read_codings(ok.assign(extrait=["horaires"]), corpus, book)


def test_read_codings_overlap_same_code_is_an_error_or_recorded(corpus, book):
    data = pd.DataFrame(
        {
            "entretien": ["E01", "E01"],
            "code": ["Papiers", "Papiers"],
            "extrait": ["m'aide pour les papiers", "pour les papiers. Mais"],
        }
    )
    with pytest.raises(ValidationError, match="chevauche"):
        q.read_codings(data, corpus, book)
    kept = q.read_codings(data, corpus, book, on_error="skip")
    assert len(kept) == 1
    assert list(kept.problems.columns) == [
        "élément",
        "ligne",
        "colonne",
        "valeur",
        "gravité",
        "message",
    ]
    assert kept.problems["ligne"].tolist() == [3]


# ------------------------------------------------------------------------------ inline tags


def test_inline_tags(book):
    raw = Corpus.from_texts(
        [
            "I : [#Papiers]Le centre m'aide[#Horaires] le lundi[/#Papiers] matin[/#] seulement.",
            "I : Les [#Fatigue]bénévoles\nsont fatigués[/#Fatigue].",
        ],
        {"entretien": ["A", "B"]},
    )
    cod = q.codings_from_tags(raw, book, coder="Camille")
    assert cod.corpus.texts[0] == "I : Le centre m'aide le lundi matin seulement."
    got = {(r.code, r.extrait) for r in cod.excerpts.itertuples()}
    assert got == {
        ("Papiers", "Le centre m'aide le lundi"),
        ("Horaires", " le lundi matin"),
        ("Fatigue", "bénévoles\nsont fatigués"),
    }
    assert set(cod.excerpts["codeur"]) == {"Camille"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("I : [#Papiers]jamais fermé", "jamais fermé"),
        ("I : texte[/#Papiers]", "sans balise ouvrante"),
        ("I : [#Papiers]x[/#Fatigue]", "aucun passage"),
        ("I : [#Papier]x[/#Papier]", "code inconnu"),
    ],
)
def test_inline_tag_errors(book, text, message):
    raw = Corpus.from_texts([text])
    with pytest.raises(ValidationError, match=message):
        q.codings_from_tags(raw, book)


# ------------------------------------------------------------------------------ REFI-QDA


def test_qdpx_valid_and_round_trip_lossless(tmp_path, codings):
    two = codings.with_excerpts(
        pd.concat([codings.excerpts, codings.excerpts.assign(codeur="B")], ignore_index=True)
    )
    path = two.to_qdpx(tmp_path / "projet.qdpx", date="2026-03-01T10:00:00Z")
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        validate(zf.read("project.qde"), "Project.xsd")
    assert names[0] == "project.qde" and all(n.startswith("sources/") for n in names[1:])
    back = q.read_qdpx(path)
    pd.testing.assert_frame_equal(back.excerpts, two.excerpts)
    pd.testing.assert_frame_equal(back.codebook.table, two.codebook.table)
    pd.testing.assert_frame_equal(back.corpus.metadata, two.corpus.metadata)
    assert back.corpus.texts == two.corpus.texts
    assert back.documents == two.documents
    assert back.problems.empty
    # deterministic: same bytes when written again
    again = two.to_qdpx(tmp_path / "bis.qdpx", name="projet", date="2026-03-01T10:00:00Z")
    assert again.read_bytes() == path.read_bytes()


def test_qdc_valid_and_round_trip(tmp_path, book):
    path = book.to_qdc(tmp_path / "grille.qdc")
    validate(path.read_bytes(), "Codebook.xsd")
    pd.testing.assert_frame_equal(q.read_codebook(path).table, book.table)


def test_read_refi_standard_codebook_example():
    # REFI-QDA 1.5, Annex A.1: braces around GUIDs, mixed case, descriptions without labels
    book = q.read_qdc(REAL / "refi_annexe_a1_codebook.qdc")
    assert book.codes == ["Topics", "Economy", "Health care", "Values", "Conservatives", "Liberals"]
    assert book.table.set_index("Code").loc["Economy", "Couleur"] == "#ffff00"
    assert book.table.set_index("Code").loc["Liberals", "Définition"].startswith("Democrats")
    assert list(book.table["Codable"]) == [False, True, True, False, True, True]


def _foreign_project(tmp_path, origin, text, start, end, *, folder="Sources", bom=False):
    """A project laid out as other tools write them (capitalised folder, uppercase GUIDs)."""
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="{origin}">
 <Users><User guid="{{AD68FBE7-E1EE-4A82-A279-23CC698C89EB}}" name="Sebastian"/></Users>
 <CodeBook><Codes><Code guid="D299EFAE-5779-46DC-9827-A3D1A5D544BC" name="milk" isCodable="true"/>
 </Codes></CodeBook>
 <Sources>
  <TextSource guid="57C6099B-934F-4C86-90F2-CC6C2F2A3CC3" name="Mabel.txt"
    plainTextPath="internal://01106019-2518-43DD-BBD1-8F0252BACB30.txt">
   <PlainTextSelection guid="4191294A-E287-4510-95B0-69BCE4638E56" name="cow's milk"
     startPosition="{start}" endPosition="{end}" creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB">
    <Coding guid="445A6AEC-1400-4502-919D-0867832FF211"
      creatingUser="ad68fbe7-e1ee-4a82-a279-23cc698c89eb">
     <CodeRef targetGUID="d299efae-5779-46dc-9827-a3d1a5d544bc"/></Coding>
   </PlainTextSelection>
   <PlainTextSelection guid="B49D7982-BB8E-4335-80AF-DC869CCC3F45" startPosition="0"
     endPosition="3"><Description>a memo</Description></PlainTextSelection>
  </TextSource>
  <PDFSource guid="3E029F7C-B699-47C2-AE9F-95F481693CAF" name="scan.pdf"/>
 </Sources>
</Project>"""
    path = tmp_path / "foreign.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("Export ATLAS.qde", qde.encode("utf-8"))
        raw = ("\ufeff" if bom else "") + text
        zf.writestr(f"{folder}/01106019-2518-43DD-BBD1-8F0252BACB30.TXT", raw.encode("utf-8"))
    return path


TEXT_CRLF = "Line one.\r\nBabies and cow's milk.\r\n"


@pytest.mark.parametrize(
    ("origin", "start"),
    [
        ("NVivo 12", TEXT_CRLF.find("cow")),  # CRLF counted as two characters
        ("ATLAS.ti 8.4", TEXT_CRLF.replace("\r\n", "\n").find("cow")),  # as one
        ("Unknown tool", TEXT_CRLF.find("cow")),  # decided by the selection's name
    ],
)
def test_read_foreign_qdpx_line_endings(tmp_path, origin, start):
    path = _foreign_project(tmp_path, origin, TEXT_CRLF, start, start + 10)
    cod = q.read_qdpx(path)
    assert cod.corpus.texts[0] == "Line one.\nBabies and cow's milk.\n"
    row = cod.excerpts.iloc[0]
    assert (row["code"], row["codeur"], row["extrait"]) == ("milk", "Sebastian", "cow's milk")
    messages = " ".join(cod.problems["message"])
    assert "annotation" in messages and "non textuelle" in messages
    assert set(cod.problems["gravité"]) == {"alerte"}


def test_read_foreign_qdpx_bom(tmp_path):
    text = "Babies and cow's milk."
    start = text.find("cow") + 1  # offsets counted with the BOM as character 0
    cod = q.read_qdpx(_foreign_project(tmp_path, "QualCoder", text, start, start + 10, bom=True))
    assert cod.excerpts["extrait"].iloc[0] == "cow's milk"


def test_read_qdpx_errors(tmp_path):
    bad = tmp_path / "x.qdpx"
    bad.write_text("pas un zip")
    with pytest.raises(MovscError, match="ZIP"):
        q.read_qdpx(bad)


# ------------------------------------------------------------------------------ analyses


def test_code_frequencies(codings):
    f = q.code_frequencies(codings)
    assert f.index.tolist() == ["Papiers", "Horaires", "Fatigue"]
    assert f["Entretiens"].tolist() == [2, 2, 1]
    assert f["Extraits"].tolist() == [2, 2, 1]
    assert f["% des entretiens"].tolist() == pytest.approx([200 / 3, 200 / 3, 100 / 3])
    assert f["% des extraits"].tolist() == pytest.approx([40, 40, 20])


def test_code_matrix_counts_and_percentages(codings):
    m = q.code_matrix(codings, "statut")
    # E01, E03 usagers; E02 bénévole
    assert m.counts.loc["Papiers"].tolist() == [2, 0, 2]
    assert m.counts.loc["Horaires"].tolist() == [1, 1, 2]
    assert m.counts.loc["Total"].tolist() == [2, 1, 3]
    assert m.column_percent.loc["Horaires", "usager"] == pytest.approx(50)
    assert m.row_percent.loc["Horaires", "benevole"] == pytest.approx(50)
    e = q.code_matrix(codings, "statut", measure="extraits")
    assert e.counts.loc["Total"].tolist() == [3, 2, 5]
    assert e.column_percent.loc["Papiers", "usager"] == pytest.approx(200 / 3)


def test_cooccurrences_by_overlap_and_by_interview(corpus, book):
    data = pd.DataFrame(
        {
            "entretien": ["E01", "E01", "E01", "E02"],
            "code": ["Papiers", "Horaires", "Fatigue", "Fatigue"],
            "extrait": [
                "m'aide pour les papiers. Mais",
                "Mais les horaires",
                "sont difficiles",
                "fatigués",
            ],
        }
    )
    cod = q.read_codings(data, corpus, book)
    m = q.cooccurrences(cod).matrix
    assert m.loc["Papiers", "Horaires"] == 1  # share « Mais »
    assert m.loc["Horaires", "Fatigue"] == 0  # adjacent, no shared character
    assert m.loc["Fatigue", "Fatigue"] == 2
    d = q.cooccurrences(cod, measure="entretiens").matrix
    assert d.loc["Horaires", "Fatigue"] == 1
    g = q.cooccurrences(cod).graph()
    assert g.edges["Papiers", "Horaires"]["weight"] == 1


def test_verbatims_speaker_profile_and_pseudonyms(codings):
    v = q.verbatims(codings, "Accès", pseudonyms={"lundi": "[JOUR_1]"})
    assert v["Entretien"].tolist() == ["E01", "E01", "E02", "E03"]
    assert v["Locuteur"].tolist() == ["Interviewée", "Interviewée", "I", "I"]
    assert "statut" in v.columns and "entretien" not in v.columns
    assert v["Verbatim"].iloc[-1] == "je viens le [JOUR_1]"


def test_framework_matrix_and_excel(tmp_path, codings):
    fm = q.framework_matrix(codings)
    assert fm.themes == ("Accès", "Engagement")
    assert (
        fm.table.loc["E01", "Accès"] == "m'aide pour les papiers […] les horaires sont difficiles"
    )
    assert fm.table.loc["E01", "Engagement"] == ""
    assert fm.counts.loc["E02"].tolist()[-2:] == [1, 1]
    summary = pd.DataFrame({"document": ["E03"], "thème": ["Accès"], "résumé": ["Vient le lundi."]})
    assert q.framework_matrix(codings, summaries=summary).table.loc["E03", "Accès"] == (
        "Vient le lundi."
    )
    out = fm.to_excel(tmp_path / "cadre.xlsx")
    back = pd.read_excel(out, sheet_name=None)
    assert list(back) == ["Matrice cadre", "Nombre d'extraits"]


def test_saturation(codings):
    s = q.saturation(codings)
    assert s.table["Nouveaux codes"].tolist() == [2, 1, 0]
    assert s.table["Codes cumulés"].tolist() == [2, 3, 3]
    assert s.last_new == 2
    rev = q.saturation(codings, order=["E03", "E02", "E01"])
    assert rev.table["Nouveaux codes"].tolist() == [1, 2, 0]
    perm = q.saturation(codings, permutations=50)
    assert perm.mean_curve.iloc[-1] == 3


def test_kappa_golden_values_nvivo_example():
    # qualitative.md §2.3: 1,000 characters, 50 coded by both, 800 by neither, 100 A, 50 B only
    text = "x" * 1000
    corpus = Corpus.from_texts([text], {"entretien": ["E"]})
    excerpts = pd.DataFrame(
        {
            "texte": [0, 0],
            "code": ["c", "c"],
            "codeur": ["A", "B"],
            "début": [0, 100],
            "fin": [150, 200],
        }
    )
    cod = q.Codings(corpus, q.Codebook.from_codes(["c"]), excerpts, ("E",))
    row = q.agreement(cod).table.loc["c"]
    assert row["A et B"] == 50 and row["Ni A ni B"] == 800
    assert row["A seul"] == 100 and row["B seul"] == 50
    assert row["% d'accord"] == pytest.approx(85)
    assert row["κ"] == pytest.approx(0.318182, abs=1e-6)
    assert row["Interprétation"] == "faible"


def test_kappa_matches_statsmodels_per_code(corpus, book):
    a = sheet()
    b = pd.DataFrame(
        {
            "entretien": ["E01", "E02", "E02", "E03"],
            "code": ["Papiers", "Horaires", "Papiers", "Papiers"],
            "extrait": [
                "Le centre m'aide pour les papiers",
                "Les horaires",
                "bénévoles",
                "Les papiers, c'est dur",
            ],
            "codeur": ["B"] * 4,
        }
    )
    cod = q.read_codings(pd.concat([a, b]), corpus, book)
    result = q.agreement(cod, "A", "B")
    for code in ["Papiers", "Horaires"]:
        ya, yb = [], []
        for t, text in enumerate(TEXTS):
            for who, store in (("A", ya), ("B", yb)):
                flags = np.zeros(len(text), dtype=int)
                sub = cod.excerpts[
                    (cod.excerpts["texte"] == t)
                    & (cod.excerpts["codeur"] == who)
                    & (cod.excerpts["code"] == code)
                ]
                for s, e in zip(sub["début"], sub["fin"], strict=True):
                    flags[s:e] = 1
                store.extend(flags)
        table = pd.crosstab(np.array(ya), np.array(yb)).reindex(
            index=[0, 1], columns=[0, 1], fill_value=0
        )
        expected = cohens_kappa(table.to_numpy()).kappa
        assert result.table.loc[code, "κ"] == pytest.approx(expected, abs=1e-12)
    # unit = segment: one segment per text here (short texts)
    seg = q.agreement(cod, "A", "B", analysis_unit="segment").table
    assert seg.loc["Papiers", "Unités"] == 3
    assert seg.loc["Papiers", "A et B"] == 2 and seg.loc["Papiers", "B seul"] == 1


def test_agreement_needs_two_coders(codings):
    with pytest.raises(MovscError, match="deux codeurs"):
        q.agreement(codings)


def test_kappa_label_bands():
    assert [q.kappa_label(k) for k in (-0.1, 0.1, 0.3, 0.5, 0.7, 0.9, np.nan)] == [
        "inférieur au hasard",
        "très faible",
        "faible",
        "modéré",
        "substantiel",
        "quasi parfait",
        "non défini",
    ]


def test_codes_by_class(codings):
    n_seg = len(codings.corpus.segments)

    class Fake:  # a Reinert result: one class per segment
        classes = pd.Series([1, 2, 0][:n_seg] + [1] * max(0, n_seg - 3))

    table = q.codes_by_class(codings, Fake())
    assert n_seg == 3
    assert table.loc["Papiers"].tolist() == [1, 0, 1, 2]  # E01 → classe 1, E03 → non classé
    assert table.loc["Horaires"].tolist() == [1, 1, 0, 2]
    with pytest.raises(MovscError, match="segments"):
        Fake.classes = pd.Series([1])
        q.codes_by_class(codings, Fake())


# ------------------------------------------------------------------------------ fieldwork


def test_interview_guide_docx(tmp_path):
    import docx

    table = pd.DataFrame(
        {
            "thème": ["Parcours", "", "Attentes"],
            "question": ["Depuis quand venez-vous ?", "", "Que manque-t-il ?"],
            "relances": ["Qui vous a parlé du centre ?", "Et au début ?", "Pour les ados ?"],
        }
    )
    guide = q.interview_guide(table, title="Guide — usagers")
    assert guide.table["Relances"].tolist() == [
        "Qui vous a parlé du centre ?\nEt au début ?",
        "Pour les ados ?",
    ]
    text = "\n".join(p.text for p in docx.Document(guide.to_docx(tmp_path / "g.docx")).paragraphs)
    assert "Q2. Que manque-t-il ?" in text and "Relance : Et au début ?" in text


def test_sampling_grid(codings):
    targets = pd.DataFrame({"statut": ["usager", "benevole", "salarie"], "cible": [3, 1, 2]})
    grid = q.sampling_grid(targets, codings)
    assert grid["Réalisés"].tolist() == [2, 1, 0, 3]
    assert grid["Manquants"].tolist() == [1, 0, 2, 3]
    assert grid["État"].tolist()[:3] == ["à compléter", "complet", "à compléter"]


FIELDS = {
    "responsable": "Université X, 1 rue de l'Université, 75000 Paris",
    "dpo": "dpo@univ-x.fr",
    "finalite": "comprendre ce que le centre social apporte aux habitants",
    "base_legale": "consentement",
    "duree_conservation": "enregistrements effacés après transcription",
    "enqueteur": "Camille Martin",
    "contact": "camille@etu.univ-x.fr",
}


def test_information_notice_and_consent(tmp_path):
    import docx

    notice = q.information_notice(tmp_path / "notice.docx", **FIELDS)
    text = "\n".join(p.text for p in docx.Document(notice).paragraphs)
    for needed in (
        "Responsable du traitement",
        "dpo@univ-x.fr",
        "6.1.a",
        "CNIL",
        "durée de conservation",
        "retirer votre consentement",
    ):
        assert needed in text
    form = q.consent_form(tmp_path / "consentement.docx", **FIELDS)
    text = "\n".join(p.text for p in docx.Document(form).paragraphs)
    assert text.count("☐ Oui") == 5 and "enregistré" in text
    with pytest.raises(ValidationError, match="dpo"):
        q.information_notice(tmp_path / "n.docx", **{**FIELDS, "dpo": ""})
    with pytest.raises(ValidationError, match="base légale"):
        q.information_notice(tmp_path / "n.docx", **{**FIELDS, "base_legale": "recherche"})


def test_triangulation_and_restitution(tmp_path, codings):
    import docx

    hyp = pd.DataFrame(
        {
            "hypothèse": ["Les démarches sont un besoin", "Les bénévoles s'épuisent"],
            "indicateur": ["% aidés pour les démarches", "% de bénévoles fatigués"],
            "valeur": [62.5, 20],
            "seuil": [50, 50],
            "codes": ["Papiers", "Engagement"],
        }
    )
    t = q.triangulation(hyp, codings)
    assert t["Entretiens"].tolist() == [2, 1]
    assert t["Enquête"].tolist() == ["confirme", "ne confirme pas"]
    assert t["Entretiens : appui"].tolist() == ["confirme", "confirme"]  # 1/3 ≥ 1/3
    assert t["Lecture"].tolist() == ["converge", "diverge"]
    path = q.restitution(tmp_path / "restitution.docx", codings, findings=["Un besoin réel."])
    text = "\n".join(p.text for p in docx.Document(path).paragraphs)
    assert "Accès — évoqué dans 3 entretiens sur 3" in text


def test_plot_tree_and_project_note(tmp_path):
    import docx
    import matplotlib

    matplotlib.use("Agg")
    from movsc_toolkit import kpi

    ax = q.plot_tree("Problème", {"Cause 1": ["Sous-cause"], "Cause 2": []}, ["Effet"])
    texts = sorted(t.get_text() for t in ax.texts if t.get_text())
    assert texts == ["Cause 1", "Cause 2", "Effet", "Problème", "Sous-cause"]
    project = kpi.build_project(
        pd.DataFrame({"code": ["NUM"], "libelle": ["Besoin d'aide numérique"], "unite": ["%"]}),
        pd.DataFrame(
            {
                "code": ["NUM", "NUM"],
                "type_valeur": ["reference", "cible"],
                "periode_debut": ["01/01/2026", "01/01/2027"],
                "periode_fin": ["31/03/2026", "31/03/2027"],
                "valeur": [24.7, 18],
            }
        ),
        milestones=pd.DataFrame(
            {"code": ["J1"], "libelle": ["Vote du CA"], "date_prevue": ["30/06/2026"]}
        ),
    )
    path = q.project_note(
        tmp_path / "note.docx",
        project,
        title="Note",
        diagnostic=["Un usager sur quatre a besoin d'aide."],
        objective="Autonomie numérique",
        decision="valider le projet.",
    )
    document = docx.Document(path)
    cells = [c.text for row in document.tables[0].rows for c in row.cells]
    assert cells == [
        "Indicateur",
        "Référence",
        "Cible",
        "Besoin d'aide numérique",
        "24,7 %",
        "18,0 %",
    ]
    assert any("30/06/2026 — Vote du CA" in p.text for p in document.paragraphs)


def test_read_qdpx_docx_source_without_plain_text(tmp_path):
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("Première ligne.")
    document.add_paragraph("Babies and cow's milk.")
    buffer = io.BytesIO()
    document.save(buffer)
    text = "Première ligne.\nBabies and cow's milk."
    start = text.find("cow")
    path = _foreign_project(tmp_path, "NVivo for Mac 15.0.0", "\n", start, start + 10)
    qde = zipfile.ZipFile(path).read("Export ATLAS.qde").decode("utf-8")
    qde = qde.replace(
        'plainTextPath="internal://01106019-2518-43DD-BBD1-8F0252BACB30.txt"',
        'plainTextPath="internal://01106019-2518-43DD-BBD1-8F0252BACB30.txt" '
        'richTextPath="internal://01106019-2518-43DD-BBD1-8F0252BACB30.docx"',
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", qde.encode("utf-8"))
        zf.writestr("sources/01106019-2518-43DD-BBD1-8F0252BACB30.txt", b"\n")
        zf.writestr("sources/01106019-2518-43DD-BBD1-8F0252BACB30.docx", buffer.getvalue())
    cod = q.read_qdpx(path)
    assert cod.corpus.texts == [text]
    assert cod.excerpts["extrait"].tolist() == ["cow's milk"]
    assert "document Word" in " ".join(cod.problems["message"])
