"""A class on one JupyterHub: start each student's server with the course, collect the exercises.

Two pieces, used by ``deploy/jupyterhub/jupyterhub_config.py`` and by ``movsc collecte``:

- :func:`main` (``python -m movsc_toolkit.hub`` followed by the arguments of
  ``jupyterhub-singleuser``) is the start command of every student's server. It runs **as the
  student**, in the student's home: it prepares ``~/movsc-cours`` exactly as ``movsc lab`` does
  (:func:`movsc_toolkit.cli.sync_course`: course notebooks and the student version of the
  exercises; a notebook the student changed is never overwritten), selects the French JupyterLab
  settings, then runs ``jupyterhub-singleuser`` in the same process. Files are thus owned by the
  student whatever the spawner, with no ``chown`` in a hub hook.
- :func:`collect` gathers the notebook of one exercise session from every student's home into
  ``<sortie>/<login>/<carnet>.ipynb``, the layout ``movsc correction`` reads. It reads the homes
  from disk (run it as the hub administrator, usually root), so it also works when the students'
  servers are stopped.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ._errors import FileError, MovscError
from ._report import Report, result, titled_html

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["COURSE_DIR", "DEFAULT_HOMES", "CollectReport", "collect", "main", "session_names"]

#: The course folder inside a student's home (the folder ``movsc lab`` opens).
COURSE_DIR = "movsc-cours"
#: Where the students' homes are on the class server of ``deploy/jupyterhub``
#: (SystemdSpawner with ``dynamic_users``: ``/var/lib/private/<login>``).
DEFAULT_HOMES = "/var/lib/private/{login}"

# --------------------------------------------------------------------------- server start


def prepare_home(home: str | os.PathLike[str]) -> tuple[list[str], list[str]]:
    """Create or update ``<home>/movsc-cours`` as ``movsc lab`` does; return (written, kept)."""
    from ._cli.course import sync_course

    return sync_course(Path(home) / COURSE_DIR)


def singleuser_args(argv: Sequence[str]) -> list[str]:
    """The ``jupyterhub-singleuser`` arguments: the spawner's, plus French JupyterLab settings."""
    from ._cli.lab import lab_settings_dir, running_as_root

    args = list(argv)
    settings = lab_settings_dir()  # French interface when the wheel's copy is missing
    if settings is not None:
        args.append(f"--LabApp.app_settings_dir={settings}")
    if running_as_root() and not any("allow_root" in a or a == "--allow-root" for a in argv):
        args.append("--ServerApp.allow_root=True")  # containers, or a test hub run as root
    return args


def _serve(args: list[str]) -> int:
    """Run ``jupyterhub-singleuser`` in this process (modules already imported are reused)."""
    from jupyterhub.singleuser import main as singleuser

    sys.argv = ["jupyterhub-singleuser", *args]
    return singleuser() or 0


def main(argv: Sequence[str] | None = None) -> int:
    """Start command of a student's server: prepare the course, then run jupyterhub-singleuser.

    The server runs in the same process, so what preparing the course imported (nbformat and
    its JSON schemas, several seconds on a busy server) is not imported a second time. A
    failure to prepare the course is written to the hub's log (in French) and the server
    starts anyway: the student keeps access to their files.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    home = Path(os.environ.get("HOME") or Path.home())
    try:
        written, kept = prepare_home(home)
    except (MovscError, OSError) as exc:
        print(
            f"movsc : le dossier du cours n'a pas pu être préparé dans « {home / COURSE_DIR} » : "
            f"{exc}",
            file=sys.stderr,
            flush=True,
        )
    else:
        print(
            f"movsc : cours prêt dans « {home / COURSE_DIR} » ({len(written)} fichier(s) "
            f"copié(s) ou mis à jour, {len(kept)} modifié(s) par l'élève et gardé(s)).",
            file=sys.stderr,
            flush=True,
        )
    return _serve(singleuser_args(args))


# --------------------------------------------------------------------------- collect


def session_names() -> list[str]:
    """Names of the exercise notebooks handed out to students (``02_enquete_analyse``…)."""
    from ._resources import bundled

    folder = bundled("exercises")
    return sorted(p.stem for p in folder.glob("*.ipynb")) if folder.is_dir() else []


def _resolve_session(session: str) -> str:
    name = session.removesuffix(".ipynb").strip()
    known = session_names()
    if name in known:
        return name
    matches = [n for n in known if n.startswith(name + "_") or n.split("_", 1)[0] == name]
    if len(matches) == 1:
        return matches[0]
    listing = ", ".join(known) or "aucun"
    if not matches:
        raise MovscError(
            f"« {session} » n'est pas un carnet d'exercices du cours.",
            hint=f"donnez le numéro ou le nom d'un carnet d'exercices : {listing}.",
        )
    raise MovscError(
        f"« {session} » désigne plusieurs carnets d'exercices : {', '.join(matches)}.",
        hint="donnez le nom complet du carnet.",
    )


def _homes(template: str) -> list[tuple[str, Path]]:
    """The (login, home) pairs matching ``template`` (which contains ``{login}`` once)."""
    before, _, after = template.partition("{login}")
    if "{login}" not in template or "{login}" in after or (after and not after.startswith("/")):
        raise MovscError(
            f"le modèle des dossiers personnels « {template} » doit contenir {{login}} une fois, "
            "à la fin d'un nom de dossier.",
            hint="par exemple : --accueils '/var/lib/private/{login}' ou '/home/{login}'.",
        )
    head, _, prefix = before.rpartition("/")
    parent = Path(head or "/")
    if not parent.is_dir():
        raise FileError(
            f"le dossier des comptes élèves « {parent} » est introuvable.",
            path=str(parent),
            hint="vérifiez --accueils (sur le serveur de la classe : '/var/lib/private/{login}', "
            "avec des comptes Linux : '/home/{login}').",
        )
    try:
        entries = sorted(parent.iterdir())
    except OSError as exc:
        raise FileError(
            f"le dossier des comptes élèves « {parent} » n'est pas lisible ({exc.strerror}).",
            path=str(parent),
            hint="lancez la commande en administrateur du serveur (sudo movsc collecte …).",
        ) from None
    found = []
    for entry in entries:
        if entry.name.startswith(prefix) and len(entry.name) > len(prefix) and entry.is_dir():
            found.append((entry.name[len(prefix) :], entry / after.lstrip("/")))
    return found


@result
class CollectReport(Report):
    """What :func:`collect` did: one row per student (``élève``, ``état``, ``modifié le``…).

    Examples
    --------
    >>> import pandas as pd
    >>> from pathlib import Path
    >>> from movsc_toolkit.hub import CollectReport
    >>> table = pd.DataFrame({"élève": ["alice", "bob"], "état": ["rendu", "absent"]})
    >>> report = CollectReport("tp1", Path("ramassage"), table)
    >>> report.collected
    1
    >>> print(report)
    Ramassage de « tp1 » : 1 carnet(s) copié(s) dans « ramassage » (1 rendu(s), 1 absent(s)).
    """

    session: str
    folder: Path
    table: pd.DataFrame

    @property
    def collected(self) -> int:
        """Number of notebooks copied."""
        return int(self.table["état"].isin(["rendu", "non modifié"]).sum())

    def _lines(self) -> list[str]:
        counts = self.table["état"].value_counts()
        plural = {"rendu": "rendu(s)", "non modifié": "non modifié(s)", "absent": "absent(s)"}
        parts = [f"{n} {plural[state]}" for state, n in counts.items()]
        return [
            f"Ramassage de « {self.session} » : {self.collected} carnet(s) copié(s) dans "
            f"« {self.folder} » ({', '.join(parts) or 'aucun élève'})."
        ]

    def _html_tables(self) -> str:
        return titled_html(self.table, "Carnets ramassés")

    def to_frame(self) -> pd.DataFrame:
        """The table of the students (one row each)."""
        return self.table


_STATES = {
    "rendu": "modifié par l'élève : copié",
    "non modifié": "identique au carnet distribué (l'élève n'a rien enregistré) : copié",
    "absent": "pas de carnet : serveur jamais démarré, ou carnet supprimé ou renommé",
}


def collect(
    session: str,
    output: str | os.PathLike[str] | None = None,
    *,
    homes: str = DEFAULT_HOMES,
    exclude: Sequence[str] = (),
    overwrite: bool = False,
) -> CollectReport:
    """Gather the notebook ``session`` of every student into ``output/<login>/<session>.ipynb``.

    Parameters
    ----------
    session
        The exercise notebook: its name (``02_enquete_analyse``) or number (``02``).
    output
        Folder to fill (created); default ``copies-<session>`` in the current folder. It is then
        ready for ``movsc correction <output>``.
    homes
        Template of the students' home folders, with ``{login}``: ``/var/lib/private/{login}``
        on the class server of ``deploy/jupyterhub`` (SystemdSpawner, dynamic users),
        ``/home/{login}`` with one Linux account per student.
    exclude
        Logins left out (the teacher's own account…).
    overwrite
        Replace the copies of a previous collection in ``output``; otherwise nothing is written
        when ``output`` already holds copies of this session.

    Each student's state is reported: ``rendu`` (the notebook differs from the one handed
    out), ``non modifié`` (copied too: the grading then shows the unanswered questions) or
    ``absent`` (nothing copied). Only the homes holding a ``movsc-cours`` folder are
    students'. The table is also written to ``output/ramassage.csv``.
    """
    import pandas as pd

    from ._cli.course import MANIFEST
    from ._write import write_bytes, write_csv

    name = _resolve_session(session)
    folder = Path(output) if output is not None else Path(f"copies-{name}")
    relative = f"exercises/{name}.ipynb"
    # a folder without a course folder is not a student's (other services under
    # /var/lib/private, administrators' homes under /home)
    students = [
        (login, home)
        for login, home in _homes(homes)
        if login not in set(exclude) and (home / COURSE_DIR).is_dir()
    ]
    if not students:
        raise MovscError(
            f"aucun dossier d'élève ne correspond à « {homes} ».",
            hint="vérifiez --accueils ; les dossiers sont créés au premier démarrage du serveur "
            "de chaque élève.",
        )
    existing = (
        sorted(login for login, _ in students if (folder / login / f"{name}.ipynb").exists())
        if folder.is_dir()
        else []
    )
    if existing and not overwrite:
        raise FileError(
            f"le dossier « {folder} » contient déjà les copies de {len(existing)} élève(s) pour "
            f"« {name} » : rien n'a été écrit, pour ne pas effacer un ramassage précédent.",
            path=str(folder),
            hint="choisissez un autre dossier avec --sortie, ou ajoutez --ecraser pour "
            "remplacer ces copies.",
        )
    rows = []
    for login, home in students:
        course = home / COURSE_DIR
        notebook = course / relative
        row: dict[str, object] = {
            "élève": login,
            "carnet": f"{name}.ipynb",
            "état": "absent",
            "modifié le": None,
            "octets": None,
            "détail": _STATES["absent"],
        }
        if notebook.is_file():
            try:
                data = notebook.read_bytes()
                stat = notebook.stat()
            except OSError as exc:
                raise FileError(
                    f"le carnet de {login} « {notebook} » n'est pas lisible ({exc.strerror}).",
                    path=str(notebook),
                    hint="lancez la commande en administrateur du serveur (sudo movsc collecte …).",
                ) from None
            try:
                manifest = json.loads((course / MANIFEST).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                manifest = {}
            handed_out = manifest.get(relative)
            state = "non modifié" if handed_out == hashlib.sha256(data).hexdigest() else "rendu"
            write_bytes(
                folder / login / f"{name}.ipynb",
                data,
                suffixes=(".ipynb",),
                what=f"la copie de {login}",
            )
            os.utime(folder / login / f"{name}.ipynb", (stat.st_atime, stat.st_mtime))
            row.update(
                {
                    "état": state,
                    "modifié le": _dt.datetime.fromtimestamp(stat.st_mtime).strftime(
                        "%d/%m/%Y %H:%M"
                    ),
                    "octets": len(data),
                    "détail": _STATES[state],
                }
            )
        rows.append(row)
    table = pd.DataFrame(
        rows, columns=["élève", "carnet", "état", "modifié le", "octets", "détail"]
    )
    write_csv(table, folder / "ramassage.csv", what="le relevé du ramassage", date_format=None)
    return CollectReport(name, folder, table)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
