"""The ``movsc`` command: open the course, list the data, build student exercises, start a mémoire.

Every message is in French; a user mistake ends with a French message and a non-zero exit code,
never with a traceback.

::

    movsc lab [--no-browser] [--port N] [--dossier D | --enseignant]
    movsc datasets
    movsc exercices eleve --sortie DOSSIER [--ecraser] [--source DOSSIER]
    movsc correction DOSSIER_DES_COPIES [--sortie D] [--bareme F] [--delai 120] [--corrige-visible]
    movsc nouveau-memoire DOSSIER
    movsc export CARNET.ipynb [--sortie FICHIER.html|.pdf|.docx] [--format F] [--code] [--forcer]
    movsc collecte SEANCE [--accueils MODELE] [--sortie DOSSIER] [--exclure LOGIN] [--ecraser]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from . import __version__
from ._errors import FileError, MovscError
from ._resources import TEMPLATES_DIR, bundled, checkout_root

__all__ = ["main"]

#: Student workspace opened by ``movsc lab``: course notebooks and student exercises.
DEFAULT_COURSE_DIR = Path.home() / "movsc-cours"
FIRST_NOTEBOOK = "notebooks/00_prise_en_main.ipynb"

CAPABILITIES = {
    "prise_en_main": "prise en main",
    "enquete": "enquête",
    "lexicometrie": "lexicométrie",
    "finances": "finances",
    "pilotage": "pilotage",
}

# --------------------------------------------------------------------------- argparse in French

_ARGPARSE_MESSAGES = [
    (r"the following arguments are required: (.*)", r"arguments obligatoires manquants : \1"),
    (r"unrecognized arguments: (.*)", r"arguments non reconnus : \1"),
    (
        r"argument (.+?): invalid choice: '?(.*?)'? \(choose from (.*)\)",
        r"argument \1 : « \2 » n'est pas un choix possible (choix : \3)",
    ),
    (
        r"argument (.+?): invalid int value: '?(.*?)'?$",
        r"argument \1 : « \2 » n'est pas un nombre entier",
    ),
    (
        r"argument (.+?): invalid (\w+) value: '?(.*?)'?$",
        r"argument \1 : la valeur « \3 » n'est pas valide",
    ),
    (r"argument (.+?): expected one argument", r"argument \1 : une valeur est attendue"),
    (r"argument (.+?): expected .*", r"argument \1 : nombre de valeurs incorrect"),
    (r"ambiguous option: (.*) could match (.*)", r"option ambiguë : \1 peut désigner \2"),
]


def _translate(message: str) -> str:
    for pattern, replacement in _ARGPARSE_MESSAGES:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        # subparsers' names are built with prefix="": keep it
        super().add_usage(usage, actions, groups, "Utilisation : " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` speaking French (titles, help option, error messages)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {_translate(message)}\n")


# --------------------------------------------------------------------------- lab


#: File of the student workspace recording the fingerprint of every file the command wrote.
MANIFEST = ".movsc-cours.json"
_IGNORED = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", ".movsc_cache", "*.pyc")


def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sync_course(target: Path) -> tuple[list[str], list[str]]:
    """Create or update the student workspace ``target``.

    The workspace holds the course notebooks (``notebooks/``) and the **student** version of
    the exercises (``exercises/``, built with
    :func:`~movsc_toolkit.exercises.build.build_all`: no solution, no result). The rule: a file
    is written when it is missing, or when it is still exactly what this command wrote last time
    (its fingerprint is in ``.movsc-cours.json``); a file the student changed — or that the
    command did not write — is never overwritten.

    Returns the files written and the files kept as they were (relative paths).
    """
    from .exercises.build import build_all

    notebooks = bundled("notebooks")
    if not notebooks.is_dir():
        raise FileError(
            f"les carnets du cours sont introuvables dans l'installation (« {notebooks} »).",
            hint="réinstallez le paquet : pip install --force-reinstall movsc-toolkit",
        )
    manifest_path = target / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    written: list[str] = []
    kept: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp)
        shutil.copytree(notebooks, staged / "notebooks", ignore=_IGNORED)
        exercises = bundled("exercises")
        if exercises.is_dir() and any(exercises.glob("*.ipynb")):
            build_all(exercises, staged / "exercises")
        for source in sorted(p for p in staged.rglob("*") if p.is_file()):
            relative = source.relative_to(staged).as_posix()
            dest = target / relative
            new = _fingerprint(source)
            if dest.exists():
                current = _fingerprint(dest) if dest.is_file() else None
                if current == new:
                    manifest[relative] = new
                    continue
                if current is None or manifest.get(relative) != current:
                    kept.append(relative)  # the student's work (or not ours): never touched
                    continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
            manifest[relative] = new
            written.append(relative)
    target.mkdir(parents=True, exist_ok=True)
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return written, kept


def _report_sync(root: Path, written: list[str], kept: list[str]) -> None:
    if written:
        print(f"Cours copié ou mis à jour dans « {root} » : {len(written)} fichier(s).")
    if kept:
        print(
            f"{len(kept)} fichier(s) que vous avez modifié(s) sont gardés tels quels : "
            + ", ".join(kept)
            + ". Pour retrouver la version d'origine d'un carnet, renommez votre copie puis "
            "relancez movsc lab."
        )


def teacher_root() -> Path:
    """Folder of the teacher material: the checkout, or the material bundled in the wheel."""
    root = checkout_root() or bundled("notebooks").parent
    if not (root / "notebooks").is_dir():
        raise FileError(
            f"les carnets du cours sont introuvables dans l'installation (« {root} »).",
            hint="réinstallez le paquet : pip install --force-reinstall movsc-toolkit",
        )
    return root


#: JupyterLab settings shipped with the toolkit: French interface, no "Jupyter news" pop-up.
#: The wheel installs them as ``<app_dir>/settings/overrides.d/movsc-toolkit.json``, where every
#: JupyterLab of the environment reads them (the user's own settings are never touched).
LAB_OVERRIDES = Path(__file__).resolve().parent / "_jupyterlab" / "overrides.json"
LAB_OVERRIDES_NAME = "movsc-toolkit.json"


def lab_settings_dir() -> Path | None:
    """JupyterLab application-settings folder for ``movsc lab``; ``None`` if the default is fine.

    When the installed copy of the toolkit's overrides is missing or stale (a ``--user`` install,
    a source checkout), a folder holding the default application settings plus the toolkit's
    overrides is prepared under ``~/.cache/movsc-toolkit`` and given to JupyterLab with
    ``--LabApp.app_settings_dir``. The administrator's ``overrides.json`` still wins.
    """
    from jupyterlab.commands import get_app_dir

    ours = LAB_OVERRIDES.read_bytes()
    default = Path(get_app_dir()) / "settings"
    installed = default / "overrides.d" / LAB_OVERRIDES_NAME
    if installed.is_file() and installed.read_bytes() == ours:
        return None
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    target = cache / "movsc-toolkit" / "jupyterlab-settings"
    if default.is_dir():
        shutil.copytree(default, target, dirs_exist_ok=True)
    (target / "overrides.d").mkdir(parents=True, exist_ok=True)
    (target / "overrides.d" / LAB_OVERRIDES_NAME).write_bytes(ours)
    return target


def lab_command(
    dossier: str | None = None,
    *,
    port: int | None = None,
    no_browser: bool = False,
    teacher: bool = False,
) -> tuple[list[str], Path]:
    """Prepare ``movsc lab``: the JupyterLab command line and the folder it opens.

    By default the student workspace ``~/movsc-cours`` is created or updated with
    :func:`sync_course` (course notebooks and student exercises, never overwriting a file the
    student changed) and opened. ``dossier`` opens another folder: a new or empty folder, or a
    workspace made by this command, is created or updated the same way; any other folder (a
    mémoire folder…) is opened as it is. ``teacher=True`` opens the teacher material (the
    repository's or the bundled ``notebooks/`` and ``exercises/``, solutions included).
    """
    if teacher:
        if dossier is not None:
            raise MovscError(
                "--enseignant ouvre le matériel enseignant : il ne va pas avec --dossier.",
                hint="lancez « movsc lab --enseignant » seul.",
            )
        root = teacher_root()
    else:
        root = DEFAULT_COURSE_DIR if dossier is None else Path(dossier).expanduser()
        if root.exists() and not root.is_dir():
            raise FileError(
                f"« {root} » est un fichier, pas un dossier.",
                hint="indiquez un dossier avec --dossier.",
            )
        if (
            dossier is None
            or not root.exists()
            or not any(root.iterdir())
            or (root / MANIFEST).is_file()
        ):
            _report_sync(root, *sync_course(root))
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={root.resolve()}",
    ]
    if (root / FIRST_NOTEBOOK).is_file():
        command.append(f"--LabApp.default_url=/lab/tree/{FIRST_NOTEBOOK}")
    if port is not None:
        command.append(f"--ServerApp.port={port}")
    if no_browser:
        command.append("--ServerApp.open_browser=False")
    settings = lab_settings_dir()
    if settings is not None:
        command.append(f"--LabApp.app_settings_dir={settings}")
    if _running_as_root():
        # containers and some class servers run as root; JupyterLab refuses without this
        command.append("--ServerApp.allow_root=True")
    return command, root


def _running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _launch(command: list[str], cwd: Path) -> int:
    """Run JupyterLab until the user stops it.

    A termination signal sent to ``movsc`` (``kill``, closing the terminal) is passed on to
    JupyterLab, so that the server never keeps running alone; Ctrl+C stops it too.
    """
    process = subprocess.Popen(command, cwd=cwd)
    previous = {}

    def forward(signum: int, _frame: object) -> None:
        process.send_signal(signum)

    for name in ("SIGTERM", "SIGHUP"):  # no SIGHUP on Windows
        sig = getattr(signal, name, None)
        if sig is not None and threading.current_thread() is threading.main_thread():
            previous[sig] = signal.signal(sig, forward)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _cmd_lab(args: argparse.Namespace) -> int:
    command, root = lab_command(
        args.dossier, port=args.port, no_browser=args.no_browser, teacher=args.enseignant
    )
    print(f"Ouverture de JupyterLab sur le dossier « {root} ».")
    print("Pour arrêter JupyterLab : Ctrl+C dans cette fenêtre.")
    return _launch(command, root)


# --------------------------------------------------------------------------- datasets


def _cmd_datasets(args: argparse.Namespace) -> int:
    from . import datasets

    table = datasets.list()
    if table.empty:
        print("Aucun jeu de données n'est installé.")
        return 0
    width = max(len(name) for name in table.index)
    print(f"Jeux de données fournis ({len(table)}) :")
    for name, row in table.iterrows():
        theme = CAPABILITIES.get(row["capability"], row["capability"])
        print(f"  {name:<{width}}  [{theme}] {row['description']}")
    print()
    print(
        'Pour en charger un : datasets.load("nom"), après « from movsc_toolkit import datasets ».'
    )
    return 0


# --------------------------------------------------------------------------- correction


def _cmd_correction(args: argparse.Namespace) -> int:
    from .exercises.grading import grade_class

    if args.delai <= 0:
        raise MovscError("--delai doit être un nombre de secondes positif.")
    print(f"Correction des copies de « {args.copies} » (deux carnets à la fois)…")
    report = grade_class(
        args.copies,
        args.sortie,
        scale=args.bareme,
        timeout=args.delai,
        show_solutions=args.corrige_visible,
        progress=lambda line: print(f"  {line}", flush=True),
    )
    flagged = [s.submission.student for s in report.students if s.alerts]
    print(report)
    if flagged:
        print(f"À examiner ({len(flagged)}) : " + ", ".join(flagged) + " (colonne « Alerte »).")
    return 0


def _cmd_collecte(args: argparse.Namespace) -> int:
    from .hub import collect

    report = collect(
        args.seance,
        args.sortie,
        homes=args.accueils,
        exclude=args.exclure or (),
        overwrite=args.ecraser,
    )
    for row in report.table.itertuples(index=False):
        print(f"  {row[0]} : {row[2]}")
    print(report)
    print(f'Pour corriger : movsc correction "{report.folder}"')
    return 0


# --------------------------------------------------------------------------- exercices


def _cmd_exercices_eleve(args: argparse.Namespace) -> int:
    from .exercises.build import build_all

    source = Path(args.source) if args.source else bundled("exercises")
    output = Path(args.sortie)
    existing = (
        sorted(p.name for p in source.glob("*.ipynb") if (output / p.name).exists())
        if source.is_dir() and output.is_dir()
        else []
    )
    if existing and not args.ecraser:
        raise FileError(
            f"le dossier « {output} » contient déjà {len(existing)} carnet(s) du même nom ("
            + ", ".join(f"« {n} »" for n in existing[:5])
            + (" …" if len(existing) > 5 else "")
            + ") : rien n'a été écrit, pour ne pas effacer le travail d'un·e étudiant·e.",
            hint="choisissez un autre dossier, ou ajoutez --ecraser pour remplacer ces carnets.",
        )
    written = build_all(source, output)
    for path in written:
        print(f"  {path}")
    print(f"{len(written)} carnet(s) élève écrit(s) dans « {args.sortie} ».")
    return 0


# --------------------------------------------------------------------------- nouveau-memoire

_MEMOIRE_README = """# Mon mémoire — dossier d'analyse

Dossier créé par `movsc nouveau-memoire` (movsc-toolkit {version}).

## Ce qu'il contient

- `donnees/` : mettez-y **vos** fichiers (export Excel ou CSV de votre enquête, transcriptions
  d'entretiens, export comptable…). Des fichiers d'exemple y sont déjà : ils permettent
  d'exécuter les carnets tels quels ; remplacez-les par les vôtres.
- des carnets (`.ipynb`) à copier et adapter, un par type d'analyse :
{notebooks}

## Comment faire

1. Ouvrez JupyterLab sur ce dossier : `movsc lab --dossier "{folder}"`.
2. Ouvrez `00_mon_memoire.ipynb` et exécutez-le cellule par cellule (Maj + Entrée).
3. Changez le nom du fichier lu pour celui de vos données, puis relancez.
4. Pour une annexe, exportez un carnet en HTML sans le code :
   `movsc export 00_mon_memoire.ipynb`.

Gardez vos fichiers d'origine intacts : travaillez sur une copie, et notez dans le carnet chaque
correction apportée aux données.
"""


def _cmd_nouveau_memoire(args: argparse.Namespace) -> int:
    from ._write import os_error, write_text  # the writing layer loads pandas: not for --help

    folder = Path(args.dossier).expanduser()
    if folder.exists() and not folder.is_dir():
        raise FileError(
            f"« {folder} » est un fichier, pas un dossier.",
            hint="choisissez le nom d'un nouveau dossier.",
        )
    if folder.is_dir() and any(folder.iterdir()):
        raise FileError(
            f"le dossier « {folder} » existe déjà et n'est pas vide : rien n'a été modifié.",
            hint="choisissez le nom d'un nouveau dossier (par exemple « memoire-2025 »).",
        )
    templates = sorted(TEMPLATES_DIR.glob("*.ipynb"))
    data = sorted(p for p in (TEMPLATES_DIR / "donnees").glob("*") if p.is_file())
    try:
        (folder / "donnees").mkdir(parents=True, exist_ok=True)
        for file in data:
            shutil.copy2(file, folder / "donnees" / file.name)
        for notebook in templates:
            shutil.copy2(notebook, folder / notebook.name)
    except OSError as exc:
        raise os_error(exc, folder, "le dossier du mémoire") from None
    listing = "\n".join(f"  - `{nb.name}`" for nb in templates) or "  (aucun)"
    write_text(
        folder / "README.md",
        _MEMOIRE_README.format(version=__version__, notebooks=listing, folder=folder),
        suffixes=(".md",),
        what="le fichier README",
    )
    print(f"Dossier « {folder} » créé :")
    print("  README.md")
    print(f"  donnees/ ({len(data)} fichier(s) d'exemple)")
    for notebook in templates:
        print(f"  {notebook.name}")
    print(f'Pour commencer : movsc lab --dossier "{folder}"')
    return 0


# --------------------------------------------------------------------------- export


def _cmd_export(args: argparse.Namespace) -> int:
    from .annex import export_annex

    report = export_annex(
        args.carnet, args.sortie, format=args.format, code=args.code, force=args.forcer
    )
    if not report.has_outputs:
        print(
            "Attention : ce carnet n'a aucun résultat enregistré ; exécutez-le dans JupyterLab "
            "(Exécuter > Tout exécuter), enregistrez-le, puis exportez-le à nouveau.",
            file=sys.stderr,
        )
    if report.errors:
        cells = ", ".join(str(n) for n, _ in report.errors)
        print(
            f"Attention : exporté malgré les erreurs des cellules n° {cells} (--forcer) ; "
            "elles sont signalées en rouge dans l'annexe.",
            file=sys.stderr,
        )
    what = "avec le code" if args.code else "sans le code"
    print(f"Annexe écrite : « {report.path} » ({what}, {report.figures} figure(s) numérotée(s)).")
    return 0


# --------------------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    """The ``movsc`` argument parser."""
    parser = _Parser(
        prog="movsc",
        description="Boîte à outils du titre « Manager d'organismes à vocation sociale et "
        "culturelle en ESS » (CNAM) : enquêtes, lexicométrie, finances associatives, pilotage.",
        epilog="Aide d'une commande : movsc COMMANDE --help (par exemple : movsc lab --help).",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"movsc-toolkit {__version__}",
        help="afficher la version et quitter",
    )
    commands = parser.add_subparsers(title="commandes", metavar="COMMANDE", dest="commande")

    lab = commands.add_parser(
        "lab",
        help="ouvrir le cours dans JupyterLab",
        description="Ouvre JupyterLab sur votre dossier de cours "
        f"«\u00a0{DEFAULT_COURSE_DIR}\u00a0» (premier carnet : 00_prise_en_main) : les carnets "
        "du cours et les exercices en version élève (sans les solutions). Le dossier est créé "
        "au premier lancement et complété aux suivants ; un carnet que vous avez modifié "
        "n'est jamais remplacé.",
    )
    lab.add_argument(
        "--no-browser", action="store_true", help="ne pas ouvrir le navigateur automatiquement"
    )
    lab.add_argument("--port", type=int, metavar="N", help="port du serveur (8888 par défaut)")
    lab.add_argument(
        "--dossier",
        metavar="D",
        help="dossier à ouvrir à la place ; s'il n'existe pas ou est vide, le cours (version "
        "élève) y est copié ; un autre dossier (un mémoire…) est ouvert tel quel",
    )
    lab.add_argument(
        "--enseignant",
        action="store_true",
        help="ouvrir le matériel enseignant : carnets du cours et exercices avec leurs solutions",
    )
    lab.set_defaults(func=_cmd_lab)

    ds = commands.add_parser(
        "datasets",
        help="lister les jeux de données fournis",
        description="Liste les jeux de données fournis avec le paquet (tous fictifs).",
    )
    ds.set_defaults(func=_cmd_datasets)

    ex = commands.add_parser(
        "exercices",
        help="préparer les exercices (version élève)",
        description="Outils pour les enseignants : préparer les exercices.",
    )
    ex_commands = ex.add_subparsers(title="actions", metavar="ACTION", dest="action")
    eleve = ex_commands.add_parser(
        "eleve",
        help="construire la version élève des carnets d'exercices",
        description="Construit la version élève de chaque carnet d'exercices : solutions "
        "remplacées par « ... », cellules enseignant retirées, résultats effacés.",
    )
    eleve.add_argument(
        "--sortie", required=True, metavar="DOSSIER", help="dossier où écrire les carnets élève"
    )
    eleve.add_argument(
        "--ecraser",
        action="store_true",
        help="remplacer les carnets élève déjà présents dans le dossier de sortie",
    )
    eleve.add_argument(
        "--source",
        metavar="DOSSIER",
        help="dossier des carnets enseignants (par défaut : les exercices fournis)",
    )
    eleve.set_defaults(func=_cmd_exercices_eleve)

    correction = commands.add_parser(
        "correction",
        help="corriger les carnets d'exercices rendus par une classe",
        description="Exécute chaque carnet rendu (isolé, sans réseau, avec un délai), revérifie "
        "chaque réponse avec les valeurs attendues de l'enseignant·e et écrit notes.xlsx (une "
        "ligne par élève, une colonne par question, total, note sur 20) et une page de retour "
        "en français par élève (dossier retours/).",
    )
    correction.add_argument(
        "copies",
        metavar="DOSSIER_DES_COPIES",
        help="dossier des carnets ramassés : <login>/01_enquete.ipynb, 01_enquete_<login>.ipynb "
        "ou export Moodle",
    )
    correction.add_argument(
        "--sortie", metavar="DOSSIER", help="dossier des résultats (par défaut : COPIES/correction)"
    )
    correction.add_argument(
        "--bareme",
        metavar="FICHIER",
        help="barème YAML (question: points, et « sur: 20 ») ou CSV (question;points) ; "
        "par défaut, un point par question",
    )
    correction.add_argument(
        "--delai",
        metavar="SECONDES",
        type=int,
        default=120,
        help="temps d'exécution accordé à chaque carnet (défaut : 120)",
    )
    correction.add_argument(
        "--corrige-visible",
        action="store_true",
        help="montrer le corrigé des questions manquées dans les pages de retour",
    )
    correction.set_defaults(func=_cmd_correction)

    collecte = commands.add_parser(
        "collecte",
        help="ramasser les carnets d'exercices d'une séance sur le serveur de la classe",
        description="Sur le serveur JupyterHub de la classe (deploy/jupyterhub), en "
        "administrateur : copie le carnet d'exercices d'une séance de chaque élève dans "
        "DOSSIER/<login>/, prêt pour « movsc correction DOSSIER », et écrit le relevé "
        "ramassage.csv (rendu, non modifié, absent).",
    )
    collecte.add_argument(
        "seance",
        metavar="SEANCE",
        help="carnet d'exercices à ramasser : son numéro (02) ou son nom (02_enquete_analyse)",
    )
    collecte.add_argument(
        "--accueils",
        metavar="MODELE",
        default="/var/lib/private/{login}",
        help="dossiers personnels des élèves, avec {login} (défaut : /var/lib/private/{login}, "
        "celui du serveur de deploy/jupyterhub ; comptes Linux : /home/{login})",
    )
    collecte.add_argument(
        "--sortie", metavar="DOSSIER", help="dossier des copies (défaut : copies-<carnet>)"
    )
    collecte.add_argument(
        "--exclure",
        metavar="LOGIN",
        action="append",
        help="compte à laisser de côté (celui de l'enseignant·e…) ; option répétable",
    )
    collecte.add_argument(
        "--ecraser",
        action="store_true",
        help="remplacer les copies d'un ramassage précédent dans le dossier de sortie",
    )
    collecte.set_defaults(func=_cmd_collecte)
    ex.set_defaults(func=lambda _args: _missing_action(ex))

    memoire = commands.add_parser(
        "nouveau-memoire",
        help="créer un dossier de travail pour un mémoire",
        description="Crée un dossier prêt à l'emploi pour analyser les données d'un mémoire : "
        "un sous-dossier donnees/ (avec des fichiers d'exemple), un README et les carnets "
        "modèles.",
    )
    memoire.add_argument("dossier", metavar="DOSSIER", help="dossier à créer")
    memoire.set_defaults(func=_cmd_nouveau_memoire)

    export = commands.add_parser(
        "export",
        help="exporter un carnet en annexe de mémoire (HTML, PDF ou Word), sans le code",
        description="Exporte un carnet exécuté en annexe prête pour le jury : sans le code ni "
        "les numéros de cellule, sans script ni chemin de votre ordinateur, figures numérotées, "
        "tableaux ajustés à une page A4. Un carnet dont des cellules sont en erreur est refusé "
        "(sauf avec --forcer).",
    )
    export.add_argument("carnet", metavar="CARNET.ipynb", help="carnet à exporter")
    export.add_argument(
        "--sortie",
        metavar="FICHIER",
        help="fichier à écrire, .html, .pdf ou .docx (par défaut : même nom que le carnet)",
    )
    export.add_argument(
        "--format",
        choices=["html", "pdf", "docx"],
        help="format de l'annexe (par défaut : celui de l'extension de --sortie, sinon html)",
    )
    export.add_argument(
        "--code", action="store_true", help="inclure aussi le code des cellules (annexe technique)"
    )
    export.add_argument(
        "--forcer",
        action="store_true",
        help="exporter même si des cellules sont en erreur (signalées en rouge dans l'annexe)",
    )
    export.set_defaults(func=_cmd_export)
    return parser


def _missing_action(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``movsc`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 2  # like argparse for a missing command
    try:
        return int(args.func(args) or 0)
    except MovscError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
