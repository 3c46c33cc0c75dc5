"""Arrow counts split over threads give Arrow's own counts, whatever the slicing."""

from __future__ import annotations

import numpy as np
import pytest

from movsc_toolkit import _cores

pa = pytest.importorskip("pyarrow")
pc = pytest.importorskip("pyarrow.compute")


def _as_dict(values, counts) -> dict[object, int]:
    return dict(zip(values.to_pylist(), np.asarray(counts).tolist(), strict=True))


def _cells(n: int, k: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    pool = [f"réponse {i}" if i % 5 else "" for i in range(k)]
    picked = [pool[i] for i in rng.integers(0, k, n)]
    for i in rng.integers(0, n, n // 10):
        picked[i] = None
    return pa.chunked_array([picked[: n // 3], picked[n // 3 :]], type=pa.large_string())


@pytest.mark.parametrize(("n", "k"), [(0, 1), (7, 3), (1000, 4), (1001, 900), (5000, 5000)])
@pytest.mark.parametrize("cores", [1, 2, 3, 8])
def test_split_counts_are_arrows_counts(monkeypatch, n, k, cores):
    monkeypatch.setattr(_cores, "SPLIT_ROWS", 100)
    monkeypatch.setattr(_cores, "usable_cores", lambda: cores)
    cells = _cells(n, k)
    expected = pc.value_counts(cells)
    got = _cores.arrow_value_counts(cells)
    assert _as_dict(*got) == _as_dict(expected.field("values"), expected.field("counts"))
    assert len(got[0]) == len(expected)  # each value once, null included


def test_a_slice_counts_only_its_rows(monkeypatch):
    monkeypatch.setattr(_cores, "SPLIT_ROWS", 10)
    monkeypatch.setattr(_cores, "usable_cores", lambda: 4)
    cells = pa.chunked_array([["a"] * 50 + ["b"] * 50 + ["c"] * 50])
    got = _cores.arrow_value_counts(cells.slice(40, 70))
    assert _as_dict(*got) == {"a": 10, "b": 50, "c": 10}


def test_threads_are_bounded_by_rows_and_cores(monkeypatch):
    monkeypatch.setattr(_cores, "usable_cores", lambda: 64)
    monkeypatch.setattr(_cores, "SPLIT_ROWS", 10)
    handed = []

    class Pool:
        def map(self, func, items):
            items = list(items)
            handed.append(len(items))
            return map(func, items)

    monkeypatch.setattr(_cores, "_threads", Pool)
    _cores.arrow_value_counts(pa.chunked_array([["x"] * 19]))
    assert handed == []  # under two slices: counted in this thread
    _cores.arrow_value_counts(pa.chunked_array([["x"] * 30]))
    _cores.arrow_value_counts(pa.chunked_array([["x"] * 400]))
    assert handed == [3, _cores.MAX_THREADS]  # a slice of SPLIT_ROWS rows or more per thread


def test_a_forked_child_starts_its_own_threads(monkeypatch):
    monkeypatch.setattr(_cores, "_pool", None)
    pool = _cores._threads()
    assert _cores._threads() is pool  # kept for the next calls
    _cores._forget_threads()  # what fork does in the child
    assert _cores._threads() is not pool
