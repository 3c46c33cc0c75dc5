"""read_table / read_text: the files French users actually have, and every way they go wrong."""

from __future__ import annotations

import datetime as dt
import gc
import warnings
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from movsc_toolkit import read_table
from movsc_toolkit._errors import (
    ColumnError,
    EncodingError,
    FileError,
    FormatError,
    MovscError,
    MovscWarning,
)
from movsc_toolkit._io import detect_encoding, read_text

CSV_FR = (
    "Nom;Prénom;Âge;Code postal;Cotisation;Date d'adhésion;Activité\r\n"
    "ÉTIENNE;Zoé;34;01000;12,50;15/03/2021;Théâtre\r\n"
    "LEFÈVRE;Noël;;07100;1\u00a0234,56;01/12/2019;Jardin partagé\r\n"
    "GARÇON;Hélène;71;75011;25;28/02/2020;Chorale € et œuvre\r\n"
)


def write(tmp_path: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("cp1252", "cp1252"), ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig")],
)
def test_excel_csv_in_each_encoding(tmp_path, encoding, expected):
    df = read_table(write(tmp_path, "adherents.csv", CSV_FR, encoding))
    assert df.attrs["source"]["encoding"] == expected
    assert df.attrs["source"]["sep"] == ";"
    assert list(df.columns) == [
        "Nom",
        "Prénom",
        "Âge",
        "Code postal",
        "Cotisation",
        "Date d'adhésion",
        "Activité",
    ]
    assert list(df["Nom"]) == ["ÉTIENNE", "LEFÈVRE", "GARÇON"]
    assert df.loc[2, "Activité"] == "Chorale € et œuvre"


def test_latin9_euro_sign(tmp_path):
    text = "Poste;Montant\nLoyer;1\u00a0200,00 €\nCafé;3,50 €\n"
    path = write(tmp_path, "budget.csv", text, "iso-8859-15")
    assert b"\xa4" in path.read_bytes()  # the euro sign of Latin-9
    df = read_table(path)
    assert df.attrs["source"]["encoding"] == "iso-8859-15"
    assert list(df["Montant"]) == ["1\u00a0200,00 €", "3,50 €"]
    assert df.loc[1, "Poste"] == "Café"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"\xef\xbb\xbfNom;\xc3\xa2ge", "utf-8-sig"),
        ("Nom;âge".encode("utf-16"), "utf-16"),
        ("Nom;âge".encode(), "utf-8"),
        ("Nom;âge;€".encode("cp1252"), "cp1252"),
        ("Nom;âge;€".encode("iso-8859-15"), "iso-8859-15"),
        (b"plain ascii", "utf-8"),
    ],
)
def test_detect_encoding(raw, expected):
    assert detect_encoding(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # an « é » cut by the end of the first 64 KiB, checked in the whole file
        (b"a" * 65535 + "é;b".encode(), "utf-8"),
        (b"a" * 65535 + b"\xe9;b", "cp1252"),  # a bad byte at the end of the first 64 KiB
        (b"a" * 65535 + b"\xc3", "cp1252"),  # a sequence cut by the end of the file
        (b"a" * 70000 + b"\xe9", "cp1252"),  # a bad byte after the first 64 KiB
        (b"a\xe9" + "é".encode() * 40000, "cp1252"),  # a bad byte first, UTF-8 after
    ],
)
def test_detect_encoding_of_long_files(raw, expected):
    assert detect_encoding(raw) == expected


def test_windows_1252_text_is_decoded_as_windows_1252(tmp_path):
    # without a byte of 0x80–0x9F the file is read by a Latin-1 copy: the same characters
    upper = bytes(range(0xA0, 0x100)).replace(b";", b"").replace(b"\xa4", b"")
    for extra in (b"", b"\x80\x92\x9c"):  # and with € ’ œ, read by the Windows-1252 table
        raw = b"Nom;Note\n" + upper + extra + b";1\n"
        text, chosen = read_text(write(tmp_path, "cp.csv", raw))
        assert chosen == "cp1252"
        assert text == raw.decode("cp1252")


def test_utf16_file(tmp_path):
    df = read_table(write(tmp_path, "export.txt", "a\tb\nélan\t2\n", "utf-16"))
    assert df.attrs["source"]["encoding"] == "utf-16"
    assert df.loc[0, "a"] == "élan"
    assert df.loc[0, "b"] == 2


def test_read_text_normalises_line_ends(tmp_path):
    path = write(tmp_path, "entretien.txt", "Première ligne\r\nDeuxième\rTroisième\n", "cp1252")
    text, encoding = read_text(path)
    assert encoding == "cp1252"
    assert text == "Première ligne\nDeuxième\nTroisième\n"


def test_wrong_explicit_encoding_names_the_line(tmp_path):
    path = write(tmp_path, "a.csv", "x;y\n1;2\n3;é\n", "cp1252")
    with pytest.raises(EncodingError) as info:
        read_table(path, encoding="utf-8")
    assert info.value.line == 3
    message = str(info.value)
    assert "a.csv" in message
    assert "ligne 3" in message
    assert "Que faire" in message


def test_unknown_encoding_name(tmp_path):
    path = write(tmp_path, "a.csv", "x;y\n1;2\n")
    with pytest.raises(EncodingError, match="inconnu"):
        read_table(path, encoding="klingon")


def test_binary_file_renamed_csv(tmp_path):
    path = write(tmp_path, "classeur.csv", b"PK\x03\x04\x00\x00\x00binary\x00\x00")
    with pytest.raises(FormatError, match="ne contient pas du texte"):
        read_table(path)


# --------------------------------------------------------------------------- separators


@pytest.mark.parametrize(("sep", "name"), [(";", "a.csv"), (",", "a.csv"), ("\t", "a.tsv")])
def test_separators(tmp_path, sep, name):
    rows = [["commune", "effectif", "part"], ["Viriat", "12", "0.5"], ["Brou", "7", "0.25"]]
    path = write(tmp_path, name, "\n".join(sep.join(r) for r in rows) + "\n")
    df = read_table(path)
    assert df.attrs["source"]["sep"] == sep
    assert list(df.columns) == ["commune", "effectif", "part"]
    assert list(df["effectif"]) == [12, 7]
    assert list(df["part"]) == [0.5, 0.25]


def test_pipe_separator(tmp_path):
    path = write(tmp_path, "a.txt", "a|b|c\n1|2|3\n4|5|6\n")
    df = read_table(path)
    assert df.attrs["source"]["sep"] == "|"
    assert df.shape == (2, 3)


def test_explicit_separator_wins(tmp_path):
    path = write(tmp_path, "a.csv", "a;b,c\n1;2,3\n")
    df = read_table(path, sep=",")
    assert list(df.columns) == ["a;b", "c"]


def test_quoted_field_containing_separator(tmp_path):
    path = write(tmp_path, "a.csv", 'nom;avis\nA;"bien; très bien"\nB;"dit ""oui"""\n')
    df = read_table(path)
    assert list(df["avis"]) == ["bien; très bien", 'dit "oui"']


def test_single_column_file(tmp_path):
    df = read_table(write(tmp_path, "a.csv", "commentaire\nTrès bien\nÀ revoir\n"))
    assert list(df.columns) == ["commentaire"]
    assert len(df) == 2


# --------------------------------------------------------------------------- numbers, codes, dates


def test_french_numbers(tmp_path):
    text = (
        "espace;insecable;fine;point;decimal;negatif;anglais\n"
        "1 234,56;1\u00a0234,56;1\u202f234,56;1.234,56;0,5;-12,25;1234.56\n"
        "7;8;9;10;2;-1;2.5\n"
    )
    df = read_table(write(tmp_path, "a.csv", text))
    for column in ["espace", "insecable", "fine", "point"]:
        assert df[column].dtype == np.float64
        assert df.loc[0, column] == pytest.approx(1234.56)
    assert list(df["decimal"]) == [0.5, 2.0]
    assert list(df["negatif"]) == [-12.25, -1.0]
    assert list(df["anglais"]) == [1234.56, 2.5]


def test_integers_with_missing_values_stay_integers(tmp_path):
    df = read_table(write(tmp_path, "a.csv", "age;nom\n34;A\n;B\n71;C\n"))
    assert str(df["age"].dtype) == "Int64"
    assert df["age"].isna().tolist() == [False, True, False]
    assert df["age"].sum() == 105


def test_leading_zero_codes_stay_text(tmp_path):
    text = (
        "code postal;telephone;compte;montant\n01000;0612345678;0411;3\n75011;0145454545;6061;4\n"
    )
    df = read_table(write(tmp_path, "a.csv", text))
    assert list(df["code postal"]) == ["01000", "75011"]
    assert list(df["telephone"]) == ["0612345678", "0145454545"]
    assert list(df["compte"]) == ["0411", "6061"]
    assert list(df["montant"]) == [3, 4]


def test_mixed_column_stays_text(tmp_path):
    df = read_table(write(tmp_path, "a.csv", "age\n34\nNC\n12 ans\n"))
    assert list(df["age"]) == ["34", "NC", "12 ans"]


def test_convert_numbers_off(tmp_path):
    df = read_table(write(tmp_path, "a.csv", "x\n1,5\n2\n"), convert_numbers=False)
    assert list(df["x"]) == ["1,5", "2"]


def test_dates(tmp_path):
    text = "fr;iso;heure\n15/03/2021;2021-03-15;2021-03-15 10:30:00\n01/12/2019;2019-12-01;2019-12-01 08:00:00\n"
    df = read_table(write(tmp_path, "a.csv", text))
    assert df.loc[0, "fr"] == pd.Timestamp(2021, 3, 15)
    assert df.loc[1, "fr"] == pd.Timestamp(2019, 12, 1)  # day first, the French way
    assert df.loc[0, "iso"] == pd.Timestamp(2021, 3, 15)
    assert df.loc[0, "heure"] == pd.Timestamp(2021, 3, 15, 10, 30)
    kept = read_table(write(tmp_path, "b.csv", text), parse_dates=False)
    assert kept.loc[0, "fr"] == "15/03/2021"


def test_na_values_and_blank_cells(tmp_path):
    df = read_table(write(tmp_path, "a.csv", "x;y\nNR;1\n  ;2\n4;NR\n"), na_values=["NR"])
    assert df["x"].isna().tolist() == [True, True, False]
    assert df["y"].isna().tolist() == [False, False, True]
    assert df.loc[2, "x"] == 4


def test_whitespace_is_trimmed(tmp_path):
    df = read_table(write(tmp_path, "a.csv", "ville ; n\n  Brou ; 3 \n"))
    assert list(df.columns) == ["ville", "n"]
    assert df.loc[0, "ville"] == "Brou"
    assert df.loc[0, "n"] == 3


# --------------------------------------------------------------------------- structure


def test_line_numbers_skip_blank_lines(tmp_path):
    df = read_table(write(tmp_path, "a.csv", "a;b\n1;2\n\n3;4\n;\n5;6\n"))
    assert len(df) == 3  # blank lines carry no data; every data line is kept
    assert df.attrs["lines"] == [2, 4, 6]


def test_no_header(tmp_path):
    df = read_table(write(tmp_path, "a.csv", "1;2\n3;4\n"), header=None)
    assert list(df.columns) == ["colonne_1", "colonne_2"]
    assert len(df) == 2
    assert df.attrs["lines"] == [1, 2]


def test_trailing_separator_on_every_line(tmp_path):
    df = read_table(write(tmp_path, "a.csv", "a;b;\n1;2;\n3;4;\n"))
    assert list(df.columns) == ["a", "b"]
    assert df.shape == (2, 2)


def test_duplicate_and_empty_header_names(tmp_path):
    df = read_table(write(tmp_path, "a.csv", "note;note;\n1;2;x\n"))
    assert list(df.columns) == ["note", "note.1", "colonne_3"]


def test_ragged_row_names_file_and_line(tmp_path):
    path = write(tmp_path, "reponses.csv", "a;b;c\n1;2;3\n4;5;6\n7;8;9;10\n11;12;13\n")
    with pytest.raises(FormatError) as info:
        read_table(path)
    error = info.value
    assert error.line == 4
    message = str(error)
    assert "reponses.csv" in message
    assert "ligne 4" in message
    assert "4 champs" in message and "3" in message
    assert "point-virgule" in message
    assert "Que faire" in message


def test_short_row_is_an_error_too(tmp_path):
    path = write(tmp_path, "a.csv", "a;b;c\n1;2;3\n4;5\n")
    with pytest.raises(FormatError) as info:
        read_table(path)
    assert info.value.line == 3


def test_unclosed_quote_names_the_line_where_it_opens(tmp_path):
    path = write(tmp_path, "a.csv", 'a;b\n1;2\n3;"4\n5;6\n7;8\n')
    # without this check the rest of the file would silently become one value
    with pytest.raises(FormatError) as info:
        read_table(path)
    assert info.value.line == 3
    assert "guillemet" in str(info.value)


def test_text_after_closing_quote(tmp_path):
    with pytest.raises(FormatError, match="guillemet"):
        read_table(write(tmp_path, "a.csv", 'a;b\n1;"2"x\n'))


def test_multiline_quoted_value_keeps_its_first_line_number(tmp_path):
    df = read_table(write(tmp_path, "a.csv", 'a;b\n1;"deux\nlignes"\n3;4\n'))
    assert df.loc[0, "b"] == "deux\nlignes"
    assert df.attrs["lines"] == [2, 4]


# --------------------------------------------------------------------------- file problems


def test_missing_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileError) as info:
        read_table("absent.csv")
    message = str(info.value)
    assert "absent.csv" in message
    assert "introuvable" in message
    assert str(tmp_path) in message  # says which folder was searched
    assert isinstance(info.value, MovscError)
    assert isinstance(info.value, OSError)


def test_missing_file_suggests_a_close_name(tmp_path):
    write(tmp_path, "adherents_2024.csv", "a\n1\n")
    with pytest.raises(FileError, match=r"adherents_2024\.csv"):
        read_table(tmp_path / "adherent_2024.csv")


def test_directory_instead_of_file(tmp_path):
    with pytest.raises(FileError, match="dossier"):
        read_table(tmp_path)


@pytest.mark.parametrize("content", ["", "\n\n  \n", "\r\n"])
def test_empty_file(tmp_path, content):
    with pytest.raises(FormatError, match="vide"):
        read_table(write(tmp_path, "vide.csv", content))


def test_unsupported_format(tmp_path):
    with pytest.raises(FileError, match="pdf"):
        read_table(write(tmp_path, "rapport.pdf", b"%PDF-1.4"))


def test_unknown_option_is_reported_in_french(tmp_path):
    path = write(tmp_path, "a.csv", "a\n1\n")
    with pytest.raises(TypeError, match="ne connaît pas l'option delimiter"):
        read_table(path, delimiter=";")


@pytest.mark.parametrize("name", ["classeur.xlsx", "classeur.ods", "ancien.xls"])
def test_corrupt_workbook(tmp_path, name):
    path = write(tmp_path, name, b"this is not a workbook at all")
    with pytest.raises(FileError) as info:
        read_table(path)
    message = str(info.value)
    assert name in message
    assert "illisible ou endommagé" in message


def test_truncated_xlsx(tmp_path):
    good = tmp_path / "bon.xlsx"
    pd.DataFrame({"a": [1, 2]}).to_excel(good, index=False)
    broken = write(tmp_path, "casse.xlsx", good.read_bytes()[:300])
    with pytest.raises(FileError, match="endommagé"):
        read_table(broken)


def test_xls_without_xlrd(tmp_path, monkeypatch):
    path = write(tmp_path, "ancien.xls", b"\xd0\xcf\x11\xe0")

    def missing_engine(*args, **kwargs):
        raise ImportError("Missing optional dependency 'xlrd'.")

    monkeypatch.setattr(pd, "ExcelFile", missing_engine)
    with pytest.raises(FileError, match="xlrd"):
        read_table(path)


# --------------------------------------------------------------------------- workbooks


@pytest.fixture
def workbook(tmp_path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Adhérents"
    ws.append(["Nom", "Âge", "Code postal", "Cotisation", "Adhésion", "Bénévole"])
    ws.append(["Zoé", 34, "01000", 12.5, dt.datetime(2021, 3, 15), True])
    ws.append(["Noël", None, "75011", 25, dt.datetime(2019, 12, 1), False])
    ws.append([None, None, None, None, None, None])  # an empty spreadsheet row
    ws.append(["Hélène", 71, "07100", 1234.56, dt.datetime(2020, 2, 28), True])
    other = wb.create_sheet("Budget")
    other.append(["Poste", "Montant"])
    other.append(["Loyer", 1200])
    path = tmp_path / "adherents.xlsx"
    wb.save(path)
    return path


def test_xlsx_types(workbook):
    df = read_table(workbook)
    assert list(df["Nom"]) == ["Zoé", "Noël", "Hélène"]
    assert str(df["Âge"].dtype) == "Int64"
    assert df["Âge"].isna().tolist() == [False, True, False]
    assert list(df["Code postal"]) == ["01000", "75011", "07100"]
    assert df["Cotisation"].dtype == np.float64
    assert df["Cotisation"].sum() == pytest.approx(1272.06)
    assert df.loc[0, "Adhésion"] == pd.Timestamp(2021, 3, 15)
    assert df.attrs["lines"] == [2, 3, 5]  # spreadsheet row numbers, header = 1
    assert df.attrs["source"]["sheet"] == "Adhérents"


def test_xlsx_sheets_by_name_and_number(workbook):
    by_name = read_table(workbook, sheet="Budget")
    by_number = read_table(workbook, sheet=1)
    assert list(by_name.columns) == ["Poste", "Montant"]
    pd.testing.assert_frame_equal(by_name, by_number)


def test_xlsx_unknown_sheet_suggests(workbook):
    with pytest.raises(ColumnError) as info:
        read_table(workbook, sheet="Adherents")
    message = str(info.value)
    assert "« Adherents » n'existe pas" in message
    assert "« Adhérents »" in message
    assert "adherents.xlsx" in message


def test_xlsx_sheet_number_out_of_range(workbook):
    with pytest.raises(ColumnError, match="2 feuille"):
        read_table(workbook, sheet=5)


def test_refused_sheet_leaves_no_file_open(workbook):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always", ResourceWarning)
        for sheet in (5, "Feuille 9"):
            with pytest.raises(ColumnError):
                read_table(workbook, sheet=sheet)
        gc.collect()
    assert [str(w.message) for w in seen if issubclass(w.category, ResourceWarning)] == []


def test_ods_round_trip(tmp_path):
    path = tmp_path / "budget.ods"
    frame = pd.DataFrame(
        {"Poste": ["Loyer", "Électricité"], "Montant": [1200.5, 80.25], "Compte": ["0613", "6061"]}
    )
    frame.to_excel(path, index=False, engine="odf")
    df = read_table(path)
    assert list(df["Poste"]) == ["Loyer", "Électricité"]
    assert list(df["Montant"]) == [1200.5, 80.25]
    assert list(df["Compte"]) == ["0613", "6061"]


def test_xlsx_zip_but_not_workbook(tmp_path):
    path = tmp_path / "faux.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("bonjour.txt", "pas un classeur")
    with pytest.raises(FileError, match="endommagé"):
        read_table(path)


def test_bundled_csv_and_xlsx_agree():
    from movsc_toolkit import datasets

    csv = datasets.load("exemple_adherents")
    xlsx = datasets.load("exemple_adherents", path="adherents.xlsx")
    pd.testing.assert_frame_equal(csv, xlsx)
    assert csv.attrs["source"]["encoding"] == "cp1252"


# --------------------------------------------------------------------------- silent damage


def test_mixed_utf8_and_windows_1252_lines_are_refused(tmp_path):
    raw = "Nom;Ville\nHélène;Évry\n".encode() + "Frédéric;Sète\n".encode("cp1252")
    with pytest.raises(EncodingError) as info:
        read_table(write(tmp_path, "mixte.csv", raw))
    message = str(info.value)
    assert "ligne 3" in message
    assert "mélange deux encodages" in message
    assert "UTF-8" in message.split("Que faire")[1]


def test_windows_1252_file_alone_is_not_mixed(tmp_path):
    # "Ç»" is by chance a valid UTF-8 sequence: without UTF-8 lines it is not a mixed file
    text = "Nom;Note\nFrédéric;«ÇA»\nZoé;Sète\n"
    df = read_table(write(tmp_path, "cp.csv", text, encoding="cp1252"))
    assert df.loc[0, "Nom"] == "Frédéric"
    assert df.attrs["source"]["encoding"] == "cp1252"


def test_unreadable_workbook_message_has_no_python_class_name(tmp_path):
    with pytest.raises(FileError) as info:
        read_table(write(tmp_path, "c.xlsx", b"PK\x03\x04 broken"))
    assert "BadZipFile" not in str(info.value)


def test_number_column_with_a_text_value_warns_and_lists_it(tmp_path):
    path = write(
        tmp_path, "budget.csv", "Poste;Montant;Note\nA;12,5;x\nB;NC;y\nC;7;z\nD;-;w\nE;1 000;v\n"
    )
    with pytest.warns(MovscWarning) as record:
        df = read_table(path)
    assert len(record) == 1
    message = str(record[0].message)
    assert "« Montant »" in message
    assert "« NC » ligne 3" in message and "« - » ligne 5" in message
    assert 'na_values=["NC", "-"]' in message
    assert list(df["Montant"]) == ["12,5", "NC", "7", "-", "1 000"]  # kept as text, as announced
    problems = df.attrs["problems"]
    assert list(problems.columns) == ["ligne", "colonne", "valeur", "gravité", "message"]
    assert problems[["ligne", "colonne", "valeur", "gravité"]].values.tolist() == [
        [3, "Montant", "NC", "alerte"],
        [5, "Montant", "-", "alerte"],
    ]
    assert len(pd.concat([df, df])) == 10  # the problems table does not break concat
    with warnings.catch_warnings():
        warnings.simplefilter("error", MovscWarning)
        fixed = read_table(path, na_values=["NC", "-"])
    assert fixed["Montant"].sum() == 1019.5
    assert "problems" not in fixed.attrs


def test_number_column_with_a_text_value_in_a_workbook(tmp_path):
    path = tmp_path / "c.xlsx"
    pd.DataFrame({"Montant": [10, 20, "n.c.", 30]}).to_excel(path, index=False)
    with pytest.warns(MovscWarning, match="« n.c. » ligne 4"):
        df = read_table(path)
    assert df.attrs["problems"]["ligne"].tolist() == [4]


@pytest.mark.parametrize(
    "column",
    [
        "x\nBrou\nChâteaudun\n12\nOrléans\n",  # text with a number in it
        "age\n34\nNC\n12 ans\n",  # only one number in three
        "cp\n01000\n28000\nNC\n45000\n",  # codes with a leading zero stay text quietly
        "n\n1\nNC\n",  # too short to tell
        "code\n60\n61\n62\n63\n64\n65\n66\n74 État\n74 ASP\n75 Dons\n76 A\n77 B\n78 C\n",  # codes
    ],
)
def test_textual_columns_do_not_warn(tmp_path, column):
    with warnings.catch_warnings():
        warnings.simplefilter("error", MovscWarning)
        df = read_table(write(tmp_path, "t.csv", column))
    assert "problems" not in df.attrs


def test_bytes_undefined_in_windows_1252_are_not_read_as_control_characters(tmp_path):
    # 0x81 is "ü" in a DOS (cp850) file and nothing in Windows-1252
    raw = "Nom;Ville\nZoé;Brou\n".encode("cp1252") + b"M\x81ller;Ulm\n"
    with pytest.raises(EncodingError) as info:
        read_table(write(tmp_path, "dos.csv", raw))
    message = str(info.value)
    assert "ligne 3" in message and "\\x81" in message
    assert "encoding='cp850'" in message
    df = read_table(write(tmp_path, "dos.csv", raw), encoding="cp850")
    assert df.loc[1, "Nom"] == "Müller"


def test_lines_with_only_separators_are_skipped_and_show_as_gaps(tmp_path):
    df = read_table(write(tmp_path, "v.csv", "a;b\n1;x\n;\n2;y\n;;\n"))
    assert df["a"].tolist() == [1, 2]
    assert df.attrs["lines"] == [2, 4]


def test_real_xls_file_is_read():
    """A genuine Excel 97–2003 workbook (written with xlwt, committed as a fixture)."""
    path = Path(__file__).parents[1] / "data" / "io" / "ancien_format.xls"
    df = read_table(path)
    assert list(df.columns) == ["nom", "âge", "cotisation", "code_postal"]
    assert df["nom"].tolist() == ["Béatrice", "Jérôme", "Zoé"]
    assert df["âge"].dtype == "Int64"
    assert df["âge"].isna().tolist() == [False, False, True]
    assert df["cotisation"].tolist() == [12.5, 20.0, 7.25]
    assert df["code_postal"].tolist() == ["01000", "75011", "69003"]
    assert df.attrs["lines"] == [2, 3, 4]
    assert df.attrs["source"]["sheet"] == "Adhérents"


# --------------------------------------------------------------------------- one parsing core

SURVEY = pd.DataFrame(
    {
        "id": [1, 2, 3, 4, 5],
        "avis": ["NA", "None", "null", "N/A", "NaN"],  # Kobo choice names: answers
        "choix": ["NULL", "oui", None, "non", "nsp"],
        "note": [12.5, 3.0, None, 7.25, 10.0],
        "age": [34, None, 71, 18, 40],
        "ville": ["Brou", "Viriat", "Péronnas", "Bourg", "Brou"],
        "date": pd.to_datetime(["2024-03-15", "2024-03-16", None, "2024-12-31", "2025-01-02"]),
    }
)


def _write_all_formats(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    csv_path = tmp_path / "enquete.csv"
    csv_text = SURVEY.assign(
        note=SURVEY["note"].map(lambda v: "" if pd.isna(v) else f"{v:g}".replace(".", ",")),
        age=SURVEY["age"].map(lambda v: "" if pd.isna(v) else str(int(v))),
        date=SURVEY["date"].map(lambda v: "" if pd.isna(v) else v.strftime("%d/%m/%Y")),
    ).to_csv(sep=";", index=False, na_rep="")
    csv_path.write_text(csv_text, encoding="cp1252")
    paths["csv"] = csv_path
    for suffix, engine in (("xlsx", "openpyxl"), ("ods", "odf")):
        path = tmp_path / f"enquete.{suffix}"
        SURVEY.to_excel(path, index=False, engine=engine)
        paths[suffix] = path
    return paths


def test_same_survey_in_csv_xlsx_ods_gives_identical_values(tmp_path):
    """NA, None, null, N/A, NaN, NULL are answers in every format; blanks are missing.

    (``#N/A`` is an answer in a CSV; in a workbook it is Excel's error value.)
    """
    frames = {k: read_table(p) for k, p in _write_all_formats(tmp_path).items()}
    csv = frames["csv"]
    assert csv["avis"].tolist() == ["NA", "None", "null", "N/A", "NaN"]
    assert csv["choix"].isna().tolist() == [False, False, True, False, False]
    assert csv["choix"].iloc[0] == "NULL"
    assert csv["note"].tolist()[:2] == [12.5, 3.0] and pd.isna(csv["note"].iloc[2])
    assert str(csv["age"].dtype) == "Int64"
    assert csv["date"].iloc[3] == pd.Timestamp("2024-12-31")
    for name in ("xlsx", "ods"):
        other = frames[name]
        assert list(other.columns) == list(csv.columns), name
        for column in csv.columns:
            left = csv[column].astype(object).where(csv[column].notna(), None).tolist()
            right = other[column].astype(object).where(other[column].notna(), None).tolist()
            assert left == right, (name, column)
        assert other.attrs["lines"] == csv.attrs["lines"] == [2, 3, 4, 5, 6]


def test_na_values_still_declares_codes_in_workbooks(tmp_path):
    path = tmp_path / "a.xlsx"
    pd.DataFrame({"x": ["NA", "nsp", "oui", None]}).to_excel(path, index=False)
    df = read_table(path, na_values=["nsp"])
    assert df["x"].isna().tolist() == [False, True, False]  # the blank row carries no data
    assert df.loc[0, "x"] == "NA" and df.loc[2, "x"] == "oui"
    assert df.attrs["lines"] == [2, 3, 4]


def test_amounts_with_thousands_dots_decided_by_the_column(tmp_path):
    text = "poste;montant\nLoyer;12.000\nCafé;3,50\nSalle;1.250\nTotal;1.234,56\n"
    df = read_table(write(tmp_path, "a.csv", text))
    assert df["montant"].tolist() == [12000.0, 3.5, 1250.0, 1234.56]
    assert "problems" not in df.attrs


def test_ambiguous_thousands_dot_is_an_alert_on_its_line(tmp_path):
    text = "poste;montant\nLoyer;12.000\nCafé;7\nSalle;1.250\n"
    df = read_table(write(tmp_path, "a.csv", text))
    assert df["montant"].tolist() == [12.0, 7.0, 1.25]  # read with a decimal point…
    problems = df.attrs["problems"]  # …but never silently
    assert problems["ligne"].tolist() == [2, 4]
    assert problems["valeur"].tolist() == ["12.000", "1.250"]
    assert set(problems["gravité"]) == {"alerte"}
    assert set(problems["colonne"]) == {"montant"}
    assert "ambigu" in problems["message"].iloc[0]


def test_out_of_range_dates_are_reported_not_fatal(tmp_path):
    text = "nom;date\nA;15/03/2021\nB;05/01/3024\nC;\nD;31/12/9999\nE;01/12/2019\n"
    df = read_table(write(tmp_path, "a.csv", text))
    assert df["date"].iloc[0] == pd.Timestamp(2021, 3, 15)
    assert df["date"].isna().tolist() == [False, True, True, True, False]
    problems = df.attrs["problems"]
    assert problems["ligne"].tolist() == [3, 5]
    assert problems["valeur"].tolist() == ["05/01/3024", "31/12/9999"]
    assert set(problems["gravité"]) == {"erreur"}
    assert "hors des limites" in problems["message"].iloc[0]


def test_out_of_range_date_cell_in_a_workbook(tmp_path):
    path = tmp_path / "d.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["nom", "date"])
    ws.append(["A", dt.datetime(2024, 1, 5)])
    ws.append(["B", dt.datetime(3024, 1, 5)])
    wb.save(path)
    df = read_table(path)
    assert df["date"].iloc[0] == pd.Timestamp(2024, 1, 5) and pd.isna(df["date"].iloc[1])
    assert df.attrs["problems"]["ligne"].tolist() == [3]


@pytest.mark.parametrize(
    "text",
    [
        "1;2;3\n4;5;6\n",  # numbers only
        "Dupont;34;12/03/2020\nMartin;45;01/02/2021\n",  # typed like the data below
        "12,5;15/03/2021\n3;01/01/2020\n",
    ],
)
def test_first_line_that_looks_like_data_is_refused(tmp_path, text):
    path = write(tmp_path, "sans_entete.csv", text)
    with pytest.raises(FormatError) as info:
        read_table(path)
    message = str(info.value)
    assert "ressemble à des données" in message
    assert "header=False" in message
    assert info.value.line == 1
    df = read_table(path, header=False)
    assert list(df.columns)[:2] == ["colonne_1", "colonne_2"]
    assert len(df) == 2
    assert df.attrs["lines"] == [1, 2]


@pytest.mark.parametrize(
    "text",
    [
        "Poste;2023;2024\nLoyer;1200;1300\nCafé;50;60\n",  # years as column names
        "nom;age\nDupont;34\n",
        "code;libellé\n60;Achats\n",
        "1;nom\n2;Zoé\n",  # only one typed header cell: not enough to refuse
    ],
)
def test_real_headers_are_accepted(tmp_path, text):
    df = read_table(write(tmp_path, "a.csv", text))
    assert len(df) == text.count("\n") - 1


def test_header_explicit_row_skips_the_check(tmp_path):
    df = read_table(write(tmp_path, "a.csv", "1;2\n3;4\n"), header=0)
    assert list(df.columns) == ["1", "2"]


def test_workbook_without_header(tmp_path):
    path = tmp_path / "n.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([1, 2.5, "a"])
    ws.append([3, 4.5, "b"])
    wb.save(path)
    with pytest.raises(FormatError, match="ressemble à des données"):
        read_table(path)
    df = read_table(path, header=False)
    assert list(df.columns) == ["colonne_1", "colonne_2", "colonne_3"]
    assert df["colonne_1"].tolist() == [1, 3]
    assert df.attrs["lines"] == [1, 2]


# --------------------------------------------------------------------------- limits, damage

ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"'
)


def _ods_with_content(tmp_path: Path, name: str, content: str) -> Path:
    """A pandas-written .ods whose content.xml is replaced by ``content``."""
    good = tmp_path / "modele.ods"
    pd.DataFrame({"a": [1]}).to_excel(good, index=False, engine="odf")
    path = tmp_path / name
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = content.encode() if info.filename == "content.xml" else src.read(info)
            compress = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            dst.writestr(info.filename, data, compress_type=compress)
    return path


def _ods_table(rows: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS}>'
        '<office:body><office:spreadsheet><table:table table:name="Feuille1">'
        f"{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
    )


def _ods_row(*cells: str, repeat: int = 1) -> str:
    body = "".join(
        f'<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>'
        for c in cells
    )
    return f'<table:table-row table:number-rows-repeated="{repeat}">{body}</table:table-row>'


def test_ods_with_absurd_repeated_rows_is_refused(tmp_path):
    cell = (
        '<table:table-cell table:number-columns-repeated="16384" office:value-type="float" '
        'office:value="1"><text:p>1</text:p></table:table-cell>'
    )
    rows = _ods_row("a", "b") + (
        f'<table:table-row table:number-rows-repeated="1000000">{cell}</table:table-row>'
    )
    path = _ods_with_content(tmp_path, "piege.ods", _ods_table(rows))
    assert path.stat().st_size < 10_000
    with pytest.raises(FileError) as info:
        read_table(path)
    message = str(info.value)
    assert "piege.ods" in message and "Feuille1" in message
    assert "déclare au moins" in message and "max_cells" in message


def test_ods_trailing_empty_repeats_are_fine_and_limits_can_be_raised(tmp_path):
    rows = (
        _ods_row("nom", "âge")
        + _ods_row("Zoé", "34")
        + _ods_row("Noël", "12", repeat=3)
        + '<table:table-row table:number-rows-repeated="1048570">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    path = _ods_with_content(tmp_path, "calc.ods", _ods_table(rows))
    df = read_table(path)
    assert df["nom"].tolist() == ["Zoé", "Noël", "Noël", "Noël"]
    assert df["âge"].tolist() == [34, 12, 12, 12]
    with pytest.raises(FileError, match="max_rows"):
        read_table(path, max_rows=3)
    assert len(read_table(path, max_rows=None)) == 4


def test_damaged_ods_xml_is_refused_not_read_in_part(tmp_path, capsys):
    content = _ods_table(_ods_row("nom") + _ods_row("Zoé") + _ods_row("Noël"))
    broken = content.replace("<text:p>Noël</text:p>", "<text:p>Noël</text:q>")
    path = _ods_with_content(tmp_path, "abime.ods", broken)
    with pytest.raises(FormatError) as info:
        read_table(path)
    assert "endommagé" in str(info.value) and "content.xml" in str(info.value)
    assert capsys.readouterr().out == ""  # nothing printed by odfpy


def _xlsx_with_sheet(tmp_path: Path, name: str, sheet_xml: bytes) -> Path:
    good = tmp_path / "modele.xlsx"
    pd.DataFrame({"a": [1, 2]}).to_excel(good, index=False)
    path = tmp_path / name
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = sheet_xml if info.filename == "xl/worksheets/sheet1.xml" else src.read(info)
            dst.writestr(info.filename, data)
    return path


SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
    b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def test_xlsx_declaring_millions_of_rows_is_refused(tmp_path):
    xml = SHEET_HEAD + b'<dimension ref="A1:B12000000"/><sheetData>'
    xml += b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row></sheetData></worksheet>'
    with pytest.raises(FileError, match=r"12\u202f000\u202f000 lignes"):
        read_table(_xlsx_with_sheet(tmp_path, "dimension.xlsx", xml))


def test_xlsx_rows_counted_before_parsing_and_limit_raisable(tmp_path):
    rows = b"".join(
        b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(2, 2002)
    )
    xml = (
        SHEET_HEAD
        + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>n</t></is></c></row>'
        + rows
        + b"</sheetData></worksheet>"
    )
    path = _xlsx_with_sheet(tmp_path, "lignes.xlsx", xml)
    with pytest.raises(FileError, match="max_rows"):
        read_table(path, max_rows=1000)
    with pytest.raises(FileError, match="max_cells"):
        read_table(path, max_cells=500)
    df = read_table(path, max_rows=5000)
    assert df["n"].sum() == sum(range(2, 2002))


def test_zip_bomb_is_refused_before_decompression(tmp_path):
    # 64 Mo of blanks compress about a thousand times: refused from the zip directory alone
    xml = SHEET_HEAD + b"<sheetData>" + b" " * (64 * 1024 * 1024) + b"</sheetData></worksheet>"
    path = _xlsx_with_sheet(tmp_path, "bombe.xlsx", xml)
    with pytest.raises(FileError, match="anormalement compressé"):
        read_table(path)


def test_check_zip_total_size_and_bad_archive(tmp_path):
    from movsc_toolkit._limits import check_zip

    path = tmp_path / "doc.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "x" * 5000)
    assert [i.filename for i in check_zip(path, "le document")] == ["word/document.xml"]
    with pytest.raises(FileError, match=r"déclare .* une fois décompressé"):
        check_zip(path, "le document", max_uncompressed=1000)
    bad = write(tmp_path, "abime.docx", path.read_bytes()[:-30])
    with pytest.raises(FormatError, match="le document est illisible ou endommagé"):
        check_zip(bad, "le document")


def test_damaged_xlsx_sheet_xml_is_refused(tmp_path):
    xml = SHEET_HEAD + b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"'
    with pytest.raises(FormatError, match="endommagé"):
        read_table(_xlsx_with_sheet(tmp_path, "coupe.xlsx", xml), header=False)


def test_csv_over_the_row_limit(tmp_path):
    path = write(tmp_path, "long.csv", "a;b\n" + "1;2\n" * 50)
    with pytest.raises(FileError, match="max_rows"):
        read_table(path, max_rows=10)
    assert len(read_table(path, max_rows=100)) == 50


@pytest.mark.parametrize("quoted", [False, True])
def test_blank_and_separator_only_lines_both_readers(tmp_path, quoted):
    """The fast reader (no quotes) and the csv reader (quotes) skip the same lines."""
    text = "a;b\n1;x\n;\n  ; \n\n2;y\n \t\n3;z"
    if quoted:
        text = text.replace("x", '"x"')
    df = read_table(write(tmp_path, "v.csv", text))
    assert df["a"].tolist() == [1, 2, 3]
    assert df["b"].tolist() == ["x", "y", "z"]
    assert df.attrs["lines"] == [2, 6, 8]


def test_excel_error_cells_are_reported_not_blanked_silently(tmp_path):
    path = tmp_path / "erreurs.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["poste", "montant"])
    ws.append(["Loyer", 1200])
    ws.append(["Café", "#DIV/0!"])  # openpyxl writes Excel's error codes as error cells
    ws.append(["Salle", "#N/A"])
    wb.save(path)
    df = read_table(path)
    assert df["montant"].isna().tolist() == [False, True, True]
    problems = df.attrs["problems"]
    assert problems[["ligne", "colonne", "valeur", "gravité"]].values.tolist() == [
        [3, "montant", "#DIV/0!", "alerte"],
        [4, "montant", "#N/A", "alerte"],
    ]
    assert "cellule en erreur" in problems["message"].iloc[0]


def test_long_text_in_a_number_column_is_clipped_in_the_warning(tmp_path):
    """A text pasted in a cell of amounts is quoted cut to 60 characters in the warning, not
    in full, and is not proposed as a code for « pas de donnée » (na_values); the table and the
    problems keep the whole value."""
    text = "x" * 200_000
    rows = "".join(f"P{i};{i},5\n" for i in range(12))
    path = write(tmp_path, "long.csv", f"Poste;Montant\n{rows}Z;{text}\nY;NC\n")
    with pytest.warns(MovscWarning) as record:
        df = read_table(path)
    message = str(record[0].message)
    assert len(message) < 1000
    assert "« " + "x" * 59 + "… » ligne 14" in message and "« NC » ligne 15" in message
    assert 'na_values=["NC"]' in message
    assert df["Montant"].iloc[12] == text
    path = write(tmp_path, "seul.csv", f"Poste;Montant\n{rows}Z;{text}\n")
    with pytest.warns(MovscWarning) as record:
        read_table(path)
    message = str(record[0].message)
    assert "na_values" not in message and "Que faire : corrigez-les" in message


def test_quoted_cell_longer_than_the_csv_limit(tmp_path):
    """A quoted cell longer than the csv module's limit (131 072 characters: a text pasted in
    a cell) is read whole, and the cells after it too; an unclosed quote before such a cell
    is still reported on its line."""
    text = "x" * 200_000
    path = tmp_path / "long.csv"
    path.write_text(
        f'nom;commentaire\n"Ana";"{text}"\n"Bob";"court ; avec séparateur"\n', encoding="utf-8"
    )
    df = read_table(path)
    assert df["commentaire"].tolist() == [text, "court ; avec séparateur"]
    assert df["nom"].tolist() == ["Ana", "Bob"]
    path.write_text(f'nom;commentaire\n"Ana";"{text}\n"Bob";"b"\n', encoding="utf-8")
    with pytest.raises(FormatError, match="guillemet") as info:
        read_table(path)
    assert info.value.line == 2


def test_sheet_names_checks_the_workbook_and_closes_it(tmp_path, workbook):
    from movsc_toolkit._errors import FormatError
    from movsc_toolkit._io import sheet_names

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always", ResourceWarning)
        assert sheet_names(workbook) == ["Adhérents", "Budget"]
        gc.collect()
    assert [w for w in seen if issubclass(w.category, ResourceWarning)] == []
    damaged = write(tmp_path, "abime.xlsx", b"PK\x03\x04 broken")
    with pytest.raises(FormatError, match="illisible ou endommagé"):
        sheet_names(damaged)
    with pytest.raises(FileError, match="introuvable"):
        sheet_names(tmp_path / "absent.xlsx")
    with pytest.raises(FileError, match="pas un classeur"):
        sheet_names(write(tmp_path, "a.csv", "a;b\n1;2\n"))
