"""One display base for the toolkit's results.

A result says what it means in French sentences (``_lines()``) and shows its tables; from these
:class:`Report` gives ``str()``/``repr()`` (the sentences, for ``print`` and consoles) and the
notebook's HTML view (the sentences, then the tables through :func:`movsc_toolkit._format.
frame_html`, French numbers and no random identifiers).

Every public result of the capabilities follows the same rules (checked by
``tests/core/test_architecture.py``):

* it is declared with :func:`result`: frozen, no generated ``repr`` (the French one of
  :class:`Report` is used) and **identity equality** (``eq=False``), since comparing tables field
  by field makes ``==`` raise on pandas objects;
* it subclasses :class:`Report`, says what it means in ``_lines()`` and gives its main table in
  ``to_frame()`` with exact values (``decimals`` only changes what is shown, never the values);
* it has ``plot()`` where a chart makes sense.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar, cast, dataclass_transform

if TYPE_CHECKING:  # pandas is only needed to draw a table: the class server imports this light
    import pandas as pd

__all__ = ["Report", "result", "titled_html"]

_T = TypeVar("_T", bound=type)


@dataclass_transform(eq_default=False, frozen_default=True)
def result(cls: _T) -> _T:
    """Declare a result class: ``@dataclass(frozen=True, repr=False, eq=False)``.

    Frozen, so a result cannot be changed after it is computed; ``repr=False`` keeps the French
    display of :class:`Report`; ``eq=False`` gives identity equality (a generated ``__eq__``
    would compare DataFrames and raise).
    """
    return cast(_T, dataclass(frozen=True, repr=False, eq=False)(cls))


def titled_html(df: pd.DataFrame, title: str, decimals: int | None = 2) -> str:
    """A titled, deterministic HTML table (title as a bold paragraph above the table)."""
    from ._format import frame_html

    return f"<p><strong>{html.escape(title)}</strong></p>" + frame_html(df, decimals=decimals)


class Report:
    """Displays shared by the results: French sentences from ``_lines()``, then the result's
    tables from ``_html_tables()`` in the notebook's HTML view."""

    def _lines(self) -> list[str]:
        raise NotImplementedError

    def _html_tables(self) -> str:
        return ""

    def to_frame(self) -> pd.DataFrame:
        """The result's main table, with exact (unrounded) values."""
        raise NotImplementedError  # every result class defines it

    def __str__(self) -> str:
        return "\n".join(self._lines())

    def __repr__(self) -> str:
        return self.__str__()

    def _repr_html_(self) -> str:
        text = "".join(f"<p>{html.escape(line)}</p>" for line in self._lines())
        return text + self._html_tables()
