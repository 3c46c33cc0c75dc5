"""The CERFA n° 12156 budget catalogue: its lines, postes and funder categories.

This module is the one place where the form is described, and the internal API the finance
modules use to place an amount on a line of the form:

* the catalogue: :data:`CERFA_LINES` (one :class:`CerfaLine` per line, in the form's order, with
  the account prefixes mapped to it), :data:`POSTES` (headings of the two-digit postes),
  :data:`FUNDER_CATEGORIES` (the funder rows of the 74 line), the four section names
  (:data:`CHARGES`, :data:`PRODUITS`, :data:`EMPLOIS_CVN`, :data:`RESSOURCES_CVN`),
  :data:`BY_CODE` and :data:`ORDER` (a line and its rank by code), :data:`UNKNOWN_LINE` (the line
  receiving subsidies whose funder is not recognised);
* recognising a funder (:func:`funder_category`, :func:`funder_for` with the user's own rules)
  and a line code written by a user (:func:`code_of`);
* placing an account on its line (:func:`prefix_table`, :func:`line_for_account`: the longest
  account prefix wins, so ``6061`` goes to "Autres fournitures" and ``604`` to "Prestations de
  services"), with the labels searched for the funder (:func:`entry_labels`);
* the form's layout of per-line amounts (:func:`cerfa_layout`) and line names for sentences
  (:func:`line_name`, :func:`short_label`);
* the folding of labels used for matching (:func:`fold_label`, :func:`fold_labels`).

Contributions volontaires are mapped **by meaning**: ANC 875 (bénévolat) → "87 Bénévolat", ANC
871 → "87 Prestations en nature", ANC 870 (dons en nature) → "87 Dons en nature", because the
CERFA numbers 870 and 875 the other way round. The ANC account 73 (*concours publics*) is shown
on the CERFA line 73, which the form calls "dotations et produits de tarification".

References
----------
CERFA n° 12156*06, « Demande de subvention(s) » (budget prévisionnel, fiche 3); CERFA n° 15059*02
« Compte rendu financier » (same lines); ANC regulation 2018-06 (plan comptable des
associations, accounts 86/87 and 689/789). Checked in ``tests/finance/test_budget.py``
(``test_catalogue_codes_unique_and_funders_complete``, ``test_budget_vs_actual_hand_computed``
for the longest-prefix mapping and the 86/87 lines, ``test_funder_category``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._parse import fold_series, fold_words

__all__ = [
    "BY_CODE",
    "CERFA_LINES",
    "CHARGES",
    "EMPLOIS_CVN",
    "FUNDER_CATEGORIES",
    "ORDER",
    "POSTES",
    "PRODUITS",
    "RESSOURCES_CVN",
    "SECTIONS",
    "UNKNOWN_FUNDER",
    "UNKNOWN_LINE",
    "CerfaLine",
    "cerfa_layout",
    "code_of",
    "entry_labels",
    "fold_label",
    "fold_labels",
    "funder_category",
    "funder_for",
    "line_for_account",
    "line_name",
    "prefix_table",
    "short_label",
]

CHARGES = "Charges"
PRODUITS = "Produits"
EMPLOIS_CVN = "Emplois des contributions volontaires"
RESSOURCES_CVN = "Contributions volontaires en nature"
SECTIONS = (CHARGES, PRODUITS, EMPLOIS_CVN, RESSOURCES_CVN)

#: Headings of the CERFA postes (two-digit accounts), used for the subtotals.
POSTES: dict[str, str] = {
    "60": "60 – Achats",
    "61": "61 – Services extérieurs",
    "62": "62 – Autres services extérieurs",
    "63": "63 – Impôts et taxes",
    "64": "64 – Charges de personnel",
    "65": "65 – Autres charges de gestion courante",
    "66": "66 – Charges financières",
    "67": "67 – Charges exceptionnelles",
    "68": "68 – Dotations aux amortissements, provisions et reports en fonds dédiés",
    "69": "69 – Impôt sur les bénéfices, participation des salariés",
    "86": "86 – Emplois des contributions volontaires en nature",
    "70": "70 – Ventes de produits finis, de marchandises, prestations de services",
    "73": "73 – Dotations et produits de tarification",
    "74": "74 – Subventions d'exploitation",
    "75": "75 – Autres produits de gestion courante",
    "76": "76 – Produits financiers",
    "77": "77 – Produits exceptionnels",
    "78": "78 – Reprises sur amortissements, provisions et fonds dédiés",
    "79": "79 – Transferts de charges",
    "87": "87 – Contributions volontaires en nature",
}

#: Code of the line receiving subsidies whose funder could not be recognised (actuals only).
UNKNOWN_FUNDER = "74 Financeur non identifié"


@dataclass(frozen=True)
class CerfaLine:
    """One line of the CERFA 12156 budget."""

    code: str
    section: str
    poste: str
    label: str
    accounts: tuple[str, ...]


_DATA = Path(__file__).resolve().parent / "data" / "cerfa_12156_lines.csv"


def _read_lines() -> tuple[CerfaLine, ...]:
    """The lines of ``data/cerfa_12156_lines.csv`` (``code;section;label;accounts``, the
    account prefixes separated by spaces), in the form's order."""
    with _DATA.open(encoding="utf-8", newline="") as fh:
        return tuple(
            CerfaLine(
                row["code"],
                row["section"],
                row["code"][:2],
                row["label"],
                tuple(row["accounts"].split()),
            )
            for row in csv.DictReader(fh, delimiter=";")
        )


#: The CERFA 12156 lines in the form's order, with the account prefixes mapped to each (read
#: once from ``data/cerfa_12156_lines.csv``).
CERFA_LINES: tuple[CerfaLine, ...] = _read_lines()
#: Funder categories of the CERFA 74 line, in the form's order.
FUNDER_CATEGORIES: tuple[str, ...] = tuple(
    line.code[3:] for line in CERFA_LINES if line.code.startswith("74 ")
)

#: The CERFA line of each code.
BY_CODE: dict[str, CerfaLine] = {line.code: line for line in CERFA_LINES}
#: Rank of each code in the form.
ORDER: dict[str, int] = {line.code: i for i, line in enumerate(CERFA_LINES)}
#: The line of the subsidies whose funder was not recognised (actual amounts only).
UNKNOWN_LINE = CerfaLine(
    UNKNOWN_FUNDER, PRODUITS, "74", "Subventions dont le financeur n'a pas été reconnu", ("74",)
)


#: Folding of labels and codes for matching (no accents, case folded, punctuation as spaces).
fold_label = fold_words


def fold_labels(values: pd.Series) -> pd.Series:
    """:func:`fold_label` of each value, computed once per distinct value (fast on big ledgers);
    missing values give ``""``."""
    return fold_series(values, fold_label)


_CODE_LOOKUP = {fold_label(line.code): line.code for line in CERFA_LINES}


# Keywords recognising the funder category of a subsidy, tested in this order (the first
# match wins): "communauté de communes" must be tested before "commune", etc.
_FUNDER_PATTERNS: tuple[tuple[str, str], ...] = (
    ("Fonds européens", r"\b(fse|feder|feader|fonds europeens?|union europeenne|europe|leader)\b"),
    (
        "ASP",
        r"\b(asp|agence de services et de paiement|emplois? aides?|pec|parcours emploi"
        r"|cui|adultes? relais)\b",
    ),
    (
        "Organismes sociaux",
        r"\b(caf|caisse d allocations familiales|msa|carsat|cpam|cnaf|organismes? sociaux)\b",
    ),
    ("Aides privées", r"\b(fondation|fonds de dotation|aides? privees?)\b"),
    (
        "Intercommunalité",
        r"\b(communaute (de communes|d agglomeration|urbaine)|agglomeration|agglo|metropole"
        r"|epci|intercommunal\w*)\b",
    ),
    ("Région", r"\b(region|regional|conseil regional)\b"),
    ("Département", r"\b(departement|departemental|conseil departemental)\b"),
    (
        "Autres établissements publics",
        r"\b(agence nationale du sport|ans|ars|bpifrance|france travail|etablissements? publics?)\b",
    ),
    (
        "État",
        r"\b(etat|prefecture|prefet|ddets|dreets|drac|drajes|sdjes|ministere|fonjep|fdva|anct"
        r"|politique de la ville|dilcrah|cget)\b",
    ),
    ("Commune", r"\b(commune|ville|mairie|municipal\w*|ccas)\b"),
)


def funder_category(text: str) -> str | None:
    """Return the CERFA funder category recognised in a label, or ``None``.

    Parameters
    ----------
    text
        A funder's name or an accounting label ("Subvention CAF de la Gironde – PS animation").

    Returns
    -------
    str or None
        One of :data:`FUNDER_CATEGORIES`, or ``None`` when no keyword is recognised. The
        keywords are tried in a fixed order (the first match wins): European funds, ASP,
        social bodies, private aid, intercommunalities (before « commune »), region,
        department, other public bodies, State, commune.

    Examples
    --------
    >>> funder_category("Subvention CAF - prestation de service")
    'Organismes sociaux'
    >>> funder_category("Communauté de communes du Val")
    'Intercommunalité'
    >>> funder_category("Mairie de Vernay")
    'Commune'
    >>> funder_category("Cotisations des adhérents") is None
    True

    References
    ----------
    CERFA n° 12156*06, fiche 3, line 74 (« Subventions d'exploitation » by funder). Tested in
    ``tests/finance/test_budget.py`` (``test_funder_category``).
    """
    value = fold_label(text)
    for category, pattern in _FUNDER_PATTERNS:
        if re.search(pattern, value):
            return category
    return None


def code_of(value: object) -> str | None:
    """Normalise a code read from a file (604, '604', '74 etat') to a catalogue code."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text:
        return None
    key = fold_label(text)
    if key in _CODE_LOOKUP:
        return _CODE_LOOKUP[key]
    # "74 - État", "74 État (DDETS)": try the category name alone after 74
    match = re.match(r"^74\s+(.*)$", key)
    if match:
        category = funder_category(match.group(1))
        if category is None:
            for cat in FUNDER_CATEGORIES:
                if fold_label(cat) == match.group(1):
                    category = cat
        if category is not None:
            return f"74 {category}"
    return None


def line_name(code: str, label: str) -> str:
    """``"641 Rémunération des personnels"``; ``"74 État (préciser…)"`` for a funder line."""
    return f"74 {label}" if code.startswith("74 ") else f"{code} {label}"


def short_label(text: str, width: int = 45) -> str:
    """``text`` cut to ``width`` characters with « … » (labels of a chart)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def prefix_table() -> list[tuple[str, str]]:
    """``(account prefix, line code)`` pairs, longest prefix first; subsidies go to ``"74"``
    (their funder line is decided by :func:`funder_for`)."""
    pairs = [(p, line.code) for line in CERFA_LINES for p in line.accounts]
    pairs = [(p, c) for p, c in pairs if not c.startswith("74 ")] + [("74", "74")]
    return sorted(pairs, key=lambda pc: -len(pc[0]))


def line_for_account(account: str, prefixes: list[tuple[str, str]]) -> str | None:
    """The line code of an account number: the first (longest) prefix of ``prefixes``
    (from :func:`prefix_table`) that starts it, else ``None``."""
    for prefix, code in prefixes:
        if account.startswith(prefix):
            return code
    return None


def entry_labels(entries: pd.DataFrame, rows: np.ndarray | None = None) -> pd.Series:
    """The labels of each entry where a funder can be named: account, auxiliary account and
    entry labels, joined by spaces (``""`` when the ledger has none of these columns).

    ``rows``: positions of the lines wanted (all by default); only the label columns are then
    taken from the entries (a take of every column costs much more with Arrow text).
    """
    columns = [c for c in ("CompteLib", "CompAuxNum", "CompAuxLib", "EcritureLib") if c in entries]
    if rows is not None:
        entries = entries[columns].iloc[rows]
    parts = [entries[c].fillna("").astype(str) for c in columns]
    if not parts:
        return pd.Series("", index=entries.index)
    text = parts[0]
    for part in parts[1:]:
        text = text + " " + part
    return text


def funder_for(account: str, text: str, funders: Mapping[str, str] | None) -> str | None:
    """Funder category of a subsidy entry (account number and labels).

    ``funders`` maps an account prefix (``"7411"``) or a word of the labels (``"Ville de
    Bordeaux"``) to a category and is tried first, longest key first; then
    :func:`funder_category` on the labels.
    """
    if funders:
        for key in sorted(funders, key=len, reverse=True):
            if (key.isdigit() and account.startswith(key)) or (
                not key.isdigit() and fold_label(key) in fold_label(text)
            ):
                value = funders[key]
                value = value[3:] if value.startswith("74 ") else value
                return value if value in FUNDER_CATEGORIES else funder_category(value)
    return funder_category(text)


def cerfa_layout(amounts: pd.DataFrame) -> pd.DataFrame:
    """Lay per-code amounts out like the form: poste subtotals, lines, section totals.

    ``amounts`` is indexed by CERFA code, its columns are numeric (summed in subtotals). Postes
    and lines whose amounts are all zero are left out; the four section totals are always there.
    """
    numeric = list(amounts.columns)
    rows: list[dict[str, Any]] = []

    def add(kind: str, label: str, code: str, values: pd.Series) -> None:
        rows.append({"Type": kind, "Code": code, "Rubrique": label, **values.to_dict()})

    blocks = [
        (CHARGES, "TOTAL DES CHARGES"),
        (PRODUITS, "TOTAL DES PRODUITS"),
        (EMPLOIS_CVN, "TOTAL DES EMPLOIS (86)"),
        (RESSOURCES_CVN, "TOTAL DES CONTRIBUTIONS (87)"),
    ]
    catalogue = [*CERFA_LINES, UNKNOWN_LINE]
    for section, total_label in blocks:
        lines = [line for line in catalogue if line.section == section]
        codes = [line.code for line in lines if line.code in amounts.index]
        block = amounts.reindex(codes).fillna(0.0)
        postes = list(dict.fromkeys(line.poste for line in lines))
        for poste in postes:
            in_poste = [line for line in lines if line.poste == poste and line.code in codes]
            if not in_poste:
                continue
            sub = block.loc[[line.code for line in in_poste]]
            if not sub.to_numpy().any():
                continue  # an empty poste: the form leaves it blank
            add("poste", POSTES[poste], poste, sub.sum())
            if len(in_poste) > 1 or in_poste[0].code != poste:
                for line in in_poste:
                    if block.loc[line.code].to_numpy().any():
                        add("ligne", "    " + line.label, line.code, block.loc[line.code])
        add("total", total_label, "", block.sum())
    out = pd.DataFrame(rows, columns=["Type", "Code", "Rubrique", *numeric])
    return out
