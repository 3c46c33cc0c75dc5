"""Small helpers shared by the qualitative modules (column matching, problems, displays)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

import pandas as pd

from .._errors import ColumnError, closest
from .._parse import fold_words as fold  # column names matched whatever their punctuation
from .._problems import ProblemLog, ProblemTable
from .._report import titled_html

#: Columns of every problems table (optional context columns go before ``ligne``).
PROBLEM_COLUMNS = ["ligne", "colonne", "valeur", "gravité", "message"]


def distinct(values: pd.Series) -> list[Any]:
    """The distinct values of a column, in order of first appearance, as Python objects:
    ``list(dict.fromkeys(values))`` without one Python object per cell (Arrow strings)."""
    return pd.unique(values).tolist()


def find_column(
    data: pd.DataFrame,
    aliases: Sequence[str],
    *,
    required: bool = False,
    what: str = "",
    path: Any = None,
) -> str | None:
    """The first column of ``data`` whose folded name is one of ``aliases`` (folded)."""
    wanted = [fold(a) for a in aliases]
    folded = {fold(c): c for c in data.columns}
    for alias in wanted:
        if alias in folded:
            return str(folded[alias])
    if required:
        near = closest(aliases[0], [str(c) for c in data.columns])
        shown = ", ".join(f"« {c} »" for c in data.columns)
        hint = f"ajoutez une colonne « {aliases[0]} » ({what})" + (
            f" ; vouliez-vous dire « {near[0]} » ?" if near else f" ; colonnes lues : {shown}."
        )
        raise ColumnError(f"la colonne « {aliases[0]} » est introuvable.", path=path, hint=hint)
    return None


def is_missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def text_of(value: object) -> str:
    """A cell as clean text ('' when missing; 3.0 → '3')."""
    if is_missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def problems_frame(rows: Iterable[dict[str, Any]], context: Sequence[str] = ()) -> pd.DataFrame:
    """The shared problems table (``_problems.ProblemTable``) of a list of problem dicts."""
    rows = list(rows)
    if not rows:
        # every Codings gets one: the empty table is built once, then copied
        return ProblemTable(_no_problems().copy())
    log = ProblemLog()
    log.extend([{k: v for k, v in r.items() if not k.startswith("_")} for r in rows])
    return log.frame(sort=False)


@cache
def _no_problems() -> pd.DataFrame:
    return ProblemLog().frame(sort=False)


def line_numbers(data: pd.DataFrame) -> list[int]:
    """Line number in the file of each row of a table read by ``read_table`` (header = 1)."""
    lines = data.attrs.get("lines")
    if lines is not None and len(lines) == len(data):
        return [int(x) for x in lines]
    return list(range(2, len(data) + 2))


def plural(n: int, word: str, plural_form: str | None = None) -> str:
    return f"{n} {word if n in (0, 1) else (plural_form or word + 's')}"


def tables_html(tables: Iterable[tuple[str, pd.DataFrame]]) -> str:
    """The tables of a result, titled, as the notebook's HTML (one decimal shown)."""
    return "".join(titled_html(table, caption, decimals=1) for caption, table in tables)
