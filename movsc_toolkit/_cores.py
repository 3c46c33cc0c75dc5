"""How many cores this process may use, and Arrow hash counts split over them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def usable_cores() -> int:
    """Cores this process may run on: CPU affinity, then a cgroup v2 quota (containers)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            cores = min(cores, max(1, int(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return max(1, cores)


# rows per thread below which one thread counts faster (handing slices to threads and adding
# up their counts cost more than the hashing they share)
SPLIT_ROWS = 250_000
MAX_THREADS = 4

_pool: Any = None  # the threads of arrow_value_counts, started at its first long column


def _threads() -> Any:
    """A pool of :data:`MAX_THREADS` threads, kept for the next calls (starting threads at each
    call cost about 3 ms on 20 columns of 1,000,000 rows, a third of the gain)."""
    global _pool
    if _pool is None:
        from concurrent.futures import ThreadPoolExecutor

        _pool = ThreadPoolExecutor(max_workers=MAX_THREADS, thread_name_prefix="movsc-compte")
    return _pool


def _forget_threads() -> None:
    # a child process made by fork has the pool but not its threads: it starts its own
    global _pool
    _pool = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_threads)


def arrow_value_counts(cells: Any) -> tuple[Any, Any]:
    """``(values, counts)`` of Arrow's ``value_counts`` of ``cells`` (a chunked array).

    Arrow hashes in one thread; a long column is cut into slices (no copy) counted each in a
    thread (Arrow's kernels release the GIL), and the counts of a value are added up. Values
    are grouped as by ``pyarrow.compute.value_counts`` (equal bytes); null is a value here.
    Measured on 2 cores (benchmarks/bench_survey.py): 1,000,000 short answers in 7–10 ms
    instead of 13–15 ms, and no slower when the other core is busy.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(cells)
    parts = max(1, min(usable_cores(), MAX_THREADS, n // SPLIT_ROWS))
    if parts == 1:
        counted = pc.value_counts(cells)
        return counted.field("values"), counted.field("counts")
    step = -(-n // parts)
    slices = [cells.slice(start, step) for start in range(0, n, step)]
    counted = list(_threads().map(pc.value_counts, slices))
    # each value once: its slices' counts added up (hashing only the values found)
    found = pc.dictionary_encode(
        pa.concat_arrays([c.field("values") for c in counted]), null_encoding="encode"
    )
    sums = np.bincount(
        found.indices.to_numpy(),
        weights=np.concatenate([c.field("counts").to_numpy() for c in counted]),
        minlength=len(found.dictionary),
    )
    return found.dictionary, sums.astype(np.int64)
