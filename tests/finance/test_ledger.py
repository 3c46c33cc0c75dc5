"""read_fec / read_balance / Ledger: every line kept, every deviation reported in French.

The fixtures ``tests/data/finance/999999999FEC2023*.txt`` and ``…2024…`` are a small association
written by hand (see the comments of test_statements.py for the entries); the expected totals
below are added up by hand from those entries.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from movsc_toolkit._errors import ColumnError, DataError, EncodingError, FileError, FormatError
from movsc_toolkit.finance import FEC_COLUMNS, Ledger, read_balance, read_fec

DATA = Path(__file__).parents[1] / "data" / "finance"
FEC23 = DATA / "999999999FEC20231231.txt"
FEC24 = DATA / "999999999FEC20241231.txt"
HEADER = "\t".join(FEC_COLUMNS)


def line(num, date, account, debit, credit, *, lib="Libellé", piece="P1", journal="OD"):
    fields = [journal, "Opérations diverses", str(num), date, account, "Compte", "", ""]
    fields += [piece, date, lib, debit, credit, "", "", date, "", ""]
    return "\t".join(fields)


def write(tmp_path: Path, name: str, lines: list[str], encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


# ---------------------------------------------------------------------------- contract


def test_entries_keep_every_line_with_fec_columns_and_types():
    ledger = read_fec(FEC23)
    e = ledger.entries
    assert len(e) == 49  # 49 lines after the header, counted in the file
    assert list(e.columns[:18]) == FEC_COLUMNS
    assert {"ligne", "exercice", "analytique", "fichier"} <= set(e.columns)
    assert e["ligne"].tolist() == list(range(2, 51))
    assert pd.api.types.is_datetime64_any_dtype(e["EcritureDate"])
    assert e["Debit"].dtype == "float64" and e["Credit"].dtype == "float64"
    assert e["CompteNum"].map(type).eq(str).all()
    assert ledger.years == [2023]
    assert ledger.problems.empty
    assert list(ledger.problems.columns[:6]) == [
        "fichier",
        "ligne",
        "colonne",
        "valeur",
        "gravité",
        "message",
    ]
    assert ledger.is_valid


def test_total_debit_equals_total_credit_hand_computed():
    ledger = read_fec(FEC23)
    # Σ of the debit column of the 2023 fixture, added up by hand entry by entry
    assert ledger.entries["Debit"].sum() == pytest.approx(159_550.00)
    assert ledger.entries["Credit"].sum() == pytest.approx(159_550.00)
    totals = ledger.totals()
    assert totals.loc[2023, "Écart"] == 0


def test_balance_and_S_helpers():
    ledger = read_fec([FEC23, FEC24])
    assert ledger.years == [2023, 2024]
    bal = ledger.balance(2023).set_index("CompteNum")
    # bank 2023: 10 000 + 1 200 + 31 000 − 20 000 − 7 500 − 2 000 − 3 600 + 2 500 + 100 − 50 + 2 500
    assert bal.loc["5121", "Solde"] == pytest.approx(14_150)
    assert bal.loc["6132", "Debit"] == 3_600 and bal.loc["6132", "Credit"] == 300
    assert ledger.S("6", 2023) == pytest.approx(35_150)
    assert ledger.C("7", 2023) == pytest.approx(37_800)
    assert ledger.S("60 61 62", 2023) == pytest.approx(4_850)  # 1 500 + 3 300 + 50
    assert ledger.S(["64"], 2023) == pytest.approx(28_000)
    assert ledger.C("7", 2023, exclude="789") == pytest.approx(36_800)
    # latest year by default
    assert ledger.S("5121") == pytest.approx(6_850)
    # D⁺ / C⁺: 4417 debit 7 000; 404 and 431 credit 1 200 + 1 800 in 2024
    assert ledger.debit_balances("4", 2024) == pytest.approx(7_000)
    assert ledger.credit_balances("4", 2024) == pytest.approx(3_000)
    assert ledger.previous_year(2024) == 2023 and ledger.previous_year(2023) is None


def test_folder_list_and_concat_agree():
    a = read_fec(DATA)
    b = read_fec([FEC23, FEC24])
    c = Ledger.concat([read_fec(FEC23), read_fec(FEC24)])
    for other in (b, c):
        pd.testing.assert_frame_equal(a.entries, other.entries)
    with pytest.raises(DataError, match="2023 apparaît deux fois"):
        Ledger.concat([read_fec(FEC23), read_fec(FEC23)])


def test_unknown_year_is_a_french_error():
    with pytest.raises(DataError, match="l'exercice 2019 n'est pas dans le grand livre"):
        read_fec(FEC23).balance(2019)


def test_year_from_dates_when_name_is_not_standard(tmp_path):
    path = write(
        tmp_path,
        "export.txt",
        [
            HEADER,
            line(1, "20220301", "6064", "10,00", "0,00"),
            line(1, "20220301", "5121", "0,00", "10,00"),
        ],
    )
    assert read_fec(path).years == [2022]
    assert read_fec(path, year=2021).years == [2021]


# ---------------------------------------------------------------------------- problems


def test_each_kind_of_problem_is_reported_with_its_line(tmp_path):
    lines = [
        HEADER,
        line(1, "20240105", "6064000", "100.50", "0,00"),  # line 2: decimal point
        line(1, "20240105", "5120000", "0,00", "100,50"),  # line 3
        line(2, "20241345", "6064000", "10,00", "0,00"),  # line 4: invalid date
        line(2, "20240110", "5120000", "0,00", "10,00", piece=""),  # line 5: no PieceRef
        line(3, "20240110", "9990000", "5,00", "0,00"),  # line 6: unknown account
        line(3, "20240110", "5120000", "3,00", "5,00"),  # line 7: debit and credit
        line(4, "20240111", "6064000", "12,00", "0,00"),  # line 8: entry 4 unbalanced
        line(4, "20240111", "5120000", "0,00", "11,00"),  # line 9
        line(5, "20240112", "6064000", "abc", "0,00"),  # line 10: unreadable amount
        line(5, "20240112", "5120000", "0,00", "0,00"),  # line 11: no amount
    ]
    ledger = read_fec(write(tmp_path, "123456789FEC20241231.txt", lines))
    assert len(ledger.entries) == 10  # nothing dropped
    p = ledger.problems

    def find(ligne, colonne):
        rows = p[(p["ligne"] == ligne) & (p["colonne"] == colonne)]
        assert len(rows) >= 1, (ligne, colonne, p)
        return rows.iloc[0]

    point = find(2, "Debit")
    assert "point décimal" in point["message"] and point["valeur"] == "100.50"
    assert ledger.entries.loc[0, "Debit"] == pytest.approx(100.50)  # still read
    assert "date invalide" in find(4, "EcritureDate")["message"]
    assert pd.isna(ledger.entries.loc[2, "EcritureDate"])
    assert "PieceRef" in find(5, "PieceRef")["message"]
    assert "compte inconnu" in find(6, "CompteNum")["message"]
    assert "à la fois un débit et un crédit" in find(7, "Debit")["message"]
    unbalanced = p[p["colonne"] == "EcritureNum"]
    # entry 5 (unreadable amount counted as 0, then no amount) is balanced at 0 = 0
    assert set(unbalanced["valeur"]) == {"3", "4"}
    msg4 = unbalanced.loc[unbalanced["valeur"] == "4", "message"].iloc[0]
    assert "« 4 »" in msg4 and "1,00" in msg4 and unbalanced["ligne"].min() == 6
    assert "illisible" in find(10, "Debit")["message"]
    assert "sans montant" in find(11, "Debit")["message"]
    assert not ledger.is_valid
    assert "erreur" in str(ledger)


def test_date_outside_the_year_and_validation_before_posting(tmp_path):
    bad_valid = line(1, "20240110", "5120000", "0,00", "10,00").split("\t")
    bad_valid[15] = "20240101"
    lines = [HEADER, line(1, "20230110", "6064000", "10,00", "0,00"), "\t".join(bad_valid)]
    p = read_fec(write(tmp_path, "123456789FEC20241231.txt", lines)).problems
    assert "en dehors de l'exercice 2024" in p.loc[p["ligne"] == 2, "message"].iloc[0]
    assert "validation précède" in p.loc[p["ligne"] == 3, "message"].iloc[0]


def test_montant_sens_variant_pipe_and_latin9_give_the_same_books(tmp_path):
    text = FEC23.read_text(encoding="utf-8").splitlines()
    header = text[0].split("\t")
    i_d, i_c = header.index("Debit"), header.index("Credit")
    out = ["|".join([*header[:i_d], "Montant", "Sens", *header[i_c + 1 :]])]
    for row in text[1:]:
        f = row.split("\t")
        debit = f[i_d] != "0,00"
        out.append(
            "|".join([*f[:i_d], f[i_d] if debit else f[i_c], "D" if debit else "C", *f[i_c + 1 :]])
        )
    path = write(tmp_path, "999999999FEC20231231.txt", out, encoding="iso-8859-15")
    variant = read_fec(path)
    reference = read_fec(FEC23)
    assert variant.problems.empty
    pd.testing.assert_frame_equal(variant.balance(2023), reference.balance(2023))
    assert variant.entries["CompteLib"].str.contains("é").any()  # accents decoded


def test_bad_sens_is_reported(tmp_path):
    header = HEADER.replace("Debit\tCredit", "Montant\tSens")
    row = line(1, "20240105", "6064", "10,00", "X")
    path = write(tmp_path, "123456789FEC20241231.txt", [header, row])
    p = read_fec(path).problems
    assert "sens invalide" in p.loc[p["colonne"] == "Sens", "message"].iloc[0]


def test_semicolon_separator_is_read_but_reported(tmp_path):
    lines = [r.replace("\t", ";") for r in FEC23.read_text(encoding="utf-8").splitlines()]
    ledger = read_fec(write(tmp_path, "999999999FEC20231231.txt", lines))
    assert ledger.S("5121") == pytest.approx(14_150)
    assert ledger.problems["message"].str.contains("point-virgule").any()


def test_header_case_deviation_is_reported(tmp_path):
    lines = FEC23.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("Montantdevise", "MontantDevise")
    p = read_fec(write(tmp_path, "999999999FEC20231231.txt", lines)).problems
    assert p.loc[0, "ligne"] == 1 and "« Montantdevise »" in p.loc[0, "message"]


def test_line_with_too_many_fields_is_kept_and_reported(tmp_path):
    lines = FEC23.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3] + "\tdébordement"
    ledger = read_fec(write(tmp_path, "999999999FEC20231231.txt", lines))
    assert len(ledger.entries) == 49
    p = ledger.problems
    assert "19 champs" in p.loc[p["ligne"] == 4, "message"].iloc[0]


def test_blank_lines_do_not_shift_line_numbers(tmp_path):
    lines = FEC23.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "")
    ledger = read_fec(write(tmp_path, "999999999FEC20231231.txt", lines))
    assert len(ledger.entries) == 49
    assert ledger.entries["ligne"].tolist()[:3] == [2, 4, 5]


# ---------------------------------------------------------------------------- unreadable files


def test_not_a_fec_wrong_separator(tmp_path):
    path = write(tmp_path, "compta.csv", ["Compte,Libellé,Montant", "512,Banque,10"])
    with pytest.raises(FormatError) as err:
        read_fec(path)
    text = str(err.value)
    assert "compta.csv" in text and "virgule" in text and "read_balance" in text


def test_utf16_is_refused(tmp_path):
    path = tmp_path / "999999999FEC20231231.txt"
    path.write_bytes(FEC23.read_text(encoding="utf-8").encode("utf-16"))
    with pytest.raises(EncodingError, match="UTF-16"):
        read_fec(path)


def test_missing_columns_are_named(tmp_path):
    lines = [r.split("\t") for r in FEC23.read_text(encoding="utf-8").splitlines()]
    kept = [i for i, name in enumerate(lines[0]) if name not in {"PieceRef", "ValidDate"}]
    path = write(
        tmp_path, "999999999FEC20231231.txt", ["\t".join(r[i] for i in kept) for r in lines]
    )
    with pytest.raises(ColumnError) as err:
        read_fec(path)
    assert "« PieceRef »" in str(err.value) and "« ValidDate »" in str(err.value)
    assert "999999999FEC20231231.txt" in str(err.value)


def test_missing_file_and_empty_folder(tmp_path):
    with pytest.raises(FileError, match="introuvable"):
        read_fec(tmp_path / "absent.txt")
    with pytest.raises(FileError, match="aucun fichier FEC"):
        read_fec(tmp_path)


# ---------------------------------------------------------------------------- analytics


def test_analytic_extra_column_is_detected(tmp_path):
    lines = FEC23.read_text(encoding="utf-8").splitlines()
    lines[0] += "\tAnalytique"
    lines[1:] = [r + ("\tjeunesse" if "\t6" in r else "\t") for r in lines[1:]]
    ledger = read_fec(write(tmp_path, "999999999FEC20231231.txt", lines))
    by = ledger.by_analytic(2023)
    assert by.loc["jeunesse", "Charges"] == pytest.approx(35_150)
    assert by.loc["(sans code)", "Produits"] == pytest.approx(37_800)
    assert by.loc["Total", "Résultat"] == pytest.approx(2_650)


def test_analytic_mapping_by_account_and_label():
    ledger = read_fec(FEC23, analytic={"64": "personnel", "6451": "social", "loyer": "locaux"})
    e = ledger.entries
    assert set(e.loc[e["CompteNum"] == "6411", "analytique"]) == {"personnel"}
    assert set(e.loc[e["CompteNum"] == "6451", "analytique"]) == {"social"}  # longest wins
    assert set(e.loc[e["EcritureLib"] == "Loyer", "analytique"]) == {"locaux"}
    later = read_fec(FEC23).with_analytic({"7": "produits"})
    assert later.by_analytic(2023).loc["produits", "Produits"] == pytest.approx(37_800)


def test_unknown_analytic_column(tmp_path):
    with pytest.raises(ColumnError, match="analytique « Projet »"):
        read_fec(FEC23, analytic="Projet")


# ---------------------------------------------------------------------------- trial balance


def _closing_2023_rows():
    # closing balances of the 2023 fixture, computed by hand (see test_statements.py)
    return [
        ("102", "Fonds propres", 0, 5000),
        ("110", "Report à nouveau", 0, 8000),
        ("194", "Fonds dédiés", 0, 1300),
        ("2183", "Matériel", 6000, 0),
        ("28183", "Amortissements", 0, 3500),
        ("401", "Fournisseurs", 0, 500),
        ("411", "Usagers", 500, 0),
        ("431", "URSSAF", 0, 2000),
        ("4417", "Subventions à recevoir", 2000, 0),
        ("486", "Charges constatées d'avance", 300, 0),
        ("5121", "Banque", 14150, 0),
        ("6", "Charges", 35150, 0),
        ("7", "Produits", 0, 37800),
    ]


def test_read_balance_csv(tmp_path):
    rows = ["N° de compte;Intitulé;Solde débiteur;Solde créditeur"]
    rows += [
        f"{a};{lib};{d:.2f};{c:.2f}".replace(".", ",") for a, lib, d, c in _closing_2023_rows()
    ]
    rows.append(";Total;57 950,00;58 100,00")  # a total row without account: reported, not counted
    path = write(tmp_path, "balance_2023.csv", rows)
    ledger = read_balance(path)
    assert ledger.years == [2023]
    assert len(ledger.entries) == 13
    assert ledger.S("5121") == pytest.approx(14_150)
    assert ledger.C("6 7") == pytest.approx(2_650)
    assert "sans numéro de compte" in ledger.problems["message"].iloc[0]
    assert ledger.entries["ligne"].tolist()[0] == 2


def test_read_balance_xlsx_signed_balance(tmp_path):
    df = pd.DataFrame(
        [(a, lib, d - c) for a, lib, d, c in _closing_2023_rows()],
        columns=["Compte", "Libellé", "Solde"],
    )
    path = tmp_path / "balance.xlsx"
    df.to_excel(path, index=False)
    ledger = read_balance(path, year=2023)
    assert ledger.S("4") == pytest.approx(300)  # 500 + 2 000 + 300 − 500 − 2 000
    assert ledger.problems.empty
    with pytest.raises(DataError, match="year=2024"):
        read_balance(path)


def test_read_balance_without_amount_columns(tmp_path):
    path = write(tmp_path, "balance_2023.csv", ["Compte;Libellé;Montant", "512;Banque;10"])
    with pytest.raises(ColumnError, match="ni colonnes « Débit » et « Crédit »"):
        read_balance(path)


def test_bom_crlf_and_quoted_fields_are_tolerated(tmp_path):
    text = FEC23.read_text(encoding="utf-8")
    crlf = tmp_path / "a" / "999999999FEC20231231.txt"
    crlf.parent.mkdir()
    crlf.write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
    quoted = tmp_path / "b" / "999999999FEC20231231.txt"
    quoted.parent.mkdir()
    rows = ["\t".join(f'"{x}"' for x in r.split("\t")) for r in text.splitlines()]
    quoted.write_text("\n".join(rows) + "\n", encoding="utf-8")
    reference = read_fec(FEC23)
    for path in (crlf, quoted):
        ledger = read_fec(path)
        assert ledger.problems.empty
        assert ledger.entries["Idevise"].eq("").all()
        pd.testing.assert_frame_equal(ledger.balance(2023), reference.balance(2023))


def test_trailing_separator_on_every_line(tmp_path):
    lines = [r + "\t" for r in FEC23.read_text(encoding="utf-8").splitlines()]
    ledger = read_fec(write(tmp_path, "999999999FEC20231231.txt", lines))
    assert ledger.problems.empty
    assert list(ledger.entries.columns[:18]) == FEC_COLUMNS
    assert ledger.S("5121") == pytest.approx(14_150)


def test_fields_out_of_order_are_read_by_name_and_reported(tmp_path):
    rows = [r.split("\t") for r in FEC23.read_text(encoding="utf-8").splitlines()]
    swapped = ["\t".join([r[1], r[0], *r[2:]]) for r in rows]  # JournalLib before JournalCode
    ledger = read_fec(write(tmp_path, "999999999FEC20231231.txt", swapped))
    assert "ordre réglementaire" in ledger.problems.loc[0, "message"]
    assert set(ledger.entries["JournalCode"]) == {"AN", "BQ", "OD"}
    assert ledger.S("5121") == pytest.approx(14_150)


def test_entry_with_two_dates_or_two_journals_is_reported(tmp_path):
    lines = [
        HEADER,
        line(1, "20240105", "6064", "10,00", "0,00"),
        line(1, "20240106", "5121", "0,00", "10,00"),  # line 3: another date
        line(2, "20240107", "6064", "5,00", "0,00"),
        line(2, "20240107", "5121", "0,00", "5,00", journal="BQ"),  # line 5: another journal
    ]
    p = read_fec(write(tmp_path, "123456789FEC20241231.txt", lines)).problems
    assert p[["ligne", "colonne"]].values.tolist() == [[3, "EcritureDate"], [5, "JournalCode"]]
    assert "même date" in p.loc[0, "message"] and "même journal" in p.loc[1, "message"]


def test_read_balance_numeric_account_cells_and_movements(tmp_path):
    df = pd.DataFrame(
        {
            "Compte": [512000, 706000, 6064000],  # numbers in Excel cells
            "Libellé": ["Banque", "Prestations", "Fournitures"],
            "Total débit": [1_000.0, 0.0, 250.0],
            "Total crédit": [250.0, 1_000.0, 0.0],
        }
    )
    path = tmp_path / "balance générale 2024.xlsx"
    df.to_excel(path, index=False)
    ledger = read_balance(path)
    assert ledger.years == [2024]
    assert ledger.entries["CompteNum"].tolist() == ["512000", "706000", "6064000"]
    assert ledger.S("512") == pytest.approx(750)
    assert ledger.C("6 7") == pytest.approx(750)  # 1 000 of income − 250 of charges


def test_comma_separated_fec_is_refused_with_the_fix(tmp_path):
    # a comma separator collides with the decimal comma of the amounts (25,00 → two fields)
    lines = [r.replace("\t", ",") for r in FEC23.read_text(encoding="utf-8").splitlines()]
    path = write(tmp_path, "999999999FEC20231231.txt", lines)
    with pytest.raises(FormatError) as err:
        read_fec(path)
    text = str(err.value)
    assert "999999999FEC20231231.txt" in text and "ligne 1" in text
    assert "séparés par des virgules" in text and "tabulation ou « | »" in text
    assert "réexportez le FEC" in text
    assert "le virgule" not in text


def test_separator_names_have_the_right_article(tmp_path):
    lines = [r.replace("\t", ";") for r in FEC23.read_text(encoding="utf-8").splitlines()]
    messages = " ".join(
        read_fec(write(tmp_path, "999999999FEC20231231.txt", lines)).problems["message"]
    )
    assert "le séparateur est le point-virgule" in messages
    path = write(tmp_path, "compta.txt", ["Compte,Libellé,Montant", "512,Banque,10"])
    with pytest.raises(FormatError, match="est la virgule"):
        read_fec(path)


@pytest.mark.parametrize(
    ("suffix", "engine", "kind"),
    [(".xlsx", "openpyxl", "classeur Excel"), (".ods", "odf", "classeur LibreOffice Calc")],
)
def test_workbook_is_not_a_fec(tmp_path, suffix, engine, kind):
    path = tmp_path / f"999999999FEC20231231{suffix}"
    pd.DataFrame({"Compte": ["512"], "Solde": [10.0]}).to_excel(path, index=False, engine=engine)
    with pytest.raises(FormatError) as err:
        read_fec(path)
    text = str(err.value)
    assert kind in text and "pas un FEC" in text and "exportez le FEC" in text
    assert "UTF-16" not in text


def test_old_xls_and_zip_archive_are_not_a_fec(tmp_path):
    xls = tmp_path / "999999999FEC20231231.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(FormatError, match=r"classeur Excel \(\.xls\)"):
        read_fec(xls)
    import zipfile

    archive = tmp_path / "999999999FEC20231231.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(FEC23, FEC23.name)
    with pytest.raises(FormatError, match="décompressez"):
        read_fec(archive)


def test_unreadable_amount_gives_one_message(tmp_path):
    lines = [
        HEADER,
        line(1, "20240112", "6064000", "1 0a,00", "0,00"),  # line 2: unreadable amount
        line(1, "20240112", "5120000", "0,00", "0,00"),  # line 3: no amount
    ]
    p = read_fec(write(tmp_path, "123456789FEC20241231.txt", lines)).problems
    assert p.loc[p["ligne"] == 2, "message"].tolist() == [
        "montant illisible, compté pour 0 : corrigez-le dans le logiciel comptable."
    ]
    assert p.loc[p["ligne"] == 3, "message"].str.contains("sans montant").all()


def test_montant_sens_problems_name_the_montant_column(tmp_path):
    header = HEADER.replace("Debit\tCredit", "Montant\tSens")
    lines = [
        header,
        line(1, "20240105", "6064", "1 0a,00", "D"),  # line 2: unreadable amount
        line(1, "20240105", "5121", "0,00", "C"),  # line 3: no amount
        line(2, "20240105", "6064", "10,00", "X"),  # line 4: invalid Sens
    ]
    p = read_fec(write(tmp_path, "123456789FEC20241231.txt", lines)).problems
    assert "Debit" not in set(p["colonne"]) and "Credit" not in set(p["colonne"])
    assert p.loc[p["ligne"] == 2, "colonne"].tolist() == ["Montant"]
    assert p.loc[p["ligne"] == 3, ["colonne", "valeur"]].values.tolist() == [["Montant", "0,00"]]
    assert p.loc[p["ligne"] == 4, "colonne"].tolist() == ["Sens"]


# ---------------------------------------------------------------------------- issue 9: real exports


def test_trailing_tab_on_data_lines_only_is_read_and_reported_once(tmp_path):
    rows = FEC23.read_text(encoding="utf-8").splitlines()
    lines = [rows[0]] + [r + "\t" for r in rows[1:]]  # not on the header
    ledger = read_fec(write(tmp_path, "999999999FEC20231231.txt", lines))
    reference = read_fec(FEC23)
    pd.testing.assert_frame_equal(ledger.balance(2023), reference.balance(2023))
    assert list(ledger.entries.columns[:18]) == FEC_COLUMNS
    assert ledger.entries["JournalCode"].tolist() == reference.entries["JournalCode"].tolist()
    p = ledger.problems
    assert len(p) == 1 and p.loc[0, "ligne"] == 1 and p.loc[0, "gravité"] == "alerte"
    assert "49 ligne(s) se terminent par la tabulation de trop" in p.loc[0, "message"]


def test_one_data_line_with_a_trailing_tab_among_others(tmp_path):
    rows = FEC23.read_text(encoding="utf-8").splitlines()
    rows[5] += "\t"
    ledger = read_fec(write(tmp_path, "999999999FEC20231231.txt", rows))
    assert ledger.S("5121") == pytest.approx(14_150)
    assert "1 ligne(s) se terminent" in ledger.problems.loc[0, "message"]


def test_one_field_too_many_on_the_header(tmp_path):
    rows = FEC23.read_text(encoding="utf-8").splitlines()
    rows[0] += "\tAnalytique"  # named in the header, absent from every line
    ledger = read_fec(write(tmp_path, "999999999FEC20231231.txt", rows))
    pd.testing.assert_frame_equal(ledger.balance(2023), read_fec(FEC23).balance(2023))
    p = ledger.problems
    assert len(p) == 1 and p.loc[0, "ligne"] == 1 and p.loc[0, "colonne"] == "Analytique"
    assert "19 champs mais chaque ligne en a 18" in p.loc[0, "message"]


def test_short_line_is_reported_not_silently_padded(tmp_path):
    rows = FEC23.read_text(encoding="utf-8").splitlines()
    rows[3] = "\t".join(rows[3].split("\t")[:17])  # Idevise missing on line 4
    p = read_fec(write(tmp_path, "999999999FEC20231231.txt", rows)).problems
    row = p[p["ligne"] == 4].iloc[0]
    assert row["gravité"] == "erreur" and "17 champs alors que l'en-tête en a 18" in row["message"]


def test_whitespace_only_optional_fields_are_empty(tmp_path):
    rows = [r.split("\t") for r in FEC23.read_text(encoding="utf-8").splitlines()]
    for r in rows[1:]:  # fixed-width export: optional fields padded with spaces
        r[6], r[7], r[13], r[14], r[16], r[17] = " " * 17, " " * 30, "   ", " " * 8, "  ", "   "
    ledger = read_fec(write(tmp_path, "999999999FEC20231231.txt", ["\t".join(r) for r in rows]))
    assert ledger.problems.empty, ledger.problems
    e = ledger.entries
    assert e["EcritureLet"].eq("").all() and e["CompAuxNum"].eq("").all()
    assert e["DateLet"].isna().all()
    pd.testing.assert_frame_equal(ledger.balance(2023), read_fec(FEC23).balance(2023))


def test_entry_pasted_twice_is_reported(tmp_path):
    rows = FEC23.read_text(encoding="utf-8").splitlines()
    pasted = rows + rows[10:12]  # lines 11-12 (entry 2, checked below) pasted at the end
    assert [r.split("\t")[2] for r in rows[9:13]] == ["1", "2", "2", "3"]
    ledger = read_fec(write(tmp_path, "999999999FEC20231231.txt", pasted))
    assert len(ledger.entries) == 51  # kept, but reported
    p = ledger.problems
    assert len(p) == 1 and p.loc[0, "ligne"] == 51 and p.loc[0, "gravité"] == "alerte"
    assert "les lignes 51 à 52 répètent les lignes 11 à 12" in p.loc[0, "message"]
    assert read_fec(FEC23).problems.empty  # identical lines inside one entry: no alert


def test_identical_lines_of_different_entries_are_not_duplicates(tmp_path):
    lines = [
        HEADER,
        line(1, "20240105", "6064", "10,00", "0,00"),
        line(1, "20240105", "5121", "0,00", "10,00"),
        line(2, "20240105", "6064", "10,00", "0,00"),
        line(2, "20240105", "5121", "0,00", "10,00"),
    ]
    assert read_fec(write(tmp_path, "123456789FEC20241231.txt", lines)).problems.empty


def test_number_reused_by_two_journals_is_two_entries(tmp_path):
    lines = [
        HEADER,
        line(1, "20240105", "6064", "10,00", "0,00", journal="AC"),
        line(1, "20240105", "401", "0,00", "10,00", journal="AC"),
        line(1, "20240106", "5121", "7,00", "0,00", journal="BQ"),  # BQ 1: unbalanced
        line(1, "20240106", "706", "0,00", "5,00", journal="BQ"),
        line(2, "20240107", "6064", "4,00", "0,00", journal="AC"),  # AC 2: +4
        line(2, "20240108", "5121", "0,00", "2,00", journal="BQ"),  # BQ 2: −2
    ]
    ledger = read_fec(write(tmp_path, "123456789FEC20241231.txt", lines))
    p = ledger.problems
    # no "two dates in one entry" between AC 1 (05/01) and BQ 1 (06/01): they are two entries
    assert not (p["colonne"] == "EcritureDate").any()
    bad = p[p["colonne"] == "EcritureNum"]
    # merged by number, entry 1 would be 17 − 15 = 2 € off and entry 2 2 € off; per journal,
    # AC 1 is balanced, BQ 1 is 2 € off, AC 2 +4 € and BQ 2 −2 €
    assert bad[["ligne", "valeur"]].values.tolist() == [[4, "1"], [6, "2"], [7, "2"]]
    assert "« 1 » du journal BQ déséquilibrée" in bad["message"].iloc[0]
    assert "2,00" in bad["message"].iloc[0] and "−2,00" in bad["message"].iloc[2]
    assert ledger.summary().loc[2024, "Écritures"] == 4


def test_year_from_entry_dates_when_the_file_name_disagrees(tmp_path):
    text = FEC24.read_text(encoding="utf-8").splitlines()  # entries dated 2024
    ledger = read_fec(write(tmp_path, "999999999FEC20231231.txt", text))
    assert ledger.years == [2024]
    p = ledger.problems
    note = p[p["colonne"] == "EcritureDate"]
    assert len(note) == 1 and note.iloc[0]["ligne"] == 1 and note.iloc[0]["gravité"] == "alerte"
    assert "clos le 31/12/2023" in note.iloc[0]["message"]
    assert "exercice 2024 retenu" in note.iloc[0]["message"]
    assert not p["message"].str.contains("en dehors de l'exercice").any()
    assert read_fec(write(tmp_path, "999999999FEC20231231.txt", text), year=2023).years == [2023]


def test_dates_out_of_range_are_reported_on_their_line(tmp_path):
    lines = [
        HEADER,
        line(1, "20240105", "6064", "10,00", "0,00"),
        line(1, "30240105", "5121", "0,00", "10,00"),  # line 3: year 3024
    ]
    fields = line(2, "20240106", "6064", "5,00", "0,00").split("\t")
    fields[14], fields[15] = "99991231", "18991231"  # DateLet, ValidDate
    lines += ["\t".join(fields), line(2, "20240106", "5121", "0,00", "5,00")]
    ledger = read_fec(write(tmp_path, "123456789FEC20241231.txt", lines))
    assert len(ledger.entries) == 4
    p = ledger.problems
    got = p[p["message"].str.contains("hors de la période")][["ligne", "colonne", "valeur"]]
    assert got.values.tolist() == [
        [3, "EcritureDate", "30240105"],
        [3, "PieceDate", "30240105"],
        [3, "ValidDate", "30240105"],
        [4, "DateLet", "99991231"],
        [4, "ValidDate", "18991231"],
    ]
    assert (p.loc[p["message"].str.contains("hors de la période"), "gravité"] == "erreur").all()
    assert ledger.entries["EcritureDate"].isna().tolist() == [False, True, False, False]


def test_read_balance_subtotal_lines_are_excluded_and_reported(tmp_path):
    rows = [
        "Compte;Libellé;Débit;Crédit",
        "6;Charges;1.680;",  # line 2: class total = 1 000 + 500 + 100 + 80
        "60;Achats;1.500;",  # line 3: subtotal
        "606;Achats non stockés;1.500;",  # line 4: subtotal
        "606100;Fournitures;1.000;",  # line 5: whole euros, thousands dot
        "606300;Petit équipement;500;",
        "625;Déplacements;100;",  # line 7: a real account next to its sub-account (100 ≠ 80)
        "625100;Voyages;80;",
        "658000;Charges diverses;;",  # line 9: neither debit nor credit
        "7;Produits;;",  # line 10: a title without amount
        "706000;Prestations;;2.000",  # blank debit: 0, the credit carries the amount
        "401000;Fournisseurs;;180",
        "512000;Banque;500;",
    ]
    ledger = read_balance(write(tmp_path, "balance 2024.csv", rows))
    e = ledger.entries
    kept = ["606100", "606300", "625", "625100", "658000", "706000", "401000", "512000"]
    assert e["CompteNum"].tolist() == kept
    # hand-added: charges 1 000 + 500 + 100 + 80, nothing counted twice
    assert ledger.S("6") == pytest.approx(1_680)
    assert ledger.C("7") == pytest.approx(2_000)
    assert e["Debit"].sum() == pytest.approx(2_180) and e["Credit"].sum() == pytest.approx(2_180)
    p = ledger.problems
    assert p["gravité"].eq("alerte").all()
    assert p[["ligne", "valeur"]].values.tolist() == [
        [2, "6"],
        [3, "60"],
        [4, "606"],
        [7, "625"],
        [9, ""],
        [10, "7"],
    ]
    msg = dict(zip(p["ligne"], p["message"], strict=True))
    assert "sous-total" in msg[3] and "2 sous-comptes" in msg[3] and "5 sous-comptes" in msg[2]
    assert "compté comme un compte à part entière" in msg[7] and "80,00" in msg[7]
    assert "658000 sans montant" in msg[9]
    assert "titre" in msg[10]


def test_hostile_shapes_give_french_errors_or_reports(tmp_path):
    good = [
        line(1, "20240105", "6064", "10,00", "0,00"),
        line(1, "20240105", "5121", "0,00", "10,00"),
    ]
    with pytest.raises(FormatError, match="seulement la ligne d'en-tête"):
        read_fec(write(tmp_path, "123456789FEC20241231.txt", [HEADER]))
    # two exports put end to end: the second header is reported and skipped
    ledger = read_fec(
        write(tmp_path, "123456789FEC20241231.txt", [HEADER, good[0], HEADER, good[1]])
    )
    assert len(ledger.entries) == 2 and ledger.entries["ligne"].tolist() == [2, 4]
    p = ledger.problems
    assert p[["ligne", "gravité"]].values.tolist() == [[3, "alerte"]]
    assert "en-tête est répété" in p.loc[0, "message"]
    # old Mac line ends (CR only)
    path = tmp_path / "mac" / "123456789FEC20241231.txt"
    path.parent.mkdir()
    path.write_bytes(("\r".join([HEADER, *good]) + "\r").encode())
    assert read_fec(path).entries["Debit"].sum() == pytest.approx(10)


def test_read_balance_account_listed_twice_is_reported(tmp_path):
    rows = ["Compte;Débit;Crédit", "606100;100;", "512000;;100", "606100;50;", "512000;;50"]
    ledger = read_balance(write(tmp_path, "balance 2024.csv", rows))
    assert ledger.S("6") == pytest.approx(150)  # both kept: nothing dropped
    p = ledger.problems
    assert p[["ligne", "valeur"]].values.tolist() == [[4, "606100"], [5, "512000"]]
    assert p["message"].str.contains("déjà présent").all()


def test_amount_with_currency_sign_or_parentheses_is_read_and_reported(tmp_path):
    lines = [
        HEADER,
        line(1, "20240105", "6064", "12,50 €", "0,00"),
        line(1, "20240105", "5121", "0,00", "(12,50)"),  # parentheses: a negative credit
        line(2, "20240106", "6064", "5,00", "0,00"),
        line(2, "20240106", "5121", "0,00", "5,00-"),  # sign on the right: allowed by the norm
    ]
    ledger = read_fec(write(tmp_path, "123456789FEC20241231.txt", lines))
    e = ledger.entries
    assert e["Debit"].tolist() == [12.5, 0, 5, 0]
    assert e["Credit"].tolist() == [0, -12.5, 0, -5]
    p = ledger.problems
    symbols = p[p["message"].str.contains("symbole")]
    assert symbols[["ligne", "colonne", "gravité"]].values.tolist() == [
        [2, "Debit", "alerte"],
        [3, "Credit", "alerte"],
    ]


# ---------------------------------------------------------------------------- select / resolve_year


def _hand_ledger() -> Ledger:
    """Two years written by hand: 2023 has two lines, 2024 four (two of code JEU, one ACC)."""
    entries = pd.DataFrame(
        {
            "EcritureDate": pd.to_datetime(
                ["2023-05-01", "2023-05-01", "2024-02-01", "2024-02-01", "2024-06-01", "2024-06-01"]
            ),
            "CompteNum": ["6064", "5121", "6064", "5121", "7061", "5121"],
            "Debit": [10.0, 0.0, 25.0, 0.0, 0.0, 40.0],
            "Credit": [0.0, 10.0, 0.0, 25.0, 40.0, 0.0],
            "exercice": [2023, 2023, 2024, 2024, 2024, 2024],
            "analytique": ["", "", "JEU", "JEU", "ACC", ""],
        }
    )
    return Ledger(entries=entries)


def test_resolve_year_latest_by_default_and_french_error():
    ledger = _hand_ledger()
    assert ledger.resolve_year(None) == 2024
    assert ledger.resolve_year(2023) == 2023
    with pytest.raises(DataError, match=r"exercice 2019 .*exercices présents : 2023, 2024"):
        ledger.resolve_year(2019)
    with pytest.raises(DataError, match="vide"):
        Ledger(entries=_hand_ledger().entries.iloc[:0]).resolve_year(None)


def test_select_year_and_analytic_code():
    ledger = _hand_ledger()
    entries, year = ledger.select()
    assert year == 2024 and entries.index.tolist() == [2, 3, 4, 5]
    entries, year = ledger.select(2023)
    assert year == 2023 and entries["Debit"].sum() == 10.0
    entries, year = ledger.select(analytic="JEU")
    assert year == 2024 and entries.index.tolist() == [2, 3]
    assert entries["Debit"].sum() == 25.0
    with pytest.raises(ColumnError, match="vouliez-vous dire « JEU »"):
        ledger.select(2024, analytic="JEUX")
    with pytest.raises(ColumnError):  # JEU is not a code of 2023
        ledger.select(2023, analytic="JEU")
    with pytest.raises(DataError, match="2030"):
        ledger.select(2030)


def test_select_of_a_one_year_ledger_is_a_frame_of_its_own():
    ledger = Ledger(entries=_hand_ledger().entries.iloc[2:])  # 2024 only
    entries, year = ledger.select()
    assert year == 2024 and entries.index.tolist() == [2, 3, 4, 5]
    assert entries is not ledger.entries
    entries["Debit"] = 0.0
    entries["note"] = "x"
    assert ledger.entries["Debit"].sum() == 65.0  # the ledger is not changed
    assert "note" not in ledger.entries.columns


def test_entry_labels_of_some_rows():
    from movsc_toolkit.finance.cerfa import entry_labels

    entries = _hand_ledger().entries.assign(
        EcritureLib=["a", "b", "Subvention Ville", None, "e", "f"], CompAuxNum="411"
    )
    rows = np.array([4, 2])
    pd.testing.assert_series_equal(entry_labels(entries, rows), entry_labels(entries.iloc[rows]))
    assert entry_labels(entries, rows).tolist() == ["411 e", "411 Subvention Ville"]
    bare = entries[["CompteNum"]]  # no label column
    assert entry_labels(bare, rows).tolist() == ["", ""]
    assert entry_labels(bare, rows).index.tolist() == [4, 2]


def test_from_entries_accepts_a_ledger_or_a_frame():
    ledger = _hand_ledger()
    assert Ledger.from_entries(ledger) is ledger
    bare = ledger.entries.drop(columns=["exercice", "analytique"])
    rebuilt = Ledger.from_entries(bare)
    assert rebuilt.years == [2023, 2024]  # from the entry dates
    assert "exercice" not in bare.columns  # the caller's frame is not changed
    entries, year = rebuilt.select(2023)
    assert year == 2023 and entries["CompteNum"].tolist() == ["6064", "5121"]
    with pytest.raises(ColumnError, match="analytique"):
        rebuilt.select(2023, analytic="JEU")
    with pytest.raises(ColumnError, match="Credit"):
        Ledger.from_entries(bare.drop(columns=["Credit"]))
    with pytest.raises(DataError, match="grand livre"):
        Ledger.from_entries([1, 2, 3])
