"""Real FEC files of open-source accounting software, read by read_fec and checked against an
independent reading (pandas ``read_csv(dtype=str)`` and a direct sum of the debit and credit
columns), plus the counts published by the software's own tests.

Origins and licences: ``tests/data/real/SOURCES.md``, section « Finances ».
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pandas as pd
import pytest

from movsc_toolkit.finance import read_fec

REAL = Path(__file__).parents[1] / "data" / "real" / "finance"


def _amount(column: pd.Series) -> pd.Series:
    return column.str.strip().str.replace(",", ".", regex=False).astype(float)


def _independent(raw: bytes, sep: str, encoding: str) -> pd.DataFrame:
    return pd.read_csv(
        io.BytesIO(raw),
        sep=sep,
        dtype=str,
        keep_default_na=False,
        index_col=False,
        encoding=encoding,
    )


def _compare(ledger, df: pd.DataFrame) -> None:
    e = ledger.entries
    assert len(e) == len(df)
    assert e["Debit"].sum() == pytest.approx(_amount(df["Debit"]).sum(), abs=1e-6)
    assert e["Credit"].sum() == pytest.approx(_amount(df["Credit"]).sum(), abs=1e-6)
    assert set(e["CompteNum"]) == set(df["CompteNum"].str.strip())
    assert e["JournalCode"].tolist() == df["JournalCode"].str.strip().tolist()
    # line by line, not only the totals
    assert e["Debit"].tolist() == pytest.approx(_amount(df["Debit"]).tolist())
    assert e["Credit"].tolist() == pytest.approx(_amount(df["Credit"]).tolist())


def test_fixed_width_pipe_fec_of_neolegal_fec_reader():
    """Pipe-separated, fields padded with spaces, a trailing « | » on every line, ISO-8859
    bytes, ``MontantDevise`` spelt with a capital D, file named for 2022 but dated 2023."""
    path = REAL / "111111111FEC20221231.TXT"
    ledger = read_fec(path)
    df = _independent(path.read_bytes(), "|", "latin-1")
    _compare(ledger, df)
    # counts asserted by fec-reader's own test (FecReaderTest.read_fixedSizeColumns)
    assert len(ledger.entries) == 934
    assert ledger.summary().loc[2023, "Écritures"] == 248
    assert ledger.entries["JournalCode"].nunique() == 9
    assert ledger.entries["Debit"].sum() == pytest.approx(225_682.23)
    # padded fields are stripped, padded optional fields empty (not "   ")
    e = ledger.entries
    assert (e["CompAuxNum"] == "").sum() == (df["CompAuxNum"].str.strip() == "").sum() > 0
    assert e["CompAuxNum"].tolist() == df["CompAuxNum"].str.strip().tolist()
    assert e["DateLet"].isna().sum() == (df["DateLet"].str.strip() == "").sum()
    p = ledger.problems
    assert p["gravité"].eq("alerte").all()
    assert p["message"].str.contains("exercice 2023 retenu").any()
    assert p["message"].str.contains("« Montantdevise »").any()
    assert not p["message"].str.contains("date invalide|champ obligatoire").any()


def test_22_field_treasury_fec_of_neolegal_fec_reader(tmp_path):
    """Tab-separated with the four extra fields of the cash-basis BNC variant (DateRglt,
    ModeRglt, NatOp, IdClient), every EcritureNum « 0 » and every ValidDate empty."""
    raw = gzip.decompress((REAL / "000000000FEC20231231.txt.gz").read_bytes())
    path = tmp_path / "000000000FEC20231231.txt"
    path.write_bytes(raw)
    ledger = read_fec(path)
    df = _independent(raw, "\t", "utf-8")
    _compare(ledger, df)
    assert len(ledger.entries) == 2102
    assert {"DateRglt", "ModeRglt", "NatOp", "IdClient"} <= set(ledger.entries.columns)
    assert ledger.entries["ModeRglt"].tolist() == df["ModeRglt"].tolist()
    p = ledger.problems
    empty_valid = p[p["message"].str.contains("« ValidDate » vide")]
    assert len(empty_valid) == (df["ValidDate"] == "").sum() == 2102
    outside = p[p["message"].str.contains("en dehors de l'exercice 2023")]
    assert len(outside) == (~df["EcritureDate"].str.startswith("2023")).sum()


def test_odoo_fec_export_with_sign_position_padding():
    """Odoo's FEC export (its own test's expected output): « | », CRLF, amounts written
    `` 000000000003000,00`` (a space where the sign goes) and negative currency amounts."""
    path = REAL / "odoo_fec_export_2020.txt"
    ledger = read_fec(path)
    df = _independent(path.read_bytes(), "|", "utf-8")
    _compare(ledger, df)
    assert ledger.years == [2020]
    assert ledger.entries["Credit"].tolist() == [3000, 0, 1000, 2000, 0]
    p = ledger.problems
    assert not p["message"].str.contains("illisible|déséquilibrée|champ").any()
