"""Where the course material is: in a checkout of the repository or inside the installed wheel.

The wheel ships the top-level ``datasets/``, ``notebooks/`` and ``exercises/`` folders as
``movsc_toolkit/_bundled/<name>`` (``pyproject.toml``, hatch ``force-include``). In a checkout
(editable install) they are next to the package.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["PACKAGE_DIR", "TEMPLATES_DIR", "bundled", "checkout_root"]

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
