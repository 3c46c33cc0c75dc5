"""Where the course material is: in a checkout of the repository or inside the installed wheel.

The wheel ships the top-level ``datasets/``, ``notebooks/`` and ``exercises/`` folders as
``movsc_toolkit/_bundled/<name>`` (``pyproject.toml``, hatch ``force-include``). In a checkout
(editable install) they are next to the package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["PACKAGE_DIR", "TEMPLATES_DIR", "bundled", "checkout_root", "read_notebook"]

PACKAGE_DIR = Path(__file__).resolve().parent
#: Template notebooks and example data copied by ``movsc nouveau-memoire``.
TEMPLATES_DIR = PACKAGE_DIR / "templates"


def checkout_root() -> Path | None:
    """The repository root when the package runs from a checkout, else ``None``."""
    root = PACKAGE_DIR.parent
    if (root / "pyproject.toml").is_file() and (root / "notebooks").is_dir():
        return root
    return None


def bundled(name: str) -> Path:
    """Folder ``name`` (``"datasets"``, ``"notebooks"`` or ``"exercises"``) of the material.

    The copy inside the installed wheel wins; otherwise the folder of the checkout. The
    returned folder may not exist (a checkout without exercises yet).
    """
    inside = PACKAGE_DIR / "_bundled" / name
    if inside.is_dir():
        return inside
    return PACKAGE_DIR.parent / name


def read_notebook(path: str | Path) -> Any:
    """Read a notebook (nbformat 4), or raise a French ``FileError`` (missing or unreadable)."""
    import nbformat  # imported here: ``verifier`` alone does not need it

    from ._errors import FileError

    path = Path(path)
    if not path.is_file():
        raise FileError(
            "le carnet est introuvable.",
            path=path,
            hint=f"vérifiez le nom et le dossier (le dossier courant est « {Path.cwd()} »).",
        )
    try:
        return nbformat.read(path, as_version=4)
    except Exception:  # invalid JSON, not a notebook…
        raise FileError(
            "ce fichier n'est pas un carnet Jupyter lisible : son contenu est illisible ou "
            "endommagé.",
            path=path,
            hint="ouvrez-le dans JupyterLab pour vérifier qu'il n'est pas endommagé.",
        ) from None
