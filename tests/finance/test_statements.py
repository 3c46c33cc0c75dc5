"""Compte de résultat, bilan, SIG and CAF against hand-computed values.

The fixture association (tests/data/finance/999999999FEC2023/2024…) — entries of 2023:

    à-nouveaux: 2183 D 6 000, 28183 C 2 000, 5121 D 10 000, 4417 D 3 000,
                102 C 5 000, 110 C 8 000, 401 C 1 000, 431 C 1 500, 194 C 1 500
    cotisations 7561 1 200 (bank); Commune subsidy 745 30 000 (4417), 31 000 received;
    salaries 6411 20 000 paid; URSSAF 6451 8 000, 7 500 paid; supplies 6064 1 500 (401),
    suppliers paid 2 000; rent 6132 3 600; depreciation 6811 1 500; fonds dédiés used 7894
    1 000 and reported 6894 800; donations 75411 2 500; volunteering 864/875 4 000; interest
    768 100; bank fees 6278 50; user fees 706 3 000 (411), 2 500 received; prepaid rent 486 300.

2024: opening = closing 2023 with the result 2 650 in 120 (allocated to 110 in June); prepaid
rent reversed (6132 300); Commune 30 000, 25 000 received; cotisations 1 300; salaries 22 000;
URSSAF 8 800, 9 000 paid; rent 3 600; computer 2183 1 200 owed (404); depreciation 1 700;
fonds dédiés used 1 300; user fees 2 000, 2 500 received; volunteering 3 000; premises lent
861/871 500; supplies 6064 1 000 paid; suppliers paid 500.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from movsc_toolkit import datasets
from movsc_toolkit._errors import ComputationError, DataError
from movsc_toolkit.finance import (
    FEC_COLUMNS,
    balance_sheet,
    caf,
    chart_of_accounts,
    income_statement,
    read_fec,
    sig,
)

DATA = Path(__file__).parents[1] / "data" / "finance"


@pytest.fixture(scope="module")
def ledger():
    return read_fec(DATA)


@pytest.fixture(scope="module")
def centre():
    return datasets.load("centre_social_comptes")


def write_fec(path: Path, entries: list[tuple[str, str, list[tuple[str, float, float]]]]) -> Path:
    """A FEC from (number, date, [(account, debit, credit)]) written the regulatory way."""
    rows = ["\t".join(FEC_COLUMNS)]
    for num, date, moves in entries:
        for account, debit, credit in moves:
            amounts = [f"{debit:.2f}".replace(".", ","), f"{credit:.2f}".replace(".", ",")]
            rows.append(
                "\t".join(
                    [
                        "OD",
                        "Opérations diverses",
                        num,
                        date,
                        account,
                        "Compte",
                        "",
                        "",
                        "P",
                        date,
                        "Écriture",
                        *amounts,
                        "",
                        "",
                        date,
                        "",
                        "",
                    ]
                )
            )
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- compte de résultat


def test_income_statement_hand_values(ledger):
    cr = income_statement(ledger, 2023)
    assert cr.total_produits == pytest.approx(
        37_800
    )  # 1 200 + 30 000 + 1 000 + 2 500 + 100 + 3 000
    assert cr.total_charges == pytest.approx(
        35_150
    )  # 20 000 + 8 000 + 1 500 + 3 300 + 1 500 + 800 + 50
    assert cr.resultat == pytest.approx(2_650)
    assert cr.resultat_exploitation == pytest.approx(2_550)
    assert cr.resultat_financier == pytest.approx(100)
    t = cr.table
    assert t.loc["Cotisations", "N"] == 1_200
    assert t.loc["Concours publics et subventions d'exploitation", "N"] == 30_000
    assert t.loc["Dons manuels", "N"] == 2_500
    assert t.loc["Ventes de prestations de service (dont parrainages)", "N"] == 3_000
    assert t.loc["Utilisations des fonds dédiés", "N"] == 1_000
    assert t.loc["Autres achats et charges externes", "N"] == 4_850
    assert t.loc["Salaires et traitements", "N"] == 20_000
    assert t.loc["Charges sociales", "N"] == 8_000
    assert t.loc["Reports en fonds dédiés", "N"] == 800
    assert t.loc["Total des produits d'exploitation (I)", "N"] == 37_700
    assert t.loc["EXCÉDENT OU DÉFICIT", "N"] == 2_650
    assert t["N-1"].isna().all()  # 2022 not loaded
    assert cr.contributions_volontaires == cr.emplois_contributions_volontaires == 4_000
    assert "excédent de 2 650 €" in str(cr).replace("\u202f", " ").replace("\u00a0", " ")


def test_income_statement_with_previous_year_and_cvn_block(ledger):
    cr = income_statement(ledger)  # latest year: 2024
    assert cr.year == 2024 and cr.previous_year == 2023
    assert cr.resultat == pytest.approx(-2_800)  # 34 600 − 37 400
    t = cr.table
    assert t.loc["Cotisations", "N"] == 1_300 and t.loc["Cotisations", "N-1"] == 1_200
    assert t.loc["EXCÉDENT OU DÉFICIT", "N-1"] == 2_650
    assert t.loc["Bénévolat", "N"] == 3_000
    assert t.loc["Prestations en nature", "N"] == 500
    assert t.loc["Mises à disposition gratuite de biens", "N"] == 500
    assert t.loc["Personnel bénévole", "N"] == 3_000
    assert t.loc["Total des contributions volontaires en nature", "N"] == 3_500
    assert t.loc["Total des emplois des contributions volontaires en nature", "N"] == 3_500
    assert "déficit de 2 800 €" in str(cr).replace("\u202f", " ").replace("\u00a0", " ")


@pytest.fixture(scope="module")
def every_account(tmp_path_factory):
    """A line on every posting account (3 digits or more) of classes 1 to 7 of the chart,
    both sides, each balanced in 58, plus balanced contributions volontaires (864 / 875)."""
    chart = chart_of_accounts()
    accounts = [a for a in chart["Compte"] if a[0] in "1234567" and len(a) >= 3]
    moves = []
    for i, account in enumerate(accounts):
        amount = 1.0 + i % 7
        if i % 2:
            moves += [(account, amount, 0.0), ("58", 0.0, amount)]
        else:
            moves += [(account, 0.0, amount), ("58", amount, 0.0)]
    moves += [("864", 10.0, 0.0), ("875", 0.0, 10.0)]
    path = write_fec(
        tmp_path_factory.mktemp("chart") / "123456789FEC20241231.txt", [("1", "20240630", moves)]
    )
    return read_fec(path)


def test_every_income_and_charge_account_is_in_exactly_one_line(every_account):
    ledger = every_account
    cr = income_statement(ledger)
    # Σ over the detail lines = net balance of classes 6 and 7 (no account lost or doubled)
    assert cr.total_charges == pytest.approx(ledger.S("6"))
    assert cr.total_produits == pytest.approx(ledger.C("7"))
    assert cr.resultat == pytest.approx(ledger.C("6 7"))
    assert cr.contributions_volontaires == pytest.approx(ledger.C("87")) == 10
    assert cr.emplois_contributions_volontaires == pytest.approx(ledger.S("86")) == 10


def test_every_balance_sheet_account_is_in_exactly_one_line(every_account):
    bs = balance_sheet(every_account)
    assert bs.total_actif == pytest.approx(bs.total_passif)
    assert bs.resultat == pytest.approx(every_account.C("6 7"))


def test_unequal_86_87_is_named_in_the_error(tmp_path):
    path = write_fec(
        tmp_path / "123456789FEC20241231.txt",
        [("1", "20240101", [("864", 100, 0), ("875", 0, 80), ("5121", 0, 20)])],
    )
    with pytest.raises(ComputationError, match="86 et 87"):
        balance_sheet(read_fec(path))


def test_balance_sheet_hand_values(ledger):
    bs = balance_sheet(ledger, 2023)
    assert bs.total_actif == pytest.approx(19_450)  # 2 500 + 500 + 2 000 + 300 + 14 150
    assert bs.total_passif == pytest.approx(19_450)
    assert bs.fonds_propres == pytest.approx(15_650)  # 5 000 + 8 000 + 2 650
    assert bs.fonds_dedies == pytest.approx(1_300)  # 1 500 − 1 000 + 800
    assert bs.dettes == pytest.approx(2_500)  # 401 500 + 431 2 000
    assert bs.resultat == pytest.approx(2_650)
    t = bs.table
    assert t.loc[
        "Autres immobilisations corporelles", ["Brut", "Amortissements", "Net"]
    ].tolist() == [
        6_000,
        3_500,
        2_500,
    ]
    assert t.loc["Créances clients, usagers et comptes rattachés", "Net"] == 500
    assert t.loc["Autres créances", "Net"] == 2_000
    assert t.loc["Charges constatées d'avance", "Net"] == 300
    assert t.loc["Disponibilités", "Net"] == 14_150
    assert t.loc["Excédent ou déficit de l'exercice", "Net"] == 2_650
    assert t.loc["Dettes fiscales et sociales", "Net"] == 2_000
    # the grand total has its gross and amortisation columns too (no empty « NaN » cell)
    total = t.loc["TOTAL GÉNÉRAL DE L'ACTIF", ["Brut", "Amortissements", "Net"]].tolist()
    assert total == [22_950, 3_500, 19_450]  # 6 000 + 500 + 2 000 + 300 + 14 150; 3 500


def test_balance_sheet_latest_year_with_previous(ledger):
    bs = balance_sheet(ledger)
    assert bs.year == 2024
    assert bs.total_actif == pytest.approx(15_850)  # 2 000 + 7 000 + 6 850
    assert bs.fonds_propres == pytest.approx(12_850)  # 5 000 + 10 650 − 2 800
    t = bs.table
    assert t.loc["Excédent ou déficit de l'exercice", "Net"] == -2_800
    assert t.loc["Excédent ou déficit de l'exercice", "N-1"] == 2_650
    assert t.loc["Report à nouveau", "Net"] == 10_650
    assert t.loc["Dettes sur immobilisations et comptes rattachés", "Net"] == 1_200
    assert t.loc["TOTAL GÉNÉRAL DE L'ACTIF", "N-1"] == 19_450
    assert list(bs.passif.columns) == ["Bloc", "Net", "N-1", "Comptes"]


def test_overdraft_goes_to_the_liabilities(tmp_path):
    path = write_fec(
        tmp_path / "123456789FEC20241231.txt",
        [
            ("1", "20240101", [("2183", 5000, 0), ("5121", 0, 5000)]),
            ("2", "20240102", [("5122", 1000, 0), ("102", 0, 1000)]),
        ],
    )
    bs = balance_sheet(read_fec(path))
    t = bs.table
    assert t.loc["Disponibilités", "Net"] == 1_000  # the positive account only
    assert t.loc["Emprunts et dettes auprès des établissements de crédit", "Net"] == 5_000
    assert bs.total_actif == bs.total_passif == 6_000


def test_unbalanced_books_give_an_explicit_error(tmp_path):
    path = write_fec(
        tmp_path / "123456789FEC20241231.txt",
        [("1", "20240101", [("6064", 100, 0), ("5121", 0, 90)])],
    )
    with pytest.raises(ComputationError) as err:
        balance_sheet(read_fec(path))
    assert "n'est pas équilibré" in str(err.value) and "ledger.problems" in str(err.value)


# ---------------------------------------------------------------------------- SIG and CAF


def test_sig_association_variant(ledger):
    s = sig(ledger, 2023)
    assert s.valeur_ajoutee == pytest.approx(-1_850)  # 3 000 − 4 850
    assert s.ebe == pytest.approx(3_850)  # −1 850 + 30 000 + 2 500 + 1 200 − 28 000
    assert s.ebe_hors_tiers_financeurs == pytest.approx(-29_850)
    assert s.resultat_exploitation == pytest.approx(2_550)
    assert s.resultat == pytest.approx(2_650)
    assert "EBE serait négatif" in str(s)
    s24 = sig(ledger)
    assert s24.table.loc["Excédent brut d'exploitation (EBE)", "N-1"] == pytest.approx(3_850)


def test_caf_hand_values_both_methods(ledger):
    # 2023: 2 650 + 1 500 (6811) + 800 (6894) − 1 000 (7894)
    assert caf(ledger, 2023).value == pytest.approx(3_950)
    assert caf(ledger, 2023, method="soustractive").value == pytest.approx(3_950)
    # 2024: −2 800 + 1 700 − 1 300
    assert caf(ledger).value == pytest.approx(-2_400)
    assert caf(ledger, method="soustractive").value == pytest.approx(-2_400)
    assert caf(ledger).previous_value == pytest.approx(3_950)
    with pytest.raises(DataError, match="méthode de CAF inconnue"):
        caf(ledger, method="autre")


def test_caf_methods_agree_on_every_account(every_account):
    ledger = every_account
    assert caf(ledger).value == pytest.approx(caf(ledger, method="soustractive").value)
    assert sig(ledger).resultat == pytest.approx(income_statement(ledger).resultat)


def test_invariants_on_the_centre_social_dataset(centre):
    for year in centre.years:
        e = centre.entries[centre.entries["exercice"] == year]
        assert e["Debit"].sum() == pytest.approx(e["Credit"].sum())
        cr = income_statement(centre, year)
        bs = balance_sheet(centre, year)
        assert bs.total_actif == pytest.approx(bs.total_passif)
        assert bs.resultat == pytest.approx(cr.resultat)
        assert cr.contributions_volontaires == pytest.approx(cr.emplois_contributions_volontaires)
        assert caf(centre, year).value == pytest.approx(caf(centre, year, "soustractive").value)
        assert sig(centre, year).resultat == pytest.approx(cr.resultat)
    # the datasheet's figures
    assert [income_statement(centre, y).resultat for y in centre.years] == pytest.approx(
        [1_637.13, 5_373.81, -16_174.71], abs=0.01
    )


@pytest.mark.parametrize(
    "name", ["cas_club_sportif", "cas_dependance_financeur", "cas_structure_croissance"]
)
def test_invariants_on_the_case_studies(name):
    ledger = datasets.load(name)
    assert ledger.is_valid
    for year in ledger.years:
        cr = income_statement(ledger, year)
        bs = balance_sheet(ledger, year)
        assert bs.total_actif == pytest.approx(bs.total_passif)
        assert bs.resultat == pytest.approx(cr.resultat)
        assert caf(ledger, year).value == pytest.approx(caf(ledger, year, "soustractive").value)


def test_case_study_figures_of_the_datasheets():
    from movsc_toolkit.finance import indicators

    club = indicators(datasets.load("cas_club_sportif"))["Valeur"]
    assert (club["frng"], club["bfr"], club["tresorerie_nette"]) == (-43_850, -62_000, 18_150)
    dep = datasets.load("cas_dependance_financeur")
    assert indicators(dep, 2024).loc["tresorerie_nette", "Valeur"] == pytest.approx(-22_898.42)
    growth = indicators(datasets.load("cas_structure_croissance"), 2024)["Valeur"]
    assert growth["bfr"] == pytest.approx(484_158.09)
    assert growth["resultat"] > 0 > growth["tresorerie_nette"]


def test_plots(ledger):
    import matplotlib

    matplotlib.use("Agg")
    bs = balance_sheet(ledger, 2023)
    ax = bs.plot()
    heights = [round(p.get_height(), 2) for p in ax.patches]
    # actif: 2 500 immobilisé, 2 800 circulant (500 + 2 000 + 300), 14 150 trésorerie;
    # passif: 15 650 fonds propres, 1 300 fonds dédiés, 2 500 dettes
    assert heights == [2_500, 2_800, 14_150, 15_650, 1_300, 2_500]
    cr = income_statement(ledger, 2023)
    ax = cr.plot()
    widths = sorted(round(p.get_width()) for p in ax.patches)
    # the non-zero lines of 2023: 5 income lines + 100 financial, 5 charge lines
    assert widths == sorted([1_200, 3_000, 30_000, 2_500, 1_000, 100,
                             4_850, 20_000, 8_000, 1_500, 800])  # fmt: skip


def test_line_tables_are_data_files_read_once():
    """The layouts come from finance/data/statement_lines.csv (the ANC 2018-06 models: 48 lines
    of compte de résultat, 29 of actif, 26 of passif; 24 SIG items; 8 + 7 CAF items)."""
    from movsc_toolkit.finance import _statement_tables as tables

    counts = {name: len(tables.layout(name)) for name in tables.STATEMENTS}
    assert counts == {
        "compte_de_resultat": 48,
        "actif": 29,
        "passif": 26,
        "sig": 24,
        "caf_additive": 8,
        "caf_soustractive": 7,
    }
    assert tables.layout("actif") is tables.layout("actif")  # read once, cached
    for name in tables.STATEMENTS:
        for _block, label, sign, parts in tables.layout(name):
            terms = [term for part in parts.values() for term in part]
            assert terms and all(mode in {"D", "C", "D+", "C+"} for mode, _, _ in terms), label
            assert all(prefix.isdigit() for _, prefixes, _ in terms for prefix in prefixes)
            assert sign in ((1, -1) if name.startswith("caf") else (0,)), label
            if name == "actif":
                assert "brut" in parts, label
