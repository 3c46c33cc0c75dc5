"""The disk cache of spaCy parses: one SQLite file per folder, who may change it, damaged files.

The rules (key, checked rows, damaged files set aside, shared folders of a class) are described
in :mod:`movsc_toolkit.lexico.nlp`; the row format (encoding and decoding a parsed text) is
there too. This module only opens, reads and writes the stores.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .._errors import MovscWarning

if TYPE_CHECKING:
    import sqlite3

__all__ = [
    "CACHE_FORMAT",
    "CacheStore",
    "cache_path",
    "open_stores",
    "personal_dir",
    "read_rows",
    "warn",
    "write_rows",
]

CACHE_FORMAT = 2  # 1: e664588 and before (tokens stored as text); 2: offsets checked on read
_CACHE_ENV = "MOVSC_CACHE_DIR"
_SHARED_ENV = "MOVSC_CACHE_SHARED"
_CACHE_FILE = "spacy-cache.sqlite3"
_LOCK_TIMEOUT = 20.0  # seconds a write waits for another process before the file is set aside


def personal_dir() -> Path:
    return Path.home() / ".cache" / "movsc-toolkit"


def cache_path(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """The cache file used for ``cache_dir`` (``None``: ``$MOVSC_CACHE_DIR`` or ``~/.cache``)."""
    if cache_dir is None:
        cache_dir = os.environ.get(_CACHE_ENV) or personal_dir()
    return Path(cache_dir) / _CACHE_FILE


def warn(message: str) -> None:
    import warnings

    warnings.warn(message, MovscWarning, stacklevel=4)


# ---------------------------------------------------------------------- who may change the cache


def _shared_opt_in() -> bool:
    return os.environ.get(_SHARED_ENV, "").strip().lower() in {"1", "oui", "yes", "true", "vrai"}


def _private_group(gid: int) -> bool:
    """Whether ``gid`` is the current user's own group (Debian's "user private groups")."""
    try:
        import grp
        import pwd

        user = pwd.getpwuid(os.geteuid())
        group = grp.getgrgid(gid)
    except (ImportError, KeyError):
        return False
    return (
        gid == user.pw_gid and group.gr_name == user.pw_name and set(group.gr_mem) <= {user.pw_name}
    )


def _others_can_write(st: os.stat_result) -> bool:
    import stat

    if st.st_mode & stat.S_IWOTH:
        return True
    return bool(st.st_mode & stat.S_IWGRP) and not _private_group(st.st_gid)


def _rights(st: os.stat_result) -> str:
    import stat

    return f"{stat.filemode(st.st_mode)}, propriétaire n° {st.st_uid}"


def _access(path: Path) -> tuple[str, str | None]:
    """How the cache file ``path`` may be used: ``("rw"|"ro"|"off", why it is not "rw")``.

    ``"rw"``: read and written; ``"ro"``: read only (its rows can be trusted but the user does
    not own it or others can create files next to it); ``"off"``: not used at all, since someone
    else may have changed its rows.
    """
    folder = path.parent
    if os.name != "posix":
        return "rw", None
    if _shared_opt_in():
        if path.exists() and not os.access(path, os.W_OK):
            return "ro", None
        return ("rw" if not folder.exists() or os.access(folder, os.W_OK) else "ro"), None
    import stat

    try:
        folder_st = os.stat(folder)
    except OSError:
        return "rw", None  # missing: created by the user; unusable: the opening says why
    try:
        file_st: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        file_st = None
    except OSError:
        return "rw", None
    me = os.geteuid()
    trusted = {me, 0, folder_st.st_uid}
    folder_open = _others_can_write(folder_st)
    if file_st is not None and (file_st.st_uid not in trusted or _others_can_write(file_st)):
        return "off", (
            f"le fichier « {path} » peut avoir été modifié par d'autres utilisateurs "
            f"({_rights(file_st)})"
        )
    if folder_open and not folder_st.st_mode & stat.S_ISVTX:
        return "off", (
            f"le dossier « {folder} » est modifiable par d'autres utilisateurs "
            f"({_rights(folder_st)}) : n'importe qui peut y remplacer le fichier du cache"
        )
    if folder_open:
        return "ro", (
            f"le dossier « {folder} » est modifiable par d'autres utilisateurs "
            f"({_rights(folder_st)}) : les nouvelles analyses n'y sont pas écrites"
        )
    if file_st is not None and file_st.st_uid != me:
        return "ro", None  # the teacher's cache: read it, write new parses elsewhere
    if not os.access(folder, os.W_OK) or (file_st is not None and not os.access(path, os.W_OK)):
        return "ro", None
    return "rw", None


# ---------------------------------------------------------------------------------- the store


class _BadDatabase(Exception):
    """The file is not a usable cache database (to be set aside)."""


class CacheStore:
    """A key → row store in SQLite (stdlib, one file, safe for concurrent readers)."""

    connection: sqlite3.Connection

    def __init__(self, path: Path, writable: bool) -> None:
        import sqlite3

        self.path = path
        self.writable = writable
        connection = None
        try:
            if writable:
                path.parent.mkdir(parents=True, exist_ok=True)
                connection = sqlite3.connect(path, timeout=_LOCK_TIMEOUT)
            else:
                uri = path.resolve().as_uri() + "?mode=ro"
                connection = sqlite3.connect(uri, uri=True, timeout=_LOCK_TIMEOUT)
            self.connection = connection
            self._check_schema()
        except sqlite3.DatabaseError as exc:  # not a database, malformed, locked, unreadable
            if connection is not None:
                connection.close()
            message = str(exc)
            if not path.exists() or "readonly" in message:
                raise  # not the file's fault: reported, the file is left alone

            if "locked" in message or "busy" in message:
                message = f"fichier verrouillé depuis plus de {_LOCK_TIMEOUT:g} s"
            raise _BadDatabase(message) from exc

    def _check_schema(self) -> None:
        columns = [
            (row[1], row[2].upper(), row[5])
            for row in self.connection.execute("PRAGMA table_info(parsed)")
        ]
        if not columns and self.writable:
            (tables,) = self.connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if tables:  # another program's database
                self.connection.close()
                raise _BadDatabase("tables inattendues")
            with self.connection:
                self.connection.execute("CREATE TABLE parsed (key TEXT PRIMARY KEY, data TEXT)")
                self.connection.execute(f"PRAGMA user_version = {CACHE_FORMAT}")
        elif columns != [("key", "TEXT", 1), ("data", "TEXT", 0)]:
            if columns or self.path.stat().st_size > 0:
                self.connection.close()
                raise _BadDatabase("tables inattendues")
            self.connection.close()
            raise FileNotFoundError(self.path)  # an empty read-only file: nothing to read
        if self.writable:
            # fail now, not after the parse, if another process holds the file for too long
            with self.connection:
                self.connection.execute("BEGIN IMMEDIATE")

    def get_many(self, keys: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(keys))
        for i in range(0, len(unique), 900):  # SQLite's limit on bound parameters
            chunk = unique[i : i + 900]
            marks = ",".join("?" * len(chunk))
            rows = self.connection.execute(
                f"SELECT key, data FROM parsed WHERE key IN ({marks})", chunk
            )
            found.update(rows)
        return found

    def put_many(self, items: list[tuple[str, str]]) -> None:
        with self.connection:
            self.connection.executemany("INSERT OR REPLACE INTO parsed VALUES (?, ?)", items)

    def close(self) -> None:
        self.connection.close()


def _set_aside(path: Path) -> Path:
    """Rename the database (and its journals) to a free ``.abime-<date>`` name; never delete."""
    import time

    stamp = time.strftime("%Y%m%d-%H%M%S")
    n = 0
    while True:
        target = path.with_name(f"{path.name}.abime-{stamp}" + (f"-{n}" if n else ""))
        if not any(Path(f"{target}{s}").exists() for s in ("", "-journal", "-wal", "-shm")):
            break
        n += 1
    # journals first: a journal left next to a new database would be replayed into it
    for suffix in ("-journal", "-wal", "-shm", ""):
        source = Path(f"{path}{suffix}")
        if source.exists():
            os.rename(source, f"{target}{suffix}")
    return target


def _open_one(path: Path, *, report_refusal: bool) -> tuple[CacheStore | None, str]:
    """The store for ``path`` (read-write or read-only as allowed) and the access mode."""
    mode, why = _access(path)
    return _open_store(path, mode, why, report_refusal=report_refusal), mode


def _open_store(
    path: Path, mode: str, why: str | None, *, report_refusal: bool
) -> CacheStore | None:
    """The store, or ``None`` (with a warning when there is something to say)."""
    import sqlite3

    advice = (
        "Pour une classe, voir deploy/jupyterhub/cache.md (cache rempli par l'enseignant, en "
        f"lecture seule pour les étudiants) ; si vous faites confiance à tous ceux qui peuvent "
        f"écrire dans ce dossier : variable d'environnement {_SHARED_ENV}=1."
    )
    if mode == "off":
        if report_refusal:
            warn(
                f"cache d'analyse non utilisé : {why}. Des lemmes auraient pu y être falsifiés ; "
                f"les textes sont analysés à nouveau. {advice}"
            )
        return None
    if mode == "ro":
        if not path.exists():
            return None
        if why:
            warn(f"cache d'analyse en lecture seule : {why}. {advice}")
    try:
        return CacheStore(path, writable=mode == "rw")
    except FileNotFoundError:
        return None
    except _BadDatabase as exc:
        return _replace_bad(path, exc, writable=mode == "rw")
    except (OSError, sqlite3.Error) as exc:
        warn(
            f"le cache d'analyse « {path} » est inutilisable ({exc}) : le corpus sera analysé "
            "sans cache. Indiquez un autre dossier avec cache_dir=… ou la variable "
            "d'environnement MOVSC_CACHE_DIR."
        )
        return None


def _replace_bad(path: Path, exc: Exception, *, writable: bool) -> CacheStore | None:
    """Set a damaged database aside and start a new one (or ignore it if it is not ours)."""
    import sqlite3

    if not writable:
        warn(
            f"le cache d'analyse « {path} » est abîmé ({exc}) et ne peut pas être réparé par "
            "vous : il est ignoré. Prévenez la personne qui l'a créé (l'enseignant)."
        )
        return None
    try:
        target = _set_aside(path)
        store = CacheStore(path, writable=True)
    except (OSError, sqlite3.Error, _BadDatabase) as again:
        warn(
            f"le cache d'analyse « {path} » est abîmé ({exc}) et n'a pas pu être remplacé "
            f"({again}) : le corpus est analysé sans cache. Indiquez un autre dossier avec "
            "cache_dir=… ou la variable d'environnement MOVSC_CACHE_DIR."
        )
        return None
    warn(
        f"le cache d'analyse « {path} » était abîmé ({exc}) : il a été mis de côté sous le "
        f"nom « {target.name} » (jamais supprimé : vous pouvez l'effacer) et un nouveau cache "
        "est créé."
    )
    return store


def read_rows(stores: list[CacheStore | None], k: int, keys: list[str]) -> dict[str, str]:
    """Rows of store ``k`` for ``keys``; a database found damaged now is set aside."""
    import sqlite3

    store = stores[k]
    assert store is not None
    try:
        return store.get_many(keys)
    except sqlite3.DatabaseError as exc:
        store.close()
        stores[k] = _replace_bad(store.path, exc, writable=store.writable)
        return {}


def open_stores(cache_dir: str | os.PathLike[str] | None) -> list[CacheStore]:
    """The stores to read, in order; new parses are written to the first writable one.

    When the chosen cache may not be written (a teacher's cache), the personal cache
    ``~/.cache/movsc-toolkit`` is added for the user's own new parses.
    """
    path = cache_path(cache_dir)
    stores = []
    first, mode = _open_one(path, report_refusal=True)
    if first is not None:
        stores.append(first)
    if mode != "rw":
        personal = cache_path(personal_dir())
        if personal.absolute() != path.absolute():
            second, _ = _open_one(personal, report_refusal=False)
            if second is not None:
                stores.append(second)
    return stores


def write_rows(store: CacheStore, items: list[tuple[str, str]]) -> None:
    import sqlite3

    try:
        store.put_many(items)
    except sqlite3.Error as exc:  # disk full, file locked for too long…: the results stand
        warn(
            f"les nouvelles analyses n'ont pas pu être enregistrées dans le cache « {store.path} »"
            f" ({exc}) : elles seront recalculées la prochaine fois."
        )
