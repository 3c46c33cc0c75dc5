"""Helpers shared by the datasets' ``generate.py`` scripts (not part of the toolkit's API).

openpyxl stamps a workbook's ``created``/``modified`` properties and every zip entry with the
current time, so two runs of a generator would write different bytes. :func:`stamp_workbook`
rewrites a saved workbook with one fixed date, so that a regenerated file is identical.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd


def stamp_workbook(path: Path, when: dt.datetime) -> None:
    """Rewrite the ``.xlsx`` at ``path`` with ``when`` as its creation, modification and zip dates."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path) as archive:
        members = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for filename, data in members:
            if filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    data,
                )
            info = zipfile.ZipInfo(filename, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)


def pick(rng: np.random.Generator, options: list[str], weights: list[float]) -> str:
    """One of ``options``, drawn with the given (unnormalised) ``weights``."""
    p = np.asarray(weights, dtype=float)
    return options[int(rng.choice(len(options), p=p / p.sum()))]


def month_periods(first: pd.Timestamp, last: pd.Timestamp) -> list[tuple[pd.Timestamp, ...]]:
    """``(first day, last day)`` of every month from ``first`` to ``last``."""
    starts = pd.date_range(first, last, freq="MS")
    return [(s, s + pd.offsets.MonthEnd(0)) for s in starts]


def quarter_periods(first: pd.Timestamp, last: pd.Timestamp) -> list[tuple[pd.Timestamp, ...]]:
    """``(first day, last day)`` of every quarter from ``first`` to ``last``."""
    starts = pd.date_range(first, last, freq="QS")
    return [(s, s + pd.offsets.QuarterEnd(0)) for s in starts]
