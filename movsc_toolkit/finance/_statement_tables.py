"""The statement tables computed from the books: the internal API of the annual accounts.

:mod:`movsc_toolkit.finance.statements` wraps these tables in its results (``IncomeStatement``,
``BalanceSheet``, ``SIG``, ``CAF``) and :mod:`movsc_toolkit.finance.indicators` reads their
totals; both use the public names of this private module, nothing else does.

The layouts (which accounts make up which line) are data, not code:
``finance/data/statement_lines.csv`` lists, for each line of each statement, its *terms*, and
``finance/data/statement_totals.csv`` names the total of each block. Both are read once. A term
is ``(mode, prefixes, excluded prefixes)``; the modes are ``"D"`` net debit balance (S),
``"C"`` net credit balance, ``"D+"`` sum of the debit balances of the individual accounts (D⁺)
and ``"C+"`` sum of their credit balances (C⁺). The layouts follow règlement ANC n° 2018-06
(compte de résultat art. 422-1, bilan art. 421-1), with the account mappings described in
:mod:`movsc_toolkit.finance.statements` and :mod:`movsc_toolkit.finance.sig_caf` (SIG, CAF); the
hand-computed books of ``tests/finance/test_statements.py`` check them.

Every table is a ``pandas.DataFrame`` with a ``N`` column (amounts in euros, to the cent) and a
``Comptes`` column (the accounts of each line, in French), plus a dict of totals.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from .ledger import Ledger

__all__ = [
    "RESULT_LINE",
    "STATEMENTS",
    "Term",
    "accounts_text",
    "balance_table",
    "caf_table",
    "income_table",
    "layout",
    "sig_table",
    "value",
    "with_previous",
    "year_pair",
    "year_result",
]

#: ``(mode, prefixes, excluded prefixes)``: see the module docstring.
Term = tuple[str, tuple[str, ...], tuple[str, ...]]
#: A statement line: its block, its label, its sign (CAF only, else 0) and its terms by part
#: (``""`` for the amount; ``"brut"`` and ``"amortissements"`` for an asset of the bilan).
Line = tuple[str, str, int, dict[str, list[Term]]]

_DATA = Path(__file__).resolve().parent / "data"
#: The statements whose lines are in ``data/statement_lines.csv``.
STATEMENTS = ("compte_de_resultat", "actif", "passif", "sig", "caf_additive", "caf_soustractive")
#: The passif line that receives the year's result (a FEC has no closing entries).
RESULT_LINE = "Excédent ou déficit de l'exercice"


@cache
def _lines() -> dict[str, list[Line]]:
    out: dict[str, dict[tuple[str, str], Line]] = {}
    with (_DATA / "statement_lines.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            lines = out.setdefault(row["statement"], {})
            key = (row["block"], row["line"])
            sign = int(row["sign"]) if row["sign"] else 0
            line = lines.setdefault(key, (row["block"], row["line"], sign, {}))
            term = (row["mode"], tuple(row["accounts"].split()), tuple(row["except"].split()))
            line[3].setdefault(row["part"], []).append(term)
    return {statement: list(lines.values()) for statement, lines in out.items()}


@cache
def _totals() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    with (_DATA / "statement_totals.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            out.setdefault(row["statement"], {})[row["block"]] = row["line"]
    return out


def layout(statement: str) -> list[Line]:
    """The lines of a statement, in order, as read from ``data/statement_lines.csv``.

    ``statement`` is ``"compte_de_resultat"``, ``"actif"``, ``"passif"``, ``"sig"``,
    ``"caf_additive"`` or ``"caf_soustractive"``.
    """
    return _lines()[statement]


def _blocks(statement: str) -> dict[str, list[Line]]:
    """The lines of a statement grouped by block (blocks in order of first appearance)."""
    out: dict[str, list[Line]] = {}
    for line in layout(statement):
        out.setdefault(line[0], []).append(line)
    return out


def _t(mode: str, prefixes: str, exclude: str = "") -> Term:
    return (mode, tuple(prefixes.split()), tuple(exclude.split()))


def value(ledger: Ledger, year: int, terms: list[Term]) -> float:
    """Amount of a line: the sum of its terms for the year, in euros to the cent."""
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


def accounts_text(terms: list[Term]) -> str:
    """The accounts of a line in French (« 60, 61, 62 sauf 607 ; soldes débiteurs de 41 »)."""
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


def year_pair(ledger: Ledger, year: int | None) -> tuple[int, int | None]:
    """The year to present (:meth:`Ledger.resolve_year`) and the previous one in the books."""
    y = ledger.resolve_year(year)
    return y, ledger.previous_year(y)


def year_result(ledger: Ledger, year: int) -> float:
    """Σ7 − Σ6 of a year (classes 86/87 excluded): the year's *excédent ou déficit*."""
    return round(ledger.C("6 7", year), 2)


def _cr_column(ledger: Ledger, year: int) -> tuple[list[tuple[str, str, str, float]], dict]:
    rows: list[tuple[str, str, str, float]] = []
    sums: dict[str, float] = {}
    for block, label, _sign, parts in layout("compte_de_resultat"):
        terms = parts[""]
        amount = value(ledger, year, terms)
        sums[block] = sums.get(block, 0.0) + amount
        rows.append((block, label, accounts_text(terms), amount))
    s = {k: round(v, 2) for k, v in sums.items()}
    t = {
        "I": s["Produits d'exploitation"],
        "II": s["Charges d'exploitation"],
        "III": s["Produits financiers"],
        "IV": s["Charges financières"],
        "V": s["Produits exceptionnels"],
        "VI": s["Charges exceptionnelles"],
        "VII": value(ledger, year, [_t("D", "691")]),
        "VIII": value(ledger, year, [_t("D", "69", "691")]),
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


def income_table(ledger: Ledger, year: int) -> tuple[pd.DataFrame, dict]:
    """The compte de résultat of a year (ANC 2018-06, art. 422-1) and its totals.

    The table is indexed by ``Poste`` with ``Bloc``, ``N`` and ``Comptes``; the totals are keyed
    ``I`` … ``VIII`` (blocks), ``R1`` … ``R4`` (résultats), ``TP``/``TC`` (total produits and
    charges), ``R`` (excédent ou déficit), ``CVN_P``/``CVN_C`` (contributions volontaires).
    """
    rows, t = _cr_column(ledger, year)
    out: list[tuple[str, str, str, float]] = []
    by_block: dict[str, list] = {}
    for row in rows:
        by_block.setdefault(row[0], []).append(row)

    def block(name: str, total_key: str) -> None:
        out.extend(by_block[name])
        out.append((name, _totals()["compte_de_resultat"][name], "", t[total_key]))

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


def with_previous(
    ledger: Ledger,
    year: int,
    previous: int | None,
    build: Callable[[Ledger, int], tuple[pd.DataFrame, dict]],
) -> tuple[pd.DataFrame, dict, dict | None]:
    """Build a table for ``year`` and add its ``N-1`` column (NaN without a previous year).

    Returns the table, the year's totals and the previous year's totals (``None``).
    """
    table, totals = build(ledger, year)
    prev_totals = None
    if previous is not None:
        prev_table, prev_totals = build(ledger, previous)
        table.insert(table.columns.get_loc("N") + 1, "N-1", prev_table["N"].to_numpy())
    else:
        table.insert(table.columns.get_loc("N") + 1, "N-1", float("nan"))
    return table, totals, prev_totals


def balance_table(ledger: Ledger, year: int) -> tuple[pd.DataFrame, dict]:
    """The bilan at the end of a year (ANC 2018-06, art. 421-1) and its totals.

    The table is indexed by ``Poste`` with ``Côté``, ``Bloc``, ``Brut``, ``Amortissements``,
    ``N`` (net) and ``Comptes``; the totals are ``actif``, ``passif``, ``fonds_propres``,
    ``fonds_dedies``, ``provisions``, ``dettes``, ``actif_immobilise`` and ``resultat`` (the
    year's result, added to the passif line :data:`RESULT_LINE`).
    """
    result = year_result(ledger, year)
    # rows: (side, block, label, gross, amortisation, net, terms)
    rows: list[tuple] = []
    actif_blocks: dict[str, tuple[float, float]] = {}
    for block, lines in _blocks("actif").items():
        b_gross = b_amort = 0.0
        for _block, label, _sign, parts in lines:
            gross_terms, amort_terms = parts["brut"], parts.get("amortissements", [])
            gross = value(ledger, year, gross_terms)
            amort = value(ledger, year, amort_terms) if amort_terms else 0.0
            rows.append(("Actif", block, label, gross, amort, round(gross - amort, 2), gross_terms))
            b_gross += gross
            b_amort += amort
        b_gross, b_amort = round(b_gross, 2), round(b_amort, 2)
        actif_blocks[block] = (b_gross, b_amort)
        rows.append(
            (
                "Actif",
                block,
                _totals()["actif"][block],
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
    for block, lines in _blocks("passif").items():
        b_total = 0.0
        for _block, label, _sign, parts in lines:
            terms = parts[""]
            amount = value(ledger, year, terms)
            if label == RESULT_LINE:
                amount = round(amount + result, 2)
            rows.append(("Passif", block, label, None, None, amount, terms))
            b_total += amount
            if label == RESULT_LINE:
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
        total_label = _totals()["passif"][block]
        rows.append(("Passif", block, total_label, None, None, passif_blocks[block], []))
    total_passif = round(sum(passif_blocks.values()), 2)
    rows.append(("Passif", "Total", "TOTAL GÉNÉRAL DU PASSIF", None, None, total_passif, []))
    table = pd.DataFrame(
        [
            (side, block, label, gross, amort, net, accounts_text(terms))
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


def sig_table(ledger: Ledger, year: int) -> tuple[pd.DataFrame, dict]:
    """The soldes intermédiaires de gestion of a year (association variant: EBE with subsidies).

    The table is indexed by ``Solde`` with ``N`` and ``Comptes``; the totals are
    ``marge_commerciale``, ``production``, ``valeur_ajoutee``, ``ebe``,
    ``ebe_hors_tiers_financeurs``, ``resultat_exploitation``, ``resultat_courant``,
    ``resultat_exceptionnel`` and ``resultat``.
    """
    items = {label: parts[""] for _block, label, _sign, parts in layout("sig")}
    v = {k: value(ledger, year, terms) for k, terms in items.items()}
    rows: list[tuple[str, float, str]] = []

    def item(label: str, sign: str) -> None:
        rows.append((f"{sign} {label}", v[label], accounts_text(items[label])))

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


def caf_table(ledger: Ledger, year: int, method: str) -> tuple[pd.DataFrame, dict]:
    """The capacité d'autofinancement of a year, by the ``"additive"`` or ``"soustractive"``
    method: the table (``Élément``, ``N``, ``Comptes``) and ``{"value": CAF}``."""
    rows: list[tuple[str, float, str]] = []
    if method == "additive":
        start = year_result(ledger, year)
        rows.append(("Résultat de l'exercice (excédent ou déficit)", start, "Σ7 − Σ6"))
        items = layout("caf_additive")
    else:
        _, s = sig_table(ledger, year)
        start = s["ebe"]
        rows.append(("Excédent brut d'exploitation (EBE, variante associative)", start, "SIG"))
        items = layout("caf_soustractive")
    total = start
    for _block, label, sign, parts in items:
        terms = parts[""]
        amount = value(ledger, year, terms)
        total += sign * amount
        rows.append((("+ " if sign > 0 else "− ") + label, amount, accounts_text(terms)))
    total = round(total, 2)
    rows.append(("Capacité d'autofinancement (CAF)", total, ""))
    table = pd.DataFrame(rows, columns=["Élément", "N", "Comptes"]).set_index("Élément")
    return table, {"value": total}
