"""Budget presented to the board: the table, every generated sentence, the files; the
dialogue de gestion. Hand-made budgets, hand-worked figures."""

from __future__ import annotations

import pandas as pd
import pytest

from movsc_toolkit._errors import DataError, MovscError
from movsc_toolkit.finance import board_presentation, make_budget, management_dialogue

NBSP = ("\u202f", "\u00a0")


def plain(text: str) -> str:
    for space in NBSP:
        text = text.replace(space, " ")
    return text


# Budget N (2026): 641 100 000 + 645 40 000 + 604 10 000 + 613 12 000 = 162 000 of charges
# Budget N+1 (2027): 641 110 000 (+10 %) + 645 44 000 (+10 %) + 604 4 000 (−60 %)
#   + 613 12 500 (+4,2 %) + 625 6 000 (new) = 176 500
# produits N: 70 20 000, 74 Commune 100 000, 74 Région 42 000 = 162 000
# produits N+1: 70 21 500, 74 Commune 100 000, 74 Organismes sociaux 50 000 (new),
#   74 Région 0 (stopped) = 171 500 → deficit 5 000
N_BUDGET = make_budget(
    {
        "641": 100000,
        "645": 40000,
        "604": 10000,
        "613": 12000,
        "70": 20000,
        "74 Commune": 100000,
        "74 Région": 42000,
    },
    year=2026,
)
N1_BUDGET = make_budget(
    {
        "641": 110000,
        "645": 44000,
        "604": 4000,
        "613": 12500,
        "625": 6000,
        "70": 21500,
        "74 Commune": 100000,
        "74 Organismes sociaux": 50000,
    },
    year=2027,
)
ACTUAL = pd.Series({"641": 98000.0, "645": 39500.0, "604": 9000.0, "613": 11800.0, "70": 19000.0})


@pytest.fixture(scope="module")
def pres():
    return board_presentation(N1_BUDGET, N_BUDGET, ACTUAL, actual_year=2025)


def test_table_by_poste(pres):
    t = pres.table
    assert t.at["64", "Budget N+1 (€)"] == 154000
    assert t.at["64", "Budget N (€)"] == 140000
    assert t.at["64", "Réalisé N−1 (€)"] == 137500
    assert t.at["64", "Écart N+1 − N (€)"] == 14000
    assert t.at["64", "Écart N+1 − N (%)"] == pytest.approx(10.0)
    assert t.at["62", "Budget N (€)"] == 0
    assert pd.isna(t.at["62", "Écart N+1 − N (%)"])
    assert t.at["Total des charges", "Budget N+1 (€)"] == 176500
    assert t.at["Total des produits", "Budget N+1 (€)"] == 171500
    assert t.at["Résultat", "Budget N+1 (€)"] == -5000
    assert t.at["Résultat", "Budget N (€)"] == 0


def test_flags_need_both_thresholds(pres):
    flagged = set(pres.to_comment.index)
    # 64: +14 000 and +10 % → yes; 60: −6 000, −60 % → yes; 61: +500 → no;
    # 62: new 6 000 → yes; 70: +1 500 → no; Organismes sociaux new 50 000 → yes;
    # Région stopped 42 000 → yes; Commune unchanged → no
    assert flagged == {"64", "60", "62", "74 Organismes sociaux", "74 Région"}


def test_sentences(pres):
    s = [plain(x) for x in pres.sentences]
    assert s[0] == (
        "Le total des charges passe de 162 000 € au budget 2026 à 176 500 € au budget 2027, "
        "en hausse de 14 500 € (+9,0 %)."
    )  # 14 500 / 162 000 = 8,95 %
    assert s[1] == (
        "Le total des produits passe de 162 000 € au budget 2026 à 171 500 € au budget 2027, "
        "en hausse de 9 500 € (+5,9 %)."
    )  # 9 500 / 162 000 = 5,86 %
    assert s[2].startswith("Le budget 2027 est présenté en déficit de 5 000 €")
    # then by size of the variation: Organismes sociaux 50 000, Région 42 000, 64 14 000,
    # 60 6 000 and 62 6 000 (stable order: 60 before 62)
    assert s[3] == (
        "« Subventions : Organismes sociaux » (74) : nouvelle ressource de 50 000 € au "
        "budget 2027 (rien au budget 2026). Réalisé 2025 : 0 €."
    )
    assert s[4].startswith(
        "« Subventions : Région » (74) : 42 000 € au budget 2026, plus rien au budget 2027."
    )
    assert s[5] == (
        "« Charges de personnel » (64) passe de 140 000 € au budget 2026 à 154 000 € au budget "
        "2027 : une hausse de 14 000 € (+10,0 %). Réalisé 2025 : 137 500 €. Le budget 2027 est "
        "16 500 € au-dessus du réalisé 2025 (+12,0 %)."
    )  # 16 500 / 137 500 = 12,0 %
    assert s[6] == (
        "« Achats » (60) passe de 10 000 € au budget 2026 à 4 000 € au budget 2027 : une baisse "
        "de 6 000 € (−60,0 %). Réalisé 2025 : 9 000 €. Le budget 2027 est 5 000 € en dessous "
        "du réalisé 2025 (−55,6 %)."
    )  # −5 000 / 9 000 = −55,56 %
    assert s[7].startswith("« Autres services extérieurs » (62) : nouvelle charge de 6 000 €")
    assert len(s) == 8
    lines = plain(str(pres)).splitlines()
    assert lines[4] == (
        "5 rubrique(s) à commenter. Seuil retenu : variation d'au moins 10 % et d'au moins "
        "5 000 € par rapport au budget 2026."
    )


def test_every_variation_sentence_matches_the_sign():
    for new, word in ((120000, "hausse"), (80000, "baisse")):
        b0 = make_budget({"641": 100000, "74 Commune": 100000}, year=2026)
        b1 = make_budget({"641": new, "74 Commune": new}, year=2027)
        p = board_presentation(b1, b0)
        text = plain(p.sentences[3])
        assert f"une {word} de 20 000 €" in text
        assert ("(+20,0 %)" if word == "hausse" else "(−20,0 %)") in text
        assert "en " + word in p.sentences[0]
        assert p.sentences[2] == "Le budget 2027 est présenté à l'équilibre."


def test_by_line_thresholds_and_surplus():
    b0 = make_budget({"641": 100000, "645": 40000, "74 Commune": 140000}, year=2026)
    b1 = make_budget({"641": 103000, "645": 40000, "74 Commune": 150000}, year=2027)
    p = board_presentation(b1, b0, by="ligne", min_rate=0.02, min_amount=1000)
    assert set(p.to_comment.index) == {"641", "74 Commune"}
    assert p.table.at["641", "Rubrique"] == "641 – Rémunération des personnels"
    assert plain(p.sentences[2]) == "Le budget 2027 est présenté en excédent de 7 000 €."
    assert "Réalisé" not in p.table.columns.str.cat()
    with pytest.raises(DataError, match="poste"):
        board_presentation(b1, b0, by="compte")
    with pytest.raises(MovscError):
        board_presentation(b1, "budget.xlsx")


def test_stable_total_sentence():
    b = make_budget({"641": 1000, "74 Commune": 1000}, year=2026)
    p = board_presentation(b, b)
    assert (
        plain(p.sentences[0])
        == "Le total des charges est stable : 1 000 € aux budgets 2026 et 2026."
    )
    assert p.to_comment.empty


def test_exports_open_back(tmp_path, pres):
    from docx import Document
    from pptx import Presentation

    docx = pres.to_docx(tmp_path / "ca" / "budget.docx")
    doc = Document(str(docx))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert plain(pres.sentences[5]) in plain(text)
    assert "Proposition de résolution" in text
    assert len(doc.inline_shapes) == 2  # the two charts
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "Budget 2027 (€)" in cells and "Réalisé 2025 (€)" in cells
    assert any(plain(c) == "176 500" for c in cells)

    pptx = pres.to_pptx(tmp_path / "budget.pptx")
    deck = Presentation(str(pptx))
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[0] == pres.title
    assert "Les variations qui comptent" in titles
    assert titles[-1] == "Proposition de résolution"
    texts = " ".join(
        sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame
    )
    assert plain(pres.sentences[3]).split(" Réalisé")[0] in plain(texts)
    pictures = [sh for s in deck.slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) == 2
    page = pres.to_html(tmp_path / "budget.html").read_text(encoding="utf-8")
    assert "data:image/png;base64" in page


def test_management_dialogue():
    b = make_budget(
        pd.DataFrame(
            {
                "Code": ["641", "70", "74 Commune", "613"],
                "jeunesse": [30000, 2000, 24000, 0],
                "familles": [10000, 1000, 9000, 0],
                "locaux": [0, 0, 0, 10000],
            }
        )
    )
    objectives = pd.DataFrame(
        {
            "Projet": ["jeunesse", "familles"],
            "Objectif": ["jeunes accompagnés", "familles accueillies"],
            "Cible": [40, 25],
            "Réalisé": [30, 25],
            "Enveloppe": [32000, 10000],
        }
    )
    d = management_dialogue(b, objectives, support=["locaux"])
    t = d.table
    assert t.at["jeunesse", "Charges (€)"] == 30000
    assert t.at["jeunesse", "Part des charges (%)"] == pytest.approx(60.0)  # 30 000 / 50 000
    assert t.at["jeunesse", "Résultat (€)"] == -4000
    assert t.at["jeunesse", "Coût par unité visée (€)"] == 750  # 30 000 / 40
    assert t.at["jeunesse", "Taux d'atteinte (%)"] == 75
    assert t.at["jeunesse", "Écart à l'enveloppe (€)"] == -2000
    s = [plain(x) for x in d.sentences]
    assert s[0] == (
        "« jeunesse » : 30 000 € de charges (60,0 % du budget), couvertes à 87 % par ses "
        "produits affectés (reste 4 000 € à financer par les ressources générales : à "
        "arbitrer) ; objectif : jeunes accompagnés (40), soit 750 € par unité visée, atteint à "
        "75 % ; reste 2 000 € sous l'enveloppe du CA."
    )
    assert "égal à l'enveloppe du CA" in s[1]
    assert "centre de support" in s[2] and "arbitrer" not in s[2]
    with pytest.raises(DataError, match="sport"):
        management_dialogue(b, objectives.assign(Projet=["jeunesse", "sport"]))
    with pytest.raises(MovscError):
        management_dialogue(b, support=["loc"])
