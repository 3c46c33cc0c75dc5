"""Execute one submitted notebook for ``movsc correction`` (run as a script, in its own process).

``python -I _runner.py NOTEBOOK TIMEOUT`` runs the notebook in place with nbclient (a fresh
``python3`` kernel, errors allowed so that one failing cell does not hide the next questions, a
time budget for the whole notebook) after a first cell that refuses network connections, and
prints one JSON line: ``{"status": …, "errors": […]}``. It imports neither the toolkit nor
pandas, so that starting it is cheap; the kernel writes the correction journal itself.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

#: First cell added to each copy before it runs: refuse every connection but the local ones.
_NETWORK_GUARD = """\
import socket as _movsc_socket
def _movsc_guard(self, address, _connect=_movsc_socket.socket.connect):
    host = address[0] if isinstance(address, tuple) else None
    if self.family in (_movsc_socket.AF_INET, _movsc_socket.AF_INET6) and host not in (
        "127.0.0.1", "::1", "localhost"
    ):
        raise OSError("réseau désactivé pendant la correction")
    return _connect(self, address)
_movsc_socket.socket.connect = _movsc_guard
del _movsc_socket, _movsc_guard
"""


def _run_child(notebook: str, timeout: float) -> int:
    """Executed in a subprocess: run ``notebook`` in place, print a JSON status line."""
    # jsonschema (through nbformat) imports rfc3987_syntax when installed, which builds a
    # grammar at import time (about 1.5 s of CPU per copy); IRI validation is never needed here
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    status: dict[str, Any] = {"status": "terminé", "errors": []}
    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception as exc:
        print(json.dumps({"status": "illisible", "errors": [str(exc)[:300]]}))
        return 0
    nb.cells.insert(0, nbformat.v4.new_code_cell(_NETWORK_GUARD))
    deadline = time.monotonic() + timeout
    # the kernel talks to this process through local (Unix) sockets, not TCP ports
    from traitlets.config import Config

    config = Config()
    if sys.platform != "win32":
        config.KernelManager.transport = "ipc"
    client = NotebookClient(
        nb,
        config=config,
        kernel_name="python3",
        allow_errors=True,
        timeout=int(timeout),
        timeout_func=lambda cell: max(1, int(deadline - time.monotonic())),
        startup_timeout=120,
        shutdown_kernel="immediate",  # the journal is already written: no need to wait
        record_timing=False,
        resources={"metadata": {"path": str(Path(notebook).parent)}},
    )
    try:
        client.execute()
    except CellTimeoutError:
        status["status"] = "délai dépassé"
    except DeadKernelError:
        status["status"] = "noyau arrêté"
    except Exception as exc:
        status["status"] = "erreur"
        status["errors"].append(f"{type(exc).__name__}: {str(exc)[:300]}")
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") != "KeyboardInterrupt":
                status["errors"].append(f"{output.get('ename')}: {str(output.get('evalue'))[:200]}")
    print(json.dumps(status, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("usage : _runner.py CARNET DELAI", file=sys.stderr)
        sys.exit(2)
    sys.exit(_run_child(sys.argv[1], float(sys.argv[2])))
