"""French error messages: what, where, what to do."""

from __future__ import annotations

import pandas as pd
import pytest

from movsc_toolkit._errors import (
    ColumnError,
    ComputationError,
    DataError,
    EncodingError,
    FileError,
    FormatError,
    MovscError,
    ValidationError,
    check_columns,
    closest,
    column_error,
)


def test_message_with_location_and_hint():
    error = MovscError(
        "la valeur « abc » n'est pas un nombre.",
        path="reponses.csv",
        line=12,
        column="Âge",
        hint="corrigez la case dans le tableur.",
    )
    assert str(error) == (
        "Fichier « reponses.csv », ligne 12, colonne « Âge » : la valeur « abc » n'est pas un "
        "nombre.\nQue faire : corrigez la case dans le tableur."
    )
    assert (error.path, error.line, error.column) == ("reponses.csv", 12, "Âge")


def test_message_without_location():
    assert str(MovscError("rien à signaler.")) == "rien à signaler."
    assert str(MovscError("x.", line=3)) == "Ligne 3 : x."
    assert str(MovscError("x.", hint="y.")) == "x.\nQue faire : y."


@pytest.mark.parametrize(
    ("cls", "bases"),
    [
        (FileError, (OSError,)),
        (EncodingError, (FileError, OSError)),
        (FormatError, (FileError, OSError)),
        (ColumnError, (KeyError,)),
        (DataError, (ValueError,)),
        (ValidationError, (ValueError,)),
        (ComputationError, (RuntimeError,)),
    ],
)
def test_hierarchy(cls, bases):
    error = cls("problème.")
    assert isinstance(error, MovscError)
    for base in bases:
        assert isinstance(error, base)
    with pytest.raises(MovscError):
        raise error


def test_column_error_str_is_not_quoted_like_keyerror():
    error = ColumnError("la colonne « x » n'existe pas.")
    assert str(error) == "la colonne « x » n'existe pas."


def test_closest_ignores_case_first_then_fuzzy():
    assert closest("age", ["Âge", "AGE", "Sexe"]) == ["AGE"]
    assert closest("Quartiers", ["Quartier", "Commune"]) == ["Quartier"]
    assert closest("zzz", ["Quartier", "Commune"]) == []


def test_column_error_suggests_the_closest_name():
    error = column_error("Age", ["Nom", "Âge", "Sexe"])
    assert isinstance(error, ColumnError)
    assert "la colonne « Age » n'existe pas." in str(error)
    assert "vouliez-vous dire « Âge » ?" in str(error)


def test_column_error_lists_columns_when_nothing_is_close():
    error = column_error("xyz", [f"q{i}" for i in range(20)], what="variable")
    message = str(error)
    assert "la variable « xyz » n'existe pas." in message
    assert "les variables disponibles sont : « q0 »" in message
    assert "…" in message  # only the first 15 are listed


def test_check_columns():
    df = pd.DataFrame({"Nom": [1], "Âge": [2]})
    check_columns(df, ["Nom", "Âge"])
    with pytest.raises(ColumnError, match="« Quartier »"):
        check_columns(df, ["Nom", "Quartier"], path="a.csv")
