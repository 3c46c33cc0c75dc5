"""Annual accounts of an association from its books: compte de résultat, bilan, SIG, CAF.

The layouts are those of règlement ANC n° 2018-06 (compte de résultat, art. 422-1; bilan,
art. 421-1); the account-to-line mappings follow the reference ``finance.md`` §1.7–1.8 (Paheko's
``bilan_pc`` rules where they exist, otherwise a documented proposal). Every account of classes
1 to 7 falls in exactly one line, so the totals always reconcile with the trial balance:

- the compte de résultat's *excédent ou déficit* is Σ7 − Σ6 (classes 86/87 excluded, shown at the
  foot as the *contributions volontaires en nature*);
- a FEC excludes the closing entries, so the year's result is not yet in account 12: it is added
  to the *Excédent ou déficit* line of the passif (§1.7, "Year's result");
- asset and liability accounts of classes 4 and 5 are classified by the sign of their own balance
  (per ``CompteNum``): a bank account in overdraft goes to the liabilities, a supplier with a
  debit balance to the other receivables (D⁺ / C⁺ of the reference).

SIG and CAF follow §3.3 (association variant of the EBE, which includes the *produits de tiers
financeurs* and *cotisations*; additive and subtractive CAF, which always agree).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import pandas as pd

from .._errors import ComputationError, DataError
from .._format import format_euro, frame_html
from .._report import Report, result
from .ledger import Ledger

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "CAF",
    "SIG",
    "BalanceSheet",
    "IncomeStatement",
    "balance_sheet",
    "caf",
    "income_statement",
    "sig",
]

# A term is (mode, prefixes, excluded prefixes); modes: "D" net debit balance, "C" net credit
# balance, "D+" sum of debit balances per account, "C+" sum of credit balances per account.
Term = tuple[str, tuple[str, ...], tuple[str, ...]]


def _t(mode: str, prefixes: str, exclude: str = "") -> Term:
    return (mode, tuple(prefixes.split()), tuple(exclude.split()))


def _value(ledger: Ledger, year: int, terms: list[Term]) -> float:
    total = 0.0
    for mode, prefixes, exclude in terms:
        if mode == "D":
            total += ledger.S(prefixes, year, exclude)
        elif mode == "C":
            total += ledger.C(prefixes, year, exclude)
        elif mode == "D+":
            total += ledger.debit_balances(prefixes, year, exclude)
        else:
            total += ledger.credit_balances(prefixes, year, exclude)
    return round(total, 2)


def _accounts_text(terms: list[Term]) -> str:
    parts = []
    for mode, prefixes, exclude in terms:
        text = ", ".join(prefixes)
        if mode == "D+":
            text = f"soldes débiteurs de {text}"
        elif mode == "C+":
            text = f"soldes créditeurs de {text}"
        if exclude:
            text += " sauf " + ", ".join(exclude)
        parts.append(text)
    return " ; ".join(parts)


def _years(ledger: Ledger, year: int | None) -> tuple[int, int | None]:
    y = ledger._year(year)
    return y, ledger.previous_year(y)


# --------------------------------------------------------------------------------------------
# Compte de résultat (art. 422-1)
# --------------------------------------------------------------------------------------------

# (block, label, terms); blocks "P…" are income (credit balances), "C…" charges (debit).
_CR_LINES: list[tuple[str, str, list[Term]]] = [
    ("Produits d'exploitation", "Cotisations", [_t("C", "756")]),
    (
        "Produits d'exploitation",
        "Ventes de biens (dont ventes de dons en nature)",
        [_t("C", "701 702 703 707 7091 7092 7093 7097")],
    ),
    (
        "Produits d'exploitation",
        "Ventes de prestations de service (dont parrainages)",
        [_t("C", "70", "701 702 703 707 7091 7092 7093 7097")],
    ),
    (
        "Produits d'exploitation",
        "Concours publics et subventions d'exploitation",
        [_t("C", "73 74")],
    ),
    (
        "Produits d'exploitation",
        "Versements des fondateurs ou consommations de la dotation consomptible",
        [_t("C", "753")],
    ),
    ("Produits d'exploitation", "Dons manuels", [_t("C", "754", "7542 7543")]),
    ("Produits d'exploitation", "Mécénats", [_t("C", "7542")]),
    ("Produits d'exploitation", "Legs, donations et assurances-vie", [_t("C", "7543")]),
    ("Produits d'exploitation", "Contributions financières", [_t("C", "755")]),
    (
        "Produits d'exploitation",
        "Reprises sur amortissements, dépréciations, provisions et transferts de charges",
        [_t("C", "781 791")],
    ),
    ("Produits d'exploitation", "Utilisations des fonds dédiés", [_t("C", "789")]),
    ("Produits d'exploitation", "Autres produits", [_t("C", "71 72 75", "753 754 755 756")]),
    ("Charges d'exploitation", "Achats de marchandises", [_t("D", "607 6087 6097")]),
    ("Charges d'exploitation", "Variation de stock de marchandises", [_t("D", "6037")]),
    (
        "Charges d'exploitation",
        "Autres achats et charges externes",
        [_t("D", "60 61 62", "607 6037 6087 6097")],
    ),
    ("Charges d'exploitation", "Aides financières", [_t("D", "657")]),
    ("Charges d'exploitation", "Impôts, taxes et versements assimilés", [_t("D", "63")]),
    ("Charges d'exploitation", "Salaires et traitements", [_t("D", "64", "645 647")]),
    ("Charges d'exploitation", "Charges sociales", [_t("D", "645 647")]),
    (
        "Charges d'exploitation",
        "Dotations aux amortissements et aux dépréciations",
        [_t("D", "681", "6815")],
    ),
    ("Charges d'exploitation", "Dotations aux provisions", [_t("D", "6815")]),
    ("Charges d'exploitation", "Reports en fonds dédiés", [_t("D", "689")]),
    ("Charges d'exploitation", "Autres charges", [_t("D", "65", "657")]),
    ("Produits financiers", "De participation", [_t("C", "761")]),
    (
        "Produits financiers",
        "D'autres valeurs mobilières et créances de l'actif immobilisé",
        [_t("C", "762")],
    ),
    (
        "Produits financiers",
        "Autres intérêts et produits assimilés",
        [_t("C", "76", "761 762 766 767")],
    ),
    (
        "Produits financiers",
        "Reprises sur provisions, dépréciations et transferts de charges financières",
        [_t("C", "786 796")],
    ),
    ("Produits financiers", "Différences positives de change", [_t("C", "766")]),
    (
        "Produits financiers",
        "Produits nets sur cessions de valeurs mobilières de placement",
        [_t("C", "767")],
    ),
    (
        "Charges financières",
        "Dotations aux amortissements, dépréciations et provisions financières",
        [_t("D", "686")],
    ),
    ("Charges financières", "Intérêts et charges assimilées", [_t("D", "66", "666 667")]),
    ("Charges financières", "Différences négatives de change", [_t("D", "666")]),
    (
        "Charges financières",
        "Charges nettes sur cessions de valeurs mobilières de placement",
        [_t("D", "667")],
    ),
    (
        "Produits exceptionnels",
        "Produits exceptionnels sur opérations de gestion",
        [_t("C", "771 772")],
    ),
    (
        "Produits exceptionnels",
        "Produits exceptionnels sur opérations en capital",
        [_t("C", "77", "771 772")],
    ),
    (
        "Produits exceptionnels",
        "Reprises exceptionnelles sur provisions, dépréciations et transferts de charges",
        [_t("C", "787 797")],
    ),
    (
        "Charges exceptionnelles",
        "Charges exceptionnelles sur opérations de gestion",
        [_t("D", "671 672")],
    ),
    (
        "Charges exceptionnelles",
        "Charges exceptionnelles sur opérations en capital",
        [_t("D", "67", "671 672")],
    ),
    (
        "Charges exceptionnelles",
        "Dotations exceptionnelles aux amortissements, dépréciations et provisions",
        [_t("D", "687")],
    ),
    ("Participation et impôts", "Participation des salariés aux résultats", [_t("D", "691")]),
    ("Participation et impôts", "Impôts sur les bénéfices", [_t("D", "69", "691")]),
    (
        "Contributions volontaires en nature (produits)",
        "Dons en nature",
        [_t("C", "87", "871 875")],
    ),
    ("Contributions volontaires en nature (produits)", "Prestations en nature", [_t("C", "871")]),
    ("Contributions volontaires en nature (produits)", "Bénévolat", [_t("C", "875")]),
    (
        "Contributions volontaires en nature (charges)",
        "Secours en nature",
        [_t("D", "86", "861 862 864")],
    ),
    (
        "Contributions volontaires en nature (charges)",
        "Mises à disposition gratuite de biens",
        [_t("D", "861")],
    ),
    ("Contributions volontaires en nature (charges)", "Prestations", [_t("D", "862")]),
    ("Contributions volontaires en nature (charges)", "Personnel bénévole", [_t("D", "864")]),
]

_CR_TOTALS = {
    "Produits d'exploitation": "Total des produits d'exploitation (I)",
    "Charges d'exploitation": "Total des charges d'exploitation (II)",
    "Produits financiers": "Total des produits financiers (III)",
    "Charges financières": "Total des charges financières (IV)",
    "Produits exceptionnels": "Total des produits exceptionnels (V)",
    "Charges exceptionnelles": "Total des charges exceptionnelles (VI)",
    "Contributions volontaires en nature (produits)": "Total des contributions volontaires en nature",
    "Contributions volontaires en nature (charges)": "Total des emplois des contributions "
    "volontaires en nature",
}


def _cr_column(ledger: Ledger, year: int) -> tuple[list[tuple[str, str, str, float]], dict]:
    rows: list[tuple[str, str, str, float]] = []
    sums: dict[str, float] = {}
    for block, label, terms in _CR_LINES:
        value = _value(ledger, year, terms)
        sums[block] = sums.get(block, 0.0) + value
        rows.append((block, label, _accounts_text(terms), value))
    s = {k: round(v, 2) for k, v in sums.items()}
    t = {
        "I": s["Produits d'exploitation"],
        "II": s["Charges d'exploitation"],
        "III": s["Produits financiers"],
        "IV": s["Charges financières"],
        "V": s["Produits exceptionnels"],
        "VI": s["Charges exceptionnelles"],
        "VII": _value(ledger, year, [_t("D", "691")]),
        "VIII": _value(ledger, year, [_t("D", "69", "691")]),
        "CVN_P": s["Contributions volontaires en nature (produits)"],
        "CVN_C": s["Contributions volontaires en nature (charges)"],
    }
    t["R1"] = round(t["I"] - t["II"], 2)
    t["R2"] = round(t["III"] - t["IV"], 2)
    t["R3"] = round(t["R1"] + t["R2"], 2)
    t["R4"] = round(t["V"] - t["VI"], 2)
    t["TP"] = round(t["I"] + t["III"] + t["V"], 2)
    t["TC"] = round(t["II"] + t["IV"] + t["VI"] + t["VII"] + t["VIII"], 2)
    t["R"] = round(t["TP"] - t["TC"], 2)
    return rows, t


def _cr_table(ledger: Ledger, year: int) -> tuple[pd.DataFrame, dict]:
    rows, t = _cr_column(ledger, year)
    out: list[tuple[str, str, str, float]] = []
    by_block: dict[str, list] = {}
    for row in rows:
        by_block.setdefault(row[0], []).append(row)

    def block(name: str, total_key: str) -> None:
        out.extend(by_block[name])
        out.append((name, _CR_TOTALS[name], "", t[total_key]))

    block("Produits d'exploitation", "I")
    block("Charges d'exploitation", "II")
    out.append(("Résultats", "1. Résultat d'exploitation (I − II)", "", t["R1"]))
    block("Produits financiers", "III")
    block("Charges financières", "IV")
    out.append(("Résultats", "2. Résultat financier (III − IV)", "", t["R2"]))
    out.append(("Résultats", "3. Résultat courant avant impôts (1 + 2)", "", t["R3"]))
    block("Produits exceptionnels", "V")
    block("Charges exceptionnelles", "VI")
    out.append(("Résultats", "4. Résultat exceptionnel (V − VI)", "", t["R4"]))
    for r in by_block["Participation et impôts"]:
        label = r[1] + (" (VII)" if "Participation" in r[1] else " (VIII)")
        out.append((r[0], label, r[2], r[3]))
    out.append(("Résultats", "Total des produits (I + III + V)", "", t["TP"]))
    out.append(("Résultats", "Total des charges (II + IV + VI + VII + VIII)", "", t["TC"]))
    out.append(("Résultats", "EXCÉDENT OU DÉFICIT", "Σ7 − Σ6 (hors 86/87)", t["R"]))
    block("Contributions volontaires en nature (produits)", "CVN_P")
    block("Contributions volontaires en nature (charges)", "CVN_C")
    table = pd.DataFrame(out, columns=["Bloc", "Poste", "Comptes", "N"]).set_index("Poste")
    return table[["Bloc", "N", "Comptes"]], t


def _with_previous(
    ledger: Ledger, year: int, previous: int | None, build
) -> tuple[pd.DataFrame, dict, dict | None]:
    table, totals = build(ledger, year)
    prev_totals = None
    if previous is not None:
        prev_table, prev_totals = build(ledger, previous)
        table.insert(table.columns.get_loc("N") + 1, "N-1", prev_table["N"].to_numpy())
    else:
        table.insert(table.columns.get_loc("N") + 1, "N-1", float("nan"))
    return table, totals, prev_totals


@result
class IncomeStatement(Report):
    """Compte de résultat in the ANC 2018-06 model (art. 422-1), with N−1 when loaded.

    ``table`` is indexed by ``Poste`` with columns ``Bloc``, ``N``, ``N-1`` (NaN when the
    previous year is not loaded) and ``Comptes`` (the accounts of each line). Income and
    charges are positive amounts; the résultats are signed (a deficit is negative).
    """

    table: pd.DataFrame
    year: int
    previous_year: int | None
    total_produits: float
    total_charges: float
    resultat: float
    resultat_exploitation: float
    resultat_financier: float
    resultat_exceptionnel: float
    contributions_volontaires: float
    emplois_contributions_volontaires: float

    def to_frame(self) -> pd.DataFrame:
        """The statement as a DataFrame (a copy of ``table``)."""
        return self.table.copy()

    def plot(self, *, ax: Axes | None = None) -> Axes:
        """Horizontal bars of the non-zero income and charge lines of the year (CVN excluded)."""
        from ..plotting import PALETTE, euro_formatter, get_axes

        t = self.table
        detail = t[
            t["Comptes"].ne("")
            & ~t["Bloc"].str.startswith("Contributions")
            & ~t.index.str.startswith("EXCÉDENT")
            & t["N"].ne(0)
        ]
        is_income = detail["Bloc"].str.startswith("Produits")
        _fig, ax = get_axes(ax, figsize=(8, max(3.0, 0.35 * len(detail) + 1)))
        positions = range(len(detail))[::-1]
        colors = [PALETTE[0] if inc else PALETTE[1] for inc in is_income]
        ax.barh(list(positions), detail["N"].to_numpy(), color=colors)
        ax.set_yticks(list(positions), [str(i) for i in detail.index])
        ax.xaxis.set_major_formatter(euro_formatter())
        ax.set_title(f"Produits (bleu) et charges (orange) de l'exercice {self.year}")
        return ax

    def _lines(self) -> list[str]:
        word = "un excédent" if self.resultat >= 0 else "un déficit"
        text = (
            f"Compte de résultat {self.year} : {format_euro(self.total_produits)} de produits, "
            f"{format_euro(self.total_charges)} de charges, soit {word} de "
            f"{format_euro(abs(self.resultat))}. Résultat d'exploitation "
            f"{format_euro(self.resultat_exploitation)}, financier "
            f"{format_euro(self.resultat_financier)}, exceptionnel "
            f"{format_euro(self.resultat_exceptionnel)}."
        )
        if self.contributions_volontaires:
            text += (
                f" Contributions volontaires en nature (bénévolat, dons et prestations en "
                f"nature) : {format_euro(self.contributions_volontaires)}, hors résultat."
            )
        return [text]

    def _html_tables(self) -> str:
        return frame_html(self.table, decimals=2)


def income_statement(ledger: Ledger, year: int | None = None) -> IncomeStatement:
    """Compte de résultat of a financial year (the latest by default) in the ANC 2018-06 model.

    The N−1 column is filled when the previous year is in the ledger. The *contributions
    volontaires en nature* (87 by category, 86 by use; art. 211-3) are shown below the result,
    outside it.

    Examples
    --------
    >>> cr = income_statement(ledger, 2024)          # doctest: +SKIP
    >>> cr.resultat, cr.table.loc["Cotisations", "N"]  # doctest: +SKIP
    """
    y, previous = _years(ledger, year)
    table, t, _ = _with_previous(ledger, y, previous, _cr_table)
    return IncomeStatement(
        table=table,
        year=y,
        previous_year=previous,
        total_produits=t["TP"],
        total_charges=t["TC"],
        resultat=t["R"],
        resultat_exploitation=t["R1"],
        resultat_financier=t["R2"],
        resultat_exceptionnel=t["R4"],
        contributions_volontaires=t["CVN_P"],
        emplois_contributions_volontaires=t["CVN_C"],
    )


# --------------------------------------------------------------------------------------------
# Bilan (art. 421-1)
# --------------------------------------------------------------------------------------------


def _fixed(label: str, gross: str, exclude: str = "") -> tuple[str, list[Term], list[Term]]:
    """An asset line of class 2 and its amortisation (28…) and depreciation (29…) accounts."""
    g = gross.split()
    x = exclude.split()
    amort = " ".join(f"28{p[1:]} 29{p[1:]}" for p in g)
    amort_x = " ".join(f"28{p[1:]} 29{p[1:]}" for p in x)
    return label, [_t("D", gross, exclude)], [_t("C", amort, amort_x)]


_ACTIF: list[tuple[str, list[tuple[str, list[Term], list[Term]]]]] = [
    (
        "Immobilisations incorporelles",
        [
            _fixed("Frais d'établissement", "201"),
            _fixed("Frais de recherche et de développement", "203"),
            _fixed("Donations temporaires d'usufruit", "204"),
            _fixed(
                "Concessions, brevets, licences, marques, procédés, logiciels, droits et "
                "valeurs similaires",
                "205",
            ),
            _fixed("Autres immobilisations incorporelles", "20", "201 203 204 205"),
            _fixed("Immobilisations incorporelles en cours", "232"),
            _fixed("Avances et acomptes sur immobilisations incorporelles", "237"),
        ],
    ),
    (
        "Immobilisations corporelles",
        [
            _fixed("Terrains", "211 212"),
            _fixed("Constructions", "213 214"),
            _fixed("Installations techniques, matériel et outillage industriels", "215"),
            _fixed("Autres immobilisations corporelles", "21 22", "211 212 213 214 215"),
            _fixed("Immobilisations corporelles en cours", "23", "232 237 238"),
            _fixed("Avances et acomptes sur immobilisations corporelles", "238"),
            _fixed("Biens reçus par legs ou donations destinés à être cédés", "24"),
        ],
    ),
    (
        "Immobilisations financières",
        [
            _fixed("Participations et créances rattachées", "25 26"),
            _fixed("Autres titres immobilisés", "271 272 273"),
            _fixed("Prêts", "274"),
            _fixed("Autres immobilisations financières", "27", "271 272 273 274"),
        ],
    ),
    (
        "Actif circulant",
        [
            ("Stocks et en-cours", [_t("D", "3", "39")], [_t("C", "39")]),
            (
                "Créances clients, usagers et comptes rattachés",
                [_t("D+", "41")],
                [_t("C", "491")],
            ),
            ("Créances reçues par legs ou donations", [_t("D+", "461")], []),
            (
                "Autres créances",
                [
                    _t("D+", "40 42 43 44 45"),
                    _t("D+", "46", "461"),
                    _t("D+", "47", "476 477"),
                    _t("D+", "48", "4816 486 487"),
                ],
                [_t("C", "49", "491")],
            ),
            ("Valeurs mobilières de placement", [_t("D+", "50")], [_t("C", "59")]),
            ("Instruments de trésorerie", [_t("D+", "52")], []),
            ("Disponibilités", [_t("D+", "51 53 54 58")], []),
            ("Charges constatées d'avance", [_t("D", "486")], []),
        ],
    ),
    (
        "Comptes de régularisation",
        [
            ("Frais d'émission des emprunts (III)", [_t("D", "4816")], []),
            ("Primes de remboursement des obligations (IV)", [_t("D", "169")], []),
            ("Écarts de conversion actif (V)", [_t("D", "476")], []),
        ],
    ),
]

_RESULT = "Excédent ou déficit de l'exercice"

_PASSIF: list[tuple[str, list[tuple[str, list[Term]]]]] = [
    (
        "Fonds propres",
        [
            ("Fonds propres sans droit de reprise", [_t("C", "10", "103 105 106 108")]),
            ("Fonds propres avec droit de reprise", [_t("C", "103")]),
            ("Écarts de réévaluation", [_t("C", "105")]),
            ("Réserves statutaires ou contractuelles", [_t("C", "1063")]),
            ("Réserves pour projet de l'entité", [_t("C", "1068")]),
            ("Autres réserves", [_t("C", "106", "1063 1068")]),
            ("Report à nouveau", [_t("C", "11")]),
            (_RESULT, [_t("C", "12")]),
            ("Fonds propres consomptibles", [_t("C", "108")]),
            ("Subventions d'investissement", [_t("C", "13")]),
            ("Provisions réglementées", [_t("C", "14")]),
        ],
    ),
    (
        "Fonds reportés et dédiés",
        [
            ("Fonds reportés liés aux legs ou donations", [_t("C", "191")]),
            ("Fonds dédiés", [_t("C", "19", "191")]),
        ],
    ),
    (
        "Provisions",
        [
            ("Provisions pour risques", [_t("C", "151")]),
            ("Provisions pour charges", [_t("C", "15", "151")]),
        ],
    ),
    (
        "Dettes",
        [
            ("Emprunts obligataires et assimilés (titres associatifs)", [_t("C", "163")]),
            (
                "Emprunts et dettes auprès des établissements de crédit",
                [_t("C", "164"), _t("C+", "51")],
            ),
            (
                "Emprunts et dettes financières diverses",
                [_t("C", "16 17 18", "163 164 169"), _t("C+", "45")],
            ),
            ("Dettes fournisseurs et comptes rattachés", [_t("C+", "40", "404 405")]),
            ("Dettes des legs ou donations", [_t("C+", "466")]),
            ("Dettes fiscales et sociales", [_t("C+", "42 43 44")]),
            ("Dettes sur immobilisations et comptes rattachés", [_t("C+", "404 405")]),
            (
                "Autres dettes",
                [
                    _t("C+", "41"),
                    _t("C+", "46", "466"),
                    _t("C+", "47", "476 477"),
                    _t("C+", "48", "4816 486 487"),
                    _t("C+", "50 53 54 58"),
                ],
            ),
            ("Instruments de trésorerie (passif)", [_t("C+", "52")]),
            ("Produits constatés d'avance", [_t("C", "487")]),
        ],
    ),
    ("Écarts de conversion", [("Écarts de conversion passif (V)", [_t("C", "477")])]),
]

_BS_COLUMNS = ["Côté", "Bloc", "Brut", "Amortissements", "Net", "N-1", "Comptes"]


_ACTIF_TOTALS = {
    "Immobilisations incorporelles": "Total immobilisations incorporelles",
    "Immobilisations corporelles": "Total immobilisations corporelles",
    "Immobilisations financières": "Total immobilisations financières",
    "Actif circulant": "Total actif circulant (II)",
    "Comptes de régularisation": "Total comptes de régularisation (III à V)",
}
_PASSIF_TOTALS = {
    "Fonds propres": "Total fonds propres (I)",
    "Fonds reportés et dédiés": "Total fonds reportés et dédiés (II)",
    "Provisions": "Total provisions (III)",
    "Dettes": "Total dettes (IV)",
    "Écarts de conversion": "Total écarts de conversion passif (V)",
}


def _bs_table(ledger: Ledger, year: int) -> tuple[pd.DataFrame, dict]:
    result = _year_result(ledger, year)
    # rows: (side, block, label, gross, amortisation, net, terms)
    rows: list[tuple] = []
    actif_blocks: dict[str, tuple[float, float]] = {}
    for block, lines in _ACTIF:
        b_gross = b_amort = 0.0
        for label, gross_terms, amort_terms in lines:
            gross = _value(ledger, year, gross_terms)
            amort = _value(ledger, year, amort_terms) if amort_terms else 0.0
            rows.append(("Actif", block, label, gross, amort, round(gross - amort, 2), gross_terms))
            b_gross += gross
            b_amort += amort
        b_gross, b_amort = round(b_gross, 2), round(b_amort, 2)
        actif_blocks[block] = (b_gross, b_amort)
        rows.append(
            (
                "Actif",
                block,
                _ACTIF_TOTALS[block],
                b_gross,
                b_amort,
                round(b_gross - b_amort, 2),
                [],
            )
        )
        if block == "Immobilisations financières":
            fixed = [actif_blocks[b] for b in list(actif_blocks)[:3]]
            g = round(sum(x[0] for x in fixed), 2)
            a = round(sum(x[1] for x in fixed), 2)
            rows.append(
                (
                    "Actif",
                    "Actif immobilisé",
                    "Total actif immobilisé (I)",
                    g,
                    a,
                    round(g - a, 2),
                    [],
                )
            )
    immobilise = round(sum(g - a for g, a in list(actif_blocks.values())[:3]), 2)
    total_actif = round(sum(g - a for g, a in actif_blocks.values()), 2)
    total_gross = round(sum(g for g, _ in actif_blocks.values()), 2)
    total_amort = round(sum(a for _, a in actif_blocks.values()), 2)
    rows.append(
        ("Actif", "Total", "TOTAL GÉNÉRAL DE L'ACTIF", total_gross, total_amort, total_actif, [])
    )
    passif_blocks: dict[str, float] = {}
    for block, lines in _PASSIF:
        b_total = 0.0
        for label, terms in lines:
            value = _value(ledger, year, terms)
            if label == _RESULT:
                value = round(value + result, 2)
            rows.append(("Passif", block, label, None, None, value, terms))
            b_total += value
            if label == _RESULT:
                rows.append(
                    (
                        "Passif",
                        block,
                        "Situation nette (sous-total)",
                        None,
                        None,
                        round(b_total, 2),
                        [],
                    )
                )
        passif_blocks[block] = round(b_total, 2)
        rows.append(("Passif", block, _PASSIF_TOTALS[block], None, None, passif_blocks[block], []))
    total_passif = round(sum(passif_blocks.values()), 2)
    rows.append(("Passif", "Total", "TOTAL GÉNÉRAL DU PASSIF", None, None, total_passif, []))
    table = pd.DataFrame(
        [
            (side, block, label, gross, amort, net, _accounts_text(terms))
            for side, block, label, gross, amort, net, terms in rows
        ],
        columns=["Côté", "Bloc", "Poste", "Brut", "Amortissements", "N", "Comptes"],
    ).set_index("Poste")
    for col in ["Brut", "Amortissements", "N"]:
        table[col] = table[col].astype("float64")
    totals = {
        "actif": total_actif,
        "passif": total_passif,
        "fonds_propres": passif_blocks["Fonds propres"],
        "fonds_dedies": passif_blocks["Fonds reportés et dédiés"],
        "provisions": passif_blocks["Provisions"],
        "dettes": passif_blocks["Dettes"],
        "actif_immobilise": immobilise,
        "resultat": result,
    }
    return table, totals


def _year_result(ledger: Ledger, year: int) -> float:
    """Σ7 − Σ6 of a year (classes 86/87 excluded): the year's *excédent ou déficit*."""
    return round(ledger.C("6 7", year), 2)


@result
class BalanceSheet(Report):
    """Bilan in the ANC 2018-06 model (art. 421-1).

    ``table`` is indexed by ``Poste`` with columns ``Côté`` (Actif / Passif), ``Bloc``,
    ``Brut``, ``Amortissements`` (amortissements et dépréciations; assets only), ``Net``,
    ``N-1`` (net of the previous year, NaN when not loaded) and ``Comptes``.
    """

    table: pd.DataFrame
    year: int
    previous_year: int | None
    total_actif: float
    total_passif: float
    fonds_propres: float
    fonds_dedies: float
    provisions: float
    dettes: float
    actif_immobilise: float
    resultat: float

    @property
    def actif(self) -> pd.DataFrame:
        """The asset side."""
        t = self.table
        return t.loc[t["Côté"] == "Actif"].drop(columns="Côté")

    @property
    def passif(self) -> pd.DataFrame:
        """The liability side (only ``Net``, ``N-1`` and ``Comptes`` apply)."""
        t = self.table
        return t.loc[t["Côté"] == "Passif", ["Bloc", "Net", "N-1", "Comptes"]]

    def to_frame(self) -> pd.DataFrame:
        """The bilan as a DataFrame (a copy of ``table``)."""
        return self.table.copy()

    def plot(self, *, ax: Axes | None = None) -> Axes:
        """The bilan in large masses: two stacked bars, actif (net) and passif."""
        from ..plotting import PALETTE, euro_formatter, get_axes

        t = self.table["Net"]
        cash = float(t["Disponibilités"] + t["Valeurs mobilières de placement"])
        actif = [
            ("Actif immobilisé net", self.actif_immobilise),
            ("Actif circulant (hors trésorerie)", self.total_actif - self.actif_immobilise - cash),
            ("Trésorerie (disponibilités, placements)", cash),
        ]
        passif = [
            ("Fonds propres", self.fonds_propres),
            ("Fonds dédiés et provisions", self.fonds_dedies + self.provisions),
            (
                "Dettes",
                self.total_passif - self.fonds_propres - self.fonds_dedies - self.provisions,
            ),
        ]
        _fig, ax = get_axes(ax, figsize=(7, 4.5))
        for x, parts, offset in ((0, actif, 0), (1, passif, 3)):
            bottom = 0.0
            for i, (label, value) in enumerate(parts):
                ax.bar(x, value, bottom=bottom, color=PALETTE[offset + i], label=label, width=0.6)
                bottom += value
        ax.set_xticks([0, 1], ["Actif", "Passif"])
        ax.yaxis.set_major_formatter(euro_formatter())
        ax.set_title(f"Bilan de l'exercice {self.year} en grandes masses")
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
        return ax

    def _lines(self) -> list[str]:
        share = self.fonds_propres / self.total_passif * 100 if self.total_passif else float("nan")
        text = (
            f"Bilan à la clôture de l'exercice {self.year} : total "
            f"{format_euro(self.total_actif)} à l'actif comme au passif. Fonds propres "
            f"{format_euro(self.fonds_propres)} ({share:.0f} % du total), fonds dédiés "
            f"{format_euro(self.fonds_dedies)}, dettes {format_euro(self.dettes)} ; actif "
            f"immobilisé net {format_euro(self.actif_immobilise)}."
        )
        return [text]

    def _html_tables(self) -> str:
        return frame_html(self.table, decimals=2)


def balance_sheet(ledger: Ledger, year: int | None = None) -> BalanceSheet:
    """Bilan at the end of a financial year (the latest by default) in the ANC 2018-06 model.

    The year's result (Σ7 − Σ6, not yet in account 12 in a FEC) is added to the *Excédent ou
    déficit* line.

    Raises
    ------
    ComputationError
        When total actif ≠ total passif: the books are unbalanced (see ``ledger.problems``) or
        the 86/87 accounts differ.
    """
    y, previous = _years(ledger, year)
    table, t = _bs_table(ledger, y)
    if previous is not None:
        prev_table, _ = _bs_table(ledger, previous)
        table.insert(table.columns.get_loc("N") + 1, "N-1", prev_table["N"].to_numpy())
    else:
        table.insert(table.columns.get_loc("N") + 1, "N-1", float("nan"))
    table = table.rename(columns={"N": "Net"})
    gap = round(t["actif"] - t["passif"], 2)
    if abs(gap) >= 0.01:
        cvn = round(ledger.S("86", y) - ledger.C("87", y), 2)
        hint = (
            f"les comptes 86 et 87 ne sont pas égaux (écart {format_euro(cvn, 2)}) : chaque "
            "contribution volontaire s'enregistre au débit d'un 86 et au crédit d'un 87."
            if abs(cvn) >= 0.01
            else "des écritures sont déséquilibrées ou des comptes sont hors plan : consultez "
            "ledger.problems (colonnes « EcritureNum » et « CompteNum »)."
        )
        raise ComputationError(
            f"le bilan {y} n'est pas équilibré : total actif {format_euro(t['actif'], 2)}, "
            f"total passif {format_euro(t['passif'], 2)} (écart {format_euro(gap, 2)}).",
            hint=hint,
        )
    return BalanceSheet(
        table=table,
        year=y,
        previous_year=previous,
        total_actif=t["actif"],
        total_passif=t["passif"],
        fonds_propres=t["fonds_propres"],
        fonds_dedies=t["fonds_dedies"],
        provisions=t["provisions"],
        dettes=t["dettes"],
        actif_immobilise=t["actif_immobilise"],
        resultat=t["resultat"],
    )


# --------------------------------------------------------------------------------------------
# Soldes intermédiaires de gestion (association variant, §3.3)
# --------------------------------------------------------------------------------------------

# (label, sign, terms) for the detail rows; the subtotals are computed in _sig_table.
_SIG_ITEMS: dict[str, list[Term]] = {
    "Ventes de marchandises": [_t("C", "707 7097")],
    "Coût d'achat des marchandises vendues": [_t("D", "607 6037 6087 6097")],
    "Production vendue (ventes de biens et de services)": [_t("C", "70", "707 7097")],
    "Production stockée et immobilisée": [_t("C", "71 72")],
    "Consommations en provenance des tiers": [_t("D", "60 61 62", "607 6037 6087 6097")],
    "Concours publics (73)": [_t("C", "73")],
    "Subventions d'exploitation (74)": [_t("C", "74", "747")],
    "Versements des fondateurs (753 hors 7532)": [_t("C", "753", "7532")],
    "Ressources liées à la générosité du public (754)": [_t("C", "754")],
    "Contributions financières (755)": [_t("C", "755")],
    "Cotisations (756)": [_t("C", "756")],
    "Impôts, taxes et versements assimilés": [_t("D", "63")],
    "Charges de personnel": [_t("D", "64")],
    "Reprises et transferts de charges d'exploitation": [_t("C", "781 791")],
    "Utilisations des fonds dédiés": [_t("C", "789")],
    "Autres produits de gestion courante": [
        _t("C", "75", "753 754 755 756"),
        _t("C", "7532 747"),
    ],
    "Dotations aux amortissements, dépréciations et provisions": [_t("D", "681")],
    "Reports en fonds dédiés": [_t("D", "689")],
    "Autres charges de gestion courante": [_t("D", "65")],
    "Produits financiers": [_t("C", "76 786 796")],
    "Charges financières": [_t("D", "66 686")],
    "Produits exceptionnels": [_t("C", "77 787 797")],
    "Charges exceptionnelles": [_t("D", "67 687")],
    "Participation des salariés et impôts sur les bénéfices": [_t("D", "69")],
}


def _sig_table(ledger: Ledger, year: int) -> tuple[pd.DataFrame, dict]:
    v = {k: _value(ledger, year, terms) for k, terms in _SIG_ITEMS.items()}
    rows: list[tuple[str, float, str]] = []

    def item(label: str, sign: str) -> None:
        rows.append((f"{sign} {label}", v[label], _accounts_text(_SIG_ITEMS[label])))

    def total(label: str, value: float) -> float:
        value = round(value, 2)
        rows.append((label, value, ""))
        return value

    item("Ventes de marchandises", "+")
    item("Coût d'achat des marchandises vendues", "−")
    marge = total(
        "Marge commerciale",
        v["Ventes de marchandises"] - v["Coût d'achat des marchandises vendues"],
    )
    item("Production vendue (ventes de biens et de services)", "+")
    item("Production stockée et immobilisée", "+")
    production = total(
        "Production de l'exercice",
        v["Production vendue (ventes de biens et de services)"]
        + v["Production stockée et immobilisée"],
    )
    item("Consommations en provenance des tiers", "−")
    va = total(
        "Valeur ajoutée",
        marge + production - v["Consommations en provenance des tiers"],
    )
    tiers = [
        "Concours publics (73)",
        "Subventions d'exploitation (74)",
        "Versements des fondateurs (753 hors 7532)",
        "Ressources liées à la générosité du public (754)",
        "Contributions financières (755)",
        "Cotisations (756)",
    ]
    for label in tiers:
        item(label, "+")
    item("Impôts, taxes et versements assimilés", "−")
    item("Charges de personnel", "−")
    ebe = total(
        "Excédent brut d'exploitation (EBE)",
        va
        + sum(v[k] for k in tiers)
        - v["Impôts, taxes et versements assimilés"]
        - v["Charges de personnel"],
    )
    ebe_hors = round(va - v["Impôts, taxes et versements assimilés"] - v["Charges de personnel"], 2)
    for label, sign in [
        ("Reprises et transferts de charges d'exploitation", "+"),
        ("Utilisations des fonds dédiés", "+"),
        ("Autres produits de gestion courante", "+"),
        ("Dotations aux amortissements, dépréciations et provisions", "−"),
        ("Reports en fonds dédiés", "−"),
        ("Autres charges de gestion courante", "−"),
    ]:
        item(label, sign)
    rex = total(
        "Résultat d'exploitation",
        ebe
        + v["Reprises et transferts de charges d'exploitation"]
        + v["Utilisations des fonds dédiés"]
        + v["Autres produits de gestion courante"]
        - v["Dotations aux amortissements, dépréciations et provisions"]
        - v["Reports en fonds dédiés"]
        - v["Autres charges de gestion courante"],
    )
    item("Produits financiers", "+")
    item("Charges financières", "−")
    rcai = total(
        "Résultat courant avant impôts",
        rex + v["Produits financiers"] - v["Charges financières"],
    )
    item("Produits exceptionnels", "+")
    item("Charges exceptionnelles", "−")
    rexc = total(
        "Résultat exceptionnel", v["Produits exceptionnels"] - v["Charges exceptionnelles"]
    )
    item("Participation des salariés et impôts sur les bénéfices", "−")
    resultat = total(
        "Résultat de l'exercice",
        rcai + rexc - v["Participation des salariés et impôts sur les bénéfices"],
    )
    rows.append(
        ("Pour mémoire : EBE hors produits de tiers financeurs et cotisations", ebe_hors, "")
    )
    table = pd.DataFrame(rows, columns=["Solde", "N", "Comptes"]).set_index("Solde")
    totals = {
        "marge_commerciale": marge,
        "production": production,
        "valeur_ajoutee": va,
        "ebe": ebe,
        "ebe_hors_tiers_financeurs": ebe_hors,
        "resultat_exploitation": rex,
        "resultat_courant": rcai,
        "resultat_exceptionnel": rexc,
        "resultat": resultat,
    }
    return table, totals


@result
class SIG(Report):
    """Soldes intermédiaires de gestion, association variant (reference §3.3).

    The EBE includes the *produits de tiers financeurs* (73, 74 except 747, 753 except 7532,
    754, 755) and the *cotisations* (756); the business-style EBE without them is given "pour
    mémoire". ``table`` is indexed by ``Solde`` with ``N``, ``N-1`` and ``Comptes``.
    """

    table: pd.DataFrame
    year: int
    previous_year: int | None
    marge_commerciale: float
    production: float
    valeur_ajoutee: float
    ebe: float
    ebe_hors_tiers_financeurs: float
    resultat_exploitation: float
    resultat_courant: float
    resultat_exceptionnel: float
    resultat: float

    def to_frame(self) -> pd.DataFrame:
        """The SIG as a DataFrame (a copy of ``table``)."""
        return self.table.copy()

    def _lines(self) -> list[str]:
        text = (
            f"Soldes intermédiaires de gestion {self.year} : valeur ajoutée "
            f"{format_euro(self.valeur_ajoutee)}, excédent brut d'exploitation "
            f"{format_euro(self.ebe)}, résultat d'exploitation "
            f"{format_euro(self.resultat_exploitation)}, résultat de l'exercice "
            f"{format_euro(self.resultat)}."
        )
        if self.ebe_hors_tiers_financeurs < 0 <= self.ebe:
            text += (
                " Sans les subventions, dons et cotisations, l'EBE serait négatif ("
                f"{format_euro(self.ebe_hors_tiers_financeurs)}) : comme la plupart des "
                "associations, la structure vit de ressources non marchandes."
            )
        return [text]

    def _html_tables(self) -> str:
        return frame_html(self.table, decimals=2)


def sig(ledger: Ledger, year: int | None = None) -> SIG:
    """Soldes intermédiaires de gestion (association variant) of a year, with N−1 if loaded."""
    y, previous = _years(ledger, year)
    table, t, _ = _with_previous(ledger, y, previous, _sig_table)
    return SIG(table=table, year=y, previous_year=previous, **t)


# --------------------------------------------------------------------------------------------
# Capacité d'autofinancement
# --------------------------------------------------------------------------------------------

_CAF_ADDITIVE: list[tuple[str, int, list[Term]]] = [
    ("Dotations aux amortissements, dépréciations et provisions", 1, [_t("D", "681 686 687")]),
    ("Reprises sur amortissements, dépréciations et provisions", -1, [_t("C", "781 786 787")]),
    ("Valeur comptable des éléments d'actif cédés", 1, [_t("D", "675")]),
    ("Produits des cessions d'éléments d'actif", -1, [_t("C", "775")]),
    ("Quote-part des subventions d'investissement virée au résultat", -1, [_t("C", "777")]),
    ("Quote-part de la dotation consomptible virée au résultat", -1, [_t("C", "7532")]),
    ("Reports en fonds dédiés", 1, [_t("D", "689")]),
    ("Utilisations des fonds dédiés", -1, [_t("C", "789")]),
]

_CAF_SUBTRACTIVE: list[tuple[str, int, list[Term]]] = [
    (
        "Autres produits de gestion courante et transferts de charges d'exploitation",
        1,
        [
            _t("C", "75", "753 754 755 756"),
            _t("C", "747 79", "796 797"),
        ],
    ),
    ("Autres charges de gestion courante", -1, [_t("D", "65")]),
    ("Produits financiers encaissables", 1, [_t("C", "76 796")]),
    ("Charges financières décaissables", -1, [_t("D", "66")]),
    ("Produits exceptionnels encaissables", 1, [_t("C", "77 797", "775 777")]),
    ("Charges exceptionnelles décaissables", -1, [_t("D", "67", "675")]),
    ("Participation des salariés et impôts sur les bénéfices", -1, [_t("D", "69")]),
]


def _caf_table(ledger: Ledger, year: int, method: str) -> tuple[pd.DataFrame, dict]:
    rows: list[tuple[str, float, str]] = []
    if method == "additive":
        start = _year_result(ledger, year)
        rows.append(("Résultat de l'exercice (excédent ou déficit)", start, "Σ7 − Σ6"))
        items = _CAF_ADDITIVE
    else:
        _, s = _sig_table(ledger, year)
        start = s["ebe"]
        rows.append(("Excédent brut d'exploitation (EBE, variante associative)", start, "SIG"))
        items = _CAF_SUBTRACTIVE
    value = start
    for label, sign, terms in items:
        amount = _value(ledger, year, terms)
        value += sign * amount
        rows.append((("+ " if sign > 0 else "− ") + label, amount, _accounts_text(terms)))
    value = round(value, 2)
    rows.append(("Capacité d'autofinancement (CAF)", value, ""))
    table = pd.DataFrame(rows, columns=["Élément", "N", "Comptes"]).set_index("Élément")
    return table, {"valeur": value}


@result
class CAF(Report):
    """Capacité d'autofinancement of a year, by the additive or the subtractive method.

    Both methods give the same value (reference §3.3; invariant §3.5-6). ``table`` lists the
    computation (``N``, ``N-1``, ``Comptes``); the amounts are shown positive with their sign in
    the label.
    """

    table: pd.DataFrame
    year: int
    previous_year: int | None
    method: str
    valeur: float
    valeur_precedente: float | None

    def to_frame(self) -> pd.DataFrame:
        """The computation as a DataFrame (a copy of ``table``)."""
        return self.table.copy()

    def _lines(self) -> list[str]:
        name = "additive" if self.method == "additive" else "soustractive"
        text = (
            f"Capacité d'autofinancement {self.year} (méthode {name}) : {format_euro(self.valeur)}."
        )
        if self.valeur > 0:
            text += (
                " L'activité dégage des ressources pour investir, rembourser les emprunts ou "
                "renforcer le fonds de roulement."
            )
        else:
            text += (
                " L'activité consomme des ressources : elle ne finance ni le renouvellement "
                "des équipements ni le remboursement des emprunts."
            )
        if self.valeur_precedente is not None:
            text += f" En {self.year - 1} : {format_euro(self.valeur_precedente)}."
        return [text]

    def _html_tables(self) -> str:
        return frame_html(self.table, decimals=2)


def caf(
    ledger: Ledger,
    year: int | None = None,
    method: Literal["additive", "soustractive"] = "additive",
) -> CAF:
    """Capacité d'autofinancement of a year (the latest by default).

    Parameters
    ----------
    method
        ``"additive"``: résultat + dotations (681, 686, 687) − reprises (781, 786, 787) + VNC
        des actifs cédés (675) − produits de cession (775) − quote-part des subventions
        d'investissement (777) − quote-part de dotation consomptible (7532) + reports en fonds
        dédiés (689) − utilisations (789). ``"soustractive"``: EBE (association variant) + other
        cash operating income − other operating charges (65) + cash financial and exceptional
        income − cash financial and exceptional charges − participation and tax (69), with the
        transferts de charges 79 (reference §3.3).
    """
    if method not in {"additive", "soustractive"}:
        raise DataError(
            f"méthode de CAF inconnue : « {method} ».",
            hint="choisissez method='additive' ou method='soustractive'.",
        )
    y, previous = _years(ledger, year)

    def build(lg: Ledger, yy: int) -> tuple[pd.DataFrame, dict]:
        return _caf_table(lg, yy, method)

    table, t, prev = _with_previous(ledger, y, previous, build)
    return CAF(
        table=table,
        year=y,
        previous_year=previous,
        method=method,
        valeur=t["valeur"],
        valeur_precedente=None if prev is None else prev["valeur"],
    )
