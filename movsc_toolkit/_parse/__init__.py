"""The one parser of French cells: text folding, missing values, amounts, dates and weights.

Every reader of the toolkit (tables, survey answers, ledgers, budgets, project workbooks) goes
through these functions, so that one cell is read the same way whatever the file.

* :func:`fold` / :func:`fold_series` — one accent and case folding for matching labels.
* :func:`is_blank` / :func:`missing_mask` — **the** missing-value rule: a cell is missing
  only when it is empty (or only spaces), already missing (``NaN``/``None`` given by a reader),
  or equal to a declared non-response code. The strings ``NA``, ``N/A``, ``None``, ``null``,
  ``NaN``, ``#N/A`` are answers (Kobo forms name choices ``NA`` = « ne sait pas »).
* :func:`to_number` — amounts written the French way or the international way.
* :func:`to_date` / :func:`parse_date` — French and ISO dates, ``AAAAMMJJ``, Excel serials.
* :func:`check_weights` — survey weights.

The column functions work once per distinct value (exports repeat a lot) and return result
objects with boolean masks, so that the caller can report each unreadable cell on its line.

Submodules, one subject each: :mod:`.text` (folding, missing values), :mod:`.numbers`,
:mod:`.dates`, :mod:`.weights`. The names below are the toolkit's internal API:
:func:`number_table` / :func:`date_table` read the distinct values of a column (for readers
that factorize a column themselves), :func:`per_distinct` applies a function once per
distinct value of a column, and :func:`blank_scalar` tells a blank cell.
"""

from __future__ import annotations

from .dates import DateResult, date_table, parse_date, to_date
from .numbers import NumberResult, number_table, to_number
from .text import (
    blank_scalar,
    fold,
    fold_series,
    fold_words,
    is_blank,
    missing_mask,
    per_distinct,
)
from .weights import check_weights

__all__ = [
    "DateResult",
    "NumberResult",
    "blank_scalar",
    "check_weights",
    "date_table",
    "fold",
    "fold_series",
    "fold_words",
    "is_blank",
    "missing_mask",
    "number_table",
    "parse_date",
    "per_distinct",
    "to_date",
    "to_number",
]
