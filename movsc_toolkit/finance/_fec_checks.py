"""Internal API of the FEC reader: the checks of the norm on every line and every entry.

Used by :mod:`.fec` only. They follow the rules of the FEC (art. A47 A-1 of the Livre des
procédures fiscales and its commentary BOI-CF-IOR-60-40-20, as checked by the DGFiP's Test
Compta Demat): real dates ``AAAAMMJJ`` (:func:`field_checks`), the mandatory fields filled, an
account of the chart, one date and one journal per entry, every entry balanced
(:func:`entry_checks`), and no entry pasted twice (:func:`duplicate_entries`). Each returns
problems frames for :func:`._books.problem_table`; nothing is dropped.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._format import format_number
from ._books import problem_frame
from ._fec_text import EmptyCells
from ._fec_values import DATE_COLUMNS, fec_dates
from .accounts import account_info
from .ledger import FEC_COLUMNS

__all__ = ["duplicate_entries", "entry_checks", "field_checks"]

_MANDATORY = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "ValidDate",
]


def field_checks(
    df: pd.DataFrame, empty: EmptyCells, lines: pd.Series, out: dict[str, Any]
) -> tuple[pd.Series, list[pd.DataFrame | None]]:
    """Dates (into ``out``), mandatory fields and account numbers of every line; returns the
    accounts (stripped) and the problems."""
    problems: list[pd.DataFrame | None] = []
    # dates
    for col in DATE_COLUMNS:
        s = df[col]
        parsed, invalid, out_of_range, blank = fec_dates(s)
        if col not in empty:  # not already known (the quoted fields' path)
            empty[col] = blank
        problems.append(
            problem_frame(
                invalid,
                lines,
                col,
                s,
                "date invalide : le FEC attend une date réelle au format AAAAMMJJ (ex. 20241231).",
                "erreur",
            )
        )
        problems.append(
            problem_frame(
                out_of_range,
                lines,
                col,
                s,
                "date hors de la période admise (années 1900 à 2099) : faute de frappe dans "
                "l'année ? Date non lue.",
                "erreur",
            )
        )
        out[col] = parsed
    # mandatory text fields
    for col in _MANDATORY:
        problems.append(
            problem_frame(
                empty[col],
                lines,
                col,
                "",
                f"champ obligatoire « {col} » vide.",
                "erreur",
            )
        )
    # accounts
    accounts = df["CompteNum"].astype(str)
    unique = pd.unique(accounts)
    stripped = {u: u.strip() for u in unique if u != u.strip()}
    if stripped:
        accounts = accounts.replace(stripped)
        unique = pd.unique(accounts)
    info = account_info(unique)
    unknown = set(info.loc[~info["Connu"], "Compte"]) - {""}
    problems.append(
        problem_frame(
            accounts.isin(unknown) if unknown else np.zeros(len(accounts), dtype=bool),
            lines,
            "CompteNum",
            accounts,
            "compte inconnu du plan comptable associatif (ANC 2018-06) : les trois premiers "
            "caractères doivent être des chiffres d'un compte du plan.",
            "alerte",
        )
    )
    return accounts, problems


def _same_as_previous(values: pd.Series) -> np.ndarray:
    """For each line but the first, whether its cell equals the one of the line above.

    Text held in Arrow buffers is compared there (a Python object per cell would otherwise be
    made); text in Python objects is compared as it is.
    """
    if getattr(values.dtype, "storage", None) != "pyarrow":
        array = values.to_numpy()
        return np.asarray(array[1:] == array[:-1], dtype=bool)
    import pyarrow as pa
    import pyarrow.compute as pc

    arrow = pa.chunked_array(pa.array(values)) if len(values) else None
    if arrow is None or len(values) < 2:
        return np.zeros(max(len(values) - 1, 0), dtype=bool)
    same = pc.equal(arrow.slice(1), arrow.slice(0, len(values) - 1))
    return same.to_numpy(zero_copy_only=False).astype(bool)


def entry_checks(entries: pd.DataFrame, lines: pd.Series) -> list[pd.DataFrame | None]:
    """Balance, one date and one journal per entry.

    An entry is identified by ``(JournalCode, EcritureNum)``: software that numbers entries
    per journal (Paheko's option, many others) reuses a number in each journal, and two such
    entries are never merged. A number whose lines span two journals and balance only
    together is one entry written in two journals: reported as such (alerte), not as two
    unbalanced entries.

    Fast path: the lines of an entry are usually contiguous; if every contiguous block is
    balanced, every entry is. Otherwise the entries are grouped to name the unbalanced ones.
    """
    problems: list[pd.DataFrame | None] = []
    numbers = entries["EcritureNum"]
    net_values = (entries["Debit"] - entries["Credit"]).to_numpy()
    if len(numbers) == 0:
        return problems
    same_num = _same_as_previous(numbers)  # a line continues the number of the line above
    same = same_num & _same_as_previous(entries["JournalCode"])
    starts = np.flatnonzero(np.r_[True, ~same])
    block_gap = np.add.reduceat(net_values, starts)
    if len(numbers) > 1:  # one date per entry (checked on adjacent lines)
        values = entries["EcritureDate"].to_numpy()
        differs = np.r_[False, same & (values[1:] != values[:-1])]
        differs &= entries["EcritureDate"].notna().to_numpy() & np.r_[True, ~pd.isna(values[:-1])]
        problems.append(
            problem_frame(
                differs,
                lines,
                "EcritureDate",
                entries["EcritureDate"],
                "cette ligne de l'écriture n'a pas la même date que la précédente : une "
                "écriture porte une seule date.",
                "alerte",
            )
        )
    if not (np.abs(np.round(block_gap, 2)) >= 0.01).any():
        return problems
    keys = entries[["JournalCode", "EcritureNum"]]
    net = pd.Series(net_values, index=entries.index)
    gap = net.groupby([keys["JournalCode"], keys["EcritureNum"]], sort=False).sum().round(2)
    bad = gap[gap.abs() >= 0.01]
    if bad.empty:
        return problems
    first_line = lines.groupby([keys["JournalCode"], keys["EcritureNum"]], sort=False).min()
    bad_nums = bad.index.get_level_values(1)
    # numbers spread over several journals that balance only all together: one entry
    spread = pd.Series(bad_nums).value_counts()
    spread = spread[spread > 1].index
    merged_ok = set()
    if len(spread):
        merged = net[keys["EcritureNum"].isin(spread)].groupby(keys["EcritureNum"]).sum()
        merged_ok = set(merged[merged.round(2).abs() < 0.01].index)
    cross = [k for k in bad.index if k[1] in merged_ok]
    if cross:
        first_journal: dict[Any, Any] = {}
        for k in sorted(cross, key=lambda k: first_line[k]):
            first_journal.setdefault(k[1], k)
        later = [k for k in cross if first_journal[k[1]] != k]
        problems.append(
            pd.DataFrame(
                {
                    "ligne": [first_line[k] for k in later],
                    "colonne": "JournalCode",
                    "valeur": [str(k[0]) for k in later],
                    "message": [
                        f"cette ligne de l'écriture « {k[1]} » n'a pas le même journal que la "
                        f"précédente ({first_journal[k[1]][0]}) : une écriture porte un seul "
                        "journal."
                        for k in later
                    ],
                    "gravité": "alerte",
                }
            )
        )
    unbalanced = [k for k in bad.index if k[1] not in merged_ok]
    if unbalanced:
        reused = set(
            keys.loc[keys["EcritureNum"].isin([k[1] for k in unbalanced])]
            .groupby("EcritureNum")["JournalCode"]
            .nunique()
            .pipe(lambda s: s[s > 1].index)
        )
        problems.append(
            pd.DataFrame(
                {
                    "ligne": [first_line[k] for k in unbalanced],
                    "colonne": "EcritureNum",
                    "valeur": [str(k[1]) for k in unbalanced],
                    "message": [
                        f"écriture « {k[1]} »"
                        + (f" du journal {k[0]}" if k[1] in reused else "")
                        + f" déséquilibrée : débit − crédit = {format_number(bad[k])} € (le "
                        "total des débits doit égaler celui des crédits)."
                        for k in unbalanced
                    ],
                    "gravité": "erreur",
                }
            )
        )
    return problems


def _rows(frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """The rows at the (ascending) positions ``rows``, with their labels.

    Text held in Arrow buffers is taken chunk by chunk: a take on the whole column would first
    copy all its chunks into one, for the few candidate rows of :func:`duplicate_entries`.
    """
    out: dict[Any, Any] = {}
    for col in frame.columns:
        values = frame[col]
        if getattr(values.dtype, "storage", None) != "pyarrow":
            out[col] = values.to_numpy()[rows]
            continue
        import pyarrow as pa

        pieces, offset = [], 0
        for chunk in pa.chunked_array(pa.array(values)).chunks:
            low, high = np.searchsorted(rows, [offset, offset + len(chunk)])
            if high > low:
                pieces.append(chunk.take(pa.array(rows[low:high] - offset)))
            offset += len(chunk)
        out[col] = [x for piece in pieces for x in piece.to_pylist()]
    return pd.DataFrame(out, index=frame.index[rows], columns=frame.columns)


def duplicate_entries(entries: pd.DataFrame) -> list[pd.DataFrame | None]:
    """Entries whose lines all appear twice (the same lines pasted twice), as alerts.

    Candidates are found on numbers only (amounts and date, one hash per line, cheap on a
    million lines); only candidate lines are then compared on every FEC field. A line repeated
    inside an entry that is otherwise unique (two identical purchases) is not reported.
    """
    n = len(entries)
    if n < 2:
        return []
    with np.errstate(all="ignore"):  # absurd amounts (1e308) only make a worse hash
        debit = np.nan_to_num(np.round(entries["Debit"].to_numpy() * 100)).astype("int64")
        credit = np.nan_to_num(np.round(entries["Credit"].to_numpy() * 100)).astype("int64")
        day = entries["EcritureDate"].to_numpy().astype("datetime64[D]").astype("int64")
        h = (debit * np.int64(1_000_003) + credit) * np.int64(1_000_033) + day
    cand = pd.Series(h).duplicated(keep=False).to_numpy()
    if not cand.any():
        return []
    fields = [c for c in FEC_COLUMNS if c in entries.columns]
    sub = _rows(entries[fields], np.flatnonzero(cand)).astype(str)
    dup = sub.duplicated(keep=False)
    if not dup.any():
        return []
    sub = sub[dup]
    keys = sub[["JournalCode", "EcritureNum"]].drop_duplicates()
    full = entries[["JournalCode", "EcritureNum", "ligne"]]
    full = full[full["EcritureNum"].isin(set(keys["EcritureNum"]))]
    size = full.groupby(["JournalCode", "EcritureNum"], sort=False).size()
    found = sub.groupby(["JournalCode", "EcritureNum"], sort=False)
    rows = []
    for key, part in found:
        if len(part) != size.get(key, -1) or len(part) % 2:
            continue  # some lines of the entry are not repeated: not a pasted copy
        second = part.duplicated(keep="first").to_numpy()
        if second.sum() * 2 != len(part):
            continue
        line_no = entries.loc[part.index, "ligne"].to_numpy()
        copy, orig = line_no[second], line_no[~second]
        rows.append(
            {
                "ligne": int(copy.min()),
                "colonne": "EcritureNum",
                "valeur": str(key[1]),
                "message": f"l'écriture « {key[1]} » (journal {key[0]}) est en double : "
                f"{_line_span(copy)} répète{'nt' if len(copy) > 1 else ''} "
                f"{_line_span(orig)} (lignes collées deux fois ?) ; ses montants sont comptés "
                "deux fois.",
                "gravité": "alerte",
            }
        )
    return [pd.DataFrame(rows)] if rows else []


def _line_span(line_numbers: np.ndarray) -> str:
    ordered = sorted(int(x) for x in line_numbers)
    if len(ordered) == 1:
        return f"la ligne {ordered[0]}"
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"les lignes {ordered[0]} à {ordered[-1]}"
    return "les lignes " + ", ".join(str(x) for x in ordered)
