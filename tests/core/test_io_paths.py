"""read_table's two readers of a text file without quotes give the same table.

With pyarrow, such a file is read into Arrow strings (``_parse_arrow``); anything unusual
(an empty line, a short or long line) goes to the general reader. Each file below is read
both ways — the Arrow reader turned off — and the frames, line numbers, problems, warnings
and errors must be identical.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from movsc_toolkit import read_table
from movsc_toolkit._errors import MovscError, MovscWarning
from movsc_toolkit._io import columns, delimited

pytest.importorskip("pyarrow")

HEAD = "Nom;Commune;Montant;Date;Code\r\n"
ROWS = [
    "Hélène Dupré;Péronnas;1 234,56;01/03/2024;01000\r\n",
    "Noël Garçon; Viriat ;12,50;15/03/2024;07100\r\n",
    "Zoé Lefèvre;Viriat;-3,00;28/02/2024;75011\r\n",
]
FILES = {
    "simple": HEAD + "".join(ROWS),
    "no final line break": HEAD + "".join(ROWS).rstrip("\r\n"),
    "lines of separators and spaces": HEAD
    + ROWS[0]
    + ";;;;\r\n"
    + "  ; ;\t;;\r\n"
    + ROWS[1]
    + " \u00a0;;;;\r\n"
    + ROWS[2],
    "first cell starts with a space": HEAD + " " + ROWS[0] + ROWS[1] + ROWS[2],
    "empty line": HEAD + ROWS[0] + "\r\n" + ROWS[1] + ROWS[2],
    "trailing empty lines": HEAD + "".join(ROWS) + "\r\n\r\n",
    "short line": HEAD + ROWS[0] + "Zoé;Viriat;1,00\r\n" + ROWS[2],
    "long line": HEAD + ROWS[0] + "Zoé;Viriat;1,00;01/01/2024;01000;x\r\n" + ROWS[2],
    "short and long lines": HEAD + "a;b;c;d\r\n" + "a;b;c;d;e;f\r\n" + ROWS[2],
    "placeholder among amounts": HEAD + "".join(ROWS) + "Léa;Viriat;NC;01/03/2024;01001\r\n",
    "trailing separator on every line": "".join(r.replace("\r\n", ";\r\n") for r in [HEAD, *ROWS]),
    "header only": HEAD,
    "one column": "Nom\nHélène\n\n  \nNoël\n",
    "LF line ends": (HEAD + "".join(ROWS)).replace("\r\n", "\n"),
}


def _amounts(*values: str) -> str:
    """A file whose column « Montant » holds ``values`` (one line each)."""
    return "Nom;Montant\n" + "".join(f"n° {i};{v}\n" for i, v in enumerate(values))


AMOUNTS = ["1 234,56", "12,50", "-3,00", "0,75", "987 654 321,5", "-12 000,00"]
FILES.update(
    {
        "amounts": _amounts(*AMOUNTS),
        "amounts and placeholders": _amounts(*AMOUNTS, "NC", "-", "NC"),
        "amounts and many texts": _amounts(*AMOUNTS, "NC", "-", "?", "x", "y", "z", "w"),
        "amounts, 1,250 and a decimal point": _amounts(*AMOUNTS, "1,250", "3.5", "-2,500"),
        "amounts and 1,250 only French": _amounts(*AMOUNTS, "1,250", "-2,500", "NC"),
        "amounts with an English number": _amounts(*AMOUNTS, "1,234.50", "1,250"),
        "amounts and sixteen digits": _amounts(*AMOUNTS, "1 234 567 890 123,45", "NC"),
        "amounts and a leading zero": _amounts(*AMOUNTS, "01,50"),
        "amounts and blanks": _amounts(*AMOUNTS, "", " ", "12,00"),
        "amounts and a no-break space": _amounts(*AMOUNTS, "1\u00a0234,56", "NC"),
        "amounts and integers": _amounts(*AMOUNTS, "12", "1 000", "NC"),
        "amounts with spaces around": _amounts(*AMOUNTS, " 12,50", "NC"),
        "amounts, a code among them": _amounts(*AMOUNTS, "99,00", "NC"),
        "only 1,250": _amounts("1,250", "2,500", "-3,750"),
        # many distinct values (checked for spaces by Arrow), one with spaces around
        "many remarks, one spaced": _amounts(
            *(f"remarque {i}" + ("\u00a0" if i == 2500 else "") for i in range(5000))
        ),
        "many remarks, one spaced at the start": _amounts(
            *((" " if i == 700 else "") + f"remarque {i % 1500}" for i in range(3000))
        ),
        "tabs": (HEAD + "".join(ROWS)).replace(";", "\t"),
        "commas": (HEAD + "".join(ROWS)).replace(";", ",").replace(",50", ".50"),
        "bars": (HEAD + "".join(ROWS)).replace(";", "|"),
        "old Mac line ends": (HEAD + "".join(ROWS)).replace("\r\n", "\r"),
        "one lone CR": HEAD + ROWS[0] + "Zoé;Viriat\r;1,00;01/01/2024;01000\r\n" + ROWS[2],
        "a lone CR far down": _amounts(*(f"{i},5" if i != 80 else "8\r0,5" for i in range(100))),
        "mixed line ends": HEAD + ROWS[0].replace("\r\n", "\n") + ROWS[1] + ROWS[2],
        "backslashes, hashes, NUL": _amounts(
            *(f"c:\\dossier\\{i} # n°{i}" for i in range(400)), "a\x00b", "\\"
        ),
        "a field longer than Arrow's blocks": _amounts(*AMOUNTS, "x" * 1_500_000),
        "a long field, tabs": _amounts(*AMOUNTS, "x" * 200_000).replace(";", "\t"),
        "many amounts, one spaced": _amounts(*(f"{i},5" + " " * (i == 4000) for i in range(5000))),
    }
)


def _read(path: Path, arrow: bool, monkeypatch: pytest.MonkeyPatch, **options: object) -> object:
    with monkeypatch.context() as m:
        if not arrow:
            m.setattr(delimited, "_arrow_text", lambda: None)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                df = read_table(path, **options)
            except MovscError as exc:
                return type(exc), str(exc)
    return df, [str(w.message) for w in caught]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("name", list(FILES))
def test_arrow_reader_matches_general_reader(tmp_path, monkeypatch, name, encoding):
    path = tmp_path / "t.csv"
    path.write_bytes(FILES[name].encode(encoding))
    for options in ({}, {"na_values": ["NC", "99,00"]}, {"header": False}):
        fast = _read(path, True, monkeypatch, **options)
        slow = _read(path, False, monkeypatch, **options)
        if isinstance(slow[0], type):
            assert fast == slow
            continue
        (df, said), (ref, said_ref) = fast, slow
        pd.testing.assert_frame_equal(df, ref)
        assert df.attrs.keys() == ref.attrs.keys()
        assert df.attrs["lines"] == ref.attrs["lines"]
        assert df.attrs["source"] == ref.attrs["source"]
        if "problems" in ref.attrs:
            pd.testing.assert_frame_equal(df.attrs["problems"], ref.attrs["problems"])
        assert said == said_ref


def test_blank_lines_skipped_with_their_numbers(tmp_path):
    """The Arrow reader skips lines of separators and spaces, and keeps the line numbers."""
    path = tmp_path / "t.csv"
    path.write_bytes(FILES["lines of separators and spaces"].encode("utf-8"))
    df = read_table(path)
    assert df.attrs["lines"] == [2, 5, 6, 7]
    assert df["Nom"].tolist()[:2] == ["Hélène Dupré", "Noël Garçon"]
    assert df["Commune"].tolist()[1] == "Viriat"
    assert df.iloc[2].isna().all()  # no-break space only: a row of missing values, kept
    assert df["Code"].iloc[[0, 1, 3]].tolist() == ["01000", "07100", "75011"]
    assert pd.isna(df["Code"].iloc[2])


@pytest.mark.parametrize(
    ("name", "taken"),
    [
        ("simple", True),
        ("no final line break", True),
        ("lines of separators and spaces", True),
        ("one column", True),
        ("empty line", True),  # a row of empty cells, skipped as blank
        ("short line", False),
        ("long line", False),
        ("short and long lines", False),
    ],
)
def test_which_files_the_arrow_reader_takes(name, taken):
    """The comparisons above cover both readers: the Arrow one takes the regular files."""
    found = delimited._parse_arrow(FILES[name].encode("utf-8"), ";")
    assert (found is not None) is taken


def test_arrow_trims_what_python_strips():
    """The Arrow check of stray spaces (``_arrow_needs_strip``) relies on Arrow trimming
    exactly the characters :meth:`str.strip` removes, at either end."""
    import pyarrow as pa
    import pyarrow.compute as pc

    chars = [chr(c) for c in range(0x3100) if not 0xD800 <= c < 0xE000]
    chars += ["\ufeff", "\U0001f600"]
    for cells in ([c + "x" for c in chars], ["x" + c for c in chars]):
        trimmed = pc.utf8_trim_whitespace(pa.array(cells, pa.large_string())).to_pylist()
        assert trimmed == [c.strip() for c in cells]
    s = pd.Series(["a", "b\u202f", "c"], dtype=pd.ArrowDtype(pa.large_string()))
    assert columns._arrow_needs_strip(s)
    assert not columns._arrow_needs_strip(s.str.strip())


def test_long_field_among_the_first_lines(tmp_path):
    """A cell longer than the csv module's limit (131 072 characters) does not stop the
    detection of the separator."""
    path = tmp_path / "t.csv"
    path.write_text(FILES["a long field, tabs"], encoding="utf-8")
    with pytest.warns(MovscWarning):  # the long text among amounts: kept as text, said
        df = read_table(path)
    assert df.attrs["source"]["sep"] == "\t"
    assert df["Montant"].iloc[-1] == "x" * 200_000
