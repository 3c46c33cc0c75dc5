"""One display base for the toolkit's results (architecture note §7.2).

A result says what it means in French sentences (``_lines()``) and shows its tables; from these
:class:`Report` gives ``str()``/``repr()`` (the sentences, for ``print`` and consoles) and the
notebook's HTML view (the sentences, then the tables through :func:`movsc_toolkit._format.
frame_html`, French numbers and no random identifiers). First used by the survey results, then
by the qualitative ones; the other capabilities can move onto it class by class.
"""

from __future__ import annotations

import html

import pandas as pd

from ._format import frame_html

__all__ = ["Report", "titled_html"]


def titled_html(df: pd.DataFrame, title: str, decimals: int | None = 2) -> str:
    """A titled, deterministic HTML table (title as a bold paragraph above the table)."""
    return f"<p><strong>{html.escape(title)}</strong></p>" + frame_html(df, decimals=decimals)


class Report:
    """Displays shared by the results: French sentences from ``_lines()``, then the result's
    tables from ``_html_tables()`` in the notebook's HTML view."""

    def _lines(self) -> list[str]:
        raise NotImplementedError

    def _html_tables(self) -> str:
        return ""

    def __str__(self) -> str:
        return "\n".join(self._lines())

    def __repr__(self) -> str:
        return self.__str__()

    def _repr_html_(self) -> str:
        text = "".join(f"<p>{html.escape(line)}</p>" for line in self._lines())
        return text + self._html_tables()
