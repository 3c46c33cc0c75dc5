"""Make result objects that *print* as tables also *behave* like tables.

A result such as :class:`movsc_toolkit.lexico.Frequencies` shows a table; a student then writes
``freq["Effectif"]``, ``freq.loc["jeune"]``, ``len(freq)`` or ``for mot in freq`` as they would
on the table they see. :class:`TableLike` delegates these to the object's ``to_frame()`` so they
work, while the object keeps its own display and attributes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

__all__ = ["TableLike"]


class TableLike:
    """Mixin for result objects with a ``to_frame()`` method: table indexing by delegation.

    ``obj[...]``, ``obj.loc``, ``obj.iloc``, ``obj.index``, ``obj.columns``, ``obj.shape``,
    ``len(obj)``, iteration (over the row labels' column names, as a DataFrame does), ``in``
    and ``obj.values``/``obj.to_numpy()`` act on ``obj.to_frame()``.
    """

    def to_frame(self) -> pd.DataFrame:  # pragma: no cover - provided by the subclass
        raise NotImplementedError

    def __getitem__(self, key: Any) -> Any:
        return self.to_frame()[key]

    @property
    def loc(self) -> Any:
        """Label-based access, as ``DataFrame.loc``."""
        return self.to_frame().loc

    @property
    def iloc(self) -> Any:
        """Position-based access, as ``DataFrame.iloc``."""
        return self.to_frame().iloc

    @property
    def index(self) -> pd.Index:
        """The row labels of the table."""
        return self.to_frame().index

    @property
    def columns(self) -> pd.Index:
        """The column labels of the table."""
        return self.to_frame().columns

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns) of the table."""
        return self.to_frame().shape

    def __len__(self) -> int:
        return len(self.to_frame())

    def __iter__(self) -> Iterator[Any]:
        return iter(self.to_frame())

    def __contains__(self, key: Any) -> bool:
        return key in self.to_frame()

    def to_numpy(self) -> Any:
        """The table's values as a NumPy array."""
        return self.to_frame().to_numpy()
