"""The other sub-commands: ``datasets``, ``correction``, ``collecte``, ``exercices``,
``nouveau-memoire`` and ``export``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from .. import __version__
from .._errors import FileError, MovscError
from .._resources import TEMPLATES_DIR, bundled
from .parser import CAPABILITIES

# --------------------------------------------------------------------------- datasets


def cmd_datasets(args: argparse.Namespace) -> int:
    from .. import datasets

    table = datasets.list()
    if table.empty:
        print("Aucun jeu de données n'est installé.")
        return 0
    width = max(len(name) for name in table.index)
    print(f"Jeux de données fournis ({len(table)}) :")
    for name, row in table.iterrows():
        theme = CAPABILITIES.get(row["Capacité"], row["Capacité"])
        print(f"  {name:<{width}}  [{theme}] {row['Description']}")
    print()
    print(
        'Pour en charger un : datasets.load("nom"), après « from movsc_toolkit import datasets ».'
    )
    return 0


# --------------------------------------------------------------------------- correction


def cmd_correction(args: argparse.Namespace) -> int:
    from ..exercises.grading import grade_class

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


def cmd_collecte(args: argparse.Namespace) -> int:
    from ..hub import collect

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


def cmd_exercices_eleve(args: argparse.Namespace) -> int:
    from ..exercises.build import build_all

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


def cmd_nouveau_memoire(args: argparse.Namespace) -> int:
    from .._write import os_error, write_text  # the writing layer loads pandas: not for --help

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


def cmd_export(args: argparse.Namespace) -> int:
    from ..annex import export_annex

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
    print(f"Annexe écrite : « {report.path} » ({what}, {report.n_figures} figure(s) numérotée(s)).")
    return 0
