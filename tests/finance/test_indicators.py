"""Key indicators against values computed by hand from the fixture entries.

See the docstring of test_statements.py for the entries of the fixture association.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from movsc_toolkit import datasets
from movsc_toolkit._errors import ColumnError
from movsc_toolkit.finance import FEC_COLUMNS, indicator_trends, indicators, read_fec

DATA = Path(__file__).parents[1] / "data" / "finance"

ISSUE_IDS = [
    "resultat",
    "fonds_propres",
    "total_bilan",
    "frng",
    "bfr",
    "tresorerie_nette",
    "caf",
    "produits_exploitation",
    "charges_exploitation",
    "dependance_financements_publics",
    "poids_charges_personnel",
    "autonomie_financiere",
    "tresorerie_jours",
    "contributions_volontaires",
]
EXTRA_IDS = [
    "frng_jours",
    "bfr_jours",
    "part_ressources_propres",
    "delai_paiement_financeurs",
    "taux_valorisation_benevolat",
    "part_generosite_public",
    "duree_apparente_dette",
    "taux_vetuste",
]


@pytest.fixture(scope="module")
def ledger():
    return read_fec(DATA)


def test_columns_and_ids(ledger):
    ind = indicators(ledger, 2023)
    assert list(ind.columns) == ["Indicateur", "Valeur", "Unité", "Formule", "Repère", "Lecture"]
    assert list(ind.index) == ISSUE_IDS + EXTRA_IDS
    assert ind.index.name == "Code"  # a French header above the codes, not « id »
    assert set(ind["Unité"]) == {"€", "%", "jours", "années"}
    assert ind["Lecture"].str.len().gt(10).all()
    assert ind["Repère"].str.len().gt(10).all()


def test_hand_computed_values_2023(ledger):
    v = indicators(ledger, 2023)["Valeur"]
    assert v["resultat"] == pytest.approx(2_650)
    assert v["fonds_propres"] == pytest.approx(15_650)  # 5 000 + 8 000 + 2 650
    assert v["total_bilan"] == pytest.approx(19_450)
    # FRNG = 15 650 + 1 300 (194) − (6 000 − 3 500)
    assert v["frng"] == pytest.approx(14_450)
    # BFR = (411 500 + 4417 2 000 + 486 300) − (401 500 + 431 2 000)
    assert v["bfr"] == pytest.approx(300)
    assert v["tresorerie_nette"] == pytest.approx(14_150)
    assert v["caf"] == pytest.approx(3_950)
    assert v["produits_exploitation"] == pytest.approx(37_700)  # 36 700 (70–75) + 1 000 (789)
    assert v["charges_exploitation"] == pytest.approx(35_150)
    assert v["dependance_financements_publics"] == pytest.approx(30_000 / 37_700 * 100, abs=0.005)
    assert v["poids_charges_personnel"] == pytest.approx(28_000 / 35_150 * 100, abs=0.005)
    assert v["autonomie_financiere"] == pytest.approx(15_650 / 19_450 * 100, abs=0.005)
    # charges décaissables = 60–67 except 675 = 1 500 + 3 300 + 50 + 28 000 = 32 850
    assert v["tresorerie_jours"] == pytest.approx(14_150 / 32_850 * 365, abs=0.05)
    assert v["contributions_volontaires"] == pytest.approx(4_000)
    assert v["frng_jours"] == pytest.approx(14_450 / 32_850 * 365, abs=0.05)
    assert v["bfr_jours"] == pytest.approx(300 / 37_700 * 365, abs=0.05)
    # (706 3 000 + 756 1 200 + 754 2 500 + 76 100) / 37 700
    assert v["part_ressources_propres"] == pytest.approx(6_800 / 37_700 * 100, abs=0.005)
    assert v["delai_paiement_financeurs"] == pytest.approx(2_000 / 30_000 * 365, abs=0.05)
    assert v["taux_valorisation_benevolat"] == pytest.approx(4_000 / 41_800 * 100, abs=0.005)
    assert v["part_generosite_public"] == pytest.approx(2_500 / 37_800 * 100, abs=0.005)
    assert v["duree_apparente_dette"] == 0
    assert v["taux_vetuste"] == pytest.approx(3_500 / 6_000 * 100, abs=0.005)


def test_hand_computed_values_2024(ledger):
    ind = indicators(ledger)  # latest year
    v = ind["Valeur"]
    assert ind.attrs["exercice"] == 2024
    assert v["resultat"] == pytest.approx(-2_800)
    assert v["frng"] == pytest.approx(10_850)  # 12 850 − (7 200 − 5 200)
    assert v["bfr"] == pytest.approx(4_000)  # 7 000 − (404 1 200 + 431 1 800)
    assert v["tresorerie_nette"] == pytest.approx(6_850)
    assert v["caf"] == pytest.approx(-2_400)
    assert v["contributions_volontaires"] == pytest.approx(3_500)
    assert "Déficit de 2 800" in ind.loc["resultat", "Lecture"].replace("\u202f", " ").replace(
        "\u00a0", " "
    )
    assert "CAF négative" in ind.loc["caf", "Lecture"]


def write_fec(path: Path, moves: list[tuple[str, float, float]]) -> Path:
    rows = ["\t".join(FEC_COLUMNS)]
    for account, debit, credit in moves:
        d, c = f"{debit:.2f}".replace(".", ","), f"{credit:.2f}".replace(".", ",")
        rows.append(
            "\t".join(
                [
                    "OD",
                    "OD",
                    "1",
                    "20240301",
                    account,
                    "Compte",
                    "",
                    "",
                    "P",
                    "20240301",
                    "Écriture",
                    d,
                    c,
                    "",
                    "",
                    "20240301",
                    "",
                    "",
                ]
            )
        )
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_negative_frng_overdraft_and_debt(tmp_path):
    # a minibus (2182) of 20 000 bought with a 12 000 loan and an 8 000 overdraft; charges 6 000
    # paid by overdraft too, subsidy 5 000 received
    path = write_fec(
        tmp_path / "123456789FEC20241231.txt",
        [
            ("2182", 20_000, 0),
            ("164", 0, 12_000),
            ("5121", 0, 8_000),
            ("6061", 6_000, 0),
            ("5121", 0, 6_000),
            ("5121", 5_000, 0),
            ("74", 0, 5_000),
        ],
    )
    ind = indicators(read_fec(path))
    v = ind["Valeur"]
    # fonds propres = résultat −1 000; FRNG = −1 000 + 12 000 − 20 000
    assert v["frng"] == pytest.approx(-9_000)
    assert v["bfr"] == 0
    assert v["tresorerie_nette"] == pytest.approx(-9_000)
    assert v["tresorerie_jours"] == pytest.approx(-9_000 / 6_000 * 365, abs=0.05)
    assert "FRNG négatif" in ind.loc["frng", "Lecture"]
    assert "Trésorerie négative" in ind.loc["tresorerie_nette", "Lecture"]
    assert math.isnan(v["duree_apparente_dette"])  # CAF −1 000 ≤ 0
    assert "ne permet pas de rembourser" in ind.loc["duree_apparente_dette", "Lecture"]
    assert v["taux_valorisation_benevolat"] == 0
    assert v["dependance_financements_publics"] == pytest.approx(100)


def test_invariants_on_the_centre_social_dataset():
    ledger = datasets.load("centre_social_comptes")
    for year in ledger.years:
        v = indicators(ledger, year)["Valeur"]
        assert v["frng"] - v["bfr"] == pytest.approx(v["tresorerie_nette"], abs=0.01)
        assert v["contributions_volontaires"] == pytest.approx(ledger.C("87", year))
        assert v["resultat"] == pytest.approx(ledger.C("6 7", year))
        e = ledger.entries[ledger.entries["exercice"] == year]
        assert e["Debit"].sum() == pytest.approx(e["Credit"].sum())


def test_trends(ledger):
    t = indicator_trends(ledger)
    assert list(t.columns) == ["Indicateur", "Unité", "2023", "2024", "Évolution", "Tendance"]
    assert t.index.name == "Code"
    assert t.loc["resultat", "Évolution"] == pytest.approx(-5_450)
    assert t.loc["resultat", "Tendance"] == "baisse"
    assert t.loc["bfr", "Tendance"] == "hausse"
    assert t.loc["duree_apparente_dette", "Tendance"] == "stable"
    only = indicator_trends(ledger, codes=["frng", "caf"])
    assert list(only.index) == ["frng", "caf"]
    with pytest.raises(ColumnError, match="indicateur « frgn »"):
        indicator_trends(ledger, codes=["frgn"])


def test_plot_trends(ledger):
    import matplotlib

    matplotlib.use("Agg")
    from movsc_toolkit.finance import plot_trends

    ax = plot_trends(ledger)
    assert len(ax.patches) == 6  # 3 indicators × 2 years
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2023", "2024"]
    heights = sorted(round(p.get_height()) for p in ax.patches)
    assert heights == sorted([14_450, 10_850, 300, 4_000, 14_150, 6_850])
    ax2 = plot_trends(indicator_trends(ledger), codes=["dependance_financements_publics"])
    assert len(ax2.patches) == 2
    with pytest.raises(ColumnError):
        plot_trends(indicator_trends(ledger, codes=["frng"]), codes=["bfr"])


def test_public_funding_benchmark_is_sector_aware(ledger):
    """No generic 50 % threshold: the average of associations (44 %, Tchernonog & Prouteau
    2019) by default, the sector's own benchmark (SENACS) for a centre social."""
    from movsc_toolkit._errors import DataError

    generic = indicators(ledger, 2024)
    row = generic.loc["dependance_financements_publics"]
    assert "50 %" not in row["Repère"] and "association1901" not in row["Repère"]
    assert "Tchernonog" in row["Repère"] and "44 %" in row["Repère"]
    assert "Tchernonog" in row["Lecture"]
    social = indicators(ledger, 2024, sector="centre social")
    assert social.attrs["secteur"] == "centre_social"
    row = social.loc["dependance_financements_publics"]
    assert "SENACS" in row["Repère"] and "SENACS" in row["Lecture"]
    assert row["Valeur"] == generic.loc["dependance_financements_publics", "Valeur"]
    assert "50 %" not in social.loc["poids_charges_personnel", "Lecture"].split("générique")[0]
    assert (
        "repère générique de 50 % ne s'applique pas"
        in social.loc["poids_charges_personnel", "Lecture"]
    )
    # no higher-education data portal cited as a source
    assert not generic["Repère"].str.contains("dataESR").any()
    with pytest.raises(DataError, match="secteur « crèche » inconnu"):
        indicators(ledger, 2024, sector="crèche")


def test_synthesis_note_uses_the_sector_benchmark():
    from movsc_toolkit.finance import synthesis_note

    ledger = datasets.load("centre_social_comptes")
    text = synthesis_note(ledger, 2024, sector="centre_social").to_markdown()
    assert "repère de risque : 50 %" not in text
    assert "SENACS" in text
