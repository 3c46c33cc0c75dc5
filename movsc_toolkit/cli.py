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
import sys
from collections.abc import Sequence

from . import __version__
from ._cli.commands import (
    cmd_collecte,
    cmd_correction,
    cmd_datasets,
    cmd_exercices_eleve,
    cmd_export,
    cmd_nouveau_memoire,
)
from ._cli.course import DEFAULT_COURSE_DIR
from ._cli.lab import cmd_lab
from ._cli.parser import Parser
from ._errors import MovscError

__all__ = ["main"]


# --------------------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    """The ``movsc`` argument parser."""
    parser = Parser(
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
    lab.set_defaults(func=cmd_lab)

    ds = commands.add_parser(
        "datasets",
        help="lister les jeux de données fournis",
        description="Liste les jeux de données fournis avec le paquet (tous fictifs).",
    )
    ds.set_defaults(func=cmd_datasets)

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
    eleve.set_defaults(func=cmd_exercices_eleve)

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
    correction.set_defaults(func=cmd_correction)

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
    collecte.set_defaults(func=cmd_collecte)
    ex.set_defaults(func=lambda _args: _missing_action(ex))

    memoire = commands.add_parser(
        "nouveau-memoire",
        help="créer un dossier de travail pour un mémoire",
        description="Crée un dossier prêt à l'emploi pour analyser les données d'un mémoire : "
        "un sous-dossier donnees/ (avec des fichiers d'exemple), un README et les carnets "
        "modèles.",
    )
    memoire.add_argument("dossier", metavar="DOSSIER", help="dossier à créer")
    memoire.set_defaults(func=cmd_nouveau_memoire)

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
    export.set_defaults(func=cmd_export)
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
