"""Registry of the bundled datasets.

Each dataset is a folder of the top-level ``datasets/`` directory (shipped inside the wheel as
``movsc_toolkit/_bundled/datasets``) holding its data files, a datasheet ``README.md``, the seeded
script that generated it and a ``dataset.toml`` describing it::

    title = "Enquête auprès des usagers d'un centre social"
    description = "500 réponses fictives à un questionnaire de satisfaction."
    capability = "enquete"          # prise_en_main | enquete | lexicometrie | finances | pilotage
    files = ["reponses.csv", "formulaire.xlsx"]
    main = "reponses.csv"           # what load(name) reads ("." = the folder itself)
    loader = "movsc_toolkit.survey:read_responses"   # optional; read_table by default

    [loader_options]                # optional keyword arguments for the loader
    form = "formulaire.xlsx"        # a value naming one of `files` is turned into its path

An optional ``loader_files = ["…", "…"]`` lists the other files the loader reads (by default,
those with the main file's extension; see :func:`load`).

``list()`` describes them, ``path(name)`` gives a folder or a file, ``load(name)`` reads one.
"""

from __future__ import annotations

import builtins
import importlib
import tomllib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import FileError, MovscError, OptionError, closest
from .._resources import bundled

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DATA_ROOT", "list", "load", "path"]


#: Folder holding one sub-folder per dataset.
DATA_ROOT: Path = bundled("datasets")


@cache
def _registry() -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    if not DATA_ROOT.is_dir():
        return entries
    for folder in sorted(DATA_ROOT.iterdir()):
        meta_file = folder / "dataset.toml"
        if meta_file.is_file():
            with meta_file.open("rb") as fh:
                meta = tomllib.load(fh)
            meta["folder"] = folder
            entries[folder.name] = meta
    return entries


def _entry(name: str) -> dict[str, Any]:
    registry = _registry()
    if name not in registry:
        near = closest(name, registry)
        hint = (
            f"vouliez-vous dire « {near[0]} » ?"
            if near
            else "la liste des jeux de données s'obtient avec datasets.list() ou « movsc datasets »."
        )
        raise OptionError(f"le jeu de données « {name} » n'existe pas.", hint=hint)
    return registry[name]


def list() -> pd.DataFrame:
    """Describe the bundled datasets.

    Returns
    -------
    pandas.DataFrame
        Indexed by the dataset's name (``Jeu de données``, the name :func:`load` takes), with
        the columns ``Titre``, ``Description``, ``Capacité`` (the capability it serves:
        ``prise_en_main``, ``enquete``, ``lexicometrie``, ``finances``, ``pilotage``,
        ``qualitatif``) and ``Fichiers`` (its files, comma-separated).

    Examples
    --------
    >>> from movsc_toolkit import datasets
    >>> table = datasets.list()
    >>> table.columns.tolist()
    ['Titre', 'Description', 'Capacité', 'Fichiers']
    >>> table.loc["exemple_adherents", "Fichiers"]
    'adherents.csv, adherents.xlsx'
    """
    import pandas as pd

    rows = [
        {
            "Jeu de données": name,
            "Titre": meta.get("title", ""),
            "Description": meta.get("description", ""),
            "Capacité": meta.get("capability", ""),
            "Fichiers": ", ".join(meta.get("files", [])),
        }
        for name, meta in _registry().items()
    ]
    columns = ["Jeu de données", "Titre", "Description", "Capacité", "Fichiers"]
    return pd.DataFrame(rows, columns=columns).set_index("Jeu de données")


def path(name: str, path: str | None = None) -> Path:
    """Path of a dataset's folder, or of one of its files.

    Parameters
    ----------
    name
        The dataset's name (the index of :func:`list`).
    path
        A file of the dataset (``"inscriptions.csv"``); ``None`` gives the folder.

    Returns
    -------
    pathlib.Path
        The folder or the file, inside the installed package.

    Examples
    --------
    >>> from movsc_toolkit import datasets
    >>> datasets.path("exemple_inscriptions", "inscriptions.csv").name
    'inscriptions.csv'
    >>> datasets.path("exemple_inscriptions").name
    'exemple_inscriptions'
    """
    return _file(name, path)


def _file(name: str, file: str | None) -> Path:
    meta = _entry(name)
    folder: Path = meta["folder"]
    if file is None:
        return folder
    target = folder / file
    if not target.exists():
        files = meta.get("files", [])
        near = closest(file, files)
        hint = (
            f"vouliez-vous dire « {near[0]} » ?"
            if near
            else "fichiers disponibles : " + ", ".join(f"« {f} »" for f in files)
        )
        raise FileError(
            f"le jeu de données « {name} » n'a pas de fichier « {file} ».", path=target, hint=hint
        )
    return target


def _uses_loader(meta: dict[str, Any], file: str | None) -> bool:
    """Whether ``file`` is read with the dataset's declared loader (see :func:`load`)."""
    if not meta.get("loader"):
        return False
    main = meta.get("main")
    if file is None or file == main:
        return True
    declared = meta.get("loader_files")
    if declared is not None:
        return file in declared
    return bool(main) and Path(str(file)).suffix.lower() == Path(str(main)).suffix.lower() != ""


def load(name: str, path: str | None = None, **options: Any) -> Any:
    """Load a dataset (its ``main`` file, or the file ``path``) with its declared loader.

    The declared loader reads the main file and the files listed under ``loader_files`` in
    ``dataset.toml``; without that list, every file with the main file's extension (so
    ``load("centre_social_budget", "budget_2025.xlsx")`` gives a budget like the main file).
    When such a file is not of the main file's kind (``loader_files`` not declared and the
    loader refuses it), it is read as a plain table. Other files are read with
    :func:`movsc_toolkit.read_table`. Extra keyword arguments go to the reader.

    Parameters
    ----------
    name
        The dataset's name (the index of :func:`list`).
    path
        A file of the dataset; ``None`` reads its main file.
    **options
        Options of the reader (``sheet="Adhérents"`` for :func:`movsc_toolkit.read_table`…).

    Returns
    -------
    object
        What the declared loader gives (a ``Budget``, a ``Ledger``, a ``Corpus``…), else the
        table read by :func:`movsc_toolkit.read_table` (a ``pandas.DataFrame``).

    Examples
    --------
    >>> from movsc_toolkit import datasets
    >>> adherents = datasets.load("exemple_adherents")
    >>> adherents.shape
    (120, 11)
    """
    meta = _entry(name)
    file = path
    target = _file(name, file or meta.get("main") or meta.get("files", [None])[0])
    from .._io import read_table

    if _uses_loader(meta, file):
        module_name, _, func_name = meta["loader"].partition(":")
        loader = getattr(importlib.import_module(module_name), func_name)
        kwargs = {}
        files = builtins.list(meta.get("files", []))
        for key, value in meta.get("loader_options", {}).items():
            kwargs[key] = (
                meta["folder"] / value if isinstance(value, str) and value in files else value
            )
        kwargs.update(options)
        if file is None or file == meta.get("main") or "loader_files" in meta:
            return loader(target, **kwargs)
        try:
            return loader(target, **kwargs)
        except MovscError:
            pass  # a file of another kind with the same extension (a table of margins…)
    return read_table(target, **options)
