"""Subsidy receipts of the ledger matched to the funders' conventions.

The internal API of :func:`movsc_toolkit.finance.conventions_status`:

* :func:`ledger_receipts` — the subsidy payments found in the books up to a date, each with its
  funder (and its convention when the label names it);
* :func:`allocate` — each funder's receipts allocated to its planned payments, oldest first;
* :func:`recorded_by_funder` — the subsidies recorded in 74 by funder.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._distinct import codes_of, entry_codes
from .cerfa import fold_label, fold_labels

if TYPE_CHECKING:
    from .conventions import Conventions

__all__ = ["OLDER", "allocate", "has_match", "label_codes", "ledger_receipts", "recorded_by_funder"]


def has_match(codes: np.ndarray, texts: Sequence[str], pattern: str) -> np.ndarray:
    """Whether each text matches ``pattern``, the texts given as integer codes into their
    distinct values ``texts`` (see :func:`label_codes`): each distinct text is searched once."""
    regex = re.compile(pattern)
    return np.array([regex.search(t) is not None for t in texts], dtype=bool)[codes]


def label_codes(lines: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """The folded account, auxiliary and entry labels of each line, as integer codes into the
    list of distinct texts."""
    text = pd.Series("", index=lines.index)
    for column in ("CompteLib", "CompAuxNum", "CompAuxLib", "EcritureLib"):
        if column in lines.columns:
            text = text + " " + lines[column].fillna("").astype(str)
    codes, texts = pd.factorize(fold_labels(text))
    return codes, list(texts)


def _accounts(entries: pd.DataFrame) -> tuple[np.ndarray, pd.Series]:
    """Integer codes of the account numbers of the lines, and the distinct numbers stripped."""
    codes, accounts = codes_of(entries["CompteNum"])
    return codes, accounts.astype(str).str.strip()


def _starting(accounts: pd.Series, prefixes: str | tuple[str, ...]) -> np.ndarray:
    """Whether each distinct account starts with one of the prefixes."""
    return accounts.str.startswith(prefixes).to_numpy(dtype=bool)


def ledger_receipts(
    entries: pd.DataFrame, conventions: Conventions, as_of: pd.Timestamp
) -> pd.DataFrame:
    """Subsidy payments found in the ledger up to ``as_of``, each matched to a funder.

    Rule: an entry that debits a bank or cash account (50, 51, 53, 54) and credits a subsidy
    account — 441 (including 4417 and its sub-accounts) or 74 — is a subsidy received, for the
    credited amount. It belongs to the funder whose ``Compte`` equals (or prefixes) the credited
    account number or its auxiliary account, otherwise to the first funder whose ``Libellé
    comptable``, name or convention identifier appears in the account, auxiliary or entry
    labels. Unmatched receipts are kept with ``Financeur`` empty.
    """
    e = entries[(pd.to_datetime(entries["EcritureDate"]) <= as_of).to_numpy(dtype=bool)]
    acc_codes, accounts = _accounts(e)
    keys = entry_codes(e)
    bank = _starting(accounts, ("50", "51", "53", "54"))[acc_codes]
    with_bank = np.bincount(keys[bank], minlength=int(keys.max()) + 1 if len(keys) else 0) > 0
    subsidy = _starting(accounts, ("441", "74"))[acc_codes] & with_bank[keys]
    rows = np.flatnonzero(subsidy)
    part = e.iloc[rows]
    amount = (part["Credit"].astype(float) - part["Debit"].astype(float)).to_numpy()
    positive = amount > 0.004
    rows, amount = rows[positive], amount[positive]
    lines = e.iloc[rows]
    line_acc = acc_codes[rows]
    text_codes, texts = label_codes(lines)
    account = pd.Series(accounts.array.take(line_acc), index=lines.index)
    aux = lines.get("CompAuxNum", pd.Series("", index=lines.index)).fillna("").astype(str)
    aux_codes, aux_values = codes_of(aux)
    funders = conventions.table.drop_duplicates("Financeur")
    names = funders["Financeur"].tolist()
    matched = np.full(len(lines), -1, dtype=np.int64)  # position in names, -1: none yet
    for number, (_, conv) in enumerate(funders.iterrows()):
        mark = -1 if conv["Financeur"] == "" else number  # an empty name matches nothing
        todo = matched < 0
        if conv["Compte"]:
            hit = _starting(accounts, conv["Compte"])[line_acc]
            hit |= (aux_values == conv["Compte"]).to_numpy(dtype=bool)[aux_codes]
            matched[todo & hit] = mark
            todo = matched < 0
        words = [conv["Libellé comptable"], conv["Financeur"]]
        words += conventions.table.loc[
            conventions.table["Financeur"] == conv["Financeur"], "Convention"
        ].tolist()
        for word in filter(None, words):
            pattern = r"\b" + re.escape(fold_label(word)) + r"\b"
            hit = has_match(text_codes, texts, pattern)
            matched[todo & hit] = mark
            todo = matched < 0
    # the convention itself, when the label names it (its identifier, or its year and object)
    table = conventions.table
    year = table["Début"].fillna(table["Date de signature"]).dt.year

    # each funder's conventions as plain lists: (identifier, start year, object)
    by_funder: dict[str, list[tuple[Any, float, Any]]] = {}
    for conv, funder, start_year, purpose in zip(
        table["Convention"].tolist(),
        table["Financeur"].tolist(),
        year.tolist(),
        table["Objet"].tolist(),
        strict=True,
    ):
        if isinstance(funder, str):
            by_funder.setdefault(funder, []).append((conv, start_year, purpose))

    def which(funder: str, label: str) -> str:
        cands = by_funder.get(funder, []) if isinstance(funder, str) and funder else []
        hits = [
            c for c, _, _ in cands if re.search(r"\b" + re.escape(fold_label(c)) + r"\b", label)
        ]
        if len(hits) != 1:
            hits = [c for c, y, _ in cands if pd.notna(y) and re.search(rf"\b{int(y)}\b", label)]
            if len(hits) > 1:
                objects = {c: o for c, _, o in reversed(cands)}
                same = [c for c in hits if objects[c] and fold_label(objects[c]) in label]
                hits = same if len(same) == 1 else hits
        if len(hits) != 1 and cands:
            named = {int(y) for y in re.findall(r"\b(20\d{2})\b", label)}
            years = [y for _, y, _ in cands if pd.notna(y)]
            if named and years and max(named) < min(years):
                hits = [OLDER]  # a balance of an agreement older than the table
        return hits[0] if len(hits) == 1 else ""

    # once per distinct (funder, text)
    pairs, pair_index = np.unique(
        (matched + 1) * max(len(texts), 1) + text_codes, return_inverse=True
    )
    funder_names = ["", *names]
    found = [
        which(funder_names[p // max(len(texts), 1)], texts[p % max(len(texts), 1)]) for p in pairs
    ]
    convention = np.array(found, dtype=object)[pair_index.reshape(-1)]
    matched = pd.Series(np.array(funder_names, dtype=object)[matched + 1], index=lines.index)
    return pd.DataFrame(
        {
            "Date": pd.to_datetime(lines["EcritureDate"]),
            "Financeur": matched,
            "Convention": convention,
            "Montant": amount,
            "Compte": account,
            "Libellé": lines.get("EcritureLib", pd.Series("", index=lines.index)),
        },
        index=lines.index,
    ).sort_values("Date", kind="stable")


OLDER = "(antérieure)"


def allocate(
    schedule: pd.DataFrame,
    receipts: pd.DataFrame,
    starts: Mapping[str, pd.Timestamp],
    conv_start: Mapping[str, pd.Timestamp],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Allocate each funder's receipts to its planned payments, oldest first (FIFO).

    A receipt whose label names its convention goes to that convention's payments first.
    Receipts dated before ``starts[funder]`` (the start of the funder's earliest convention),
    or naming a year before it, belong to older agreements and are not allocated. Returns the
    schedule with the amounts received, and the receipts left unallocated with the reason.
    """
    schedule = schedule.copy()
    # the schedule's rows as plain dictionaries while allocating (no cell access per receipt)
    index = schedule.index.tolist()
    planned = dict(zip(index, schedule["Montant prévu"].tolist(), strict=True))
    convention_of = dict(zip(index, schedule["Convention"].tolist(), strict=True))
    received = dict.fromkeys(index, 0.0)
    paid_on: dict[Any, Any] = {}

    def fill(rows: pd.Index, pool: list[list[Any]]) -> None:
        """Pay the rows from the pool, oldest receipt first; a receipt never pays a convention
        that starts after it."""
        for row in rows:
            got = received[row]
            need = planned[row] - got
            begin = conv_start.get(convention_of[row])
            if begin is not None and pd.isna(begin):
                begin = None
            last = None
            i = 0
            while need > 0.004 and i < len(pool):
                date, amount, label = pool[i]
                if begin is not None and date < begin:
                    i += 1
                    continue
                take = min(need, amount)
                got += take
                last = date
                need -= take
                if amount - take > 0.004:
                    pool[i] = [date, amount - take, label]
                else:
                    pool.pop(i)
            if last is not None:
                received[row] = got
                paid_on[row] = last

    left: list[dict[str, Any]] = []

    def keep(part: pd.DataFrame, reason: str) -> None:
        left.extend({**row, "Motif": reason} for row in part.to_dict("records"))

    keep(receipts[receipts["Financeur"] == ""], "financeur non reconnu")
    for funder, got in receipts.groupby("Financeur", sort=False):
        if not funder:
            continue
        start = starts.get(funder)
        if start is not None and pd.notna(start):
            got = got[got["Date"] >= start]  # before the table's agreements: out of scope
        keep(got[got["Convention"] == OLDER], "solde d'une convention antérieure au tableau")
        got = got[got["Convention"] != OLDER]
        mine = schedule[schedule["Financeur"] == funder].sort_values("Date prévue", kind="stable")
        rest: list[list[Any]] = []
        for conv, part in got.groupby("Convention", sort=False):
            pool = [
                [d, a, t]
                for d, a, t in zip(
                    part["Date"],
                    part["Montant"],
                    part["Libellé"].to_numpy(dtype=object),
                    strict=True,
                )
            ]
            if conv:
                fill(mine.index[mine["Convention"] == conv], pool)
            rest.extend(pool)
        rest.sort(key=lambda item: item[0])
        fill(mine.index, rest)
        for date, amount, label in rest:
            left.append(
                {
                    "Date": date,
                    "Financeur": funder,
                    "Convention": "",
                    "Montant": amount,
                    "Libellé": label,
                    "Motif": "au-delà des versements prévus",
                }
            )
    schedule["Montant reçu"] = [received[row] for row in index]
    schedule["Date reçue"] = pd.Series(
        [paid_on.get(row, pd.NaT) for row in index], index=schedule.index, dtype="datetime64[ns]"
    )
    columns = ["Date", "Financeur", "Montant", "Libellé", "Motif"]
    unallocated = pd.DataFrame(left, columns=[*columns, "Convention", "Compte"])[columns]
    return schedule, unallocated.sort_values("Date", kind="stable").reset_index(drop=True)


def recorded_by_funder(
    entries: pd.DataFrame,
    conventions: Conventions,
    as_of: pd.Timestamp,
    starts: Mapping[str, pd.Timestamp],
) -> pd.DataFrame:
    """Subsidies recorded in 74 by funder, from its first convention's start to ``as_of``."""
    dates = pd.to_datetime(entries["EcritureDate"])
    acc_codes, accounts = _accounts(entries)
    is74 = _starting(accounts, "74")
    keep = (dates <= as_of).to_numpy(dtype=bool) & is74[acc_codes]
    e = entries[keep]
    dates = dates[keep]
    line_acc = acc_codes[keep]
    text_codes, texts = label_codes(e)
    net = e["Debit"].astype(float) - e["Credit"].astype(float)
    rows = {}
    for funder, convs in conventions.table.groupby("Financeur", sort=False):
        words = [*convs["Libellé comptable"], funder, *convs["Convention"]]
        hit = np.zeros(len(e), dtype=bool)
        for word in filter(None, words):
            hit |= has_match(text_codes, texts, r"\b" + re.escape(fold_label(word)) + r"\b")
        for account in filter(None, convs["Compte"]):
            hit |= _starting(accounts, account)[line_acc]
        start = starts.get(funder)
        if start is not None and pd.notna(start):
            hit &= (dates >= start).to_numpy(dtype=bool)
        rows[funder] = {"Comptabilisé en 74 (€)": float(-net[hit & is74[line_acc]].sum())}
    return pd.DataFrame.from_dict(rows, orient="index")
