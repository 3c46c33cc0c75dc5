"""read_fec's two readers give the same ledger: Arrow's CSV reader for a conforming UTF-8 FEC
(pyarrow is a dependency of the toolkit), pandas' C parser (which reports every deviation) for
anything else.

Each file is read twice: as ``read_fec`` reads it, and with the Arrow reader switched off; the
entries and the problems must be identical. Big files (more than the head that ``read_fec``
reads first, :data:`HEAD_BYTES`) are built with one deviation far from the head, where only the
Arrow reader can see it: the file must then go to the pandas path, with the deviation on its
line.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("pyarrow", reason="le lecteur Arrow de read_fec demande pyarrow")

from movsc_toolkit import datasets
from movsc_toolkit.finance import FEC_COLUMNS, fec, read_fec
from movsc_toolkit.finance._fec_text import HEAD_BYTES

DATA = Path(__file__).parents[1] / "data"
ENTRIES = 30_000  # two lines each: about 5 MB, more than HEAD_BYTES


def _bundled() -> list[Path]:
    files = sorted((DATA / "finance").glob("*FEC*.txt"))
    files += sorted(p for p in (DATA / "real" / "finance").iterdir() if p.suffix != ".gz")
    for name in datasets.list().index:
        folder = datasets.path(name)
        if folder.is_dir():
            files += sorted(p for p in folder.iterdir() if "FEC" in p.name.upper())
    return files


def _read_both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object, list]:
    used: list[bool] = []
    arrow_reader = fec.read_arrow

    def spy(*args, **kwargs):
        result = arrow_reader(*args, **kwargs)
        used.append(result is not None)
        return result

    with monkeypatch.context() as m:
        m.setattr(fec, "read_arrow", spy)
        fast = read_fec(path)
    with monkeypatch.context() as m:
        m.setattr(fec, "read_arrow", lambda *args, **kwargs: None)
        slow = read_fec(path)
    return fast, slow, used


def _same(fast, slow) -> None:
    pd.testing.assert_frame_equal(fast.entries, slow.entries)
    pd.testing.assert_frame_equal(fast.problems, slow.problems)


@pytest.mark.parametrize("path", _bundled(), ids=lambda p: p.name)
def test_bundled_and_real_files_read_alike_by_both_readers(path, monkeypatch):
    fast, slow, _ = _read_both(path, monkeypatch)
    _same(fast, slow)


def test_gzipped_real_file_reads_alike(tmp_path, monkeypatch):
    source = DATA / "real" / "finance" / "000000000FEC20231231.txt.gz"
    path = tmp_path / "000000000FEC20231231.txt"
    path.write_bytes(gzip.decompress(source.read_bytes()))
    fast, slow, _ = _read_both(path, monkeypatch)
    _same(fast, slow)


def _big_fec(tmp_path: Path, change=None, *, sep: str = "\t", bom: bool = False) -> Path:
    """A balanced FEC of ENTRIES two-line entries; ``change(lines)`` edits the lines (index 0 is
    the header) before writing."""
    lines = [sep.join(FEC_COLUMNS)]
    for i in range(ENTRIES):
        day = f"2024{1 + i % 12:02d}{1 + i % 28:02d}"
        amount = f"{10 + i % 997},{i % 100:02d}"
        for account, debit, credit in [("6064", amount, "0,00"), ("512", "0,00", amount)]:
            fields = ["BQ", "Banque", f"B{i:06d}", day, account, "Compte", "", ""]
            fields += [f"P{i}", day, f"Achat n° {i}", debit, credit, "", "", day, "", ""]
            lines.append(sep.join(fields))
    if change is not None:
        change(lines)
    path = tmp_path / "123456789FEC20241231.txt"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + ("\n".join(lines) + "\n").encode())
    assert path.stat().st_size > 2 * HEAD_BYTES
    return path


def test_big_conforming_file_is_read_by_arrow_alike(tmp_path, monkeypatch):
    fast, slow, used = _read_both(_big_fec(tmp_path), monkeypatch)
    assert used == [True]
    _same(fast, slow)
    assert len(fast.entries) == 2 * ENTRIES and fast.problems.empty
    assert fast.entries["EcritureDate"].iloc[-1] == pd.Timestamp(
        2024, 12, 12
    )  # i = 29 999: month 1 + i % 12, day 1 + i % 28


def test_big_file_with_bom_and_pipes_is_read_by_arrow_alike(tmp_path, monkeypatch):
    fast, slow, used = _read_both(_big_fec(tmp_path, sep="|", bom=True), monkeypatch)
    assert used == [True]
    _same(fast, slow)


def test_big_file_with_windows_line_ends_and_odd_characters_is_read_alike(tmp_path, monkeypatch):
    path = _big_fec(tmp_path, _at(LATE, "EcritureLib", 'Achat "n° 1" | \x00 œ'))
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    fast, slow, used = _read_both(path, monkeypatch)
    assert used == [True]
    _same(fast, slow)
    assert fast.entries["EcritureLib"].iloc[LATE - 1] == 'Achat "n° 1" | \x00 œ'


def _at(row: int, column: str, value: str, sep: str = "\t"):
    def change(lines: list[str]) -> None:
        fields = lines[row].split(sep)
        fields[FEC_COLUMNS.index(column)] = value
        lines[row] = sep.join(fields)

    return change


LATE = 2 * ENTRIES - 5  # a line far beyond the head read first


@pytest.mark.parametrize(
    ("change", "column", "value"),
    [
        (_at(LATE, "EcritureDate", "20240230"), "EcritureDate", "20240230"),
        (_at(LATE, "PieceDate", "30240105"), "PieceDate", "30240105"),
        (_at(LATE, "ValidDate", "2024011"), "ValidDate", "2024011"),
        (_at(LATE, "Debit", "1.234,50"), "Debit", "1.234,50"),
        (_at(LATE, "Credit", "nan"), "Credit", "nan"),
        (_at(LATE, "JournalLib", "Banque   "), None, None),
        (_at(LATE, "CompteLib", "  Compte"), None, None),
        (_at(LATE, "EcritureDate", " 20240101"), None, None),
        (_at(LATE, "ValidDate", ""), "ValidDate", ""),
    ],
    ids=[
        "impossible-date",
        "date-out-of-period",
        "short-date",
        "thousands",
        "nan-amount",
        "padded",
        "leading-spaces",
        "spaced-date",
        "empty-mandatory-date",
    ],
)
def test_deviation_far_from_the_head_goes_to_the_pandas_path(
    tmp_path, monkeypatch, change, column, value
):
    fast, slow, _ = _read_both(_big_fec(tmp_path, change), monkeypatch)
    _same(fast, slow)
    assert len(fast.entries) == 2 * ENTRIES  # no line dropped
    if column is not None:
        problems = fast.problems
        found = problems[(problems["ligne"] == LATE + 1) & (problems["colonne"] == column)]
        assert list(found["valeur"]) == [value]


@pytest.mark.parametrize(
    "change",
    [
        lambda lines: lines.insert(LATE, lines[0]),  # the header repeated
        lambda lines: lines.__setitem__(LATE, lines[LATE] + "\textra"),  # a field too many
        lambda lines: lines.__setitem__(LATE, lines[LATE].rsplit("\t", 3)[0]),  # too few
    ],
    ids=["header-repeated", "long-line", "short-line"],
)
def test_lines_of_another_shape_far_from_the_head_are_reported_alike(tmp_path, monkeypatch, change):
    fast, slow, used = _read_both(_big_fec(tmp_path, change), monkeypatch)
    assert used == [False]
    _same(fast, slow)
    assert (fast.problems["ligne"] == LATE + 1).any()


def test_bad_byte_far_from_the_head_reads_as_iso_8859_15(tmp_path, monkeypatch):
    path = _big_fec(tmp_path, _at(LATE, "EcritureLib", "Achat @OE@"))
    path.write_bytes(path.read_bytes().replace(b"@OE@", b"\xbd"))
    fast, slow, _ = _read_both(path, monkeypatch)
    _same(fast, slow)
    assert fast.entries["EcritureLib"].iloc[LATE - 1] == "Achat œ"  # 0xBD is œ in ISO-8859-15


def test_blank_line_far_from_the_head_is_skipped_alike(tmp_path, monkeypatch):
    fast, slow, _ = _read_both(
        _big_fec(tmp_path, lambda lines: lines.insert(LATE, "")), monkeypatch
    )
    _same(fast, slow)
    assert len(fast.entries) == 2 * ENTRIES
    assert LATE + 1 not in set(fast.entries["ligne"])  # the blank line's number
