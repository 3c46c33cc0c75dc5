"""Note de synthèse on small hand-made books (two FEC files read with read_fec)."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest

from movsc_toolkit._errors import DataError
from movsc_toolkit.finance import make_budget, read_conventions, read_fec
from movsc_toolkit.finance.report import synthesis_note

HEADER = (
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t"
    "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"
    "ValidDate\tMontantdevise\tIdevise"
)

# (journal, date, label, [(account, debit, credit)])
BOOKS = {
    2024: [
        ("AN", "20240101", "A nouveau", [("512", 20000, 0), ("2183", 10000, 0), ("102", 0, 30000)]),
        ("OD", "20240131", "Subvention Ville", [("4417", 30000, 0), ("7413", 0, 30000)]),
        ("BQ", "20240315", "Versement Ville", [("512", 30000, 0), ("4417", 0, 30000)]),
        ("OD", "20241231", "Salaires", [("6411", 24000, 0), ("421", 0, 24000)]),
        ("BQ", "20241231", "Paie", [("421", 24000, 0), ("512", 0, 24000)]),
        ("OD", "20241231", "URSSAF", [("6451", 10000, 0), ("431", 0, 10000)]),
        ("BQ", "20241231", "URSSAF", [("431", 10000, 0), ("512", 0, 10000)]),
        ("BQ", "20241231", "Ateliers", [("512", 8000, 0), ("706", 0, 8000)]),
        ("BQ", "20241231", "Loyer", [("6132", 6000, 0), ("512", 0, 6000)]),
        ("OD", "20241231", "Dotation", [("6811", 2000, 0), ("28183", 0, 2000)]),
        ("OD", "20241231", "Bénévolat", [("864", 5000, 0), ("875", 0, 5000)]),
    ],
    2025: [
        (
            "AN",
            "20250101",
            "A nouveau",
            [
                ("512", 18000, 0),
                ("2183", 10000, 0),
                ("119", 4000, 0),
                ("28183", 0, 2000),
                ("102", 0, 30000),
            ],
        ),
        ("OD", "20250131", "Subvention Ville", [("4417", 36000, 0), ("7413", 0, 36000)]),
        ("BQ", "20250315", "Versement Ville", [("512", 18000, 0), ("4417", 0, 18000)]),
        ("OD", "20251231", "Salaires", [("6411", 24000, 0), ("421", 0, 24000)]),
        ("BQ", "20251231", "Paie", [("421", 24000, 0), ("512", 0, 24000)]),
        ("OD", "20251231", "URSSAF", [("6451", 10000, 0), ("431", 0, 10000)]),
        ("BQ", "20251231", "URSSAF", [("431", 10000, 0), ("512", 0, 10000)]),
        ("BQ", "20251231", "Ateliers", [("512", 10000, 0), ("706", 0, 10000)]),
        ("BQ", "20251231", "Loyer", [("6132", 6000, 0), ("512", 0, 6000)]),
        ("OD", "20251231", "Dotation", [("6811", 2000, 0), ("28183", 0, 2000)]),
        ("OD", "20251231", "Bénévolat", [("864", 6000, 0), ("875", 0, 6000)]),
    ],
}


def _amount(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


@pytest.fixture
def ledger(tmp_path):
    paths = []
    for year, entries in BOOKS.items():
        lines = [HEADER]
        for num, (journal, date, label, moves) in enumerate(entries, start=1):
            for account, debit, credit in moves:
                lines.append(
                    "\t".join(
                        [
                            journal,
                            journal,
                            str(num),
                            date,
                            account,
                            f"Compte {account}",
                            "",
                            "",
                            f"P{num}",
                            date,
                            label,
                            _amount(debit),
                            _amount(credit),
                            "",
                            "",
                            date,
                            "",
                            "",
                        ]
                    )
                )
        path = tmp_path / f"123456789FEC{year}1231.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return read_fec(paths)


@pytest.fixture
def budget():
    return make_budget(
        {"641": 24000, "645": 10000, "613": 6000, "68": 2000, "74 Commune": 34000, "70": 8000},
        year=2025,
    )


@pytest.fixture
def conventions():
    return read_conventions(
        pd.DataFrame(
            {
                "Convention": ["V2025"],
                "Financeur": ["Ville de Talence"],
                "Libellé comptable": ["Ville"],
                "Montant accordé": [36000],
                "Début": ["01/01/2025"],
                "Fin": ["31/12/2025"],
                "Échéancier": ["01/03/2025 : 50 % ; 30/09/2025 : solde"],
            }
        )
    )


def test_note_numbers_and_sections(ledger, budget, conventions):
    note = synthesis_note(ledger, 2025, budget, conventions, association="Centre social Test")
    md = note.to_markdown()
    titles = [s.title for s in note.sections]
    assert titles == [
        "1. Situation de l'exercice",
        "2. Indicateurs clés",
        "3. Évolution 2024–2025",
        "4. Origine des ressources",
        "5. Budget prévisionnel et réalisé",
        "6. Financements et conventions",
        "7. Points de vigilance",
        "8. Conclusion",
    ]
    assert md.startswith("# Note de synthèse financière – exercice 2025 – Centre social Test")
    # résultat 2025 = 36 000 + 10 000 − (24 000 + 10 000 + 6 000 + 2 000) = 4 000 €
    assert "un excédent de 4\u202f000\u00a0€" in md
    assert "46\u202f000\u00a0€ de produits pour 42\u202f000\u00a0€ de charges" in md
    # 2024: 38 000 − 42 000 = −4 000 €
    assert "passe de −4\u202f000\u00a0€ à 4\u202f000\u00a0€" in md
    # FRNG 24 000 − BFR 18 000 = trésorerie 6 000
    assert "roulement (18\u202f000\u00a0€) donne la trésorerie nette (6\u202f000\u00a0€)" in md
    # public funding 36 000 / 46 000 = 78,3 % and subsidies paid in 182,5 days: vigilance
    assert any("78,3\u00a0%" in v for v in note.vigilance)
    assert any("183 jours" in v for v in note.vigilance)
    # budget: line 70 (+25 %) and the unplanned volunteering (86/87) flagged
    assert "3 ligne(s) présentent un écart significatif" in md
    # convention: the 18 000 € balance due on 30/09/2025 is late

    assert any("Ville de Talence" in v and "18\u202f000" in v for v in note.vigilance)
    assert set(note.figures) == {"equilibres", "tendances", "produits", "ecarts", "financeurs"}
    assert all(png.startswith(b"\x89PNG") for png in note.figures.values())
    assert "<h2>2. Indicateurs clés</h2>" in note._repr_html_()


def test_single_year_without_options(ledger):
    one = ledger.for_year(2024)
    note = synthesis_note(one)
    titles = [s.title for s in note.sections]
    assert "3. Évolution" not in " ".join(titles)
    assert titles[-2:] == ["4. Points de vigilance", "5. Conclusion"]
    assert any("déficitaire" in v for v in note.vigilance)


def test_exports(tmp_path, ledger, budget):
    note = synthesis_note(ledger, budget=budget)
    page = note.to_html(tmp_path / "note.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == len(note.figures)
    path = note.to_docx(tmp_path / "note.docx")
    from docx import Document

    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Points de vigilance" in text and "excédent de 4\u202f000" in text
    assert len(doc.tables) >= 2
    with zipfile.ZipFile(path) as archive:
        images = [n for n in archive.namelist() if n.startswith("word/media/")]
    assert len(images) == len(note.figures)


def test_bad_input():
    with pytest.raises(DataError, match="grand livre"):
        synthesis_note(pd.DataFrame())


def test_markdown_table_is_well_formed(ledger):
    md = synthesis_note(ledger).to_markdown()
    table = [line for line in md.splitlines() if line.startswith("| Indicateur")]
    assert table and table[0].count("|") == 4
