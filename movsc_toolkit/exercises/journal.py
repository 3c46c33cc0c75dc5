"""The correction journal: ``verifier`` appends each answer it checks (during ``movsc correction``)
to the file named by ``MOVSC_CORRECTION_JOURNAL``; values are encoded safely (no pickle) and
decoded in the teacher's process.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from numbers import Real
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .results import CheckResult


JOURNAL_ENV = "MOVSC_CORRECTION_JOURNAL"


# --------------------------------------------------------------------------- safe value encoding


def _cell(value: Any) -> Any:
    """A JSON primitive for one cell or label (NaN → None, numpy → Python)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None if math.isnan(value) else {"inf": 1 if value > 0 else -1}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, tuple):
        return {"tuple": [_cell(v) for v in value]}
    if value is pd.NaT or value is pd.NA:
        return None
    return str(value)


def _uncell(value: Any) -> Any:
    if isinstance(value, dict):
        if "tuple" in value:
            return tuple(_uncell(v) for v in value["tuple"])
        if "inf" in value:
            return math.inf * value["inf"]
    return math.nan if value is None else value


def encode_value(value: Any, *, max_cells: int = 20000) -> dict[str, Any]:
    """Encode a student's answer as JSON-safe data (never pickle: the grader trusts nothing).

    Numbers, text, booleans, lists, dicts, Series and DataFrames keep their content; result
    objects with ``to_frame()`` are encoded as their table; anything else as its ``repr``.
    """
    if value is Ellipsis:
        return {"t": "ellipsis"}
    if value is None:
        return {"t": "none"}
    if isinstance(value, bool | np.bool_):
        return {"t": "bool", "v": bool(value)}
    if isinstance(value, Real | np.number):
        return {"t": "num", "v": _cell(float(value) if not isinstance(value, int) else value)}
    if isinstance(value, str):
        return {"t": "str", "v": value[:10000]}
    if not isinstance(value, pd.DataFrame | pd.Series | pd.Index) and callable(
        getattr(value, "to_frame", None)
    ):
        try:
            frame = value.to_frame()
        except Exception:
            frame = None
        if isinstance(frame, pd.DataFrame | pd.Series):
            value = frame
    if isinstance(value, pd.Series):
        value = value.iloc[:max_cells]
        return {
            "t": "series",
            "index": [_cell(i) for i in value.index],
            "data": [_cell(v) for v in value.tolist()],
            "name": _cell(value.name),
        }
    if isinstance(value, pd.DataFrame):
        rows = max(1, max_cells // max(1, value.shape[1]))
        value = value.iloc[:rows]
        return {
            "t": "frame",
            "index": [_cell(i) for i in value.index],
            "columns": [_cell(c) for c in value.columns],
            "data": [[_cell(v) for v in row] for row in value.itertuples(index=False)],
        }
    if isinstance(value, pd.Index | np.ndarray):
        value = list(np.asarray(value, dtype=object).ravel()[:max_cells])
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        return {"t": "list", "v": [encode_value(v) for v in items[:max_cells]]}
    if isinstance(value, dict):
        return {"t": "dict", "v": [[_cell(k), encode_value(v)] for k, v in value.items()]}
    if isinstance(value, pd.Period | pd.Timestamp | _dt.date):
        return {"t": "str", "v": str(value)}
    return {"t": "repr", "v": repr(value)[:200], "type": type(value).__name__}


class Opaque:
    """An answer the journal could only record as text (an object of another type)."""

    def __init__(self, text: str, type_name: str) -> None:
        self.text = text
        self.type_name = type_name

    def __repr__(self) -> str:
        return self.text


def decode_value(data: dict[str, Any]) -> Any:
    """Inverse of :func:`encode_value`."""
    kind = data.get("t")
    if kind == "ellipsis":
        return Ellipsis
    if kind == "none":
        return None
    if kind in ("bool", "str"):
        return data["v"]
    if kind == "num":
        return _uncell(data["v"])
    if kind == "series":
        index = [_uncell(i) for i in data["index"]]
        return pd.Series(
            [_uncell(v) for v in data["data"]],
            index=pd.MultiIndex.from_tuples(index)
            if index and isinstance(index[0], tuple)
            else index,
            name=_uncell(data["name"]) if data["name"] is not None else None,
            dtype=object if not data["data"] else None,
        ).infer_objects()
    if kind == "frame":
        index = [_uncell(i) for i in data["index"]]
        columns = [_uncell(c) for c in data["columns"]]
        frame = pd.DataFrame(
            [[_uncell(v) for v in row] for row in data["data"]],
            columns=pd.MultiIndex.from_tuples(columns)
            if columns and isinstance(columns[0], tuple)
            else columns,
        )
        frame.index = (
            pd.MultiIndex.from_tuples(index) if index and isinstance(index[0], tuple) else index
        )
        return frame.infer_objects()
    if kind == "list":
        return [decode_value(v) for v in data["v"]]
    if kind == "dict":
        return {_uncell(k): decode_value(v) for k, v in data["v"]}
    return Opaque(str(data.get("v", "")), str(data.get("type", "objet")))


def read_journal(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    records = []
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                records.append(record)
    return records


def write_journal(path: str, result: CheckResult, value: Any) -> None:
    """Append one checked answer to the journal (never raises: the journal is the teacher's
    business, a full disk must not break the student's check)."""
    record = {
        "id": result.id,
        "status": result.status,
        "diagnosis": result.diagnosis,
        "value": encode_value(value),
    }
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError:
        pass
