"""Fixtures shared by the unit tests (the root ``conftest.py`` sets the matplotlib backend)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


class _CurrentEnvironment(KernelSpecManager):
    """Kernel specs that all start this interpreter (like nbval's ``--nbval-current-env``).

    A ``python3`` kernel spec installed in the user's folder could point to another Python.
    """

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        return KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name="Python 3 (environnement des tests)",
            language="python",
        )


@pytest.fixture
def repo_root() -> Path:
    """The root of the checkout (holding ``notebooks/``, ``exercises/`` and ``datasets/``)."""
    return ROOT


@pytest.fixture
def execute_notebook() -> Callable[[nbformat.NotebookNode, Path], nbformat.NotebookNode]:
    """Run a notebook in a fresh kernel of this environment, in folder ``cwd``.

    Raises ``nbclient.exceptions.CellExecutionError`` at the first failing cell (cells tagged
    ``raises-exception`` may fail).
    """

    def run(nb: nbformat.NotebookNode, cwd: Path) -> nbformat.NotebookNode:
        manager = KernelManager(kernel_name="python3", kernel_spec_manager=_CurrentEnvironment())
        client = NotebookClient(
            nb, km=manager, timeout=600, resources={"metadata": {"path": str(cwd)}}
        )
        client.execute()
        return nb

    return run
