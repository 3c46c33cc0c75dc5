"""Chart of accounts of French associations (plan comptable associatif, ANC 2018-06).

The chart ships as data (``finance/data/pca2018_accounts.csv``, 1,040 accounts): the PCG plan of
accounts (règlement ANC 2014-03, art. 932-1) subject to the specific accounts of art. 320-2 of
règlement ANC n° 2018-06 (``pca2018_specific_accounts_art320-2.csv``, 118 accounts), as art. 320-1
prescribes. Valid for financial years opened from 1 January 2020 (ANC 2018-06 applies from then)
to 31 December 2024 (règlement ANC 2022-06 changes the chart for years opened from 1 January
2025); see ``finance/data/README.md``.

Account numbers are **text**: they are matched by prefix, never converted to numbers. An account
of the books (``"6064000"``, ``"41100012"``) is described by the longest account of the chart that
is a prefix of it (``"6064"`` *Fournitures administratives*, ``"411"`` …).

Examples
--------
>>> from movsc_toolkit.finance import account_label, account_class
>>> account_label("7561000")
'Cotisations sans contrepartie'
>>> account_class("7561000")
7
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pandas as pd

from .._errors import DataError

__all__ = [
    "CLASS_LABELS",
    "account_class",
    "account_info",
    "account_label",
    "chart_of_accounts",
    "is_association_specific",
]

_DATA = Path(__file__).resolve().parent / "data"

#: Labels of the eight classes of the chart.
CLASS_LABELS = {
    1: "Comptes de capitaux",
    2: "Comptes d’immobilisations",
    3: "Comptes de stocks et en-cours",
    4: "Comptes de tiers",
    5: "Comptes financiers",
    6: "Comptes de charges",
    7: "Comptes de produits",
    8: "Comptes spéciaux",
}


def _read_chart(name: str) -> dict[str, str]:
    with (_DATA / name).open(encoding="utf-8", newline="") as fh:
        return {row["account"]: row["label"] for row in csv.DictReader(fh, delimiter=";")}


@cache
def _chart() -> dict[str, str]:
    return _read_chart("pca2018_accounts.csv")


@cache
def _specific() -> frozenset[str]:
    return frozenset(_read_chart("pca2018_specific_accounts_art320-2.csv"))


@cache
def _has_children() -> frozenset[str]:
    accounts = _chart()
    return frozenset(a[:-1] for a in accounts if len(a) > 1)


def chart_of_accounts(specific_only: bool = False) -> pd.DataFrame:
    """The plan comptable associatif 2020–2024 as a table.

    Parameters
    ----------
    specific_only
        Only the 118 accounts of art. 320-2 of règlement ANC 2018-06 (accounts the regulation
        adds to, renames in or repurposes from the PCG).

    Returns
    -------
    pandas.DataFrame
        Columns ``Compte`` (text), ``Libellé``, ``Classe`` (1–8), ``Libellé de la classe`` and
        ``Spécifique association`` (True for the accounts of art. 320-2).

    Examples
    --------
    >>> from movsc_toolkit import finance
    >>> len(finance.chart_of_accounts()), len(finance.chart_of_accounts(specific_only=True))
    (1040, 118)
    >>> finance.chart_of_accounts().loc[0, ["Compte", "Libellé"]].tolist()
    ['1', 'Comptes de capitaux']

    References
    ----------
    Règlement ANC n° 2018-06, art. 320-1 and 320-2 (plan comptable associatif, subject to the
    PCG, règlement ANC n° 2014-03, art. 932-1). Checked in ``tests/finance/test_accounts.py::test_chart_has_the_documented_size_and_breakdown`` and
    ``::test_specific_accounts_of_art_320_2``.
    """
    chart = _chart()
    specific = _specific()
    rows = [
        {
            "Compte": account,
            "Libellé": label,
            "Classe": int(account[0]),
            "Libellé de la classe": CLASS_LABELS[int(account[0])],
            "Spécifique association": account in specific,
        }
        for account, label in chart.items()
        if not specific_only or account in specific
    ]
    return pd.DataFrame(rows)


def _normalise(number: object) -> str:
    text = str(number).strip()
    if isinstance(number, float) and number.is_integer():
        text = str(int(number))
    return text


def _match(number: str) -> str | None:
    """Longest account of the chart that is a prefix of ``number``."""
    chart = _chart()
    for length in range(min(len(number), 6), 0, -1):
        if number[:length] in chart:
            return number[:length]
    return None


def _is_known(number: str, matched: str | None) -> bool:
    """Whether ``number`` is a legitimate account (or sub-account) of the chart.

    Known when the matched chart account has at least three digits, when the number *is* a
    chart account, when the remaining digits are only padding zeros (``"7000000"`` → 70), or
    when the matched account has no sub-account in the chart (``"7411"`` under 74, which the
    chart does not subdivide).
    """
    if matched is None or not number.isdigit():
        return False
    if len(matched) >= 3 or number == matched:
        return True
    rest = number[len(matched) :]
    return set(rest) <= {"0"} or matched not in _has_children()


def account_label(account: object) -> str | None:
    """Label of an account (longest-prefix match in the chart), ``None`` if nothing matches.

    Parameters
    ----------
    account : str
        An account number as the accounting software writes it (text; a number is converted).

    Returns
    -------
    str or None
        The label of the longest account of the chart that is a prefix of ``account``.

    Examples
    --------
    >>> from movsc_toolkit import finance
    >>> finance.account_label("6064000")
    'Fournitures administratives'

    References
    ----------
    Règlement ANC n° 2018-06, art. 320-1 and 320-2 (plan comptable associatif, subject to the
    PCG, règlement ANC n° 2014-03, art. 932-1). Checked in ``tests/finance/test_accounts.py::test_longest_prefix_match_on_software_account_numbers``.
    """
    matched = _match(_normalise(account))
    return None if matched is None else _chart()[matched]


def account_class(account: object) -> int | None:
    """Class (1 to 8) of an account, ``None`` if it does not start with a digit from 1 to 8.

    Parameters
    ----------
    account : str
        An account number (text; a number is converted).

    Returns
    -------
    int or None

    Examples
    --------
    >>> from movsc_toolkit import finance
    >>> finance.account_class("41100012"), finance.account_class("X12")
    (4, None)
    """
    text = _normalise(account)
    if text[:1] in {"1", "2", "3", "4", "5", "6", "7", "8"}:
        return int(text[0])
    return None


def is_association_specific(account: object) -> bool:
    """Whether the account's chart account (longest prefix) is listed in art. 320-2 of ANC 2018-06.

    ``"7541100"`` (under 75411 *Dons manuels*) and ``"6894000"`` are specific; ``"4110000"``
    (under 411, a plain PCG account) is not.

    Parameters
    ----------
    account : str
        An account number (text; a number is converted).

    Returns
    -------
    bool

    Examples
    --------
    >>> from movsc_toolkit import finance
    >>> finance.is_association_specific("7541100"), finance.is_association_specific("4110000")
    (True, False)

    References
    ----------
    Règlement ANC n° 2018-06, art. 320-1 and 320-2 (plan comptable associatif, subject to the
    PCG, règlement ANC n° 2014-03, art. 932-1). Checked in ``tests/finance/test_accounts.py::test_association_specific_flag``.
    """
    matched = _match(_normalise(account))
    return matched is not None and matched in _specific()


def account_info(accounts: Iterable[object] | pd.Series | str) -> pd.DataFrame:
    """Describe account numbers with the chart (vectorised on the distinct numbers).

    Parameters
    ----------
    accounts
        One account number or several (text; numbers are accepted and converted).

    Returns
    -------
    pandas.DataFrame
        One row per number given, in order, with columns ``Compte`` (as given), ``Compte du
        plan`` (the matched chart account), ``Libellé``, ``Classe``, ``Libellé de la classe``,
        ``Spécifique association`` and ``Connu`` (False for an account that is not in the
        chart: first three characters not digits, or no chart account matches).

    Raises
    ------
    DataError
        When no account is given.

    Examples
    --------
    >>> from movsc_toolkit import finance
    >>> info = finance.account_info(["7561000", "411ABC"])
    >>> info[["Compte", "Compte du plan", "Libellé", "Connu"]].values.tolist()
    [['7561000', '7561', 'Cotisations sans contrepartie', True], ['411ABC', '411', 'Clients', False]]

    References
    ----------
    Règlement ANC n° 2018-06, art. 320-1 and 320-2 (plan comptable associatif, subject to the
    PCG, règlement ANC n° 2014-03, art. 932-1). Checked in ``tests/finance/test_accounts.py::test_account_info_knows_sub_accounts_padding_and_undivided_accounts``.
    """
    if isinstance(accounts, str):
        accounts = [accounts]
    values = [_normalise(n) for n in accounts]
    if not values:
        raise DataError("aucun numéro de compte à décrire.", hint="donnez au moins un compte.")
    chart = _chart()
    cache_rows: dict[str, tuple] = {}
    for number in set(values):
        matched = _match(number)
        klass = account_class(number)
        cache_rows[number] = (
            matched,
            None if matched is None else chart[matched],
            klass,
            None if klass is None else CLASS_LABELS[klass],
            is_association_specific(number),
            _is_known(number, matched),
        )
    columns = [
        "Compte du plan",
        "Libellé",
        "Classe",
        "Libellé de la classe",
        "Spécifique association",
        "Connu",
    ]
    out = pd.DataFrame([cache_rows[v] for v in values], columns=columns)
    out.insert(0, "Compte", values)
    out["Classe"] = out["Classe"].astype("Int64")
    return out
