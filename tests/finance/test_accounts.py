"""Chart of accounts of associations (ANC 2018-06): labels, classes, specific accounts."""

from __future__ import annotations

import pytest

from movsc_toolkit._errors import DataError
from movsc_toolkit.finance import (
    account_class,
    account_info,
    account_label,
    chart_of_accounts,
    is_association_specific,
)


def test_chart_has_the_documented_size_and_breakdown():
    chart = chart_of_accounts()
    # data/README.md: 1,040 accounts; 131 in class 1, 172 in class 2 … 32 in class 8
    assert len(chart) == 1040
    counts = chart["Classe"].value_counts().sort_index().tolist()
    assert counts == [131, 172, 70, 153, 55, 272, 155, 32]
    assert chart["Compte"].is_unique
    assert chart["Compte"].map(type).eq(str).all()


def test_specific_accounts_of_art_320_2():
    specific = chart_of_accounts(specific_only=True)
    assert len(specific) == 118
    # breakdown by class given in data/README.md
    assert specific["Classe"].value_counts().to_dict() == {1: 31, 2: 10, 4: 8, 6: 22, 7: 38, 8: 9}
    assert specific["Spécifique association"].all()
    full = chart_of_accounts()
    assert full["Spécifique association"].sum() == 118


def test_regulation_labels():
    assert account_label("756") == "Cotisations"
    assert account_label("875") == "Bénévolat"
    assert account_label("870") == "Dons en nature"
    assert account_label("689") == "Reports en fonds dédiés"
    assert account_label("73") == "Concours publics"
    assert account_label("102") == "Fonds propres sans droit de reprise"


def test_longest_prefix_match_on_software_account_numbers():
    assert account_label("6064000") == "Fournitures administratives"  # 6064
    assert account_label("75411000") == "Dons manuels"  # 75411
    assert account_label("7561") == "Cotisations sans contrepartie"
    assert account_label("999") is None
    assert account_label(6064000) == "Fournitures administratives"  # a number is accepted


def test_account_class():
    assert account_class("6411") == 6
    assert account_class("87") == 8
    assert account_class("512000") == 5
    assert account_class("9000") is None
    assert account_class("ABC") is None


def test_association_specific_flag():
    assert is_association_specific("6894000")  # reports en fonds dédiés
    assert is_association_specific("75411")  # dons manuels
    assert is_association_specific("864")  # personnel bénévole
    assert not is_association_specific("4110000")  # plain PCG account
    assert not is_association_specific("6411")


def test_account_info_knows_sub_accounts_padding_and_undivided_accounts():
    info = account_info(["6064000", "7000000", "7411", "10100", "A12", "999", "6064000"])
    assert list(info["Compte"]) == ["6064000", "7000000", "7411", "10100", "A12", "999", "6064000"]
    assert list(info["Connu"]) == [True, True, True, False, False, False, True]
    # 74 has no sub-account in the chart: 7411 (a funder) is a legitimate sub-account
    assert info.loc[2, "Compte du plan"] == "74"
    # 101 (capital) is excluded from the associations' chart: only "10" matches, with digits left
    assert info.loc[3, "Compte du plan"] == "10"
    assert info["Classe"].tolist()[:3] == [6, 7, 7]


def test_account_info_one_string_and_empty():
    assert len(account_info("512")) == 1
    with pytest.raises(DataError, match="aucun numéro de compte"):
        account_info([])
